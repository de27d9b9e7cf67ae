/*
 * The steps of the child, split by concern; spawn.c runs them in order. Internal to this target.
 * Every function here runs after clone: async-signal-safe calls only, and failures end in sbx_fail.
 */
#ifndef SBX_CHILD_STEPS_H
#define SBX_CHILD_STEPS_H

#include <limits.h>
#include <sys/capability.h>

#include "sbx_child.h"

/* Writes {step, error, detail + more} to failure_fd and exits the child. */
_Noreturn void sbx_fail(int failure_fd, enum sbx_step step, int error, const char *detail, const char *more);

/* As sbx_fail, with what the kernel logged in the filesystem context log_fd (fsopen), if anything. */
_Noreturn void sbx_fail_logged(int failure_fd, enum sbx_step step, int error, const char *detail, int log_fd);

/*
 * Attaches the staged idmapped trees, mounts the root filesystem and the mount table inside it, then pivots
 * into it. Returns an O_PATH fd on the working directory, resolved inside the root before the pivot, for fchdir.
 */
int sbx_setup_filesystem(const struct sbx_config *config, const int *staged, int failure_fd);

/* Brings lo up in a new network namespace. */
void sbx_setup_loopback(int failure_fd);

/*
 * Drops the bounding set, switches to the workload's user keeping capabilities, then installs the
 * permitted, effective, inheritable and ambient sets from caps (built before clone: libcap allocates), reads
 * them all back, and sets no_new_privs if asked. Without setgroups_allowed (the user namespace's setgroups
 * is "deny") the supplementary groups are left as they are.
 */
void sbx_apply_credentials(const struct sbx_capabilities *sets, const struct sbx_user *user, bool setgroups_allowed,
			   bool no_new_privs, cap_t caps, int failure_fd);

/* The permitted, effective and inheritable sets as a libcap cap_t, made in the parent before clone. */
cap_t sbx_capability_state(const struct sbx_capabilities *sets);

/*
 * Loads the seccomp program; with a listener, sends its fd to the parent, whose answers the child then
 * waits on for every notifying syscall.
 */
void sbx_load_seccomp(const struct sbx_seccomp_program *seccomp, int failure_fd);

/* A record that is not a failure (SBX_STEP_READY, ...); a child that cannot report exits. */
void sbx_report(int failure_fd, int32_t step);

/*
 * Reports SBX_STEP_READY, follows the parent's order (detaching if told), then waits for `start`; returns with
 * failure_fd replaced by start's connection.
 */
void sbx_wait_for_start(const struct sbx_config *config, int sync_fd, int failure_fd);

/* Forks the workload and stays as pid 1: forwards signals to it, reaps orphans, exits with its status. */
void sbx_become_init(int failure_fd);

/* Finds name in search_path (the container's PATH), as execvp would, into path; fails the child if it is not there. */
void sbx_find_executable(const char *name, const char *search_path, char path[PATH_MAX], int failure_fd);

/* Execs the workload found at path; returns only through sbx_fail. */
_Noreturn void sbx_exec_workload(const char *path, char *const *argv, char *const *envp, int failure_fd);

/*
 * Closes every fd but those in keep (sorted in place; negative entries are ignored) and the engine's
 * preserve_fds from 3 on (process.c).
 */
void sbx_close_other_fds(int *keep, size_t count, int preserve_fds, int failure_fd);

/*
 * streams[0..2] onto 0, 1 and 2, the first made the controlling terminal if asked; the preserved fds
 * inheritable, every other fd close-on-exec.
 */
void sbx_setup_stdio(const int streams[3], bool controlling_tty, int preserve_fds, int failure_fd);

/*
 * Dies with sandbox, so a killed sandbox leaves no process behind. The kernel clears the setting whenever
 * the process's ids change (commit_creds), so it is set again after each change, as runc does.
 */
void sbx_die_with_parent(int failure_fd);

void sbx_set_dumpable(bool dumpable, int failure_fd);

#endif
