/* syslog_sink.c — test-only LD_PRELOAD shim: syslog(3) of the program goes
 * to the file named by FORECOURT_SYSLOG_SINK instead of the system's log, so
 * a test reads what forecourt logs (tests/integration/upload_syslog.sh).
 *
 * Each message is one line "PRIORITY IDENT[PID]: MESSAGE" (PRIORITY as
 * syslog names it: err, warning, notice, info, debug, ...; IDENT as given to
 * openlog, "forecourt/S0001"), appended with one write(2), so the lines of
 * several threads and processes do not mix.  Newlines inside a message
 * become spaces.  Without FORECOURT_SYSLOG_SINK messages are dropped: a test
 * never writes to the machine's journal.  openlog/closelog/syslog/vsyslog
 * and the _FORTIFY_SOURCE variants are replaced; nothing else.  Built
 * without sanitizers; with an ASan program set
 * ASAN_OPTIONS=verify_asan_link_order=0. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

/* glibc's fortified entry points (bits/syslog.h), replaced as well. */
void __syslog_chk(int priority, int flag, const char *fmt, ...);
void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap);

static const char *sink_ident = "";

static const char *sink_priority_name(int priority)
{
	static const char *const names[] = { "emerg",   "alert",  "crit", "err",
					     "warning", "notice", "info", "debug" };
	return names[LOG_PRI(priority)];
}

static void sink_write(int priority, const char *fmt, va_list ap)
{
	const char *path = getenv("FORECOURT_SYSLOG_SINK");
	if (!path || !*path)
		return;
	int saved = errno; /* %m, and the caller's errno kept */
	char msg[2048], line[2304];
	vsnprintf(msg, sizeof msg, fmt, ap);
	for (char *p = msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
	int n = snprintf(line, sizeof line, "%s %s[%ld]: %s\n", sink_priority_name(priority),
			 sink_ident, (long)getpid(), msg);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof line) {
		n = (int)sizeof line;
		line[n - 1] = '\n';
	}
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		ssize_t w = write(fd, line, (size_t)n);
		(void)w;
		close(fd);
	}
	errno = saved;
}

void openlog(const char *ident, int option, int facility)
{
	(void)option;
	(void)facility;
	sink_ident = ident ? ident : "";
}

void closelog(void)
{
}

void vsyslog(int priority, const char *fmt, va_list ap)
{
	sink_write(priority, fmt, ap);
}

void syslog(int priority, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sink_write(priority, fmt, ap);
	va_end(ap);
}

void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	sink_write(priority, fmt, ap);
}

void __syslog_chk(int priority, int flag, const char *fmt, ...)
{
	(void)flag;
	va_list ap;
	va_start(ap, fmt);
	sink_write(priority, fmt, ap);
	va_end(ap);
}
