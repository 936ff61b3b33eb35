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

#define PAGE_MEMORY (16 * 1024) /* records kept in memory before they go to the file */

enum { LINE_BOLD = 1, LINE_ALERT = 2, LINE_DATA = 4, LINE_BAR = 8, LINE_COUNT = 16 };

static bool page_reserve(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 4096;
	while (n < need)
		n *= 2;
	char *bigger = realloc(*buf, n);
	if (!bigger)
		return false;
	*buf = bigger;
	*cap = n;
	return true;
}

/* The records in memory to the page's file (made at the first time: an
 * unlinked file in $TMPDIR or /tmp). */
static bool page_spill(report_page *s)
{
	if (!s->has_file) {
		const char *dir = getenv("TMPDIR");
		char path[4096];
		snprintf(path, sizeof path, "%s/forecourt-report.XXXXXX", dir && *dir ? dir : "/tmp");
		int fd = mkstemp(path);
		if (fd < 0)
			return false;
		unlink(path);
		s->fd = fd;
		s->has_file = true;
	}
	for (size_t done = 0; done < s->buf_len;) {
		ssize_t n = pwrite(s->fd, s->buf + done, s->buf_len - done,
				   (off_t)(s->file_len + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	s->file_len += s->buf_len;
	s->buf_len = 0;
	return true;
}

/* Append a line: its flags, its bar's value and max, its text (cut at
 * LINE_MAX_BYTES). */
static void line_add(report_page *s, unsigned flags, int64_t value, int64_t max, const char *text)
{
	if (s->broken)
		return;
	size_t len = strnlen(text, LINE_MAX_BYTES - 1);
	if (s->count % REPORT_PAGE_BLOCK == 0) {
		/* a block starts: whole blocks go to the file */
		if (s->buf_len > PAGE_MEMORY && !page_spill(s)) {
			s->broken = true;
			return;
		}
		size_t b = s->count / REPORT_PAGE_BLOCK;
		if (b >= s->block_cap) {
			size_t n = s->block_cap ? s->block_cap * 2 : 64;
			uint64_t *bigger = realloc(s->blocks, n * sizeof *bigger);
			if (!bigger) {
				s->broken = true;
				return;
			}
			s->blocks = bigger;
			s->block_cap = n;
		}
		s->blocks[b] = s->file_len + s->buf_len;
	}
	if (flags & LINE_BOLD) {
		if (s->section_count == s->section_cap) {
			size_t n = s->section_cap ? s->section_cap * 2 : 16;
			size_t *bigger = realloc(s->sections, n * sizeof *bigger);
			if (!bigger) {
				s->broken = true;
				return;
			}
			s->sections = bigger;
			s->section_cap = n;
		}
		s->sections[s->section_count++] = s->count;
	}
	size_t need = 1 + (flags & LINE_BAR ? 16 : 0) + len + 1;
	if (!page_reserve(&s->buf, &s->buf_cap, s->buf_len + need)) {
		s->broken = true;
		return;
	}
	char *p = s->buf + s->buf_len;
	*p++ = (char)flags;
	if (flags & LINE_BAR) {
		memcpy(p, &value, 8);
		memcpy(p + 8, &max, 8);
		p += 16;
	}
	memcpy(p, text, len);
	p[len] = '\0';
	s->buf_len += need;
	s->count++;
}

bool report_job_page_line(report_page *p, size_t i, page_line *out)
{
	memset(out, 0, sizeof *out);
	out->text = "";
	if (i >= p->count || !p->blocks)
		return false;
	size_t b = i / REPORT_PAGE_BLOCK;
	uint64_t start = p->blocks[b];
	const char *rec, *end;
	if (start >= p->file_len) { /* in memory */
		rec = p->buf + (start - p->file_len);
		end = p->buf + p->buf_len;
	} else { /* in the file: the block whole (blocks never straddle) */
		uint64_t stop = (b + 1) * REPORT_PAGE_BLOCK < p->count ? p->blocks[b + 1] : p->file_len;
		if (stop > p->file_len)
			stop = p->file_len;
		if (!(p->read_len && p->read_block == b)) {
			size_t n = (size_t)(stop - start);
			p->read_len = 0;
			if (!page_reserve(&p->read, &p->read_cap, n))
				return false;
			for (size_t done = 0; done < n;) {
				ssize_t got = pread(p->fd, p->read + done, n - done, (off_t)(start + done));
				if (got < 0 && errno == EINTR)
					continue;
				if (got <= 0)
					return false;
				done += (size_t)got;
			}
			p->read_len = n;
			p->read_block = b;
		}
		rec = p->read;
		end = p->read + p->read_len;
	}
	for (size_t k = i % REPORT_PAGE_BLOCK;; k--) {
		if (rec >= end)
			return false;
		unsigned flags = (unsigned char)*rec;
		const char *text = rec + 1 + (flags & LINE_BAR ? 16 : 0);
		if (k == 0) {
			if (flags & LINE_BAR) {
				memcpy(&out->value, rec + 1, 8);
				memcpy(&out->max, rec + 9, 8);
			}
			out->bold = flags & LINE_BOLD;
			out->alert = flags & LINE_ALERT;
			out->data = flags & LINE_DATA;
			out->count = flags & LINE_COUNT;
			out->text = text;
			return true;
		}
		rec = text + strlen(text) + 1;
	}
}

static void line_text(report_page *s, unsigned flags, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void line_text(report_page *s, unsigned flags, const char *fmt, ...)
{
	char text[LINE_MAX_BYTES];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	line_add(s, flags, 0, 0, text);
}

static void line_bar(report_page *s, const char *label, int64_t value, int64_t max)
{
	line_add(s, LINE_BAR, value, max > 0 ? max : 1, label);
}

/* A bar of a count (ratings, reasons) rather than of litres. */
static void line_count_bar(report_page *s, const char *label, int64_t value, int64_t max)
{
	line_add(s, LINE_BAR | LINE_COUNT, value, max > 0 ? max : 1, label);
}

/* The study's answers of c under its row: reason, where it buys now, the
 * competitor's offer, measures, who is responsible; the competitor. */
static void add_study(report_page *s, const report_monthly *r, const report_customer *c)
{
	if (c->competitor)
		line_text(s, LINE_DATA, _("      competitor customer: %s"),
			  c->competitor_name ? report_text(r, c->competitor_name) : _("(not named)"));
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
	line_text(s, LINE_DATA, "      %s", text);
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

/* The study's sums and the appraisal figures (before the competitor
 * customers' list). */
static void add_study_sections(report_page *s, const report_monthly *r)
{
	char tier[96], m[4][32];
	int64_t total[LOSS_REASON_COUNT + 1] = { 0 }, max = 0;
	line_text(s, 0, "%s", "");
	line_text(s, LINE_BOLD, "%s", _("Study: reasons of the lost, swing and potential customers"));
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
			line_text(s, 0, "  %s: %s", tier_text((fc_tier)t, tier, sizeof tier),
				  text);
			line_text(s, 0, "    %s %lld · %s %lld · %s %lld",
				  _(loss_reason_kind_label(LOSS_KIND_SUBJECTIVE)),
				  (long long)r->reason_kinds[t][LOSS_KIND_SUBJECTIVE],
				  _(loss_reason_kind_label(LOSS_KIND_OBJECTIVE)),
				  (long long)r->reason_kinds[t][LOSS_KIND_OBJECTIVE],
				  _(loss_reason_kind_label(LOSS_KIND_UNCLASSIFIED)),
				  (long long)r->reason_kinds[t][LOSS_KIND_UNCLASSIFIED]);
		}
	}
	line_text(s, 0, "%s", "");
	line_text(s, LINE_BOLD, _("Satisfaction: %lld ratings, mean %s"),
		  (long long)r->rating_count, mean_text(r->rating_sum, r->rating_count, m[0], sizeof m[0]));
	max = 0;
	for (int k = 0; k < 5; k++)
		max = r->ratings[k] > max ? r->ratings[k] : max;
	for (int k = 5; k-- > 0;) {
		char label[64];
		snprintf(label, sizeof label, _("%d points"), k + 1);
		line_count_bar(s, label, r->ratings[k], max);
	}
	line_text(s, 0, "%s", "");
	int64_t n = (int64_t)r->visit_report_count;
	line_text(s, LINE_BOLD, _("Visit reports: %lld · quality %s · attitude %s · renown %s"),
		  (long long)n, mean_text(r->visit_points_sum[0], n, m[1], sizeof m[1]),
		  mean_text(r->visit_points_sum[1], n, m[2], sizeof m[2]),
		  mean_text(r->visit_points_sum[2], n, m[3], sizeof m[3]));
	for (size_t i = 0; i < r->visit_report_count; i++) {
		const report_visit *v = &r->visit_reports[i];
		line_text(s, LINE_DATA, "  %s %-20s %3d %3d %3d  %s", v->date, v->code,
			  v->points[0], v->points[1], v->points[2], v->name);
	}
	line_text(s, 0, "%s", "");
	line_text(s, LINE_BOLD, "%s", _("Complaints by handler"));
	for (size_t i = 0; i < r->handler_count; i++) {
		const report_handler *h = &r->handlers[i];
		line_text(s, LINE_DATA | (h->overdue > 0 ? LINE_ALERT : 0),
			  _("  %s: %lld received · %lld in time · %lld late · %lld open · %lld overdue"),
			  h->handler[0] ? h->handler : _("(no handler yet)"), (long long)h->received,
			  (long long)h->in_time, (long long)h->late, (long long)h->open,
			  (long long)h->overdue);
	}
	if (r->handler_count == 0)
		line_text(s, 0, "  %s", _("No complaints in this month."));
}

/* The worker's sink: the page being built, and which lists' titles it has. */
typedef struct page_sink {
	report_page *page;
	void (*publish)(void *job, const report_page *figures); /* the figures are on page */
	void *job;
	const report_monthly *r;
	int next_list; /* lists whose title is on the page: [0, next_list) */
	int stab_cols; /* width of the widest class label */
} page_sink;

static const char *list_title(int list)
{
	switch (list) {
	case REPORT_LIST_WON_BACK:
		return _("Won back this month");
	case REPORT_LIST_LOST:
		return _("Lost customers");
	case REPORT_LIST_SWING:
		return _("Swing customers");
	case REPORT_LIST_POTENTIAL:
		return _("Potential customers");
	default:
		return _("Competitor customers");
	}
}

/* The titles of the lists up to list, before its rows. */
static void list_titles_to(page_sink *k, int list)
{
	const report_list *l[REPORT_LIST_COUNT] = { &k->r->won_back, &k->r->lost, &k->r->swing,
						    &k->r->potential, &k->r->competitors };
	for (; k->next_list <= list && k->next_list < REPORT_LIST_COUNT; k->next_list++) {
		if (k->next_list == REPORT_LIST_COMPETITORS)
			add_study_sections(k->page, k->r);
		line_text(k->page, 0, "%s", "");
		line_text(k->page, LINE_BOLD, "%s (%zu)", list_title(k->next_list),
			  l[k->next_list]->count);
	}
}

static fc_status page_customer(void *user, report_list_kind list, const report_customer *c,
			       fc_error *err)
{
	(void)err;
	page_sink *k = user;
	char last[CLOCK_ISO_LEN], a[32], b[32];
	int64_t ms;
	list_titles_to(k, list);
	if (c->last_at[0] && clock_parse_iso(c->last_at, &ms))
		clock_format_local(ms, last);
	else
		snprintf(last, sizeof last, "%s", _("never"));
	line_text(k->page, LINE_DATA, _("  %-20s last %-16s %s L, this month %s L  %s"),
		  c->code, last, labels_litres(c->last_ml, a, sizeof a),
		  labels_litres(c->month_ml, b, sizeof b), c->name);
	add_study(k->page, k->r, c);
	return FC_OK;
}

static fc_status page_callback(void *user, const report_callback *c, fc_error *err)
{
	(void)err;
	page_sink *k = user;
	char stab[96];
	text_width_fit(stab, sizeof stab, labels_stability(c->stability), k->stab_cols, true);
	line_text(k->page, LINE_DATA | (c->done < c->required ? LINE_ALERT : 0),
		  "  %-20s %d/%d  %s  %s", c->code, c->done, c->required, stab, c->name);
	return FC_OK;
}

static fc_status page_summary(void *user, const report_monthly *r, fc_error *err)
{
	(void)err;
	page_sink *k = user;
	report_page *s = k->page;
	char tier[96], v[32];
	int64_t max = 0;
	k->r = r;
	snprintf(s->title, sizeof s->title,
		 _("Monthly analysis %s   ←/→ month   ↑/↓ PgUp/PgDn scroll"),
		 r->month);
	if (r->classes_then) {
		line_text(s, 0, _("Customers: %lld (classes and tiers as at the month's end)"),
			  (long long)r->customers);
	} else if (r->history) {
		char since[CLOCK_ISO_LEN];
		int64_t ms;
		if (clock_parse_iso(r->history_since, &ms))
			clock_local_date(ms, since);
		else
			snprintf(since, sizeof since, "%.10s", r->history_since);
		line_text(s, LINE_ALERT, _("Classes as of today: no history before %s"), since);
		line_text(s, 0, _("Customers: %lld (made before the month's end)"),
			  (long long)r->customers);
	} else
		line_text(s, 0, _("Customers: %lld (classes and tiers as last classified)"),
			  (long long)r->customers);
	line_text(s, 0, "%s", "");
	line_text(s, LINE_BOLD, "%s", _("Customers by tier"));
	for (int t = 0; t < TIER_COUNT; t++) {
		char padded[160];
		text_width_fit(padded, sizeof padded, tier_text((fc_tier)t, tier, sizeof tier), REPORT_LABEL_COLS,
			 true);
		line_text(s, 0, "  %s %8lld", padded, (long long)r->by_tier[t]);
	}
	line_text(s, LINE_BOLD, "%s", _("Customers by class"));
	/* two per line: every count shows at 80 columns in both languages */
	line_text(s, 0, "  %s %lld · %s %lld",
		  labels_stability(STABILITY_CURRENT), (long long)r->by_stability[STABILITY_CURRENT],
		  labels_stability(STABILITY_LOST), (long long)r->by_stability[STABILITY_LOST]);
	line_text(s, 0, "  %s %lld · %s %lld",
		  labels_stability(STABILITY_POTENTIAL), (long long)r->by_stability[STABILITY_POTENTIAL],
		  labels_stability(STABILITY_SWING), (long long)r->by_stability[STABILITY_SWING]);
	line_text(s, 0, "  %s %lld · %s %lld", labels_nature(NATURE_BIG),
		  (long long)r->by_nature[NATURE_BIG], labels_nature(NATURE_INDIVIDUAL),
		  (long long)r->by_nature[NATURE_INDIVIDUAL]);
	line_text(s, 0, _("  Composite A %lld · B %lld · C %lld · not evaluated %lld"),
		  (long long)r->by_composite[0], (long long)r->by_composite[1],
		  (long long)r->by_composite[2], (long long)r->by_composite[3]);
	line_text(s, 0, "%s", "");
	line_text(s, LINE_BOLD, _("Litres by grade (%lld fuellings, %s L)"), (long long)r->visits,
		  labels_litres(r->total_ml, v, sizeof v));
	for (size_t g = 0; g < r->grade_count; g++)
		if (r->grades[g].volume_ml > max)
			max = r->grades[g].volume_ml;
	for (size_t g = 0; g < r->grade_count; g++)
		line_bar(s, r->grades[g].grade, r->grades[g].volume_ml, max);
	if (r->grade_count == 0)
		line_text(s, 0, "  %s", _("No fuellings in this month."));
	line_text(s, LINE_BOLD, "%s", _("Litres by tier"));
	max = r->anonymous_ml;
	for (int t = 0; t < TIER_COUNT; t++)
		if (r->tier_ml[t] > max)
			max = r->tier_ml[t];
	for (int t = 0; t < TIER_COUNT; t++)
		line_bar(s, tier_text((fc_tier)t, tier, sizeof tier), r->tier_ml[t], max);
	line_bar(s, _("anonymous"), r->anonymous_ml, max);
	line_text(s, 0, "%s", "");
	line_text(s, LINE_BOLD, "%s", _("Complaints received this month"));
	line_text(s, r->complaints_overdue > 0 ? LINE_ALERT : 0,
		  _("  %lld received · %lld closed in time · %lld closed late · %lld open · %lld overdue"),
		  (long long)r->complaints_received, (long long)r->complaints_in_time,
		  (long long)r->complaints_late, (long long)r->complaints_open,
		  (long long)r->complaints_overdue);
	line_text(s, 0, "%s", "");
	line_text(s, LINE_BOLD,
		  _("Callbacks: %zu maintained customers, %lld done of %lld required, %lld met"),
		  r->callback_count, (long long)r->callbacks_done, (long long)r->callbacks_required,
		  (long long)r->callbacks_met);
	for (int i = 0; i < STABILITY_COUNT; i++)
		if (text_width(labels_stability((fc_stability)i)) > k->stab_cols)
			k->stab_cols = text_width(labels_stability((fc_stability)i));
	if (k->publish)
		k->publish(k->job, s);
	return FC_OK;
}

void report_job_page_free(report_page *p)
{
	if (p->has_file)
		close(p->fd);
	free(p->blocks);
	free(p->sections);
	free(p->buf);
	free(p->read);
	char title[sizeof p->title];
	memcpy(title, p->title, sizeof title);
	memset(p, 0, sizeof *p);
	memcpy(p->title, title, sizeof title);
}

void report_job_page_message(report_page *p, const char *month, bool alert, const char *text)
{
	report_job_page_free(p);
	snprintf(p->title, sizeof p->title,
		 _("Monthly analysis %s   ←/→ month   ↑/↓ PgUp/PgDn scroll"), month);
	line_text(p, alert ? LINE_ALERT : 0, "%s", text);
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
	report_page figures;    /* the figures alone, with a line saying the lists come */
	atomic_int figures_ready;
	bool figures_taken;     /* the screen's */
};

/* A copy of src (its lines all in memory) into dst; false when there is no
 * memory or src has a file. */
static bool page_copy(report_page *dst, const report_page *src)
{
	memset(dst, 0, sizeof *dst);
	if (src->has_file)
		return false;
	memcpy(dst->title, src->title, sizeof dst->title);
	dst->count = src->count;
	dst->blocks = malloc((src->block_cap ? src->block_cap : 1) * sizeof *dst->blocks);
	dst->sections = malloc((src->section_cap ? src->section_cap : 1) * sizeof *dst->sections);
	dst->buf = malloc(src->buf_cap ? src->buf_cap : 1);
	if (!dst->blocks || !dst->sections || !dst->buf) {
		report_job_page_free(dst);
		return false;
	}
	memcpy(dst->blocks, src->blocks, src->block_cap * sizeof *dst->blocks);
	memcpy(dst->sections, src->sections, src->section_count * sizeof *dst->sections);
	memcpy(dst->buf, src->buf, src->buf_len);
	dst->block_cap = src->block_cap;
	dst->section_count = src->section_count;
	dst->section_cap = src->section_cap;
	dst->buf_len = src->buf_len;
	dst->buf_cap = src->buf_cap;
	return true;
}

/* The worker: the figures are computed; the screen shows them at once
 * while the lists are read (seconds at a million customers). */
static void job_publish(void *job, const report_page *figures)
{
	report_job *j = job;
	report_page copy;
	if (!page_copy(&copy, figures))
		return; /* the whole page comes at the end */
	line_text(&copy, 0, "%s", "");
	line_text(&copy, LINE_BOLD, "%s", _("Computing the lists…"));
	pthread_mutex_lock(&j->lock);
	j->figures = copy;
	atomic_store(&j->figures_ready, 1);
	if (!atomic_load(&j->cancel) && j->wake_fd >= 0) {
		uint64_t one = 1;
		ssize_t w = write(j->wake_fd, &one, sizeof one);
		(void)w;
	}
	pthread_mutex_unlock(&j->lock);
}

static void job_release(report_job *j)
{
	if (atomic_fetch_sub(&j->refs, 1) != 1)
		return;
	report_job_page_free(&j->page);
	report_job_page_free(&j->figures);
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
		/* the rows go to the page as they are read: no mmap (its pages
		 * would count in the kiosk's memory), a page cache of 8 MiB */
		page_sink k = { .page = &j->page, .publish = job_publish, .job = j };
		report_sink sink = { .user = &k, .mmap_bytes = 0, .summary = page_summary,
				     .callback = page_callback, .customer = page_customer };
		if (!s) {
			sqlite3_exec(db, "PRAGMA cache_size = -8192", NULL, NULL, NULL);
			sqlite3_progress_handler(db, JOB_STEPS, job_cancelled, j);
			s = report_monthly_stream(db, &j->cfg, j->month, j->now_ms, &sink, &r, &err);
		}
		if (!s)
			list_titles_to(&k, REPORT_LIST_COUNT - 1); /* the titles of empty lists */
		if (!s && j->page.broken)
			s = fc_error_set(&err, FC_ERR_NOMEM, "no room for the analysis's lines");
		if (atomic_load(&j->cancel)) {
			/* nobody looks at the page any more */
		} else if (s) {
			char text[sizeof err.msg + 80];
			snprintf(text, sizeof text, _("Cannot compute the monthly analysis: %s"),
				 fc_error_text(&err));
			report_job_page_message(&j->page, j->month, true, text);
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

report_take report_job_take(report_job **job, report_page *page)
{
	report_job *j = *job;
	if (!j)
		return REPORT_TAKE_NONE;
	if (!atomic_load(&j->done)) {
		if (j->figures_taken || !atomic_load(&j->figures_ready))
			return REPORT_TAKE_NONE;
		pthread_mutex_lock(&j->lock);
		report_job_page_free(page);
		*page = j->figures;
		memset(&j->figures, 0, sizeof j->figures);
		pthread_mutex_unlock(&j->lock);
		j->figures_taken = true;
		return REPORT_TAKE_FIRST;
	}
	report_take took = j->figures_taken ? REPORT_TAKE_REST : REPORT_TAKE_FIRST;
	report_job_page_free(page);
	*page = j->page;
	memset(&j->page, 0, sizeof j->page);
	*job = NULL;
	job_release(j);
	return took;
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
