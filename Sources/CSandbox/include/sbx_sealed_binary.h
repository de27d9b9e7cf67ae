/*
 * sandbox runs from a copy of itself that nothing can write (CVE-2019-5736). Every process sandbox starts in a
 * container is a clone of sandbox until its execve, and the kernel resolves /proc/self/exe, for an interpreter
 * line such as `#!/proc/self/exe`, to the binary of whoever execs: a container that replaces its command with
 * such a script runs sandbox's binary inside itself, dumpable, and can then write the host's file through
 * /proc/PID/exe. So before main, a command that enters containers (sbx_command_line.h) re-executes itself from a
 * read-only handle: a detached read-only bind mount of its own binary (crun's way: no copy, the page cache is
 * shared), made in a user namespace of its own when the caller is not root, else a sealed memfd copy (runc's
 * last resort). Its clones, and the inits and monitors they become, inherit the handle. Before main, the first
 * image does nothing else: the Swift runtime starts once.
 */
#ifndef SBX_SEALED_BINARY_H
#define SBX_SEALED_BINARY_H

/*
 * Why the re-execution before main failed: -errno, and in *method what was tried last; 0 when the process runs
 * from a sealed handle or its command enters no container.
 */
int sbx_sealing_failure(const char **method);

#endif
