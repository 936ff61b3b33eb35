/* statusbar.h — the two status lines always on top of the kiosk: station,
 * clock, network, outbox backlog, reader state, logged-in staff. */
#ifndef FC_UI_STATUSBAR_H
#define FC_UI_STATUSBAR_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/app.h"
#include "store/outbox.h"

typedef enum { READER_STATE_DISCONNECTED, READER_STATE_CONNECTED, READER_STATE_SIM } reader_state;

/* The figures shown; refreshed on the 1 s tick and on the uploader's wake. */
typedef struct status_bar {
	outbox_summary outbox; /* backlog, online / offline since */
	bool outbox_ok;        /* false: the query failed (shown as "?") */
	bool upload_enabled;   /* [upload] url set */
	bool uploader_waiting; /* another uploader holds the lock */
	reader_state reader;
	char staff[128];       /* logged-in staff name, "" = nobody */
	/* When the figures were read (see statusbar_stale): they are read
	 * again when this connection wrote, the staff changed or ~1 s passed. */
	bool read_ok;
	int64_t read_changes, read_ms;
	int64_t read_staff_id;
} status_bar;

/* Re-read the outbox summary and the staff name from app->db when stale
 * (see read_changes above). */
void statusbar_refresh(status_bar *sb, const fc_app *app);

/* Draw rows 0 and 1 of win (full width) with the clock of now_ms (UTC ms). */
void statusbar_draw(const status_bar *sb, const fc_app *app, WINDOW *win, int cols,
		    int64_t now_ms);

/* "3 min", "2 h", "5 d" (translated) for an age in seconds into buf. */
void statusbar_format_age(int64_t seconds, char *buf, size_t n);

#endif
