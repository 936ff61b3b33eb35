/* cmd_init.c — `forecourt init`: create the database or bring it to the
 * latest schema. */
#include <stdio.h>

#include "cli/commands.h"
#include "store/schema.h"

int cmd_init(fc_app *app, int argc, char **argv)
{
	fc_error err;
	(void)argv;
	fc_error_clear(&err);
	if (argc != 1) {
		fprintf(stderr, "forecourt init: takes no arguments (see --help)\n");
		return 2;
	}
	fc_status st = app_open_db(app, DB_OPEN_CREATE, &err);
	if (st)
		return cli_fail(st, &err);
	printf("%s: schema version %d\n", app->db_path, db_schema_version(app->db));
	return 0;
}
