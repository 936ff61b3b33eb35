/* cmd_report.c — `forecourt report monthly [--month YYYY-MM] [--format text|csv|json]`:
 * the monthly analysis of report.c printed for the station head or head office. */
#include <csv.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "report/report.h"

static const char *const class_names[4] = { "A", "B", "C", "none" };

/* "1234.567" litres from millilitres into buf[32]. */
static const char *litres(int64_t ml, char *buf)
{
	snprintf(buf, 32, "%s%" PRId64 ".%03" PRId64, ml < 0 ? "-" : "", (ml < 0 ? -ml : ml) / 1000,
		 (ml < 0 ? -ml : ml) % 1000);
	return buf;
}

/* The text form, streamed: the figures, then a line per row. */
static const char *const list_titles[REPORT_LIST_COUNT] = { "won back", "lost", "swing",
							    "potential" };
static const char *const list_sections[REPORT_LIST_COUNT] = { "won_back", "lost", "swing",
							      "potential" };

/* Where the stream is: each list's title comes before its first row. */
typedef struct print_state {
	const report_monthly *r;
	int next_list;  /* lists whose title is printed: [0, next_list) */
} print_state;

static size_t list_count(const report_monthly *r, int list)
{
	const report_list *l[REPORT_LIST_COUNT] = { &r->won_back, &r->lost, &r->swing, &r->potential };
	return l[list]->count;
}

/* The titles of the lists up to list (text), before its rows. */
static void text_titles_to(print_state *p, int list)
{
	for (; p->next_list <= list && p->next_list < REPORT_LIST_COUNT; p->next_list++)
		printf("%s: %zu\n", list_titles[p->next_list], list_count(p->r, p->next_list));
}

static fc_status text_customer(void *user, report_list_kind list, const report_customer *c,
			       fc_error *err)
{
	(void)err;
	char a[32], b[32];
	text_titles_to(user, list);
	printf("  %-20s %-19s last %-20s %10s L  month %10s L  %s\n", c->code,
	       tier_config_name(c->tier), c->last_at[0] ? c->last_at : "never",
	       litres(c->last_ml, a), litres(c->month_ml, b), c->name);
	return FC_OK;
}

static fc_status text_callback(void *user, const report_callback *c, fc_error *err)
{
	(void)user, (void)err;
	printf("  %-20s %-19s %-9s %d/%d %-6s %s\n", c->code, tier_config_name(c->tier),
	       stability_key(c->stability), c->done, c->required,
	       c->done < c->required ? "behind" : "met", c->name);
	return FC_OK;
}

static fc_status print_text(void *user, const report_monthly *r, fc_error *err)
{
	(void)user, (void)err;
	char a[32];
	printf("monthly analysis %s (%s .. %s)\n", r->month, r->from, r->to);
	printf("classes and tiers as stored at %s: %" PRId64 " customers\n", r->as_of,
	       r->customers);
	printf("by tier:\n");
	for (int t = 0; t < TIER_COUNT; t++)
		printf("  %-18s %8" PRId64 "\n", tier_config_name((fc_tier)t), r->by_tier[t]);
	printf("by stability:\n");
	for (int s = 0; s < STABILITY_COUNT; s++)
		printf("  %-18s %8" PRId64 "\n", stability_key((fc_stability)s), r->by_stability[s]);
	printf("by nature:\n");
	for (int n = 0; n < NATURE_COUNT; n++)
		printf("  %-18s %8" PRId64 "\n", nature_key((fc_nature)n), r->by_nature[n]);
	printf("by composite class:\n");
	for (int k = 0; k < 4; k++)
		printf("  %-18s %8" PRId64 "\n", class_names[k], r->by_composite[k]);
	printf("litres by grade (%" PRId64 " visits, %s L):\n", r->visits, litres(r->total_ml, a));
	for (size_t g = 0; g < r->grade_count; g++)
		printf("  %-18s %14s L %6" PRId64 " visits\n", r->grades[g].grade,
		       litres(r->grades[g].volume_ml, a), r->grades[g].visits);
	printf("litres by tier:\n");
	for (int t = 0; t < TIER_COUNT; t++)
		printf("  %-18s %14s L\n", tier_config_name((fc_tier)t), litres(r->tier_ml[t], a));
	printf("  %-18s %14s L\n", "anonymous", litres(r->anonymous_ml, a));
	printf("complaints: %" PRId64 " received, %" PRId64 " closed in time, %" PRId64
	       " closed late, %" PRId64 " open, %" PRId64 " overdue\n",
	       r->complaints_received, r->complaints_in_time, r->complaints_late,
	       r->complaints_open, r->complaints_overdue);
	printf("callbacks: %zu maintained customers, %" PRId64 " done of %" PRId64
	       " required, %" PRId64 " customers met, %zu behind\n",
	       r->callback_count, r->callbacks_done, r->callbacks_required, r->callbacks_met,
	       r->callback_count - (size_t)r->callbacks_met);
	return FC_OK;
}

