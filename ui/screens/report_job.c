/* report_job.c — the monthly analysis screen's lines, built in a worker thread
 * with its own connection; the loop is woken through its eventfd when they are ready. */
#include "ui/screens/report_job.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/test_hook.h"
#include "base/thread.h"
#include "store/db.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/text.h"

#define JOB_STEPS 4096 /* SQLite steps between looks at the cancel flag */

#define LINE_MAX_BYTES 240 /* longer lines are cut (text_put cuts at the width anyway) */

/* A line whose text is the NUL-terminated text (copied into the page's text
 * arena: at 1M customers the lines take a third of fixed-size ones). */
static page_line *line_add(report_page *s, const char *text)
{
	size_t len = strnlen(text, LINE_MAX_BYTES - 1);
	if (s->count == s->cap) {
		size_t n = s->cap ? s->cap * 2 : 128;
		page_line *bigger = realloc(s->lines, n * sizeof *bigger);
		if (!bigger)
			return NULL;
		s->lines = bigger;
		s->cap = n;
	}
	if (s->text_len + len + 1 > s->text_cap) {
		size_t n = s->text_cap ? s->text_cap * 2 : 8192;
		while (n < s->text_len + len + 1)
			n *= 2;
		char *bigger = realloc(s->text, n);
		if (!bigger)
			return NULL;
		s->text = bigger;
		s->text_cap = n;
	}
	page_line *l = &s->lines[s->count++];
	memset(l, 0, sizeof *l);
	l->off = s->text_len;
	memcpy(s->text + s->text_len, text, len);
	s->text[s->text_len + len] = '\0';
	s->text_len += len + 1;
	return l;
}

