/* swipe_view.c — drawing of the swipe screen: tier banner, green lane,
 * customer card, points, discounts, and the fuelling/redeem form. */
#include <stdio.h>
#include <string.h>

#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/theme.h"
#include "ui/screens/swipe.h"

#define COL_W 38 /* each of the two label/value columns */

/* A full-width bar of `lines` rows in attr with text centred on the middle. */
static void swipe_bar(WINDOW *w, int y, int lines, int cols, attr_t attr, const char *text,
		      const char *sub)
{
	wattrset(w, attr);
	for (int i = 0; i < lines; i++)
		mvwhline(w, y + i, 0, ' ', cols);
	if (sub && lines > 1) {
		text_put_centred(w, y + (lines - 1) / 2, 0, text, cols);
		text_put_centred(w, y + (lines - 1) / 2 + 1, 0, sub, cols);
	} else {
		text_put_centred(w, y + lines / 2, 0, text, cols);
	}
	wattrset(w, A_NORMAL);
}

/* "label: value" in a column of COL_W columns. */
static void swipe_pair(WINDOW *w, int y, int x, const char *label, const char *value, attr_t attr)
{
	int lw = text_width(label);
	text_put(w, y, x, label, lw + 1);
	wattrset(w, attr);
	text_put_data(w, y, x + lw + 1, value, COL_W - lw - 1); /* a name may be longer */
	wattrset(w, A_NORMAL);
}

static void swipe_draw_banner(ui_ctx *ui, const swipe_state *s, WINDOW *w)
{
	char text[256], sub[256];
	const fc_card_view *v = &s->view;
	if (s->anonymous) {
		swipe_bar(w, 0, 3, ui->cols, A_REVERSE, _("Fuelling without a card"), NULL);
	} else if (v->blocked) {
		snprintf(text, sizeof text, "%s", _("!! BLOCKED CARD — NO BENEFITS !!"));
		snprintf(sub, sizeof sub, "%s", _("Keep the card and call the station head."));
		swipe_bar(w, 0, 4, ui->cols, theme_attr(THEME_BLOCKED), text, sub);
	} else if (!v->registered) {
		snprintf(sub, sizeof sub, "%s", _("F4: register a new customer    F5: fuelling without customer"));
		swipe_bar(w, 0, 3, ui->cols, theme_attr(THEME_UNKNOWN), _("Card not registered"), sub);
	} else {
		snprintf(text, sizeof text, "%s%s%s    %s", labels_tier(v->tier),
			 v->tier_provisional ? " " : "", v->tier_provisional ? _("(provisional)") : "",
			 labels_nature(v->nature));
		swipe_bar(w, 0, 3, ui->cols, theme_tier_attr(v->tier), text, NULL);
	}
}

/* The green-lane bar at row y, when the card has the right. */
static void swipe_draw_green_lane(ui_ctx *ui, const fc_card_view *v, WINDOW *w, int y)
{
	char buf[256];
	if (!v->green_lane)
		return;
	char pumps[128] = "";
	for (int i = 0; i < v->pump_count; i++) {
		size_t len = strlen(pumps);
		snprintf(pumps + len, sizeof pumps - len, "%s%d", i ? ", " : "", v->pumps[i]);
	}
	snprintf(buf, sizeof buf, _(">>> GREEN LANE — dedicated pumps: %s <<<"), pumps);
	swipe_bar(w, y, 1, ui->cols, theme_attr(THEME_GREEN_LANE), buf, NULL);
}

