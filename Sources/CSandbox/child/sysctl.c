/*
 * Namespaced kernel settings (OCI's linux.sysctl, docker run --sysctl), written by the child into its own
 * namespaces' files through the container's own proc mount, while its /proc/sys is still writable.
 *
 * Each key's file is resolved beneath that mount's sys directory, following no symlink and crossing no mount:
 * whatever a key says, it names a file of /proc/sys itself, never one elsewhere in proc (/proc/sysrq-trigger,
 * /proc/self/...) nor a file mounted over a setting.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_setting(int directory_fd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long) (flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV,
	};
	return (int) syscall(SYS_openat2, directory_fd, path, &how, sizeof how);
}

static void write_setting(int sys_fd, const struct sbx_sysctl *sysctl, int failure_fd)
{
	int fd = open_setting(sys_fd, sysctl->path, O_WRONLY);
	if (fd < 0)
		sbx_fail(failure_fd, SBX_STEP_SYSCTL, errno, sysctl->key, NULL);
	size_t length = strlen(sysctl->value);
	ssize_t written;
	do
		written = write(fd, sysctl->value, length);
	while (written < 0 && errno == EINTR);
	/* A setting is one write: the kernel parses what it got and ignores the rest of a short one. */
	if (written < 0 || (size_t) written != length)
		sbx_fail(failure_fd, SBX_STEP_SYSCTL, written < 0 ? errno : EIO, sysctl->key, NULL);
	close(fd);
}

void sbx_write_sysctls(const struct sbx_config *config, int proc_fd, int failure_fd)
{
	if (config->sysctl_count == 0)
		return;
	if (proc_fd < 0)
		sbx_fail(failure_fd, SBX_STEP_SYSCTL, ENOENT, config->sysctls[0].key, " (no /proc is mounted)");
	int sys_fd = open_setting(proc_fd, "sys", O_PATH | O_DIRECTORY);
	if (sys_fd < 0)
		sbx_fail(failure_fd, SBX_STEP_SYSCTL, errno, config->sysctls[0].key, " (/proc/sys)");
	for (size_t i = 0; i < config->sysctl_count; i++)
		write_setting(sys_fd, &config->sysctls[i], failure_fd);
	close(sys_fd);
}
