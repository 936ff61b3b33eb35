/* test_clock.c — the FORECOURT_MONO_OFFSET_FILE test hook of clock_mono_ms:
 * the file's milliseconds are added on every call, and a missing, empty,
 * malformed or negative offset adds nothing; times of days that do not
 * exist are refused. */
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

static void no_such_day_is_no_time(void **state)
{
	(void)state;
	int64_t ms;
	assert_true(clock_parse_iso("2026-02-28T08:00:00Z", &ms));
	assert_true(clock_parse_iso("2028-02-29T08:00:00Z", &ms)); /* a leap year */
	/* timegm would move these to the next month or day: refused */
	const char *bad[] = { "2026-02-30T08:00:00Z", "2026-02-29T08:00:00Z",
			      "2026-04-31T00:00:00Z", "2026-06-31 12:00:00",
			      "2026-07-01T24:00:00Z", "2026-07-01T08:60:00Z",
			      "2026-07-01T08:00:60Z", "2026-13-01T08:00:00Z",
			      "2026-07-01T-1:00:00Z" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(clock_parse_iso(bad[i], &ms));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(offset_file_moves_the_monotonic_clock),
		cmocka_unit_test(no_such_day_is_no_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
