#define _GNU_SOURCE
#include "sbx_host.h"
#include "fd_passing.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int sbx_pipe(int fds[2])
{
	return pipe2(fds, O_CLOEXEC) < 0 ? -errno : 0;
}

int sbx_rename_new(int dir_fd, const char *from, const char *to)
{
	return renameat2(dir_fd, from, dir_fd, to, RENAME_NOREPLACE) < 0 ? -errno : 0;
}

int sbx_open_terminal(int *master, int *slave, char *slave_name, size_t size)
{
	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0)
		return -errno;
	if (grantpt(*master) < 0 || unlockpt(*master) < 0 || ptsname_r(*master, slave_name, size) != 0)
		goto fail;
	*slave = open(slave_name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		goto fail;
	/* The size before the workload starts: the relay passes it on only once the workload runs, too late
	 * for a program that asks at once. A caller without a terminal leaves it 0x0, as Docker does. */
	struct winsize window;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &window) == 0)
		ioctl(*master, TIOCSWINSZ, &window);
	return 0;
fail:;
	int saved = errno;
	close(*master);
	return -saved;
}

int sbx_send_fd_to(const char *path, int fd, const char *message)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof address.sun_path)
		return -ENAMETOOLONG;
	strcpy(address.sun_path, path);
	int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -errno;
	int result = connect(sock, (struct sockaddr *) &address, sizeof address) < 0 ? -errno : sbx_send_fd(sock, message, strlen(message), fd);
	close(sock);
	return result;
}

pid_t sbx_spawn_monitor(const char *path, char *const *argv, char *const *envp, const void *configuration, size_t length,
                        int *report)
{
	/* Its configuration, the container's environment in it, goes on its stdin from a file in memory: on its
	 * command line, any user of the host could read it (/proc/PID/cmdline) for the container's whole life. */
	int input = memfd_create("sandbox-monitor-configuration", MFD_CLOEXEC);
	if (input < 0)
		return -errno;
	for (size_t done = 0; done < length;) {
		ssize_t written = write(input, (const char *) configuration + done, length - done);
		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0) {
			int saved = written < 0 ? errno : EIO;
			close(input);
			return -saved;
		}
		done += (size_t) written;
	}
	if (lseek(input, 0, SEEK_SET) < 0) {
		int saved = errno;
		close(input);
		return -saved;
	}
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		int saved = errno;
		close(input);
		return -saved;
	}
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attributes;
	posix_spawn_file_actions_init(&actions);
	posix_spawnattr_init(&attributes);
	posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK);
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attributes, &none);
	posix_spawn_file_actions_adddup2(&actions, input, 0);
	posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, fds[1], 3);
	/* Nothing else of the caller's: a pipe it inherited without O_CLOEXEC (a test harness's, a shell's
	 * command substitution) would stay open for the container's whole life, and its reader would wait for
	 * an end that comes only with the container's. */
	posix_spawn_file_actions_addclosefrom_np(&actions, 4);
	/* Nor its working directory, which it would keep busy for as long: the configuration's paths are absolute. */
	int result = posix_spawn_file_actions_addchdir_np(&actions, "/");
	pid_t pid;
	if (result == 0)
		result = posix_spawn(&pid, path, &actions, &attributes, argv, envp);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attributes);
	close(input);
	close(fds[1]);
	if (result != 0) {
		close(fds[0]);
		return -result;
	}
	*report = fds[0];
	return pid;
}

int sbx_set_window_size(int fd, unsigned short rows, unsigned short columns)
{
	struct winsize size = { .ws_row = rows, .ws_col = columns };
	return ioctl(fd, TIOCSWINSZ, &size) < 0 ? -errno : 0;
}

int sbx_random(void *buffer, size_t size)
{
	return getrandom(buffer, size, 0) == (ssize_t) size ? 0 : -errno;
}