/* One CSV field, quoted (libcsv) only when it needs it. */
static void csv_field(const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n"))
		csv_fwrite(stdout, s, strlen(s));
	else
		fputs(s, stdout);
	fputc(last ? '\n' : ',', stdout);
}

/* section,key,name,tier,stability,count,required,date,volume_ml,month_ml */
static void csv_row(const char *section, const char *key, const char *name, const char *tier,
		    const char *stability, int64_t count, int64_t required, const char *date,
		    int64_t volume_ml, int64_t month_ml)
{
	char n[4][24];
	snprintf(n[0], sizeof n[0], "%" PRId64, count);
	snprintf(n[1], sizeof n[1], "%" PRId64, required);
	snprintf(n[2], sizeof n[2], "%" PRId64, volume_ml);
	snprintf(n[3], sizeof n[3], "%" PRId64, month_ml);
	const char *f[] = { section, key, name, tier, stability, n[0], n[1], date, n[2], n[3] };
	for (int i = 0; i < 10; i++)
		csv_field(f[i], i == 9);
}

static fc_status csv_customer(void *user, report_list_kind list, const report_customer *c,
			      fc_error *err)
{
	(void)user, (void)err;
	csv_row(list_sections[list], c->code, c->name, tier_config_name(c->tier),
		stability_key(c->stability), 1, 0, c->last_at, c->last_ml, c->month_ml);
	return FC_OK;
}

static fc_status csv_callback(void *user, const report_callback *c, fc_error *err)
{
	(void)user, (void)err;
	csv_row("callback", c->code, c->name, tier_config_name(c->tier),
		stability_key(c->stability), c->done, c->required, "", 0, 0);
	return FC_OK;
}

static fc_status print_csv(void *user, const report_monthly *r, fc_error *err)
{
	(void)user, (void)err;
	puts("section,key,name,tier,stability,count,required,date,volume_ml,month_ml");
	csv_row("month", r->month, "", "", "", r->customers, 0, r->as_of, r->total_ml, r->visits);
	for (int t = 0; t < TIER_COUNT; t++)
		csv_row("tier", tier_config_name((fc_tier)t), "", "", "", r->by_tier[t], 0, "",
			r->tier_ml[t], 0);
	csv_row("tier", "anonymous", "", "", "", 0, 0, "", r->anonymous_ml, 0);
	for (int s = 0; s < STABILITY_COUNT; s++)
		csv_row("stability", stability_key((fc_stability)s), "", "", "", r->by_stability[s],
			0, "", 0, 0);
	for (int n = 0; n < NATURE_COUNT; n++)
		csv_row("nature", nature_key((fc_nature)n), "", "", "", r->by_nature[n], 0, "", 0, 0);
	for (int k = 0; k < 4; k++)
		csv_row("composite", class_names[k], "", "", "", r->by_composite[k], 0, "", 0, 0);
	for (size_t g = 0; g < r->grade_count; g++)
		csv_row("grade", r->grades[g].grade, "", "", "", r->grades[g].visits, 0, "",
			r->grades[g].volume_ml, 0);
	const struct { const char *key; int64_t n; } complaints[] = {
		{ "received", r->complaints_received }, { "closed_in_time", r->complaints_in_time },
		{ "closed_late", r->complaints_late }, { "open", r->complaints_open },
		{ "overdue", r->complaints_overdue },
	};
	for (size_t i = 0; i < sizeof complaints / sizeof complaints[0]; i++)
		csv_row("complaints", complaints[i].key, "", "", "", complaints[i].n, 0, "", 0, 0);
	csv_row("callbacks", "total", "", "", "", r->callbacks_done, r->callbacks_required, "", 0,
		r->callbacks_met);
	return FC_OK;
}

