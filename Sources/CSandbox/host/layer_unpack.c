/*
 * The parent's half of a layer's unpacking: it decompresses the blob with libarchive's raw format, hashes
 * the tar stream with nettle's SHA-256 (libarchive's own dependency) and sends it to the child that extracts it
 * (layer_extract.c), in one pass; the two overlap on two cores. The parent holds the limits and the digest, so
 * a child that went wrong can neither lie about them nor outgrow them. Then it marks the opaque directories,
 * which takes CAP_SYS_ADMIN for trusted.overlay.opaque, from the layer's directory fd, never by following a
 * link the layer made.
 */
#define _GNU_SOURCE
#include "layer_unpack.h"
#include "sbx_seccomp.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

/* The most the child may report beside its record: every entry an opaque marker, each of a long path. */
#define OPAQUE_BYTES_MAX (64u << 20)

/*
 * What the child may not do, a root process chrooted with few capabilities: run anything, reach another
 * process (a uid-0 process may signal or trace any other uid-0 one), a socket, a mount, a namespace (a new user
 * namespace would give it CAP_SYS_CHROOT back, and a way out of the chroot), io_uring (which seccomp does not
 * see), the kernel's keys or BPF. Each fails with EPERM. Executable mappings fail too: nothing is loaded into it.
 */
static const char *const denied_syscalls[] = {
	"execve", "execveat", "fork", "vfork", "clone", "clone3", "unshare", "setns",
	"ptrace", "process_vm_readv", "process_vm_writev", "kill", "tkill", "tgkill", "rt_sigqueueinfo",
	"rt_tgsigqueueinfo", "pidfd_open", "pidfd_send_signal", "pidfd_getfd",
	"socket", "socketpair", "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
	"move_mount", "open_tree", "mount_setattr", "open_by_handle_at", "name_to_handle_at",
	"io_uring_setup", "io_uring_enter", "io_uring_register", "keyctl", "add_key", "request_key", "bpf",
	"perf_event_open", "userfaultfd", "init_module", "finit_module", "delete_module", "kexec_load",
	"kexec_file_load", "reboot", "swapon", "swapoff", "acct", "quotactl", "personality",
};
static const char *const mapping_syscalls[] = { "mmap", "mprotect", "pkey_mprotect" };

static int set_failure(struct sbx_layer_failure *failure, const char *step, const char *path, int error, const char *message)
{
	snprintf(failure->step, sizeof failure->step, "%s", step);
	snprintf(failure->path, sizeof failure->path, "%s", path == NULL ? "" : path);
	snprintf(failure->message, sizeof failure->message, "%s", message == NULL ? "" : message);
	failure->error = error;
	return -error;
}

static int compile_filter(void **program, size_t *length, struct sbx_layer_failure *failure)
{
	enum { denied_count = sizeof denied_syscalls / sizeof denied_syscalls[0] };
	enum { mapping_count = sizeof mapping_syscalls / sizeof mapping_syscalls[0] };
	static const struct sbx_seccomp_condition executable = {
		.index = 2, .op = SBX_CMP_MASKED_EQ, .value = PROT_EXEC, .value_two = PROT_EXEC,
	};
	struct sbx_seccomp_rule rules[denied_count + mapping_count];
	const struct sbx_seccomp_action eperm = { SBX_SECCOMP_ERRNO, EPERM };
	for (size_t i = 0; i < denied_count; i++)
		rules[i] = (struct sbx_seccomp_rule) { .syscall = denied_syscalls[i], .action = eperm };
	for (size_t i = 0; i < mapping_count; i++)
		rules[denied_count + i] = (struct sbx_seccomp_rule) {
			.syscall = mapping_syscalls[i], .action = eperm, .conditions = &executable, .condition_count = 1,
		};
	const struct sbx_seccomp_filter filter = {
		.default_action = { SBX_SECCOMP_ALLOW },
		.bad_architecture_action = { SBX_SECCOMP_KILL_PROCESS },
		.rules = rules,
		.rule_count = denied_count + mapping_count,
	};
	char error[256];
	int result = sbx_seccomp_compile(&filter, program, length, error, sizeof error);
	return result < 0 ? set_failure(failure, "compile the seccomp filter", NULL, -result, error) : 0;
}

