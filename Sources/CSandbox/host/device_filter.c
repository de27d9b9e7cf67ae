/*
 * Loading and attaching a container's cgroup v2 device program, built in Swift. It runs in the parent,
 * before clone: the container's first instruction already runs under it.
 */
#define _GNU_SOURCE
#include "sbx_device.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int bpf(int command, union bpf_attr *attr)
{
	return (int) syscall(SYS_bpf, command, attr, sizeof *attr);
}

int sbx_load_device_filter(const void *instructions, size_t count, char *log, size_t log_size)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t) (uintptr_t) instructions;
	attr.insn_cnt = (uint32_t) count;
	/* The program calls no helper, GPL-only or other: it claims no license. */
	attr.license = (uint64_t) (uintptr_t) "";
	/* Shown in /proc/kallsyms as bpf_prog_<tag>_sandbox_devices. */
	memcpy(attr.prog_name, "sandbox_devices", sizeof "sandbox_devices");
	int fd = bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	int saved = errno;
	if (log_size == 0 || (saved != EACCES && saved != EINVAL))
		return -saved;
	/* Only a refused program is loaded again, with the verifier's log: asking for the log costs every load. */
	log[0] = '\0';
	attr.log_level = 1;
	attr.log_buf = (uint64_t) (uintptr_t) log;
	attr.log_size = (uint32_t) log_size;
	fd = bpf(BPF_PROG_LOAD, &attr);
	log[log_size - 1] = '\0';
	return fd >= 0 ? fd : -saved;
}

int sbx_attach_device_filter(int program_fd, const char *path)
{
	int cgroup = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgroup < 0)
		return -errno;
	union bpf_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.target_fd = (uint32_t) cgroup;
	attr.attach_bpf_fd = (uint32_t) program_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	/* With several programs allowed, one attached higher up (by systemd, say) still runs: a device is
	 * opened only when every program from the container's cgroup up to the root allows it. */
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	int result = bpf(BPF_PROG_ATTACH, &attr) < 0 ? -errno : 0;
	close(cgroup);
	return result;
}
