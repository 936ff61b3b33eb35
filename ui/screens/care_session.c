/* care_session.c — the head session the care screens share: the idle lock
 * and the state, tick and leave of a screen that holds the session. */
#include "ui/screens/care.h"

#include <stdlib.h>

#include "base/clock.h"
#include "store/audit.h"
#include "ui/core/i18n.h"

void care_session_touch(care_session *s)
{
	s->last_key_ms = clock_mono_ms();
}

unsigned care_session_check(ui_ctx *ui, care_session *s, int64_t mono_ms)
{
	int64_t idle_ms = (int64_t)ui->app->cfg.auth_idle_minutes * 60000;
	if (mono_ms - s->last_key_ms < idle_ms)
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
