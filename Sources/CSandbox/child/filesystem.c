/*
 * The container's filesystem: its root, its mount table, pivot_root.
 *
 * The image is hostile. Every target is resolved once, inside the new root, with openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS), and the mount is made on that fd, never on the path again. proc and sysfs go only
 * on real directories (runc since CVE-2019-19921), and their masks are resolved beneath the fd of the mount
 * just made, so an image's symlinks cannot send a mask elsewhere. Filesystems are made with fsopen/fsmount,
 * which give that fd and the kernel's own message when an option is wrong; binds with open_tree + move_mount
 * and attributes with mount_setattr, which only ever adds flags (but an atime setting, which replaces the
 * mount's): a bind from a host mount keeps the flags the kernel locked on it.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Attaches a copy of the tree at source_fd/source_path onto target_fd, with attributes added recursively. */
/* With recursive, the mounts beneath the source come along (rbind); without, its own mount alone (bind). */
static int bind_tree(int source_fd, const char *source_path, int target_fd, unsigned long long attributes, bool recursive)
{
	unsigned int flags = (source_path[0] == '\0' ? AT_EMPTY_PATH : 0) | (recursive ? AT_RECURSIVE : 0);
	int tree = open_tree(source_fd, source_path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | flags);
	if (tree < 0)
		return -1;
	/* The atime settings are one value, not bits: the kernel takes a new one only with the old one cleared. */
	struct mount_attr attr = {
		.attr_set = attributes,
		.attr_clr = (attributes & MOUNT_ATTR__ATIME) != 0 ? MOUNT_ATTR__ATIME : 0,
	};
	int result = 0;
	if (attributes != 0)
		result = mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr);
	if (result == 0)
		result = move_mount(tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	int saved = errno;
	if (result < 0) {
		close(tree);
		errno = saved;
		return -1;
	}
	return tree;
}

/* Gives the filesystem context data's options: "key=value" as strings, a bare "key" as a flag. */
static int configure(int context, const char *data)
{
	char options[PATH_MAX];
	size_t length = strlen(data);
	if (length >= sizeof options) {
		errno = E2BIG;
		return -1;
	}
	memcpy(options, data, length + 1);
	for (char *option = options, *next; option != NULL && *option != '\0'; option = next) {
		next = strchr(option, ',');
		if (next != NULL)
			*next++ = '\0';
		char *value = strchr(option, '=');
		if (value != NULL)
			*value++ = '\0';
		int result = value != NULL ? fsconfig(context, FSCONFIG_SET_STRING, option, value, 0)
		                           : fsconfig(context, FSCONFIG_SET_FLAG, option, NULL, 0);
		if (result < 0)
			return -1;
	}
	return 0;
}

/* A new instance of fstype from source on target_fd; returns the fd of its root, or fails with the kernel's
 * message. */
