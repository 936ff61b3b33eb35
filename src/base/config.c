/* config.c — table-driven INI loading through inih, with domain defaults. */
#include "base/config.h"

#include "base/ini_table.h"
#include "base/text_check.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool set_green_tiers(void *target, const char *v, char *why, size_t n);
static bool set_pumps(void *target, const char *v, char *why, size_t n);
static bool set_grades(void *target, const char *v, char *why, size_t n);
static bool set_prices(void *target, const char *v, char *why, size_t n);
static bool set_prefer(void *target, const char *v, char *why, size_t n);
static bool set_approval_levels(void *target, const char *v, char *why, size_t n);
static bool set_station_id(void *target, const char *v, char *why, size_t n);
static bool set_station_name(void *target, const char *v, char *why, size_t n);
static bool set_locale(void *target, const char *v, char *why, size_t n);
static bool set_mult_diamond(void *target, const char *v, char *why, size_t n);
static bool set_mult_platinum(void *target, const char *v, char *why, size_t n);
static bool set_mult_gold(void *target, const char *v, char *why, size_t n);
static bool set_mult_silver(void *target, const char *v, char *why, size_t n);
static bool set_mult_ordinary(void *target, const char *v, char *why, size_t n);

#define OFF(field) offsetof(fc_config, field)
#define INT_KEY(sec, key, field, lo, hi) { sec, key, INI_INT, OFF(field), lo, hi, NULL }
#define BOOL_KEY(sec, key, field) { sec, key, INI_BOOL, OFF(field), 0, 1, NULL }
#define STR_KEY(sec, key, field) { sec, key, INI_STR, OFF(field), 0, CONFIG_STR, NULL }
#define SPECIAL_KEY(sec, key, fn) { sec, key, INI_SPECIAL, 0, 0, 0, fn }

