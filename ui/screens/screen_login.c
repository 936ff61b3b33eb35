/* screen_login.c — F6 shift login/logout of an attendant (staff no + PIN),
 * the head/admin PIN gate in front of the care screens, the idle notice. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "staff/auth.h"
#include "ui/screens/care.h"
#include "base/clock.h"
#include "care/complaint.h"
#include "ui/core/i18n.h"
#include "ui/core/theme.h"

typedef enum { GATE_SHIFT, GATE_COMPLAINTS, GATE_CALLBACKS } gate_target;

typedef struct login_state {
	gate_target target;
	care_form form;           /* 0: staff number, 1: PIN */
	char message[256];        /* the last refusal, drawn in red until the next try */
	bool unlocked;            /* care gate: a head PIN was accepted */
	care_session session;     /* valid while unlocked */
} login_state;

/* The care session of a head logged in with F6 (one kiosk per process). */
static care_session shift_session;

const char *care_idle_notice(ui_ctx *ui, char *buf, size_t n)
{
	fc_staff who;
	buf[0] = '\0';
	if (ui->app->staff_id <= 0 || staff_find_id(ui->app->db, ui->app->staff_id, &who, NULL) ||
	    !staff_role_allows(who.role, ROLE_HEAD))
		return buf;
	int overdue = complaint_count_overdue(ui->app->db, clock_now_ms());
	if (overdue > 0)
		snprintf(buf, n, ngettext("%d complaint is overdue (F7: complaint book)",
					  "%d complaints are overdue (F7: complaint book)", overdue),
			 overdue);
	return buf;
}

/* A role in the user's language. */
static const char *role_label(fc_role r)
{
	static const char *const names[ROLE_COUNT] = { N_("attendant"), N_("station head"),
						       N_("admin") };
	return (unsigned)r < ROLE_COUNT ? _(names[r]) : "?";
}

/* The refusal of auth_login in the user's language. */
static void login_explain(ui_ctx *ui, fc_status st, const fc_staff *who, const fc_error *err,
			  char *out, size_t n)
{
	int64_t until;
	char local[CLOCK_ISO_LEN];
	if (st == FC_ERR_LOCKED && clock_parse_iso(who->locked_until, &until))
		snprintf(out, n, _("Too many wrong PINs: %s is locked until %s"), who->staff_no,
			 clock_format_local(until, local));
	else if (st == FC_ERR_AUTH && who->id > 0 && who->failures > 0)
		snprintf(out, n, _("Wrong PIN (%d of %d tries used)"), who->failures,
			 ui->app->cfg.auth_max_failures);
	else if (st == FC_ERR_AUTH && who->id > 0 && who->active)
		snprintf(out, n, "%s", _("A station head or admin PIN is needed here"));
	else if (st == FC_ERR_AUTH)
		snprintf(out, n, "%s", _("Wrong staff number or PIN"));
	else
		snprintf(out, n, _("Cannot check the PIN: %s"), fc_error_text(err));
}

static unsigned login_try(ui_ctx *ui, login_state *s)
{
	fc_staff who;
	fc_error err;
	memset(&who, 0, sizeof who);
	fc_error_clear(&err);
	fc_role need = s->target == GATE_SHIFT ? ROLE_ATTENDANT : ROLE_HEAD;
	fc_status st = auth_login(ui->app->db, &ui->app->cfg, care_form_text(&s->form, 0),
				  care_form_text(&s->form, 1), need, &who, &err);
	care_field *pin = &s->form.fields[1];
	sodium_memzero(pin->text.buf, sizeof pin->text.buf);
	if (st) {
		login_explain(ui, st, &who, &err, s->message, sizeof s->message);
		s->form.focus = 1;
		return UI_REDRAW;
	}
	s->message[0] = '\0';
	if (s->target == GATE_SHIFT) {
		ui->app->staff_id = who.id;
		ui_flash(ui, false, 5, _("Logged in: %s (%s)"), who.name, role_label(who.role));
		return UI_BACK | UI_STATUS | UI_REDRAW;
	}
	s->unlocked = true;
	s->session.head = who;
	care_session_touch(&s->session);
	return s->target == GATE_COMPLAINTS ? complaints_list_open(ui, &s->session)
					    : callbacks_list_open(ui, &s->session);
}

static void login_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	login_state *s = state;
	fc_staff who;
	int w = ui->cols;
	if (s->target == GATE_SHIFT && ui->app->staff_id > 0 &&
	    staff_find_id(ui->app->db, ui->app->staff_id, &who, NULL) == FC_OK) {
		char line[256];
		snprintf(line, sizeof line, _("Logged in: %s (%s)"), who.name, role_label(who.role));
		text_put_centred(body, 3, 0, line, w);
		text_put_centred(body, 5, 0, _("Enter: log out    Esc: back"), w);
		return;
	}
	if (s->unlocked) {
		char line[256];
		snprintf(line, sizeof line, _("Station head: %s"), s->session.head.name);
		text_put_centred(body, 3, 0, line, w);
		text_put_centred(body, 5, 0, _("F7: complaint book    F8: callbacks    Esc: lock"), w);
		return;
	}
	wattron(body, A_BOLD);
	text_put_centred(body, 1, 0,
			 s->target == GATE_SHIFT ? _("Shift login: staff number and PIN")
						 : _("Station head or admin: staff number and PIN"),
			 w);
	wattroff(body, A_BOLD);
	care_form_draw(&s->form, body, 4, w - 10, 16);
	text_put(body, 7, 4, _("Tab: next field    Enter: log in    Esc: back"), w - 8);
	if (s->message[0]) {
		wattron(body, theme_attr(THEME_ERROR));
		text_put(body, 9, 4, s->message, w - 8);
		wattroff(body, theme_attr(THEME_ERROR));
	}
}

