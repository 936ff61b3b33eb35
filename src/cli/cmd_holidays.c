/* cmd_holidays.c — `forecourt holidays load [FILE]`: the holiday calendar
 * the complaint deadlines and callbacks count working days by. */
#include <stdio.h>
#include <string.h>

#include "care/workdays.h"
#include "cli/commands.h"

static int cmd_holidays_run(fc_app *app, int argc, char **argv)
{
	fc_error err;
	int n = 0, majors = 0;
	fc_error_clear(&err);
	if (argc < 2 || argc > 3 || strcmp(argv[1], "load") != 0)
		return cli_usage(&cmd_holidays, NULL);
	const char *path = argc == 3 ? argv[2] : app->cfg.holidays_file;
	fc_actor by = cli_actor(app);
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (!st)
		st = workdays_load_calendar(app->db, path, &by, &n, &majors, &err);
	if (st)
		return cli_fail(st, &err);
	printf("%d calendar days loaded from %s (%d major holidays)\n", n, path, majors);
	return 0;
}

const cli_command cmd_holidays = {
	.name = "holidays",
	.run = cmd_holidays_run,
	.usage = "forecourt holidays load [FILE]",
	.summary = "load the holiday calendar into the database",
	.help = "Loads FILE (default [complaints] holidays_file): lines\n"
		"'DATE KIND [major|minor] NAME', KIND holiday or workday (make-up working day).\n"
		"Before a major holiday every maintained customer is due a callback ([callbacks]\n"
		"holiday_window_days); a minor one only counts for working days.  Without the\n"
		"column (older files) every holiday is major.  All lines or none.\n",
};
