/* screen_report.c — Ctrl-R: the monthly analysis for the station head: counts,
 * litres by grade and tier as bars, lists; scrolls, Left/Right change the month. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "labels.h"
#include "report.h"
#include "report_ui.h"
#include "staff.h"
#include "text.h"
#include "theme.h"

#define LABEL_COLS 22 /* bar labels */
#define VALUE_COLS 14 /* "123456.78 L" after a bar */

/* One line of the page: text, or a bar of value against max. */
typedef struct page_line {
	char text[240];
	int64_t value, max; /* max > 0: a bar line, text is its label */
	bool bold, alert;
} page_line;

typedef struct report_state {
	char month[REPORT_MONTH_LEN];
	char title[240];   /* row 0, not scrolled */
	page_line *lines;
	size_t count, cap;
	size_t top;        /* first line shown */
	int page;          /* lines shown at the last draw */
	bool loaded;
} report_state;

static page_line *line_add(report_state *s)
{
	if (s->count == s->cap) {
		size_t n = s->cap ? s->cap * 2 : 128;
		page_line *bigger = realloc(s->lines, n * sizeof *bigger);
		if (!bigger)
			return NULL;
		s->lines = bigger;
		s->cap = n;
	}
	page_line *l = &s->lines[s->count++];
	memset(l, 0, sizeof *l);
	return l;
}

static void line_text(report_state *s, bool bold, bool alert, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void line_text(report_state *s, bool bold, bool alert, const char *fmt, ...)
{
	page_line *l = line_add(s);
	if (!l)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	l->bold = bold;
	l->alert = alert;
}

static void line_bar(report_state *s, const char *label, int64_t value, int64_t max)
{
	page_line *l = line_add(s);
	if (!l)
		return;
	snprintf(l->text, sizeof l->text, "%s", label);
	l->value = value;
	l->max = max > 0 ? max : 1;
}

/* "钻级 · 大客户" / "Gold · big": a tier with its nature. */
static const char *tier_text(fc_tier t, char *buf, size_t n)
{
	snprintf(buf, n, tier_nature(t) == NATURE_BIG ? _("%s · big") : _("%s · individual"),
		 label_tier(t));
	return buf;
}

static void add_list(report_state *s, const char *title, const report_list *l)
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
			  c->code, last, label_litres(c->last_ml, a, sizeof a),
			  label_litres(c->month_ml, b, sizeof b), c->name);
	}
}

static void build_page(report_state *s, const report_monthly *r)
{
	char tier[96], v[32];
	int64_t max = 0;
	s->count = 0;
	snprintf(s->title, sizeof s->title,
		 _("Monthly analysis %s   ←/→ month   ↑/↓ PgUp/PgDn scroll"),
		 r->month);
	line_text(s, false, false, _("Customers: %lld (classes and tiers as last classified)"),
		  (long long)r->customers);
	line_text(s, false, false, "%s", "");
	line_text(s, true, false, "%s", _("Customers by tier"));
	for (int t = 0; t < TIER_COUNT; t++) {
		char padded[160];
		text_fit(padded, sizeof padded, tier_text((fc_tier)t, tier, sizeof tier), LABEL_COLS,
			 true);
		line_text(s, false, false, "  %s %8lld", padded, (long long)r->by_tier[t]);
	}
	line_text(s, true, false, "%s", _("Customers by class"));
	line_text(s, false, false, "  %s %lld · %s %lld · %s %lld · %s %lld",
		  label_stability(STABILITY_CURRENT), (long long)r->by_stability[STABILITY_CURRENT],
		  label_stability(STABILITY_LOST), (long long)r->by_stability[STABILITY_LOST],
		  label_stability(STABILITY_POTENTIAL), (long long)r->by_stability[STABILITY_POTENTIAL],
		  label_stability(STABILITY_SWING), (long long)r->by_stability[STABILITY_SWING]);
	line_text(s, false, false, "  %s %lld · %s %lld", label_nature(NATURE_BIG),
		  (long long)r->by_nature[NATURE_BIG], label_nature(NATURE_INDIVIDUAL),
		  (long long)r->by_nature[NATURE_INDIVIDUAL]);
	line_text(s, false, false, _("  Composite A %lld · B %lld · C %lld · not evaluated %lld"),
		  (long long)r->by_composite[0], (long long)r->by_composite[1],
		  (long long)r->by_composite[2], (long long)r->by_composite[3]);
	line_text(s, false, false, "%s", "");
	line_text(s, true, false, _("Litres by grade (%lld fuellings, %s L)"), (long long)r->visits,
		  label_litres(r->total_ml, v, sizeof v));
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
		if (text_width(label_stability((fc_stability)k)) > stab_cols)
			stab_cols = text_width(label_stability((fc_stability)k));
	for (size_t i = 0; i < r->callback_count; i++) {
		const report_callback *c = &r->callbacks[i];
		char stab[96];
		text_fit(stab, sizeof stab, label_stability(c->stability), stab_cols, true);
		line_text(s, false, c->done < c->required, "  %-20s %d/%d  %s  %s", c->code,
			  c->done, c->required, stab, c->name);
	}
	add_list(s, _("Won back this month"), &r->won_back);
	add_list(s, _("Lost customers"), &r->lost);
	add_list(s, _("Swing customers"), &r->swing);
	add_list(s, _("Potential customers"), &r->potential);
}

static void page_load(ui_ctx *ui, report_state *s)
{
	report_monthly r;
	fc_error err;
	fc_error_clear(&err);
	s->loaded = true;
	s->top = 0;
	snprintf(s->title, sizeof s->title, "%s", s->month);
	if (report_monthly_compute(ui->app->db, &ui->app->cfg, s->month, clock_now_ms(), &r, &err)) {
		s->count = 0;
		line_text(s, false, true, _("Cannot compute the monthly analysis: %s"),
			  fc_error_text(&err));
	} else {
		build_page(s, &r);
	}
	report_monthly_free(&r);
}