static const ini_key config_keys[] = {
	SPECIAL_KEY("station", "id", set_station_id),
	SPECIAL_KEY("station", "name", set_station_name),
	STR_KEY("database", "path", db_path),
	STR_KEY("reader", "port", reader_port),
	STR_KEY("reader", "protocol", reader_protocol),
	INT_KEY("reader", "baud", reader_baud, 300, 921600),
	INT_KEY("reader", "gap_ms", reader_gap_ms, 10, 5000),
	INT_KEY("reader", "debounce_ms", reader_debounce_ms, 0, 10000),
	BOOL_KEY("reader", "luhn", reader_luhn),
	SPECIAL_KEY("ui", "locale", set_locale),
	BOOL_KEY("ui", "kiosk", ui_kiosk),
	INT_KEY("ui", "idle_seconds", ui_idle_seconds, 5, 3600),
	BOOL_KEY("ui", "ask_rating", ui_ask_rating),
	INT_KEY("tiers", "big_diamond", tier_big_diamond, 1, 10000000),
	INT_KEY("tiers", "big_gold", tier_big_gold, 1, 10000000),
	INT_KEY("tiers", "big_silver", tier_big_silver, 1, 10000000),
	INT_KEY("tiers", "individual_platinum", tier_ind_platinum, 1, 10000000),
	INT_KEY("tiers", "individual_gold", tier_ind_gold, 1, 10000000),
	INT_KEY("tiers", "individual_silver", tier_ind_silver, 1, 10000000),
	SPECIAL_KEY("tiers", "prefer", set_prefer),
	INT_KEY("tiers", "confirm_percent", tier_confirm_percent, 1, 100),
	SPECIAL_KEY("green_lane", "tiers", set_green_tiers),
	SPECIAL_KEY("green_lane", "pumps", set_pumps),
	{ "points", "per_litre", INI_MILLI, OFF(points_per_litre_milli), 0, 100000, NULL },
	SPECIAL_KEY("points", "multiplier_diamond", set_mult_diamond),
	SPECIAL_KEY("points", "multiplier_platinum", set_mult_platinum),
	SPECIAL_KEY("points", "multiplier_gold", set_mult_gold),
	SPECIAL_KEY("points", "multiplier_silver", set_mult_silver),
	SPECIAL_KEY("points", "multiplier_ordinary", set_mult_ordinary),
	INT_KEY("points", "per_yuan", points_per_yuan, 1, 100000),
	INT_KEY("points", "offline_daily_cap", points_offline_daily_cap, 0, 100000000),
	INT_KEY("points", "stale_after_minutes", points_stale_after_minutes, 1, 100000),
	SPECIAL_KEY("fuel", "grades", set_grades),
	SPECIAL_KEY("fuel", "price_fen", set_prices),
	INT_KEY("callbacks", "top_per_month", callbacks_top, 0, 31),
	INT_KEY("callbacks", "other_per_month", callbacks_other, 0, 31),
	INT_KEY("callbacks", "swing_extra", callbacks_swing_extra, 0, 31),
	INT_KEY("callbacks", "holiday_window_days", callbacks_holiday_days, 1, 60),
	INT_KEY("callbacks", "special_date_days", callbacks_special_days, 1, 60),
	INT_KEY("complaints", "general_days", complaint_general_days, 1, 30),
	INT_KEY("complaints", "major_days", complaint_major_days, 1, 30),
	INT_KEY("complaints", "special_max_days", complaint_special_max_days, 1, 60),
	STR_KEY("complaints", "holidays_file", holidays_file),
	SPECIAL_KEY("complaints", "approval_levels", set_approval_levels),
	INT_KEY("stability", "lost_after_days", lost_after_days, 1, 3650),
	INT_KEY("stability", "swing_drop_percent", swing_drop_percent, 1, 100),
	INT_KEY("composite", "weight_scale", composite_w_scale, 0, 100),
	INT_KEY("composite", "weight_credit", composite_w_credit, 0, 100),
	INT_KEY("composite", "weight_volume", composite_w_volume, 0, 100),
	INT_KEY("composite", "weight_influence", composite_w_influence, 0, 100),
	INT_KEY("composite", "class_a_above", composite_a_above, 0, 100),
	INT_KEY("composite", "class_c_below", composite_c_below, 0, 100),
	STR_KEY("upload", "url", upload_url),
	STR_KEY("upload", "token_file", upload_token_file),
	STR_KEY("upload", "ca_file", upload_ca_file),
	STR_KEY("upload", "pinned_key", upload_pinned_key),
	BOOL_KEY("upload", "allow_insecure", upload_allow_insecure),
	INT_KEY("upload", "retention_days", upload_retention_days, 1, 3650),
	INT_KEY("upload", "batch_max", upload_batch_max, 1, 500),
	INT_KEY("upload", "batch_bytes", upload_batch_bytes, 1024, 1048576),
	INT_KEY("upload", "connect_timeout_s", upload_connect_timeout_s, 1, 300),
	INT_KEY("upload", "timeout_s", upload_timeout_s, 1, 3600),
	INT_KEY("upload", "backoff_base_ms", upload_backoff_base_ms, 1, 600000),
	INT_KEY("upload", "backoff_cap_s", upload_backoff_cap_s, 1, 86400),
	INT_KEY("upload", "master_interval_s", upload_master_interval_s, 5, 86400),
	INT_KEY("upload", "master_timeout_s", upload_master_timeout_s, 5, 86400),
	INT_KEY("upload", "master_stall_s", upload_master_stall_s, 1, 3600),
	INT_KEY("auth", "idle_minutes", auth_idle_minutes, 1, 1440),
	INT_KEY("auth", "max_failures", auth_max_failures, 1, 100),
	INT_KEY("auth", "lockout_minutes", auth_lockout_minutes, 1, 10080),
	STR_KEY("auth", "pepper_file", auth_pepper_file),
};

/* Where `make install` puts the holidays: share/forecourt/ next to the bin/
 * directory of this program (so PREFIX=/usr and /usr/local both work), as
 * the message catalogues are found. */
static void config_default_holidays(char *buf, size_t n)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len <= 0) {
		snprintf(buf, n, "/usr/local/share/forecourt/holidays.conf");
		return;
	}
	exe[len] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(buf, n, "%.*s/../share/forecourt/holidays.conf", (int)(n > 64 ? n - 64 : 0), exe);
}

