/*
 * exec's two processes. A pid namespace applies only to children, so joining takes two: the joining child,
 * cloned by sandbox, enters every namespace of the container's first process at once (setns on its pidfd,
 * Linux 5.8), then clones the process that execs, which is born in the container's pid namespace. That clone
 * takes CLONE_PARENT: the process is sandbox's own child, so sandbox waits for it and it dies with sandbox,
 * and the joining child exits at once: nothing stays between them, and no subreaper is needed. With
 * --detach, sandbox exits once the process exec'd and the process is reparented to the caller's subreaper
 * (conmon, containerd's shim), as runc's is.
 */
#define _GNU_SOURCE
#include "child_steps.h"
#include "sbx_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * The working directory, resolved inside the container's root: joining its mount namespace made that this
 * process's /, and the image's symlinks stay in the image. Opened as root, entered (fchdir) as the user, as
 * run does.
 */
static int open_workdir(const char *path, int failure_fd)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		sbx_fail(failure_fd, SBX_STEP_WORKDIR, errno, "/", NULL);
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int) syscall(SYS_openat2, root, path, &how, sizeof how);
	if (fd < 0)
		sbx_fail(failure_fd, SBX_STEP_WORKDIR, errno, path, NULL);
	close(root);
	return fd;
}

/* The process that execs: in the container's namespaces and cgroup from its first instruction. */
static _Noreturn void run_process(const struct sbx_exec_config *config, cap_t caps, int failure_fd)
{
	/* Its parent is sandbox (CLONE_PARENT), and the setting does not pass through clone. It is still
	 * non-dumpable: that does (the mm's flags are copied). */
	sbx_die_with_parent(failure_fd);
	/* A session of its own, to own its terminal; the caller's terminal signals reach it only through sandbox. */
	if (setsid() < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "setsid", NULL);
	/* A session keyring of its own too, as runc's setns init joins one, before a filter could forbid keyctl:
	 * the one inherited from sandbox is the caller's, and holds its keys. */
	if (config->new_keyring && syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "join a new session keyring", NULL);
	if (config->umask >= 0)
		umask((mode_t) config->umask);
	int workdir_fd = open_workdir(config->workdir, failure_fd);
	/* As run: while the capabilities are whole, before seccomp, which a profile may deny the calls to. */
	sbx_apply_process_attributes(&config->attributes, failure_fd);
	/* execCPUAffinity's final, what the workload runs on: this process is in the container's cgroup already,
	 * and a profile may deny sched_setaffinity. */
	if (config->initial_cpus != NULL || config->final_cpus != NULL)
		sbx_set_cpu_affinity(config->final_cpus, config->cpu_mask_size, failure_fd);

	sbx_lock_down(config->preserve_fds, &config->seccomp, &config->capabilities, &config->user, config->setgroups_allowed,
		      config->no_new_privs, caps, failure_fd);

	if (fchdir(workdir_fd) < 0)
		sbx_fail(failure_fd, SBX_STEP_WORKDIR, errno, config->workdir, NULL);
	close(workdir_fd);
	char executable[PATH_MAX];
	sbx_find_executable(config->argv[0], config->search_path, executable, failure_fd);
	const int streams[3] = { config->stdin_fd, config->stdout_fd, config->stderr_fd };
	sbx_setup_stdio(streams, config->controlling_tty, failure_fd);
	/* sandbox exits once it reads the channel's EOF, which execve causes: a detached process must not die then. */
	if (config->detach && prctl(PR_SET_PDEATHSIG, 0) < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "PR_SET_PDEATHSIG", NULL);
	sbx_exec_workload(executable, config->argv, config->envp, failure_fd);
}

static void report_forked(int failure_fd, pid_t pid)
{
	struct sbx_failure record = { .step = SBX_STEP_FORKED, .error = pid };
	ssize_t sent;
	do
		sent = send(failure_fd, &record, sizeof record, MSG_NOSIGNAL);
	while (sent < 0 && errno == EINTR);
	if (sent != (ssize_t) sizeof record)
		_exit(125);
}

static __attribute__((noreturn)) void join(const void *argument, cap_t caps, int go_fd, int failure_fd)
{
	const struct sbx_exec_config *config = argument;
	/* Before anything else, as run's child: nothing in the container may open this copy of sandbox. */
	sbx_set_dumpable(false, failure_fd);
	sbx_die_with_parent(failure_fd);
	int keep[] = { 0, 1, 2, config->stdin_fd, config->stdout_fd, config->stderr_fd, config->pidfd, go_fd, failure_fd };
	sbx_drop_inherited(keep, sizeof keep / sizeof keep[0], config->preserve_fds, failure_fd);
	/* execCPUAffinity's initial, before anything slow: joining runs on the CPUs the engine chose for it. */
	if (config->initial_cpus != NULL)
		sbx_set_cpu_affinity(config->initial_cpus, config->cpu_mask_size, failure_fd);

	/* The parent puts this process in the container's cgroup, and sets its limits, before it lets it go:
	 * the process cloned below is inside from its first instruction. */
	unsigned char go;
	int got = sbx_read_byte(go_fd, &go);
	if (got != 1)
		sbx_fail(failure_fd, SBX_STEP_SYNC, got < 0 ? -got : EPIPE, "(the container's cgroup)", NULL);
	close(go_fd);

	/* One call for all of them, the user namespace first: the kernel checks the others with the
	 * capabilities it gives. Only the children of this process are in the pid namespace. */
	if (config->namespaces != 0 && setns(config->pidfd, (int) config->namespaces) < 0)
		sbx_fail(failure_fd, SBX_STEP_JOIN, errno, "setns", NULL);
	close(config->pidfd);
	/* Joining a user namespace changed the credentials: the kernel reset both settings. */
	sbx_set_dumpable(false, failure_fd);
	sbx_die_with_parent(failure_fd);

	struct clone_args args = { .flags = CLONE_PARENT };
	long pid = syscall(SYS_clone3, &args, sizeof args);
	if (pid < 0)
		sbx_fail(failure_fd, SBX_STEP_JOIN, errno, "clone3 into its pid namespace", NULL);
	if (pid == 0)
		run_process(config, caps, failure_fd);
	report_forked(failure_fd, (pid_t) pid);
	_exit(0);
}

int sbx_exec_spawn(const struct sbx_exec_config *config, int failure_fd, struct sbx_child *child)
{
	struct clone_args args = { 0 };
	return sbx_clone_child(&args, NULL, 0, &config->capabilities, join, config, failure_fd, child);
}

int sbx_exec_set_rlimit(pid_t pid, int resource, unsigned long long soft, unsigned long long hard)
{
	struct rlimit limit = { .rlim_cur = soft, .rlim_max = hard };
	return prlimit(pid, (__rlimit_resource_t) resource, &limit, NULL) < 0 ? -errno : 0;
}
