/*
 * The clock offsets of the container's time namespace. The kernel takes them only while no process is in the
 * namespace, so the child unshares it rather than being cloned into it: the namespace then holds nobody until
 * the child's execve (or a fork) enters it, and the offsets are written between the two.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

void sbx_write_time_offsets(const char *offsets, int failure_fd)
{
	if (offsets == NULL)
		return;
	int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		sbx_fail(failure_fd, SBX_STEP_TIME_OFFSETS, errno, "/proc/self/timens_offsets", NULL);
	/* One write: the kernel takes every clock's line of a write at once, or none. */
	size_t length = strlen(offsets);
	ssize_t written = write(fd, offsets, length);
	if (written < 0 || (size_t) written != length)
		sbx_fail(failure_fd, SBX_STEP_TIME_OFFSETS, written < 0 ? errno : EIO, NULL, NULL);
	close(fd);
}
