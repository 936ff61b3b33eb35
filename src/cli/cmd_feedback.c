/* cmd_feedback.c — `forecourt feedback add RATING`: a customer's 1-5
 * satisfaction rating, linked to a fuelling when --visit is given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "care/feedback.h"
#include "cli/commands.h"

static int cmd_feedback_run(fc_app *app, int argc, char **argv)
{
	const char *visit, *comment;
	const cli_option opts[] = { { "visit", &visit, NULL }, { "comment", &comment, NULL } };
	char *pos[1], why[CLI_WHY_LEN];
	fc_error err;
	fc_error_clear(&err);
	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return cli_usage(&cmd_feedback, argc < 2 ? NULL : "the verb is add");
	int npos = cli_parse_options(argc, argv, opts, 2, pos, 1);
	long long rating = 0;
	if (npos != 1)
		return cli_usage(&cmd_feedback, npos == 0 ? "which RATING (1-5)?" : NULL);
	if (!cli_parse_int("RATING", pos[0], 1, 5, &rating, why))
		return cli_usage(&cmd_feedback, why);
	char id[UUID_STR_LEN];
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (!st)
		st = feedback_record(app->db, &app->cfg, visit, (int)rating, comment, 0, id, &err);
	if (st)
		return cli_fail(st, &err);
	printf("feedback %lld recorded (%s)\n", rating, id);
	return 0;
}

const cli_command cmd_feedback = {
	.name = "feedback",
	.run = cmd_feedback_run,
	.usage = "forecourt feedback add RATING [--visit ID] [--comment TEXT]",
	.summary = "record a customer satisfaction rating (1-5)",
	.help = "Links the rating to a recorded fuelling when --visit is given.\n",
};