void config_defaults(fc_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->station_id, CONFIG_STR, "S0001");
	snprintf(cfg->station_name, CONFIG_STR, "Demo station");
	snprintf(cfg->db_path, CONFIG_STR, "/var/lib/forecourt/forecourt.db");
	snprintf(cfg->reader_port, CONFIG_STR, "sim");
	snprintf(cfg->reader_protocol, CONFIG_STR, "em4100");
	cfg->reader_baud = 9600;
	cfg->reader_gap_ms = 100;
	cfg->reader_debounce_ms = 1500;
	snprintf(cfg->ui_locale, CONFIG_STR, "zh_CN");
	cfg->ui_kiosk = false;
	cfg->ui_idle_seconds = 30;
	cfg->ui_ask_rating = false;
	cfg->tier_big_diamond = 20000;
	cfg->tier_big_gold = 8000;
	cfg->tier_big_silver = 2000;
	cfg->tier_ind_platinum = 3000;
	cfg->tier_ind_gold = 1500;
	cfg->tier_ind_silver = 600;
	cfg->tier_confirm_percent = 20;
	cfg->green_lane[TIER_BIG_DIAMOND] = true;
	cfg->green_lane[TIER_BIG_GOLD] = true;
	cfg->green_lane[TIER_IND_PLATINUM] = true;
	cfg->green_lane[TIER_IND_GOLD] = true;
	cfg->pumps[0] = 1;
	cfg->pumps[1] = 2;
	cfg->pump_count = 2;
	cfg->points_per_litre_milli = 1000;
	cfg->points_multiplier_milli[TIER_BIG_DIAMOND] = 2000;
	cfg->points_multiplier_milli[TIER_IND_PLATINUM] = 2000;
	cfg->points_multiplier_milli[TIER_BIG_GOLD] = 1500;
	cfg->points_multiplier_milli[TIER_IND_GOLD] = 1500;
	cfg->points_multiplier_milli[TIER_BIG_SILVER] = 1200;
	cfg->points_multiplier_milli[TIER_IND_SILVER] = 1200;
	cfg->points_multiplier_milli[TIER_BIG_ORDINARY] = 1000;
	cfg->points_multiplier_milli[TIER_IND_ORDINARY] = 1000;
	cfg->points_per_yuan = 100;
	cfg->points_offline_daily_cap = 5000;
	cfg->points_stale_after_minutes = 60;
	static const char *const grades[] = { "92#", "95#", "98#", "0#" };
	static const int prices[] = { 760, 812, 900, 735 };
	for (int i = 0; i < 4; i++) {
		snprintf(cfg->grades[i], sizeof cfg->grades[i], "%s", grades[i]);
		cfg->grade_price_fen[i] = prices[i];
	}
	cfg->grade_count = 4;
	cfg->callbacks_top = 2;
	cfg->callbacks_other = 1;
	cfg->callbacks_swing_extra = 1;
	cfg->callbacks_holiday_days = 7;
	cfg->callbacks_special_days = 7;
	cfg->complaint_general_days = 1;
	cfg->complaint_major_days = 3;
	cfg->complaint_special_max_days = 7;
	cfg->complaint_levels[0] = APPROVER_STATION_HEAD;
	cfg->complaint_levels[1] = APPROVER_BRANCH_RETAIL_MANAGER;
	cfg->complaint_level_count = 2;
	config_default_holidays(cfg->holidays_file, CONFIG_STR);
	cfg->lost_after_days = 30;
	cfg->swing_drop_percent = 50;
	cfg->composite_w_scale = 30;
	cfg->composite_w_credit = 20;
	cfg->composite_w_volume = 30;
	cfg->composite_w_influence = 20;
	cfg->composite_a_above = 85;
	cfg->composite_c_below = 60;
	cfg->upload_retention_days = 90;
	cfg->upload_batch_max = 500;
	cfg->upload_batch_bytes = 1048576;
	cfg->upload_connect_timeout_s = 10;
	cfg->upload_timeout_s = 30;
	cfg->upload_backoff_base_ms = 1000;
	cfg->upload_backoff_cap_s = 300;
	cfg->upload_master_interval_s = 600;
	cfg->upload_master_timeout_s = 60;
	cfg->upload_master_stall_s = 30;
	cfg->auth_idle_minutes = 5;
	cfg->auth_max_failures = 5;
	cfg->auth_lockout_minutes = 30;
	snprintf(cfg->auth_pepper_file, CONFIG_STR, "/etc/forecourt/pepper");
}

/* Split a comma list in place into trimmed items; returns the count or -1
 * when there are more than max. */
static int split_list(char *buf, char **items, int max)
{
	int n = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*tok)
			continue;
		if (n == max)
			return -1;
		items[n++] = tok;
	}
	return n;
}

/* Who approves a special case, in order: a comma list of distinct
 * supervisors, at least one. */
static bool set_approval_levels(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	char buf[CONFIG_STR * 2];
	char *items[APPROVER_COUNT + 1];
	fc_approver levels[APPROVER_COUNT];

	snprintf(buf, sizeof buf, "%s", v);
	int count = split_list(buf, items, APPROVER_COUNT);
	for (int i = 0; i < count; i++) {
		if (!approver_parse(items[i], &levels[i])) {
			snprintf(why, n, "a comma list, in the order of approval, of station_head, "
					 "business_dept_manager, branch_retail_dept, "
					 "branch_retail_manager ('%s' is none of them)", items[i]);
			return false;
		}
		for (int k = 0; k < i; k++)
			if (levels[k] == levels[i]) {
				snprintf(why, n, "each level once: '%s' is listed twice", items[i]);
				return false;
			}
	}
	if (count <= 0) {
		snprintf(why, n, count < 0 ? "at most %d levels, each once"
					   : "at least one level (of %d), e.g. station_head, "
					     "branch_retail_manager", APPROVER_COUNT);
		return false;
	}
	memcpy(cfg->complaint_levels, levels, (size_t)count * sizeof levels[0]);
	cfg->complaint_level_count = count;
	return true;
}

