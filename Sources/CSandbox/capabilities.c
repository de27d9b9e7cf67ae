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
#include <sys/prctl.h>
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

void sbx_apply_credentials(const struct sbx_config *config, cap_t caps, int failure_fd)
{
	const struct sbx_capabilities *sets = &config->capabilities;
	const struct sbx_user *user = &config->user;
	char text[24];

	for (int cap = 0; cap <= sets->last; cap++)
		if (!has(sets->bounding, cap) && cap_drop_bound((cap_value_t) cap) < 0)
			sbx_fail(failure_fd, SBX_STEP_BOUNDING_SET, errno, number(text, (unsigned) cap), NULL);

	if (prctl(PR_SET_KEEPCAPS, 1) < 0)
		sbx_fail(failure_fd, SBX_STEP_USER, errno, "PR_SET_KEEPCAPS", NULL);
	if (config->setgroups_allowed && setgroups(user->group_count, (const gid_t *) user->groups) < 0)
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

	if (config->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
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
