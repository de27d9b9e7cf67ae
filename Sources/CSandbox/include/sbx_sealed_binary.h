/*
 * sandbox runs from a copy of itself that nothing can write (CVE-2019-5736). Every process sandbox starts in a
 * container is a clone of sandbox until its execve, and the kernel resolves /proc/self/exe, for an interpreter
 * line such as `#!/proc/self/exe`, to the binary of whoever execs: a container that replaces its command with
 * such a script runs sandbox's binary inside itself, dumpable, and can then write the host's file through
 * /proc/PID/exe. A command that enters containers therefore first re-executes itself from a read-only handle:
 * a detached read-only bind mount of its own binary (crun's way: no copy, the page cache is shared), made in a
 * user namespace of its own when the caller is not root, else a sealed memfd copy (runc's last resort).
 */
#ifndef SBX_SEALED_BINARY_H
#define SBX_SEALED_BINARY_H

/*
 * 1 when /proc/self/exe can be written by nobody: it is on a read-only mount, or a memfd sealed against
 * writes; 0 when it is a writable path to the binary; -errno when it cannot be told.
 */
int sbx_binary_is_sealed(void);

/*
 * Executes argv again, with envp, from a read-only handle on this binary. Returns only on failure: -errno,
 * and in *method what was tried last ("open_tree", "mount_setattr", "memfd_create", "execveat", ...).
 */
int sbx_reexec_sealed(char *const *argv, char *const *envp, const char **method);

#endif
