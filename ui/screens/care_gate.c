/* care_gate.c — the head/admin PIN gate in front of the care screens (F7
 * complaint book, F8 callbacks); a head logged in with F6 passes at once. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "ui/core/i18n.h"
#include "ui/screens/care.h"

typedef enum { GATE_COMPLAINTS, GATE_CALLBACKS } gate_target;

typedef struct gate_state {
	gate_target target;
	care_form form;           /* the PIN form of screen_login.c */
	char message[256];        /* the last refusal, drawn in red until the next try */
	bool unlocked;            /* a head PIN was accepted */
	care_session session;     /* valid while unlocked */
} gate_state;

/* The care session of a head logged in with F6 (one kiosk per process). */
static care_session shift_session;

/* The care screen behind the gate, on the session that opened it. */
static unsigned gate_pass(ui_ctx *ui, gate_target target, care_session *session)
{
	care_session_touch(session);
	return target == GATE_COMPLAINTS ? complaints_list_open(ui, session)
					 : callbacks_list_open(ui, session);
}

/* The head is still on the staff list, active, with a head's role. */
static bool gate_still_active(ui_ctx *ui, const fc_staff *head)
{
	fc_staff now;
	return staff_find_id(ui->app->db, head->id, &now, NULL) == FC_OK && now.active &&
	       staff_role_allows(now.role, ROLE_HEAD);
}

static void gate_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	gate_state *s = state;
	int w = ui->cols;
	if (s->unlocked) {
		char line[256];
		snprintf(line, sizeof line, _("Station head: %s"), s->session.head.name);
		text_put_centred(body, 3, 0, line, w);
		text_put_centred(body, 5, 0, _("F7: complaint book    F8: callbacks    Esc: lock"), w);
		return;
	}
	login_form_draw(ui, &s->form, body, _("Station head or admin: staff number and PIN"),
			s->message);
}

static unsigned gate_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	gate_state *s = state;
	if (s->unlocked && (key->action == UI_ACT_COMPLAINTS || key->action == UI_ACT_CALLBACKS) &&
	    !gate_still_active(ui, &s->session.head)) {
		/* disabled (or demoted) since the PIN: the gate locks again */
		s->unlocked = false;
		snprintf(s->message, sizeof s->message,
			 _("%s is no longer an active station head or admin"), s->session.head.name);
		return UI_REDRAW;
	}
	if (s->unlocked) {
		if (key->action == UI_ACT_COMPLAINTS)
			return gate_pass(ui, GATE_COMPLAINTS, &s->session);
		if (key->action == UI_ACT_CALLBACKS)
			return gate_pass(ui, GATE_CALLBACKS, &s->session);
		care_session_touch(&s->session);
		return UI_UNHANDLED; /* Esc: back, which locks */
	}
	if (key->action != UI_ACT_SAVE)
		return login_form_on_key(ui, &s->form, key);
	if (!login_form_check(ui, &s->form, ROLE_HEAD, &s->session.head, s->message,
			      sizeof s->message))
		return UI_REDRAW;
	s->unlocked = true;
	return gate_pass(ui, s->target, &s->session);
}

static unsigned gate_on_tick(ui_ctx *ui, void *state, int64_t mono_ms)
{
	gate_state *s = state;
	if (s->unlocked && care_session_check(ui, &s->session, mono_ms))
		return UI_BACK | UI_REDRAW;
	return UI_NONE;
}

static void gate_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	sodium_memzero(state, sizeof(gate_state));
	free(state);
}

/* The keys that apply: the unlocked gate's or the PIN form's. */
static uint64_t gate_actions_now(const ui_ctx *ui, const void *state)
{
	(void)ui;
	const gate_state *s = state;
	if (s->unlocked)
		return UI_ACTION_BIT(UI_ACT_COMPLAINTS) | UI_ACTION_BIT(UI_ACT_CALLBACKS) |
		       UI_ACTION_BIT(UI_ACT_BACK);
	return LOGIN_FORM_ACTIONS;
}

static const screen_ops gate_ops = {
	.name = "care-gate",
	.actions = LOGIN_FORM_ACTIONS,
	.actions_now = gate_actions_now,
	.draw = gate_draw,
	.on_key = gate_on_key,
	.on_tick = gate_on_tick,
	.leave = gate_leave,
};

static unsigned gate_open(ui_ctx *ui, gate_target target)
{
	fc_staff who;
	bool in = login_form_logged_in(ui, &who);
	if (ui->app->staff_id > 0 && (!in || !who.active)) {
		/* disabled since the F6 login: refused, and the login ends */
		fc_error err;
		audit_record_event_now(ui->app->db, ui->app->cfg.station_id, ui->app->staff_id,
				       "logout", "no longer active", &err);
		ui->app->staff_id = 0;
		ui_flash(ui, true, 10, _("%s is no longer active: logged out"),
			 in ? who.name : "?");
		return UI_STATUS | UI_REDRAW;
	}
	/* A head or admin logged in with F6 already gave the PIN: no gate. */
	if (in && staff_role_allows(who.role, ROLE_HEAD)) {
		memset(&shift_session, 0, sizeof shift_session);
		shift_session.head = who;
		shift_session.shift = true;
		return gate_pass(ui, target, &shift_session);
	}
	gate_state *s = calloc(1, sizeof *s);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	s->target = target;
	login_form_init(ui, &s->form, ROLE_HEAD);
	return ui_push(ui, &gate_ops, s);
}

unsigned care_gate_complaints_open(ui_ctx *ui)
{
	return gate_open(ui, GATE_COMPLAINTS);
}

unsigned care_gate_callbacks_open(ui_ctx *ui)
{
	return gate_open(ui, GATE_CALLBACKS);
}
