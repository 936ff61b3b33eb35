/* screen_report.c — Ctrl-R: the monthly analysis for the station head: counts,
 * litres by grade and tier as bars, lists; scrolls, Left/Right change the month. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "staff/staff.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/text.h"
#include "ui/core/theme.h"
#include "ui/screens/report_job.h"
#include "ui/screens/report_ui.h"

#define VALUE_COLS 14 /* "123456.78 L" after a bar */

typedef struct report_state {
	char month[REPORT_MONTH_LEN];
	report_page page;  /* shown: the figures, or "computing" */
	report_job *job;   /* computing month, NULL when none */
	size_t top;        /* first line shown */
	int rows;          /* lines shown at the last draw */
} report_state;

/* Start computing s->month (a computation under way is given up): the page
 * says so at once, report_draw shows the figures when the job is done. */
static void page_request(ui_ctx *ui, report_state *s)
{
	report_job_cancel(s->job);
	s->top = 0;
	s->job = report_job_start(&ui->app->cfg, ui->app->db_path, s->month, clock_now_ms(),
				  ui->wake_fd);
	if (s->job)
		report_job_page_message(&s->page, s->month, false, _("Computing…"));
	else
		report_job_page_message(&s->page, s->month, true,
				    _("Cannot compute the monthly analysis: no thread to run it"));
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
	report_page *p = &s->page;
	int h = getmaxy(body) - 1, w = ui->cols; /* row 0: the title */
	if (report_job_take(&s->job, p) == REPORT_TAKE_FIRST)
		s->top = 0; /* the rest keeps the place the figures were read at */
	s->rows = h > 1 ? h : 1;
	size_t rows = (size_t)s->rows;
	char more[64] = "";
	if (p->count > rows)
		snprintf(more, sizeof more, " %zu-%zu/%zu", s->top + 1,
			 s->top + rows < p->count ? s->top + rows : p->count, p->count);
	wattron(body, A_BOLD);
	text_put(body, 0, 1, p->title, w - 2 - text_width(more));
	text_put(body, 0, w - 1 - text_width(more), more, text_width(more));
	wattroff(body, A_BOLD);
	if (p->count > rows && s->top > p->count - rows)
		s->top = p->count - rows;
	else if (p->count <= rows)
		s->top = 0; /* a short page (a failure after the figures): from its top */
	for (int y = 0; y < h && s->top + (size_t)y < p->count; y++) {
		page_line line;
		const page_line *l = &line;
		report_job_page_line(p, s->top + (size_t)y, &line);
		int row = y + 1;
		attr_t a = (l->bold ? A_BOLD : A_NORMAL) | (l->alert ? theme_attr(THEME_ERROR) : 0);
		wattron(body, a);
		if (l->max > 0) {
			char v[40], lit[32];
			if (l->count)
				snprintf(v, sizeof v, "%lld", (long long)l->value);
			else
				snprintf(v, sizeof v, _("%s L"), labels_litres(l->value, lit, sizeof lit));
			int barw = w - REPORT_LABEL_COLS - VALUE_COLS - 6;
			text_put(body, row, 2, l->text, REPORT_LABEL_COLS);
			if (barw > 0)
				bar_put(body, row, 3 + REPORT_LABEL_COLS, barw, l->value, l->max);
			text_put(body, row, w - 2 - text_width(v), v, text_width(v));
		} else if (l->data) {
			text_put_data(body, row, 1, l->text, w - 2);
		} else {
			text_put(body, row, 1, l->text, w - 2);
		}
		wattroff(body, a);
	}
}

/* The first line of the next (dir 1) or previous (dir -1) section from the
 * top line: sections start at bold lines.  top itself when there is none. */
static size_t section_step(const report_page *p, size_t top, int dir, size_t last)
{
	if (dir > 0) {
		for (size_t k = 0; k < p->section_count; k++)
			if (p->sections[k] > top)
				return p->sections[k] < last ? p->sections[k] : last;
		return last;
	}
	for (size_t k = p->section_count; k-- > 0;)
		if (p->sections[k] < top)
			return p->sections[k];
	return 0;
}

