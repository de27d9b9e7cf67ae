/*
 * The container child: everything between clone and execve.
 *
 * Swift decides what the container is; this file's implementation does it. It is C because after clone
 * the child may make only async-signal-safe calls (no locks, no malloc, no stdio), and because
 * unshare(CLONE_NEWNS) and the mount calls must run in a single-threaded process. The child reads a flat
 * configuration the parent built before clone and reports its first failure as one sbx_failure record.
 */
#ifndef SBX_CHILD_H
#define SBX_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sbx_failure.h"

enum sbx_mount_kind {
	SBX_MOUNT_FS,        /* a new fstype instance configured by data ("key=value,flag,..."), with attributes */
	SBX_MOUNT_BIND,      /* bind source (recursively) onto target, then attributes */
	SBX_MOUNT_TREE,      /* attach the handed tree `tree` onto target, then attributes */
	SBX_MOUNT_MASK,      /* hide target: /dev/null over a file, an empty read-only tmpfs over a directory */
	SBX_MOUNT_READONLY,  /* bind target onto itself, read-only */
	SBX_MOUNT_SYMLINK,   /* symlink target -> source */
	SBX_MOUNT_DEVICE,    /* mknod target as device, then its owner and mode: a device never in a user namespace */
	SBX_MOUNT_SEAL,      /* add attributes to the mount entry `within` made, once the mounts inside it are made */
};

/* A node the child makes (runc's createDeviceNode). */
struct sbx_device_node {
	unsigned int type;  /* S_IFCHR, S_IFBLK, or S_IFIFO (numbers 0, 0) */
	unsigned int major, minor;
	unsigned int mode;  /* permission bits, set past the umask */
	unsigned int uid, gid;
};

/*
 * One step of the container's mount table. Targets are paths inside the container, resolved inside its root,
 * except for MASK and READONLY: their target is relative to the mount made by entry `within` (proc or sysfs),
 * and is resolved beneath that mount's own fd, so that nothing the image holds can redirect a mask.
 */
struct sbx_mount {
	enum sbx_mount_kind kind;
	const char *source;
	const char *target;
	const char *fstype;
	const char *data;
	unsigned long long attributes;  /* MOUNT_ATTR_*; an atime value replaces the mount's */
	unsigned long long propagation; /* MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE, | MS_REC; 0: as made */
	size_t within;                  /* MASK, READONLY, SEAL: the entry whose mount holds target */
	bool within_root;               /* ... or the container's root itself */
	bool optional;                  /* a missing target is skipped, not made */
	bool recursive;                 /* BIND: with the mounts beneath the source (rbind) */
	size_t tree;                    /* TREE: which handed tree */
	bool real_directory;            /* the image's target must be a directory, not a link (proc, sysfs) */
	struct sbx_device_node device;  /* DEVICE */
};

/*
 * The container's /. With a layer, an image is the lower layer of an overlay whose upper layer lives on the
 * staging tmpfs: the image is never written, and the container's writes vanish with its mount namespace,
 * whatever happens to sandbox. Without one, source is bound as it is.
 */
struct sbx_rootfs {
	/*
	 * The state directory, which the child covers with a tmpfs in its own mount namespace and makes path,
	 * layer and staged_paths in: the host's directory holds no mount point, so that a start makes and
	 * removes no directory on the host's /run (on ext4 here, some 0.3 ms a start). The child enters it by
	 * staging_fd, never by its path: the state root is root's alone (0700), and the container's root, mapped
	 * to other ids, may not search it. Those three paths are relative to it; the path names it in messages.
	 */
	const char *staging;
	int staging_fd;
	const char *path;         /* the mount point that becomes the container's / */
	const char *source;       /* bound as / without a layer */
	const char *layer;        /* the directory holding upper/ and work/; NULL: no overlay */
	const char *overlay_data; /* overlayfs options naming the image and layer/upper, layer/work */
	bool readonly;            /* remount / read-only once every mount point exists */
	bool host;                /* source is the host's own /: bound read-only at once, nothing is made on it */
	/*
	 * The propagation of the container's / (OCI's rootfsPropagation), as sbx_mount.propagation; 0: private,
	 * as every mount is. One that shares or receives makes the host's mounts the container's slaves, so
	 * that events reach the container; nothing it mounts ever reaches the host.
	 */
	unsigned long long propagation;
	/*
	 * The container has no mount namespace of its own (runc runs such a config): staging is a directory of
	 * the host's, whose tmpfs is made private before anything is mounted beneath it, the host's / keeps its
	 * propagation, and the root is entered with chroot, as runc enters it: pivot_root would move the host's.
	 */
	bool chroot;
};