static bool set_green_tiers(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	char buf[CONFIG_STR * 2];
	char *items[TIER_COUNT + 1];
	bool on[TIER_COUNT] = { false };

	snprintf(buf, sizeof buf, "%s", v);
	int count = split_list(buf, items, TIER_COUNT);
	for (int i = 0; i < count; i++) {
		fc_tier t;
		if (!tier_parse_config_name(items[i], &t)) {
			snprintf(why, n, "a comma list of diamond, gold-big, silver-big, "
					 "ordinary-big, platinum, gold-individual, "
					 "silver-individual, ordinary-individual");
			return false;
		}
		on[t] = true;
	}
	if (count < 0) {
		snprintf(why, n, "at most %d tiers", TIER_COUNT);
		return false;
	}
	memcpy(cfg->green_lane, on, sizeof on);
	return true;
}

static bool set_pumps(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	char buf[CONFIG_STR * 2];
	char *items[CONFIG_MAX_LIST];
	int pumps[CONFIG_MAX_LIST];

	snprintf(buf, sizeof buf, "%s", v);
	int count = split_list(buf, items, CONFIG_MAX_LIST);
	for (int i = 0; i < count; i++) {
		long p;
		if (!ini_table_parse_long(items[i], 1, 999, &p))
			goto bad;
		pumps[i] = (int)p;
	}
	if (count < 0)
		goto bad;
	memcpy(cfg->pumps, pumps, sizeof pumps);
	cfg->pump_count = count;
	return true;
bad:
	snprintf(why, n, "a comma list of at most %d pump numbers 1..999", CONFIG_MAX_LIST);
	return false;
}

static bool set_grades(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	char buf[CONFIG_STR * 2];
	char *items[CONFIG_MAX_LIST];

	snprintf(buf, sizeof buf, "%s", v);
	int count = split_list(buf, items, CONFIG_MAX_LIST);
	if (count <= 0) {
		snprintf(why, n, "a comma list of 1..%d grade names like 92#", CONFIG_MAX_LIST);
		return false;
	}
	for (int i = 0; i < count; i++) {
		if (strlen(items[i]) >= sizeof cfg->grades[0]) {
			snprintf(why, n, "grade names of at most %zu bytes",
				 sizeof cfg->grades[0] - 1);
			return false;
		}
		for (int k = 0; k < i; k++) {
			if (strcmp(items[k], items[i]) == 0) {
				snprintf(why, n, "each grade once: '%s' is listed twice", items[i]);
				return false;
			}
		}
	}
	for (int i = 0; i < count; i++) {
		snprintf(cfg->grades[i], sizeof cfg->grades[i], "%s", items[i]);
		cfg->grade_price_fen[i] = 0;
	}
	cfg->grade_count = count;
	return true;
}

static bool set_prices(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	char buf[CONFIG_STR * 2];
	char *items[CONFIG_MAX_LIST];
	int prices[CONFIG_MAX_LIST];

	snprintf(buf, sizeof buf, "%s", v);
	int count = split_list(buf, items, CONFIG_MAX_LIST);
	if (count != cfg->grade_count)
		goto bad;
	for (int i = 0; i < count; i++) {
		long p;
		if (!ini_table_parse_long(items[i], 0, 100000, &p))
			goto bad;
		prices[i] = (int)p;
	}
	memcpy(cfg->grade_price_fen, prices, sizeof prices);
	return true;
bad:
	snprintf(why, n, "one price in fen per litre (0..100000) for each of the %d grades, "
			 "in the order of 'grades'", cfg->grade_count);
	return false;
}

/* The station id begins every customer code (archive_format_code keeps
 * 16 bytes of it, codes hold 31) and goes on every record. */
#define STATION_ID_MAX 16

static bool set_station_id(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	size_t len = strlen(v);
	const char *alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	if (len < 1 || len > STATION_ID_MAX || !strchr(alnum, v[0]) ||
	    strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != len) {
		snprintf(why, n, "1 to %d letters, digits, '-' or '_', starting with a letter or "
			 "digit, e.g. S0001 (it begins every customer code)", STATION_ID_MAX);
		return false;
	}
	snprintf(cfg->station_id, CONFIG_STR, "%s", v);
	return true;
}

