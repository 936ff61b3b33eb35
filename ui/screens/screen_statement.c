/* screen_statement.c — the fuel ledger 用油台账 of a customer (^L on the
 * customer card): every fuelling of its cards in a month, then the totals
 * per card and per grade; scrolls, Left/Right change the month.  One
 * customer's month is read through the index visits_customer in the loop
 * (milliseconds), not in a worker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "report/statement.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/text.h"
#include "ui/core/theme.h"
#include "ui/screens/archive_ui.h"

/* Columns: date, station, card, plate (the rest), grade, litres, amount,
 * discount, points. */
enum { COL_DATE = 11, COL_STATION = 6, COL_CARD = 8, COL_GRADE = 5, COL_LITRES = 9,
       COL_AMOUNT = 9, COL_DISCOUNT = 8, COL_POINTS = 6 };

typedef enum { LINE_ROW, LINE_HEAD, LINE_CARD, LINE_GRADE, LINE_TOTAL, LINE_BLANK } line_kind;

typedef struct statement_line {
	line_kind kind;
	size_t index; /* into rows, by_card or by_grade */
	const char *text; /* LINE_HEAD: msgid */
} statement_line;

typedef struct statement_state {
	char code[32];
	char month[REPORT_MONTH_LEN];
	statement ledger;
	bool failed;          /* ledger not read: message says why */
	char message[256];
	statement_line *lines;
	size_t count;
	size_t top;           /* first line shown */
	int rows;             /* lines shown at the last draw */
} statement_state;

static void statement_add_line(statement_state *s, line_kind kind, size_t index, const char *text)
{
	statement_line *grown = realloc(s->lines, (s->count + 1) * sizeof *grown);
	if (!grown)
		return; /* a line fewer; the ledger's totals still show */
	s->lines = grown;
	s->lines[s->count++] = (statement_line){ kind, index, text };
}

static void statement_load(ui_ctx *ui, statement_state *s)
{
	fc_error err;
	fc_error_clear(&err);
	statement_free(&s->ledger);
	free(s->lines);
	s->lines = NULL;
	s->count = s->top = 0;
	s->failed = statement_compute(ui->app->db, &ui->app->cfg, s->code, s->month, NULL,
				      &s->ledger, &err) != FC_OK;
	if (s->failed) {
		snprintf(s->message, sizeof s->message, _("Cannot read the fuel ledger: %s"),
			 fc_error_text(&err));
		return;
	}
	for (size_t i = 0; i < s->ledger.count; i++)
		statement_add_line(s, LINE_ROW, i, NULL);
	if (!s->ledger.count)
		statement_add_line(s, LINE_HEAD, 0, N_("No fuelling this month"));
	statement_add_line(s, LINE_BLANK, 0, NULL);
	statement_add_line(s, LINE_HEAD, 0, N_("Totals per card"));
	for (size_t i = 0; i < s->ledger.card_count; i++)
		statement_add_line(s, LINE_CARD, i, NULL);
	statement_add_line(s, LINE_BLANK, 0, NULL);
	statement_add_line(s, LINE_HEAD, 0, N_("Totals per grade"));
	for (size_t i = 0; i < s->ledger.grade_count; i++)
		statement_add_line(s, LINE_GRADE, i, NULL);
	statement_add_line(s, LINE_TOTAL, 0, NULL);
}

/* The figures of a row or a total from column x on. */
static void statement_put_figures(WINDOW *body, int y, int x, int64_t ml, int64_t fen,
				  int64_t discount, int64_t points)
{
	char buf[40], cell[48];
	snprintf(cell, sizeof cell, "%*s", COL_LITRES, labels_litres(ml, buf, sizeof buf));
	text_put(body, y, x, cell, COL_LITRES);
	x += COL_LITRES + 1;
	snprintf(cell, sizeof cell, "%*s", COL_AMOUNT, labels_yuan(fen, buf, sizeof buf));
	text_put(body, y, x, cell, COL_AMOUNT);
	x += COL_AMOUNT + 1;
	snprintf(cell, sizeof cell, "%*s", COL_DISCOUNT, labels_yuan(discount, buf, sizeof buf));
	text_put(body, y, x, cell, COL_DISCOUNT);
	x += COL_DISCOUNT + 1;
	snprintf(cell, sizeof cell, "%*lld", COL_POINTS, (long long)points);
	text_put(body, y, x, cell, COL_POINTS);
}

