/* care_session.c — the head session the care screens share: the idle lock
 * and the state, tick and leave of a screen that holds the session. */
#include "ui/screens/care.h"

#include <stdlib.h>

#include "base/clock.h"
#include "store/audit.h"
#include "ui/core/i18n.h"

#include <stdio.h>

void care_session_touch(care_session *s)
{
	s->last_key_ms = clock_mono_ms();
}

bool care_session_valid(ui_ctx *ui, const care_session *s, char *why, size_t n)
{
	fc_staff now;
	if (s->shift && ui->app->staff_id != s->head.id) {
		snprintf(why, n, _("Not saved: %s is no longer logged in"), s->head.name);
		return false;
	}
	if (staff_find_id(ui->app->db, s->head.id, &now, NULL) != FC_OK || !now.active ||
	    !staff_role_allows(now.role, ROLE_HEAD)) {
		snprintf(why, n, _("Not saved: %s is no longer an active station head or admin"),
			 s->head.name);
		return false;
	}
	return true;
}

bool care_session_needs_login(const void *state)
{
	return (*(care_session *const *)state)->shift;
}

unsigned care_session_check(ui_ctx *ui, care_session *s, int64_t mono_ms)
{
	/* a shift session ends with the F6 login (the loop closes the screens) */
	if (s->shift && ui->app->staff_id != s->head.id)
		return UI_HOME | UI_STATUS | UI_REDRAW;
	int64_t idle_ms = (int64_t)ui->app->cfg.auth_idle_minutes * 60000;
	/* a shift session: a key anywhere in the kiosk keeps the login */
	int64_t last = s->shift ? ui->last_key_ms : s->last_key_ms;
	if (mono_ms - last < idle_ms)
		return UI_NONE;
	if (s->shift && ui->app->staff_id == s->head.id) {
		fc_error err;
		audit_record_event_now(ui->app->db, ui->app->cfg.station_id, s->head.id, "logout",
				       "idle lock of the care screens", &err);
		ui->app->staff_id = 0;
	}
	int minutes = ui->app->cfg.auth_idle_minutes;
	ui_flash(ui, true, 0,
		 _n("Locked after %d minute without a key: the head PIN is needed again",
		    "Locked after %d minutes without a key: the head PIN is needed again",
		    (unsigned long)minutes),
		 minutes);
	return UI_HOME | UI_STATUS | UI_REDRAW;
}

void *care_session_state_new(ui_ctx *ui, size_t size, care_session *session)
{
	care_session **state = calloc(1, size);
	if (!state) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return NULL;
	}
	*state = session;
	return state;
}

unsigned care_session_on_tick(ui_ctx *ui, void *state, int64_t mono_ms)
{
	return care_session_check(ui, *(care_session **)state, mono_ms);
}

void care_session_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	free(state);
}