/* A namespaced kernel setting, written through the container's own proc before /proc/sys turns read-only. */
struct sbx_sysctl {
	const char *key;   /* as given (net.ipv4.ip_forward): what a failure names */
	const char *path;  /* the file under /proc/sys (net/ipv4/ip_forward) */
	const char *value;
};

/* A resource limit of the workload (setrlimit). */
struct sbx_rlimit {
	const char *name;  /* RLIMIT_NOFILE: what a failure names */
	int resource;
	unsigned long long soft, hard; /* RLIM_INFINITY: unlimited */
};

/* How the kernel schedules and runs the workload (process_attributes.c); each part is inherited unless set. */
struct sbx_process_attributes {
	int io_priority; /* ioprio_set's value (IOPRIO_PRIO_VALUE); -1: inherited */
	int personality; /* the execution domain (PER_LINUX32); -1: inherited */
	struct {
		bool set;    /* false: inherited */
		unsigned int policy;  /* SCHED_* */
		unsigned long long flags;  /* SCHED_FLAG_* */
		int nice;
		unsigned int priority;
		unsigned long long runtime, deadline, period;  /* SCHED_DEADLINE's, in ns */
	} scheduler;
};

/* The capability sets the child installs, as 64-bit masks; libcap turns them into calls. */
struct sbx_capabilities {
	int last;                  /* the kernel's cap_last_cap */
	unsigned long long bounding, permitted, effective, inheritable, ambient;
};

/* A namespace to join rather than make: an open fd on it, and its CLONE_NEW* type. */
struct sbx_join {
	int fd;
	int type;
};

/* An OCI hook: a program run with the container's state on stdin. */
struct sbx_hook {
	const char *path;
	char *const *argv;
	char *const *envp;
	int timeout; /* seconds; 0: none */
};

/* A v1 hierarchy's `tasks` file of the container's cgroup, open for writing, and its path for a failure to name. */
struct sbx_cgroup_tasks {
	int fd;
	const char *path;
};

/* Who the workload runs as, in the container's ids. */
struct sbx_user {
	unsigned int uid, gid;
	const unsigned int *groups; /* supplementary groups */
	size_t group_count;
};

/* A BPF program compiled by the parent; the child only loads it. */
struct sbx_seccomp_program {
	const void *filter;     /* struct sock_filter[length]; NULL: no filter (unconfined) */
	unsigned short length;
	unsigned int flags;     /* SECCOMP_FILTER_FLAG_* */
	bool listener;          /* user notification: send the listener fd to the parent */
};

struct sbx_config {
	unsigned long long clone_flags;   /* namespaces the child is born in */
	const struct sbx_join *joins;     /* namespaces it is born in that exist already (net, ipc, uts, pid, cgroup, time) */
	size_t join_count;                /* at most SBX_MAX_JOINS */
	unsigned long long unshare_flags; /* namespaces it makes once its ids are mapped (mount, cgroup; time with offsets) */
	int mount_namespace_fd;           /* a mount namespace it joins there instead of making one; -1: none */
	unsigned long long early_unshare_flags; /* namespaces it makes once in its cgroups, while its ids are mapped (net, ipc) */
	const char *time_offsets;         /* for /proc/self/timens_offsets once the time namespace is unshared; NULL: none */
	bool become_root;                 /* setresuid/setresgid(0) in the new user namespace */
	bool setgroups_allowed;           /* false when /proc/PID/setgroups was set to deny */
	bool caller_writes_maps;          /* an unprivileged caller writes the id maps: stay dumpable until then */

