/* statusbar.c — the kiosk's status lines (see statusbar.h).  Reads only:
 * the outbox summary the uploader maintains and the staff table. */
#include "ui/core/statusbar.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "staff/staff.h"
#include "ui/core/i18n.h"
#include "ui/core/text.h"
#include "ui/core/theme.h"

/* True (and the marks updated) when the figures must be read again: this
 * connection wrote (a fuelling: the backlog shown at once), the staff
 * logged in changed, or about a second passed (the tick: what the uploader
 * and other processes changed).  Not at every key, swipe or uploader batch:
 * an offline station's backlog of a million records takes tens of ms to
 * count. */
static bool statusbar_stale(status_bar *sb, const fc_app *app)
{
	int64_t now = clock_mono_ms();
	int64_t changes = app->db ? sqlite3_total_changes64(app->db) : 0;
	bool stale = !sb->read_ok || changes != sb->read_changes ||
		     app->staff_id != sb->read_staff_id || now - sb->read_ms >= 900 ||
		     now < sb->read_ms;
	if (stale) {
		sb->read_ok = true;
		sb->read_changes = changes;
		sb->read_staff_id = app->staff_id;
		sb->read_ms = now;
	}
	return stale;
}

void statusbar_refresh(status_bar *sb, const fc_app *app)
{
	fc_error err;
	if (!statusbar_stale(sb, app))
		return;
	sb->upload_enabled = app->cfg.upload_url[0] != '\0';
	sb->outbox_ok = app->db && outbox_status(app->db, &sb->outbox, &err) == FC_OK;
	sb->staff[0] = '\0';
	if (app->db && app->staff_id > 0) {
		fc_staff st;
		if (staff_find_id(app->db, app->staff_id, &st, &err) == FC_OK)
			snprintf(sb->staff, sizeof sb->staff, "%s", st.name);
	}
}

void statusbar_format_age(int64_t seconds, char *buf, size_t n)
{
	if (seconds < 60)
		snprintf(buf, n, _("%lld s"), (long long)seconds);
	else if (seconds < 3600)
		snprintf(buf, n, _("%lld min"), (long long)(seconds / 60));
	else if (seconds < 86400 * 2)
		snprintf(buf, n, _("%lld h"), (long long)(seconds / 3600));
	else
		snprintf(buf, n, _("%lld d"), (long long)(seconds / 86400));
}

/* "offline since 08:15" (local hh:mm of an ISO time) or plain "offline". */
static void statusbar_network(const status_bar *sb, char *buf, size_t n)
{
	int64_t ms;
	if (!sb->outbox_ok || !sb->upload_enabled) {
		snprintf(buf, n, "%s", sb->upload_enabled ? _("network ?") : _("offline (upload off)"));
		return;
	}
	if (!sb->outbox.tried) {
		snprintf(buf, n, "%s", _("upload not tried yet"));
		return;
	}
	if (sb->outbox.online && sb->outbox.last_ok_at[0]) {
		snprintf(buf, n, "%s", _("online"));
		return;
	}
	if (sb->outbox.offline_since[0] && clock_parse_iso(sb->outbox.offline_since, &ms)) {
		char local[CLOCK_ISO_LEN];
		clock_format_local(ms, local); /* "2026-07-01 16:00" */
		const char *hhmm = strlen(local) >= 16 ? local + 11 : local;
		snprintf(buf, n, _("offline since %s"), hhmm);
		return;
	}
	snprintf(buf, n, "%s", _("offline"));
}

void statusbar_draw(const status_bar *sb, const fc_app *app, WINDOW *win, int cols,
		    int64_t now_ms)
{
	char line[1024], net[96], backlog[96], age[32], clock_buf[CLOCK_ISO_LEN];
	const char *reader_text = sb->reader == READER_STATE_SIM	? _("reader: sim")
				  : sb->reader == READER_STATE_CONNECTED ? _("reader: connected")
									 : _("reader: disconnected");

	wattrset(win, theme_attr(THEME_STATUS));
	/* Row 0: station (or, while another process uploads, that), clock, staff. */
	clock_format_local(now_ms, clock_buf);
	if (sb->uploader_waiting)
		snprintf(line, sizeof line, " %.200s | %s", app->cfg.station_id,
			 _("another uploader is running; waiting"));
	else if (snprintf(line, sizeof line, " %.200s %.250s", app->cfg.station_id,
			  app->cfg.station_name) < 0)
		line[0] = 0;
	int right_w = 0;
	char right[400];
	snprintf(right, sizeof right, "%s %s  %s ", _("staff:"), sb->staff[0] ? sb->staff : "—",
		 clock_buf);
	right_w = text_width(right);
	if (right_w > cols)
		right_w = cols;
	if (sb->uploader_waiting) /* a message: it must fit */
		text_put(win, 0, 0, line, cols - right_w);
	else /* a long station name ends in "…" */
		text_put_data(win, 0, 0, line, cols - right_w);
	text_put(win, 0, cols - right_w, right, right_w);

	/* Row 1: network, backlog, reader. */
	statusbar_network(sb, net, sizeof net);
	if (!sb->outbox_ok)
		snprintf(backlog, sizeof backlog, "%s ?", _("to upload:"));
	else if (sb->outbox.pending == 0)
		snprintf(backlog, sizeof backlog, "%s 0", _("to upload:"));
	else {
		statusbar_format_age(sb->outbox.oldest_pending_age_s, age, sizeof age);
		snprintf(backlog, sizeof backlog, _("to upload: %lld (oldest %s)"),
			 (long long)sb->outbox.pending, age);
	}
	/* what head office refuses, at the end: the station head looks it up */
	char refused[sizeof sb->outbox.refused_reason + 160] = ""; /* never cut mid-character */
	if (sb->outbox_ok && sb->outbox.refused_seq) {
		snprintf(refused, sizeof refused, " | ");
		snprintf(refused + 3, sizeof refused - 3, _("head office refuses record #%lld (%s)"),
			 (long long)sb->outbox.refused_seq, sb->outbox.refused_reason);
	}
	if (snprintf(line, sizeof line, " %s | %s | %s%s", net, backlog, reader_text, refused) < 0)
		line[0] = '\0';
	text_put(win, 1, 0, line, cols);
	wattrset(win, A_NORMAL);
}