/* A bar of cells/8 eighths: full blocks, then one partial block. */
static void bar_put(WINDOW *w, int y, int x, int width, int64_t value, int64_t max)
{
	static const char *const part[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	int64_t eighths = max > 0 && value > 0 ? value * width * 8 / max : 0;
	if (value > 0 && eighths == 0)
		eighths = 1;
	char buf[1024] = "";
	size_t len = 0;
	for (int64_t i = 0; i < eighths / 8 && len + 4 < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "█");
	if (eighths % 8 && len + 4 < sizeof buf)
		snprintf(buf + len, sizeof buf - len, "%s", part[eighths % 8]);
	wattron(w, theme_attr(THEME_OK));
	text_put(w, y, x, buf, width);
	wattroff(w, theme_attr(THEME_OK));
}

static void report_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	report_state *s = state;
	int h = getmaxy(body) - 1, w = ui->cols; /* row 0: the title */
	if (!s->loaded)
		page_load(ui, s);
	s->page = h > 1 ? h : 1;
	char more[64] = "";
	if (s->count > (size_t)s->page)
		snprintf(more, sizeof more, " %zu-%zu/%zu", s->top + 1,
			 s->top + (size_t)s->page < s->count ? s->top + (size_t)s->page : s->count,
			 s->count);
	wattron(body, A_BOLD);
	text_put(body, 0, 1, s->title, w - 2 - text_width(more));
	text_put(body, 0, w - 1 - text_width(more), more, text_width(more));
	wattroff(body, A_BOLD);
	if (s->count > (size_t)s->page && s->top > s->count - (size_t)s->page)
		s->top = s->count - (size_t)s->page;
	for (int y = 0; y < h && s->top + (size_t)y < s->count; y++) {
		const page_line *l = &s->lines[s->top + (size_t)y];
		int row = y + 1;
		attr_t a = (l->bold ? A_BOLD : A_NORMAL) | (l->alert ? theme_attr(THEME_ERROR) : 0);
		wattron(body, a);
		if (l->max > 0) {
			char v[40], lit[32];
			snprintf(v, sizeof v, _("%s L"), label_litres(l->value, lit, sizeof lit));
			int barw = w - LABEL_COLS - VALUE_COLS - 6;
			text_put(body, row, 2, l->text, LABEL_COLS);
			if (barw > 0)
				bar_put(body, row, 3 + LABEL_COLS, barw, l->value, l->max);
			text_put(body, row, w - 2 - text_width(v), v, text_width(v));
		} else {
			text_put(body, row, 1, l->text, w - 2);
		}
		wattroff(body, a);
	}
}

static unsigned report_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	report_state *s = state;
	size_t page = s->page > 1 ? (size_t)s->page - 1 : 1;
	size_t last = s->count > (size_t)s->page ? s->count - (size_t)s->page : 0;
	char now[REPORT_MONTH_LEN], next[REPORT_MONTH_LEN];
	switch (key->action) {
	case UI_ACT_UP:
		s->top = s->top > 0 ? s->top - 1 : 0;
		return UI_REDRAW;
	case UI_ACT_DOWN:
		s->top = s->top < last ? s->top + 1 : last;
		return UI_REDRAW;
	case UI_ACT_PAGE_UP:
		s->top = s->top > page ? s->top - page : 0;
		return UI_REDRAW;
	case UI_ACT_PAGE_DOWN:
		s->top = s->top + page < last ? s->top + page : last;
		return UI_REDRAW;
	case UI_ACT_MONTHLY: /* again: read the figures afresh */
		s->loaded = false;
		return UI_REDRAW;
	case UI_ACT_LEFT:
	case UI_ACT_RIGHT:
		report_month_step(s->month, key->action == UI_ACT_LEFT ? -1 : 1, next);
		report_month_of(clock_now_ms(), now);
		if (strcmp(next, now) > 0) {
			ui_flash(ui, true, 3, "%s", _("No later month: this is the current one"));
			return UI_REDRAW;
		}
		memcpy(s->month, next, sizeof next);
		s->loaded = false;
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static void report_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	report_state *s = state;
	free(s->lines);
	free(s);
}

static const screen_ops report_ops = {
	.name = "report",
	.actions = UI_ACTION_BIT(UI_ACT_UP) | UI_ACTION_BIT(UI_ACT_DOWN) |
		   UI_ACTION_BIT(UI_ACT_PAGE_UP) | UI_ACTION_BIT(UI_ACT_PAGE_DOWN) |
		   UI_ACTION_BIT(UI_ACT_LEFT) | UI_ACTION_BIT(UI_ACT_RIGHT) |
		   UI_ACTION_BIT(UI_ACT_MONTHLY) | UI_ACTION_BIT(UI_ACT_BACK),
	.draw = report_draw,
	.on_key = report_on_key,
	.leave = report_leave,
};

unsigned report_screen_open(ui_ctx *ui)
{
	fc_staff who;
	if (ui->app->staff_id <= 0 ||
	    staff_find_id(ui->app->db, ui->app->staff_id, &who, NULL) != FC_OK) {
		ui_flash(ui, true, 8, "%s",
			 _("The monthly analysis is for the station head: log in with F6 first"));
		return UI_REDRAW;
	}
	if (!staff_role_allows(who.role, ROLE_HEAD)) {
		ui_flash(ui, true, 8, _("The monthly analysis is for the station head or admin, not %s"),
			 who.name);
		return UI_REDRAW;
	}
	report_state *s = calloc(1, sizeof *s);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	report_month_of(clock_now_ms(), s->month);
	return ui_push(ui, &report_ops, s);
}
