/* screen_swipe.c — the swipe screen: the decision on the card event (the
 * card's row: blocked, tier, green lane), drawn at once, the card's whole
 * view right after in the same loop turn, then the fuelling form (grade letter, litres or amount, Enter) and points redemption.
 * Drawing is in swipe_view.c; storage goes through src/pump/lookup.h only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "pump/redeem.h"
#include "pump/visit.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/loop.h"
#include "ui/core/term.h"
#include "ui/screens/care.h"
#include "ui/screens/register.h"
#include "ui/screens/swipe.h"

/* The blocked_card_seen record for head office (src/pump/lookup.h). */
static void swipe_record_blocked(ui_ctx *ui, swipe_state *s)
{
	fc_error err;
	fc_error_clear(&err);
	fc_status st = visit_record_blocked_seen(ui->app->db, &ui->app->cfg, s->view.card_id,
						 "swipe", ui->app->staff_id, NULL, &err);
	s->blocked_recorded = st == FC_OK;
	if (st != FC_OK)
		snprintf(s->blocked_error, sizeof s->blocked_error, _("Not recorded: %s"),
			 fc_error_text(&err));
}

static void swipe_form_reset(ui_ctx *ui, swipe_state *s)
{
	s->grade = -1;
	text_field_clear(&s->litres);
	text_field_clear(&s->amount);
	text_field_clear(&s->redeem);
	snprintf(s->pump.buf, sizeof s->pump.buf, "%d", ui->last_pump > 0 ? ui->last_pump : 1);
	s->focus = SWIPE_FOCUS_LITRES;
	s->refused = false;
}

const char *swipe_grade_keys(const fc_config *cfg, char *buf, size_t n)
{
	int count = cfg->grade_count > 26 ? 26 : cfg->grade_count;
	if (count <= 1)
		snprintf(buf, n, "A");
	else
		snprintf(buf, n, "A-%c", 'A' + count - 1);
	return buf;
}

/* The grade of a letter key (a or A = the first grade), -1 when none. */
static int swipe_grade_of(const fc_config *cfg, wint_t ch)
{
	int count = cfg->grade_count > 26 ? 26 : cfg->grade_count;
	int g = ch >= 'a' && ch <= 'z' ? (int)(ch - 'a') : ch >= 'A' && ch <= 'Z' ? (int)(ch - 'A') : -1;
	return g < count ? g : -1;
}

static void swipe_need_grade(const fc_config *cfg, swipe_state *s)
{
	char keys[8];
	snprintf(s->error, sizeof s->error, _("Choose the grade first: keys %s."),
		 swipe_grade_keys(cfg, keys, sizeof keys));
}

static swipe_state *swipe_state_new(ui_ctx *ui)
{
	swipe_state *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->litres = (text_field){ .kind = FIELD_DECIMAL, .max_chars = 7 };
	s->amount = (text_field){ .kind = FIELD_DECIMAL, .max_chars = 8 };
	s->pump = (text_field){ .kind = FIELD_DIGITS, .max_chars = 3 };
	s->redeem = (text_field){ .kind = FIELD_DIGITS, .max_chars = 7 };
	swipe_form_reset(ui, s);
	s->last_key_ms = clock_mono_ms();
	return s;
}

/* Mask all but the last 4 characters of an id we have no view for. */
static void swipe_mask(const char *id, char *out, size_t n)
{
	size_t len = strlen(id);
	snprintf(out, n, "****%s", len > 4 ? id + len - 4 : id);
}

/* The decision at once: the card's row alone (lookup_decision); the rest
 * of the view follows after the first draw (swipe_after_draw). */
static fc_status swipe_lookup(ui_ctx *ui, swipe_state *s, const char *card_id, fc_error *err)
{
	fc_status st = lookup_decision(ui->app->db, &ui->app->cfg, card_id, &s->view, err);
	if (st != FC_OK)
		return st;
	if (!s->view.registered) {
		snprintf(s->view.card_id, sizeof s->view.card_id, "%s", card_id);
		swipe_mask(card_id, s->view.card_masked, sizeof s->view.card_masked);
	}
	return FC_OK;
}

