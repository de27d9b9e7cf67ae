/*
 * The child that extracts a layer's tar stream, in one ordered pipeline: nothing of its parent's but the
 * layer's directory and the socket, chrooted into that directory, with the capabilities that extraction
 * needs and no others, then libarchive with its secure flags. What the layer may keep, and how:
 *   - numeric owners (no name is ever looked up: no NSS), permissions with setuid and setgid, times;
 *   - POSIX ACLs, and the xattrs user.* (but user.overlay.*) and security.capability: trusted.* is overlayfs's
 *     own (an image must not forge its redirects or opacity), security.selinux and the rest are the host's;
 *   - hard links inside the layer only, symlinks never followed (SECURE_SYMLINKS, _NODOTDOT,
 *     _NOABSOLUTEPATHS, and the chroot under them);
 *   - .wh.NAME as an overlayfs whiteout (a 0/0 character device, which the kernel lets anyone make since 5.8),
 *     .wh..wh..opq as its directory's opacity, reported to the parent, aufs's other .wh..wh.* dropped, as
 *     Docker and containerd do;
 *   - no device node (as rootless engines, and no CAP_MKNOD), no file flags (an immutable file would make the
 *     layer undeletable).
 */
#define _GNU_SOURCE
#include "layer_unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <langinfo.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define INPUT_FD 3
#define DIR_FD 4

static const int kept_capabilities[] = { CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_SETFCAP };

static const int extract_flags = ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                                 ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                 ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS;

struct extraction {
	struct archive *reader;
	struct archive *writer;
	struct layer_report report;
	uint64_t max_entries;
	char *opaque; /* the opaque directories' paths, NUL-terminated one after the other */
	/* The layer's root's times, from its "./" entry: libarchive sets an existing directory's at once, and
	 * every entry made in it after changes them again. */
	struct timespec root_times[2];
};

static void write_all(int fd, const void *data, size_t length)
{
	for (size_t done = 0; done < length;) {
		ssize_t written = send(fd, (const char *) data + done, length - done, MSG_NOSIGNAL);
		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			_exit(3);
		done += (size_t) written;
	}
}

/* Says what failed on the socket and ends: the parent turns it into one line. */
static _Noreturn void fail(struct extraction *x, const char *step, const char *path, int error, const char *message)
{
	x->report.failed = 1;
	struct sbx_layer_failure *failure = &x->report.failure;
	snprintf(failure->step, sizeof failure->step, "%s", step);
	snprintf(failure->path, sizeof failure->path, "%s", path == NULL ? "" : path);
	snprintf(failure->message, sizeof failure->message, "%s", message == NULL ? "" : message);
	failure->error = error;
	write_all(INPUT_FD, &x->report, sizeof x->report);
	_exit(1);
}

/* A failure libarchive explained: its words and its errno. */
static _Noreturn void fail_archive(struct extraction *x, const char *step, const char *path, struct archive *archive)
{
	int error = archive_errno(archive);
	fail(x, step, path, error > 0 ? error : EINVAL, archive_error_string(archive));
}

