/* cmd_report.c — `forecourt report monthly [--month YYYY-MM] [--format text|csv|json]`:
 * the monthly analysis of report.c printed for the station head or head office. */
#include <csv.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The study's answers of c under its line, one "key: value" each. */
static void text_study(const report_monthly *r, const report_customer *c)
{
	if (c->competitor)
		printf("      competitor customer: %s\n",
		       c->competitor_name ? report_text(r, c->competitor_name) : "(not named)");
	if (!c->study_at)
		return;
	printf("      study of %s:", report_text(r, c->study_at));
	for (int f = 0; f < STUDY_FIELD_COUNT; f++)
		if (c->study[f])
			printf(" %s=%s", study_field_key((study_field)f), report_text(r, c->study[f]));
	putchar('\n');
}

/* The text and csv forms, streamed: the figures, then a line per row. */
static const char *const list_titles[REPORT_LIST_COUNT] = { "won back", "lost", "swing",
							    "potential", "competitor customers" };
static const char *const list_sections[REPORT_LIST_COUNT] = { "won_back", "lost", "swing",
							      "potential", "competitor" };

/* Where the stream is: each list's title comes before its first row. */
typedef struct print_state {
	const report_monthly *r;
	int next_list;  /* lists whose title is printed: [0, next_list) */
} print_state;

static size_t list_count(const report_monthly *r, int list)
{
	const report_list *l[REPORT_LIST_COUNT] = { &r->won_back, &r->lost, &r->swing, &r->potential,
						    &r->competitors };
	return l[list]->count;
}

/* The titles of the lists up to list (text), before its rows. */
static void text_titles_to(print_state *p, int list)
{
	for (; p->next_list <= list && p->next_list < REPORT_LIST_COUNT; p->next_list++)
		printf("%s: %zu\n", list_titles[p->next_list], list_count(p->r, p->next_list));
}

/* A row's line is put together by hand, as printf("%-20s") and "%d" would
 * write it: a million rows, and printf's parsing was a sixth of the
 * command's time.  Each returns the end of what it wrote; a line of a row
 * takes at most ROW_LINE_MAX bytes. */
#define ROW_LINE_MAX 512

/* s, then blanks up to width bytes ("%-*s") */
static char *put_left(char *at, const char *s, size_t width)
{
	size_t n = strlen(s);
	memcpy(at, s, n);
	for (; n < width; n++)
		at[n] = ' ';
	return at + n;
}

/* blanks up to width bytes, then s ("%*s") */
static char *put_right(char *at, const char *s, size_t width)
{
	size_t n = strlen(s);
	for (; n < width; n++)
		*at++ = ' ';
	return put_left(at, s, 0);
}

/* v in decimal ("%" PRId64) */
static char *put_int(char *at, int64_t v)
{
	char digits[24];
	int n = 0;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	do
		digits[n++] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*at++ = '-';
	while (n)
		*at++ = digits[--n];
	return at;
}

/* litres() into out[32], without printf */
static const char *litres_fast(int64_t ml, char *out)
{
	uint64_t u = ml < 0 ? -(uint64_t)ml : (uint64_t)ml;
	char *at = put_int(out + (ml < 0), (int64_t)(u / 1000));
	if (ml < 0)
		out[0] = '-';
	at[0] = '.';
	at[1] = (char)('0' + u % 1000 / 100);
	at[2] = (char)('0' + u % 100 / 10);
	at[3] = (char)('0' + u % 10);
	at[4] = '\0';
	return out;
}

static void put_line(const char *line, const char *end)
{
	fwrite(line, 1, (size_t)(end - line), stdout);
}

static fc_status text_customer(void *user, report_list_kind list, const report_customer *c,
			       fc_error *err)
{
	(void)err;
	print_state *p = user;
	char a[32], b[32], line[ROW_LINE_MAX], *at = line;
	text_titles_to(p, list);
	/* "  %-20s %-19s last %-20s %10s L  month %10s L  %s\n" */
	at = put_left(put_left(at, "  ", 0), c->code, 20);
	at = put_left(put_left(at, " ", 0), tier_config_name(c->tier), 19);
	at = put_left(put_left(at, " last ", 0), c->last_at[0] ? c->last_at : "never", 20);
	at = put_right(put_left(at, " ", 0), litres_fast(c->last_ml, a), 10);
	at = put_right(put_left(at, " L  month ", 0), litres_fast(c->month_ml, b), 10);
	at = put_left(put_left(put_left(at, " L  ", 0), c->name, 0), "\n", 0);
	put_line(line, at);
	text_study(p->r, c);
	return FC_OK;
}