static unsigned login_logout(ui_ctx *ui)
{
	fc_error err;
	audit_record_event_now(ui->app->db, ui->app->cfg.station_id, ui->app->staff_id, "logout",
			       "shift logout", &err);
	ui->app->staff_id = 0;
	ui_flash(ui, false, 5, "%s", _("Logged out"));
	return UI_BACK | UI_STATUS | UI_REDRAW;
}

static unsigned login_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	login_state *s = state;
	bool refused;
	if (s->target == GATE_SHIFT && ui->app->staff_id > 0)
		return key->action == UI_ACT_SAVE || key->action == UI_ACT_LOGIN ? login_logout(ui)
										 : UI_UNHANDLED;
	if (s->unlocked) {
		care_session_touch(&s->session);
		if (key->action == UI_ACT_COMPLAINTS)
			return complaints_list_open(ui, &s->session);
		if (key->action == UI_ACT_CALLBACKS)
			return callbacks_list_open(ui, &s->session);
		return UI_UNHANDLED; /* Esc: back, which locks */
	}
	if (key->action == UI_ACT_SAVE)
		return login_try(ui, s);
	if (care_form_key(&s->form, key, &refused)) {
		if (refused)
			ui_flash(ui, true, 3, "%s", _("Digits only here"));
		return UI_REDRAW;
	}
	return UI_UNHANDLED;
}

static unsigned login_on_tick(ui_ctx *ui, void *state, int64_t mono_ms)
{
	login_state *s = state;
	if (s->unlocked && care_session_check(ui, &s->session, mono_ms))
		return UI_BACK | UI_REDRAW;
	return UI_NONE;
}

static void login_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	sodium_memzero(state, sizeof(login_state));
	free(state);
}

/* The keys that apply: logout offer, unlocked gate, or the PIN form. */
static uint64_t login_actions_now(const ui_ctx *ui, const void *state)
{
	const login_state *s = state;
	if (s->target == GATE_SHIFT && ui->app->staff_id > 0) /* Enter or F6 logs out */
		return UI_ACTION_BIT(UI_ACT_LOGIN) | UI_ACTION_BIT(UI_ACT_BACK);
	if (s->unlocked)
		return UI_ACTION_BIT(UI_ACT_COMPLAINTS) | UI_ACTION_BIT(UI_ACT_CALLBACKS) |
		       UI_ACTION_BIT(UI_ACT_BACK);
	return UI_ACTION_BIT(UI_ACT_SAVE) | UI_ACTION_BIT(UI_ACT_NEXT) |
	       UI_ACTION_BIT(UI_ACT_BACK) | UI_ACTION_BIT(UI_ACT_ERASE);
}

static const screen_ops login_ops = {
	.name = "login",
	.actions = UI_ACTION_BIT(UI_ACT_SAVE) | UI_ACTION_BIT(UI_ACT_NEXT) |
		   UI_ACTION_BIT(UI_ACT_BACK) | UI_ACTION_BIT(UI_ACT_ERASE),
	.actions_now = login_actions_now,
	.draw = login_draw,
	.on_key = login_on_key,
	.on_tick = login_on_tick,
	.leave = login_leave,
};

static unsigned gate_open(ui_ctx *ui, gate_target target)
{
	login_state *s = calloc(1, sizeof *s);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	fc_staff who;
	/* A head or admin logged in with F6 already gave the PIN: no gate. */
	if (target != GATE_SHIFT && ui->app->staff_id > 0 &&
	    staff_find_id(ui->app->db, ui->app->staff_id, &who, NULL) == FC_OK &&
	    staff_role_allows(who.role, ROLE_HEAD)) {
		free(s);
		memset(&shift_session, 0, sizeof shift_session);
		shift_session.head = who;
		shift_session.shift = true;
		care_session_touch(&shift_session);
		return target == GATE_COMPLAINTS ? complaints_list_open(ui, &shift_session)
						 : callbacks_list_open(ui, &shift_session);
	}
	s->target = target;
	care_form_add_text(&s->form, N_("Staff number"), FIELD_TEXT, 31, false);
	care_form_add_text(&s->form, N_("PIN"), FIELD_DIGITS, 12, true);
	if (ui->app->staff_id > 0 && staff_find_id(ui->app->db, ui->app->staff_id, &who, NULL) == FC_OK &&
	    (target == GATE_SHIFT || staff_role_allows(who.role, ROLE_HEAD))) {
		snprintf(s->form.fields[0].text.buf, sizeof s->form.fields[0].text.buf, "%s",
			 who.staff_no);
		s->form.focus = 1;
	}
	return ui_push(ui, &login_ops, s);
}

unsigned login_screen_open(ui_ctx *ui)
{
	return gate_open(ui, GATE_SHIFT);
}

unsigned complaints_screen_open(ui_ctx *ui)
{
	return gate_open(ui, GATE_COMPLAINTS);
}

unsigned callbacks_screen_open(ui_ctx *ui)
{
	return gate_open(ui, GATE_CALLBACKS);
}
