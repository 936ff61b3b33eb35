/* cmd_classify.c — `forecourt classify`: the daily recomputation of every
 * customer's stability, nature and composite class. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "cli/commands.h"
#include "customers/classify.h"

static int cmd_classify_run(fc_app *app, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(&cmd_classify, NULL);
	fc_error err;
	fc_error_clear(&err);
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	classify_counts n;
	if (!st)
		st = classify_all(app->db, &app->cfg, clock_now_ms(), &n, &err);
	if (st)
		return cli_fail(st, &err);
	printf("%" PRId64 " customers: %" PRId64 " current, %" PRId64 " lost, %" PRId64
	       " potential, %" PRId64 " swing; %" PRId64 " changed stability, %" PRId64
	       " changed nature; composite A %" PRId64 ", B %" PRId64 ", C %" PRId64
	       "; %" PRId64 " provisional tiers set, %" PRId64 " composite results queued\n",
	       n.customers, n.by_stability[STABILITY_CURRENT], n.by_stability[STABILITY_LOST],
	       n.by_stability[STABILITY_POTENTIAL], n.by_stability[STABILITY_SWING], n.changed,
	       n.nature_changed, n.by_class[0], n.by_class[1], n.by_class[2],
	       n.provisional_changed, n.composite_evaluated);
	return 0;
}

const cli_command cmd_classify = {
	.name = "classify",
	.run = cmd_classify_run,
	.usage = "forecourt classify",
	.summary = "recompute stability, nature and composite class of every customer",
	.help = "The daily run (also at the kiosk's start of day).  Stability from the visits\n"
		"([stability] lost_after_days, swing_drop_percent): current, lost (no purchase\n"
		"for more than lost_after_days days), potential (never bought), swing (last\n"
		"month's litres down by swing_drop_percent against the 90 days before).\n"
		"Nature from the active cards: a unit card or several cards make a big customer;\n"
		"a changed nature evaluates the tier again against that nature's thresholds.\n"
		"A potential customer's provisional tier from its declared yearly demand.\n"
		"Composite A/B/C from the [composite] weights, once a quarter: a head's ratings\n"
		"(rating_scale, rating_credit, rating_influence) or, until rated, the stand-ins;\n"
		"each result is sent to head office.\n",
};