/* The steps before any byte of the layer is read: the child keeps nothing it does not need. */
static void prepare(struct extraction *x, const struct layer_child *child)
{
	/* Its own signal handlers' defaults, and none blocked: the parent's handlers (forwarding) are not its. */
	for (int signal = 1; signal < NSIG; signal++)
		(void) sigaction(signal, &(struct sigaction) { .sa_handler = SIG_DFL }, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	pid_t parent = getppid();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(2);

	/* Only the socket (3) and the directory (4), and /dev/null for 0 to 2: an error message glibc writes to
	 * stderr would otherwise land in whatever file the layer had just opened there. Copies above 10 first,
	 * so that moving one to 3 or 4 cannot close another. */
	int input = fcntl(child->input_fd, F_DUPFD_CLOEXEC, 10), dir = fcntl(child->dir_fd, F_DUPFD_CLOEXEC, 10);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (input < 0 || dir < 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 ||
	    dup3(input, INPUT_FD, O_CLOEXEC) < 0 || dup3(dir, DIR_FD, O_CLOEXEC) < 0 || close_range(DIR_FD + 1, ~0U, 0) < 0)
		_exit(2);

	/*
	 * glibc reads its iconv configuration once a process, when iconv is first opened: libarchive opens it
	 * for the first PAX header (UTF-8 names to this locale's charset). Opened here, the configuration is the
	 * host's; in the chroot it would be the layer's, which could name a module for glibc to load. (The seccomp
	 * filter below refuses any executable mapping too.)
	 */
	iconv_t converter = iconv_open(nl_langinfo(CODESET), "UTF-8");
	if (converter != (iconv_t) -1)
		iconv_close(converter);

	if (fchdir(DIR_FD) < 0 || chroot(".") < 0 || chdir("/") < 0)
		fail(x, "chroot into the layer's directory", NULL, errno, NULL);
	close(DIR_FD);
	/* The parents extraction makes are 0755, as Docker's; the entries' own modes are set exactly. */
	umask(022);

	/* The bounding set first: dropping from it takes CAP_SETPCAP, which capset gives up. */
	unsigned long long kept = 0;
	for (size_t i = 0; i < sizeof kept_capabilities / sizeof kept_capabilities[0]; i++)
		kept |= 1ULL << kept_capabilities[i];
	for (int capability = 0; capability < 64; capability++) {
		if ((kept & (1ULL << capability)) == 0 && prctl(PR_CAPBSET_DROP, capability) < 0 && errno != EINVAL)
			fail(x, "drop capabilities", NULL, errno, NULL);
	}
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &header, data) < 0)
		fail(x, "drop capabilities", NULL, errno, NULL);
	for (int i = 0; i < 2; i++) {
		/* Those the caller has: a rootless caller's user namespace may lack some. */
		data[i].permitted &= (uint32_t) (kept >> (32 * i));
		data[i].effective = data[i].permitted;
		data[i].inheritable = 0;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 || syscall(SYS_capset, &header, data) < 0)
		fail(x, "drop capabilities", NULL, errno, NULL);

	struct sock_fprog program = { .len = (unsigned short) child->seccomp_length, .filter = (struct sock_filter *) child->seccomp_program };
	if (prctl(PR_SET_DUMPABLE, 0) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) < 0)
		fail(x, "load the seccomp filter", NULL, errno, NULL);
}

/* libarchive's words for what its secure flags refuse, for the paths it does not see (an opaque marker's). */
static const char *unsafe_path(const char *path)
{
	if (path[0] == '/')
		return "Path is absolute";
	for (const char *component = path; component != NULL; component = strchr(component, '/')) {
		component += component[0] == '/';
		if (strncmp(component, "..", 2) == 0 && (component[2] == '/' || component[2] == '\0'))
			return "Path contains '..'";
	}
	return NULL;
}

/* Whether path is aufs's own (.wh..wh.plnk/..., .wh..wh.aufs): a component named .wh..wh.* but a last
 * .wh..wh..opq. Docker and containerd skip these too. */
static bool is_aufs_metadata(const char *path)
{
	for (const char *component = path; component != NULL; component = strchr(component, '/')) {
		component += component[0] == '/';
		if (strncmp(component, ".wh..wh.", 8) == 0 && strcmp(component, ".wh..wh..opq") != 0)
			return true;
	}
	return false;
}

/* Writes an entry made up for a whiteout or an opaque marker's missing directory, through libarchive's checks. */
static void write_made_up(struct extraction *x, const char *step, const char *path, mode_t type, mode_t mode,
                          struct archive_entry *from)
{
	struct archive_entry *entry = archive_entry_new2(x->reader);
	if (entry == NULL)
		fail(x, step, path, ENOMEM, NULL);
	archive_entry_copy_pathname(entry, path);
	archive_entry_set_filetype(entry, type);
	archive_entry_set_perm(entry, mode);
	archive_entry_set_rdev(entry, 0);
	archive_entry_set_uid(entry, archive_entry_uid(from));
	archive_entry_set_gid(entry, archive_entry_gid(from));
	archive_entry_set_mtime(entry, archive_entry_mtime(from), archive_entry_mtime_nsec(from));
	if (archive_write_header(x->writer, entry) != ARCHIVE_OK || archive_write_finish_entry(x->writer) != ARCHIVE_OK)
		fail_archive(x, step, path, x->writer);
	archive_entry_free(entry);
}

