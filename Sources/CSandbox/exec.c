#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

/*
 * execvp's search, but in the container's PATH and without malloc. As execvp: a name with a slash is
 * run as is; otherwise the first directory that holds it wins, and EACCES is reported only if no
 * directory had a runnable one.
 */
void sbx_exec_workload(const struct sbx_config *config, int failure_fd)
{
	const char *name = config->argv[0];
	if (strchr(name, '/') != NULL) {
		execve(name, config->argv, config->envp);
		sbx_fail(failure_fd, SBX_STEP_EXEC, errno, name, NULL);
	}

	bool denied = false;
	const char *directory = config->search_path;
	char candidate[PATH_MAX];
	size_t name_length = strlen(name);
	while (directory != NULL && *directory != '\0') {
		const char *end = strchrnul(directory, ':');
		size_t length = (size_t) (end - directory);
		if (length == 0) {
			directory = *end ? end + 1 : end;
			continue;
		}
		if (length + 1 + name_length < sizeof candidate) {
			memcpy(candidate, directory, length);
			candidate[length] = '/';
			memcpy(candidate + length + 1, name, name_length + 1);
			execve(candidate, config->argv, config->envp);
			if (errno == EACCES)
				denied = true;
			else if (errno != ENOENT && errno != ENOTDIR)
				sbx_fail(failure_fd, SBX_STEP_EXEC, errno, name, NULL);
		}
		directory = *end ? end + 1 : end;
	}
	sbx_fail(failure_fd, SBX_STEP_EXEC, denied ? EACCES : ENOENT, name, NULL);
}
