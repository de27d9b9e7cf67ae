/*
 * The parent's side of -t: the caller's terminal in raw mode, bytes copied both ways, window size kept.
 */
#define _GNU_SOURCE
#include "sbx_host.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t resize_master = -1;

static void pass_window_size(int signal)
{
	(void) signal;
	int saved = errno;
	struct winsize size;
	if (resize_master >= 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0)
		ioctl(resize_master, TIOCSWINSZ, &size);
	errno = saved;
}

/* Writes all of buffer; false when the other side is gone. */
static bool write_all(int fd, const char *buffer, ssize_t length)
{
	while (length > 0) {
		ssize_t written = write(fd, buffer, (size_t) length);
		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			return false;
		buffer += written;
		length -= written;
	}
	return true;
}

int sbx_relay_terminal(int master_fd, bool with_input)
{
	struct termios saved_mode;
	bool is_terminal = with_input && tcgetattr(STDIN_FILENO, &saved_mode) == 0;
	if (is_terminal) {
		struct termios raw = saved_mode;
		cfmakeraw(&raw);
		if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) < 0)
			return -errno;
	}
	resize_master = master_fd;
	struct sigaction action = { .sa_handler = pass_window_size, .sa_flags = SA_RESTART };
	sigemptyset(&action.sa_mask);
	sigset_t winch;
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	if (sigaction(SIGWINCH, &action, NULL) < 0 || sigprocmask(SIG_UNBLOCK, &winch, NULL) < 0)
		return -errno;
	pass_window_size(SIGWINCH);

	struct pollfd fds[2] = {
		{ .fd = with_input ? STDIN_FILENO : -1, .events = POLLIN },
		{ .fd = master_fd, .events = POLLIN },
	};
	char buffer[16384];
	int result = 0;
	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			result = -errno;
			break;
		}
		if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t got = read(master_fd, buffer, sizeof buffer);
			if (got < 0 && errno == EINTR)
				continue;
			/* EIO: every process in the container closed the terminal. */
			if (got <= 0 || !write_all(STDOUT_FILENO, buffer, got))
				break;
		}
		if (fds[0].revents & (POLLIN | POLLHUP)) {
			ssize_t got = read(STDIN_FILENO, buffer, sizeof buffer);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				fds[0].fd = -1; /* the caller's input ended; the container's output still flows */
			else if (!write_all(master_fd, buffer, got))
				break;
		}
	}
	resize_master = -1;
	if (is_terminal)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_mode);
	return result;
}
