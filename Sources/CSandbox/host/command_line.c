/*
 * Where sandbox's command stands on its command line: sbx_command_line.h says why this is C.
 */
#include "sbx_command_line.h"

#include <string.h>

void sbx_read_command_line(int argc, char *const *argv, int *globals_end, int *command)
{
	int index = 1;
	while (index < argc && argv[index][0] == '-') {
		const char *option = argv[index];
		index += strcmp(option, "--root") == 0 || strcmp(option, "--log") == 0 || strcmp(option, "--log-format") == 0 ? 2 : 1;
	}
	*globals_end = index < argc ? index : argc;
	if (index < argc && strcmp(argv[index], "container") == 0)
		index++;
	*command = index < argc ? index : argc;
}

bool sbx_command_enters_containers(const char *command)
{
	static const char *const entering[] = { "run", "create", "exec", "seccomp", "monitor" };
	for (size_t i = 0; i < sizeof entering / sizeof entering[0]; i++)
		if (strcmp(command, entering[i]) == 0)
			return true;
	return false;
}