static void add_opaque(struct extraction *x, const char *directory)
{
	size_t length = strlen(directory) + 1;
	char *grown = realloc(x->opaque, x->report.opaque_bytes + length);
	if (grown == NULL)
		fail(x, "mark opaque", directory, ENOMEM, NULL);
	memcpy(grown + x->report.opaque_bytes, directory, length);
	x->opaque = grown;
	x->report.opaque_bytes += length;
}

/* An entry named .wh.*: name points into path at that last component. */
static void whiteout(struct extraction *x, struct archive_entry *entry, const char *path, const char *name)
{
	const char *unsafe = unsafe_path(path);
	if (unsafe != NULL)
		fail(x, "whiteout", path, EINVAL, unsafe);
	char target[4096];
	size_t directory = (size_t) (name - path);
	if (strcmp(name, ".wh..wh..opq") == 0) {
		/* Its directory, without the slash: "" is the layer's root. */
		int length = snprintf(target, sizeof target, "%.*s", (int) (directory > 0 ? directory - 1 : 0), path);
		if (length < 0 || (size_t) length >= sizeof target)
			fail(x, "mark opaque", path, ENAMETOOLONG, NULL);
		struct stat status;
		if (length > 0 && fstatat(AT_FDCWD, target, &status, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				fail(x, "mark opaque", target, errno, NULL);
			write_made_up(x, "mark opaque", target, AE_IFDIR, 0755, entry);
		} else if (length > 0 && !S_ISDIR(status.st_mode)) {
			fail(x, "mark opaque", target, ENOTDIR, NULL);
		}
		add_opaque(x, length > 0 ? target : ".");
		return;
	}
	if (name[4] == '\0' || strcmp(name + 4, ".") == 0 || strcmp(name + 4, "..") == 0)
		fail(x, "whiteout", path, EINVAL, "A whiteout that names no file");
	int length = snprintf(target, sizeof target, "%.*s%s", (int) directory, path, name + 4);
	if (length < 0 || (size_t) length >= sizeof target)
		fail(x, "whiteout", path, ENAMETOOLONG, NULL);
	write_made_up(x, "whiteout", target, AE_IFCHR, 0, entry);
}

/* Drops the xattrs a layer may not set (see the top of this file). */
static void keep_allowed_xattrs(struct extraction *x, struct archive_entry *entry)
{
	int count = archive_entry_xattr_reset(entry);
	if (count == 0)
		return;
	struct archive_entry *kept = archive_entry_new2(x->reader);
	if (kept == NULL)
		fail(x, "extract", archive_entry_pathname(entry), ENOMEM, NULL);
	const char *name;
	const void *value;
	size_t size;
	while (archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK) {
		if ((strncmp(name, "user.", 5) == 0 && strncmp(name, "user.overlay.", 13) != 0) ||
		    strcmp(name, "security.capability") == 0)
			archive_entry_xattr_add_entry(kept, name, value, size);
	}
	archive_entry_xattr_clear(entry);
	archive_entry_xattr_reset(kept);
	while (archive_entry_xattr_next(kept, &name, &value, &size) == ARCHIVE_OK)
		archive_entry_xattr_add_entry(entry, name, value, size);
	archive_entry_free(kept);
}

static void copy_data(struct extraction *x, const char *path)
{
	const void *block;
	size_t length;
	la_int64_t offset;
	int result;
	while ((result = archive_read_data_block(x->reader, &block, &length, &offset)) == ARCHIVE_OK) {
		/* By offset: a sparse file's holes stay holes. */
		if (archive_write_data_block(x->writer, block, length, offset) != ARCHIVE_OK)
			fail_archive(x, "extract", path, x->writer);
	}
	if (result != ARCHIVE_EOF)
		fail_archive(x, "read", path, x->reader);
}

/* Whether path names the layer's root: ".", "./", "/" and the like. */
static bool is_root(const char *path)
{
	return path[strspn(path, "./")] == '\0' && strstr(path, "..") == NULL;
}

static void extract(struct extraction *x)
{
	struct archive_entry *entry;
	int result;
	while ((result = archive_read_next_header(x->reader, &entry)) != ARCHIVE_EOF) {
		/* A warning is a name not convertible to this locale (kept as its bytes) or a PAX record ignored. */
		if (result < ARCHIVE_WARN)
			fail_archive(x, "read", NULL, x->reader);
		if (++x->report.entries > x->max_entries)
			fail(x, "read", NULL, EFBIG, "The layer has more entries than the limit");
		const char *path = archive_entry_pathname(entry);
		if (path == NULL || path[0] == '\0')
			fail(x, "read", NULL, EINVAL, "An entry without a name");
		const char *name = strrchr(path, '/');
		name = name == NULL ? path : name + 1;
		if (is_aufs_metadata(path))
			continue;
		if (strncmp(name, ".wh.", 4) == 0) {
			whiteout(x, entry, path, name);
			continue;
		}
		if (archive_entry_filetype(entry) == AE_IFCHR || archive_entry_filetype(entry) == AE_IFBLK) {
			x->report.devices_skipped++;
			continue;
		}
		keep_allowed_xattrs(x, entry);
		if (archive_entry_filetype(entry) == AE_IFREG)
			x->report.size += (uint64_t) archive_entry_size(entry);
		if (archive_entry_filetype(entry) == AE_IFDIR && is_root(path)) {
			x->root_times[0] = archive_entry_atime_is_set(entry)
				? (struct timespec) { archive_entry_atime(entry), archive_entry_atime_nsec(entry) }
				: (struct timespec) { .tv_nsec = UTIME_OMIT };
			x->root_times[1] = (struct timespec) { archive_entry_mtime(entry), archive_entry_mtime_nsec(entry) };
		}
		if (archive_write_header(x->writer, entry) != ARCHIVE_OK)
			fail_archive(x, "extract", path, x->writer);
		if (archive_entry_size(entry) > 0)
			copy_data(x, path);
		if (archive_write_finish_entry(x->writer) != ARCHIVE_OK)
			fail_archive(x, "extract", path, x->writer);
	}
	/* The directories' modes and times, which libarchive sets last so that their entries could be written. */
	if (archive_write_close(x->writer) != ARCHIVE_OK)
		fail_archive(x, "extract", NULL, x->writer);
	if (x->root_times[1].tv_nsec != UTIME_OMIT && utimensat(AT_FDCWD, "/", x->root_times, 0) < 0)
		fail(x, "extract", "./", errno, NULL);
}

_Noreturn void layer_extract_child(const struct layer_child *child)
{
	struct extraction x = {
		.max_entries = child->max_entries,
		.root_times = { { .tv_nsec = UTIME_OMIT }, { .tv_nsec = UTIME_OMIT } },
	};
	prepare(&x, child);

	x.reader = archive_read_new();
	x.writer = archive_write_disk_new();
	if (x.reader == NULL || x.writer == NULL)
		fail(&x, "read", NULL, ENOMEM, NULL);
	/* tar alone (ustar, PAX, GNU), uncompressed: the parent decompressed it. An empty stream is an empty
	 * layer, as Go's archive/tar (Docker's, containerd's) reads it. */
	if (archive_read_support_format_tar(x.reader) != ARCHIVE_OK || archive_read_support_format_empty(x.reader) != ARCHIVE_OK ||
	    archive_write_disk_set_options(x.writer, extract_flags) != ARCHIVE_OK ||
	    archive_read_open_fd(x.reader, INPUT_FD, 64 * 1024) != ARCHIVE_OK)
		fail_archive(&x, "read", NULL, x.reader);
	extract(&x);

	/* The rest of the stream, past the tar's end: the parent hashed all of it, and waits to have sent it. */
	char rest[64 * 1024];
	ssize_t got;
	while ((got = read(INPUT_FD, rest, sizeof rest)) != 0) {
		if (got < 0 && errno != EINTR)
			fail(&x, "read", NULL, errno, NULL);
	}
	write_all(INPUT_FD, &x.report, sizeof x.report);
	write_all(INPUT_FD, x.opaque, x.report.opaque_bytes);
	_exit(0);
}