/* libarchive's reader of the blob: gzip, zstd, xz or none, each in this process (ARCHIVE_WARN would mean an
 * external program), and the raw format, which gives the decompressed bytes as they are (the empty format
 * for none: raw wants one byte at least). */
static struct archive *open_blob(int blob_fd, struct sbx_layer_failure *failure)
{
	struct archive *reader = archive_read_new();
	if (reader == NULL) {
		set_failure(failure, "decompress", NULL, ENOMEM, NULL);
		return NULL;
	}
	if (archive_read_support_filter_gzip(reader) != ARCHIVE_OK || archive_read_support_filter_zstd(reader) != ARCHIVE_OK ||
	    archive_read_support_filter_xz(reader) != ARCHIVE_OK || archive_read_support_format_raw(reader) != ARCHIVE_OK ||
	    archive_read_support_format_empty(reader) != ARCHIVE_OK ||
	    archive_read_open_fd(reader, blob_fd, 128 * 1024) != ARCHIVE_OK) {
		int error = archive_errno(reader);
		set_failure(failure, "decompress", NULL, error > 0 ? error : EINVAL, archive_error_string(reader));
		archive_read_free(reader);
		return NULL;
	}
	return reader;
}

static int send_all(int fd, const void *data, size_t length)
{
	for (size_t done = 0; done < length;) {
		ssize_t sent = send(fd, (const char *) data + done, length - done, MSG_NOSIGNAL);
		if (sent < 0 && errno == EINTR)
			continue;
		if (sent < 0)
			return -errno;
		done += (size_t) sent;
	}
	return 0;
}

/*
 * Decompresses, hashes and sends the stream: 0 once all of it was sent, 1 when the child stopped reading
 * (it failed, and says why), -errno with *failure set when the blob is at fault or too large.
 */
static int feed(struct archive *reader, int sock, const struct sbx_layer_options *options, struct sbx_layer_result *result,
                struct sha256_ctx *hash, struct sbx_layer_failure *failure)
{
	struct archive_entry *entry;
	int status = archive_read_next_header(reader, &entry);
	const void *block;
	size_t length;
	la_int64_t offset;
	while (status == ARCHIVE_OK && (status = archive_read_data_block(reader, &block, &length, &offset)) == ARCHIVE_OK) {
		result->tar_bytes += length;
		if (result->tar_bytes > options->max_bytes) {
			char message[128];
			snprintf(message, sizeof message, "The layer decompresses to more than %llu bytes",
			         (unsigned long long) options->max_bytes);
			return set_failure(failure, "decompress", NULL, EFBIG, message);
		}
		sha256_update(hash, length, block);
		int sent = send_all(sock, block, length);
		if (sent == -EPIPE || sent == -ECONNRESET)
			return 1;
		if (sent < 0)
			return set_failure(failure, "send the layer to its child", NULL, -sent, NULL);
	}
	if (status != ARCHIVE_EOF) {
		int error = archive_errno(reader);
		return set_failure(failure, "decompress", NULL, error > 0 ? error : EINVAL, archive_error_string(reader));
	}
	return 0;
}

/* Exactly length bytes from sock: 0, or -errno (-EIO at an early end). */
static int receive(int sock, void *into, size_t length)
{
	for (size_t got = 0; got < length;) {
		ssize_t n = recv(sock, (char *) into + got, length - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		got += (size_t) n;
	}
	return 0;
}

/* The child's report; *opaque is malloc'd, its paths each NUL-terminated. 0, or -errno when it is not one. */
static int read_report(int sock, struct layer_report *report, char **opaque)
{
	*opaque = NULL;
	int result = receive(sock, report, sizeof *report);
	if (result < 0 || report->failed || report->opaque_bytes == 0)
		return result;
	if (report->opaque_bytes > OPAQUE_BYTES_MAX || (*opaque = malloc(report->opaque_bytes)) == NULL)
		return -E2BIG;
	result = receive(sock, *opaque, report->opaque_bytes);
	return result < 0 ? result : (*opaque)[report->opaque_bytes - 1] == '\0' ? 0 : -EIO;
}

/* overlayfs's opacity on each directory the child reported, opened beneath the layer's directory without
 * following a link or crossing a mount. user.overlay.opaque always: a container in a user namespace mounts its
 * overlay with userxattr, which reads only that, even from root's store; trusted.overlay.opaque too unless
 * rootless, for an overlay mounted without one (--userns host). */
static int mark_opaque(int dir_fd, const char *paths, size_t bytes, bool user_xattrs, struct sbx_layer_failure *failure)
{
	for (const char *path = paths; path < paths + bytes; path += strlen(path) + 1) {
		struct open_how how = {
			.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
		};
		int fd = (int) syscall(SYS_openat2, dir_fd, path, &how, sizeof how);
		if (fd < 0)
			return set_failure(failure, "mark opaque", path, errno, NULL);
		int set = fsetxattr(fd, "user.overlay.opaque", "y", 1, 0);
		if (set == 0 && !user_xattrs)
			set = fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0);
		int saved = errno;
		close(fd);
		if (set < 0)
			return set_failure(failure, "mark opaque", path, saved, NULL);
	}
	return 0;
}