static fc_status text_callback(void *user, const report_callback *c, fc_error *err)
{
	(void)user, (void)err;
	char line[ROW_LINE_MAX], *at = line;
	/* "  %-20s %-19s %-9s %d/%d %-6s %s\n" */
	at = put_left(put_left(at, "  ", 0), c->code, 20);
	at = put_left(put_left(at, " ", 0), tier_config_name(c->tier), 19);
	at = put_left(put_left(at, " ", 0), stability_key(c->stability), 9);
	at = put_int(put_left(at, " ", 0), c->done);
	at = put_int(put_left(at, "/", 0), c->required);
	at = put_left(put_left(at, " ", 0), c->done < c->required ? "behind" : "met", 6);
	at = put_left(put_left(put_left(at, " ", 0), c->name, 0), "\n", 0);
	put_line(line, at);
	return FC_OK;
}

/* "4.25" of sum / count (two decimals, rounded), "-" when count is 0. */
static const char *mean_text(int64_t sum, int64_t count, char *buf)
{
	if (count <= 0)
		return snprintf(buf, 32, "-"), buf;
	int64_t hundredths = (sum * 200 + count) / (2 * count);
	snprintf(buf, 32, "%" PRId64 ".%02" PRId64, hundredths / 100, hundredths % 100);
	return buf;
}

static const char *const score_keys[SCORE_ITEM_COUNT] = { "quality", "attitude", "renown" };

static void text_study_sections(const report_monthly *r)
{
	char m[32];
	printf("study: reasons of the lost, swing and potential customers by tier:\n");
	for (int t = 0; t < TIER_COUNT; t++) {
		int64_t any = 0;
		for (int k = 0; k <= LOSS_REASON_COUNT; k++)
			any += r->reasons[t][k];
		if (!any)
			continue;
		printf("  %-18s", tier_config_name((fc_tier)t));
		for (int k = 0; k <= LOSS_REASON_COUNT; k++)
			if (r->reasons[t][k])
				printf(" %s %" PRId64, k < LOSS_REASON_COUNT
				       ? loss_reason_key((fc_loss_reason)k) : "none", r->reasons[t][k]);
		printf(" (");
		for (int k = 0; k < LOSS_KIND_COUNT; k++)
			printf("%s%s %" PRId64, k ? ", " : "", loss_reason_kind_key((fc_loss_kind)k),
			       r->reason_kinds[t][k]);
		printf(")\n");
	}
	printf("satisfaction: %" PRId64 " ratings, mean %s;", r->rating_count,
	       mean_text(r->rating_sum, r->rating_count, m));
	for (int k = 0; k < 5; k++)
		printf(" %d: %" PRId64, k + 1, r->ratings[k]);
	putchar('\n');
	printf("visit reports: %zu;", r->visit_report_count);
	for (int i = 0; i < SCORE_ITEM_COUNT; i++)
		printf(" %s mean %s", score_keys[i],
		       mean_text(r->visit_points_sum[i], (int64_t)r->visit_report_count, m));
	putchar('\n');
	for (size_t i = 0; i < r->visit_report_count; i++) {
		const report_visit *v = &r->visit_reports[i];
		printf("  %-10s %-20s %3d %3d %3d  %s\n", v->date, v->code, v->points[0],
		       v->points[1], v->points[2], v->name);
	}
	printf("complaints by handler:\n");
	for (size_t i = 0; i < r->handler_count; i++) {
		const report_handler *h = &r->handlers[i];
		printf("  %-20s %" PRId64 " received, %" PRId64 " closed in time, %" PRId64
		       " closed late, %" PRId64 " open, %" PRId64 " overdue\n",
		       h->handler[0] ? h->handler : "(no handler yet)", h->received, h->in_time,
		       h->late, h->open, h->overdue);
	}
}

