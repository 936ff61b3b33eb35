/* clock.h — the one source of "now" and the time formats we store.
 * FORECOURT_NOW=2026-07-01T08:00:00Z (UTC) fixes the clock for tests; it is
 * honoured only when set and only in a test build (base/test_hook.h; the
 * same for FORECOURT_MONO_OFFSET_FILE: clock_mono_ms). */
#ifndef FC_CLOCK_H
#define FC_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLOCK_ISO_LEN 32 /* buffer size for every clock_format_* */

/* Milliseconds since the Unix epoch, UTC: FORECOURT_NOW when set and valid
 * in a test build, else the real time. */
int64_t clock_now_ms(void);

/* Monotonic milliseconds for timeouts and deadlines.  Tests only: plus the
 * milliseconds in the file FORECOURT_MONO_OFFSET_FILE names, when set. */
int64_t clock_mono_ms(void);

/* Wait up to ms for fd to become readable (a stop pipe); true when it did.
 * fd < 0: just wait.  EINTR does not cut the wait short. */
bool clock_wait_fd(int fd, long ms);

/* "2026-07-01T08:00:00Z" (UTC, seconds) into buf[CLOCK_ISO_LEN]; returns buf. */
char *clock_format_iso(int64_t ms, char *buf);

/* Current time as clock_format_iso(clock_now_ms()). */
char *clock_now_iso(char *buf);

/* Station-local display "2026-07-01 16:00" into buf; returns buf. */
char *clock_format_local(int64_t ms, char *buf);

/* Station-local calendar date "2026-07-01" of an instant; returns buf. */
char *clock_local_date(int64_t ms, char *buf);

/* Parse "YYYY-MM-DDTHH:MM:SS[.fff]Z" or "YYYY-MM-DD HH:MM:SS" (UTC);
 * false when malformed or no such day or time (2026-02-30, 24:00). */
bool clock_parse_iso(const char *text, int64_t *ms);

#endif
