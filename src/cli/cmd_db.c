/* cmd_db.c — `forecourt db check|backup`: the database's integrity check
 * and an online backup. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "store/schema.h"

static int cmd_db_run(fc_app *app, int argc, char **argv)
{
	fc_error err;
	fc_error_clear(&err);
	if (argc < 2 || (strcmp(argv[1], "check") == 0 && argc != 2) ||
	    (strcmp(argv[1], "backup") == 0 && argc != 3) ||
	    (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "backup") != 0))
		return cli_usage(&cmd_db, NULL);
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (st)
		return cli_fail(st, &err);
	if (strcmp(argv[1], "check") == 0) {
		char report[2048];
		st = db_quick_check(app->db, report, sizeof report, &err);
		printf("schema version: %d (this program: %d)\n", db_schema_version(app->db),
		       schema_latest_version());
		printf("quick_check: %s\n", report);
		return st ? cli_fail(st, &err) : 0;
	}
	st = db_backup(app->db, argv[2], &err);
	if (st)
		return cli_fail(st, &err);
	printf("backup written to %s\n", argv[2]);
	return 0;
}

const cli_command cmd_db = {
	.name = "db",
	.run = cmd_db_run,
	.usage = "forecourt db check | forecourt db backup FILE",
	.summary = "check the database or back it up online",
	.help = "check   runs PRAGMA quick_check and prints the schema version\n"
		"backup  copies the live database to FILE (safe while kiosks run)\n",
};
