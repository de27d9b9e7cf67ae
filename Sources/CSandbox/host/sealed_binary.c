/*
 * sandbox re-executed from a handle on its binary that nothing can write: sbx_sealed_binary.h says why.
 */
#define _GNU_SOURCE
#include "sbx_sealed_binary.h"
#include "sbx_command_line.h"
#include "fd_passing.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* A memfd sealed against every change, or a file on a read-only mount (statfs's flags are the mount's too). */
static int is_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals >= 0)
		return (seals & ALL_SEALS) == ALL_SEALS;
	struct statfs filesystem;
	if (fstatfs(fd, &filesystem) < 0)
		return -errno;
	return (filesystem.f_flags & ST_RDONLY) != 0;
}

/* 1 when /proc/self/exe can be written by nobody, 0 when it is a writable path to the binary, or -errno. */
static int binary_is_sealed(void)
{
	/* Read, not O_PATH: a memfd's seals are read through an fd open for reading. */
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int sealed = is_sealed(fd);
	close(fd);
	return sealed;
}

/*
 * A detached, read-only bind mount of the binary itself. Never attached anywhere, it cannot be made writable
 * again once its fd is gone, and it shares the binary's page cache: no copy (crun's way).
 */
static int bind_read_only(const char *path)
{
	int tree = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return -errno;
	struct mount_attr read_only = { .attr_set = MOUNT_ATTR_RDONLY };
	if (mount_setattr(tree, "", AT_EMPTY_PATH, &read_only, sizeof read_only) < 0) {
		int saved = errno;
		close(tree);
		return -saved;
	}
	return tree;
}

/* Whether two fds are the same file. */
static bool same_file(int one, int other)
{
	struct stat first, second;
	return fstat(one, &first) == 0 && fstat(other, &second) == 0 && first.st_dev == second.st_dev &&
	       first.st_ino == second.st_ino;
}

/*
 * The same mount, made by a child in a user and mount namespace of its own, where it holds CAP_SYS_ADMIN:
 * how a caller who is not root gets one. The fd comes back over a socket; the child's namespaces go with it.
 * There /proc/self/exe still leads to the binary's mount in the caller's namespace, which may not be cloned
 * from another: the child clones the binary by its path in its own copy, and checks it is the same file.
 */
static int bind_read_only_in_own_user_namespace(void)
{
	char path[PATH_MAX];
	ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
	if (length < 0)
		return -errno;
	path[length] = '\0';
	int channel[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int saved = errno;
		close(channel[0]);
		close(channel[1]);
		return -saved;
	}
	if (pid == 0) {
		int tree = unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0 ? -errno : bind_read_only(path);
		int binary = tree >= 0 ? open("/proc/self/exe", O_RDONLY | O_CLOEXEC) : -1;
		if (tree >= 0 && (binary < 0 || !same_file(tree, binary)))
			tree = -ESTALE;
		if (tree >= 0)
			sbx_send_fd(channel[1], &(int) { 0 }, sizeof(int), tree);
		else
			send(channel[1], &tree, sizeof tree, MSG_NOSIGNAL);
		_exit(0);
	}
	close(channel[1]);
	int result = 0, tree = -1;
	long got = sbx_receive_fd(channel[0], &result, sizeof result, &tree);
	close(channel[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (got != (long) sizeof result)
		return got < 0 ? (int) got : -EPROTO;
	if (result < 0 || tree < 0)
		return result < 0 ? result : -EPROTO;
	return tree;
}

/* runc's last resort: a copy in memory, sealed. It costs the binary's size in memory for as long as it runs. */
static int sealed_copy(void)
{
	int copy = memfd_create("sandbox", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (copy < 0)
		return -errno;
	int binary = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat status;
	if (binary < 0 || fstat(binary, &status) < 0)
		goto fail;
	off_t offset = 0;
	while (offset < status.st_size) {
		ssize_t sent = sendfile(copy, binary, &offset, (size_t) (status.st_size - offset));
		if (sent < 0 && errno == EINTR)
			continue;
		if (sent <= 0) {
			if (sent == 0)
				errno = EIO;
			goto fail;
		}
	}
	if (fcntl(copy, F_ADD_SEALS, ALL_SEALS) < 0)
		goto fail;
	/* execve refuses a file anyone holds open for writing (ETXTBSY): a read-only fd of its own, and the
	 * writable one closed. */
	char path[32];
	snprintf(path, sizeof path, "/proc/self/fd/%d", copy);
	int read_only = open(path, O_RDONLY | O_CLOEXEC);
	if (read_only < 0)
		goto fail;
	close(binary);
	close(copy);
	return read_only;
fail:;
	int saved = errno;
	if (binary >= 0)
		close(binary);
	close(copy);
	return -saved;
}

static int reexec_sealed(char *const *argv, char *const *envp, const char **method)
{
	*method = "open_tree";
	int binary = bind_read_only("/proc/self/exe");
	if (binary == -EPERM) {
		*method = "open_tree in a user namespace of its own";
		binary = bind_read_only_in_own_user_namespace();
	}
	if (binary < 0) {
		*method = "a sealed copy (memfd_create)";
		binary = sealed_copy();
	}
	if (binary < 0)
		return binary;
	/* Checked as the new process will check itself: what passes here cannot make it re-execute again. */
	int sealed = is_sealed(binary);
	if (sealed != 1) {
		close(binary);
		*method = "checking the copy";
		return sealed < 0 ? sealed : -EROFS;
	}
	*method = "execveat";
	execveat(binary, "", argv, envp, AT_EMPTY_PATH);
	int saved = errno;
	close(binary);
	return -saved;
}

static struct {
	int error;
	const char *method;
} failure;

/* Before main: glibc gives a constructor the command line and the environment. */
__attribute__((constructor)) static void run_sealed(int argc, char **argv, char **envp)
{
	int globals_end, command;
	sbx_read_command_line(argc, argv, &globals_end, &command);
	if (command == argc || !sbx_command_enters_containers(argv[command]) || binary_is_sealed() == 1)
		return;
	failure.error = reexec_sealed(argv, envp, &failure.method);
}

int sbx_sealing_failure(const char **method)
{
	*method = failure.method;
	return failure.error;
}
