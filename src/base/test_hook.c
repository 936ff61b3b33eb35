/* test_hook.c — test hooks read from the environment in test builds only. */
#include "base/test_hook.h"

#include <stdlib.h>
#include <string.h>

static const char *const test_hook_names[] = { "FORECOURT_NOW", "FORECOURT_MONO_OFFSET_FILE",
					       "FORECOURT_REPORT_HOLD" };
#define TEST_HOOK_COUNT (sizeof test_hook_names / sizeof test_hook_names[0])

static const char *test_hook_env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

bool test_hook_compiled(void)
{
#ifdef FORECOURT_TEST_HOOKS
	return true;
#else
	return false;
#endif
}

const char *test_hook_get(const char *name)
{
	return test_hook_compiled() ? test_hook_env(name) : NULL;
}

const char *test_hook_ignored(void)
{
	for (size_t i = 0; !test_hook_compiled() && i < TEST_HOOK_COUNT; i++)
		if (test_hook_env(test_hook_names[i]))
			return test_hook_names[i];
	return NULL;
}