/* Parse the pump field; false (and s->error) when not a valid pump. */
static bool swipe_pump(ui_ctx *ui, swipe_state *s, int *pump)
{
	(void)ui;
	*pump = atoi(s->pump.buf);
	if (!visit_pump_valid(*pump)) {
		snprintf(s->error, sizeof s->error, _("Pump: type a pump number 1-%d (F9)."),
			 VISIT_PUMP_MAX);
		s->focus = SWIPE_FOCUS_PUMP;
		return false;
	}
	return true;
}

/* Enter again on a form just saved, nothing typed since (a gloved double
 * Enter): the confirmation stays, a short beep and a gentle word. */
static unsigned swipe_already_saved(ui_ctx *ui)
{
	beep();
	ui_flash(ui, false, 3, "%s", _("Already saved. Next fuelling: a grade key; next customer: Esc."));
	return UI_REDRAW;
}

/* Enter on the fuelling form: validate, record, "Saved ✓" after COMMIT. */
static unsigned swipe_save_visit(ui_ctx *ui, swipe_state *s)
{
	const fc_config *cfg = &ui->app->cfg;
	long long litres = 0, yuan = 0;
	int pump;
	if (s->refused) {
		snprintf(s->error, sizeof s->error, "%s",
			 _("NOT saved: a key was refused in this field; Bksp removes it, then Enter."));
		return UI_REDRAW;
	}
	if (s->grade < 0 && !s->litres.buf[0] && !s->amount.buf[0] && s->saved[0])
		return swipe_already_saved(ui);
	if (s->grade < 0) {
		swipe_need_grade(cfg, s);
		if (s->focus == SWIPE_FOCUS_PUMP)
			s->focus = SWIPE_FOCUS_LITRES;
		return UI_REDRAW;
	}
	bool have_l = text_field_hundredths(&s->litres, &litres) && litres > 0;
	bool have_y = text_field_hundredths(&s->amount, &yuan) && yuan > 0;
	if (!have_l && !have_y) {
		snprintf(s->error, sizeof s->error, "%s",
			 _("Type the litres (or Tab and the amount in yuan), more than 0."));
		s->focus = s->focus == SWIPE_FOCUS_AMOUNT ? SWIPE_FOCUS_AMOUNT : SWIPE_FOCUS_LITRES;
		return UI_REDRAW;
	}
	if (!swipe_pump(ui, s, &pump))
		return UI_REDRAW;
	fc_visit_input in = {
		.card_id = s->anonymous ? NULL : s->view.card_id,
		.pump = pump,
		.grade = cfg->grades[s->grade],
		.volume_ml = have_l ? litres * 10 : 0,
		.amount_fen = have_l ? 0 : yuan,
		.staff_id = ui->app->staff_id,
	};
	fc_visit_result res;
	fc_error err;
	int grade_index;
	fc_error_clear(&err);
	fc_status st = visit_check_input(cfg, &in, &grade_index, &err); /* the limits */
	if (st != FC_OK)
		s->focus = have_l ? SWIPE_FOCUS_LITRES : SWIPE_FOCUS_AMOUNT;
	else
		st = visit_record(ui->app->db, cfg, &in, &res, &err);
	if (st != FC_OK) {
		snprintf(s->error, sizeof s->error, _("NOT saved: %s — the values are kept, fix and press Enter again."),
			 fc_error_text(&err));
		return UI_REDRAW | UI_STATUS;
	}
	char l[32], y[32];
	s->error[0] = '\0';
	s->rating = false;
	if (s->anonymous)
		snprintf(s->saved, sizeof s->saved, _("Saved ✓  %s  %s L  ¥%s  pump %d"), in.grade,
			 labels_litres(res.volume_ml, l, sizeof l),
			 labels_yuan(res.amount_fen, y, sizeof y), pump);
	else
		snprintf(s->saved, sizeof s->saved,
			 _("Saved ✓  %s  %s L  ¥%s  pump %d  points +%lld = %lld"), in.grade,
			 labels_litres(res.volume_ml, l, sizeof l),
			 labels_yuan(res.amount_fen, y, sizeof y), pump, (long long)res.points_earned,
			 (long long)res.points_balance);
	if (!s->anonymous)
		s->view.points = res.points_balance;
	if (pump != ui->last_pump) { /* the next swipe on this terminal starts here */
		if (visit_pump_remember(ui->app->db, term_tty_name(), pump, &err) != FC_OK)
			ui_flash(ui, true, 5, _("Pump %d not remembered: %s"), pump, fc_error_text(&err));
	}
	ui->last_pump = pump;
	swipe_form_reset(ui, s);
	if (cfg->ui_ask_rating) /* optional one-key rating, linked to this visit */
		swipe_rating_ask(s, res.id);
	return UI_REDRAW | UI_STATUS;
}