	/*
	 * The container's cgroups, entered before the child does anything it should be counted for: clone puts it
	 * in the v2 tree (CLONE_INTO_CGROUP), and it writes "0" into each v1 hierarchy's `tasks` itself. The parent
	 * opened them; the kernel checks the opener's credentials. Why not the parent writing the pid into
	 * cgroup.procs: moving another process takes cgroup_threadgroup_rwsem for writing, which waits for an RCU
	 * grace period (5 to 10 ms here, the slowest step of a start); a thread moving itself, and a process
	 * cloned into its cgroup, take it only for reading. With one thread, the thread is the process.
	 */
	bool into_cgroup_tree;             /* clone into cgroup_tree_fd; false: no v2 tree, or the parent moves it there */
	int cgroup_tree_fd;                /* the v2 directory */
	const struct sbx_cgroup_tasks *cgroup_tasks;
	size_t cgroup_task_count;

	/*
	 * The trees the parent clones from the host, as host root, once the maps are written, and hands over with
	 * the go-ahead: the image (shifted onto the container's ids, attached at staged_paths for the overlay: an
	 * image's layers, and its writable layer when the container keeps one on disk)
	 * and the sources of binds made in a user namespace, which the container's root may not be allowed to
	 * reach on the host. The child attaches them in its own mount namespace: the host never sees them
	 * mounted, and they vanish with the child whatever happens to sandbox.
	 */
	size_t tree_count;                /* at most SBX_MAX_STAGED */
	/* Where the first staged_path_count trees are attached, in order; the trees after them are mounts'. */
	const char *const *staged_paths;
	size_t staged_path_count;

	struct sbx_rootfs rootfs;
	const struct sbx_mount *mounts;
	size_t mount_count;

	const struct sbx_sysctl *sysctls;
	size_t sysctl_count;
	size_t proc_mount;      /* the entry whose mount is the container's /proc, for the sysctls; SIZE_MAX: none */

	const char *hostname;   /* NULL: keep the host's (--uts host) */
	const char *domainname; /* NULL: keep it */
	bool loopback_up;       /* a new network namespace: bring lo up */
	const struct sbx_rlimit *rlimits;
	size_t rlimit_count;
	struct sbx_process_attributes attributes;
	struct sbx_capabilities capabilities;
	struct sbx_user user;
	bool no_new_privs;
	struct sbx_seccomp_program seccomp;

	int umask;               /* the workload's file mode creation mask; -1: inherited */
	const char *workdir;
	const char *search_path; /* the container's PATH, used to find argv[0] */
	char *const *argv;
	char *const *envp;

	/*
	 * Create and start are two steps. Set up, the child reports SBX_STEP_READY on the report channel and waits
	 * for the parent's order (sbx_order): to stay, or to detach (its creator exits; it lives on under the
	 * caller's subreaper, so it must no longer die with its parent). It then blocks in accept() on start_fd, a
	 * listening socket in the state directory, until `start` connects (sbx_start_connect); from then on its
	 * failures go to that connection, which closes at execve. -1: its parent starts it itself, with
	 * SBX_ORDER_START, and the report channel hears of the failure or closes at execve.
	 */
	int start_fd;

	/*
	 * OCI hooks the child runs itself, in the container's namespaces: createContainer before pivot_root (paths
	 * still the host's), startContainer once started. With pause_before_pivot the child first reports
	 * SBX_STEP_MOUNTED and waits for the parent, which runs prestart and createRuntime meanwhile, to send the
	 * state the hooks read; `start` sends it with its go-ahead.
	 */
	bool pause_before_pivot;
	const struct sbx_hook *create_container_hooks;
	size_t create_container_hook_count;
	const struct sbx_hook *start_container_hooks;
	size_t start_container_hook_count;

