/*
 * clone3 and the child's pipeline: one ordered list of steps, each with why it stands where it does.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <grp.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <stdint.h>
#include <sched.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Waits for the go-ahead, which the parent sends once the id maps are written, with the handed trees
 * attached (SCM_RIGHTS); they land in staged[].
 */
static void wait_for_parent(const struct sbx_config *config, int sync_fd, int *staged, int failure_fd)
{
	char go;
	struct iovec data = { .iov_base = &go, .iov_len = 1 };
	union {
		char buffer[CMSG_SPACE(sizeof(int) * SBX_MAX_STAGED)];
		struct cmsghdr align;
	} control;
	struct msghdr message = {
		.msg_iov = &data, .msg_iovlen = 1, .msg_control = control.buffer, .msg_controllen = sizeof control.buffer,
	};
	ssize_t got;
	do
		got = recvmsg(sync_fd, &message, MSG_CMSG_CLOEXEC);
	while (got < 0 && errno == EINTR);
	if (got != 1)
		sbx_fail(failure_fd, SBX_STEP_SYNC, got < 0 ? errno : EPIPE, NULL, NULL);
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);
	size_t count = 0;
	if (header != NULL && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS)
		count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	if (count != config->tree_count || (message.msg_flags & MSG_CTRUNC))
		sbx_fail(failure_fd, SBX_STEP_SYNC, EPROTO, "(the handed trees)", NULL);
	if (count > 0)
		memcpy(staged, CMSG_DATA(header), count * sizeof(int));
}

