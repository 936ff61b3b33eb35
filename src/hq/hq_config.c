/* hq_config.c — forecourt-hq's keys, defaults and checks. */
#include "hq/hq_config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/ini_table.h"

#define OFF(field) offsetof(hq_config, field)
#define INT_KEY(sec, key, field, lo, hi) { sec, key, INI_INT, OFF(field), lo, hi, NULL }
#define STR_KEY(sec, key, field) { sec, key, INI_STR, OFF(field), 0, HQ_CONFIG_STR, NULL }

static const ini_key hq_keys[] = {
	STR_KEY("http", "listen", listen),
	INT_KEY("http", "threads", threads, 1, 256),
	INT_KEY("http", "connection_limit", connection_limit, 1, 100000),
	INT_KEY("http", "per_ip_limit", per_ip_limit, 0, 100000),
	INT_KEY("http", "timeout_s", timeout_s, 1, 3600),
	STR_KEY("tls", "cert", tls_cert),
	STR_KEY("tls", "key", tls_key),
	STR_KEY("database", "conninfo", conninfo),
	INT_KEY("limits", "body_max", body_max, 1024, 256 << 20),
	INT_KEY("limits", "line_max", line_max, 256, 16 << 20),
	INT_KEY("limits", "batch_max", batch_max, 1, 100000),
	INT_KEY("limits", "master_page", master_page, 1, 10000000),
	INT_KEY("limits", "master_streams", master_streams, 1, 1024),
	{ "chain", "timezone", INI_STR, OFF(timezone), 0, sizeof((hq_config *)0)->timezone, NULL },
	INT_KEY("tiers", "big_diamond", tier_big_diamond, 1, 10000000),
	INT_KEY("tiers", "big_gold", tier_big_gold, 1, 10000000),
	INT_KEY("tiers", "big_silver", tier_big_silver, 1, 10000000),
	INT_KEY("tiers", "individual_platinum", tier_ind_platinum, 1, 10000000),
	INT_KEY("tiers", "individual_gold", tier_ind_gold, 1, 10000000),
	INT_KEY("tiers", "individual_silver", tier_ind_silver, 1, 10000000),
};

void hq_config_defaults(hq_config *cfg)
{
	*cfg = (hq_config){
		.listen = "127.0.0.1:8080",
		.threads = 8,
		.connection_limit = 512,
		.per_ip_limit = 0,
		.timeout_s = 30,
		.conninfo = "dbname=forecourt",
		.body_max = 4 << 20,
		.line_max = 64 << 10,
		.batch_max = 1000,
		.master_page = 100000,
		.master_streams = 8,
		.timezone = "Asia/Shanghai",
		.tier_big_diamond = 20000,
		.tier_big_gold = 8000,
		.tier_big_silver = 2000,
		.tier_ind_platinum = 3000,
		.tier_ind_gold = 1500,
		.tier_ind_silver = 600,
	};
}

fc_status hq_config_load(hq_config *cfg, const char *path, fc_error *err)
{
	fc_status s = ini_table_load(path, hq_keys, sizeof hq_keys / sizeof hq_keys[0], cfg, err);
	if (s == FC_ERR_IO) /* a config that cannot be read is a config error (exit 2) */
		err->code = s = FC_ERR_CONFIG;
	if (s)
		return s;
	if (!cfg->tls_cert[0] != !cfg->tls_key[0])
		return fc_error_set(err, FC_ERR_CONFIG, "%s: [tls] needs both cert and key, or neither",
				    path);
	if (cfg->line_max > cfg->body_max)
		return fc_error_set(err, FC_ERR_CONFIG,
				    "%s: [limits] line_max (%d) is larger than body_max (%d)", path,
				    cfg->line_max, cfg->body_max);
	if (!(cfg->tier_big_diamond > cfg->tier_big_gold && cfg->tier_big_gold > cfg->tier_big_silver &&
	      cfg->tier_ind_platinum > cfg->tier_ind_gold &&
	      cfg->tier_ind_gold > cfg->tier_ind_silver))
		return fc_error_set(err, FC_ERR_CONFIG,
				    "%s: [tiers] thresholds must fall from the top tier down", path);
	return FC_OK;
}

const char *hq_config_pick_path(const char *explicit_path)
{
	return ini_table_pick_path(explicit_path, "FORECOURT_HQ_CONFIG",
				   "/etc/forecourt/forecourt-hq.conf");
}
