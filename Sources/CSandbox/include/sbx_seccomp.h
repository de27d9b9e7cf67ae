/*
 * Seccomp: the parent compiles a resolved filter to BPF with libseccomp (which allocates, so never in the
 * child); the child only loads the program. Constants and macros Swift cannot import live here too.
 */
#ifndef SBX_SECCOMP_H
#define SBX_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>

/* profiles/default.json, NUL-terminated. */
const char *sbx_default_profile(void);

enum sbx_seccomp_kind {
	SBX_SECCOMP_ALLOW,
	SBX_SECCOMP_ERRNO,
	SBX_SECCOMP_KILL_THREAD,
	SBX_SECCOMP_KILL_PROCESS,
	SBX_SECCOMP_TRAP,
	SBX_SECCOMP_TRACE,
	SBX_SECCOMP_LOG,
	SBX_SECCOMP_NOTIFY,
};

/* libseccomp's SCMP_ACT_ERRNO(x) and friends are macros: the kind and its datum travel apart. */
struct sbx_seccomp_action {
	enum sbx_seccomp_kind kind;
	uint32_t data;
};

enum sbx_seccomp_op { SBX_CMP_NE, SBX_CMP_LT, SBX_CMP_LE, SBX_CMP_EQ, SBX_CMP_GE, SBX_CMP_GT, SBX_CMP_MASKED_EQ };

struct sbx_seccomp_condition {
	unsigned int index;
	enum sbx_seccomp_op op;
	uint64_t value;     /* the mask, for SBX_CMP_MASKED_EQ */
	uint64_t value_two; /* the masked value, for SBX_CMP_MASKED_EQ */
};

struct sbx_seccomp_rule {
	const char *syscall;
	struct sbx_seccomp_action action;
	const struct sbx_seccomp_condition *conditions; /* all must hold */
	size_t condition_count;
};

struct sbx_seccomp_filter {
	struct sbx_seccomp_action default_action;
	struct sbx_seccomp_action bad_architecture_action; /* for a syscall of an architecture not listed */
	const char *const *architectures; /* libseccomp names beside the native one */
	size_t architecture_count;
	const struct sbx_seccomp_rule *rules;
	size_t rule_count;
};

/*
 * Compiles filter to a BPF program with libseccomp and exports it through a memfd (libseccomp 2.5.4 has no
 * seccomp_export_bpf_mem). On success *program is malloc'd and *length counts its instructions; on failure
 * returns -errno and writes what failed into error.
 */
int sbx_seccomp_compile(const struct sbx_seccomp_filter *filter, void **program, size_t *length, char *error, size_t error_size);

/* Whether this libseccomp knows syscall on the native architecture. */
int sbx_seccomp_knows(const char *syscall);

/*
 * A syscall as seccomp_data gives it (an AUDIT_ARCH_* value and a number), named as libseccomp names it:
 * *architecture is set to libseccomp's name of the architecture (NULL if libseccomp has none), and the
 * syscall's name there is returned (free it), or NULL.
 */
char *sbx_seccomp_syscall_name(uint32_t arch, int nr, const char **architecture);

/* libseccomp's version, which a cached program depends on. */
void sbx_seccomp_version(unsigned int *major, unsigned int *minor, unsigned int *micro);

/* libseccomp's name of the native architecture, such as "x86_64". */
const char *sbx_seccomp_native_architecture(void);

/* SECCOMP_FILTER_FLAG_* of the profile's "flags", by name; 0 and -EINVAL for an unknown one. */
int sbx_seccomp_flag(const char *name, unsigned int *flag);

/* What sandbox answers a notification: let the syscall run, or fail it with an errno. */
struct sbx_notify_answer {
	bool run;
	int error;
};

/*
 * Decides a notification: the syscall's architecture (an AUDIT_ARCH_* value) and number, its six arguments,
 * and the (listener-namespace) pid.
 */
typedef struct sbx_notify_answer (*sbx_notify_decide)(void *context, uint32_t arch, int nr, const uint64_t *arguments, pid_t pid);

/*
 * Reads a report channel until it gives a record (copied to *failure; returns 1) or EOF (execve succeeded;
 * returns 0), answering the child's notifications meanwhile: the child waits on them. A record carrying the
 * listener (SBX_STEP_LISTENER) sets *listener (-1 until then) and is not returned. -errno on failure.
 */
int sbx_supervise_start(int channel, int *listener, void *failure, sbx_notify_decide decide, void *context);

/*
 * One record from a report channel, with the fd it carries (*fd, close-on-exec; -1 if none): its length, 0 at
 * EOF, or -errno.
 */
ssize_t sbx_receive_record(int channel, void *record, int *fd);

/* Answers notifications until no process uses the filter any more. 0 or -errno. */
int sbx_supervise_run(int listener, sbx_notify_decide decide, void *context);

#endif
