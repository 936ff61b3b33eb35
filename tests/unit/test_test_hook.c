/* test_test_hook.c — a production build cannot be steered by the test hooks:
 * base/test_hook.c compiled here without FORECOURT_TEST_HOOKS (as `make`
 * builds it) stands in for the library's test-build copy, and the clock
 * (linked from the library) then ignores FORECOURT_NOW and
 * FORECOURT_MONO_OFFSET_FILE, and the hook is reported as ignored. */
#undef FORECOURT_TEST_HOOKS
#include "base/test_hook.c"

#include <time.h>

#include "testutil.h"

#include "base/clock.h"

static void hooks_are_ignored_in_a_production_build(void **state)
{
	(void)state;
	char *dir = tu_tempdir(), path[4096];
	assert_false(test_hook_compiled());
	assert_null(test_hook_ignored());

	/* FORECOURT_NOW cannot date a record */
	assert_int_equal(setenv("FORECOURT_NOW", "2020-01-01T00:00:00Z", 1), 0);
	int64_t now = clock_now_ms();
	assert_true(now > (int64_t)1700000000 * 1000); /* the real clock, not 2020 */
	assert_null(test_hook_get("FORECOURT_NOW"));
	assert_string_equal(test_hook_ignored(), "FORECOURT_NOW");

	/* nor can the offset file move the timeouts */
	tu_write(path, dir, "offset", "86400000\n");
	assert_int_equal(setenv("FORECOURT_MONO_OFFSET_FILE", path, 1), 0);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t real = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	assert_true(clock_mono_ms() - real < 3600 * 1000);

	assert_int_equal(setenv("FORECOURT_REPORT_HOLD", path, 1), 0);
	assert_null(test_hook_get("FORECOURT_REPORT_HOLD"));
	unsetenv("FORECOURT_NOW");
	assert_string_equal(test_hook_ignored(), "FORECOURT_MONO_OFFSET_FILE");
	unsetenv("FORECOURT_MONO_OFFSET_FILE");
	unsetenv("FORECOURT_REPORT_HOLD");
	assert_null(test_hook_ignored());
	tu_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hooks_are_ignored_in_a_production_build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