/* Ends the child if it still runs, and gives its wait status. */
static int reap(pid_t pid, bool kill_it)
{
	if (kill_it)
		kill(pid, SIGKILL);
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return status;
}

int sbx_unpack_layer(int blob_fd, int dir_fd, const struct sbx_layer_options *options, struct sbx_layer_result *result,
                     struct sbx_layer_failure *failure)
{
	memset(result, 0, sizeof *result);
	memset(failure, 0, sizeof *failure);
	void *program = NULL;
	size_t program_length = 0;
	int status = compile_filter(&program, &program_length, failure);
	if (status < 0)
		return status;
	struct archive *reader = open_blob(blob_fd, failure);
	if (reader == NULL) {
		free(program);
		return -failure->error;
	}
	int sockets[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) < 0) {
		status = set_failure(failure, "socketpair", NULL, errno, NULL);
		goto out;
	}
	pid_t pid = fork();
	if (pid < 0) {
		status = set_failure(failure, "fork", NULL, errno, NULL);
		close(sockets[0]);
		close(sockets[1]);
		goto out;
	}
	if (pid == 0) {
		const struct layer_child child = {
			.dir_fd = dir_fd, .input_fd = sockets[1], .max_entries = options->max_entries,
			.seccomp_program = program, .seccomp_length = program_length,
		};
		layer_extract_child(&child);
	}
	close(sockets[1]);

	struct sha256_ctx hash;
	sha256_init(&hash);
	status = feed(reader, sockets[0], options, result, &hash, failure);
	if (status < 0) {
		close(sockets[0]);
		reap(pid, true);
		goto out;
	}
	shutdown(sockets[0], SHUT_WR);
	struct layer_report report;
	char *opaque;
	int read = read_report(sockets[0], &report, &opaque);
	close(sockets[0]);
	int wait_status = reap(pid, read < 0);
	if (read < 0 || wait_status == -1 || !WIFEXITED(wait_status) || (WEXITSTATUS(wait_status) != 0 && !report.failed)) {
		char message[128] = "The extracting child ended without a report";
		if (wait_status != -1 && WIFSIGNALED(wait_status))
			snprintf(message, sizeof message, "The extracting child was killed by signal %d", WTERMSIG(wait_status));
		status = set_failure(failure, "extract", NULL, read < 0 ? -read : EIO, message);
	} else if (report.failed) {
		*failure = report.failure;
		failure->step[sizeof failure->step - 1] = failure->path[sizeof failure->path - 1] = failure->message[sizeof failure->message - 1] = '\0';
		status = -(failure->error > 0 ? failure->error : EIO);
	} else if (status == 1) {
		/* It stopped reading, yet says it is done: not a child that did its work. */
		status = set_failure(failure, "extract", NULL, EIO, "The extracting child stopped reading");
	} else {
		status = mark_opaque(dir_fd, opaque, report.opaque_bytes, options->user_xattrs, failure);
		result->entries = report.entries;
		result->size = report.size;
		result->devices_skipped = report.devices_skipped;
		sha256_digest(&hash, sizeof result->diff_id, result->diff_id);
	}
	free(opaque);
out:
	archive_read_free(reader);
	free(program);
	return status;
}
