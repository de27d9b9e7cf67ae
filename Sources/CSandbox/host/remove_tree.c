/*
 * Removing a tree a layer made, which is hostile: by fds, never by a path that a symlink could turn, nor past
 * a mount point; and with two fds at a time however deep it nests, going back up by "..", since the tree no
 * longer changes (its maker has ended).
 */
#define _GNU_SOURCE
#include "sbx_layer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_beneath(int dir_fd, const char *name)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int fd = (int) syscall(SYS_openat2, dir_fd, name, &how, sizeof how);
	return fd < 0 ? -errno : fd;
}

/*
 * Removes what dir_fd holds but the directories that are not empty, and opens the first such directory into
 * *below (-1: there was none, dir_fd is empty). 0 or -errno.
 */
static int empty(int dir_fd, int *below)
{
	*below = -1;
	int fd = dup(dir_fd);
	DIR *directory = fd < 0 ? NULL : fdopendir(fd);
	if (directory == NULL) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		return -saved;
	}
	/* The copy shares the offset of an earlier pass. */
	rewinddir(directory);
	int result = 0;
	struct dirent *entry;
	while (*below < 0 && result == 0 && (errno = 0, entry = readdir(directory)) != NULL) {
		const char *name = entry->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (unlinkat(dir_fd, name, 0) == 0 || errno == ENOENT)
			continue;
		if (errno == EISDIR && (unlinkat(dir_fd, name, AT_REMOVEDIR) == 0 || errno == ENOENT))
			continue;
		if (errno != ENOTEMPTY && errno != EEXIST)
			result = -errno;
		else if ((*below = open_beneath(dir_fd, name)) < 0)
			result = *below;
	}
	if (result == 0 && *below < 0 && errno != 0)
		result = -errno;
	closedir(directory);
	return result;
}

int sbx_remove_tree(int parent_fd, const char *name)
{
	if (unlinkat(parent_fd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR)
		return -errno;
	int fd = open_beneath(parent_fd, name);
	size_t depth = 0;
	while (fd >= 0) {
		int below;
		int result = empty(fd, &below);
		if (result < 0) {
			close(fd);
			return result;
		}
		if (below >= 0) {
			close(fd);
			fd = below;
			depth++;
			continue;
		}
		if (depth == 0)
			break;
		/* Emptied: back up, where its own removal comes with the next pass. */
		int up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = up < 0 ? -errno : up;
		depth--;
	}
	if (fd < 0)
		return fd;
	close(fd);
	return unlinkat(parent_fd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}
