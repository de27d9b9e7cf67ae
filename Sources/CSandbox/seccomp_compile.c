/*
 * The parent's half of seccomp: a resolved filter to BPF, with libseccomp.
 */
#define _GNU_SOURCE
#include "sbx_seccomp.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint32_t action_value(struct sbx_seccomp_action action)
{
	switch (action.kind) {
	case SBX_SECCOMP_ALLOW: return SCMP_ACT_ALLOW;
	case SBX_SECCOMP_ERRNO: return SCMP_ACT_ERRNO(action.data);
	case SBX_SECCOMP_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case SBX_SECCOMP_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case SBX_SECCOMP_TRAP: return SCMP_ACT_TRAP;
	case SBX_SECCOMP_TRACE: return SCMP_ACT_TRACE(action.data);
	case SBX_SECCOMP_LOG: return SCMP_ACT_LOG;
	case SBX_SECCOMP_NOTIFY: return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static enum scmp_compare compare_value(enum sbx_seccomp_op op)
{
	static const enum scmp_compare values[] = {
		[SBX_CMP_NE] = SCMP_CMP_NE, [SBX_CMP_LT] = SCMP_CMP_LT, [SBX_CMP_LE] = SCMP_CMP_LE,
		[SBX_CMP_EQ] = SCMP_CMP_EQ, [SBX_CMP_GE] = SCMP_CMP_GE, [SBX_CMP_GT] = SCMP_CMP_GT,
		[SBX_CMP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
	};
	return values[op];
}

/* libseccomp returns -errno; the message says which call on which object. */
static int failed(int result, char *error, size_t size, const char *what, const char *object)
{
	snprintf(error, size, "%s %s: %s", what, object, strerror(-result));
	return result;
}

static int add_rules(scmp_filter_ctx context, const struct sbx_seccomp_filter *filter, char *error, size_t size)
{
	for (size_t i = 0; i < filter->architecture_count; i++) {
		uint32_t token = seccomp_arch_resolve_name(filter->architectures[i]);
		if (token == 0)
			return failed(-EINVAL, error, size, "architecture", filter->architectures[i]);
		int result = seccomp_arch_add(context, token);
		if (result < 0 && result != -EEXIST)
			return failed(result, error, size, "add architecture", filter->architectures[i]);
	}
	for (size_t i = 0; i < filter->rule_count; i++) {
		const struct sbx_seccomp_rule *rule = &filter->rules[i];
		int nr = seccomp_syscall_resolve_name(rule->syscall);
		if (nr == __NR_SCMP_ERROR)
			return failed(-EINVAL, error, size, "unknown syscall", rule->syscall);
		struct scmp_arg_cmp conditions[6];
		if (rule->condition_count > 6)
			return failed(-E2BIG, error, size, "conditions of", rule->syscall);
		for (size_t c = 0; c < rule->condition_count; c++) {
			const struct sbx_seccomp_condition *condition = &rule->conditions[c];
			conditions[c] = (struct scmp_arg_cmp) {
				.arg = condition->index, .op = compare_value(condition->op),
				.datum_a = condition->value, .datum_b = condition->value_two,
			};
		}
		int result = seccomp_rule_add_array(context, action_value(rule->action), nr, (unsigned int) rule->condition_count, conditions);
		if (result < 0)
			return failed(result, error, size, "add the rule for", rule->syscall);
	}
	return 0;
}

static int export(scmp_filter_ctx context, void **program, size_t *length, char *error, size_t size)
{
	int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return failed(-errno, error, size, "memfd_create", "for the filter");
	int result = seccomp_export_bpf(context, fd);
	off_t bytes = result < 0 ? -1 : lseek(fd, 0, SEEK_END);
	if (result < 0 || bytes < 0) {
		close(fd);
		return failed(result < 0 ? result : -errno, error, size, "export", "the filter");
	}
	void *buffer = malloc((size_t) bytes);
	ssize_t got = buffer == NULL ? -1 : pread(fd, buffer, (size_t) bytes, 0);
	int saved = errno;
	close(fd);
	if (got != bytes) {
		free(buffer);
		return failed(got < 0 ? -saved : -EIO, error, size, "read back", "the filter");
	}
	*program = buffer;
	*length = (size_t) bytes / sizeof(struct sock_filter);
	return 0;
}

int sbx_seccomp_compile(const struct sbx_seccomp_filter *filter, void **program, size_t *length, char *error, size_t error_size)
{
	scmp_filter_ctx context = seccomp_init(action_value(filter->default_action));
	if (context == NULL)
		return failed(-ENOMEM, error, error_size, "seccomp_init", "");
	/* The kernel decides, not libseccomp: no_new_privs is the child's own step. */
	int result = seccomp_attr_set(context, SCMP_FLTATR_CTL_NNP, 0);
	if (result < 0)
		failed(result, error, error_size, "seccomp_attr_set", "SCMP_FLTATR_CTL_NNP");
	else
		result = add_rules(context, filter, error, error_size);
	if (result == 0)
		result = export(context, program, length, error, error_size);
	seccomp_release(context);
	return result;
}

int sbx_seccomp_knows(const char *syscall)
{
	return seccomp_syscall_resolve_name(syscall) != __NR_SCMP_ERROR;
}

char *sbx_seccomp_syscall_name(int nr)
{
	return seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
}

void sbx_seccomp_version(unsigned int *major, unsigned int *minor, unsigned int *micro)
{
	const struct scmp_version *version = seccomp_version();
	*major = version->major;
	*minor = version->minor;
	*micro = version->micro;
}

const char *sbx_seccomp_native_architecture(void)
{
	switch (seccomp_arch_native()) {
	case SCMP_ARCH_X86_64: return "x86_64";
	case SCMP_ARCH_AARCH64: return "aarch64";
	case SCMP_ARCH_X86: return "x86";
	case SCMP_ARCH_ARM: return "arm";
	case SCMP_ARCH_PPC64LE: return "ppc64le";
	case SCMP_ARCH_S390X: return "s390x";
	case SCMP_ARCH_RISCV64: return "riscv64";
	default: return "unknown";
	}
}

int sbx_seccomp_flag(const char *name, unsigned int *flag)
{
	static const struct { const char *name; unsigned int flag; } flags[] = {
		{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
		{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
		{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
		{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
	};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (strcmp(flags[i].name, name) == 0) {
			*flag = flags[i].flag;
			return 0;
		}
	return -EINVAL;
}
