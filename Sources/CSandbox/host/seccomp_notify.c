/*
 * The parent's side of seccomp user notification, for `seccomp test` and `seccomp trace`: every syscall the
 * filter sends here waits until sandbox answers it, with an errno or "continue".
 */
#define _GNU_SOURCE
#include "sbx_seccomp.h"
#include "sbx_failure.h"
#include "fd_passing.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Answers one pending notification. ENOENT from either ioctl: the task died or was interrupted; not an error. */
static int answer(int listener, sbx_notify_decide decide, void *context)
{
	struct seccomp_notif request;
	memset(&request, 0, sizeof request);
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) < 0)
		return errno == ENOENT || errno == EINTR ? 0 : -errno;
	struct sbx_notify_answer decision = decide(context, request.data.arch, request.data.nr, (const uint64_t *) request.data.args, (pid_t) request.pid);
	struct seccomp_notif_resp response = {
		.id = request.id,
		.flags = decision.run ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0,
		.error = decision.run ? 0 : -decision.error,
	};
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

ssize_t sbx_receive_record(int channel, void *record, int *fd)
{
	return sbx_receive_fd(channel, record, sizeof(struct sbx_failure), fd);
}

int sbx_supervise_start(int channel, int *listener, void *failure, sbx_notify_decide decide, void *context)
{
	for (;;) {
		struct pollfd fds[2] = { { .fd = channel, .events = POLLIN }, { .fd = *listener, .events = POLLIN } };
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (fds[1].revents & POLLIN) {
			int result = answer(*listener, decide, context);
			if (result < 0)
				return result;
			continue;
		}
		if (!(fds[0].revents & (POLLIN | POLLHUP)))
			continue;
		struct sbx_failure record;
		int fd = -1;
		ssize_t got = sbx_receive_record(channel, &record, &fd);
		if (got < 0)
			return (int) got;
		if (got == 0)
			return 0;
		if (record.step == SBX_STEP_LISTENER && fd >= 0) {
			*listener = fd;
			continue;
		}
		memcpy(failure, &record, sizeof record);
		return 1;
	}
}

int sbx_supervise_run(int listener, sbx_notify_decide decide, void *context)
{
	for (;;) {
		struct pollfd fd = { .fd = listener, .events = POLLIN };
		if (poll(&fd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (fd.revents & POLLIN) {
			int result = answer(listener, decide, context);
			if (result < 0)
				return result;
		} else if (fd.revents & (POLLHUP | POLLERR)) {
			return 0; /* since 5.8: every task using the filter has exited */
		}
	}
}