static unsigned report_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	report_state *s = state;
	size_t page = s->rows > 1 ? (size_t)s->rows - 1 : 1;
	size_t rows = s->rows > 0 ? (size_t)s->rows : 1;
	size_t last = s->page.count > rows ? s->page.count - rows : 0;
	char now[REPORT_MONTH_LEN], next[REPORT_MONTH_LEN];
	if (key->action == UI_ACT_NONE && !key->is_keycode && (key->ch == ']' || key->ch == '[')) {
		s->top = section_step(&s->page, s->top, key->ch == ']' ? 1 : -1, last);
		return UI_REDRAW;
	}
	switch (key->action) {
	case UI_ACT_ARCHIVE: /* Home: the top of the report */
		s->top = 0;
		return UI_REDRAW;
	case UI_ACT_REPORT: /* End: its bottom */
		s->top = last;
		return UI_REDRAW;
	case UI_ACT_NEXT:
	case UI_ACT_PREV:
		s->top = section_step(&s->page, s->top, key->action == UI_ACT_NEXT ? 1 : -1, last);
		return UI_REDRAW;
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
		page_request(ui, s);
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
		page_request(ui, s);
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

/* A job done while another screen (F1 help) was on top is taken at the next
 * draw; this redraws when it is done and the loop was not woken (no eventfd). */
static unsigned report_on_tick(ui_ctx *ui, void *state, int64_t mono_ms)
{
	(void)ui;
	(void)mono_ms;
	report_state *s = state;
	return s->job ? UI_REDRAW : UI_NONE;
}

static void report_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	report_state *s = state;
	report_job_cancel(s->job); /* at once: the thread frees what it still holds */
	report_job_page_free(&s->page);
	free(s);
}

/* F1: the keys of this screen that are not their key table meaning. */
static void report_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	(void)state;
	snprintf(buf, n, "%s\n%s\n%s", _("Home / End: top / bottom of the analysis"),
		 _("Tab or ] / S-Tab or [: next / previous section"),
		 _("A past month shows the classes as they were at its end. The study: each lost, "
		   "swing and potential customer's reason, where it buys now, the competitor's "
		   "offer, measures and who is responsible; reasons by tier; satisfaction; visit "
		   "report scores; complaints by handler; competitor customers"));
}

/* Home and End move within the report here. */
static const char *report_bar_text(const ui_ctx *ui, const void *state, ui_action a)
{
	(void)ui;
	(void)state;
	return a == UI_ACT_ARCHIVE ? _("Top") : a == UI_ACT_REPORT ? _("Bottom") : NULL;
}

/* The analysis is the head's: it closes when the F6 login ends. */
static bool report_needs_login(const void *state)
{
	(void)state;
	return true;
}

static const screen_ops report_ops = {
	.name = "report",
	.help_note = report_help_note,
	.bar_text = report_bar_text,
	.actions = UI_ACTION_BIT(UI_ACT_UP) | UI_ACTION_BIT(UI_ACT_DOWN) |
		   UI_ACTION_BIT(UI_ACT_NEXT) | UI_ACTION_BIT(UI_ACT_PREV) |
		   UI_ACTION_BIT(UI_ACT_PAGE_UP) | UI_ACTION_BIT(UI_ACT_PAGE_DOWN) |
		   UI_ACTION_BIT(UI_ACT_LEFT) | UI_ACTION_BIT(UI_ACT_RIGHT) |
		   UI_ACTION_BIT(UI_ACT_MONTHLY) | UI_ACTION_BIT(UI_ACT_BACK),
	.draw = report_draw,
	.on_key = report_on_key,
	.on_tick = report_on_tick,
	.leave = report_leave,
	.needs_login = report_needs_login,
};

unsigned report_screen_open(ui_ctx *ui)
{
	fc_staff who;
	if (ui->app->staff_id <= 0 ||
	    staff_find_id(ui->app->db, ui->app->staff_id, &who, NULL) != FC_OK || !who.active) {
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
	page_request(ui, s);
	return ui_push(ui, &report_ops, s);
}