static void enter_cgroups(const struct sbx_config *config, int failure_fd)
{
	for (size_t i = 0; i < config->cgroup_task_count; i++) {
		ssize_t written;
		do
			written = write(config->cgroup_tasks[i].fd, "0", 1);
		while (written < 0 && errno == EINTR);
		if (written != 1)
			sbx_fail(failure_fd, SBX_STEP_CGROUP, written < 0 ? errno : EIO, config->cgroup_tasks[i].path, NULL);
	}
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

static __attribute__((noreturn)) void run_child(const void *argument, cap_t caps, int sync_fd, int failure_fd)
{
	const struct sbx_config *config = argument;
	/* Not dumpable before anything else, as runc: nothing in the container may ptrace this copy of sandbox or
	 * open its /proc/PID/exe (CVE-2019-5736). An unprivileged caller writes the maps into /proc/PID, which it
	 * may only while the child is dumpable: for it, not until the maps are written. */
	if (!config->caller_writes_maps)
		sbx_set_dumpable(false, failure_fd);
	/* Limited and counted from here on; the `tasks` fds go with the others below. */
	enter_cgroups(config, failure_fd);
	/* Had sandbox died before this, the wait below reads EOF: the child holds no write end of the pipe. */
	sbx_die_with_parent(failure_fd);
	/* Its state directory, entered by the fd while this is still the host's mount namespace: the one made
	 * below moves the working directory to its copy, which the child then covers (sbx_setup_filesystem). */
	if (fchdir(config->rootfs.staging_fd) < 0)
		sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, config->rootfs.staging, NULL);
	/* Only the fds the child uses stay open: whatever sandbox's runtime opened (the state directory's lock, a
	 * cache entry) is closed before anything of the container's runs, not merely marked close-on-exec: an fd
	 * left open is a way out through /proc/self/fd (CVE-2024-21626). */
	int keep[] = { 0, 1, 2, config->stdin_fd, config->stdout_fd, config->stderr_fd, config->start_fd, sync_fd, failure_fd,
	               config->mount_namespace_fd };
	sbx_drop_inherited(keep, sizeof keep / sizeof keep[0], config->preserve_fds, failure_fd);
	/* A session of its own: the caller's terminal signals reach the workload only through sandbox's forwarding. */
	if (setsid() < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "setsid", NULL);

	/* Made here rather than at clone: the kernel takes half a millisecond to make a network namespace, which
	 * clone spent in the parent before it could write the maps; here it overlaps their writing, and what it
	 * allocates is counted in the container's cgroup. */
	if (config->early_unshare_flags != 0 && unshare((int) config->early_unshare_flags) < 0)
		sbx_fail(failure_fd, SBX_STEP_UNSHARE, errno, NULL, NULL);

	/* The ids are mapped by the parent; nothing below may run as the unmapped overflow id. */
	int staged[SBX_MAX_STAGED];
	wait_for_parent(config, sync_fd, staged, failure_fd);
	if (config->caller_writes_maps)
		sbx_set_dumpable(false, failure_fd);
	if (config->become_root) {
		become_root(config, failure_fd);
		sbx_die_with_parent(failure_fd);
	}
	/* A keyring of its own, as root of its namespace and before any filter could forbid keyctl: the session
	 * keyring inherited from sandbox holds the caller's keys. */
	if (config->new_keyring && syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		sbx_fail(failure_fd, SBX_STEP_START, errno, "join a new session keyring", NULL);

	/* After the map: the mount namespace then copies the parent's idmapped staging mounts, and is owned by ours. */
	if (config->unshare_flags != 0 && unshare((int) config->unshare_flags) < 0)
		sbx_fail(failure_fd, SBX_STEP_UNSHARE, errno, NULL, NULL);
	/* Or one joined by path, where the mounts below are made (runc's order); its / and working directory
	 * become this process's, and the state directory is entered again by its path there (such a container
	 * shares the host's user namespace: its root may search the state root). */
	if (config->mount_namespace_fd >= 0) {
		if (setns(config->mount_namespace_fd, CLONE_NEWNS) < 0)
			sbx_fail(failure_fd, SBX_STEP_JOIN_MOUNT, errno, NULL, NULL);
		close(config->mount_namespace_fd);
		if (chdir(config->rootfs.staging) < 0)
			sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, config->rootfs.staging, NULL);
	}
	sbx_write_time_offsets(config->time_offsets, failure_fd);

	/* The runtime's own mount points and their parents get Docker's 0755, whatever mask the caller has. */
	mode_t inherited_umask = umask(022);
	int workdir_fd = sbx_setup_filesystem(config, staged, failure_fd);
	/* Mounted, still seeing the host's paths: the parent's prestart and createRuntime hooks run now, then the
	 * createContainer hooks here, in the container's namespaces. */
	if (config->pause_before_pivot) {
		static char state[SBX_STATE_MAX];
		sbx_report(failure_fd, SBX_STEP_MOUNTED);
		ssize_t length = sbx_read_message(sync_fd, state, sizeof state);
		if (length <= 0)
			sbx_fail(failure_fd, SBX_STEP_SYNC, length < 0 ? errno : EPIPE, "(waiting for the hooks)", NULL);
		sbx_run_hooks(config->create_container_hooks, config->create_container_hook_count, state, (size_t) length,
		              SBX_STEP_CREATE_CONTAINER_HOOK, failure_fd);
	}
	sbx_enter_root(&config->rootfs, failure_fd);
	/* After pivot_root, which refuses a shared root, on what is now the container's own / (runc's order). */
	if (config->rootfs.propagation != 0 && mount(NULL, "/", NULL, config->rootfs.propagation, NULL) < 0)
		sbx_fail(failure_fd, SBX_STEP_PROPAGATION, errno, "/", NULL);

	if (config->hostname != NULL && sethostname(config->hostname, strlen(config->hostname)) < 0)
		sbx_fail(failure_fd, SBX_STEP_HOSTNAME, errno, config->hostname, NULL);
	/* Beside the hostname, in the same new uts namespace, while CAP_SYS_ADMIN is held. */
	if (config->domainname != NULL && setdomainname(config->domainname, strlen(config->domainname)) < 0)
		sbx_fail(failure_fd, SBX_STEP_DOMAINNAME, errno, config->domainname, NULL);
	if (config->loopback_up)
		sbx_setup_loopback(failure_fd);
	/* After the filesystem, which a low RLIMIT_NOFILE would starve of fds; while the capabilities are whole,
	 * before the ids change and before seccomp, which a profile may deny setrlimit to. */
	for (size_t i = 0; i < config->rlimit_count; i++) {
		const struct sbx_rlimit *limit = &config->rlimits[i];
		struct rlimit value = { .rlim_cur = limit->soft, .rlim_max = limit->hard };
		if (setrlimit((__rlimit_resource_t) limit->resource, &value) < 0)
			sbx_fail(failure_fd, SBX_STEP_RLIMIT, errno, limit->name, NULL);
	}
	sbx_apply_process_attributes(&config->attributes, failure_fd);

	sbx_lock_down(config->preserve_fds, &config->seccomp, &config->capabilities, &config->user, config->setgroups_allowed,
		      config->no_new_privs, caps, failure_fd);

	/* As the workload's user, as runc: a working directory it may not enter is an error, not a surprise.
	 * By the fd resolved inside the root: the path could lead elsewhere by now. */
	if (fchdir(workdir_fd) < 0)
		sbx_fail(failure_fd, SBX_STEP_WORKDIR, errno, config->workdir, NULL);
	close(workdir_fd);
	/* The workload's mask, once the runtime has made every mount point and node it makes. */
	umask(config->umask >= 0 ? (mode_t) config->umask : inherited_umask);

	char executable[PATH_MAX];
	sbx_find_executable(config->argv[0], config->search_path, executable, failure_fd);
	/* The streams in place before waiting: a created container then holds none of its caller's fds but the
	 * ones it was given, as runc's init holds only its terminal. An engine reads `create`'s output until its
	 * last holder closes it (containerd's shim, for a container with a terminal). */
	const int streams[3] = { config->stdin_fd, config->stdout_fd, config->stderr_fd };
	sbx_setup_stdio(streams, false, failure_fd);
	/* Created: nothing is left to do but what `start` allows. */
	sbx_wait_for_start(config, sync_fd, failure_fd);

	/* The init forks the workload, which then alone takes the terminal, in a session of its own, and execs. */
	if (config->init)
		sbx_become_init(failure_fd);
	sbx_setup_stdio((const int[3]) { 0, 1, 2 }, config->controlling_tty, failure_fd);
	sbx_exec_workload(executable, config->argv, config->envp, failure_fd);
}

