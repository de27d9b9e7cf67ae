/*
 * sandbox --init: a pid 1 that is not the workload.
 *
 * A process that is pid 1 in its namespace gets no default signal actions (SIGTERM without a handler is
 * ignored) and inherits every orphan. Most programs are not written to be pid 1, so, as docker run --init
 * (tini), this forks the workload, forwards signals to it, reaps everything, and exits with its status.
 */
#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

void sbx_become_init(int failure_fd)
{
	sigset_t all, previous;
	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, &previous) < 0)
		sbx_fail(failure_fd, SBX_STEP_INIT, errno, NULL, NULL);

	pid_t workload = fork();
	if (workload < 0)
		sbx_fail(failure_fd, SBX_STEP_INIT, errno, NULL, NULL);
	if (workload == 0) {
		/* Its own session, so that it can own the terminal; the init keeps the container's. */
		if (sigprocmask(SIG_SETMASK, &previous, NULL) < 0 || setsid() < 0)
			sbx_fail(failure_fd, SBX_STEP_INIT, errno, NULL, NULL);
		return;
	}

	/* The workload reports its own exec and holds the streams; the init needs no fd at all, and keeping the
	 * caller's terminal would hold it open for as long as the container lives. It stays non-dumpable, as the
	 * child made itself first thing: nothing in the container may open /proc/1/exe (CVE-2019-5736). */
	if (close_range(0, ~0U, 0) < 0) {
		/* A seccomp profile may deny close_range: the child's own fds are few and low, what it inherited
		 * of sandbox's was closed first thing. */
		for (int fd = 0; fd < 1024; fd++)
			close(fd);
	}

	for (;;) {
		siginfo_t info;
		int signal = sigwaitinfo(&all, &info);
		if (signal < 0)
			continue;
		if (signal != SIGCHLD) {
			kill(workload, signal);
			continue;
		}
		int status;
		pid_t reaped;
		while ((reaped = waitpid(-1, &status, WNOHANG)) > 0)
			if (reaped == workload)
				_exit(exit_code(status));
	}
}
