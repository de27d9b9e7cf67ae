/*
 * The cgroup v2 device program: Swift builds its instructions (SandboxPolicy/DeviceFilter.swift); loading
 * and attaching it take bpf(2), which Swift cannot call (syscall(2) is variadic). Each returns -errno on failure.
 */
#ifndef SBX_DEVICE_H
#define SBX_DEVICE_H

#include <stddef.h>

/*
 * Loads count instructions (struct bpf_insn, 8 bytes each) as a BPF_PROG_TYPE_CGROUP_DEVICE program and
 * returns its fd. When the verifier refuses it, log holds the verifier's account of why (NUL-terminated).
 */
int sbx_load_device_filter(const void *instructions, size_t count, char *log, size_t log_size);

/*
 * Attaches the program to the cgroup v2 directory at path. The cgroup keeps the program: the caller closes
 * its fd, and the kernel frees the program when the cgroup is removed.
 */
int sbx_attach_device_filter(int program_fd, const char *path);

#endif
