/*
 * How the child tells the parent which step failed: one fixed-size record on a close-on-exec pipe.
 * A record, not text, because the child cannot format (no stdio); the parent turns it into one line.
 */
#ifndef SBX_FAILURE_H
#define SBX_FAILURE_H

#include <stdint.h>

enum sbx_step {
	SBX_STEP_START,
	SBX_STEP_SYNC,
	SBX_STEP_BECOME_ROOT,
	SBX_STEP_UNSHARE,
	SBX_STEP_PROPAGATION,
	SBX_STEP_ROOTFS,
	SBX_STEP_MOUNT_POINT,
	SBX_STEP_NOT_DIRECTORY,
	SBX_STEP_MOUNT,
	SBX_STEP_MOUNT_ATTRIBUTES,
	SBX_STEP_DEVICE_NODE,
	SBX_STEP_SYSCTL,
	SBX_STEP_CREATE_CONTAINER_HOOK,
	SBX_STEP_PIVOT_ROOT,
	SBX_STEP_HOSTNAME,
	SBX_STEP_DOMAINNAME,
	SBX_STEP_LOOPBACK,
	SBX_STEP_RLIMIT,
	SBX_STEP_BOUNDING_SET,
	SBX_STEP_USER,
	SBX_STEP_CAPABILITIES,
	SBX_STEP_READ_BACK,
	SBX_STEP_NO_NEW_PRIVS,
	SBX_STEP_SECCOMP,
	SBX_STEP_WORKDIR,
	SBX_STEP_STDIO,
	SBX_STEP_START_CONTAINER_HOOK,
	SBX_STEP_INIT,
	SBX_STEP_EXEC,
	SBX_STEP_JOIN,
	SBX_STEP_CGROUP,
	SBX_STEP_IO_PRIORITY,
	SBX_STEP_SCHEDULER,
	SBX_STEP_CPU_AFFINITY,
	SBX_STEP_PERSONALITY,
	SBX_STEP_TIME_OFFSETS,
	SBX_STEP_JOIN_MOUNT,
};

/* Records that are not failures. */
#define SBX_STEP_LISTENER 1000 /* carries the seccomp listener fd (SCM_RIGHTS) for sandbox to answer */
#define SBX_STEP_READY 1001    /* set up to the last step before execve: the container is created */
#define SBX_STEP_DETACHED 1002 /* no longer dies with its creator: it may exit */
#define SBX_STEP_MOUNTED 1003  /* mounted, before pivot_root: the parent runs its hooks, then continues it */
#define SBX_STEP_FORKED 1004   /* exec: the process that execs was cloned; error holds its pid, as the host sees it */

struct sbx_failure {
	int32_t step;
	int32_t error;
	char detail[480];
	char kernel_message[256]; /* what the kernel logged for a failed mount, if anything */
};

/* What the step was doing, e.g. "pivot_root into"; the record's detail names the object. */
const char *sbx_step_description(int32_t step);

#endif
