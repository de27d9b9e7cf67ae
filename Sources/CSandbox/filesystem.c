/*
 * The container's filesystem: its root, its mount table, pivot_root.
 *
 * Every target is resolved inside the new root with openat2(RESOLVE_IN_ROOT), so a symlink in an image
 * (say /proc -> /etc) cannot send a mount onto the host. Binds are made with open_tree + move_mount and
 * their attributes set with mount_setattr, which only ever adds flags: a bind from a host mount keeps the
 * flags the kernel locked on it.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_in_root(int root_fd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long) (flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	return (int) syscall(SYS_openat2, root_fd, path, &how, sizeof how);
}

static int open_or_create(int root_fd, char *path, bool directory);

/*
 * Opens, inside the root, the directory that holds path's last component, creating it if missing, and
 * points *name at that component. path is cut at its last slash while the parent is made, then restored.
 */
static int open_parent(int root_fd, char *path, const char **name)
{
	char *slash = strrchr(path, '/');
	if (slash == NULL || slash[1] == '\0') {
		errno = EINVAL;
		return -1;
	}
	*name = slash + 1;
	if (slash == path)
		return open_in_root(root_fd, "/", O_PATH | O_DIRECTORY);
	*slash = '\0';
	int parent = open_or_create(root_fd, path, true);
	*slash = '/';
	return parent;
}

/* Opens target inside the root, creating it (and its parents) as a directory or an empty file if missing. */
static int open_or_create(int root_fd, char *path, bool directory)
{
	int fd = open_in_root(root_fd, path, O_PATH);
	if (fd >= 0 || errno != ENOENT)
		return fd;

	const char *name;
	int parent = open_parent(root_fd, path, &name);
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
	return open_in_root(root_fd, path, O_PATH);
}

/* "/proc/self/fd/N": the path mount(2) takes for a target we hold open. */
static void fd_path(char buffer[32], int fd)
{
	char digits[12];
	int count = 0;
	do
		digits[count++] = (char) ('0' + fd % 10);
	while ((fd /= 10) > 0);
	memcpy(buffer, "/proc/self/fd/", 14);
	for (int i = 0; i < count; i++)
		buffer[14 + i] = digits[count - 1 - i];
	buffer[14 + count] = '\0';
}

static unsigned long mount_flags(unsigned long long attributes)
{
	unsigned long flags = 0;
	if (attributes & MOUNT_ATTR_RDONLY)
		flags |= MS_RDONLY;
	if (attributes & MOUNT_ATTR_NOSUID)
		flags |= MS_NOSUID;
	if (attributes & MOUNT_ATTR_NODEV)
		flags |= MS_NODEV;
	if (attributes & MOUNT_ATTR_NOEXEC)
		flags |= MS_NOEXEC;
	return flags;
}

/* Attaches a copy of the tree at source_fd/source_path onto target_fd, with attributes added recursively. */
static int bind_tree(int source_fd, const char *source_path, int target_fd, unsigned long long attributes)
{
	unsigned int empty = source_path[0] == '\0' ? AT_EMPTY_PATH : 0;
	int tree = open_tree(source_fd, source_path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | empty);
	if (tree < 0)
		return -1;
	struct mount_attr attr = { .attr_set = attributes };
	int result = 0;
	if (attributes != 0)
		result = mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr);
	if (result == 0)
		result = move_mount(tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	int saved = errno;
	close(tree);
	errno = saved;
	return result;
}

