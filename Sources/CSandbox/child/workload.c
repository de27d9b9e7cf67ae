#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file execve could run: regular and executable by us (access() answers for the caller's ids). */
static int runnable(const char *path)
{
	struct stat status;
	if (stat(path, &status) < 0)
		return -errno;
	if (!S_ISREG(status.st_mode) || access(path, X_OK) < 0)
		return -EACCES;
	return 0;
}

/*
 * execvp's search, but in the container's PATH and without malloc, done before the container is reported
 * created, so that `create` fails on a missing command, as runc's does. As execvp: a name with a slash is
 * taken as is; otherwise the first directory that holds a runnable one wins, and EACCES is reported only if
 * a directory had one that is not runnable.
 */
void sbx_find_executable(const char *name, const char *search_path, char path[PATH_MAX], int failure_fd)
{
	size_t name_length = strlen(name);
	if (strchr(name, '/') != NULL) {
		if (name_length >= PATH_MAX)
			sbx_fail(failure_fd, SBX_STEP_EXEC, ENAMETOOLONG, name, NULL);
		int result = runnable(name);
		if (result < 0)
			sbx_fail(failure_fd, SBX_STEP_EXEC, -result, name, NULL);
		memcpy(path, name, name_length + 1);
		return;
	}

	bool denied = false;
	const char *directory = search_path;
	while (directory != NULL && *directory != '\0') {
		const char *end = strchrnul(directory, ':');
		size_t length = (size_t) (end - directory);
		if (length > 0 && length + 1 + name_length < PATH_MAX) {
			memcpy(path, directory, length);
			path[length] = '/';
			memcpy(path + length + 1, name, name_length + 1);
			int result = runnable(path);
			if (result == 0)
				return;
			if (result == -EACCES)
				denied = true;
			else if (result != -ENOENT && result != -ENOTDIR)
				sbx_fail(failure_fd, SBX_STEP_EXEC, -result, name, NULL);
		}
		directory = *end ? end + 1 : end;
	}
	sbx_fail(failure_fd, SBX_STEP_EXEC, denied ? EACCES : ENOENT, name, NULL);
}

void sbx_exec_workload(const char *path, char *const *argv, char *const *envp, int failure_fd)
{
	execve(path, argv, envp);
	sbx_fail(failure_fd, SBX_STEP_EXEC, errno, argv[0], NULL);
}