/* A right-aligned heading of width cols at x. */
static void statement_put_right(WINDOW *body, int y, int x, const char *text, int cols)
{
	int tw = text_width(text);
	text_put(body, y, x + (tw < cols ? cols - tw : 0), text, cols);
}

static void statement_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	statement_state *s = state;
	const statement *l = &s->ledger;
	int w = ui->cols, h = getmaxy(body);
	char line[256], more[64] = "";
	/* the station column as wide as its heading ("Station"), the plate the rest */
	int station_w = text_width(_("Station")) > COL_STATION ? text_width(_("Station")) : COL_STATION;
	int plate_w = w - 2 - (COL_DATE + station_w + COL_CARD + COL_GRADE + COL_LITRES +
			       COL_AMOUNT + COL_DISCOUNT + COL_POINTS + 8);
	if (plate_w < 1)
		plate_w = 1;
	int x_station = 1 + COL_DATE + 1, x_card = x_station + station_w + 1,
	    x_plate = x_card + COL_CARD + 1, x_grade = x_plate + plate_w + 1,
	    x_litres = x_grade + COL_GRADE + 1;
	s->rows = h - 3 > 1 ? h - 3 : 1; /* title, plates, column heads */
	size_t rows = (size_t)s->rows;
	if (s->count > rows && s->top > s->count - rows)
		s->top = s->count - rows;
	if (s->count > rows)
		snprintf(more, sizeof more, " %zu-%zu/%zu", s->top + 1,
			 s->top + rows < s->count ? s->top + rows : s->count, s->count);
	snprintf(line, sizeof line, _("Fuel ledger: %s %s  %s"), s->code,
		 s->failed ? "" : l->name, s->month);
	wattron(body, A_BOLD);
	text_put_data(body, 0, 1, line, w - 2 - text_width(more));
	text_put(body, 0, w - 1 - text_width(more), more, text_width(more));
	wattroff(body, A_BOLD);
	if (s->failed) {
		wattron(body, theme_attr(THEME_ERROR));
		text_put_wrapped(body, 2, 1, s->message, w - 2, 2);
		wattroff(body, theme_attr(THEME_ERROR));
		return;
	}
	snprintf(line, sizeof line,
		 _n("%s, %zu card, plates: %s", "%s, %zu cards, plates: %s", l->card_count),
		 labels_nature(l->nature), l->card_count, l->plate[0] ? l->plate : _("none"));
	text_put_data(body, 1, 1, line, w - 2);
	wattron(body, A_BOLD);
	text_put(body, 2, 1, _("Date"), COL_DATE);
	text_put(body, 2, x_station, _("Station"), station_w);
	text_put(body, 2, x_card, _("Card"), COL_CARD);
	text_put(body, 2, x_plate, _("Plate"), plate_w);
	text_put(body, 2, x_grade, _("Grade"), COL_GRADE);
	statement_put_right(body, 2, x_litres, _("Litres"), COL_LITRES);
	statement_put_right(body, 2, x_litres + COL_LITRES + 1, _("Amount"), COL_AMOUNT);
	statement_put_right(body, 2, x_litres + COL_LITRES + COL_AMOUNT + 2, _("Discount"),
			    COL_DISCOUNT);
	statement_put_right(body, 2, x_litres + COL_LITRES + COL_AMOUNT + COL_DISCOUNT + 3,
			    _("Points"), COL_POINTS);
	wattroff(body, A_BOLD);
	for (size_t i = 0; i < rows && s->top + i < s->count; i++) {
		const statement_line *ln = &s->lines[s->top + i];
		int y = 3 + (int)i;
		char count[64];
		const statement_total *t = NULL;
		switch (ln->kind) {
		case LINE_ROW: {
			const statement_row *r = &l->rows[ln->index];
			text_put(body, y, 1, r->local + 5, COL_DATE); /* "06-01 19:21" */
			text_put_data(body, y, x_station, l->station, station_w);
			text_put(body, y, x_card, r->card, COL_CARD);
			text_put_data(body, y, x_plate, l->plate, plate_w);
			text_put_data(body, y, x_grade, r->grade, COL_GRADE);
			statement_put_figures(body, y, x_litres, r->volume_ml, r->amount_fen,
					      r->discount_fen, r->points);
			break;
		}
		case LINE_HEAD:
			wattron(body, A_BOLD);
			text_put(body, y, 1, _(ln->text), w - 2);
			wattroff(body, A_BOLD);
			break;
		case LINE_CARD:
		case LINE_GRADE:
		case LINE_TOTAL:
			t = ln->kind == LINE_CARD    ? &l->by_card[ln->index]
			    : ln->kind == LINE_GRADE ? &l->by_grade[ln->index]
						     : &l->total;
			if (ln->kind == LINE_TOTAL) {
				wattron(body, A_BOLD);
				text_put(body, y, 1, _("Month total"), COL_DATE + station_w + 1);
			} else {
				text_put_data(body, y, 1, t->key, COL_DATE + station_w + 1);
			}
			snprintf(count, sizeof count,
				 _n("%lld fuelling", "%lld fuellings", (unsigned long)t->fuellings),
				 (long long)t->fuellings);
			text_put(body, y, x_card, count, x_litres - x_card - 1);
			statement_put_figures(body, y, x_litres, t->volume_ml, t->amount_fen,
					      t->discount_fen, t->points);
			if (ln->kind == LINE_TOTAL)
				wattroff(body, A_BOLD);
			break;
		case LINE_BLANK:
			break;
		}
	}
}

