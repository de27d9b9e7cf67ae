/*
 * exec: a process added to a running container. It is C for the reason the container's own child is: after
 * clone only async-signal-safe calls, and setns into a user or mount namespace needs a single-threaded
 * process. The parent (Swift) decides the process and checks the container's pidfd; these steps only carry
 * it out, and report their first failure as one sbx_failure record.
 */
#ifndef SBX_EXEC_H
#define SBX_EXEC_H

#include <stdbool.h>
#include <sys/types.h>

#include "sbx_child.h"

struct sbx_exec_config {
	int pidfd;                      /* the container's first process, checked by the parent to be the one recorded */
	unsigned long long namespaces;  /* CLONE_NEW* of each of its namespaces that is not sandbox's own: all joined */
	bool setgroups_allowed;         /* false when its user namespace's setgroups is "deny" */

	struct sbx_process_attributes attributes;
	/*
	 * execCPUAffinity, as CPU masks of cpu_mask_size bytes; NULL: not given. With either, the joining child
	 * runs on initial from its first step, and the process on final (every CPU when NULL) from its execve.
	 */
	const unsigned char *initial_cpus;
	const unsigned char *final_cpus;
	size_t cpu_mask_size;
	struct sbx_capabilities capabilities;
	struct sbx_user user;
	bool no_new_privs;
	bool new_keyring;               /* join a new session keyring, as runc: the caller's is not the container's */
	struct sbx_seccomp_program seccomp; /* the container's own program; never a listener */
	int umask;                      /* -1: sandbox's own */

	const char *workdir;            /* resolved inside the container's root; it must exist */
	const char *search_path;        /* the process's PATH, used to find argv[0] */
	char *const *argv;
	char *const *envp;

	int preserve_fds;               /* fds 3 to 3+preserve_fds-1 reach the process (OCI --preserve-fds) */
	int stdin_fd, stdout_fd, stderr_fd;
	bool controlling_tty;           /* stdin is a pty slave: make it the controlling terminal */
	bool detach;                    /* it outlives sandbox (exec --detach): it stops dying with sandbox at execve */
};

/*
 * Clones the joining child, which clones the process and exits; 0 or -errno. sbx_release(child->go_fd, NULL, 0)
 * lets it join, once the parent has put it in the container's cgroup. failure_fd is the child's end
 * of a report channel (sbx_report_channel): the parent's end delivers SBX_STEP_FORKED with the pid of the
 * process that execs (sandbox's own child, to be waited for), a failure record if a step of either fails, and
 * EOF once both are done: the joining child exited, and the process exec'd.
 */
int sbx_exec_spawn(const struct sbx_exec_config *config, int failure_fd, struct sbx_child *child);

/*
 * Sets a resource limit of the joining child before it joins (prlimit, which Swift's Glibc module does not
 * declare): there it is still host root, as raising a hard limit requires. 0 or -errno.
 */
int sbx_exec_set_rlimit(pid_t pid, int resource, unsigned long long soft, unsigned long long hard);

#endif
