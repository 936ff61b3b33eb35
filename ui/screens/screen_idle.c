/* screen_idle.c — the idle screen at the bottom of the stack: "please swipe",
 * the demo swipe (F2, simulated reader) and the anonymous visit (F5). */
#include <sodium.h>
#include <stdio.h>

#include "base/clock.h"
#include "care/complaint.h"
#include "drivers/reader.h"
#include "pump/lookup.h"
#include "ui/core/i18n.h"
#include "ui/core/loop.h"
#include "ui/core/text.h"
#include "ui/screens/care.h"

/* The line for a logged-in head or admin: "3 complaints are overdue (F7)"
 * into buf; "" when nobody with that role is logged in or nothing is
 * overdue.  Returns buf. */
static const char *idle_care_notice(ui_ctx *ui, char *buf, size_t n)
{
	fc_staff who;
	buf[0] = '\0';
	if (!login_form_logged_in(ui, &who) || !staff_role_allows(who.role, ROLE_HEAD))
		return buf;
	int overdue = complaint_count_overdue(ui->app->db, clock_now_ms());
	if (overdue > 0)
		snprintf(buf, n, _n("%d complaint is overdue (F7: complaint book)",
					  "%d complaints are overdue (F7: complaint book)", overdue),
			 overdue);
	return buf;
}

static void idle_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	(void)state;
	int h = getmaxy(body), w = ui->cols;
	wattron(body, A_BOLD);
	text_put_centred(body, h / 2 - 3, 0, _("Please swipe the customer's card"), w);
	wattroff(body, A_BOLD);
	text_put_centred(body, h / 2 - 1, 0, _("F5: fuelling without a card    F1: help"), w);
	if (reader_is_sim(ui->rd))
		text_put_centred(body, h / 2 + 1, 0,
				 _("Demo reader: F2 swipes a random card of the database"), w);
	char notice[160]; /* a logged-in head: how many complaints are overdue */
	if (idle_care_notice(ui, notice, sizeof notice)[0]) {
		wattron(body, A_BOLD);
		text_put_centred(body, h / 2 + 3, 0, notice, w);
		wattroff(body, A_BOLD);
	}
	if (ui->app->cfg.ui_kiosk)
		text_put_centred(body, h - 2, 0,
				 _("Kiosk mode: to exit, an admin logs in (F6) and presses F10"),
				 w);
}

unsigned idle_demo_swipe(ui_ctx *ui)
{
	char card_id[80];
	fc_error err;
	if (!reader_is_sim(ui->rd)) {
		ui_flash(ui, true, 5, "%s", _("F2 works with the demo reader only ([reader] port = sim)"));
		return UI_REDRAW;
	}
	uint64_t pick;
	randombytes_buf(&pick, sizeof pick);
	fc_error_clear(&err);
	fc_status st = lookup_pick_card(ui->app->db, pick, card_id, &err);
	if (st == FC_OK)
		reader_sim_swipe(ui->rd, card_id);
	else if (st == FC_ERR_NOT_FOUND)
		ui_flash(ui, true, 5, "%s", _("There are no cards in the database yet"));
	else
		ui_flash(ui, true, 5, _("Cannot read the cards: %s"), fc_error_text(&err));
	return UI_REDRAW;
}

static unsigned idle_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	(void)state;
	switch (key->action) {
	case UI_ACT_DEMO_SWIPE:
		return idle_demo_swipe(ui);
	case UI_ACT_ANONYMOUS:
		return swipe_screen_open(ui, NULL);
	default:
		return UI_UNHANDLED;
	}
}

const screen_ops idle_screen_ops = {
	.name = "idle",
	.actions = UI_ACTION_BIT(UI_ACT_HELP) | UI_ACTION_BIT(UI_ACT_DEMO_SWIPE) |
		   UI_ACTION_BIT(UI_ACT_ANONYMOUS) | UI_ACTION_BIT(UI_ACT_QUIT),
	.draw = idle_draw,
	.on_key = idle_on_key,
};