int sbx_range_lock(int fd, bool exclusive)
{
	struct flock lock = { .l_type = exclusive ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET };
	return fcntl(fd, F_OFD_SETLK, &lock) < 0 ? -errno : 0;
}

int sbx_open_regular_in_root(const char *root, const char *path, int *fd)
{
	int root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return -errno;
	/* O_PATH first: opening a device node or a FIFO the image put there could block, or do anything. */
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	int found = (int) syscall(SYS_openat2, root_fd, path, &how, sizeof how);
	int saved = errno;
	close(root_fd);
	if (found < 0)
		return -saved;
	struct stat status;
	if (fstat(found, &status) < 0 || !S_ISREG(status.st_mode)) {
		saved = errno;
		close(found);
		return S_ISREG(status.st_mode) ? -saved : 1;
	}
	char reopen[32];
	snprintf(reopen, sizeof reopen, "/proc/self/fd/%d", found);
	*fd = open(reopen, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	saved = errno;
	close(found);
	return *fd < 0 ? -saved : 0;
}

int sbx_clone_tree(const char *source, bool recursive, int userns_fd, bool receives)
{
	int tree = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
	if (tree < 0)
		return -errno;
	/* A clone of a shared mount is its peer: what the container mounts there would reach the host. */
	struct mount_attr propagation = { .propagation = receives ? MS_SLAVE : MS_PRIVATE };
	struct mount_attr idmap = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (unsigned long long) userns_fd };
	if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &propagation, sizeof propagation) < 0 ||
	    (userns_fd >= 0 && mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &idmap, sizeof idmap) < 0)) {
		int saved = errno;
		close(tree);
		return -saved;
	}
	return tree;
}

static volatile sig_atomic_t forward_to = -1;

static void forward(int signal)
{
	int saved = errno;
	if (forward_to >= 0)
		syscall(SYS_pidfd_send_signal, (int) forward_to, signal, NULL, 0);
	errno = saved;
}

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

static sigset_t forwarded_set(void)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
		sigaddset(&set, forwarded[i]);
	return set;
}

int sbx_hold_forwarded_signals(void)
{
	sigset_t set = forwarded_set();
	return sigprocmask(SIG_BLOCK, &set, NULL) < 0 ? -errno : 0;
}

int sbx_forward_signals(int pidfd)
{
	forward_to = pidfd;
	struct sigaction action = { .sa_handler = forward, .sa_flags = SA_RESTART };
	sigemptyset(&action.sa_mask);
	for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
		if (sigaction(forwarded[i], &action, NULL) < 0)
			return -errno;
	/* Held since the clone, or blocked when sandbox was started (the mask survives execve): what came
	 * meanwhile is passed on now. */
	sigset_t set = forwarded_set();
	return sigprocmask(SIG_UNBLOCK, &set, NULL) < 0 ? -errno : 0;
}

int sbx_pidfd_open(pid_t pid)
{
	int fd = (int) syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return -errno;
	/* pidfd_open's fds are close-on-exec already (Linux 5.3); the flag is set again for clarity's sake. */
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		int saved = errno;
		close(fd);
		return -saved;
	}
	return fd;
}

int sbx_pidfd_signal(int pidfd, int signal)
{
	return syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0) < 0 ? -errno : 0;
}

int sbx_pidfd_wait(int pidfd, int timeout_ms)
{
	struct pollfd fd = { .fd = pidfd, .events = POLLIN };
	int ready;
	do
		ready = poll(&fd, 1, timeout_ms);
	while (ready < 0 && errno == EINTR);
	if (ready < 0)
		return -errno;
	return ready > 0 ? 1 : 0;
}

int sbx_is_stopped(pid_t pid)
{
	siginfo_t info = { 0 };
	if (waitid(P_PID, (id_t) pid, &info, WSTOPPED | WNOHANG | WNOWAIT) < 0)
		return -errno;
	return info.si_pid == pid && info.si_code == CLD_STOPPED ? 1 : 0;
}

int sbx_wait(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return status;
}
