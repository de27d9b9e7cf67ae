/*
 * What every child of sandbox does to itself before anything of a container's runs, whether it becomes the
 * container (spawn.c) or joins a running one (exec_spawn.c): keep only its own fds, hand the workload its
 * streams, lock itself down in one order, stay non-dumpable, die with sandbox.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

void sbx_drop_inherited(int *keep, size_t count, int preserve_fds, int failure_fd)
{
	for (size_t i = 1; i < count; i++)
		for (size_t j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int swap = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = swap;
		}
	/* The fds an engine asked to pass on sit at 3 and above, below any of sandbox's own. */
	unsigned int from = preserve_fds > 0 ? 3 + (unsigned int) preserve_fds : 0;
	for (size_t i = 0; i < count; i++) {
		if (keep[i] < 0 || (unsigned int) keep[i] < from)
			continue;
		if ((unsigned int) keep[i] > from && close_range(from, (unsigned int) keep[i] - 1, 0) < 0)
			sbx_fail(failure_fd, SBX_STEP_START, errno, "close_range", NULL);
		from = (unsigned int) keep[i] + 1;
	}
	if (close_range(from, ~0U, 0) < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "close_range", NULL);
	sigset_t none;
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "sigprocmask", NULL);
}

int sbx_read_byte(int fd, unsigned char *byte)
{
	ssize_t got;
	do
		got = read(fd, byte, 1);
	while (got < 0 && errno == EINTR);
	return got < 0 ? -errno : (int) got;
}

void sbx_setup_stdio(const int streams[3], bool controlling_tty, int failure_fd)
{
	if (controlling_tty && ioctl(streams[0], TIOCSCTTY, 0) < 0)
		sbx_fail(failure_fd, SBX_STEP_STDIO, errno, "controlling terminal", NULL);
	for (int target = 0; target < 3; target++)
		if (streams[target] != target && dup2(streams[target], target) < 0)
			sbx_fail(failure_fd, SBX_STEP_STDIO, errno, NULL, NULL);
}

void sbx_mark_close_on_exec(int preserve_fds, int failure_fd)
{
	/* No fd of sandbox's may reach the workload, whoever opened it without O_CLOEXEC (CVE-2024-21626); the
	 * ones an engine passed on must, whatever their flag. */
	for (int fd = 3; fd < 3 + preserve_fds; fd++)
		if (fcntl(fd, F_SETFD, 0) < 0)
			sbx_fail(failure_fd, SBX_STEP_STDIO, errno, "preserved fd", NULL);
	if (close_range(3 + (unsigned int) preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		sbx_fail(failure_fd, SBX_STEP_STDIO, errno, "close_range", NULL);
}

void sbx_die_with_parent(int failure_fd)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "PR_SET_PDEATHSIG", NULL);
}

void sbx_set_dumpable(bool dumpable, int failure_fd)
{
	if (prctl(PR_SET_DUMPABLE, dumpable ? 1 : 0, 0, 0, 0) < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "PR_SET_DUMPABLE", NULL);
}

void sbx_lock_down(int preserve_fds, const struct sbx_seccomp_program *seccomp, const struct sbx_capabilities *sets,
		   const struct sbx_user *user, bool setgroups_allowed, bool no_new_privs, cap_t caps, int failure_fd)
{
	/* Before the filter: a profile may deny close_range. */
	sbx_mark_close_on_exec(preserve_fds, failure_fd);
	/* Without no_new_privs only CAP_SYS_ADMIN may load a filter: load it while the caps are whole, and the
	 * steps after it must be syscalls the profile allows. With no_new_privs it comes as late as it can. */
	if (!no_new_privs)
		sbx_load_seccomp(seccomp, failure_fd);
	sbx_apply_credentials(sets, user, setgroups_allowed, no_new_privs, caps, failure_fd);
	/* Changing ids resets dumpable to fs.suid_dumpable, which a host may have set to 1: the container must not
	 * open /proc/PID/exe, sandbox's binary, before execve replaces it (CVE-2019-5736). */
	sbx_set_dumpable(false, failure_fd);
	sbx_die_with_parent(failure_fd);
	if (no_new_privs)
		sbx_load_seccomp(seccomp, failure_fd);
}