static fc_status print_text(void *user, const report_monthly *r, fc_error *err)
{
	(void)user, (void)err;
	char a[32];
	printf("monthly analysis %s (%s .. %s)\n", r->month, r->from, r->to);
	if (r->classes_then)
		printf("classes and tiers as they were at the month's end %s: %" PRId64
		       " customers\n", r->to, r->customers);
	else if (r->history) {
		char since[CLOCK_ISO_LEN];
		int64_t ms;
		if (clock_parse_iso(r->history_since, &ms))
			clock_local_date(ms, since);
		else
			snprintf(since, sizeof since, "%.10s", r->history_since);
		printf("classes as of today: no history before %s; tiers and classes as stored at"
		       " %s: %" PRId64 " customers made before the month's end\n", since, r->as_of,
		       r->customers);
	} else
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

#define CSV_HEADER "section,key,name,tier,stability,count,required,date,volume_ml,month_ml," \
	"loss_reason,loss_reason_text,current_channel,competitor_offer,measures,responsible," \
	"study_at,competitor"

/* The study columns of a row (NULL: all empty). */
static void csv_study(const report_monthly *r, const report_customer *c)
{
	for (int f = 0; f < STUDY_FIELD_COUNT; f++)
		csv_field(c ? report_text(r, c->study[f]) : "", false);
	csv_field(c ? report_text(r, c->study_at) : "", false);
	csv_field(c && c->competitor ? (c->competitor_name ? report_text(r, c->competitor_name)
							   : "yes") : "", true);
}

/* section,key,name,tier,stability,count,required,date,volume_ml,month_ml,
 * then the study's columns (those of customer c, empty when NULL) */
static void csv_row_of(const report_monthly *r, const report_customer *c, const char *section,
		       const char *key, const char *name, const char *tier, const char *stability,
		       int64_t count, int64_t required, const char *date, int64_t volume_ml,
		       int64_t month_ml)
{
	char n[4][24];
	snprintf(n[0], sizeof n[0], "%" PRId64, count);
	snprintf(n[1], sizeof n[1], "%" PRId64, required);
	snprintf(n[2], sizeof n[2], "%" PRId64, volume_ml);
	snprintf(n[3], sizeof n[3], "%" PRId64, month_ml);
	const char *f[] = { section, key, name, tier, stability, n[0], n[1], date, n[2], n[3] };
	for (int i = 0; i < 10; i++)
		csv_field(f[i], false);
	csv_study(r, c);
}

#define csv_row(...) csv_row_of(r, NULL, __VA_ARGS__)

static fc_status csv_customer(void *user, report_list_kind list, const report_customer *c,
			      fc_error *err)
{
	(void)err;
	const print_state *p = user;
	csv_row_of(p->r, c, list_sections[list], c->code, c->name, tier_config_name(c->tier),
		   stability_key(c->stability), 1, 0, c->last_at, c->last_ml, c->month_ml);
	return FC_OK;
}

static fc_status csv_callback(void *user, const report_callback *c, fc_error *err)
{
	(void)err;
	const report_monthly *r = ((const print_state *)user)->r;
	csv_row("callback", c->code, c->name, tier_config_name(c->tier),
		stability_key(c->stability), c->done, c->required, "", 0, 0);
	return FC_OK;
}

/* reason, satisfaction, visit_score, visit_report and handler rows. */
static void csv_study_sections(const report_monthly *r)
{
	char m[32];
	for (int t = 0; t < TIER_COUNT; t++)
		for (int k = 0; k <= LOSS_REASON_COUNT; k++)
			if (r->reasons[t][k])
				csv_row("reason", k < LOSS_REASON_COUNT
					? loss_reason_key((fc_loss_reason)k) : "none", "",
					tier_config_name((fc_tier)t), "", r->reasons[t][k], 0, "", 0, 0);
	for (int t = 0; t < TIER_COUNT; t++)
		for (int k = 0; k < LOSS_KIND_COUNT; k++)
			if (r->reason_kinds[t][k])
				csv_row("reason_kind", loss_reason_kind_key((fc_loss_kind)k), "",
					tier_config_name((fc_tier)t), "", r->reason_kinds[t][k], 0, "",
					0, 0);
	for (int k = 0; k < 5; k++) {
		char key[16];
		snprintf(key, sizeof key, "%d", k + 1);
		csv_row("satisfaction", key, "", "", "", r->ratings[k], 0, "", 0, 0);
	}
	csv_row("satisfaction", "total", mean_text(r->rating_sum, r->rating_count, m), "", "",
		r->rating_count, r->rating_sum, "", 0, 0);
	for (int i = 0; i < SCORE_ITEM_COUNT; i++)
		csv_row("visit_score", score_keys[i],
			mean_text(r->visit_points_sum[i], (int64_t)r->visit_report_count, m), "", "",
			(int64_t)r->visit_report_count, r->visit_points_sum[i], "", 0, 0);
	for (size_t i = 0; i < r->visit_report_count; i++) {
		const report_visit *v = &r->visit_reports[i];
		char pts[48];
		snprintf(pts, sizeof pts, "%d/%d/%d", v->points[0], v->points[1], v->points[2]);
		csv_row("visit_report", v->code, v->name, pts, "",
			v->points[0] + v->points[1] + v->points[2], 0, v->date, 0, 0);
	}
	for (size_t i = 0; i < r->handler_count; i++) {
		const report_handler *h = &r->handlers[i];
		const struct { const char *key; int64_t n; } k[] = {
			{ "received", h->received }, { "closed_in_time", h->in_time },
			{ "closed_late", h->late }, { "open", h->open }, { "overdue", h->overdue },
		};
		for (size_t j = 0; j < sizeof k / sizeof k[0]; j++)
			csv_row("handler", h->handler, k[j].key, "", "", k[j].n, 0, "", 0, 0);
	}
}

static fc_status print_csv(void *user, const report_monthly *r, fc_error *err)
{
	(void)user, (void)err;
	puts(CSV_HEADER);
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
#undef csv_row

/* A text of r->texts as JSON: null when not given. */
static json_t *json_text(const report_monthly *r, size_t off)
{
	return off ? json_string(report_text(r, off)) : json_null();
}

static json_t *json_list(const report_monthly *r, const report_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++) {
		const report_customer *c = &l->rows[i];
		/* the study: null when never answered (one key, not seven: the
		 * lists hold most of the customers) */
		json_t *study = c->study_at ? json_pack("{s:s}", "at", report_text(r, c->study_at)) : json_null();
		for (int f = 0; c->study_at && study && f < STUDY_FIELD_COUNT; f++)
			json_object_set_new(study, study_field_key((study_field)f),
					    json_text(r, c->study[f]));
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:I, s:I, s:b, s:o, s:o}",
			"code", c->code, "name", c->name, "tier", tier_config_name(c->tier),
			"stability", stability_key(c->stability), "last_purchase",
			c->last_at[0] ? c->last_at : NULL, "last_volume_ml", (json_int_t)c->last_ml,
			"month_volume_ml", (json_int_t)c->month_ml, "competitor", c->competitor,
			"competitor_name", json_text(r, c->competitor_name), "study", study));
	}
	return a;
}

