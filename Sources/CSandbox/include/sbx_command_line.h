/*
 * Where sandbox's command stands on its command line. Read in C because it is needed before main: the commands
 * that start processes in containers re-execute first from a sealed copy of the binary (sbx_sealed_binary.h),
 * and the sooner they do, the less of a start is spent twice.
 */
#ifndef SBX_COMMAND_LINE_H
#define SBX_COMMAND_LINE_H

#include <stdbool.h>

/*
 * argv[*globals_end] is the first word past the options runc takes before its command (--root, --log and
 * --log-format take a value), argv[*command] the command's name, past Docker's `container` too; argc when the
 * line ends first.
 */
void sbx_read_command_line(int argc, char *const *argv, int *globals_end, int *command);

/* Whether a command starts processes in containers: run, create, exec, seccomp, and a detached run's monitor. */
bool sbx_command_enters_containers(const char *command);

#endif