static unsigned swipe_redeem(ui_ctx *ui, swipe_state *s)
{
	long long pts = atoll(s->redeem.buf);
	if (pts <= 0) {
		snprintf(s->error, sizeof s->error, "%s", _("Type the points to redeem (more than 0)."));
		return UI_REDRAW;
	}
	if (pts > s->view.points) {
		snprintf(s->error, sizeof s->error, _("Only %lld points available."),
			 (long long)s->view.points);
		return UI_REDRAW;
	}
	fc_redeem_result res;
	fc_error err;
	fc_error_clear(&err);
	fc_status st = redeem_points(ui->app->db, &ui->app->cfg, s->view.card_id, pts,
				     ui->app->staff_id, &res, &err);
	if (st != FC_OK) {
		snprintf(s->error, sizeof s->error, _("NOT redeemed: %s"), fc_error_text(&err));
		return UI_REDRAW | UI_STATUS;
	}
	char y[32];
	s->error[0] = '\0';
	snprintf(s->saved, sizeof s->saved, _("Redeemed ✓  %lld points = ¥%s  balance %lld"),
		 (long long)res.points, labels_yuan(res.value_fen, y, sizeof y),
		 (long long)res.points_balance);
	s->view.points = res.points_balance;
	s->rating = false;
	text_field_clear(&s->redeem);
	s->focus = SWIPE_FOCUS_LITRES;
	return UI_REDRAW | UI_STATUS;
}

static text_field *swipe_focused_field(swipe_state *s)
{
	switch (s->focus) {
	case SWIPE_FOCUS_LITRES: return &s->litres;
	case SWIPE_FOCUS_AMOUNT: return &s->amount;
	case SWIPE_FOCUS_PUMP: return &s->pump;
	case SWIPE_FOCUS_REDEEM: return &s->redeem;
	default: return NULL;
	}
}

/* Why field f refuses ch (it is focused), as a message naming the field. */
static void swipe_refusal(swipe_state *s, const text_field *f, wint_t ch)
{
	const char *name = s->focus == SWIPE_FOCUS_LITRES   ? _("Litres")
			   : s->focus == SWIPE_FOCUS_AMOUNT ? _("Amount")
			   : s->focus == SWIPE_FOCUS_PUMP   ? _("Pump")
							    : _("Points");
	const char *dot = strchr(f->buf, '.');
	const char *why;
	if (strlen(f->buf) >= (size_t)f->max_chars)
		why = _("the field is full");
	else if (f->kind == FIELD_DECIMAL && ch == '.' && dot)
		why = _("only one '.' is allowed");
	else if (f->kind == FIELD_DECIMAL && ch == '.')
		why = _("type a digit before the '.'");
	else if (f->kind == FIELD_DECIMAL && ch >= '0' && ch <= '9' && dot)
		why = _("at most 2 decimals");
	else if (f->kind == FIELD_DECIMAL)
		why = _("digits and one '.' only");
	else
		why = _("digits only");
	snprintf(s->error, sizeof s->error, _("%s: key refused, %s. Bksp removes it."), name, why);
}

