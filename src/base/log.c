/* log.c — syslog with the station id in the ident, and the card masking
 * helper every log line about a card goes through. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* openlog() keeps the ident pointer, so the text must outlive every later
 * syslog call: this buffer mirrors libc's process-wide syslog state, is
 * written only by log_open and read by no one else. */
static char log_ident[64];

void log_open(const char *station_id)
{
	closelog();
	if (station_id && *station_id)
		snprintf(log_ident, sizeof log_ident, "forecourt/%.40s", station_id);
	else
		snprintf(log_ident, sizeof log_ident, "forecourt");
	openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}

void log_close(void)
{
	closelog();
}

char *log_mask_card(const char *card_id, char *out, size_t n)
{
	if (!n)
		return out;
	if (!card_id || !*card_id) {
		snprintf(out, n, "-");
		return out;
	}
	size_t len = strlen(card_id);
	if (len <= 4)
		snprintf(out, n, "****");
	else
		snprintf(out, n, "****%s", card_id + len - 4);
	return out;
}