static bool set_station_name(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	fc_error err;
	if (!*v || text_check_field("name", v, &err) != FC_OK || strlen(v) >= CONFIG_STR) {
		snprintf(why, n, "a name of 1 to %d bytes of UTF-8 text, not only blanks, without "
			 "control characters", CONFIG_STR - 1);
		return false;
	}
	snprintf(cfg->station_name, CONFIG_STR, "%s", v);
	return true;
}

static bool set_prefer(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	if (strcmp(v, "hq") == 0 || strcmp(v, "local") == 0) {
		cfg->tier_prefer_local = strcmp(v, "local") == 0;
		return true;
	}
	snprintf(why, n, "hq or local");
	return false;
}

static bool set_locale(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	if (strcmp(v, "zh_CN") == 0 || strcmp(v, "en") == 0) {
		snprintf(cfg->ui_locale, CONFIG_STR, "%s", v);
		return true;
	}
	snprintf(why, n, "zh_CN or en");
	return false;
}

static bool set_mult(fc_config *cfg, const char *v, char *why, size_t n, fc_tier a, fc_tier b)
{
	long m;
	if (!ini_table_parse_milli(v, 0, 100000, &m)) {
		snprintf(why, n, "a decimal 0.000..100.000");
		return false;
	}
	cfg->points_multiplier_milli[a] = (int)m;
	cfg->points_multiplier_milli[b] = (int)m;
	return true;
}

static bool set_mult_diamond(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	return set_mult(cfg, v, why, n, TIER_BIG_DIAMOND, TIER_BIG_DIAMOND);
}
static bool set_mult_platinum(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	return set_mult(cfg, v, why, n, TIER_IND_PLATINUM, TIER_IND_PLATINUM);
}
static bool set_mult_gold(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	return set_mult(cfg, v, why, n, TIER_BIG_GOLD, TIER_IND_GOLD);
}
static bool set_mult_silver(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	return set_mult(cfg, v, why, n, TIER_BIG_SILVER, TIER_IND_SILVER);
}
static bool set_mult_ordinary(void *target, const char *v, char *why, size_t n)
{
	fc_config *cfg = target;
	return set_mult(cfg, v, why, n, TIER_BIG_ORDINARY, TIER_IND_ORDINARY);
}

#define CONFIG_KEY_COUNT (sizeof config_keys / sizeof config_keys[0])

static int config_key_index(const char *section, const char *name)
{
	for (size_t i = 0; i < CONFIG_KEY_COUNT; i++)
		if (strcmp(config_keys[i].section, section) == 0 &&
		    strcmp(config_keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Each tier's threshold above the next one's, per nature: the index of
 * the key to blame (the later of the two the file set), -1 when in order. */
static int config_check_tiers(const void *target, const int *lines, char *why, size_t n)
{
	const fc_config *cfg = target;
	static const char *const names[2][3] = {
		{ "big_diamond", "big_gold", "big_silver" },
		{ "individual_platinum", "individual_gold", "individual_silver" },
	};
	const int values[2][3] = {
		{ cfg->tier_big_diamond, cfg->tier_big_gold, cfg->tier_big_silver },
		{ cfg->tier_ind_platinum, cfg->tier_ind_gold, cfg->tier_ind_silver },
	};
	for (int nat = 0; nat < 2; nat++) {
		for (int t = 0; t < 2; t++) {
			if (values[nat][t] > values[nat][t + 1])
				continue;
			int hi = config_key_index("tiers", names[nat][t]);
			int lo = config_key_index("tiers", names[nat][t + 1]);
			snprintf(why, n, "%s (%d litres) must be above %s (%d litres): the tiers "
				 "go up in order", names[nat][t], values[nat][t], names[nat][t + 1],
				 values[nat][t + 1]);
			return lines[lo] > lines[hi] ? lo : hi;
		}
	}
	return -1;
}

fc_status config_load(fc_config *cfg, const char *path, fc_error *err)
{
	return ini_table_load_checked(path, config_keys, CONFIG_KEY_COUNT, cfg, config_check_tiers,
				      err);
}

const char *config_pick_path(const char *explicit_path)
{
	return ini_table_pick_path(explicit_path, "FORECOURT_CONFIG",
				   "/etc/forecourt/forecourt.conf");
}

int config_grade_index(const fc_config *cfg, const char *grade)
{
	for (int i = 0; i < cfg->grade_count; i++)
		if (strcmp(cfg->grades[i], grade) == 0)
			return i;
	return -1;
}

bool config_green_lane(const fc_config *cfg, fc_tier t)
{
	return t >= 0 && t < TIER_COUNT && cfg->green_lane[t];
}
