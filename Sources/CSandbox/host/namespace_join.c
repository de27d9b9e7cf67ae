/*
 * Joining namespaces by path (an OCI config's namespace `path`, such as podman's network namespace). The
 * parent's thread enters them just for the clone and then returns to its own: the child is born in them, and
 * joining needed the host's privileges, which a child already in a new user namespace would no longer have.
 * setns changes only the calling thread, and for pid and time namespaces only the children it makes, which is
 * what clone3 needs. Joining a user or a mount namespace this way is not possible (the thread could not come
 * back); the policy refuses those.
 */
#define _GNU_SOURCE
#include "sbx_child.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

/* The thread's own namespace of a type, to come back to: for pid and time, the one its children get. */
static const char *own_name(int type)
{
	switch (type) {
	case CLONE_NEWNET: return "net";
	case CLONE_NEWIPC: return "ipc";
	case CLONE_NEWUTS: return "uts";
	case CLONE_NEWPID: return "pid_for_children";
	case CLONE_NEWCGROUP: return "cgroup";
	case CLONE_NEWTIME: return "time_for_children";
	default: return NULL;
	}
}

int sbx_enter_namespaces(const struct sbx_join *joins, size_t count, int *saved)
{
	for (size_t i = 0; i < count; i++)
		saved[i] = -1;
	for (size_t i = 0; i < count; i++) {
		const char *name = own_name(joins[i].type);
		char path[64];
		if (name == NULL) {
			sbx_leave_namespaces(joins, i, saved);
			return -EINVAL;
		}
		snprintf(path, sizeof path, "/proc/thread-self/ns/%s", name);
		saved[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (saved[i] < 0 || setns(joins[i].fd, joins[i].type) < 0) {
			int error = errno;
			sbx_leave_namespaces(joins, i + 1, saved);
			return -error;
		}
	}
	return 0;
}

void sbx_leave_namespaces(const struct sbx_join *joins, size_t count, const int *saved)
{
	for (size_t i = count; i-- > 0;) {
		if (saved[i] < 0)
			continue;
		setns(saved[i], joins[i].type);
		close(saved[i]);
	}
}
