/* test_clock.c — the FORECOURT_MONO_OFFSET_FILE test hook of clock_mono_ms:
 * the file's milliseconds are added on every call, and a missing, empty,
 * malformed or negative offset adds nothing. */
#include "testutil.h"

#include "base/clock.h"

/* clock_mono_ms() with the offset file holding text (NULL: no file). */
static int64_t mono_with(const char *dir, const char *text)
{
	char path[4096];
	tu_path(path, dir, "offset");
	unlink(path);
	if (text)
		tu_write(path, dir, "offset", text);
	return clock_mono_ms();
}

static void offset_file_moves_the_monotonic_clock(void **state)
{
	(void)state;
	char *dir = tu_tempdir(), path[4096];
	tu_path(path, dir, "offset");
	assert_int_equal(setenv("FORECOURT_MONO_OFFSET_FILE", path, 1), 0);

	int64_t before = mono_with(dir, "0\n");
	int64_t later = mono_with(dir, "61000\n");
	/* A jump of 61 s at once; the real clock adds far less than an hour. */
	assert_true(later - before >= 61000);
	assert_true(later - before < 61000 + 3600 * 1000);
	int64_t bare = mono_with(dir, "61000"); /* no newline */
	assert_true(bare >= later);

	/* Nothing added: the value falls back to the real clock. */
	const char *ignored[] = { NULL, "", "abc\n", "-5000\n", "12x\n", "99999999999999999999\n" };
	for (size_t i = 0; i < sizeof ignored / sizeof *ignored; i++) {
		int64_t v = mono_with(dir, ignored[i]);
		assert_true(v < later);
		assert_true(v >= before);
	}
	assert_int_equal(unsetenv("FORECOURT_MONO_OFFSET_FILE"), 0);
	assert_true(mono_with(dir, "61000\n") < later); /* unset: the file is not read */
	tu_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(offset_file_moves_the_monotonic_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
