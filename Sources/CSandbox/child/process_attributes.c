/*
 * How the kernel schedules and runs the workload: its I/O priority, CPU scheduler, CPU affinity and execution
 * domain (personality). Set in the child, not by the parent on its pid, so that the settings are the
 * process's own before anything of the container runs, and are inherited by whatever it forks (an init, its
 * workload).
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <stdint.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ioprio_set's "who": the calling process (include/uapi/linux/ioprio.h), which glibc does not declare. */
#define SBX_IOPRIO_WHO_PROCESS 1

/* sched_setattr's argument as the kernel's first version has it (SCHED_ATTR_SIZE_VER0, 48 bytes): the
 * utilization clamps after it are refused by the policy, so no later version is needed. */
struct sbx_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

void sbx_apply_process_attributes(const struct sbx_process_attributes *attributes, int failure_fd)
{
	/* The real-time class needs CAP_SYS_ADMIN (in the host's user namespace): a failure names it. */
	if (attributes->io_priority >= 0 && syscall(SYS_ioprio_set, SBX_IOPRIO_WHO_PROCESS, 0, attributes->io_priority) < 0)
		sbx_fail(failure_fd, SBX_STEP_IO_PRIORITY, errno, NULL, NULL);
	/* A real-time or deadline policy needs CAP_SYS_NICE in the host's user namespace and, where the kernel
	 * groups real-time time (cpu.rt_runtime_us), a share of it in the container's cgroup: EPERM otherwise. */
	if (attributes->scheduler.set) {
		struct sbx_sched_attr attr = {
			.size = sizeof attr,
			.sched_policy = attributes->scheduler.policy,
			.sched_flags = attributes->scheduler.flags,
			.sched_nice = attributes->scheduler.nice,
			.sched_priority = attributes->scheduler.priority,
			.sched_runtime = attributes->scheduler.runtime,
			.sched_deadline = attributes->scheduler.deadline,
			.sched_period = attributes->scheduler.period,
		};
		if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
			sbx_fail(failure_fd, SBX_STEP_SCHEDULER, errno, NULL, NULL);
	}
	/* execve keeps it: the workload's uname says i686 with PER_LINUX32. */
	if (attributes->personality >= 0 && personality((unsigned long) attributes->personality) < 0)
		sbx_fail(failure_fd, SBX_STEP_PERSONALITY, errno, NULL, NULL);
}

void sbx_set_cpu_affinity(const unsigned char *mask, size_t size, int failure_fd)
{
	/* Every CPU, as runc and crun reset it: the kernel keeps an affinity set before a cgroup move (6.2 and
	 * later), which would otherwise outlive the container's own cpuset. CPUs the cpuset lacks are left out. */
	cpu_set_t every;
	memset(&every, 0xff, sizeof every);
	if (mask == NULL) {
		mask = (const unsigned char *) &every;
		size = sizeof every;
	}
	if (sched_setaffinity(0, size, (const cpu_set_t *) (const void *) mask) < 0)
		sbx_fail(failure_fd, SBX_STEP_CPU_AFFINITY, errno, NULL, NULL);
}
