#include "child_steps.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const descriptions[] = {
	[SBX_STEP_START] = "prepare the child:",
	[SBX_STEP_SYNC] = "wait for the id maps",
	[SBX_STEP_BECOME_ROOT] = "become root in the user namespace",
	[SBX_STEP_UNSHARE] = "unshare the mount and cgroup namespaces",
	[SBX_STEP_PROPAGATION] = "set mount propagation on",
	[SBX_STEP_ROOTFS] = "mount the root filesystem on",
	[SBX_STEP_MOUNT_POINT] = "create mount point",
	[SBX_STEP_NOT_DIRECTORY] = "refuse to mount on",
	[SBX_STEP_MOUNT] = "mount",
	[SBX_STEP_MOUNT_ATTRIBUTES] = "set mount attributes on",
	[SBX_STEP_DEVICE_NODE] = "make device node",
	[SBX_STEP_SYSCTL] = "write sysctl",
	[SBX_STEP_CREATE_CONTAINER_HOOK] = "run the createContainer hook",
	[SBX_STEP_PIVOT_ROOT] = "pivot_root into",
	[SBX_STEP_HOSTNAME] = "set hostname",
	[SBX_STEP_DOMAINNAME] = "set domainname",
	[SBX_STEP_LOOPBACK] = "bring up the loopback interface",
	[SBX_STEP_RLIMIT] = "set resource limit",
	[SBX_STEP_BOUNDING_SET] = "drop from the bounding set capability",
	[SBX_STEP_USER] = "switch to the user:",
	[SBX_STEP_CAPABILITIES] = "set capabilities:",
	[SBX_STEP_READ_BACK] = "verify what was set:",
	[SBX_STEP_NO_NEW_PRIVS] = "set no_new_privs",
	[SBX_STEP_SECCOMP] = "load the seccomp filter",
	[SBX_STEP_WORKDIR] = "change to working directory",
	[SBX_STEP_STDIO] = "set up standard streams",
	[SBX_STEP_START_CONTAINER_HOOK] = "run the startContainer hook",
	[SBX_STEP_INIT] = "start the init",
	[SBX_STEP_EXEC] = "exec",
	[SBX_STEP_JOIN] = "join the container:",
	[SBX_STEP_CGROUP] = "join the cgroup",
	[SBX_STEP_IO_PRIORITY] = "set the I/O priority",
	[SBX_STEP_SCHEDULER] = "set the scheduler (sched_setattr)",
	[SBX_STEP_CPU_AFFINITY] = "set the CPU affinity",
	[SBX_STEP_PERSONALITY] = "set the personality",
	[SBX_STEP_TIME_OFFSETS] = "write the time namespace's offsets",
	[SBX_STEP_JOIN_MOUNT] = "join the mount namespace (setns)",
};

const char *sbx_step_description(int32_t step)
{
	if (step < 0 || (size_t) step >= sizeof descriptions / sizeof descriptions[0] || descriptions[step] == NULL)
		return "set up the container";
	return descriptions[step];
}

/* strlcat without the libc: the child may not call anything that might lock. */
static size_t append(char *buffer, size_t used, size_t size, const char *text)
{
	while (text != NULL && *text != '\0' && used + 1 < size)
		buffer[used++] = *text++;
	buffer[used] = '\0';
	return used;
}

static _Noreturn void send_failure(int failure_fd, const struct sbx_failure *failure)
{
	ssize_t written;
	do
		written = write(failure_fd, failure, sizeof *failure);
	while (written < 0 && errno == EINTR);
	_exit(125);
}

void sbx_fail(int failure_fd, enum sbx_step step, int error, const char *detail, const char *more)
{
	struct sbx_failure failure = { .step = step, .error = error };
	size_t used = append(failure.detail, 0, sizeof failure.detail, detail);
	append(failure.detail, used, sizeof failure.detail, more);
	send_failure(failure_fd, &failure);
}

void sbx_fail_logged(int failure_fd, enum sbx_step step, int error, const char *detail, int log_fd)
{
	struct sbx_failure failure = { .step = step, .error = error };
	append(failure.detail, 0, sizeof failure.detail, detail);
	/* The context's log holds "e message" for errors, "w" and "i" for the rest; the last error says most. */
	char message[sizeof failure.kernel_message + 2];
	ssize_t got;
	while (log_fd >= 0 && (got = read(log_fd, message, sizeof message - 1)) > 0) {
		while (got > 0 && message[got - 1] == '\n')
			got--;
		message[got] = '\0';
		if (got > 2 && message[0] == 'e' && message[1] == ' ')
			append(failure.kernel_message, 0, sizeof failure.kernel_message, message + 2);
	}
	send_failure(failure_fd, &failure);
}