static unsigned statement_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	statement_state *s = state;
	size_t rows = s->rows > 0 ? (size_t)s->rows : 1;
	size_t last = s->count > rows ? s->count - rows : 0;
	char next[REPORT_MONTH_LEN], now[REPORT_MONTH_LEN];
	switch (key->action) {
	case UI_ACT_UP:
		s->top = s->top > 0 ? s->top - 1 : 0;
		return UI_REDRAW;
	case UI_ACT_DOWN:
		s->top = s->top < last ? s->top + 1 : last;
		return UI_REDRAW;
	case UI_ACT_PAGE_UP:
		s->top = s->top > rows - 1 ? s->top - (rows - 1) : 0;
		return UI_REDRAW;
	case UI_ACT_PAGE_DOWN:
		s->top = s->top + (rows - 1) < last ? s->top + (rows > 1 ? rows - 1 : 1) : last;
		return UI_REDRAW;
	case UI_ACT_LEFT:
	case UI_ACT_RIGHT:
		report_month_step(s->month, key->action == UI_ACT_LEFT ? -1 : 1, next);
		report_month_of(clock_now_ms(), now);
		if (strcmp(next, now) > 0) {
			ui_flash(ui, true, 4, _("%s has not begun yet"), next);
			return UI_REDRAW;
		}
		snprintf(s->month, sizeof s->month, "%s", next);
		statement_load(ui, s);
		return UI_REDRAW;
	case UI_ACT_BACK:
		return UI_BACK;
	default:
		return UI_UNHANDLED;
	}
}

static void statement_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	statement_state *s = state;
	statement_free(&s->ledger);
	free(s->lines);
	free(s);
}

static void statement_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	(void)state;
	snprintf(buf, n, "%s\n%s",
		 _("Every fuelling of the customer's cards at this station in the month, then "
		   "the totals per card (a unit's whole fleet) and per grade"),
		 _("Cards show their last 4 digits; the plate is the customer's (a fuelling "
		   "records none); `forecourt statement` prints the same as text, CSV or JSON"));
}

static const screen_ops statement_ops = {
	.name = "statement",
	.help_note = statement_help_note,
	.actions = UI_ACTION_BIT(UI_ACT_UP) | UI_ACTION_BIT(UI_ACT_DOWN) |
		   UI_ACTION_BIT(UI_ACT_PAGE_UP) | UI_ACTION_BIT(UI_ACT_PAGE_DOWN) |
		   UI_ACTION_BIT(UI_ACT_LEFT) | UI_ACTION_BIT(UI_ACT_RIGHT) |
		   UI_ACTION_BIT(UI_ACT_BACK),
	.draw = statement_draw,
	.on_key = statement_on_key,
	.leave = statement_leave,
};

unsigned statement_screen_open(ui_ctx *ui, const char *code)
{
	statement_state *s = calloc(1, sizeof *s);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	snprintf(s->code, sizeof s->code, "%s", code);
	report_month_of(clock_now_ms(), s->month);
	statement_load(ui, s);
	return ui_push(ui, &statement_ops, s);
}
