/* screen_help.c — F1: the keys of the screen underneath, generated from the
 * one key table (screen.h) so help, key bar and dispatch never disagree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/core/i18n.h"
#include "ui/core/loop.h"
#include "ui/core/text.h"

typedef struct help_state {
	uint64_t actions; /* of the screen the help was opened from */
	char note[256];   /* its help_note, "" = none */
} help_state;

static void help_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	const help_state *h = state;
	int y = 1;
	wattron(body, A_BOLD);
	text_put(body, 0, 2, _("Keys on this screen (Esc: back)"), ui->cols - 4);
	wattroff(body, A_BOLD);
	for (const char *line = h->note; *line;) { /* the screen's note first, '\n' = next line */
		char buf[sizeof h->note];
		size_t len = strcspn(line, "\n");
		snprintf(buf, sizeof buf, "%.*s", (int)len, line);
		text_put(body, ++y, 2, buf, ui->cols - 4);
		line += len + (line[len] == '\n');
	}
	if (h->note[0])
		y++;
	for (int a = 1; a < UI_ACT_COUNT && y < getmaxy(body); a++) {
		if (!(h->actions & UI_ACTION_BIT(a)))
			continue;
		text_put(body, ++y, 4, ui_action_label((ui_action)a), 8);
		text_put(body, y, 13, ui_action_help((ui_action)a), ui->cols - 15);
	}
	if (ui->app->cfg.ui_kiosk && y + 2 < getmaxy(body))
		text_put(body, y + 2, 2,
			 _("Kiosk mode: Ctrl-C, Ctrl-Z and F10 do not quit. To exit, an admin logs "
			   "in (F6) and presses F10."),
			 ui->cols - 4);
}

static unsigned help_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	(void)ui;
	(void)state;
	if (key->action == UI_ACT_BACK || key->action == UI_ACT_HELP || key->action == UI_ACT_SAVE)
		return UI_BACK;
	return UI_UNHANDLED;
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
