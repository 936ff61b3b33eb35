/* clock.c — time source (in test builds injectable through FORECOURT_NOW
 * and, for the monotonic clock, FORECOURT_MONO_OFFSET_FILE) and formats. */
#include "base/clock.h"

#include "base/test_hook.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bool clock_parse_iso(const char *text, int64_t *ms)
{
	struct tm tm = { 0 };
	int frac = 0, n = 0;
	char sep = 0;

	if (!text)
		return false;
	if (sscanf(text, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &sep, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 7)
		return false;
	if (sep != 'T' && sep != ' ')
		return false;
	const char *rest = text + n;
	if (*rest == '.') {
		int digits = 0;
		rest++;
		while (*rest >= '0' && *rest <= '9') {
			if (digits < 3) {
				frac = frac * 10 + (*rest - '0');
				digits++;
			}
			rest++;
		}
		while (digits++ < 3)
			frac *= 10;
	}
	if (*rest == 'Z')
		rest++;
	if (*rest != '\0')
		return false;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 ||
	    tm.tm_sec < 0 || tm.tm_sec > 59)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	int year = tm.tm_year, month = tm.tm_mon, day = tm.tm_mday;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	if (tm.tm_year != year || tm.tm_mon != month || tm.tm_mday != day)
		return false; /* 2026-02-30 and the like: timegm moved it to March */
	*ms = (int64_t)t * 1000 + frac;
	return true;
}

int64_t clock_now_ms(void)
{
	const char *fixed = test_hook_get("FORECOURT_NOW");
	int64_t ms;

	if (fixed && *fixed && clock_parse_iso(fixed, &ms))
		return ms;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Test hook: FORECOURT_MONO_OFFSET_FILE names a file holding a number of
 * milliseconds added to the monotonic clock, read again on every call, so a
 * test moves a running process's time forward at once (an idle lock without
 * waiting out the minute).  A missing, empty or malformed file, or a negative
 * number, adds nothing.  open/read only: no allocation, any thread. */
static int64_t clock_mono_offset_ms(void)
{
	const char *path = test_hook_get("FORECOURT_MONO_OFFSET_FILE");
	if (!path)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char buf[32];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *end;
	errno = 0;
	long long v = strtoll(buf, &end, 10);
	if (end == buf || errno || v < 0 || (*end && *end != '\n'))
		return 0;
	return (int64_t)v;
}

int64_t clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + clock_mono_offset_ms();
}

typedef enum { FMT_ISO, FMT_LOCAL, FMT_DATE } time_format;

static char *format_tm(int64_t ms, char *buf, time_format which)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (which == FMT_ISO)
		gmtime_r(&t, &tm);
	else
		localtime_r(&t, &tm);
	char tmp[96]; /* room for any int; the result always fits CLOCK_ISO_LEN */
	if (which == FMT_ISO)
		snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	else if (which == FMT_LOCAL)
		snprintf(tmp, sizeof tmp, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	else
		snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday);
	size_t len = strnlen(tmp, CLOCK_ISO_LEN - 1);
	memcpy(buf, tmp, len);
	buf[len] = '\0';
	return buf;
}

char *clock_format_iso(int64_t ms, char *buf)
{
	return format_tm(ms, buf, FMT_ISO);
}

char *clock_now_iso(char *buf)
{
	return clock_format_iso(clock_now_ms(), buf);
}

char *clock_format_local(int64_t ms, char *buf)
{
	return format_tm(ms, buf, FMT_LOCAL);
}

char *clock_local_date(int64_t ms, char *buf)
{
	return format_tm(ms, buf, FMT_DATE);
}

bool clock_wait_fd(int fd, long ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int64_t end = clock_mono_ms() + ms;
	for (;;) {
		int64_t left = end - clock_mono_ms();
		int r = poll(&p, fd >= 0 ? 1 : 0, left > 0 ? (int)left : 0);
		if (r > 0)
			return true;
		if (r == 0 || (r < 0 && errno != EINTR))
			return false;
	}
}
