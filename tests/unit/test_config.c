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

/* Load text as dir/name; the error message (or "" when it loads). */
static fc_status load_text(const char *text, char *msg, size_t n, char *path)
{
	char *dir = tu_tempdir();
	fc_config c;
	fc_error err;
	fc_error_clear(&err);
	config_defaults(&c);
	tu_write(path, dir, "s.conf", text);
	fc_status st = config_load(&c, path, &err);
	snprintf(msg, n, "%s", st ? err.msg : "");
	tu_rmdir(dir);
	return st;
}

static void odd_values_refused_with_file_and_line(void **state)
{
	(void)state;
	char msg[600], path[4096], want[4200];
	/* an empty or odd station id: it starts every customer code */
	const char *ids[] = { "", "-S1", "S 1", "S0001-TOO-LONG-ID", "站一", NULL };
	for (int i = 0; ids[i]; i++) {
		char text[128];
		snprintf(text, sizeof text, "[station]\nid = %s\n", ids[i]);
		assert_int_equal(load_text(text, msg, sizeof msg, path), FC_ERR_CONFIG);
		snprintf(want, sizeof want, "%s:2: bad value for 'id' in [station]", path);
		assert_non_null(strstr(msg, want));
		assert_non_null(strstr(msg, "1 to 16 letters, digits"));
	}
	assert_int_equal(load_text("[station]\nid = S-01_a\n", msg, sizeof msg, path), FC_OK);
	/* a station name that is not UTF-8 (GBK), has a control character or is blank */
	assert_int_equal(load_text("[station]\nid = S1\nname = \xd5\xbe\xb5\xe3\n", msg, sizeof msg, path),
			 FC_ERR_CONFIG);
	snprintf(want, sizeof want, "%s:3: bad value for 'name' in [station]", path);
	assert_non_null(strstr(msg, want));
	assert_non_null(strstr(msg, "UTF-8"));
	assert_int_equal(load_text("[station]\nname = a\x1b[2Jb\n", msg, sizeof msg, path),
			 FC_ERR_CONFIG);
	assert_int_equal(load_text("[database]\npath = /tmp/\xff.db\n", msg, sizeof msg, path),
			 FC_ERR_CONFIG); /* every string key: UTF-8 */
	/* thresholds out of order: the line of the key the file set */
	assert_int_equal(load_text("[tiers]\nbig_gold = 8000\nbig_diamond = 5000\n", msg,
				   sizeof msg, path),
			 FC_ERR_CONFIG);
	snprintf(want, sizeof want, "%s:3: 'big_diamond' in [tiers]: big_diamond (5000 litres) "
		 "must be above big_gold (8000 litres)", path);
	assert_non_null(strstr(msg, want));
	assert_int_equal(load_text("[tiers]\nindividual_silver = 5000\n", msg, sizeof msg, path),
			 FC_ERR_CONFIG);
	snprintf(want, sizeof want, "%s:2: 'individual_silver' in [tiers]", path);
	assert_non_null(strstr(msg, want));
	assert_int_equal(load_text("[tiers]\nbig_diamond = 30000\nbig_gold = 25000\n", msg,
				   sizeof msg, path),
			 FC_OK);
	/* a grade listed twice */
	assert_int_equal(load_text("[fuel]\ngrades = 92#, 95#, 92#\n", msg, sizeof msg, path),
			 FC_ERR_CONFIG);
	snprintf(want, sizeof want, "%s:2: bad value for 'grades' in [fuel]", path);
	assert_non_null(strstr(msg, want));
	assert_non_null(strstr(msg, "'92#' is listed twice"));
}

static void a_directory_is_no_config(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	fc_config c;
	fc_error err;
	config_defaults(&c);
	assert_int_equal(config_load(&c, dir, &err), FC_ERR_IO);
	assert_non_null(strstr(err.msg, "a directory, not a config file"));
	assert_non_null(strstr(err.msg, dir));
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
		cmocka_unit_test(odd_values_refused_with_file_and_line),
		cmocka_unit_test(a_directory_is_no_config),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
