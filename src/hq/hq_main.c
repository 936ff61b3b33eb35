/* hq_main.c — forecourt-hq, head office: the command line.
 * Exit codes: 0 ok, 1 failure, 2 usage or configuration. */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "hq/hq_admin.h"
#include "hq/hq_chain.h"
#include "hq/hq_config.h"
#include "hq/hq_db.h"
#include "hq/hq_http.h"
#include "hq/hq_import.h"
#include "hq/hq_station.h"

static const char usage_text[] =
	"usage: forecourt-hq [--config FILE] COMMAND\n"
	"\n"
	"  serve                       run the HTTP service (POST /v1/records, GET /v1/master,\n"
	"                              /v1/health, /metrics)\n"
	"  init                        create the schema in an empty PostgreSQL database\n"
	"  migrate                     bring the schema up to this program's version\n"
	"  station add ID NAME         a new station (then: station token ID)\n"
	"  station list                stations, their state, contiguous seq and last post\n"
	"  station token ID            a new upload token for ID, printed once\n"
	"  station disable ID          refuse ID's uploads from now on (403)\n"
	"  import KIND FILE            KIND: customers|cards|blocked|prices|holidays; CSV\n"
	"                              with a header row, or NDJSON (.ndjson/.jsonl);\n"
	"                              all rows or none\n"
	"  block CARD REASON           block a card at every station (next master pull)\n"
	"  stats [--json]              records, rejections, master data, station lag\n"
	"  evaluate-tiers --period P   tiers from the whole chain's litres of half-year P\n"
	"                              (2026H1, 2026H2), pushed to every station\n"
	"  records FILE                load a station's `forecourt outbox export` file\n"
	"                              (records already here have no second effect)\n"
	"\n"
	"Config: --config FILE, else $FORECOURT_HQ_CONFIG, else /etc/forecourt/forecourt-hq.conf.\n"
	"Exit: 0 ok, 1 failure, 2 usage or configuration.\n";

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "forecourt-hq: %s\n", why);
	fputs(usage_text, stderr);
	return 2;
}

static int fail(const fc_error *err)
{
	fprintf(stderr, "forecourt-hq: %s\n", fc_error_text(err));
	return err->code == FC_ERR_CONFIG || err->code == FC_ERR_USAGE ? 2 : 1;
}

static int station_command(PGconn *db, int argc, char **argv, fc_error *err)
{
	const char *sub = argc > 0 ? argv[0] : "";
	if (strcmp(sub, "add") == 0 && argc == 3) {
		if (hq_station_add(db, argv[1], argv[2], err))
			return fail(err);
		printf("station %s added; give it a token: forecourt-hq station token %s\n",
		       argv[1], argv[1]);
		return 0;
	}
	if (strcmp(sub, "list") == 0 && argc == 1)
		return hq_station_list(db, stdout, err) ? fail(err) : 0;
	if (strcmp(sub, "token") == 0 && argc == 2) {
		char token[HQ_TOKEN_LEN + 1];
		if (hq_station_token(db, argv[1], token, err))
			return fail(err);
		printf("%s\n", token);
		fprintf(stderr,
			"forecourt-hq: the token of station %s, shown once: put it in the "
			"station's [upload] token_file (mode 0600); the old token no longer works\n",
			argv[1]);
		sodium_memzero(token, sizeof token);
		return 0;
	}
	if (strcmp(sub, "disable") == 0 && argc == 2) {
		if (hq_station_disable(db, argv[1], err))
			return fail(err);
		printf("station %s disabled: its uploads are refused (403)\n", argv[1]);
		return 0;
	}
	return usage("station: add ID NAME | list | token ID | disable ID");
}

