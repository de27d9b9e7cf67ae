/*
 * Paths in the container's root, which the image controls: resolved by the kernel inside the root
 * (RESOLVE_IN_ROOT, no magic links), or beneath a mount's own root following no symlink at all, so that no
 * symlink an image plants can lead a mount, a mask or a node out of the container.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int sbx_open_in_root(int root_fd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long) (flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	return (int) syscall(SYS_openat2, root_fd, path, &how, sizeof how);
}

/* Beneath a mount's own root, following no symlink at all: what a mask names inside proc or sysfs. */
int sbx_open_beneath(int mount_fd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
	};
	return (int) syscall(SYS_openat2, mount_fd, path, &how, sizeof how);
}

/*
 * Opens, inside the root, the directory that holds path's last component, creating it if missing, and
 * points *name at that component. path is cut at its last slash while the parent is made, then restored.
 */
int sbx_open_parent(int root_fd, char *path, const char **name)
{
	char *slash = strrchr(path, '/');
	if (slash == NULL || slash[1] == '\0') {
		errno = EINVAL;
		return -1;
	}
	*name = slash + 1;
	if (slash == path)
		return sbx_open_in_root(root_fd, "/", O_PATH | O_DIRECTORY);
	*slash = '\0';
	int parent = sbx_open_or_create(root_fd, path, true);
	*slash = '/';
	return parent;
}

/* Opens target inside the root, creating it (and its parents) as a directory or an empty file if missing. */
int sbx_open_or_create(int root_fd, char *path, bool directory)
{
	int fd = sbx_open_in_root(root_fd, path, O_PATH);
	if (fd >= 0 || errno != ENOENT)
		return fd;

	const char *name;
	int parent = sbx_open_parent(root_fd, path, &name);
	if (parent < 0)
		return -1;
	int made = directory ? mkdirat(parent, name, 0755) : openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	int saved = errno;
	close(parent);
	if (made < 0 && saved != EEXIST) {
		errno = saved;
		return -1;
	}
	if (!directory && made >= 0)
		close(made);
	return sbx_open_in_root(root_fd, path, O_PATH);
}

/* The image's own target for proc or sysfs: made if missing, refused if it is anything but a directory. */
int sbx_open_real_directory(int root_fd, char *path, int failure_fd)
{
	int fd = sbx_open_in_root(root_fd, path, O_PATH | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return sbx_open_or_create(root_fd, path, true);
	struct stat status;
	if (fd >= 0 && fstat(fd, &status) == 0 && !S_ISDIR(status.st_mode))
		sbx_fail(failure_fd, SBX_STEP_NOT_DIRECTORY, ENOTDIR, path, NULL);
	return fd;
}
