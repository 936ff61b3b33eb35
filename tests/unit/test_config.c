/* test_config.c — config defaults, loading, and the FILE:LINE errors. */
#include "testutil.h"

#include "base/config.h"

static void defaults_match_domain(void **state)
{
	(void)state;
	fc_config c;
	config_defaults(&c);
	assert_int_equal(c.tier_big_diamond, 20000);
	assert_int_equal(c.tier_big_gold, 8000);
	assert_int_equal(c.tier_big_silver, 2000);
	assert_int_equal(c.tier_ind_platinum, 3000);
	assert_int_equal(c.tier_ind_gold, 1500);
	assert_int_equal(c.tier_ind_silver, 600);
	assert_true(c.green_lane[TIER_BIG_DIAMOND]);
	assert_true(c.green_lane[TIER_IND_GOLD]);
	assert_false(c.green_lane[TIER_BIG_SILVER]);
	assert_int_equal(c.points_multiplier_milli[TIER_BIG_GOLD], 1500);
	assert_int_equal(c.points_offline_daily_cap, 5000);
	assert_int_equal(c.complaint_major_days, 3);
	assert_int_equal(c.lost_after_days, 30);
	assert_int_equal(c.upload_retention_days, 90);
}

static void loads_values(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	fc_config c;
	fc_error err;
	config_defaults(&c);
	tu_write(path, dir, "f.conf",
		 "; a comment\n[station]\nid = S0042\nname = 重庆一站\n"
		 "[green_lane]\ntiers = diamond, platinum\npumps = 7, 8 ,9\n"
		 "[points]\nmultiplier_gold = 1.75\nper_litre = 2\n"
		 "[fuel]\ngrades = 92#,95#\nprice_fen = 700, 750\n"
		 "[ui]\nkiosk = yes\nlocale = en\n");
	assert_int_equal(config_load(&c, path, &err), FC_OK);
	assert_string_equal(c.station_id, "S0042");
	assert_string_equal(c.station_name, "重庆一站");
	assert_true(c.green_lane[TIER_BIG_DIAMOND]);
	assert_false(c.green_lane[TIER_BIG_GOLD]);
	assert_int_equal(c.pump_count, 3);
	assert_int_equal(c.pumps[2], 9);
	assert_int_equal(c.points_multiplier_milli[TIER_IND_GOLD], 1750);
	assert_int_equal(c.points_per_litre_milli, 2000);
	assert_int_equal(c.grade_count, 2);
	assert_int_equal(c.grade_price_fen[1], 750);
	assert_true(c.ui_kiosk);
	assert_string_equal(c.ui_locale, "en");
	tu_rmdir(dir);
}

static void unknown_key_names_file_line_and_key(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096], want[4200];
	fc_config c;
	fc_error err;
	config_defaults(&c);
	tu_write(path, dir, "typo.conf", "[reader]\nport = sim\nbuad = 9600\n");
	assert_int_equal(config_load(&c, path, &err), FC_ERR_CONFIG);
	snprintf(want, sizeof want, "%s:3: unknown key 'buad' in [reader]", path);
	assert_string_equal(err.msg, want);
	tu_rmdir(dir);
}

static void out_of_range_names_range(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096], want[4200];
	fc_config c;
	fc_error err;
	config_defaults(&c);
	tu_write(path, dir, "range.conf",
		 "[station]\nid = S1\n\n[complaints]\nmajor_days = 99\n");
	assert_int_equal(config_load(&c, path, &err), FC_ERR_CONFIG);
	snprintf(want, sizeof want,
		 "%s:5: bad value for 'major_days' in [complaints]: '99' (accepted: a whole "
		 "number 1..30)",
		 path);
	assert_string_equal(err.msg, want);
	/* a bad value in a list key */
	tu_write(path, dir, "tiers.conf", "[green_lane]\ntiers = diamond, golden\n");
	assert_int_equal(config_load(&c, path, &err), FC_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "tiers.conf:2: bad value for 'tiers' in [green_lane]"));
	tu_write(path, dir, "milli.conf", "[points]\nmultiplier_silver = 1.2x\n");
	assert_int_equal(config_load(&c, path, &err), FC_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "milli.conf:2: bad value for 'multiplier_silver'"));
	tu_rmdir(dir);
}

static void first_error_wins_and_syntax_errors(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	fc_config c;
	fc_error err;
	config_defaults(&c);
	tu_write(path, dir, "syn.conf", "[ui]\nthis line has no equals\nnope = 1\n");
	assert_int_equal(config_load(&c, path, &err), FC_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "syn.conf:2: syntax error"));
	tu_write(path, dir, "two.conf", "[ui]\nidle_seconds = 1\nnope = 1\n");
	assert_int_equal(config_load(&c, path, &err), FC_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "two.conf:2: bad value for 'idle_seconds'"));
	assert_int_equal(config_load(&c, "/nonexistent/x.conf", &err), FC_ERR_IO);
	assert_non_null(strstr(err.msg, "/nonexistent/x.conf: cannot read config"));
	tu_rmdir(dir);
}

static void example_config_loads(void **state)
{
	(void)state;
	fc_config c;
	fc_error err;
	config_defaults(&c);
	const char *src = getenv("FORECOURT_SRC");
	char path[4096];
	snprintf(path, sizeof path, "%s/config/forecourt.conf.example", src ? src : ".");
	assert_int_equal(config_load(&c, path, &err), FC_OK);
	assert_string_equal(c.ui_locale, "zh_CN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_match_domain),
		cmocka_unit_test(loads_values),
		cmocka_unit_test(unknown_key_names_file_line_and_key),
		cmocka_unit_test(out_of_range_names_range),
		cmocka_unit_test(first_error_wins_and_syntax_errors),
		cmocka_unit_test(example_config_loads),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
