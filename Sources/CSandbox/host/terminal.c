/*
 * The parent's side of -t: the caller's terminal in raw mode, bytes relayed both ways, window size kept.
 */
#define _GNU_SOURCE
#include "sbx_host.h"

#include <errno.h>
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

int sbx_relay_terminal(int master_fd, bool with_input, int pidfd)
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

	int result = sbx_relay(pidfd, with_input ? master_fd : -1, master_fd, -1, true);
	resize_master = -1;
	if (is_terminal)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_mode);
	return result;
}