static void line_text(report_page *s, bool bold, bool alert, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void line_text(report_page *s, bool bold, bool alert, const char *fmt, ...)
{
	char text[LINE_MAX_BYTES];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	page_line *l = line_add(s, text);
	if (!l)
		return;
	l->bold = bold;
	l->alert = alert;
}

/* The line just added is a customer's row (its name at the end may be cut). */
static void line_is_data(report_page *s)
{
	if (s->count)
		s->lines[s->count - 1].data = true;
}

static void line_bar(report_page *s, const char *label, int64_t value, int64_t max)
{
	page_line *l = line_add(s, label);
	if (!l)
		return;
	l->value = value;
	l->max = max > 0 ? max : 1;
}

/* A bar of a count (ratings, reasons) rather than of litres. */
static void line_count_bar(report_page *s, const char *label, int64_t value, int64_t max)
{
	line_bar(s, label, value, max);
	if (s->count)
		s->lines[s->count - 1].count = true;
}

/* The study's answers of c under its row: reason, where it buys now, the
 * competitor's offer, measures, who is responsible; the competitor. */
static void add_study(report_page *s, const report_monthly *r, const report_customer *c)
{
	if (c->competitor) {
		line_text(s, false, false, _("      competitor customer: %s"),
			  c->competitor_name ? report_text(r, c->competitor_name) : _("(not named)"));
		line_is_data(s);
	}
	if (!c->study_at)
		return;
	char text[LINE_MAX_BYTES];
	size_t len = 0;
	text[0] = '\0';
	for (int f = 0; f < STUDY_FIELD_COUNT && len < sizeof text; f++) {
		if (!c->study[f])
			continue;
		const char *value = f == STUDY_LOSS_REASON && c->loss_reason >= 0
			? _(loss_reason_label((fc_loss_reason)c->loss_reason))
			: report_text(r, c->study[f]);
		char pair[LINE_MAX_BYTES];
		snprintf(pair, sizeof pair, _("%s: %s"), _(study_field_label((study_field)f)), value);
		int n = snprintf(text + len, sizeof text - len, "%s%s", len ? " · " : "", pair);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	line_text(s, false, false, "      %s", text);
	line_is_data(s);
}

/* "4.25" of sum / count, "-" when count is 0. */
static const char *mean_text(int64_t sum, int64_t count, char *buf, size_t n)
{
	if (count <= 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.2f", (double)sum / (double)count);
	return buf;
}

/* "钻级 · 大客户" / "Gold · big": a tier with its nature. */
static const char *tier_text(fc_tier t, char *buf, size_t n)
{
	snprintf(buf, n, tier_nature(t) == NATURE_BIG ? _("%s · big") : _("%s · individual"),
		 labels_tier(t));
	return buf;
}

static void add_list(report_page *s, const report_monthly *r, const char *title,
		     const report_list *l)
{
	char last[CLOCK_ISO_LEN], a[32], b[32];
	line_text(s, false, false, "%s", "");
	line_text(s, true, false, "%s (%zu)", title, l->count);
	for (size_t i = 0; i < l->count; i++) {
		const report_customer *c = &l->rows[i];
		int64_t ms;
		if (c->last_at[0] && clock_parse_iso(c->last_at, &ms))
			clock_format_local(ms, last);
		else
			snprintf(last, sizeof last, "%s", _("never"));
		line_text(s, false, false, _("  %-20s last %-16s %s L, this month %s L  %s"),
			  c->code, last, labels_litres(c->last_ml, a, sizeof a),
			  labels_litres(c->month_ml, b, sizeof b), c->name);
		line_is_data(s);
		add_study(s, r, c);
	}
}

/* The study's sums, the appraisal figures and the competitor customers. */
static void add_study_sections(report_page *s, const report_monthly *r)
{
	char tier[96], m[4][32];
	int64_t total[LOSS_REASON_COUNT + 1] = { 0 }, max = 0;
	line_text(s, false, false, "%s", "");
	line_text(s, true, false, "%s", _("Study: reasons of the lost, swing and potential customers"));
	for (int t = 0; t < TIER_COUNT; t++)
		for (int k = 0; k <= LOSS_REASON_COUNT; k++)
			total[k] += r->reasons[t][k];
	for (int k = 0; k <= LOSS_REASON_COUNT; k++)
		max = total[k] > max ? total[k] : max;
	for (int k = 0; k <= LOSS_REASON_COUNT; k++)
		line_count_bar(s, k < LOSS_REASON_COUNT ? _(loss_reason_label((fc_loss_reason)k))
							: _("no reason given"), total[k], max);
	/* the given reasons by kind: subjective, objective, unclassified */
	int64_t kinds[LOSS_KIND_COUNT] = { 0 }, kmax = 0;
	for (int t = 0; t < TIER_COUNT; t++)
		for (int k = 0; k < LOSS_KIND_COUNT; k++)
			kinds[k] += r->reason_kinds[t][k];
	for (int k = 0; k < LOSS_KIND_COUNT; k++)
		kmax = kinds[k] > kmax ? kinds[k] : kmax;
	for (int k = 0; k < LOSS_KIND_COUNT; k++)
		line_count_bar(s, _(loss_reason_kind_label((fc_loss_kind)k)), kinds[k], kmax);
	for (int t = 0; t < TIER_COUNT; t++) {
		char text[LINE_MAX_BYTES];
		size_t len = 0;
		for (int k = 0; k < LOSS_REASON_COUNT && len < sizeof text; k++) {
			if (!r->reasons[t][k])
				continue;
			int n = snprintf(text + len, sizeof text - len, "%s%s %lld", len ? " · " : "",
					 _(loss_reason_label((fc_loss_reason)k)),
					 (long long)r->reasons[t][k]);
			if (n < 0)
				break;
			len += (size_t)n;
		}
		if (len) {
			line_text(s, false, false, "  %s: %s", tier_text((fc_tier)t, tier, sizeof tier),
				  text);
			line_text(s, false, false, "    %s %lld · %s %lld · %s %lld",
				  _(loss_reason_kind_label(LOSS_KIND_SUBJECTIVE)),
				  (long long)r->reason_kinds[t][LOSS_KIND_SUBJECTIVE],
				  _(loss_reason_kind_label(LOSS_KIND_OBJECTIVE)),
				  (long long)r->reason_kinds[t][LOSS_KIND_OBJECTIVE],
				  _(loss_reason_kind_label(LOSS_KIND_UNCLASSIFIED)),
				  (long long)r->reason_kinds[t][LOSS_KIND_UNCLASSIFIED]);
		}
	}
	line_text(s, false, false, "%s", "");
	line_text(s, true, false, _("Satisfaction: %lld ratings, mean %s"),
		  (long long)r->rating_count, mean_text(r->rating_sum, r->rating_count, m[0], sizeof m[0]));
	max = 0;
	for (int k = 0; k < 5; k++)
		max = r->ratings[k] > max ? r->ratings[k] : max;
	for (int k = 5; k-- > 0;) {
		char label[64];
		snprintf(label, sizeof label, _("%d points"), k + 1);
		line_count_bar(s, label, r->ratings[k], max);
	}
	line_text(s, false, false, "%s", "");
	int64_t n = (int64_t)r->visit_report_count;
	line_text(s, true, false, _("Visit reports: %lld · quality %s · attitude %s · renown %s"),
		  (long long)n, mean_text(r->visit_points_sum[0], n, m[1], sizeof m[1]),
		  mean_text(r->visit_points_sum[1], n, m[2], sizeof m[2]),
		  mean_text(r->visit_points_sum[2], n, m[3], sizeof m[3]));
	for (size_t i = 0; i < r->visit_report_count; i++) {
		const report_visit *v = &r->visit_reports[i];
		line_text(s, false, false, "  %s %-20s %3d %3d %3d  %s", v->date, v->code,
			  v->points[0], v->points[1], v->points[2], v->name);
		line_is_data(s);
	}
	line_text(s, false, false, "%s", "");
	line_text(s, true, false, "%s", _("Complaints by handler"));
	for (size_t i = 0; i < r->handler_count; i++) {
		const report_handler *h = &r->handlers[i];
		line_text(s, false, h->overdue > 0,
			  _("  %s: %lld received · %lld in time · %lld late · %lld open · %lld overdue"),
			  h->handler[0] ? h->handler : _("(no handler yet)"), (long long)h->received,
			  (long long)h->in_time, (long long)h->late, (long long)h->open,
			  (long long)h->overdue);
		line_is_data(s);
	}
	if (r->handler_count == 0)
		line_text(s, false, false, "  %s", _("No complaints in this month."));
	add_list(s, r, _("Competitor customers"), &r->competitors);
}

static void page_build(report_page *s, const report_monthly *r)
{
	char tier[96], v[32];
	int64_t max = 0;
	s->count = 0;
	snprintf(s->title, sizeof s->title,
		 _("Monthly analysis %s   ←/→ month   ↑/↓ PgUp/PgDn scroll"),
		 r->month);
	if (r->classes_then) {
		line_text(s, false, false, _("Customers: %lld (classes and tiers as at the month's end)"),
			  (long long)r->customers);
	} else if (r->history) {
		char since[CLOCK_ISO_LEN];
		int64_t ms;
		if (clock_parse_iso(r->history_since, &ms))
			clock_local_date(ms, since);
		else
			snprintf(since, sizeof since, "%.10s", r->history_since);
		line_text(s, false, true, _("Classes as of today: no history before %s"), since);
		line_text(s, false, false, _("Customers: %lld (made before the month's end)"),
			  (long long)r->customers);
	} else
		line_text(s, false, false, _("Customers: %lld (classes and tiers as last classified)"),
			  (long long)r->customers);
	line_text(s, false, false, "%s", "");
	line_text(s, true, false, "%s", _("Customers by tier"));
	for (int t = 0; t < TIER_COUNT; t++) {
		char padded[160];
		text_width_fit(padded, sizeof padded, tier_text((fc_tier)t, tier, sizeof tier), REPORT_LABEL_COLS,
			 true);
		line_text(s, false, false, "  %s %8lld", padded, (long long)r->by_tier[t]);
	}
	line_text(s, true, false, "%s", _("Customers by class"));
	/* two per line: every count shows at 80 columns in both languages */
	line_text(s, false, false, "  %s %lld · %s %lld",
		  labels_stability(STABILITY_CURRENT), (long long)r->by_stability[STABILITY_CURRENT],
		  labels_stability(STABILITY_LOST), (long long)r->by_stability[STABILITY_LOST]);
	line_text(s, false, false, "  %s %lld · %s %lld",
		  labels_stability(STABILITY_POTENTIAL), (long long)r->by_stability[STABILITY_POTENTIAL],
		  labels_stability(STABILITY_SWING), (long long)r->by_stability[STABILITY_SWING]);
	line_text(s, false, false, "  %s %lld · %s %lld", labels_nature(NATURE_BIG),
		  (long long)r->by_nature[NATURE_BIG], labels_nature(NATURE_INDIVIDUAL),
		  (long long)r->by_nature[NATURE_INDIVIDUAL]);
	line_text(s, false, false, _("  Composite A %lld · B %lld · C %lld · not evaluated %lld"),
		  (long long)r->by_composite[0], (long long)r->by_composite[1],
		  (long long)r->by_composite[2], (long long)r->by_composite[3]);
	line_text(s, false, false, "%s", "");
	line_text(s, true, false, _("Litres by grade (%lld fuellings, %s L)"), (long long)r->visits,
		  labels_litres(r->total_ml, v, sizeof v));
	for (size_t g = 0; g < r->grade_count; g++)
		if (r->grades[g].volume_ml > max)
			max = r->grades[g].volume_ml;
	for (size_t g = 0; g < r->grade_count; g++)
		line_bar(s, r->grades[g].grade, r->grades[g].volume_ml, max);
	if (r->grade_count == 0)
		line_text(s, false, false, "  %s", _("No fuellings in this month."));
	line_text(s, true, false, "%s", _("Litres by tier"));
	max = r->anonymous_ml;
	for (int t = 0; t < TIER_COUNT; t++)
		if (r->tier_ml[t] > max)
			max = r->tier_ml[t];
	for (int t = 0; t < TIER_COUNT; t++)
		line_bar(s, tier_text((fc_tier)t, tier, sizeof tier), r->tier_ml[t], max);
	line_bar(s, _("anonymous"), r->anonymous_ml, max);
	line_text(s, false, false, "%s", "");
	line_text(s, true, false, "%s", _("Complaints received this month"));
	line_text(s, false, r->complaints_overdue > 0,
		  _("  %lld received · %lld closed in time · %lld closed late · %lld open · %lld overdue"),
		  (long long)r->complaints_received, (long long)r->complaints_in_time,
		  (long long)r->complaints_late, (long long)r->complaints_open,
		  (long long)r->complaints_overdue);
	line_text(s, false, false, "%s", "");
	line_text(s, true, false,
		  _("Callbacks: %zu maintained customers, %lld done of %lld required, %lld met"),
		  r->callback_count, (long long)r->callbacks_done, (long long)r->callbacks_required,
		  (long long)r->callbacks_met);
	int stab_cols = 0;
	for (int k = 0; k < STABILITY_COUNT; k++)
		if (text_width(labels_stability((fc_stability)k)) > stab_cols)
			stab_cols = text_width(labels_stability((fc_stability)k));
	for (size_t i = 0; i < r->callback_count; i++) {
		const report_callback *c = &r->callbacks[i];
		char stab[96];
		text_width_fit(stab, sizeof stab, labels_stability(c->stability), stab_cols, true);
		line_text(s, false, c->done < c->required, "  %-20s %d/%d  %s  %s", c->code,
			  c->done, c->required, stab, c->name);
		line_is_data(s);
	}
	add_list(s, r, _("Won back this month"), &r->won_back);
	add_list(s, r, _("Lost customers"), &r->lost);
	add_list(s, r, _("Swing customers"), &r->swing);
	add_list(s, r, _("Potential customers"), &r->potential);
	add_study_sections(s, r);
}

void report_job_page_free(report_page *p)
{
	free(p->lines);
	free(p->text);
	p->lines = NULL;
	p->text = NULL;
	p->count = p->cap = p->text_len = p->text_cap = 0;
}

void report_job_page_message(report_page *p, const char *month, bool alert, const char *text)
{
	p->count = p->text_len = 0;
	snprintf(p->title, sizeof p->title,
		 _("Monthly analysis %s   ←/→ month   ↑/↓ PgUp/PgDn scroll"), month);
	line_text(p, false, alert, "%s", text);
}

struct report_job {
	pthread_t thread;
	pthread_mutex_t lock; /* cancel and the wake: none after report_job_cancel */
	atomic_int refs;      /* the screen's and the thread's */
	atomic_int cancel;
	atomic_int done;      /* page is complete */
	int wake_fd;
	fc_config cfg;
	char db_path[CONFIG_STR];
	char hold[CONFIG_STR]; /* FORECOURT_REPORT_HOLD */
	char month[REPORT_MONTH_LEN];
	int64_t now_ms;
	report_page page;
};

static void job_release(report_job *j)
{
	if (atomic_fetch_sub(&j->refs, 1) != 1)
		return;
	report_job_page_free(&j->page);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

/* SQLite's progress handler: non-zero interrupts the statement. */
static int job_cancelled(void *arg)
{
	return atomic_load(&((report_job *)arg)->cancel);
}

/* The test hook: block until the test writes to and closes the FIFO. */
static void job_hold(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char buf[64];
	if (fd < 0)
		return;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	close(fd);
}

static void *job_run(void *arg)
{
	thread_background(); /* the UI thread goes first */
	report_job *j = arg;
	sqlite3 *db = NULL;
	report_monthly r;
	fc_error err;
	fc_error_clear(&err);
	memset(&r, 0, sizeof r);
	if (j->hold[0])
		job_hold(j->hold);
	if (!atomic_load(&j->cancel)) {
		fc_status s = db_open(j->db_path, DB_OPEN_EXISTING, &db, &err);
		if (!s) {
			sqlite3_progress_handler(db, JOB_STEPS, job_cancelled, j);
			s = report_monthly_compute(db, &j->cfg, j->month, j->now_ms, &r, &err);
		}
		if (atomic_load(&j->cancel)) {
			/* nobody looks at the page any more */
		} else if (s) {
			char text[sizeof err.msg + 80];
			snprintf(text, sizeof text, _("Cannot compute the monthly analysis: %s"),
				 fc_error_text(&err));
			report_job_page_message(&j->page, j->month, true, text);
		} else {
			page_build(&j->page, &r);
		}
	}
	report_monthly_free(&r);
	db_close(db);
	pthread_mutex_lock(&j->lock);
	atomic_store(&j->done, 1);
	if (!atomic_load(&j->cancel) && j->wake_fd >= 0) {
		uint64_t one = 1;
		ssize_t w = write(j->wake_fd, &one, sizeof one);
		(void)w;
	}
	pthread_mutex_unlock(&j->lock);
	job_release(j);
	return NULL;
}

report_job *report_job_start(const fc_config *cfg, const char *db_path, const char *month,
			     int64_t now_ms, int wake_fd)
{
	report_job *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	const char *hold = test_hook_get("FORECOURT_REPORT_HOLD"); /* test builds only */
	j->cfg = *cfg;
	snprintf(j->db_path, sizeof j->db_path, "%s", db_path);
	snprintf(j->hold, sizeof j->hold, "%s", hold ? hold : "");
	snprintf(j->month, sizeof j->month, "%s", month);
	j->now_ms = now_ms;
	j->wake_fd = wake_fd;
	atomic_init(&j->refs, 2);
	atomic_init(&j->cancel, 0);
	atomic_init(&j->done, 0);
	pthread_mutex_init(&j->lock, NULL);
	pthread_attr_t attr;
	int rc = pthread_attr_init(&attr);
	if (rc == 0) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		rc = pthread_create(&j->thread, &attr, job_run, j);
		pthread_attr_destroy(&attr);
	}
	if (rc != 0) {
		pthread_mutex_destroy(&j->lock);
		free(j);
		return NULL;
	}
	return j;
}

bool report_job_take(report_job **job, report_page *page)
{
	report_job *j = *job;
	if (!j || !atomic_load(&j->done))
		return false;
	report_job_page_free(page);
	*page = j->page;
	memset(&j->page, 0, sizeof j->page);
	*job = NULL;
	job_release(j);
	return true;
}

void report_job_cancel(report_job *job)
{
	if (!job)
		return;
	pthread_mutex_lock(&job->lock);
	atomic_store(&job->cancel, 1);
	pthread_mutex_unlock(&job->lock);
	job_release(job);
}
