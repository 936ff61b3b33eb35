/* log.c — syslog with the station id in the ident, and the card masking
 * helper every log line about a card goes through.  Test builds
 * (FORECOURT_TEST_HOOKS) may write the lines to a file instead. */
#include "base/log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#ifdef FORECOURT_TEST_HOOKS
/* The test sink: with FORECOURT_LOG_FILE=FILE set, each message is one line
 * "PRIORITY IDENT[PID]: TEXT" appended to FILE (one write, O_APPEND, so
 * threads and processes never interleave within a line) instead of going
 * to syslog.  false when the variable is not set. */
static bool log_test_sink(int priority, const char *fmt, va_list ap)
{
	static const char *const names[] = { "emerg",	"alert",  "crit", "err",
					     "warning", "notice", "info", "debug" };
	const char *path = getenv("FORECOURT_LOG_FILE");
	if (!path || !*path)
		return false;
	char text[1024], line[1200];
	vsnprintf(text, sizeof text, fmt, ap);
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	int n = snprintf(line, sizeof line, "%s %s[%ld]: %s\n", names[LOG_PRI(priority)],
			 log_ident[0] ? log_ident : "forecourt", (long)getpid(), text);
	if (n < 0)
		return true;
	if ((size_t)n >= sizeof line)
		n = (int)sizeof line - 1;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		ssize_t written = write(fd, line, (size_t)n); /* short: a test sees it */
		(void)written;
		close(fd);
	}
	return true;
}
#endif

void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
#ifdef FORECOURT_TEST_HOOKS
	if (log_test_sink(priority, fmt, ap)) {
		va_end(ap);
		return;
	}
#endif
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
