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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(card_ids_keep_only_the_last_four),
		cmocka_unit_test(logging_works_with_and_without_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
