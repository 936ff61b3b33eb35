/* screen_help.c — F1: the keys of the screen underneath, generated from the
 * one key table (screen.h) so help, key bar and dispatch never disagree;
 * long lines wrap, and a list taller than the screen scrolls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/core/i18n.h"
#include "ui/core/loop.h"
#include "ui/core/text.h"

#define HELP_KEY_COLS 8 /* "PgDn", "Enter" */

typedef struct help_state {
	uint64_t actions; /* of the screen the help was opened from */
	char note[2048];  /* its help_note, "" = none (the longest, the visit form's: ~660 bytes) */
	int top;          /* first row shown */
	int rows;         /* rows of the whole help at the last draw */
	int shown;        /* rows that fit at the last draw */
} help_state;

/* text wrapped to cols at column x on help row `row`, drawn (below the
 * title) when body is set and its rows lie within [top, top + max).
 * Returns its rows. */
static int help_block(WINDOW *body, int row, int top, int max, int x, const char *text, int cols)
{
	int r = text[0] ? text_wrap_rows(text, cols) : 1;
	if (body && row >= top && row + r <= top + max)
		text_put_wrapped(body, row - top + 1, x, text, cols, r);
	return r;
}

/* Lay the help out: the screen's note, the keys, the kiosk mode line;
 * drawn from help row top, at most max rows, when body is set.  Returns
 * the rows of the whole help. */
static int help_layout(ui_ctx *ui, const help_state *h, WINDOW *body, int top, int max)
{
	int y = 0, w = ui->cols;
	char buf[sizeof h->note];
	for (const char *line = h->note; *line;) { /* '\n' = next line */
		size_t len = strcspn(line, "\n");
		snprintf(buf, sizeof buf, "%.*s", (int)len, line);
		y += help_block(body, y, top, max, 2, buf, w - 4);
		line += len + (line[len] == '\n');
	}
	if (h->note[0])
		y++;
	for (int a = 1; a < UI_ACT_COUNT; a++) {
		if (!(h->actions & UI_ACTION_BIT(a)))
			continue;
		help_block(body, y, top, max, 4, ui_action_label((ui_action)a), HELP_KEY_COLS);
		y += help_block(body, y, top, max, 5 + HELP_KEY_COLS, ui_action_help((ui_action)a),
				w - 6 - HELP_KEY_COLS);
	}
	if (ui->app->cfg.ui_kiosk)
		y += 1 + help_block(body, y + 1, top, max, 2,
				    _("Kiosk mode: Ctrl-C, Ctrl-Z and F10 do not quit. To exit, an "
				      "admin logs in (F6) and presses F10."),
				    w - 4);
	return y;
}

static void help_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	help_state *h = state;
	int max = getmaxy(body) - 2; /* the title above, the "more" line below */
	h->rows = help_layout(ui, h, NULL, 0, 0);
	h->shown = h->rows > max + 1 ? max : max + 1;
	if (h->top > h->rows - h->shown)
		h->top = h->rows - h->shown > 0 ? h->rows - h->shown : 0;
	wattron(body, A_BOLD);
	text_put(body, 0, 2, _("Keys on this screen (Esc: back)"), ui->cols - 4);
	wattroff(body, A_BOLD);
	help_layout(ui, h, body, h->top, h->shown);
	if (h->rows > h->shown) {
		char more[160];
		snprintf(more, sizeof more, _("Lines %d-%d of %d   Up/Down, PgUp/PgDn: more"),
			 h->top + 1, h->top + h->shown, h->rows);
		wattron(body, A_BOLD);
		text_put(body, getmaxy(body) - 1, 2, more, ui->cols - 4);
		wattroff(body, A_BOLD);
	}
}

static unsigned help_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	(void)ui;
	help_state *h = state;
	int last = h->rows - h->shown > 0 ? h->rows - h->shown : 0;
	switch (key->action) {
	case UI_ACT_BACK:
	case UI_ACT_HELP:
	case UI_ACT_SAVE:
		return UI_BACK;
	case UI_ACT_UP:
		h->top = h->top > 0 ? h->top - 1 : 0;
		return UI_REDRAW;
	case UI_ACT_DOWN:
		h->top = h->top < last ? h->top + 1 : last;
		return UI_REDRAW;
	case UI_ACT_PAGE_UP:
		h->top = h->top > h->shown ? h->top - h->shown : 0;
		return UI_REDRAW;
	case UI_ACT_PAGE_DOWN:
		h->top = h->top + h->shown < last ? h->top + h->shown : last;
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static void help_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	free(state);
}

static const screen_ops help_ops = {
	.name = "help",
	.actions = UI_ACTION_BIT(UI_ACT_BACK),
	.draw = help_draw,
	.on_key = help_on_key,
	.leave = help_leave,
};

unsigned help_screen_open(ui_ctx *ui)
{
	help_state *h = calloc(1, sizeof *h);
	if (!h) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	h->actions = ui_top_actions(ui) | registry_actions() | UI_ACTION_BIT(UI_ACT_HELP) |
		     UI_ACTION_BIT(UI_ACT_QUIT) | UI_ACTION_BIT(UI_ACT_BACK);
	ui_top_help_note(ui, h->note, sizeof h->note);
	return ui_push(ui, &help_ops, h);
}