	int preserve_fds;     /* fds 3 to 3+preserve_fds-1 reach the workload (OCI --preserve-fds) */
	int stdin_fd;    /* dup'ed onto 0: the caller's stdin (-i), /dev/null, or the pty */
	int stdout_fd;   /* dup'ed onto 1 */
	int stderr_fd;   /* dup'ed onto 2 */
	bool controlling_tty; /* stdin is a pty slave: make it the controlling terminal */
	bool init;            /* run a tiny init as pid 1 in front of the workload */
	bool new_keyring;     /* join a new session keyring, as runc: the caller's is not the container's */
};

#define SBX_MAX_STAGED 64
#define SBX_MAX_JOINS 8

/*
 * The calling thread enters each namespace in joins (saving its own in saved[]) or none: 0 or -errno.
 * sbx_leave_namespaces returns it to its own.
 */
int sbx_enter_namespaces(const struct sbx_join *joins, size_t count, int *saved);
void sbx_leave_namespaces(const struct sbx_join *joins, size_t count, const int *saved);

/* What the parent holds of a child it spawned. */
struct sbx_child {
	pid_t pid;
	int pidfd;  /* signals go through it: the pid may be recycled once the child is reaped */
	int go_fd;  /* sbx_release writes the go-ahead here */
};

/*
 * Clones the child into config->clone_flags; 0 or -errno. failure_fd is the child's end of a close-on-exec
 * SOCK_SEQPACKET pair (sbx_report_channel): the parent's end delivers records, an sbx_failure if a step fails,
 * or SBX_STEP_LISTENER, SBX_STEP_READY, SBX_STEP_DETACHED.
 */
int sbx_spawn(const struct sbx_config *config, int failure_fd, struct sbx_child *child);

/* The report channel: fds[0] the parent's end, fds[1] the child's; both close-on-exec. */
int sbx_report_channel(int fds[2]);

/* The go-ahead, once the id maps are written, with the handed trees (config->tree_count of them). */
int sbx_release(int go_fd, const int *trees, size_t count);

/* After SBX_STEP_MOUNTED: go on to pivot_root, with the state the createContainer hooks read. */
int sbx_continue(int go_fd, const char *state, size_t length);

/* The most a state message may hold. */
#define SBX_STATE_MAX 65536

/* What the parent tells a child that reported SBX_STEP_READY. */
enum sbx_order {
	SBX_ORDER_STAY,   /* its parent stays and starts it */
	SBX_ORDER_DETACH, /* its parent exits: drop the parent-death signal, report SBX_STEP_DETACHED */
	/*
	 * Its parent, which stays, starts it now (a child with no start_fd): a `sandbox run` in the foreground,
	 * whose spec has no hooks, needs no socket, no second process and no state to hand over.
	 */
	SBX_ORDER_START,
};

int sbx_order(int go_fd, enum sbx_order order);

/* A listening socket named `name` in the directory dir_fd, for the child's start_fd; close-on-exec. */
int sbx_start_listen(int dir_fd, const char *name);

/*
 * `start`: connects to the socket `name` in dir_fd and releases the child waiting there. *connection then
 * delivers a failure record if execve fails, and EOF once it succeeded. -ECONNREFUSED: nobody waits there.
 */
int sbx_start_connect(int dir_fd, const char *name, const char *state, size_t length, int *connection);

/*
 * Runs the hook path (argv, envp) with state on its stdin, killing it after timeout seconds (0: never): 0 when
 * it exits 0; otherwise -errno, or its wait status as a positive number. Async-signal-safe: the child uses it.
 */
int sbx_hook_run(const char *path, char *const *argv, char *const *envp, int timeout, const char *state, size_t length);

#endif
