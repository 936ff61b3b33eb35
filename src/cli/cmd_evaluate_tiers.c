/* cmd_evaluate_tiers.c — `forecourt evaluate-tiers [--period 2026H2]
 * [--dry-run] [--local]`: half-year tiers from this station's visits only,
 * for a station without a head office (which evaluates the whole chain's). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "customers/tiers.h"

static void print_changes(const tier_evaluation *ev, bool dry_run)
{
	for (size_t i = 0; i < ev->count; i++) {
		const tier_change *c = &ev->changes[i];
		if (i == 0 || ev->changes[i - 1].new_tier != c->new_tier) {
			size_t n = 0;
			for (size_t k = i; k < ev->count && ev->changes[k].new_tier == c->new_tier; k++)
				n++;
			printf("%s (%zu):\n", tier_config_name(c->new_tier), n);
		}
		printf("  %-16s %-24s %s -> %s  %" PRId64 " L%s\n", c->code, c->name,
		       tier_key(c->old_tier), tier_key(c->new_tier), c->volume_ml / 1000,
		       c->old_from_hq ? "  (was head office's)" : "");
	}
	printf("%zu changes%s; %" PRId64 " customers evaluated, %" PRId64
	       " head-office tiers kept\n", ev->count, dry_run ? " (dry run: nothing written)" : "",
	       ev->evaluated, ev->kept_hq);
}

/* 0 when ev changes at most [tiers] confirm_percent of the customers it
 * evaluated, else 2 after saying that --yes is needed. */
static int confirm_share(const fc_config *cfg, const tier_evaluation *ev)
{
	if (ev->evaluated <= 0 ||
	    (int64_t)ev->count * 100 <= (int64_t)cfg->tier_confirm_percent * ev->evaluated)
		return 0;
	fprintf(stderr,
		"forecourt evaluate-tiers: this would change the tier of %zu of %" PRId64
		" customers (%" PRId64 "%%), more than [tiers] confirm_percent (%d%%).\n"
		"Nothing was written.  See them with --dry-run; give --yes to write them.\n",
		ev->count, ev->evaluated, (int64_t)ev->count * 100 / ev->evaluated,
		cfg->tier_confirm_percent);
	return 2;
}

static int cmd_evaluate_tiers_run(fc_app *app, int argc, char **argv)
{
	const char *period_arg = NULL;
	bool dry_run = false, local = false, yes = false;
	char why[CLI_WHY_LEN];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0) {
			dry_run = true;
		} else if (strcmp(argv[i], "--local") == 0) {
			local = true;
		} else if (strcmp(argv[i], "--yes") == 0) {
			yes = true;
		} else if (strcmp(argv[i], "--period") == 0 && i + 1 < argc) {
			period_arg = argv[++i];
		} else {
			snprintf(why, sizeof why, strcmp(argv[i], "--period") == 0
				 ? "option '%s' needs a value" : argv[i][0] == '-'
				 ? "unknown option '%s'" : "unexpected argument '%s'", argv[i]);
			return cli_usage(&cmd_evaluate_tiers, why);
		}
	}
	if (app->cfg.upload_url[0] && !local) {
		fprintf(stderr,
			"forecourt evaluate-tiers: this station has a head office ([upload] url):\n"
			"head office evaluates the tiers from the litres at all our stations\n"
			"(forecourt-hq evaluate-tiers) and sends them with the master data.  This\n"
			"command counts this station's visits only; give --local to run it anyway.\n");
		return 1;
	}
	fc_error err;
	fc_error_clear(&err);
	tier_period period;
	fc_status st = FC_OK;
	if (period_arg)
		st = tiers_parse_period(period_arg, &period, &err);
	else
		tiers_last_period(clock_now_ms(), &period);
	if (!st && !dry_run) /* a look at a running half year writes nothing */
		st = tiers_check_period_ended(&period, clock_now_ms(), &err);
	if (st) /* a bad or unfinished period is a bad value: exit 2 */
		return cli_usage(&cmd_evaluate_tiers, fc_error_text(&err));
	st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (st)
		return cli_fail(st, &err);
	printf("period %s (%s .. %s), prefer %s\n", period.name, period.from, period.to,
	       app->cfg.tier_prefer_local ? "local" : "hq");
	printf("from this station's visits only: the chain's litres at other stations are not "
	       "counted%s\n", app->cfg.upload_url[0] ? " (head office evaluates those)" : "");
	tier_evaluation ev;
	if (!dry_run && !yes) { /* a look first: a run that changes many asks for --yes */
		st = tiers_evaluate(app->db, &app->cfg, &period, true, app->staff_id, &ev, &err);
		int rc = st ? cli_fail(st, &err) : confirm_share(&app->cfg, &ev);
		tiers_evaluation_free(&ev);
		if (rc)
			return rc;
	}
	st = tiers_evaluate(app->db, &app->cfg, &period, dry_run, app->staff_id, &ev, &err);
	if (!st)
		print_changes(&ev, dry_run);
	tiers_evaluation_free(&ev);
	return st ? cli_fail(st, &err) : 0;
}

const cli_command cmd_evaluate_tiers = {
	.name = "evaluate-tiers",
	.run = cmd_evaluate_tiers_run,
	.usage = "forecourt evaluate-tiers [--period 2026H2] [--dry-run] [--local] [--yes]",
	.summary = "half-year tiers from this station's visits only (no head office)",
	.help = "For a station without a head office.  The rule counts the litres at all our\n"
		"stations: head office evaluates them (forecourt-hq evaluate-tiers) and sends\n"
		"the tiers with the master data.  This command counts this station's visits\n"
		"only, so with [upload] url set it refuses unless --local is given.\n"
		"Litres per customer over the half year (default: the last one that ended)\n"
		"against the thresholds of [tiers].  A tier from head office wins unless\n"
		"[tiers] prefer = local.  Each change keeps a history row and goes to the\n"
		"outbox ('tier_changed').  --dry-run prints the changes by tier, writes nothing.\n"
		"A half year that has not ended is refused (exit 2) unless --dry-run.  A run\n"
		"that would change the tier of more than [tiers] confirm_percent of the\n"
		"customers writes nothing and exits 2 unless --yes is given.\n",
};