/* A typed character on the form: a grade letter or a field character. */
static unsigned swipe_type(ui_ctx *ui, swipe_state *s, wint_t ch)
{
	const fc_config *cfg = &ui->app->cfg;
	int g = swipe_grade_of(cfg, ch);
	if (g >= 0 && s->focus != SWIPE_FOCUS_REDEEM && !s->refused) {
		s->grade = g; /* new input: the last confirmation and the rating go */
		s->saved[0] = s->error[0] = '\0';
		s->rating = false;
		if (s->focus == SWIPE_FOCUS_PUMP)
			s->focus = SWIPE_FOCUS_LITRES;
		return UI_REDRAW;
	}
	text_field *f = swipe_focused_field(s);
	bool figure = (ch >= '0' && ch <= '9') || ch == '.';
	if (s->refused) { /* the earlier refusal stays on screen; nothing is merged */
		return UI_REDRAW;
	}
	if (figure && s->grade < 0 &&
	    (s->focus == SWIPE_FOCUS_LITRES || s->focus == SWIPE_FOCUS_AMOUNT)) {
		swipe_need_grade(cfg, s); /* not typed: the attendant types it again */
		return UI_REDRAW;
	}
	if (!figure && s->focus != SWIPE_FOCUS_REDEEM) {
		char keys[8];
		snprintf(s->error, sizeof s->error,
			 _("Grade keys are %s; litres, amount and pump take digits."),
			 swipe_grade_keys(cfg, keys, sizeof keys));
		return UI_REDRAW;
	}
	if (!text_field_insert(f, ch)) {
		swipe_refusal(s, f, ch);
		s->refused = true;
		return UI_REDRAW;
	}
	s->error[0] = '\0';
	if (s->focus != SWIPE_FOCUS_PUMP) { /* new input */
		s->saved[0] = '\0';
		s->rating = false;
	}
	if (s->focus == SWIPE_FOCUS_LITRES) /* one of litres / amount */
		text_field_clear(&s->amount);
	else if (s->focus == SWIPE_FOCUS_AMOUNT)
		text_field_clear(&s->litres);
	return UI_REDRAW;
}

/* Move the focus (Tab, F9, F3): a refused key is forgotten. */
static unsigned swipe_focus_to(swipe_state *s, swipe_focus f)
{
	if (s->refused)
		s->error[0] = '\0';
	s->refused = false;
	if (f == SWIPE_FOCUS_PUMP && s->focus != SWIPE_FOCUS_PUMP) /* Esc goes back to it */
		snprintf(s->pump_before, sizeof s->pump_before, "%s", s->pump.buf);
	s->focus = f;
	return UI_REDRAW;
}

/* Esc in the pump field: the pump it had, the focus back on the litres,
 * what was said about the pump typed gone. */
static unsigned swipe_pump_cancel(swipe_state *s)
{
	snprintf(s->pump.buf, sizeof s->pump.buf, "%s", s->pump_before);
	s->refused = false;
	s->error[0] = '\0';
	s->focus = SWIPE_FOCUS_LITRES;
	return UI_REDRAW;
}

/* Enter in the pump field: the pump is set; the fuelling is saved when it
 * is complete, otherwise the form asks for what is missing. */
static unsigned swipe_pump_enter(ui_ctx *ui, swipe_state *s)
{
	int pump;
	if (s->refused)
		return swipe_save_visit(ui, s);
	if (!swipe_pump(ui, s, &pump))
		return UI_REDRAW;
	if (s->grade >= 0 && (s->litres.buf[0] || s->amount.buf[0]))
		return swipe_save_visit(ui, s);
	s->focus = SWIPE_FOCUS_LITRES;
	s->error[0] = '\0';
	char keys[8];
	ui_flash(ui, false, 5, _("Pump %d set. Now the grade (keys %s) and the litres."), pump,
		 swipe_grade_keys(&ui->app->cfg, keys, sizeof keys));
	return UI_REDRAW;
}

