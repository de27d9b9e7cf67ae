/*
 * OCI hooks: programs run around the container's life with its state on stdin. The same runner serves the
 * parent (prestart, createRuntime, poststart, poststop) and the child (createContainer, startContainer), so it
 * is async-signal-safe: pipe, fork, execve, a pidfd polled for the timeout.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Writes all of the state; a hook that does not read it gets EPIPE, which is its business, not a failure. */
static void feed(int fd, const char *state, size_t length)
{
	while (length > 0) {
		ssize_t written = write(fd, state, length);
		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			return;
		state += written;
		length -= (size_t) written;
	}
}

int sbx_hook_run(const char *path, char *const *argv, char *const *envp, int timeout, const char *state, size_t length)
{
	int input[2];
	if (pipe2(input, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int saved = errno;
		close(input[0]);
		close(input[1]);
		return -saved;
	}
	if (pid == 0) {
		/* SIGPIPE and a blocked mask would follow the hook through execve. */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(input[0], STDIN_FILENO) < 0)
			_exit(127);
		execve(path, argv, envp);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(input[0]);
	struct sigaction ignore = { .sa_handler = SIG_IGN }, previous;
	sigaction(SIGPIPE, &ignore, &previous);
	feed(input[1], state, length);
	sigaction(SIGPIPE, &previous, NULL);
	close(input[1]);

	int pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0 && timeout > 0) {
		struct pollfd ended = { .fd = pidfd, .events = POLLIN };
		int ready;
		do
			ready = poll(&ended, 1, timeout * 1000);
		while (ready < 0 && errno == EINTR);
		if (ready == 0)
			kill(pid, SIGKILL);
	}
	if (pidfd >= 0)
		close(pidfd);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return status == 0 ? 0 : (status > 0 ? status : 1);
}

void sbx_run_hooks(const struct sbx_hook *hooks, size_t count, const char *state, size_t length, enum sbx_step step, int failure_fd)
{
	for (size_t i = 0; i < count; i++) {
		int result = sbx_hook_run(hooks[i].path, hooks[i].argv, hooks[i].envp, hooks[i].timeout, state, length);
		if (result < 0)
			sbx_fail(failure_fd, step, -result, hooks[i].path, NULL);
		if (result > 0)
			sbx_fail(failure_fd, step, ECANCELED, hooks[i].path, WIFSIGNALED(result) ? " (killed: it ran out of time, or by a signal)" : " (it exited with a failure)");
	}
}

ssize_t sbx_read_message(int fd, char *buffer, size_t size)
{
	struct iovec data = { .iov_base = buffer, .iov_len = size - 1 };
	struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1 };
	ssize_t got;
	do
		got = recvmsg(fd, &message, 0);
	while (got < 0 && errno == EINTR);
	if (got < 0 || (message.msg_flags & MSG_TRUNC))
		return -1;
	buffer[got] = '\0';
	return got;
}
