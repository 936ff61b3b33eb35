/* log.h — messages for the station's syslog (journald), tagged with the
 * station id.  Never log PINs, tokens or full card numbers: mask cards. */
#ifndef FC_LOG_H
#define FC_LOG_H

#include <stddef.h>
#include <syslog.h>

#define LOG_CARD_MASKED_LEN 16 /* "****1234" and the NUL, with room */

/* Open the connection to syslog with the ident "forecourt/STATION"
 * (facility LOG_DAEMON, with the pid).  Call once at start; a later call
 * replaces the station.  Without it log_msg still works, untagged. */
void log_open(const char *station_id);

/* One message at priority (LOG_ERR, LOG_WARNING, LOG_INFO, ...).  The
 * caller passes only masked card ids (log_mask_card) and never secrets.
 * Test builds only (compiled with FORECOURT_TEST_HOOKS, as `make check`'s
 * SAN=1 build is; never `make`, `make install` or `make deb`): with the
 * environment variable FORECOURT_LOG_FILE=FILE, each message is appended to
 * FILE as one line "PRIORITY IDENT[PID]: TEXT" (PRIORITY as syslog names
 * it: err, warning, notice, info, ...) instead of going to syslog, so a
 * test reads what the station would log. */
void log_msg(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Close the syslog connection. */
void log_close(void);

/* Mask a card id to its last four characters: "0A1B2C3D4E" -> "****3D4E";
 * ids of four characters or fewer become "****"; NULL or "" -> "-".
 * Writes at most n bytes (n >= LOG_CARD_MASKED_LEN is always enough);
 * returns out. */
char *log_mask_card(const char *card_id, char *out, size_t n);

#endif
