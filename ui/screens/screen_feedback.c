/* screen_feedback.c — the optional one-key satisfaction rating (1-5) after
 * a fuelling, stored as feedback linked to the visit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/uuid.h"
#include "care/feedback.h"
#include "ui/core/i18n.h"
#include "ui/screens/care.h"

typedef struct feedback_state {
	char visit_id[UUID_STR_LEN];
	int64_t opened_ms; /* clock_mono_ms() when shown: it closes by itself */
} feedback_state;

static void feedback_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	(void)state;
	int h = getmaxy(body), w = ui->cols;
	wattron(body, A_BOLD);
	text_put_centred(body, h / 2 - 2, 0, _("How satisfied was the customer? Press 1 to 5"), w);
	wattroff(body, A_BOLD);
	text_put_centred(body, h / 2, 0, _("1 very unsatisfied  2 unsatisfied  3 fair  4 satisfied  5 very satisfied"), w);
	text_put_centred(body, h / 2 + 2, 0, _("Esc: skip"), w);
}

static unsigned feedback_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	feedback_state *s = state;
	if (key->action != UI_ACT_NONE || key->is_keycode)
		return UI_UNHANDLED; /* Esc: back = skip */
	if (key->ch < '1' || key->ch > '5') {
		ui_flash(ui, true, 3, "%s", _("Press 1 to 5, or Esc to skip"));
		return UI_REDRAW;
	}
	fc_error err;
	int rating = (int)key->ch - '0';
	if (feedback_record(ui->app->db, &ui->app->cfg, s->visit_id, rating, NULL,
			    ui->app->staff_id, NULL, &err))
		ui_flash(ui, true, 5, _("Rating not saved: %s"), fc_error_text(&err));
	else
		ui_flash(ui, false, 4, _("Thank you: rating %d saved"), rating);
	return UI_BACK | UI_STATUS | UI_REDRAW;
}

static unsigned feedback_on_tick(ui_ctx *ui, void *state, int64_t mono_ms)
{
	feedback_state *s = state;
	int idle = ui->app->cfg.ui_idle_seconds;
	return idle > 0 && mono_ms - s->opened_ms >= idle * 1000LL ? UI_BACK | UI_REDRAW : UI_NONE;
}

static void feedback_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	free(state);
}

static const screen_ops feedback_ops = {
	.name = "feedback",
	.actions = UI_ACTION_BIT(UI_ACT_BACK),
	.draw = feedback_draw,
	.on_key = feedback_on_key,
	.on_tick = feedback_on_tick,
	.leave = feedback_leave,
};

unsigned feedback_screen_open(ui_ctx *ui, const char *visit_id)
{
	feedback_state *s = calloc(1, sizeof *s);
	if (!s)
		return UI_REDRAW; /* optional: the fuelling is saved anyway */
	snprintf(s->visit_id, sizeof s->visit_id, "%s", visit_id ? visit_id : "");
	s->opened_ms = clock_mono_ms();
	return ui_push(ui, &feedback_ops, s);
}
