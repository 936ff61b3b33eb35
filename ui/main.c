/* main.c — the `forecourt` binary: global options and the git-style
 * command table.  The kiosk TUI is the default command. */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/app.h"
#include "cli/commands.h"
#include "ui/kiosk.h"
#include "base/log.h"

#ifndef FORECOURT_VERSION
#define FORECOURT_VERSION "0.1.0"
#endif

typedef struct command {
	const char *name;
	int (*run)(fc_app *app, int argc, char **argv);
	const char *usage;   /* first line of --help */
	const char *summary; /* one line in `forecourt --help` */
	const char *help;    /* the rest of --help: options and examples */
} command;

static const command commands[] = {
	{ "kiosk", kiosk_command, "forecourt [kiosk]", "the attendant's kiosk (the default)",
	  "Runs the full-screen kiosk on this terminal with the reader of [reader] port.\n"
	  "Keys are listed on the screen's bottom bar; F1 shows the help.\n" },
	{ "lookup", cmd_lookup, "forecourt lookup CARD [--json]",
	  "what a card gets: tier, green lane, points, discounts",
	  "Prints the customer, tier, green lane and dedicated pumps, points balance\n"
	  "(last synced + local movements; marked offline when meta 'last_upload_ok_at'\n"
	  "is older than [points] stale_after_minutes), approved discounts, who maintains\n"
	  "the customer and whether a callback is due.  CARD is hex (case and blanks are\n"
	  "ignored).  --json prints one object: card, registered, customer_code, name,\n"
	  "nature, tier, green_lane, pumps, points, blocked, stability and more.\n"
	  "Exit 1 for an unknown card ({\"card\":..,\"registered\":false}) or a blocked\n"
	  "card (recorded as blocked_card_seen for head office).\n" },
	{ "visit", cmd_visit,
	  "forecourt visit (--card ID | --anonymous) --grade G (--litres L | --amount YUAN) [--pump N]",
	  "record a fuelling and the points it earns",
	  "Litres (up to 3 decimals) or the amount in yuan (up to 2): the other comes from\n"
	  "[fuel] prices minus the approved discount of the customer's tier.  Points =\n"
	  "floor(litres x [points] per_litre x the tier's multiplier).  --pump defaults to 1.\n"
	  "The visit, points, upload record and audit row are saved together or not at all.\n"
	  "Exit 1 for an unknown or blocked card, 2 for bad values.\n" },
	{ "redeem", cmd_redeem, "forecourt redeem --card ID --points P",
	  "spend points ([points] per_yuan points = 1 yuan)",
	  "Never below zero.  While offline (last upload older than [points]\n"
	  "stale_after_minutes) at most [points] offline_daily_cap points per customer per\n"
	  "station-local day.  Each redemption has its own id, so an upload retry can never\n"
	  "spend twice.  Exit 1 when refused, with the reason.\n" },
	{ "register", cmd_register,
	  "forecourt register --card ID --name NAME --nature big|individual --industry I\n"
	  "       [--phone P] [--plate P]",
	  "register a new customer for an unknown card",
	  "The customer starts as potential, tier ordinary, with a generated customer code\n"
	  "STATION-N-II-NNNNNN (nature B/I, industry PT LG TX OF IN AG OT).  INDUSTRY is\n"
	  "passenger, logistics, taxi, official, industrial, agri or other.\n" },
	{ "init", cmd_init, "forecourt init", "create or upgrade the database",
	  "Creates the database (mode 0600) at --db or [database] path and brings it to\n"
	  "the latest schema.  Running it again is harmless.\n" },
	{ "db", cmd_db, "forecourt db check | forecourt db backup FILE",
	  "check the database or back it up online",
	  "check   runs PRAGMA quick_check and prints the schema version\n"
	  "backup  copies the live database to FILE (safe while kiosks run)\n" },
	{ "sync", cmd_sync, "forecourt sync [--once | --daemon]",
	  "deliver the outbox to head office and pull master data",
	  "--once    deliver every pending record, pull master data, then exit (default);\n"
	  "          exit 1 at the first failed attempt, with the reason\n"
	  "--daemon  keep delivering with backoff until SIGTERM (the systemd service)\n"
	  "Needs [upload] url and token_file (mode 0600).  One uploader per database:\n"
	  "a second one waits and says so.\n" },
	{ "outbox", cmd_outbox,
	  "forecourt outbox status [--json] | dead [--json] | retry ID|--all | export DIR | prune",
	  "backlog for head office: status, dead letters, USB export",
	  "status  pending, age of the oldest, sent today, dead letters, last success/error\n"
	  "dead    records head office rejected, with its reason (--json: NDJSON)\n"
	  "retry   queue a dead letter (or --all) for upload again\n"
	  "export  write the pending records as NDJSON into DIR (for a USB stick);\n"
	  "        head office deduplicates by id, so a later upload is harmless\n"
	  "prune   remove sent records older than [upload] retention_days now\n" },
	{ "staff", cmd_staff,
	  "forecourt staff add NO NAME ROLE [--as ADMIN] | list | disable NO --as ADMIN |\n"
	  "       forecourt staff reset-pin NO --as ADMIN | login NO",
	  "staff members, roles and PINs",
	  "add        ROLE is attendant, head or admin; the first one must be an admin,\n"
	  "           later ones need --as and that admin's PIN\n"
	  "list       numbers, names, roles, disabled or locked members\n"
	  "disable    the member can no longer log in\n"
	  "reset-pin  a new PIN; lifts a lockout\n"
	  "login      check a PIN (counts towards the lockout like the kiosk)\n"
	  "PINs are 4 to 12 digits, typed without echo (a new one twice).  When stdin is\n"
	  "not a terminal each PIN is one line of stdin: the --as admin's first.\n"
	  "The PIN hash uses the pepper in [auth] pepper_file (made 0600 by the first add).\n" },
	{ "audit", cmd_audit, "forecourt audit verify", "check the audit log's hash chain",
	  "verify  recomputes every row's SHA-256 chain; exit 1 naming the first altered row\n" },
	{ "complaint", cmd_complaint,
	  "forecourt complaint list [open|closed|all] | add | resolve ID | escalate ID",
	  "the complaint book: file, list, resolve, escalate",
	  "list      overdue first, then by deadline, with the time left (default: open)\n"
	  "add TEXT  --as HEAD [--channel book|in_person|phone|other]\n"
	  "          [--severity general|major|special] [--approved-by NAME] [--days N]\n"
	  "          [--customer CODE] [--name NAME] [--category C] [--received ISO-TIME]\n"
	  "resolve   ID --as HEAD --result TEXT --handler NAME [--remarks TEXT]\n"
	  "escalate  ID --as HEAD --severity major|special --reason TEXT [--approved-by NAME]\n"
	  "ID is the 8-character id of the list.  Deadlines count working days of the\n"
	  "holiday calendar ([complaints] days; special needs the approving supervisor).\n"
	  "The PIN of --as is read like for `staff`.\n" },
	{ "holidays", cmd_holidays, "forecourt holidays load [FILE]",
	  "load the holiday calendar into the database",
	  "Loads FILE (default [complaints] holidays_file): lines 'DATE KIND NAME', KIND\n"
	  "holiday or workday (make-up working day).  All lines or none.\n" },
	{ "callback", cmd_callback, "forecourt callback due | add CODE | report CODE",
	  "callbacks due, recording callbacks and visit reports",
	  "due     maintained customers behind on this month's callbacks (or before a holiday)\n"
	  "add     CODE --as HEAD --method phone|sms|email|card|visit|forum [--contact NAME]\n"
	  "        --notes TEXT (what was said: required)\n"
	  "report  CODE --as HEAD --quality very_excellent|excellent|good|fair|acceptable|\n"
	  "        unacceptable --attitude very_excellent|excellent|good|fair|poor|abysmal\n"
	  "        --renown very_famous|famous|high|fairly_high|known|heard_of|unknown\n"
	  "        [--date YYYY-MM-DD] [--suggestions T] [--contact NAME] [--title T] [--phone P]\n" },
	{ "feedback", cmd_feedback, "forecourt feedback add RATING [--visit ID] [--comment TEXT]",
	  "record a customer satisfaction rating (1-5)",
	  "Links the rating to a recorded fuelling when --visit is given.\n" },
	{ "import", cmd_import, "forecourt import customers|cards|blocked|prices|holidays FILE",
	  "load a head-office file (CSV or NDJSON) into the database",
	  "FILE is CSV with a header row (UTF-8), or NDJSON when it ends in .ndjson or\n"
	  ".jsonl.  All rows or none: any bad row is listed as FILE:LINE: column 'x': why\n"
	  "(up to 20) and nothing is changed.  Columns (required first):\n"
	  "  customers  code, name, nature, industry, then tier, points, phone, plate,\n"
	  "             contact, address, fuel_grades, yearly_litres, refuel_cycle_days,\n"
	  "             other_channels, potential_needs, person_in_charge, handler,\n"
	  "             special_needs\n"
	  "  cards      card_id, customer_code, kind (unit|personal), then status\n"
	  "  blocked    card_id, then reason\n"
	  "  prices     grade, tier, nature, discount_fen_per_litre\n"
	  "  holidays   date (YYYY-MM-DD), kind (holiday|workday), then name\n"
	  "Prints inserted / updated / unchanged; a progress bar on a terminal.\n" },
	{ "reader-test", cmd_reader_test,
	  "forecourt reader-test [--port P] [--protocol X] [--baud B] [--seconds N]",
	  "try the card reader: ids, renderings, connects, counters",
	  "Opens the reader ([reader] port/protocol unless given) and prints each card id\n"
	  "with its printed renderings (8H10D, W26), connect/disconnect events and dropped\n"
	  "frames, then the counters: frames ok, bad checks, resyncs, timeouts, debounced\n"
	  "repeats.  Runs until --seconds pass (0 = until Ctrl-C).\n"
	  "  --port      /dev/ttyUSB0 (by-id links are fine), tcp://HOST:PORT, sim:FILE\n"
	  "  --protocol  em4100, line, track2 or stx-bcc\n"
	  "Exit 2 for a bad port syntax or protocol name, 1 when the reader never\n"
	  "connected during the run.\n" },
	{ "classify", cmd_classify, "forecourt classify",
	  "recompute stability, nature and composite class of every customer",
	  "The daily run (also at the kiosk's start of day).  Stability from the visits\n"
	  "([stability] lost_after_days, swing_drop_percent): current, lost (no purchase\n"
	  "for more than lost_after_days days), potential (never bought), swing (last\n"
	  "month's litres down by swing_drop_percent against the 90 days before).\n"
	  "Nature from the active cards: a unit card or several cards make a big customer.\n"
	  "Composite A/B/C from the [composite] weights.\n" },
	{ "evaluate-tiers", cmd_evaluate_tiers, "forecourt evaluate-tiers [--period 2026H2] [--dry-run]",
	  "half-year tiers from this station's visits",
	  "Litres per customer over the half year (default: the last one that ended)\n"
	  "against the thresholds of [tiers].  A tier from head office wins unless\n"
	  "[tiers] prefer = local.  Each change keeps a history row and goes to the\n"
	  "outbox ('tier_changed').  --dry-run prints the changes by tier, writes nothing.\n" },
	{ "customer", cmd_customer,
	  "forecourt customer search TEXT | show CODE | edit CODE FIELD=VALUE... --as HEAD |\n"
	  "       forecourt customer register NAME NATURE INDUSTRY [FIELD=VALUE...] --as HEAD",
	  "the customer archive: search, view, edit, register",
	  "search    any part of a name, phone, plate or code (Chinese too); first page\n"
	  "show      every archive field, classes, tier and its source, composite class\n"
	  "edit      FIELD is name, contact, phone, address, plate, fuel_grades,\n"
	  "          yearly_litres, refuel_cycle_days, other_channels, potential_needs,\n"
	  "          person_in_charge, handler, special_needs, industry or nature;\n"
	  "          FIELD= clears it.  Each change goes to head office (who, old, new).\n"
	  "register  a potential customer; the code is STATION-N-II-NNNNNN, e.g.\n"
	  "          S0001-B-LG-000042 (B big, I individual; PT passenger, LG logistics,\n"
	  "          TX taxi, OF official, IN industrial, AG agri, OT other)\n"
	  "The PIN of --as is read like for `staff`.\n" },
	{ "report", cmd_report, "forecourt report monthly [--month YYYY-MM] [--format text|csv|json]",
	  "the monthly analysis: classes, tiers, callbacks, complaints, litres",
	  "For one station-local month (default: the current one): customers by tier,\n"
	  "stability, nature and composite class (as stored by the last `classify`);\n"
	  "litres by grade and by tier; complaints received in the month (closed in\n"
	  "time, closed late, open, overdue); callbacks done against required for every\n"
	  "customer this station maintains; won-back customers; the lost, swing and\n"
	  "potential customers with their last purchase.  csv: one header row, then\n"
	  "section,key,name,tier,stability,count,required,date,volume_ml,month_ml rows.\n"
	  "json: one object (volumes in ml).  Exit 2 for a bad --month or --format.\n" },
	{ "demo", demo_command, "forecourt demo [--customers N] [--seed S] [--build-only]",
	  "build the demo database and start the kiosk on it",
	  "Builds a deterministic demo database at --db (default build/demo.db) when it\n"
	  "does not exist yet, then starts the kiosk with a simulated reader (F2 swipes).\n"
	  "An existing demo database is reused; any other existing file is refused.\n"
	  "Same seed and count, same data (dates end today, or at FORECOURT_NOW).\n"
	  "  --customers N  number of customers (default 10000)\n"
	  "  --seed S       generator seed (default 1); same seed, same database\n"
	  "  --build-only   build the database and exit\n" },
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: forecourt [--config FILE] [--db FILE] [COMMAND] [ARGS]\n"
		"       forecourt --version | --help | COMMAND --help\n\n"
		"commands:\n");
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\nconfig: --config FILE, else $FORECOURT_CONFIG, else "
		"/etc/forecourt/forecourt.conf\n");
}

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	const char *config_arg = NULL, *db_arg = NULL;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("forecourt %s\n", FORECOURT_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_usage(stdout);
			return 0;
		} else if ((strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "--db") == 0) &&
			   i + 1 < argc) {
			if (argv[i][2] == 'c')
				config_arg = argv[++i];
			else
				db_arg = argv[++i];
		} else {
			bool needs_file = strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "--db") == 0;
			if (needs_file)
				fprintf(stderr, "forecourt: %s needs a FILE\n", argv[i]);
			else
				fprintf(stderr, "forecourt: unknown option '%s'\n", argv[i]);
			print_usage(stderr);
			return 2;
		}
	}
	const command *cmd = find_command(i < argc ? argv[i] : "kiosk");
	if (!cmd) {
		fprintf(stderr, "forecourt: unknown command '%s'\n", argv[i]);
		print_usage(stderr);
		return 2;
	}
	int cargc = i < argc ? argc - i : 1;
	char *kiosk_argv[] = { (char *)"kiosk", NULL };
	char **cargv = i < argc ? argv + i : kiosk_argv;
	if (wants_help(cargc, cargv)) {
		printf("usage: %s\n%s.\n\n%s", cmd->usage, cmd->summary, cmd->help);
		return 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "forecourt: libsodium could not start\n");
		return 1;
	}
	fc_app app;
	fc_error err;
	fc_error_clear(&err);
	fc_status st = app_init(&app, config_arg, db_arg, &err);
	if (st) {
		fprintf(stderr, "forecourt: %s\n", fc_error_text(&err));
		return app_exit_code(st);
	}
	log_open(app.cfg.station_id); /* syslog ident forecourt/STATION */
	int rc = cmd->run(&app, cargc, cargv);
	app_close(&app);
	log_close();
	return rc;
}
