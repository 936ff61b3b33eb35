/* swipe_rating.c — the optional one-key satisfaction rating (1-5) asked on
 * the swipe screen under "Saved ✓" ([ui] ask_rating), stored as feedback
 * linked to the visit; the next card waits for it instead of skipping it. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "care/feedback.h"
#include "ui/core/i18n.h"
#include "ui/core/loop.h"
#include "ui/core/theme.h"
#include "ui/screens/swipe.h"

void swipe_rating_ask(swipe_state *s, const char *visit_id)
{
	s->rating = true;
	snprintf(s->rating_visit, sizeof s->rating_visit, "%s", visit_id ? visit_id : "");
	s->rating_ms = clock_mono_ms();
	s->next_card[0] = '\0';
}

unsigned swipe_rating_close(ui_ctx *ui, swipe_state *s)
{
	s->rating = false;
	if (!s->next_card[0])
		return UI_REDRAW;
	char card[sizeof s->next_card];
	memcpy(card, s->next_card, sizeof card);
	s->next_card[0] = '\0';
	return UI_HOME | swipe_screen_open(ui, card) | UI_REDRAW;
}

unsigned swipe_rating_key(ui_ctx *ui, swipe_state *s, const ui_key *key)
{
	if (key->action == UI_ACT_BACK) { /* skips the rating, stays with the customer */
		ui_flash(ui, false, 4, "%s", _("Rating skipped"));
		return swipe_rating_close(ui, s);
	}
	if (key->action != UI_ACT_NONE || key->is_keycode)
		return UI_UNHANDLED;
	if (key->ch < '1' || key->ch > '5') {
		ui_flash(ui, true, 4, "%s", _("Press 1 to 5, or Esc to skip"));
		return UI_REDRAW;
	}
	fc_error err;
	int rating = (int)key->ch - '0';
	fc_error_clear(&err);
	s->error[0] = '\0';
	if (feedback_record(ui->app->db, &ui->app->cfg, s->rating_visit, rating, NULL,
			    ui->app->staff_id, NULL, &err))
		ui_flash(ui, true, 5, _("Rating not saved: %s"), fc_error_text(&err));
	else
		ui_flash(ui, false, 4, _("Thank you: rating %d saved"), rating);
	return swipe_rating_close(ui, s) | UI_STATUS;
}

unsigned swipe_rating_card(ui_ctx *ui, swipe_state *s, const char *card_id)
{
	(void)ui;
	snprintf(s->next_card, sizeof s->next_card, "%s", card_id);
	return UI_REDRAW;
}

unsigned swipe_rating_tick(ui_ctx *ui, swipe_state *s, int64_t mono_ms)
{
	int idle = ui->app->cfg.ui_idle_seconds;
	if (!s->rating || idle <= 0 || mono_ms - s->rating_ms < idle * 1000LL)
		return UI_NONE;
	return swipe_rating_close(ui, s);
}

void swipe_rating_draw(ui_ctx *ui, const swipe_state *s, WINDOW *w, int y)
{
	wattron(w, A_BOLD);
	text_put(w, y, 1, _("How satisfied was the customer? Press 1 to 5 (Esc: skip)"),
		 ui->cols - 2);
	wattroff(w, A_BOLD);
	text_put(w, y + 2, 1,
		 _("1 very unsatisfied  2 unsatisfied  3 fair  4 satisfied  5 very satisfied"),
		 ui->cols - 2);
	if (s->next_card[0] && !s->error[0]) { /* an error of the form takes this row */
		wattron(w, theme_attr(THEME_UNKNOWN));
		text_put(w, y + 3, 1, _("Next card read: it opens after the rating (1-5, or Esc)"),
			 ui->cols - 2);
		wattroff(w, theme_attr(THEME_UNKNOWN));
	}
}
