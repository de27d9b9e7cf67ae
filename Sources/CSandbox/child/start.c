/*
 * Create and start as two steps: the child, set up, waits in accept() on a socket in the container's state
 * directory, and `start`, another process, connects to it. A socket rather than runc's FIFO: the child holds
 * no fd that names a host path, and the connection, close-on-exec, tells `start` whether execve succeeded.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* A seqpacket socket, and the address of name in the directory dir_fd for bind or connect, which take a path:
 * through the directory's fd it stays short whatever the state root is. The socket, or -errno. */
static int open_socket(struct sockaddr_un *address, int dir_fd, const char *name)
{
	memset(address, 0, sizeof *address);
	address->sun_family = AF_UNIX;
	int length = snprintf(address->sun_path, sizeof address->sun_path, "/proc/self/fd/%d/%s", dir_fd, name);
	if (length < 0 || (size_t) length >= sizeof address->sun_path)
		return -ENAMETOOLONG;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

int sbx_start_listen(int dir_fd, const char *name)
{
	/* A container started again (its restart policy) finds the socket of its last process there. */
	if (unlinkat(dir_fd, name, 0) < 0 && errno != ENOENT)
		return -errno;
	struct sockaddr_un address;
	int fd = open_socket(&address, dir_fd, name);
	if (fd < 0)
		return fd;
	if (bind(fd, (struct sockaddr *) &address, sizeof address) < 0 || listen(fd, 1) < 0) {
		int saved = errno;
		close(fd);
		return -saved;
	}
	return fd;
}

int sbx_start_connect(int dir_fd, const char *name, const char *state, size_t length, int *connection)
{
	if (length == 0 || length >= SBX_STATE_MAX)
		return -EMSGSIZE;
	struct sockaddr_un address;
	int fd = open_socket(&address, dir_fd, name);
	if (fd < 0)
		return fd;
	if (connect(fd, (struct sockaddr *) &address, sizeof address) < 0 || send(fd, state, length, MSG_NOSIGNAL) != (ssize_t) length) {
		int saved = errno;
		close(fd);
		return -saved;
	}
	*connection = fd;
	return 0;
}

int sbx_continue(int go_fd, const char *state, size_t length)
{
	if (length == 0 || length >= SBX_STATE_MAX)
		return -EMSGSIZE;
	ssize_t sent;
	do
		sent = send(go_fd, state, length, MSG_NOSIGNAL);
	while (sent < 0 && errno == EINTR);
	return sent == (ssize_t) length ? 0 : -(sent < 0 ? errno : EIO);
}

int sbx_order(int go_fd, enum sbx_order order)
{
	unsigned char byte = (unsigned char) order;
	ssize_t sent;
	do
		sent = send(go_fd, &byte, 1, MSG_NOSIGNAL);
	while (sent < 0 && errno == EINTR);
	return sent == 1 ? 0 : -(sent < 0 ? errno : EIO);
}

void sbx_report(int failure_fd, int32_t step)
{
	struct sbx_failure record = { .step = step };
	ssize_t sent;
	do
		sent = send(failure_fd, &record, sizeof record, MSG_NOSIGNAL);
	while (sent < 0 && errno == EINTR);
	if (sent != (ssize_t) sizeof record)
		_exit(125);
}

void sbx_wait_for_start(const struct sbx_config *config, int sync_fd, int failure_fd)
{
	sbx_report(failure_fd, SBX_STEP_READY);
	unsigned char order;
	int got = sbx_read_byte(sync_fd, &order);
	if (got != 1)
		sbx_fail(failure_fd, SBX_STEP_SYNC, got < 0 ? -got : EPIPE, "(waiting for the order to start)", NULL);
	close(sync_fd);
	if (order == SBX_ORDER_DETACH) {
		if (prctl(PR_SET_PDEATHSIG, 0) < 0)
			sbx_fail(failure_fd, SBX_STEP_START, errno, "PR_SET_PDEATHSIG", NULL);
		sbx_report(failure_fd, SBX_STEP_DETACHED);
	}
	if (order == SBX_ORDER_START)
		return;

	int connection;
	do
		connection = accept4(config->start_fd, NULL, NULL, SOCK_CLOEXEC);
	while (connection < 0 && errno == EINTR);
	if (connection < 0)
		sbx_fail(failure_fd, SBX_STEP_SYNC, errno, "(accepting start)", NULL);
	/* The go-ahead is the container's state, which the startContainer hooks read. */
	static char state[SBX_STATE_MAX];
	got = sbx_read_message(connection, state, sizeof state);
	if (got <= 0)
		_exit(125);
	close(config->start_fd);
	/* From here on `start` hears of a failure, and of execve by EOF: the connection takes the report channel's place. */
	if (dup3(connection, failure_fd, O_CLOEXEC) < 0)
		_exit(125);
	close(connection);
	sbx_run_hooks(config->start_container_hooks, config->start_container_hook_count, state, (size_t) got,
	              SBX_STEP_START_CONTAINER_HOOK, failure_fd);
}