static json_t *json_list(const report_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++) {
		const report_customer *c = &l->rows[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:I, s:I}",
			"code", c->code, "name", c->name, "tier", tier_config_name(c->tier),
			"stability", stability_key(c->stability), "last_purchase",
			c->last_at[0] ? c->last_at : NULL, "last_volume_ml", (json_int_t)c->last_ml,
			"month_volume_ml", (json_int_t)c->month_ml));
	}
	return a;
}

static json_t *json_counts(const char *const *keys, const int64_t *n, int count)
{
	json_t *o = json_object();
	for (int i = 0; o && i < count; i++)
		json_object_set_new(o, keys[i], json_integer((json_int_t)n[i]));
	return o;
}

static int print_json(const report_monthly *r)
{
	const char *tiers[TIER_COUNT], *stab[STABILITY_COUNT], *nat[NATURE_COUNT];
	for (int t = 0; t < TIER_COUNT; t++)
		tiers[t] = tier_config_name((fc_tier)t);
	for (int s = 0; s < STABILITY_COUNT; s++)
		stab[s] = stability_key((fc_stability)s);
	for (int n = 0; n < NATURE_COUNT; n++)
		nat[n] = nature_key((fc_nature)n);
	json_t *grades = json_array(), *callbacks = json_array();
	for (size_t g = 0; grades && g < r->grade_count; g++)
		json_array_append_new(grades, json_pack("{s:s, s:I, s:I}", "grade",
			r->grades[g].grade, "volume_ml", (json_int_t)r->grades[g].volume_ml, "visits",
			(json_int_t)r->grades[g].visits));
	for (size_t i = 0; callbacks && i < r->callback_count; i++) {
		const report_callback *c = &r->callbacks[i];
		json_array_append_new(callbacks, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "code",
			c->code, "name", c->name, "tier", tier_config_name(c->tier), "stability",
			stability_key(c->stability), "done", c->done, "required", c->required));
	}
	json_t *tier_ml = json_counts(tiers, r->tier_ml, TIER_COUNT);
	if (tier_ml)
		json_object_set_new(tier_ml, "anonymous", json_integer(r->anonymous_ml));
	json_t *root = json_pack(
		"{s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o,"
		" s:{s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:o},"
		" s:o, s:o, s:o, s:o}",
		"month", r->month, "from", r->from, "to", r->to, "as_of", r->as_of,
		"customers", (json_int_t)r->customers,
		"by_tier", json_counts(tiers, r->by_tier, TIER_COUNT),
		"by_stability", json_counts(stab, r->by_stability, STABILITY_COUNT),
		"by_nature", json_counts(nat, r->by_nature, NATURE_COUNT),
		"by_composite", json_counts(class_names, r->by_composite, 4),
		"visits", (json_int_t)r->visits, "volume_ml", (json_int_t)r->total_ml,
		"volume_ml_by_grade", grades, "volume_ml_by_tier", tier_ml,
		"complaints", "received", (json_int_t)r->complaints_received, "closed_in_time",
		(json_int_t)r->complaints_in_time, "closed_late", (json_int_t)r->complaints_late,
		"open", (json_int_t)r->complaints_open, "overdue", (json_int_t)r->complaints_overdue,
		"callbacks", "maintained", (json_int_t)r->callback_count, "required",
		(json_int_t)r->callbacks_required, "done", (json_int_t)r->callbacks_done, "met",
		(json_int_t)r->callbacks_met, "customers", callbacks,
		"won_back", json_list(&r->won_back), "lost", json_list(&r->lost),
		"swing", json_list(&r->swing), "potential", json_list(&r->potential));
	if (!root) {
		fputs("forecourt report: out of memory building the JSON\n", stderr);
		return 1;
	}
	int rc = json_dumpf(root, stdout, JSON_INDENT(1));
	fputc('\n', stdout);
	json_decref(root);
	return rc ? 1 : 0;
}