/* "mean" as a JSON real of two decimals (mean_text), null when count is 0. */
static json_t *json_mean(int64_t sum, int64_t count)
{
	char m[32];
	return count > 0 ? json_real(atof(mean_text(sum, count, m))) : json_null();
}

/* The study's sections added to root: classes_at, study_reasons,
 * satisfaction, visit_reports, complaints_by_handler, competitors. */
static void json_study_sections(const report_monthly *r, json_t *root)
{
	json_object_set_new(root, "classes_at", json_string(r->classes_then ? r->to : r->as_of));
	json_object_set_new(root, "classes_from", json_string(r->classes_then ? "history"
							      : r->history ? "today" : "stored"));
	json_object_set_new(root, "class_history_since", r->history_since[0]
			    ? json_string(r->history_since) : json_null());
	json_t *reasons = json_object();
	for (int t = 0; reasons && t < TIER_COUNT; t++) {
		json_t *o = json_object();
		for (int k = 0; o && k <= LOSS_REASON_COUNT; k++)
			json_object_set_new(o, k < LOSS_REASON_COUNT
					    ? loss_reason_key((fc_loss_reason)k) : "none",
					    json_integer(r->reasons[t][k]));
		for (int k = 0; o && k < LOSS_KIND_COUNT; k++) /* the given ones by kind */
			json_object_set_new(o, loss_reason_kind_key((fc_loss_kind)k),
					    json_integer(r->reason_kinds[t][k]));
		json_object_set_new(reasons, tier_config_name((fc_tier)t), o);
	}
	json_object_set_new(root, "study_reasons", reasons);
	json_t *by = json_object();
	for (int k = 0; by && k < 5; k++) {
		char key[16];
		snprintf(key, sizeof key, "%d", k + 1);
		json_object_set_new(by, key, json_integer(r->ratings[k]));
	}
	json_object_set_new(root, "satisfaction", json_pack("{s:I, s:I, s:o, s:o}", "count",
		(json_int_t)r->rating_count, "sum", (json_int_t)r->rating_sum, "mean",
		json_mean(r->rating_sum, r->rating_count), "by_rating", by));
	json_t *reports = json_array(), *sums = json_object(), *means = json_object();
	for (int i = 0; sums && means && i < SCORE_ITEM_COUNT; i++) {
		json_object_set_new(sums, score_keys[i], json_integer(r->visit_points_sum[i]));
		json_object_set_new(means, score_keys[i], json_mean(r->visit_points_sum[i],
			(int64_t)r->visit_report_count));
	}
	for (size_t i = 0; reports && i < r->visit_report_count; i++) {
		const report_visit *v = &r->visit_reports[i];
		json_array_append_new(reports, json_pack("{s:s, s:s, s:s, s:i, s:i, s:i}", "code",
			v->code, "name", v->name, "date", v->date, "quality", v->points[0],
			"attitude", v->points[1], "renown", v->points[2]));
	}
	json_object_set_new(root, "visit_reports", json_pack("{s:I, s:o, s:o, s:o}", "count",
		(json_int_t)r->visit_report_count, "sum", sums, "mean", means, "reports", reports));
	json_t *handlers = json_array();
	for (size_t i = 0; handlers && i < r->handler_count; i++) {
		const report_handler *h = &r->handlers[i];
		json_array_append_new(handlers, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}",
			"handler", h->handler, "received", (json_int_t)h->received,
			"closed_in_time", (json_int_t)h->in_time, "closed_late", (json_int_t)h->late,
			"open", (json_int_t)h->open, "overdue", (json_int_t)h->overdue));
	}
	json_object_set_new(root, "complaints_by_handler", handlers);
	json_object_set_new(root, "competitors", json_list(r, &r->competitors));
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
		"won_back", json_list(r, &r->won_back), "lost", json_list(r, &r->lost),
		"swing", json_list(r, &r->swing), "potential", json_list(r, &r->potential));
	if (root)
		json_study_sections(r, root);
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
	static char out_buf[1 << 16]; /* a line per customer: fewer, bigger writes */
	setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
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
	/* text and csv go out as they are read (the rows sorted in memory,
	 * then printed); json is one object, built whole; the study's sums
	 * and the appraisal figures after the lists, as in the json */
	print_state p = { .r = &r };
	report_sink sink = { .user = &p, .mmap_bytes = (int64_t)1 << 31, .rows_in_memory = true,
			     .summary = csv ? print_csv : print_text,
			     .callback = csv ? csv_callback : text_callback,
			     .customer = csv ? csv_customer : text_customer };
	if (!st && json)
		st = report_monthly_compute(app->db, &app->cfg, month, now, &r, &err);
	else if (!st)
		st = report_monthly_stream(app->db, &app->cfg, month, now, &sink, &r, &err);
	if (!st && csv) {
		csv_study_sections(&r);
	} else if (!st && !json) {
		text_titles_to(&p, REPORT_LIST_COUNT - 1); /* the titles of empty lists */
		text_study_sections(&r);
	}
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
		"potential customers with their last purchase and the monthly study's answers\n"
		"(loss reason, where they buy now, the competitor's offer, measures taken, who\n"
		"is responsible: the latest given before the month's end), the reasons summed\n"
		"by tier and by kind (subjective: price, service, competitor_offer; objective:\n"
		"distance, vehicle_sold, business_closed; unclassified: other; csv section\n"
		"reason_kind, json study_reasons.TIER.subjective...); the competitor customers; satisfaction ratings (count, mean, 1-5);\n"
		"visit reports and their scores; complaints by handler.  A past month shows\n"
		"the classes and tiers as they were at its end (the class history); one that\n"
		"ended before the history began (json class_history_since) shows today's,\n"
		"saying so (\"classes as of today\", json classes_from \"today\").\n"
		"csv: one header row, then section,key,name,tier,stability,count,required,\n"
		"date,volume_ml,month_ml,loss_reason,loss_reason_text,current_channel,\n"
		"competitor_offer,measures,responsible,study_at,competitor rows (satisfaction\n"
		"total: name = mean, required = sum; visit_score: name = mean, count = reports,\n"
		"required = sum; handler: name = what is counted).\n"
		"json: one object (volumes in ml); a listed customer's \"study\" is null or\n"
		"{at, loss_reason, loss_reason_text, current_channel, competitor_offer,\n"
		"measures, responsible}.  Exit 2 for a bad --month or --format.\n",
};