int sbx_report_channel(int fds[2])
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0 ? -errno : 0;
}

int sbx_clone_child(struct clone_args *args, const struct sbx_join *joins, size_t join_count,
		    const struct sbx_capabilities *capabilities, sbx_child_main body, const void *config, int failure_fd,
		    struct sbx_child *child)
{
	if (join_count > SBX_MAX_JOINS)
		return -E2BIG;
	/* libcap allocates: the child gets the state ready-made. */
	cap_t caps = sbx_capability_state(capabilities);
	if (caps == NULL)
		return -errno;
	int go[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, go) < 0) {
		int saved = errno;
		cap_free(caps);
		return -saved;
	}
	int own[SBX_MAX_JOINS];
	int entered = sbx_enter_namespaces(joins, join_count, own);
	if (entered < 0) {
		cap_free(caps);
		close(go[0]);
		close(go[1]);
		return entered;
	}
	int pidfd = -1;
	args->flags |= CLONE_PIDFD;
	args->pidfd = (unsigned long long) (uintptr_t) &pidfd;
	args->exit_signal = SIGCHLD;
	long pid = syscall(SYS_clone3, args, sizeof *args);
	if (pid == 0) {
		close(go[1]);
		body(config, caps, go[0], failure_fd);
	}
	int saved = errno;
	sbx_leave_namespaces(joins, join_count, own);
	cap_free(caps);
	close(go[0]);
	if (pid < 0) {
		close(go[1]);
		return -saved;
	}
	*child = (struct sbx_child) { .pid = (pid_t) pid, .pidfd = pidfd, .go_fd = go[1] };
	return 0;
}

int sbx_spawn(const struct sbx_config *config, int failure_fd, struct sbx_child *child)
{
	if (config->tree_count > SBX_MAX_STAGED)
		return -E2BIG;
	struct clone_args args = { .flags = config->clone_flags };
	if (config->into_cgroup_tree) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (unsigned long long) config->cgroup_tree_fd;
	}
	return sbx_clone_child(&args, config->joins, config->join_count, &config->capabilities, run_child, config, failure_fd,
			       child);
}

int sbx_release(int go_fd, const int *trees, size_t count)
{
	if (count > SBX_MAX_STAGED)
		return -E2BIG;
	char go = 1;
	struct iovec data = { .iov_base = &go, .iov_len = 1 };
	union {
		char buffer[CMSG_SPACE(sizeof(int) * SBX_MAX_STAGED)];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof control);
	struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1 };
	if (count > 0) {
		message.msg_control = control.buffer;
		message.msg_controllen = CMSG_SPACE(sizeof(int) * count);
		struct cmsghdr *header = CMSG_FIRSTHDR(&message);
		header->cmsg_level = SOL_SOCKET;
		header->cmsg_type = SCM_RIGHTS;
		header->cmsg_len = CMSG_LEN(sizeof(int) * count);
		memcpy(CMSG_DATA(header), trees, sizeof(int) * count);
	}
	ssize_t sent;
	do
		sent = sendmsg(go_fd, &message, MSG_NOSIGNAL);
	while (sent < 0 && errno == EINTR);
	return sent == 1 ? 0 : -(sent < 0 ? errno : EIO);
}
