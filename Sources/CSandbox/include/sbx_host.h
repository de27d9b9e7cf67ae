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

/* renameat2(RENAME_NOREPLACE), which Swift's Glibc module does not declare either: -EEXIST when to exists. */
int sbx_rename_new(int dir_fd, const char *from, const char *to);

/* Opens a pty pair, both close-on-exec, and names the slave; posix_openpt and friends are not imported either. */
int sbx_open_terminal(int *master, int *slave, char *slave_name, size_t size);

/*
 * Hands an fd to an engine's socket: connects to the AF_UNIX stream socket at path and sends fd with
 * SCM_RIGHTS and message as the data, as runc does: the pty master with its name (OCI --console-socket), the
 * seccomp listener with the container's process state (linux.seccomp.listenerPath). 0 or -errno.
 */
int sbx_send_fd_to(const char *path, int fd, const char *message);

/*
 * Starts a detached container's monitor: path with argv and envp, in /, in a session of its own, its stdin a
 * file in memory holding the length bytes of configuration, its stdout and stderr /dev/null, and fd 3 the write
 * end of a pipe whose read end goes to *report (close-on-exec), on which the monitor says whether the container
 * started; no other fd. Its pid, or -errno.
 */
pid_t sbx_spawn_monitor(const char *path, char *const *argv, char *const *envp, const void *configuration, size_t length,
                        int *report);

/* Sets a terminal's window size (TIOCSWINSZ): 0 or -errno. */
int sbx_set_window_size(int fd, unsigned short rows, unsigned short columns);

/* Fills buffer from the kernel's random source (getrandom). */
int sbx_random(void *buffer, size_t size);

/*
 * Takes a whole-file lock on fd without waiting: shared, or exclusive (fd open for writing). An open file
 * description lock (F_OFD_SETLK), which flock on the same file neither sees nor blocks, released when fd is
 * closed. 0 or -errno (-EAGAIN while another holds a conflicting one).
 */
int sbx_range_lock(int fd, bool exclusive);

/*
 * Opens path for reading as it resolves inside root (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS: an image's
 * symlinks stay in the image), into *fd, if it is a regular file: 0; 1 when it is something else (a FIFO,
 * a device node: never opened); -errno on failure.
 */
int sbx_open_regular_in_root(const char *root, const char *path, int *fd);

/*
 * A detached copy of the tree at source (with the mounts beneath it when recursive), its ids shifted through
 * the user namespace userns_fd unless that is -1, private, or a slave of the source when it receives the
 * host's mounts: an O_PATH fd, or -errno. It is never attached on the host; the child attaches it in its own
 * mount namespace.
 */
int sbx_clone_tree(const char *source, bool recursive, int userns_fd, bool receives);

/*
 * Blocks SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 until sbx_forward_signals: done before a child is
 * cloned, whose workload may run (and say it is ready) before its parent can forward them; one sent meanwhile
 * would end sandbox instead of reaching the workload. The child clears its mask (sbx_drop_inherited).
 */
int sbx_hold_forwarded_signals(void);

/*
 * Sends SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2, when sandbox receives them, on to the process
 * pidfd refers to (never to a pid that may have been recycled), those held since the clone first.
 */
int sbx_forward_signals(int pidfd);

/* pidfd_open(2), close-on-exec: an fd on the process pid now is; -errno when there is none. */
int sbx_pidfd_open(pid_t pid);

/* Sends signal through pidfd (pidfd_send_signal); 0 or -errno, -ESRCH once the process is gone. */
int sbx_pidfd_signal(int pidfd, int signal);

/* Waits up to timeout_ms (-1: forever) for the process of pidfd to end: 1 when it ended, 0 on timeout. */
int sbx_pidfd_wait(int pidfd, int timeout_ms);

/* Waits for pid, retrying on EINTR; returns its wait status or -errno. */
int sbx_wait(pid_t pid);

/* Whether the child pid is stopped by a signal (waitid WSTOPPED, left to be waited for): 1, 0, or -errno. */
int sbx_is_stopped(pid_t pid);

/*
 * Relays the caller's streams and a process's until the process of pidfd ends, so that no fd of the caller's
 * enters the container: stdin to input (-1: none), output to stdout, errors to stderr (-1: none). What the
 * process wrote is passed on; once it has ended, what is still written is passed on for a moment only, and the
 * caller's input no longer. The caller's EOF closes input; a caller that stops reading makes its stream's next
 * write fail, as a pipe of its own would. The relay closes input, output and errors, unless terminal: output is
 * then a pty master, input the same or -1, and its creator's to close. 0 or -errno.
 */
int sbx_relay(int pidfd, int input, int output, int errors, bool terminal);

/*
 * sbx_relay for -t: the pty master is the process's input and output, and with_input the caller's terminal is
 * in raw mode meanwhile; the window size is passed on, and again on every SIGWINCH; the terminal restored.
 */
int sbx_relay_terminal(int master_fd, bool with_input, int pidfd);

#endif
