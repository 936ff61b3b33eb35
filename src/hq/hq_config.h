/* hq_config.h — forecourt-hq's configuration (INI through base/ini_table):
 * [http] listen, threads, connection limit, timeouts; [tls] cert and key;
 * [database] conninfo; [limits] body, line, batch and master page sizes.
 * config/forecourt-hq.conf.example documents each key. */
#ifndef FC_HQ_CONFIG_H
#define FC_HQ_CONFIG_H

#include <stdbool.h>

#include "base/status.h"

#define HQ_CONFIG_STR 512

typedef struct hq_config {
	/* [http] */
	char listen[HQ_CONFIG_STR]; /* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:443" */
	int threads;                /* worker threads, each with its database connection */
	int connection_limit;       /* open connections at once; more are refused */
	int per_ip_limit;           /* open connections from one address (0 = no limit) */
	int timeout_s;              /* a client silent this long is dropped */
	/* [tls] (both or neither: without them, plain HTTP for a TLS proxy) */
	char tls_cert[HQ_CONFIG_STR];
	char tls_key[HQ_CONFIG_STR];
	/* [database] */
	char conninfo[HQ_CONFIG_STR]; /* libpq: "host=/run/postgresql dbname=forecourt" */
	/* [limits] */
	int body_max;       /* bytes of one POST body */
	int line_max;       /* bytes of one NDJSON line */
	int batch_max;      /* records of one POST */
	int master_page;    /* master lines of one GET /v1/master by default */
	int master_streams; /* master pulls served at once */
	/* [chain] */
	char timezone[64];  /* the stations' local time: half-years and days */
	/* [tiers] half-year litres (whole litres) at which each tier starts */
	int tier_big_diamond, tier_big_gold, tier_big_silver;
	int tier_ind_platinum, tier_ind_gold, tier_ind_silver;
} hq_config;

void hq_config_defaults(hq_config *cfg);

/* Load path over the defaults: FC_ERR_CONFIG "PATH:LINE: ..." on a bad or
 * unknown key, or when only one of [tls] cert and key is set; FC_ERR_CONFIG
 * too when the file cannot be read (exit 2, as the station). */
fc_status hq_config_load(hq_config *cfg, const char *path, fc_error *err);

/* --config when given, else $FORECOURT_HQ_CONFIG, else
 * /etc/forecourt/forecourt-hq.conf when it exists, else NULL (defaults). */
const char *hq_config_pick_path(const char *explicit_path);

#endif
