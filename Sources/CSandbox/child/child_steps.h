/*
 * The steps of the child, split by concern; spawn.c runs them in order. Internal to this target.
 * Every function here but sbx_clone_child runs after clone: async-signal-safe calls only, and failures end in
 * sbx_fail.
 */
#ifndef SBX_CHILD_STEPS_H
#define SBX_CHILD_STEPS_H

#include <limits.h>
#include <sys/capability.h>

#include "sbx_child.h"

/*
 * What a child cloned by sbx_clone_child runs, from its first instruction: config is its flat configuration,
 * caps the capability state made for it before the clone, go_fd its end of the go-ahead pair. It ends in
 * execve or in sbx_fail.
 */
typedef void (*sbx_child_main)(const void *config, cap_t caps, int go_fd, int failure_fd) __attribute__((noreturn));

struct clone_args;

/*
 * The one function here that runs in the parent, before the clone: the prologue run's child and exec's joining
 * child share. It makes libcap's state from capabilities (libcap allocates, which the child may not) and the
 * go-ahead pair, enters joins (a thread's setns) for the clone alone, and clones with args, CLONE_PIDFD added
 * and SIGCHLD its exit signal; the child runs body. The parent's end of the go-ahead goes in child; 0 or -errno.
 */
int sbx_clone_child(struct clone_args *args, const struct sbx_join *joins, size_t join_count,
		    const struct sbx_capabilities *capabilities, sbx_child_main body, const void *config, int failure_fd,
		    struct sbx_child *child);

/* Writes {step, error, detail + more} to failure_fd and exits the child. */
_Noreturn void sbx_fail(int failure_fd, enum sbx_step step, int error, const char *detail, const char *more);

/* As sbx_fail, with what the kernel logged in the filesystem context log_fd (fsopen), if anything. */
_Noreturn void sbx_fail_logged(int failure_fd, enum sbx_step step, int error, const char *detail, int log_fd);

/* Opens path as it resolves inside the root root_fd (resolve.c). */
int sbx_open_in_root(int root_fd, const char *path, int flags);

/* Opens path (O_PATH) beneath the mount mount_fd, following no symlink: what a mask names in proc or sysfs. */
int sbx_open_beneath(int mount_fd, const char *path);

/* Opens, inside the root, the directory holding path's last component, made if missing; *name: that component. */
int sbx_open_parent(int root_fd, char *path, const char **name);

/* Opens path (O_PATH) inside the root, made with its parents, as a directory or an empty file, if missing. */
int sbx_open_or_create(int root_fd, char *path, bool directory);

/* The image's own directory for proc or sysfs: made if missing, refused (a failure) if not a directory. */
int sbx_open_real_directory(int root_fd, char *path, int failure_fd);

/*
 * Attaches the staged idmapped trees, mounts the root filesystem and the mount table inside it. Returns an
 * O_PATH fd on the working directory, resolved inside the root before the pivot, for fchdir.
 */
int sbx_setup_filesystem(const struct sbx_config *config, const int *staged, int failure_fd);

/* Makes the mounted root the container's /: pivot_root, detaching the old one, or chroot (rootfs->chroot). */
void sbx_enter_root(const struct sbx_rootfs *rootfs, int failure_fd);

/*
 * Runs hooks in order, each given the container's state (JSON) on stdin; the first that fails or outlives its
 * timeout fails the child, naming it.
 */
void sbx_run_hooks(const struct sbx_hook *hooks, size_t count, const char *state, size_t length, enum sbx_step step, int failure_fd);

/* Reads one message from fd into buffer (at most size - 1 bytes, NUL-terminated); its length, or -1. */
ssize_t sbx_read_message(int fd, char *buffer, size_t size);
/*
 * Writes config's sysctls through proc_fd, the container's own proc mount (-1: none is mounted, a failure if
 * there are any).
 */
void sbx_write_sysctls(const struct sbx_config *config, int proc_fd, int failure_fd);

/* Sets what attributes asks for of how the kernel schedules this process (process_attributes.c). */
void sbx_apply_process_attributes(const struct sbx_process_attributes *attributes, int failure_fd);

/* Runs this process on the CPUs in mask (size bytes, as cpu_set_t); NULL: on every CPU. */
void sbx_set_cpu_affinity(const unsigned char *mask, size_t size, int failure_fd);

/* Writes offsets (NULL: none) to /proc/self/timens_offsets: the time namespace unshared, not yet entered. */
void sbx_write_time_offsets(const char *offsets, int failure_fd);

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
 * Sheds what the child inherited of sandbox's runtime before anything of the container's runs: closes every fd
 * but those in keep (sorted in place; negative entries are ignored) and the engine's preserve_fds from 3 on,
 * not merely marks them close-on-exec (an fd left open is a way out through /proc/self/fd, CVE-2024-21626),
 * and unblocks every signal, whatever mask sandbox was started with (process.c).
 */
void sbx_drop_inherited(int *keep, size_t count, int preserve_fds, int failure_fd);

/* Reads the one byte the parent sends as a go-ahead or an order, again after EINTR: 1, 0 at EOF (the parent
 * is gone), or -errno. */
int sbx_read_byte(int fd, unsigned char *byte);

/*
 * Every fd from 3 on close-on-exec but the preserved ones, which are made inheritable. Before the seccomp
 * filter is loaded: a profile may deny close_range (runtime-tools' default one does).
 */
void sbx_mark_close_on_exec(int preserve_fds, int failure_fd);

/* streams[0..2] onto 0, 1 and 2, the first made the controlling terminal if asked. */
void sbx_setup_stdio(const int streams[3], bool controlling_tty, int failure_fd);

/*
 * Dies with sandbox, so a killed sandbox leaves no process behind. The kernel clears the setting whenever
 * the process's ids change (commit_creds), so it is set again after each change, as runc does.
 */
void sbx_die_with_parent(int failure_fd);

void sbx_set_dumpable(bool dumpable, int failure_fd);

/*
 * The one order in which the container's first process and an exec'd one give up sandbox's privileges, once
 * their rlimits and attributes are set: every fd close-on-exec but the preserved ones, the seccomp filter
 * (first without no_new_privs, last with it), the bounding set, ids and capabilities (sbx_apply_credentials),
 * non-dumpable again, death with sandbox.
 */
void sbx_lock_down(int preserve_fds, const struct sbx_seccomp_program *seccomp, const struct sbx_capabilities *sets,
		   const struct sbx_user *user, bool setgroups_allowed, bool no_new_privs, cap_t caps, int failure_fd);

#endif
