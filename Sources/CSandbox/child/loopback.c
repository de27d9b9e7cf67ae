#define _GNU_SOURCE
#include "child_steps.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* A new network namespace starts with lo down; Docker's --network none has it up. */
void sbx_setup_loopback(int failure_fd)
{
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		sbx_fail(failure_fd, SBX_STEP_LOOPBACK, errno, NULL, NULL);
	struct ifreq request;
	memset(&request, 0, sizeof request);
	memcpy(request.ifr_name, "lo", 3);
	if (ioctl(sock, SIOCGIFFLAGS, &request) < 0)
		sbx_fail(failure_fd, SBX_STEP_LOOPBACK, errno, NULL, NULL);
	request.ifr_flags |= IFF_UP;
	if (ioctl(sock, SIOCSIFFLAGS, &request) < 0)
		sbx_fail(failure_fd, SBX_STEP_LOOPBACK, errno, NULL, NULL);
	close(sock);
}
