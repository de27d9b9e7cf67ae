/*
 * The workload's credentials: bounding set, user and groups, capability sets, no_new_privs.
 *
 * The order is the kernel's: the bounding set can be dropped only while CAP_SETPCAP is held, so first; the
 * uid changes with PR_SET_KEEPCAPS so the permitted set survives it; the sets are installed once the ids are
 * final; ambient capabilities can be raised only when already permitted and inheritable, so last.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static bool has(unsigned long long mask, int cap)
{
	return (mask >> cap) & 1;
}

/* An unsigned number as text without the libc's formatting: the detail of a failure record. */
static const char *number(char buffer[24], unsigned long long value)
{
	char *end = buffer + 23;
	*end = '\0';
	do
		*--end = (char) ('0' + value % 10);
	while ((value /= 10) > 0);
	return end;
}

/*
 * What the kernel holds now, compared with what was asked. A seccomp profile loaded before these steps (as
 * it must be without no_new_privs) can make any of them return 0 without doing it; the child then would go
 * on as root with every capability. The buffers start full, so a faked capget reads as a mismatch too.
 */
static void read_back(const struct sbx_capabilities *sets, const struct sbx_user *user, bool setgroups_allowed, int failure_fd)
{
	char text[24];

	uid_t ruid = (uid_t) -1, euid = (uid_t) -1, suid = (uid_t) -1;
	gid_t rgid = (gid_t) -1, egid = (gid_t) -1, sgid = (gid_t) -1;
	if (getresuid(&ruid, &euid, &suid) < 0 || ruid != user->uid || euid != user->uid || suid != user->uid)
		sbx_fail(failure_fd, SBX_STEP_READ_BACK, EPERM, "uid is not ", number(text, user->uid));
	if (getresgid(&rgid, &egid, &sgid) < 0 || rgid != user->gid || egid != user->gid || sgid != user->gid)
		sbx_fail(failure_fd, SBX_STEP_READ_BACK, EPERM, "gid is not ", number(text, user->gid));
	if (setgroups_allowed) {
		gid_t groups[64];
		int count = getgroups(sizeof groups / sizeof groups[0], groups);
		bool same = count >= 0 && (size_t) count == user->group_count;
		for (int i = 0; same && i < count; i++)
			same = groups[i] == user->groups[i];
		/* More groups than the buffer takes: getgroups fails with EINVAL, and only the count is compared. */
		if (count < 0 && errno == EINVAL)
			same = getgroups(0, NULL) == (int) user->group_count;
		if (!same)
			sbx_fail(failure_fd, SBX_STEP_READ_BACK, EPERM, "the supplementary groups differ", NULL);
	}

	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	memset(data, 0xff, sizeof data);
	if (syscall(SYS_capget, &header, data) < 0)
		sbx_fail(failure_fd, SBX_STEP_READ_BACK, errno, "capget", NULL);
	const struct { const char *name; unsigned long long held, wanted; } checks[] = {
		{ "permitted", data[0].permitted | (unsigned long long) data[1].permitted << 32, sets->permitted },
		{ "effective", data[0].effective | (unsigned long long) data[1].effective << 32, sets->effective },
		{ "inheritable", data[0].inheritable | (unsigned long long) data[1].inheritable << 32, sets->inheritable },
	};
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
		if (checks[i].held != checks[i].wanted)
			sbx_fail(failure_fd, SBX_STEP_READ_BACK, EPERM, "the capability set differs: ", checks[i].name);
	for (int cap = 0; cap <= sets->last; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != (has(sets->bounding, cap) ? 1 : 0))
			sbx_fail(failure_fd, SBX_STEP_READ_BACK, EPERM, "the bounding set differs at capability ", number(text, (unsigned) cap));
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) != (has(sets->ambient, cap) ? 1 : 0))
			sbx_fail(failure_fd, SBX_STEP_READ_BACK, EPERM, "the ambient set differs at capability ", number(text, (unsigned) cap));
	}
}

void sbx_apply_credentials(const struct sbx_capabilities *sets, const struct sbx_user *user, bool setgroups_allowed,
			   bool no_new_privs, cap_t caps, int failure_fd)
{
	char text[24];

	for (int cap = 0; cap <= sets->last; cap++)
		if (!has(sets->bounding, cap) && cap_drop_bound((cap_value_t) cap) < 0)
			sbx_fail(failure_fd, SBX_STEP_BOUNDING_SET, errno, number(text, (unsigned) cap), NULL);

	if (prctl(PR_SET_KEEPCAPS, 1) < 0)
		sbx_fail(failure_fd, SBX_STEP_USER, errno, "PR_SET_KEEPCAPS", NULL);
	if (setgroups_allowed && setgroups(user->group_count, (const gid_t *) user->groups) < 0)
		sbx_fail(failure_fd, SBX_STEP_USER, errno, "setgroups", NULL);
	if (setresgid(user->gid, user->gid, user->gid) < 0)
		sbx_fail(failure_fd, SBX_STEP_USER, errno, "setresgid ", number(text, user->gid));
	if (setresuid(user->uid, user->uid, user->uid) < 0)
		sbx_fail(failure_fd, SBX_STEP_USER, errno, "setresuid ", number(text, user->uid));
	if (prctl(PR_SET_KEEPCAPS, 0) < 0)
		sbx_fail(failure_fd, SBX_STEP_USER, errno, "PR_SET_KEEPCAPS", NULL);

	if (cap_set_proc(caps) < 0)
		sbx_fail(failure_fd, SBX_STEP_CAPABILITIES, errno, "capset", NULL);
	if (cap_reset_ambient() < 0)
		sbx_fail(failure_fd, SBX_STEP_CAPABILITIES, errno, "ambient", NULL);
	for (int cap = 0; cap <= sets->last; cap++)
		if (has(sets->ambient, cap) && cap_set_ambient((cap_value_t) cap, CAP_SET) < 0)
			sbx_fail(failure_fd, SBX_STEP_CAPABILITIES, errno, "ambient ", number(text, (unsigned) cap));

	read_back(sets, user, setgroups_allowed, failure_fd);

	if (no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		sbx_fail(failure_fd, SBX_STEP_NO_NEW_PRIVS, errno, NULL, NULL);
}

cap_t sbx_capability_state(const struct sbx_capabilities *sets)
{
	cap_t caps = cap_init();
	if (caps == NULL)
		return NULL;
	const struct { cap_flag_t flag; unsigned long long mask; } flags[] = {
		{ CAP_PERMITTED, sets->permitted },
		{ CAP_EFFECTIVE, sets->effective },
		{ CAP_INHERITABLE, sets->inheritable },
	};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		for (int cap = 0; cap <= sets->last; cap++) {
			cap_value_t value = (cap_value_t) cap;
			if (has(flags[i].mask, cap) && cap_set_flag(caps, flags[i].flag, 1, &value, CAP_SET) < 0) {
				cap_free(caps);
				return NULL;
			}
		}
	return caps;
}
