/*
 * The steps of the child, split by concern; spawn.c runs them in order. Internal to this target.
 * Every function here runs after clone: async-signal-safe calls only, and failures end in sbx_fail.
 */
#ifndef SBX_CHILD_STEPS_H
#define SBX_CHILD_STEPS_H

#include "sbx_child.h"

/* Writes {step, error, detail + more} to failure_fd and exits the child. */
_Noreturn void sbx_fail(int failure_fd, enum sbx_step step, int error, const char *detail, const char *more);

/* Mounts the root filesystem and the mount table inside it, then pivots into it. */
void sbx_setup_filesystem(const struct sbx_config *config, int failure_fd);

/* Brings lo up in a new network namespace. */
void sbx_setup_loopback(int failure_fd);

/* Forks the workload and stays as pid 1: forwards signals to it, reaps orphans, exits with its status. */
void sbx_become_init(int failure_fd);

/* Finds argv[0] in the container's PATH and execs it; returns only through sbx_fail. */
_Noreturn void sbx_exec_workload(const struct sbx_config *config, int failure_fd);

#endif
