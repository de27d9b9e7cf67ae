/*
 * clone3 and the child's pipeline: one ordered list of steps, each with why it stands where it does.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <sched.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static void wait_for_parent(int sync_fd, int failure_fd)
{
	char go;
	ssize_t got;
	do
		got = read(sync_fd, &go, 1);
	while (got < 0 && errno == EINTR);
	if (got != 1)
		sbx_fail(failure_fd, SBX_STEP_SYNC, got < 0 ? errno : EPIPE, NULL, NULL);
	close(sync_fd);
}

static void become_root(const struct sbx_config *config, int failure_fd)
{
	if (config->setgroups_allowed && setgroups(0, NULL) < 0)
		sbx_fail(failure_fd, SBX_STEP_BECOME_ROOT, errno, "setgroups", NULL);
	if (setresgid(0, 0, 0) < 0)
		sbx_fail(failure_fd, SBX_STEP_BECOME_ROOT, errno, "setresgid", NULL);
	if (setresuid(0, 0, 0) < 0)
		sbx_fail(failure_fd, SBX_STEP_BECOME_ROOT, errno, "setresuid", NULL);
}

static void setup_stdio(const struct sbx_config *config, int failure_fd)
{
	if (config->controlling_tty && ioctl(config->stdin_fd, TIOCSCTTY, 0) < 0)
		sbx_fail(failure_fd, SBX_STEP_STDIO, errno, "controlling terminal", NULL);
	const int sources[3] = { config->stdin_fd, config->stdout_fd, config->stderr_fd };
	for (int target = 0; target < 3; target++)
		if (sources[target] != target && dup2(sources[target], target) < 0)
			sbx_fail(failure_fd, SBX_STEP_STDIO, errno, NULL, NULL);
	/* No fd of sandbox's may reach the workload, whoever opened it without O_CLOEXEC (CVE-2024-21626). */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		sbx_fail(failure_fd, SBX_STEP_STDIO, errno, "close_range", NULL);
}

/*
 * Dies with sandbox, so a killed sandbox leaves no container behind. The kernel clears the setting whenever
 * the process's ids change (commit_creds), so it is set again after each change, as runc does.
 */
static void die_with_parent(int failure_fd)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "PR_SET_PDEATHSIG", NULL);
}

static _Noreturn void run_child(const struct sbx_config *config, cap_t caps, int sync_fd, int failure_fd)
{
	/* Had sandbox died before this, the wait below reads EOF: the child holds no write end of the pipe. */
	die_with_parent(failure_fd);
	/* The workload starts with no signal blocked, whatever mask sandbox was started with. */
	sigset_t none;
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "sigprocmask", NULL);
	/* A session of its own: the caller's terminal signals reach the workload only through sandbox's forwarding. */
	if (setsid() < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "setsid", NULL);

	/* The ids are mapped by the parent; nothing below may run as the unmapped overflow id. */
	wait_for_parent(sync_fd, failure_fd);
	if (config->become_root) {
		become_root(config, failure_fd);
		die_with_parent(failure_fd);
	}

	/* After the map: the mount namespace then copies the parent's idmapped staging mounts, and is owned by ours. */
	if (config->unshare_flags != 0 && unshare((int) config->unshare_flags) < 0)
		sbx_fail(failure_fd, SBX_STEP_UNSHARE, errno, NULL, NULL);

	sbx_setup_filesystem(config, failure_fd);

	if (config->hostname != NULL && sethostname(config->hostname, strlen(config->hostname)) < 0)
		sbx_fail(failure_fd, SBX_STEP_HOSTNAME, errno, config->hostname, NULL);
	if (config->loopback_up)
		sbx_setup_loopback(failure_fd);

	/* Without no_new_privs only CAP_SYS_ADMIN may load a filter: load it while the caps are whole, and the
	 * steps after it must be syscalls the profile allows. With no_new_privs it comes as late as it can. */
	if (!config->no_new_privs)
		sbx_load_seccomp(config, failure_fd);
	sbx_apply_credentials(config, caps, failure_fd);
	die_with_parent(failure_fd);
	if (config->no_new_privs)
		sbx_load_seccomp(config, failure_fd);

	/* As the workload's user, as runc: a working directory it may not enter is an error, not a surprise. */
	if (chdir(config->workdir) < 0)
		sbx_fail(failure_fd, SBX_STEP_WORKDIR, errno, config->workdir, NULL);

	/* The init forks the workload, which then alone sets up its terminal and execs. */
	if (config->init)
		sbx_become_init(failure_fd);
	setup_stdio(config, failure_fd);
	sbx_exec_workload(config, failure_fd);
}

int sbx_report_channel(int fds[2])
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0 ? -errno : 0;
}

pid_t sbx_spawn(const struct sbx_config *config, int failure_fd, int *go_fd)
{
	/* libcap allocates: the child gets the state ready-made. */
	cap_t caps = sbx_capability_state(&config->capabilities);
	if (caps == NULL)
		return -errno;
	int go[2];
	if (pipe2(go, O_CLOEXEC) < 0) {
		int saved = errno;
		cap_free(caps);
		return -saved;
	}
	struct clone_args args = {
		.flags = config->clone_flags,
		.exit_signal = SIGCHLD,
	};
	long pid = syscall(SYS_clone3, &args, sizeof args);
	if (pid == 0) {
		close(go[1]);
		run_child(config, caps, go[0], failure_fd);
	}
	int saved = errno;
	cap_free(caps);
	close(go[0]);
	if (pid < 0) {
		close(go[1]);
		return -saved;
	}
	*go_fd = go[1];
	return (pid_t) pid;
}
