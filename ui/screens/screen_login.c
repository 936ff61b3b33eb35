/* screen_login.c — F6 shift login/logout of an attendant (staff no + PIN),
 * and the staff-number-and-PIN form the care gate (care_gate.c) uses too. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "staff/auth.h"
#include "store/audit.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/theme.h"
#include "ui/screens/care.h"

enum { LOGIN_STAFF_NO, LOGIN_PIN };

typedef struct login_state {
	care_form form;           /* LOGIN_STAFF_NO, LOGIN_PIN */
	char message[256];        /* the last refusal, drawn in red until the next try */
} login_state;

/* The refusal of auth_login in the user's language. */
static void login_explain(ui_ctx *ui, fc_status st, const fc_staff *who, const fc_error *err,
			  char *out, size_t n)
{
	(void)ui; /* wrong number and wrong PIN answer alike: no count to show */
	int64_t until;
	char local[CLOCK_ISO_LEN];
	if (st == FC_ERR_LOCKED && clock_parse_iso(who->locked_until, &until))
		snprintf(out, n, _("Too many wrong PINs: %s is locked until %s"), who->staff_no,
			 clock_format_local(until, local));
	else if (st == FC_ERR_AUTH && who->id > 0 && who->active)
		snprintf(out, n, "%s", _("A station head or admin PIN is needed here"));
	else if (st == FC_ERR_AUTH)
		snprintf(out, n, "%s", _("Wrong staff number or PIN"));
	else
		snprintf(out, n, _("Cannot check the PIN: %s"), fc_error_text(err));
}

bool login_form_logged_in(ui_ctx *ui, fc_staff *who)
{
	return ui->app->staff_id > 0 &&
	       staff_find_id(ui->app->db, ui->app->staff_id, who, NULL) == FC_OK;
}

void login_form_init(ui_ctx *ui, care_form *f, fc_role need)
{
	fc_staff who;
	care_form_example(f, care_form_add_text(f, N_("Staff number"), FIELD_TEXT, 31, false),
			  N_("as on the staff list, e.g. H1"));
	care_form_add_text(f, N_("PIN"), FIELD_DIGITS, 12, true);
	if (login_form_logged_in(ui, &who) && staff_role_allows(who.role, need)) {
		snprintf(f->fields[LOGIN_STAFF_NO].text.buf,
			 sizeof f->fields[LOGIN_STAFF_NO].text.buf, "%s", who.staff_no);
		f->focus = LOGIN_PIN;
	}
}

bool login_form_check(ui_ctx *ui, care_form *f, fc_role need, fc_staff *who, char *message,
		      size_t n)
{
	fc_error err;
	memset(who, 0, sizeof *who);
	fc_error_clear(&err);
	fc_status st = auth_login(ui->app->db, &ui->app->cfg, care_form_text(f, LOGIN_STAFF_NO),
				  care_form_text(f, LOGIN_PIN), need, who, &err);
	care_field *pin = &f->fields[LOGIN_PIN];
	sodium_memzero(pin->text.buf, sizeof pin->text.buf);
	if (st) {
		login_explain(ui, st, who, &err, message, n);
		f->focus = LOGIN_PIN;
		return false;
	}
	message[0] = '\0';
	return true;
}

void login_form_draw(ui_ctx *ui, care_form *f, WINDOW *body, const char *title,
		     const char *message)
{
	int w = ui->cols;
	wattron(body, A_BOLD);
	text_put_centred(body, 1, 0, title, w);
	wattroff(body, A_BOLD);
	care_form_draw(ui, f, body, 4, 2, w - 10, 16);
	text_put(body, 7, 4, _("Tab: next field    Enter: log in    Esc: back"), w - 8);
	if (message[0]) {
		wattron(body, theme_attr(THEME_ERROR));
		text_put_wrapped(body, 9, 4, message, w - 8, 2);
		wattroff(body, theme_attr(THEME_ERROR));
	}
}

unsigned login_form_on_key(ui_ctx *ui, care_form *f, const ui_key *key)
{
	bool refused;
	if (!care_form_key(f, key, &refused))
		return UI_UNHANDLED;
	if (refused)
		ui_flash(ui, true, 3, "%s", _("Digits only here"));
	return UI_REDRAW;
}

static unsigned login_try(ui_ctx *ui, login_state *s)
{
	fc_staff who;
	if (!login_form_check(ui, &s->form, ROLE_ATTENDANT, &who, s->message, sizeof s->message))
		return UI_REDRAW;
	ui->app->staff_id = who.id;
	ui_flash(ui, false, 5, _("Logged in: %s (%s)"), who.name, labels_role(who.role));
	return UI_BACK | UI_STATUS | UI_REDRAW;
}

static void login_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	login_state *s = state;
	fc_staff who;
	int w = ui->cols;
	if (login_form_logged_in(ui, &who)) {
		char line[256];
		snprintf(line, sizeof line, _("Logged in: %s (%s)"), who.name, labels_role(who.role));
		text_put_centred(body, 3, 0, line, w);
		text_put_centred(body, 5, 0, _("Enter: log out    Esc: back"), w);
		return;
	}
	login_form_draw(ui, &s->form, body, _("Shift login: staff number and PIN"), s->message);
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
	if (ui->app->staff_id > 0)
		return key->action == UI_ACT_SAVE || key->action == UI_ACT_LOGIN ? login_logout(ui)
										 : UI_UNHANDLED;
	if (key->action == UI_ACT_SAVE)
		return login_try(ui, s);
	return login_form_on_key(ui, &s->form, key);
}

static void login_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	sodium_memzero(state, sizeof(login_state));
	free(state);
}

/* The keys that apply: the logout offer or the PIN form. */
static uint64_t login_actions_now(const ui_ctx *ui, const void *state)
{
	(void)state;
	if (ui->app->staff_id > 0) /* Enter or F6 logs out */
		return UI_ACTION_BIT(UI_ACT_LOGIN) | UI_ACTION_BIT(UI_ACT_BACK);
	return LOGIN_FORM_ACTIONS;
}

static const screen_ops login_ops = {
	.name = "login",
	.actions = LOGIN_FORM_ACTIONS,
	.actions_now = login_actions_now,
	.draw = login_draw,
	.on_key = login_on_key,
	.leave = login_leave,
};

unsigned login_screen_open(ui_ctx *ui)
{
	login_state *s = calloc(1, sizeof *s);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	login_form_init(ui, &s->form, ROLE_ATTENDANT);
	return ui_push(ui, &login_ops, s);
}
