/*
 * What the parent does on the host that Swift cannot write: the new mount API (open_tree, mount_setattr and
 * move_mount are not in Swift's Glibc module) and signal handlers, which must be async-signal-safe C.
 * Each function returns 0 or -errno.
 */
#ifndef SBX_HOST_H
#define SBX_HOST_H

#include <stdbool.h>
#include <sys/types.h>

/* pipe2(O_CLOEXEC), which Swift's Glibc module does not declare. */
int sbx_pipe(int fds[2]);

/* Opens a pty pair, both close-on-exec, and names the slave; posix_openpt and friends are not imported either. */
int sbx_open_terminal(int *master, int *slave, char *slave_name, size_t size);

/* Fills buffer from the kernel's random source (getrandom). */
int sbx_random(void *buffer, size_t size);

/* Opens path for reading as it resolves inside root (RESOLVE_IN_ROOT): an image's symlinks stay in the image. */
int sbx_open_in_root(const char *root, const char *path);

/* Attaches at target a copy of the tree at source whose ids are shifted through the user namespace userns_fd. */
int sbx_attach_idmapped(const char *source, const char *target, int userns_fd);

/* Lazily unmounts target (MNT_DETACH): the container's copies of it live on in its own mount namespace. */
int sbx_detach(const char *target);

/* Sends SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2, when sandbox receives them, on to pid. */
int sbx_forward_signals(pid_t pid);

/* Waits for pid, retrying on EINTR; returns its wait status or -errno. */
int sbx_wait(pid_t pid);

/*
 * Copies the pty master to stdout, and with_input stdin to it (the caller's terminal then in raw mode), until
 * the container closes its side; passes the window size on, and again on every SIGWINCH; restores the terminal.
 */
int sbx_relay_terminal(int master_fd, bool with_input);

#endif