static void swipe_draw_customer(ui_ctx *ui, const swipe_state *s, WINDOW *w, int y)
{
	const fc_card_view *v = &s->view;
	char buf[256], yuan[32];
	const fc_config *cfg = &ui->app->cfg;
	swipe_draw_green_lane(ui, v, w, y);
	y++;
	swipe_pair(w, y, 1, _("Name:"), v->name, A_BOLD);
	swipe_pair(w, y++, 41, _("Customer code:"), v->customer_code, A_NORMAL);
	swipe_pair(w, y, 1, _("Nature:"), labels_nature(v->nature), A_NORMAL);
	swipe_pair(w, y++, 41, _("Industry:"), labels_industry(v->industry), A_NORMAL);
	if (v->won_back)
		swipe_pair(w, y, 1, _("Stability:"), _("WON BACK (lost customer returns)"),
			   A_BOLD | A_REVERSE);
	else
		swipe_pair(w, y, 1, _("Stability:"), labels_stability(v->stability), A_NORMAL);
	swipe_pair(w, y++, 41, _("Card:"), v->card_masked, A_NORMAL);
	snprintf(buf, sizeof buf, "%lld (= ¥%s)%s", (long long)v->points,
		 labels_yuan(v->points * 100 / (cfg->points_per_yuan > 0 ? cfg->points_per_yuan : 100),
			    yuan, sizeof yuan),
		 v->points_stale ? _(" [offline]") : "");
	swipe_pair(w, y, 1, _("Points:"), buf, A_BOLD);
	char owner[160];
	swipe_pair(w, y++, 41, _("Maintained by:"),
		   labels_maintainer(v->owner_key, v->owner_name, v->owner_staff, v->home_station,
				     cfg->station_id, owner, sizeof owner),
		   A_NORMAL);
	buf[0] = '\0';
	for (int i = 0; i < v->discount_count; i++) {
		size_t len = strlen(buf);
		snprintf(buf + len, sizeof buf - len, "%s -%s ", v->discounts[i].grade,
			 labels_yuan(v->discounts[i].fen_per_litre, yuan, sizeof yuan));
	}
	const char *label = _("Approved discount (yuan/L):");
	int lw = text_width(label);
	text_put(w, y, 1, label, lw + 1);
	text_put_data(w, y++, lw + 2, buf[0] ? buf : "—", ui->cols - lw - 3);
	if (v->callback_due) {
		char due[128];
		snprintf(due, sizeof due, "%s", _("CALLBACK DUE"));
		if (v->callback_special[0])
			snprintf(due, sizeof due, strcmp(v->callback_special, "birthday") == 0
				 ? _("CALLBACK DUE: birthday %s") : _("CALLBACK DUE: company anniversary %s"),
				 v->callback_special_date + 5);
		wattrset(w, A_BOLD | A_REVERSE);
		text_put(w, y, 1, due, text_width(due));
		wattrset(w, A_NORMAL);
	}
}

/* A field "[value]" of width cols; focused: highlighted with a cursor mark. */
static void swipe_field(WINDOW *w, int y, int x, const text_field *f, int cols, bool focus)
{
	char buf[160];
	snprintf(buf, sizeof buf, "%s%s", f->buf, focus ? "_" : "");
	wattrset(w, theme_attr(focus ? THEME_FOCUS : THEME_FIELD));
	text_put(w, y, x, buf, cols);
	wattrset(w, A_NORMAL);
}