int main(int argc, char **argv)
{
	const char *config_path = NULL;
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config_path = argv[i + 1];
			i += 2;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else {
			char why[128];
			snprintf(why, sizeof why, "unknown option '%.64s'", argv[i]);
			return usage(why);
		}
	}
	if (i >= argc)
		return usage("no command");
	const char *cmd = argv[i++];
	int rest = argc - i;
	char **args = argv + i;

	if (geteuid() == 0) {
		fprintf(stderr, "forecourt-hq: refusing to run as root; run it as its own user "
				"(the systemd unit uses 'forecourt-hq')\n");
		return 1;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "forecourt-hq: libsodium failed to start\n");
		return 1;
	}

	hq_config cfg;
	fc_error err = { 0 };
	hq_config_defaults(&cfg);
	const char *path = hq_config_pick_path(config_path);
	if (path && hq_config_load(&cfg, path, &err))
		return fail(&err);

	if (strcmp(cmd, "serve") == 0) {
		if (rest)
			return usage("serve takes no arguments");
		log_open("hq");
		int rc = hq_http_serve(&cfg, &err) ? fail(&err) : 0;
		log_close();
		return rc;
	}

	bool known = strcmp(cmd, "init") == 0 || strcmp(cmd, "migrate") == 0 ||
		     strcmp(cmd, "station") == 0 || strcmp(cmd, "import") == 0 ||
		     strcmp(cmd, "block") == 0 || strcmp(cmd, "stats") == 0 ||
		     strcmp(cmd, "evaluate-tiers") == 0 || strcmp(cmd, "records") == 0;
	if (!known) {
		char why[128];
		snprintf(why, sizeof why, "unknown command '%.64s'", cmd);
		return usage(why);
	}
	if ((strcmp(cmd, "init") == 0 || strcmp(cmd, "migrate") == 0) && rest)
		return usage("init and migrate take no arguments");
	if (strcmp(cmd, "import") == 0 && rest != 2)
		return usage("import KIND FILE");
	if (strcmp(cmd, "block") == 0 && rest != 2)
		return usage("block CARD REASON");
	if (strcmp(cmd, "evaluate-tiers") == 0 && (rest != 2 || strcmp(args[0], "--period")))
		return usage("evaluate-tiers --period 2026H2");
	if (strcmp(cmd, "records") == 0 && rest != 1)
		return usage("records FILE");
	if (strcmp(cmd, "stats") == 0 && (rest > 1 || (rest == 1 && strcmp(args[0], "--json"))))
		return usage("stats [--json]");

	PGconn *db;
	if (hq_db_connect(cfg.conninfo, &db, &err))
		return fail(&err);
	int rc = 0;
	if (strcmp(cmd, "init") == 0) {
		if (hq_db_init(db, &err))
			rc = fail(&err);
		else
			printf("schema version %d created\n", hq_db_schema_latest());
	} else if (strcmp(cmd, "migrate") == 0) {
		int applied = 0;
		if (hq_db_migrate(db, &applied, &err))
			rc = fail(&err);
		else
			printf("schema version %d (%d migration(s) applied)\n",
			       hq_db_schema_latest(), applied);
	} else if (hq_db_check_schema(db, &err)) {
		rc = fail(&err);
	} else if (strcmp(cmd, "station") == 0) {
		rc = station_command(db, rest, args, &err);
	} else if (strcmp(cmd, "import") == 0) {
		rc = hq_import_file(db, args[0], args[1], stdout, &err) ? fail(&err) : 0;
	} else if (strcmp(cmd, "evaluate-tiers") == 0) {
		rc = hq_chain_evaluate_tiers(db, &cfg, args[1], stdout, &err) ? fail(&err) : 0;
	} else if (strcmp(cmd, "records") == 0) {
		rc = hq_chain_load_records(db, &cfg, args[0], stdout, &err) ? fail(&err) : 0;
	} else if (strcmp(cmd, "block") == 0) {
		rc = hq_admin_block(db, args[0], args[1], stdout, &err) ? fail(&err) : 0;
	} else {
		rc = hq_admin_stats(db, rest == 1, stdout, &err) ? fail(&err) : 0;
	}
	PQfinish(db);
	return rc;
}
