/* cmd_feedback.c — `forecourt feedback add RATING`: a customer's 1-5
 * satisfaction rating, linked to a fuelling when --visit is given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "base/uuid.h"
#include "care/feedback.h"

int cmd_feedback(fc_app *app, int argc, char **argv)
{
	const char *visit, *comment;
	const cli_option opts[] = { { "visit", &visit }, { "comment", &comment } };
	char *pos[1];
	fc_error err;
	fc_error_clear(&err);
	int npos = cli_parse_options(argc, argv, opts, 2, pos, 1);
	char *end = NULL;
	long rating = npos == 1 ? strtol(pos[0], &end, 10) : 0;
	if (npos != 1 || strcmp(argv[1], "add") != 0 || !end || *end) {
		fprintf(stderr, "usage: forecourt feedback add RATING(1-5) [--visit ID] [--comment T]\n");
		return 2;
	}
	char id[UUID_STR_LEN];
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (!st)
		st = feedback_record(app->db, &app->cfg, visit, (int)rating, comment, 0, id, &err);
	if (st)
		return cli_fail(st, &err);
	printf("feedback %ld recorded (%s)\n", rating, id);
	return 0;
}
