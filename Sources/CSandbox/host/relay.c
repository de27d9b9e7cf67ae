/*
 * The relay between the caller's streams and a process's, with a terminal (the pty master) or without (pipes):
 * the caller's own fds, its terminal among them, never enter the container. It ends with the process: what
 * the process wrote is passed on; what a process it left behind writes is passed on for a moment only (a pty
 * passes a write on asynchronously, through a kernel worker), and the caller's input never reaches it.
 */
#define _GNU_SOURCE
#include "sbx_host.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

/* How long output is still passed on once the process has ended, if something else holds it open. */
#define LINGER_MS 100

enum { CALLER, INPUT, OUTPUT, ERRORS, END, SLOTS };

static long long now_ms(void)
{
	struct timespec time;
	clock_gettime(CLOCK_MONOTONIC, &time);
	return (long long) time.tv_sec * 1000 + time.tv_nsec / 1000000;
}

/* Writes all of buffer to one of the caller's fds, which may be non-blocking; false when it is gone. */
static bool write_all(int fd, const char *buffer, ssize_t length)
{
	while (length > 0) {
		ssize_t written = write(fd, buffer, (size_t) length);
		if (written < 0 && errno == EAGAIN) {
			struct pollfd writable = { .fd = fd, .events = POLLOUT };
			poll(&writable, 1, -1);
			continue;
		}
		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			return false;
		buffer += written;
		length -= written;
	}
	return true;
}

/* What became of one of the process's streams after a read. */
enum flow { FLOWING, ENDED, REFUSED };

/*
 * Copies what one of the process's streams has to the caller's fd (-1: drops it): ENDED at its end (EOF; EIO for a
 * pty whose every slave closed), REFUSED when the caller takes no more (EPIPE: it stopped reading).
 */
static enum flow pass_on(int from, int to)
{
	char buffer[16384];
	ssize_t got = read(from, buffer, sizeof buffer);
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? FLOWING : ENDED;
	if (got == 0)
		return ENDED;
	return to < 0 || write_all(to, buffer, got) ? FLOWING : REFUSED;
}

int sbx_relay(int pidfd, int input, int output, int errors, bool terminal)
{
	struct pollfd fds[SLOTS] = {
		[CALLER] = { .fd = input >= 0 ? STDIN_FILENO : -1, .events = POLLIN },
		[INPUT] = { .fd = -1, .events = POLLOUT },
		[OUTPUT] = { .fd = output, .events = POLLIN },
		[ERRORS] = { .fd = errors, .events = POLLIN },
		[END] = { .fd = pidfd, .events = POLLIN },
	};
	int to[SLOTS] = { [OUTPUT] = STDOUT_FILENO, [ERRORS] = STDERR_FILENO };
	int result = 0;
	const int ends[] = { input, output, errors };
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
		if (ends[i] >= 0 && fcntl(ends[i], F_SETFL, fcntl(ends[i], F_GETFL) | O_NONBLOCK) < 0)
			result = -errno;
	/* A write to a process that closed its stdin, or to a caller that closed its stdout, fails with EPIPE. */
	struct sigaction ignore = { .sa_handler = SIG_IGN }, saved_pipe;
	bool ignoring = result == 0 && sigaction(SIGPIPE, &ignore, &saved_pipe) == 0;
	if (result == 0 && !ignoring)
		result = -errno;

	char pending[16384];
	ssize_t pending_length = 0, pending_offset = 0;
	bool caller_ended = false;
	long long ended_at = -1;
	while (result == 0 && (fds[OUTPUT].fd >= 0 || fds[ERRORS].fd >= 0 || ended_at < 0)) {
		int timeout = -1;
		if (ended_at >= 0 && (timeout = (int) (ended_at + LINGER_MS - now_ms())) <= 0)
			break;
		if (poll(fds, SLOTS, timeout) < 0) {
			if (errno != EINTR)
				result = -errno;
			continue;
		}
		if (fds[END].revents != 0) {
			ended_at = now_ms();
			fds[END].fd = fds[CALLER].fd = fds[INPUT].fd = -1;
		}
		for (int slot = OUTPUT; slot <= ERRORS; slot++) {
			if (fds[slot].revents == 0 || fds[slot].fd < 0)
				continue;
			enum flow flow = pass_on(fds[slot].fd, to[slot]);
			/* A caller that stopped reading: the process's next write to a pipe fails, as it would have
			 * written to the caller's own; a terminal, its input too, is read on and dropped. */
			if (flow == REFUSED && terminal) {
				to[slot] = -1;
			} else if (flow != FLOWING) {
				if (!terminal)
					close(fds[slot].fd);
				fds[slot].fd = -1;
			}
		}
		if (fds[CALLER].revents != 0 && fds[CALLER].fd >= 0) {
			pending_length = read(STDIN_FILENO, pending, sizeof pending);
			pending_offset = 0;
			if (pending_length > 0) {
				fds[CALLER].fd = -1;
				fds[INPUT].fd = input;
				fds[INPUT].revents = POLLOUT; /* tried at once; polled for only when the process lags */
			} else if (pending_length == 0 || (errno != EAGAIN && errno != EINTR)) {
				pending_length = 0;
				fds[CALLER].fd = -1;
				caller_ended = true;
			}
		}
		if (fds[INPUT].revents != 0 && fds[INPUT].fd >= 0) {
			ssize_t written = write(input, pending + pending_offset, (size_t) (pending_length - pending_offset));
			if (written > 0)
				pending_offset += written;
			if (written < 0 && errno != EAGAIN && errno != EINTR) {
				/* The process closed its stdin: the caller's input goes nowhere from now on. */
				fds[INPUT].fd = -1;
				caller_ended = true;
			} else if (pending_offset == pending_length) {
				fds[INPUT].fd = -1;
				fds[CALLER].fd = STDIN_FILENO;
			}
		}
		/* The caller's EOF is the process's, through a pipe. */
		if (caller_ended && !terminal && input >= 0) {
			close(input);
			input = -1;
		}
	}
	if (!terminal) {
		const int own[] = { input, fds[OUTPUT].fd, fds[ERRORS].fd };
		for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
			if (own[i] >= 0)
				close(own[i]);
	}
	if (ignoring)
		sigaction(SIGPIPE, &saved_pipe, NULL);
	return result;
}