static void swipe_draw_form(ui_ctx *ui, const swipe_state *s, WINDOW *w, int y)
{
	const fc_config *cfg = &ui->app->cfg;
	char buf[64], yuan[32];
	int x = 1;
	mvwhline(w, y++, 0, ACS_HLINE, ui->cols);
	text_put(w, y, x, _("Grade:"), 10);
	x = 11;
	for (int i = 0; i < cfg->grade_count && x < ui->cols - 10; i++) {
		if (i >= 26)
			break;
		snprintf(buf, sizeof buf, "[%c] %s", 'A' + i, cfg->grades[i]);
		int bw = text_width(buf) + 1;
		wattrset(w, i == s->grade ? theme_attr(THEME_FOCUS) | A_BOLD
			    : s->grade < 0     ? A_BOLD
					       : A_NORMAL);
		text_put(w, y, x, buf, bw - 1);
		wattrset(w, A_NORMAL);
		x += bw + 1;
	}
	y++;
	text_put(w, y, 1, _("Litres:"), 10);
	swipe_field(w, y, 11, &s->litres, 10, s->focus == SWIPE_FOCUS_LITRES);
	text_put(w, y, 23, _("or amount (yuan):"), 18);
	swipe_field(w, y, 41, &s->amount, 10, s->focus == SWIPE_FOCUS_AMOUNT);
	text_put(w, y, 54, _("Pump:"), 8);
	swipe_field(w, y, 62, &s->pump, 4, s->focus == SWIPE_FOCUS_PUMP);
	y++;
	if (s->view.registered && !s->view.blocked && !s->anonymous) {
		long long pts = 0;
		sscanf(s->redeem.buf, "%lld", &pts);
		text_put(w, y, 1, _("F3 redeem points:"), 22);
		swipe_field(w, y, 23, &s->redeem, 10, s->focus == SWIPE_FOCUS_REDEEM);
		snprintf(buf, sizeof buf, "= ¥%s",
			 labels_yuan(pts * 100 / (cfg->points_per_yuan > 0 ? cfg->points_per_yuan : 100),
				    yuan, sizeof yuan));
		text_put(w, y, 35, buf, 20);
	}
	y++;
	char hint[256], keys[8];
	if (s->focus == SWIPE_FOCUS_REDEEM)
		snprintf(hint, sizeof hint, "%s",
			 _("Type the points, Enter redeems.  Tab: back to the fuelling."));
	else if (s->focus == SWIPE_FOCUS_PUMP)
		snprintf(hint, sizeof hint, "%s",
			 _("Type the pump, Enter sets it.  Esc: keep the pump it was."));
	else
		snprintf(hint, sizeof hint,
			 _("Grade key %s, litres (or Tab: amount), Enter saves.  Esc: next customer."),
			 swipe_grade_keys(cfg, keys, sizeof keys));
	if (s->rating)
		swipe_rating_draw(ui, s, w, y);
	else
		text_put(w, y, 1, hint, ui->cols - 2);
	/* the confirmation stays under the hint (or the rating question); a
	 * refusal goes under it and never replaces it */
	if (s->saved[0]) {
		wattrset(w, theme_attr(THEME_OK));
		text_put(w, y + 1, 0, s->saved, ui->cols);
		wattrset(w, A_NORMAL);
	}
	if (s->error[0]) {
		wattrset(w, theme_attr(THEME_ERROR));
		text_put_wrapped(w, y + (s->rating ? 3 : 2), 0, s->error, ui->cols, 2);
		wattrset(w, A_NORMAL);
	}
}

void swipe_view_draw(ui_ctx *ui, const swipe_state *s, WINDOW *body)
{
	swipe_draw_banner(ui, s, body);
	const fc_card_view *v = &s->view;
	if (!s->anonymous && v->blocked) {
		char buf[300];
		snprintf(buf, sizeof buf, "%s %s", _("Card:"), v->card_masked);
		text_put(body, 5, 1, buf, ui->cols - 2);
		snprintf(buf, sizeof buf, "%s %s", _("Reason:"), v->blocked_reason[0] ? v->blocked_reason : "—");
		text_put_data(body, 6, 1, buf, ui->cols - 2);
		text_put(body, 7, 1,
			 s->blocked_recorded ? _("The event was recorded for head office.")
					     : s->blocked_error,
			 ui->cols - 2);
		text_put(body, 9, 1, _("F5: fuelling without a card (no benefits)    Esc: back"),
			 ui->cols - 2);
		return;
	}
	if (!s->anonymous && !v->details && v->registered) {
		/* the decision alone, until the rest is read (the same loop turn) */
		swipe_draw_green_lane(ui, v, body, 3);
		return;
	}
	if (!s->anonymous && !v->registered) {
		char buf[160];
		snprintf(buf, sizeof buf, "%s %s", _("Card:"), v->card_masked);
		text_put(body, 4, 1, buf, ui->cols - 2);
		return;
	}
	if (!s->anonymous)
		swipe_draw_customer(ui, s, body, 3);
	swipe_draw_form(ui, s, body, s->anonymous ? 4 : 10);
}