static int cmd_report_run(fc_app *app, int argc, char **argv)
{
	const char *month_arg = NULL, *format = NULL;
	const cli_option opts[] = { { "month", &month_arg, NULL }, { "format", &format, NULL } };
	char *pos[1];
	if (argc < 2 || strcmp(argv[1], "monthly") != 0) {
		fprintf(stderr, "forecourt report: unknown report '%s'\n", argc < 2 ? "" : argv[1]);
		return cli_usage(&cmd_report, NULL);
	}
	if (cli_parse_options(argc, argv, opts, 2, pos, 0) < 0)
		return cli_usage(&cmd_report, NULL);
	if (format && strcmp(format, "text") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0) {
		fprintf(stderr, "forecourt report monthly: --format '%s': give text, csv or json\n",
			format);
		return 2;
	}
	fc_error err;
	fc_error_clear(&err);
	char month[REPORT_MONTH_LEN];
	int64_t now = clock_now_ms();
	fc_status st = FC_OK;
	char current[REPORT_MONTH_LEN];
	report_month_of(now, current);
	if (month_arg)
		st = report_parse_month(month_arg, month, &err);
	else
		snprintf(month, sizeof month, "%s", current);
	if (!st && strcmp(month, current) > 0) /* "YYYY-MM" compares like time */
		st = fc_error_set(&err, FC_ERR_USAGE, "--month %s has not begun yet (this is %s)",
				  month, current);
	if (st) {
		fprintf(stderr, "forecourt report monthly: %s\n", fc_error_text(&err));
		return 2;
	}
	st = app_open_db(app, DB_OPEN_EXISTING, &err);
	report_monthly r;
	memset(&r, 0, sizeof r);
	bool json = format && strcmp(format, "json") == 0;
	bool csv = format && strcmp(format, "csv") == 0;
	/* text and csv go out as they are read (a million customers' rows
	 * are never all in memory); json is one object, built whole */
	print_state p = { .r = &r };
	report_sink sink = { .user = &p, .mmap_bytes = (int64_t)1 << 31, .rows_in_memory = true,
			     .summary = csv ? print_csv : print_text,
			     .callback = csv ? csv_callback : text_callback,
			     .customer = csv ? csv_customer : text_customer };
	if (!st && json)
		st = report_monthly_compute(app->db, &app->cfg, month, now, &r, &err);
	else if (!st)
		st = report_monthly_stream(app->db, &app->cfg, month, now, &sink, &r, &err);
	if (!st && !json && !csv)
		text_titles_to(&p, REPORT_LIST_COUNT - 1); /* the titles of empty lists */
	int rc = 0;
	if (st)
		rc = cli_fail(st, &err);
	else if (json)
		rc = print_json(&r);
	report_monthly_free(&r);
	if (!rc && fflush(stdout) != 0) {
		perror("forecourt report: writing the output");
		rc = 1;
	}
	return rc;
}

const cli_command cmd_report = {
	.name = "report",
	.run = cmd_report_run,
	.usage = "forecourt report monthly [--month YYYY-MM] [--format text|csv|json]",
	.summary = "the monthly analysis: classes, tiers, callbacks, complaints, litres",
	.help = "For one station-local month (default: the current one): customers by tier,\n"
		"stability, nature and composite class (as stored by the last `classify`);\n"
		"litres by grade and by tier; complaints received in the month (closed in\n"
		"time, closed late, open, overdue); callbacks done against required for every\n"
		"customer this station maintains; won-back customers; the lost, swing and\n"
		"potential customers with their last purchase.  csv: one header row, then\n"
		"section,key,name,tier,stability,count,required,date,volume_ml,month_ml rows.\n"
		"json: one object (volumes in ml).  Exit 2 for a bad --month or --format.\n",
};