static unsigned swipe_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	swipe_state *s = state;
	s->last_key_ms = clock_mono_ms();
	bool unknown = !s->anonymous && !s->view.registered;
	bool blocked = !s->anonymous && s->view.blocked;
	bool grade_key = key->action == UI_ACT_NONE && !key->is_keycode &&
			 swipe_grade_of(&ui->app->cfg, key->ch) >= 0;
	if (s->rating && !grade_key) { /* a grade key: the next fuelling, the rating given up */
		unsigned r = swipe_rating_key(ui, s, key);
		if (!(r & UI_UNHANDLED))
			return r;
	}
	if (key->action == UI_ACT_BACK && s->focus == SWIPE_FOCUS_PUMP && !blocked && !unknown)
		return swipe_pump_cancel(s);
	if (key->action == UI_ACT_BACK)
		return UI_HOME;
	if (blocked || unknown) {
		if (unknown && key->action == UI_ACT_REGISTER)
			return register_screen_open(ui, s->view.card_id);
		if (key->action == UI_ACT_ANONYMOUS) { /* fuel is sold, without benefits */
			s->anonymous = true;
			return UI_REDRAW;
		}
		return UI_UNHANDLED;
	}
	switch (key->action) {
	case UI_ACT_SAVE:
		if (s->focus == SWIPE_FOCUS_REDEEM)
			return s->refused ? UI_REDRAW : swipe_redeem(ui, s);
		if (s->focus == SWIPE_FOCUS_PUMP)
			return swipe_pump_enter(ui, s);
		return swipe_save_visit(ui, s);
	case UI_ACT_NEXT:
	case UI_ACT_DOWN:
		return swipe_focus_to(s, s->focus >= SWIPE_FOCUS_PUMP ? SWIPE_FOCUS_LITRES
								: s->focus + 1);
	case UI_ACT_PREV:
	case UI_ACT_UP:
		return swipe_focus_to(s, s->focus == SWIPE_FOCUS_LITRES || s->focus == SWIPE_FOCUS_REDEEM
						 ? SWIPE_FOCUS_PUMP
						 : s->focus - 1);
	case UI_ACT_PUMP: /* a new pump typed over the old (Esc brings it back) */
		swipe_focus_to(s, SWIPE_FOCUS_PUMP);
		text_field_clear(&s->pump);
		return UI_REDRAW;
	case UI_ACT_REDEEM:
		if (s->anonymous)
			return UI_UNHANDLED;
		return swipe_focus_to(s, SWIPE_FOCUS_REDEEM);
	case UI_ACT_ERASE:
		if (s->refused) { /* the refused key goes, the field stays as it was */
			s->refused = false;
			s->error[0] = '\0';
		} else {
			text_field_erase(swipe_focused_field(s));
		}
		return UI_REDRAW;
	case UI_ACT_NONE:
		if (key->is_keycode)
			return UI_UNHANDLED;
		return swipe_type(ui, s, key->ch);
	default:
		return UI_UNHANDLED;
	}
}

static unsigned swipe_on_tick(ui_ctx *ui, void *state, int64_t mono_ms)
{
	swipe_state *s = state;
	if (s->rating)
		return swipe_rating_tick(ui, s, mono_ms);
	bool typing = s->litres.buf[0] || s->amount.buf[0] || s->redeem.buf[0] || s->error[0];
	if (!typing && ui->app->cfg.ui_idle_seconds > 0 &&
	    mono_ms - s->last_key_ms >= ui->app->cfg.ui_idle_seconds * 1000LL)
		return UI_HOME;
	return UI_NONE;
}

static void swipe_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	swipe_view_draw(ui, state, body);
}

/* A blocked card's record is written after its screen was drawn
 * (swipe_after_draw); a screen left before it was ever drawn (another card
 * read in the same turn replaced it) writes it here: never lost. */
static void swipe_leave(ui_ctx *ui, void *state)
{
	swipe_state *s = state;
	if (!s->anonymous && s->view.registered && s->view.blocked && !s->blocked_recorded &&
	    !s->blocked_error[0])
		swipe_record_blocked(ui, s);
	free(state);
}

static uint64_t swipe_actions_now(const ui_ctx *ui, const void *state)
{
	const swipe_state *s = state;
	(void)ui;
	uint64_t back = UI_ACTION_BIT(UI_ACT_BACK);
	if (!s->anonymous && s->view.blocked)
		return back | UI_ACTION_BIT(UI_ACT_ANONYMOUS);
	if (!s->anonymous && !s->view.registered)
		return back | UI_ACTION_BIT(UI_ACT_REGISTER) | UI_ACTION_BIT(UI_ACT_ANONYMOUS);
	uint64_t form = back | UI_ACTION_BIT(UI_ACT_SAVE) | UI_ACTION_BIT(UI_ACT_PUMP) |
			UI_ACTION_BIT(UI_ACT_NEXT) | UI_ACTION_BIT(UI_ACT_PREV) |
			UI_ACTION_BIT(UI_ACT_ERASE);
	return s->anonymous ? form : form | UI_ACTION_BIT(UI_ACT_REDEEM);
}

/* Typed figures not saved yet (a swipe or F10 would lose them). */
static bool swipe_unsaved(ui_ctx *ui, void *state)
{
	const swipe_state *s = state;
	(void)ui;
	return s->litres.buf[0] || s->amount.buf[0] || s->redeem.buf[0] || s->refused;
}

