/* config.h — the station configuration (INI through inih).
 * Every number of domain.md is a key here with the domain default;
 * config/forecourt.conf.example documents each one.  Unknown keys and
 * out-of-range values are errors ("FILE:LINE: ..."), never ignored. */
#ifndef FC_CONFIG_H
#define FC_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/domain.h"
#include "base/status.h"

#define CONFIG_STR 256     /* size of every string field */
#define CONFIG_MAX_LIST 16 /* pumps, grades */

typedef struct fc_config {
	/* [station] */
	char station_id[CONFIG_STR];   /* "S0001", on every record */
	char station_name[CONFIG_STR]; /* shown in the status bar */
	/* [database] */
	char db_path[CONFIG_STR]; /* used when --db is not given */
	/* [reader] */
	char reader_port[CONFIG_STR];     /* /dev/ttyUSB0, tcp://host:port, sim, sim:FILE */
	char reader_protocol[CONFIG_STR]; /* em4100 | line | track2 | stx-bcc */
	int reader_baud;                  /* 9600 */
	int reader_gap_ms;                /* inter-byte timeout, 100 */
	int reader_debounce_ms;           /* same-card window, 1500 */
	bool reader_luhn;                 /* track2: check the PAN */
	/* [ui] */
	char ui_locale[CONFIG_STR]; /* zh_CN | en */
	bool ui_kiosk;              /* Ctrl-C/Ctrl-Z/F10 need an admin PIN */
	int ui_idle_seconds;        /* back to the idle screen after a swipe */
	bool ui_ask_rating;         /* one-key 1-5 satisfaction rating after a fuelling */
	/* [tiers] half-year litres (whole litres) at which each tier starts */
	int tier_big_diamond, tier_big_gold, tier_big_silver;
	int tier_ind_platinum, tier_ind_gold, tier_ind_silver;
	bool tier_prefer_local; /* prefer = hq | local */
	int tier_confirm_percent; /* evaluate-tiers changing more customers asks for --yes */
	/* [green_lane] */
	bool green_lane[TIER_COUNT]; /* eligible tiers */
	int pumps[CONFIG_MAX_LIST];  /* dedicated pump numbers */
	int pump_count;
	/* [points] */
	int points_per_litre_milli;         /* points per litre x1000 (1 -> 1000) */
	int points_multiplier_milli[TIER_COUNT]; /* x1000 (1.5 -> 1500) */
	int points_per_yuan;                /* 100 points = 1 yuan */
	int points_offline_daily_cap;       /* per customer per day while offline */
	int points_stale_after_minutes;     /* balance marked offline after this */
	/* [fuel] */
	char grades[CONFIG_MAX_LIST][16]; /* "92#", "95#", "98#", "0#" */
	int grade_price_fen[CONFIG_MAX_LIST]; /* list price per litre, 0 = unknown */
	int grade_count;
	/* [callbacks] per month */
	int callbacks_top;   /* diamond, gold, platinum: 2 */
	int callbacks_other; /* 1 */
	int callbacks_swing_extra; /* +1 */
	int callbacks_holiday_days; /* a major holiday this close makes every callback due: 7 */
	int callbacks_special_days; /* a birthday or anniversary this close makes a care call due: 7 */
	/* [complaints] working days */
	int complaint_general_days, complaint_major_days, complaint_special_max_days;
	/* who approves a special case, level by level in this order (level 1
	 * is named when it is filed or escalated): approval_levels */
	fc_approver complaint_levels[APPROVER_COUNT];
	int complaint_level_count; /* 1..APPROVER_COUNT */
	char holidays_file[CONFIG_STR];
	/* [stability] */
	int lost_after_days;        /* 30 */
	int swing_drop_percent;     /* 50 */
	/* [composite] weights in percent, sum 100; class A above a_above, C below c_below */
	int composite_w_scale, composite_w_credit, composite_w_volume, composite_w_influence;
	int composite_a_above, composite_c_below;
	/* [upload] */
	char upload_url[CONFIG_STR];       /* "" = upload disabled */
	char upload_token_file[CONFIG_STR];
	char upload_ca_file[CONFIG_STR];
	char upload_pinned_key[CONFIG_STR]; /* sha256//... */
	bool upload_allow_insecure;
	int upload_retention_days;   /* 90 */
	int upload_batch_max;        /* 500 records */
	int upload_batch_bytes;      /* 1 MiB */
	int upload_connect_timeout_s; /* 10 */
	int upload_timeout_s;        /* 30 */
	int upload_backoff_base_ms;  /* 1000 */
	int upload_backoff_cap_s;    /* 300 */
	int upload_master_interval_s; /* master data pulled every 600 s */
	int upload_master_timeout_s;  /* a pull page: 60 s, + 1 s per 64 KiB of it */
	int upload_master_stall_s;    /* a pull under 1 KiB/s this long is given up: 30 */
	/* [auth] */
	int auth_idle_minutes;    /* 5 */
	int auth_max_failures;    /* 5 */
	int auth_lockout_minutes; /* 30 */
	char auth_pepper_file[CONFIG_STR];
} fc_config;

/* Fill cfg with the domain defaults. */
void config_defaults(fc_config *cfg);

/* Load path over the defaults.  On error: FC_ERR_CONFIG with
 * "PATH:LINE: unknown key 'x' in [reader]" or "PATH:LINE: bad value for
 * 'k' in [s]: 'v' (accepted: 1..100)"; FC_ERR_IO when the file cannot be read. */
fc_status config_load(fc_config *cfg, const char *path, fc_error *err);

/* Which file to load: explicit (--config) when given, else $FORECOURT_CONFIG,
 * else /etc/forecourt/forecourt.conf when it exists, else NULL (defaults). */
const char *config_pick_path(const char *explicit_path);

/* Index of a grade name in cfg->grades, -1 when not configured. */
int config_grade_index(const fc_config *cfg, const char *grade);

/* The configured multiplier x1000 and green-lane flag of a tier. */
bool config_green_lane(const fc_config *cfg, fc_tier t);

#endif