static void apply_mount(int root_fd, const struct sbx_mount *entry, int failure_fd)
{
	char target[PATH_MAX];
	size_t length = strlen(entry->target);
	if (length >= sizeof target)
		sbx_fail(failure_fd, SBX_STEP_MOUNT_POINT, ENAMETOOLONG, entry->target, NULL);
	memcpy(target, entry->target, length + 1);

	if (entry->kind == SBX_MOUNT_SYMLINK) {
		const char *name;
		int parent = open_parent(root_fd, target, &name);
		if ((parent < 0 || symlinkat(entry->source, parent, name) < 0) && errno != EEXIST)
			sbx_fail(failure_fd, SBX_STEP_MOUNT_POINT, errno, entry->target, NULL);
		if (parent >= 0)
			close(parent);
		return;
	}

	bool directory = true;
	if (entry->kind == SBX_MOUNT_BIND) {
		struct stat source;
		if (stat(entry->source, &source) < 0)
			sbx_fail(failure_fd, SBX_STEP_MOUNT, errno, entry->source, NULL);
		directory = S_ISDIR(source.st_mode);
	}

	int target_fd;
	if (entry->optional || entry->kind == SBX_MOUNT_MASK || entry->kind == SBX_MOUNT_READONLY) {
		target_fd = open_in_root(root_fd, target, O_PATH);
		if (target_fd < 0 && errno == ENOENT && entry->optional)
			return;
	} else {
		target_fd = open_or_create(root_fd, target, directory);
	}
	if (target_fd < 0)
		sbx_fail(failure_fd, SBX_STEP_MOUNT_POINT, errno, entry->target, NULL);

	char path[32];
	fd_path(path, target_fd);
	int result;
	switch (entry->kind) {
	case SBX_MOUNT_FS:
		result = mount(entry->source, path, entry->fstype, mount_flags(entry->attributes), entry->data);
		break;
	case SBX_MOUNT_BIND:
		result = bind_tree(AT_FDCWD, entry->source, target_fd, entry->attributes);
		break;
	case SBX_MOUNT_READONLY:
		result = bind_tree(target_fd, "", target_fd, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
		break;
	case SBX_MOUNT_MASK: {
		struct stat st;
		if (fstat(target_fd, &st) < 0)
			sbx_fail(failure_fd, SBX_STEP_MOUNT, errno, entry->target, NULL);
		if (S_ISDIR(st.st_mode))
			result = mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0");
		else
			result = bind_tree(AT_FDCWD, "/dev/null", target_fd, 0);
		break;
	}
	default:
		result = -1;
		errno = EINVAL;
	}
	if (result < 0)
		sbx_fail(failure_fd, SBX_STEP_MOUNT, errno, entry->target, NULL);
	close(target_fd);
}

static int mount_layer(const char *layer)
{
	if (mount("tmpfs", layer, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		return -1;
	int fd = open(layer, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || mkdirat(fd, "upper", 0755) < 0 || mkdirat(fd, "work", 0755) < 0)
		return -1;
	close(fd);
	return 0;
}

static void mount_rootfs(const struct sbx_rootfs *rootfs, int failure_fd)
{
	int result;
	if (rootfs->layer != NULL) {
		if (mount_layer(rootfs->layer) < 0)
			sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, rootfs->layer, NULL);
		result = mount("overlay", rootfs->path, "overlay", 0, rootfs->overlay_data);
	} else {
		int target = open(rootfs->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		result = target < 0 ? -1 : bind_tree(AT_FDCWD, "/", target, MOUNT_ATTR_RDONLY);
		if (target >= 0)
			close(target);
	}
	if (result < 0)
		sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, rootfs->path, NULL);
}

/* runc's pivot: the old root is stacked on the new one by pivot_root(".", "."), then detached. */
static void pivot_into(const char *path, int failure_fd)
{
	int old_root = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (old_root < 0 || chdir(path) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		sbx_fail(failure_fd, SBX_STEP_PIVOT_ROOT, errno, path, NULL);
	if (fchdir(old_root) < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		sbx_fail(failure_fd, SBX_STEP_PIVOT_ROOT, errno, path, " (detaching the old root)");
	close(old_root);
}

void sbx_setup_filesystem(const struct sbx_config *config, int failure_fd)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		sbx_fail(failure_fd, SBX_STEP_PROPAGATION, errno, "/", NULL);

	mount_rootfs(&config->rootfs, failure_fd);
	int root_fd = open(config->rootfs.path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, config->rootfs.path, NULL);

	for (size_t i = 0; i < config->mount_count; i++)
		apply_mount(root_fd, &config->mounts[i], failure_fd);

	/* As Docker, a missing working directory is made, inside the root, before / turns read-only. */
	char workdir[PATH_MAX];
	size_t length = strlen(config->workdir);
	if (length >= sizeof workdir)
		sbx_fail(failure_fd, SBX_STEP_WORKDIR, ENAMETOOLONG, config->workdir, NULL);
	memcpy(workdir, config->workdir, length + 1);
	int workdir_fd = open_or_create(root_fd, workdir, true);
	if (workdir_fd < 0)
		sbx_fail(failure_fd, SBX_STEP_WORKDIR, errno, config->workdir, NULL);
	close(workdir_fd);

	if (config->rootfs.readonly) {
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
		if (mount_setattr(root_fd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
			sbx_fail(failure_fd, SBX_STEP_MOUNT_ATTRIBUTES, errno, "/", NULL);
	}
	close(root_fd);
	pivot_into(config->rootfs.path, failure_fd);
}
