/* cmd_init.c — `forecourt init`: create the database or bring it to the
 * latest schema. */
#include <stdio.h>

#include "cli/commands.h"
#include "store/schema.h"

static int cmd_init_run(fc_app *app, int argc, char **argv)
{
	fc_error err;
	(void)argv;
	fc_error_clear(&err);
	if (argc != 1)
		return cli_usage(&cmd_init, "init takes no arguments");
	fc_status st = app_open_db(app, DB_OPEN_CREATE, &err);
	if (st)
		return cli_fail(st, &err);
	printf("%s: schema version %d\n", app->db_path, db_schema_version(app->db));
	return 0;
}

const cli_command cmd_init = {
	.name = "init",
	.run = cmd_init_run,
	.usage = "forecourt init",
	.summary = "create or upgrade the database",
	.help = "Creates the database (mode 0600) at --db or [database] path and brings it to\n"
		"the latest schema.  Running it again is harmless.\n",
};