/* A card swiped on the swipe screen: waits while the rating is asked;
 * refused over unsaved input; else the next customer. */
static unsigned swipe_on_card(ui_ctx *ui, void *state, const char *card_id)
{
	swipe_state *s = state;
	if (s->rating)
		return swipe_rating_card(ui, s, card_id);
	if (swipe_unsaved(ui, s)) { /* the swipe is ignored: it would throw the input away */
		ui_flash(ui, true, 10, "%s",
			 _("Unsaved input: press Enter to save or Esc to discard it, then swipe "
			   "again."));
		return UI_REDRAW;
	}
	return UI_HOME | swipe_screen_open(ui, card_id);
}

static void swipe_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	const swipe_state *s = state;
	const fc_config *cfg = &ui->app->cfg;
	char keys[8], list[200] = "";
	if (!s->anonymous && (s->view.blocked || !s->view.registered)) {
		buf[0] = '\0';
		return;
	}
	for (int i = 0; i < cfg->grade_count && i < 26; i++) {
		size_t len = strlen(list);
		snprintf(list + len, sizeof list - len, "%s%c %s", i ? ", " : "", 'A' + i, cfg->grades[i]);
	}
	int used = s->rating ? snprintf(buf, n, "%s\n", _("Rating asked: 1 to 5 rates, Esc skips")) : 0;
	snprintf(buf + used, n - (size_t)used,
		 _("Grade keys %s: %s.\nThen the litres (digits, one '.'), or Tab and the amount."),
		 swipe_grade_keys(cfg, keys, sizeof keys), list);
}

/* After the decision was drawn, in the same loop turn: the card's whole
 * view (lookup_card, its own snapshot: the decision again with the rest,
 * so what stays on the screen is never older than what was drawn first),
 * and a blocked card's record for head office. */
static unsigned swipe_after_draw(ui_ctx *ui, void *state)
{
	swipe_state *s = state;
	if (s->anonymous || !s->view.registered || s->view.details)
		return UI_NONE;
	fc_error err;
	fc_error_clear(&err);
	char card_id[sizeof s->view.card_id];
	snprintf(card_id, sizeof card_id, "%s", s->view.card_id);
	fc_status st = lookup_card(ui->app->db, &ui->app->cfg, card_id, &s->view, &err);
	if (st != FC_OK) {
		ui_flash(ui, true, 10, _("Card lookup failed: %s — please swipe again"),
			 fc_error_text(&err));
		return UI_HOME | UI_REDRAW;
	}
	if (s->view.blocked && !s->blocked_recorded)
		swipe_record_blocked(ui, s);
	return UI_REDRAW | UI_STATUS;
}

static const screen_ops swipe_ops = {
	.name = "swipe",
	.actions = UI_ACTION_BIT(UI_ACT_BACK) | UI_ACTION_BIT(UI_ACT_SAVE) |
		   UI_ACTION_BIT(UI_ACT_REDEEM) | UI_ACTION_BIT(UI_ACT_REGISTER) |
		   UI_ACTION_BIT(UI_ACT_ANONYMOUS) | UI_ACTION_BIT(UI_ACT_PUMP) |
		   UI_ACTION_BIT(UI_ACT_NEXT) | UI_ACTION_BIT(UI_ACT_PREV) | UI_ACTION_BIT(UI_ACT_ERASE),
	.actions_now = swipe_actions_now,
	.draw = swipe_draw,
	.on_key = swipe_on_key,
	.on_tick = swipe_on_tick,
	.on_card = swipe_on_card,
	.leave = swipe_leave,
	.unsaved = swipe_unsaved,
	.help_note = swipe_help_note,
	.after_draw = swipe_after_draw,
};

unsigned swipe_screen_open(ui_ctx *ui, const char *card_id)
{
	swipe_state *s = swipe_state_new(ui);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	if (!card_id) {
		s->anonymous = true;
		return ui_push(ui, &swipe_ops, s);
	}
	fc_error err;
	fc_error_clear(&err);
	if (swipe_lookup(ui, s, card_id, &err) != FC_OK) {
		ui_flash(ui, true, 10, _("Card lookup failed: %s — please swipe again"),
			 fc_error_text(&err));
		free(s);
		return UI_REDRAW;
	}
	return ui_push(ui, &swipe_ops, s);
}
