/* test_log.c — syslog helpers: card ids are masked to their last four
 * characters before anything is logged. */
#include "testutil.h"

#include "base/log.h"

static void card_ids_keep_only_the_last_four(void **state)
{
	(void)state;
	char out[LOG_CARD_MASKED_LEN];
	assert_string_equal(log_mask_card("0A1B2C3D4E", out, sizeof out), "****3D4E");
	assert_string_equal(log_mask_card("6222020200112233445", out, sizeof out), "****3445");
	assert_string_equal(log_mask_card("12345", out, sizeof out), "****2345");
	assert_string_equal(log_mask_card("1234", out, sizeof out), "****");
	assert_string_equal(log_mask_card("", out, sizeof out), "-");
	assert_string_equal(log_mask_card(NULL, out, sizeof out), "-");
	/* a short buffer is cut, never overrun */
	char tiny[4] = "zzz";
	log_mask_card("0A1B2C3D4E", tiny, 3);
	assert_string_equal(tiny, "**");
}

static void logging_works_with_and_without_open(void **state)
{
	(void)state;
	char masked[LOG_CARD_MASKED_LEN];
	log_msg(LOG_DEBUG, "before open: card %s", log_mask_card("0A1B2C3D4E", masked, sizeof masked));
	log_open("S0001");
	log_msg(LOG_DEBUG, "unit test: card %s", masked);
	log_open(""); /* replacing the station is allowed */
	log_msg(LOG_DEBUG, "unit test without station");
	log_close();
	assert_string_equal(masked, "****3D4E");
}

#ifdef FORECOURT_TEST_HOOKS
/* The test builds' sink: FORECOURT_LOG_FILE takes the lines syslog would. */
static void test_sink_gets_one_line_per_message(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096], want[256], got[512] = "";
	tu_path(path, dir, "log");
	setenv("FORECOURT_LOG_FILE", path, 1);
	log_open("S0042");
	log_msg(LOG_WARNING, "reader disconnected:\n%s", "cable");
	log_msg(LOG_ERR, "database error: %d", 5);
	unsetenv("FORECOURT_LOG_FILE");
	log_msg(LOG_DEBUG, "to syslog again");
	log_close();
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(got, 1, sizeof got - 1, f);
	fclose(f);
	got[n] = '\0';
	snprintf(want, sizeof want,
		 "warning forecourt/S0042[%ld]: reader disconnected: cable\n"
		 "err forecourt/S0042[%ld]: database error: 5\n",
		 (long)getpid(), (long)getpid());
	assert_string_equal(got, want);
	tu_rmdir(dir);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(card_ids_keep_only_the_last_four),
		cmocka_unit_test(logging_works_with_and_without_open),
#ifdef FORECOURT_TEST_HOOKS
		cmocka_unit_test(test_sink_gets_one_line_per_message),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
