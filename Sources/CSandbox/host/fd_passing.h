/*
 * Passing one fd over a Unix socket, the way both sides of sandbox do it: the parent hands a pty master to an
 * engine, the child hands its seccomp listener to the parent. Internal to this target.
 */
#ifndef SBX_FD_PASSING_H
#define SBX_FD_PASSING_H

#include <stddef.h>

/* Sends length bytes of data with fd attached (SCM_RIGHTS) on a connected socket, again after EINTR, never
 * raising SIGPIPE. Async-signal-safe. 0 or -errno. */
int sbx_send_fd(int sock, const void *data, size_t length, int fd);

/* Receives what sbx_send_fd sent, up to length bytes of data and the fd (close-on-exec) in *fd, -1 if none
 * came; again after EINTR. The number of bytes, or -errno. */
long sbx_receive_fd(int sock, void *data, size_t length, int *fd);

#endif