static int mount_filesystem(const char *fstype, const char *source, const char *data, unsigned long long attributes,
                            int target_fd, const char *target, int failure_fd)
{
	int context = fsopen(fstype, FSOPEN_CLOEXEC);
	if (context < 0)
		sbx_fail(failure_fd, SBX_STEP_MOUNT, errno, target, NULL);
	if ((data != NULL && configure(context, data) < 0) ||
	    fsconfig(context, FSCONFIG_SET_STRING, "source", source, 0) < 0 ||
	    fsconfig(context, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		sbx_fail_logged(failure_fd, SBX_STEP_MOUNT, errno, target, context);
	int mount_fd = fsmount(context, FSMOUNT_CLOEXEC, (unsigned int) attributes);
	if (mount_fd < 0)
		sbx_fail_logged(failure_fd, SBX_STEP_MOUNT, errno, target, context);
	close(context);
	if (move_mount(mount_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		sbx_fail(failure_fd, SBX_STEP_MOUNT, errno, target, NULL);
	return mount_fd;
}

/*
 * Hides, or makes read-only, a path beneath the mount `mount_fd` (proc or sysfs). A path this kernel's
 * instance does not have is skipped; any other failure fails the start: a mask is never silently lost.
 */
static void cover(const struct sbx_mount *entry, int mount_fd, int failure_fd)
{
	int target_fd = sbx_open_beneath(mount_fd, entry->target);
	if (target_fd < 0 && errno == ENOENT)
		return;
	if (target_fd < 0)
		sbx_fail(failure_fd, SBX_STEP_MOUNT_POINT, errno, entry->target, NULL);
	int result;
	if (entry->kind == SBX_MOUNT_READONLY) {
		result = bind_tree(target_fd, "", target_fd, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, true);
	} else {
		struct stat status;
		if (fstat(target_fd, &status) < 0)
			sbx_fail(failure_fd, SBX_STEP_MOUNT, errno, entry->target, NULL);
		if (S_ISDIR(status.st_mode))
			result = mount_filesystem("tmpfs", "tmpfs", NULL, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
			                          target_fd, entry->target, failure_fd);
		else
			result = bind_tree(AT_FDCWD, "/dev/null", target_fd, 0, false);
	}
	if (result < 0)
		sbx_fail(failure_fd, SBX_STEP_MOUNT, errno, entry->target, NULL);
	close(result);
	close(target_fd);
}

/* Sets how events propagate to and from the mount mount_fd, or its whole tree with MS_REC. */
static void set_propagation(int mount_fd, unsigned long long propagation, const char *target, int failure_fd)
{
	struct mount_attr attr = { .propagation = propagation & ~(unsigned long long) MS_REC };
	unsigned int flags = AT_EMPTY_PATH | ((propagation & MS_REC) != 0 ? AT_RECURSIVE : 0);
	if (mount_setattr(mount_fd, "", flags, &attr, sizeof attr) < 0)
		sbx_fail(failure_fd, SBX_STEP_PROPAGATION, errno, target, NULL);
}

/* Whether the node already at name is the device asked for; errno EEXIST when it is something else. */
static bool is_same_node(int parent, const char *name, const struct sbx_device_node *node)
{
	struct stat status;
	if (fstatat(parent, name, &status, AT_SYMLINK_NOFOLLOW) < 0)
		return false;
	errno = EEXIST;
	return (status.st_mode & S_IFMT) == node->type && status.st_rdev == makedev(node->major, node->minor);
}

/*
 * runc's createDeviceNode: the node is made in its parent, resolved inside the root, then given its owner and
 * then its mode, last so that neither mknod's umask nor chown's clearing of set-id bits changes it. The same
 * device already there is left as it is, as runc leaves it: it may be a node bound from the host, whose owner
 * and mode are the host's.
 */
static void make_device(int root_fd, char *target, const struct sbx_mount *entry, int failure_fd)
{
	const struct sbx_device_node *node = &entry->device;
	const char *name;
	int parent = sbx_open_parent(root_fd, target, &name);
	if (parent < 0)
		sbx_fail(failure_fd, SBX_STEP_MOUNT_POINT, errno, entry->target, NULL);
	if (mknodat(parent, name, node->type | (node->mode & 07777), makedev(node->major, node->minor)) < 0) {
		if (errno != EEXIST || !is_same_node(parent, name, node))
			sbx_fail(failure_fd, SBX_STEP_DEVICE_NODE, errno, entry->target, NULL);
	} else if (fchownat(parent, name, node->uid, node->gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	           fchmodat(parent, name, node->mode & 07777, 0) < 0) {
		sbx_fail(failure_fd, SBX_STEP_DEVICE_NODE, errno, entry->target, " (owner and mode)");
	}
	close(parent);
}

/* Makes one entry; returns the fd of the mount it made (for the masks beneath it), or -1. */
/*
 * Attaches a tree the parent handed over onto target_fd, then sets its attributes: only once it is in this
 * mount namespace may the child change it.
 */
static int attach_tree(int tree, int target_fd, unsigned long long attributes)
{
	if (move_mount(tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return -1;
	struct mount_attr attr = {
		.attr_set = attributes,
		.attr_clr = (attributes & MOUNT_ATTR__ATIME) != 0 ? MOUNT_ATTR__ATIME : 0,
	};
	if (attributes != 0 && mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
		return -1;
	return tree;
}

static int apply_mount(int root_fd, const struct sbx_mount *entry, const int *mount_fds, const int *staged, int failure_fd)
{
	if (entry->kind == SBX_MOUNT_MASK || entry->kind == SBX_MOUNT_READONLY) {
		cover(entry, entry->within_root ? root_fd : mount_fds[entry->within], failure_fd);
		return -1;
	}
	if (entry->kind == SBX_MOUNT_SEAL) {
		struct mount_attr attr = { .attr_set = entry->attributes };
		int mount_fd = mount_fds[entry->within];
		if (mount_fd >= 0 && mount_setattr(mount_fd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
			sbx_fail(failure_fd, SBX_STEP_MOUNT_ATTRIBUTES, errno, entry->target, NULL);
		return -1;
	}

	char target[PATH_MAX];
	size_t length = strlen(entry->target);
	if (length >= sizeof target)
		sbx_fail(failure_fd, SBX_STEP_MOUNT_POINT, ENAMETOOLONG, entry->target, NULL);
	memcpy(target, entry->target, length + 1);

	if (entry->kind == SBX_MOUNT_SYMLINK) {
		const char *name;
		int parent = sbx_open_parent(root_fd, target, &name);
		if ((parent < 0 || symlinkat(entry->source, parent, name) < 0) && errno != EEXIST)
			sbx_fail(failure_fd, SBX_STEP_MOUNT_POINT, errno, entry->target, NULL);
		if (parent >= 0)
			close(parent);
		return -1;
	}
	if (entry->kind == SBX_MOUNT_DEVICE) {
		make_device(root_fd, target, entry, failure_fd);
		return -1;
	}

	bool directory = true;
	if (entry->kind == SBX_MOUNT_BIND || entry->kind == SBX_MOUNT_TREE) {
		struct stat source;
		int found = entry->kind == SBX_MOUNT_TREE ? fstat(staged[entry->tree], &source) : stat(entry->source, &source);
		if (found < 0)
			sbx_fail(failure_fd, SBX_STEP_MOUNT, errno, entry->source, NULL);
		directory = S_ISDIR(source.st_mode);
	}

	int target_fd;
	if (entry->real_directory) {
		target_fd = sbx_open_real_directory(root_fd, target, failure_fd);
	} else if (entry->optional) {
		target_fd = sbx_open_in_root(root_fd, target, O_PATH);
		if (target_fd < 0 && errno == ENOENT)
			return -1;
	} else {
		target_fd = sbx_open_or_create(root_fd, target, directory);
	}
	if (target_fd < 0)
		sbx_fail(failure_fd, SBX_STEP_MOUNT_POINT, errno, entry->target, NULL);

	int mount_fd;
	if (entry->kind == SBX_MOUNT_FS)
		mount_fd = mount_filesystem(entry->fstype, entry->source, entry->data, entry->attributes, target_fd, entry->target, failure_fd);
	else if (entry->kind == SBX_MOUNT_TREE)
		mount_fd = attach_tree(staged[entry->tree], target_fd, entry->attributes);
	else
		mount_fd = bind_tree(AT_FDCWD, entry->source, target_fd, entry->attributes, entry->recursive);
	if (mount_fd < 0)
		sbx_fail(failure_fd, SBX_STEP_MOUNT, errno, entry->target, NULL);
	close(target_fd);
	/* Once attached: a detached mount has no peers to share with or a master to receive from. */
	if (entry->propagation != 0)
		set_propagation(mount_fd, entry->propagation, entry->target, failure_fd);
	return mount_fd;
}

/* Attaches the image's handed trees at their staging paths, in this mount namespace only: the overlay's lower
 * layers, and its upper layer's directory when it is kept on disk. */
static void attach_staged(const struct sbx_config *config, const int *staged, int failure_fd)
{
	for (size_t i = 0; i < config->staged_path_count; i++) {
		if (move_mount(staged[i], "", AT_FDCWD, config->staged_paths[i], MOVE_MOUNT_F_EMPTY_PATH) < 0)
			sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, config->staged_paths[i], " (attaching the image)");
		close(staged[i]);
	}
}

/*
 * The mount points of the container's /, on a tmpfs over the state directory that only this namespace sees, or,
 * in the host's namespace, over a directory of its own there, private before anything is mounted beneath it;
 * and the working directory from here to pivot_root: the paths of the rootfs are relative to it.
 */
static void mount_staging(const struct sbx_config *config, int failure_fd)
{
	const char *staging = config->rootfs.staging;
	/* The working directory is the staging directory (run_child); "." never crosses a mount, so the tmpfs is
	 * entered by the fd of its root. */
	int directory = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (directory < 0)
		sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, staging, NULL);
	int tmpfs = mount_filesystem("tmpfs", "tmpfs", "mode=0755", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, directory, staging, failure_fd);
	if (fchdir(tmpfs) < 0)
		sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, staging, " (the staging tmpfs)");
	if (config->rootfs.chroot) {
		struct mount_attr private = { .propagation = MS_PRIVATE };
		if (mount_setattr(tmpfs, "", AT_EMPTY_PATH, &private, sizeof private) < 0)
			sbx_fail(failure_fd, SBX_STEP_PROPAGATION, errno, staging, NULL);
	}
	close(tmpfs);
	close(directory);
	/* A kept writable layer is staged where the layer goes (or is a path outside): there already. */
	for (size_t i = 0; i < config->staged_path_count + 2; i++) {
		const char *point = i == 0 ? config->rootfs.path : i == 1 ? config->rootfs.layer : config->staged_paths[i - 2];
		if (point != NULL && mkdir(point, 0755) < 0 && errno != EEXIST)
			sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, point, NULL);
	}
}

static int make_layer(const char *layer)
{
	int fd = open(layer, O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* A writable layer kept on disk has them already: the container's earlier runs wrote in them. */
	if (fd < 0 || (mkdirat(fd, "upper", 0755) < 0 && errno != EEXIST) || (mkdirat(fd, "work", 0755) < 0 && errno != EEXIST))
		return -1;
	close(fd);
	return 0;
}

static void mount_rootfs(const struct sbx_rootfs *rootfs, int failure_fd)
{
	int result;
	if (rootfs->layer != NULL) {
		if (make_layer(rootfs->layer) < 0)
			sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, rootfs->layer, NULL);
		result = mount("overlay", rootfs->path, "overlay", 0, rootfs->overlay_data);
	} else {
		int target = open(rootfs->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		result = target < 0 ? -1 : bind_tree(AT_FDCWD, rootfs->source, target, rootfs->host ? MOUNT_ATTR_RDONLY : 0, true);
		if (result >= 0)
			close(result);
		if (target >= 0)
			close(target);
	}
	if (result < 0)
		sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, rootfs->path, NULL);
}

/*
 * runc's pivot: the old root is stacked on the new one by pivot_root(".", "."), then detached. Without a mount
 * namespace of its own, runc's chroot: pivot_root would move the root of every process of the host's.
 */
void sbx_enter_root(const struct sbx_rootfs *rootfs, int failure_fd)
{
	const char *path = rootfs->path;
	if (rootfs->chroot) {
		if (chdir(path) < 0 || chroot(".") < 0 || chdir("/") < 0)
			sbx_fail(failure_fd, SBX_STEP_PIVOT_ROOT, errno, path, " (chroot)");
		return;
	}
	int old_root = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (old_root < 0 || chdir(path) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		sbx_fail(failure_fd, SBX_STEP_PIVOT_ROOT, errno, path, NULL);
	if (fchdir(old_root) < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		sbx_fail(failure_fd, SBX_STEP_PIVOT_ROOT, errno, path, " (detaching the old root)");
	close(old_root);
}

static bool is_cover(const struct sbx_mount *entry)
{
	return entry->kind == SBX_MOUNT_MASK || entry->kind == SBX_MOUNT_READONLY;
}

int sbx_setup_filesystem(const struct sbx_config *config, const int *staged, int failure_fd)
{
	/* Before anything is mounted, so that nothing below reaches the host: a slave receives the host's events
	 * and never sends its own, which is all a root that shares or receives needs of the host. Not in the
	 * host's own namespace, whose / is the host's business (runc makes it a slave there). */
	unsigned long long receives = config->rootfs.propagation & (MS_SHARED | MS_SLAVE);
	if (!config->rootfs.chroot && mount(NULL, "/", NULL, MS_REC | (receives != 0 ? MS_SLAVE : MS_PRIVATE), NULL) < 0)
		sbx_fail(failure_fd, SBX_STEP_PROPAGATION, errno, "/", NULL);

	mount_staging(config, failure_fd);
	attach_staged(config, staged, failure_fd);
	mount_rootfs(&config->rootfs, failure_fd);
	int root_fd = open(config->rootfs.path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		sbx_fail(failure_fd, SBX_STEP_ROOTFS, errno, config->rootfs.path, NULL);

	int mount_fds[config->mount_count + 1];
	size_t first_cover = 0;
	while (first_cover < config->mount_count && !is_cover(&config->mounts[first_cover]))
		first_cover++;
	for (size_t i = 0; i < first_cover; i++)
		mount_fds[i] = apply_mount(root_fd, &config->mounts[i], mount_fds, staged, failure_fd);
	/* Through the container's own proc, made above, and before the covers make its /proc/sys read-only. */
	sbx_write_sysctls(config, config->proc_mount < first_cover ? mount_fds[config->proc_mount] : -1, failure_fd);
	for (size_t i = first_cover; i < config->mount_count; i++)
		mount_fds[i] = apply_mount(root_fd, &config->mounts[i], mount_fds, staged, failure_fd);
	for (size_t i = 0; i < config->mount_count; i++)
		if (mount_fds[i] >= 0)
			close(mount_fds[i]);

	/* As Docker, a missing working directory is made, inside the root, before / turns read-only. It is
	 * entered by this fd after the pivot: a second lookup of the path could follow what the image changed. */
	char workdir[PATH_MAX];
	size_t length = strlen(config->workdir);
	if (length >= sizeof workdir)
		sbx_fail(failure_fd, SBX_STEP_WORKDIR, ENAMETOOLONG, config->workdir, NULL);
	memcpy(workdir, config->workdir, length + 1);
	int workdir_fd = sbx_open_or_create(root_fd, workdir, true);
	if (workdir_fd < 0)
		sbx_fail(failure_fd, SBX_STEP_WORKDIR, errno, config->workdir, NULL);

	if (config->rootfs.readonly) {
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
		if (mount_setattr(root_fd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
			sbx_fail(failure_fd, SBX_STEP_MOUNT_ATTRIBUTES, errno, "/", NULL);
	}
	close(root_fd);
	return workdir_fd;
}
