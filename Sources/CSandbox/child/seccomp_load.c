/*
 * The child's half of seccomp: load the program the parent compiled.
 */
#define _GNU_SOURCE
#include "child_steps.h"
#include "fd_passing.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

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
		/* One record with the listener attached; the filter lets exactly this sendmsg on this socket through. */
		struct sbx_failure record = { .step = SBX_STEP_LISTENER };
		int sent = sbx_send_fd(failure_fd, &record, sizeof record, (int) listener);
		if (sent < 0)
			sbx_fail(failure_fd, SBX_STEP_SECCOMP, -sent, "(sending the listener)", NULL);
		close((int) listener);
	}
}
