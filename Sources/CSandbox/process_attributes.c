/*
 * How the kernel schedules the workload: its I/O priority. Set in the child, not by the parent on its pid,
 * so that the setting is the process's own before anything of the container runs, and is inherited by
 * whatever it forks (an init, its workload).
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ioprio_set's "who": the calling process (include/uapi/linux/ioprio.h), which glibc does not declare. */
#define SBX_IOPRIO_WHO_PROCESS 1

void sbx_apply_process_attributes(const struct sbx_process_attributes *attributes, int failure_fd)
{
	/* The real-time class needs CAP_SYS_ADMIN (in the host's user namespace): a failure names it. */
	if (attributes->io_priority >= 0 && syscall(SYS_ioprio_set, SBX_IOPRIO_WHO_PROCESS, 0, attributes->io_priority) < 0)
		sbx_fail(failure_fd, SBX_STEP_IO_PRIORITY, errno, NULL, NULL);
}
