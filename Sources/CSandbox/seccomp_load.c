/*
 * The child's half of seccomp: load the program the parent compiled.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* One record with the listener attached; the filter lets exactly this sendmsg on this socket through. */
static int send_listener(int channel, int listener)
{
	struct sbx_failure record = { .step = SBX_STEP_LISTENER };
	struct iovec data = { .iov_base = &record, .iov_len = sizeof record };
	union {
		char buffer[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof control);
	struct msghdr message = {
		.msg_iov = &data, .msg_iovlen = 1, .msg_control = control.buffer, .msg_controllen = sizeof control.buffer,
	};
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);
	header->cmsg_level = SOL_SOCKET;
	header->cmsg_type = SCM_RIGHTS;
	header->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(header), &listener, sizeof(int));
	ssize_t sent;
	do
		sent = sendmsg(channel, &message, MSG_NOSIGNAL);
	while (sent < 0 && errno == EINTR);
	return sent < 0 ? -1 : 0;
}

void sbx_load_seccomp(const struct sbx_seccomp_program *seccomp, int failure_fd)
{
	if (seccomp->filter == NULL)
		return;
	struct sock_fprog program = { .len = seccomp->length, .filter = (struct sock_filter *) seccomp->filter };
	unsigned int flags = seccomp->flags | (seccomp->listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
	long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &program);
	if (listener < 0)
		sbx_fail(failure_fd, SBX_STEP_SECCOMP, errno, NULL, NULL);
	if (seccomp->listener) {
		if (send_listener(failure_fd, (int) listener) < 0)
			sbx_fail(failure_fd, SBX_STEP_SECCOMP, errno, "(sending the listener)", NULL);
		close((int) listener);
	}
}
