/*
 * profiles/default.json, built into the binary: sandbox runs anywhere without its source tree, and the file
 * stays the one place the default profile is written. #embed is C23; clang takes it in C17 too.
 */
#include "sbx_seccomp.h"

#pragma clang diagnostic ignored "-Wc23-extensions"

static const char profile[] = {
#embed "../../../profiles/default.json"
	, 0
};

const char *sbx_default_profile(void)
{
	return profile;
}
