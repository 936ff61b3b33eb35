/* fitlog.c — the FORECOURT_FIT_LOG test hook (see fitlog.h).  Its
 * file-scope state is a test hook's, like the UI trace: the log file, opened
 * once, and the messages already written, behind one mutex (the report
 * worker looks messages up too). */
#include "base/fitlog.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FITLOG_SEEN 8192 /* open addressing over message addresses */

static pthread_mutex_t fitlog_lock = PTHREAD_MUTEX_INITIALIZER;
static int fitlog_fd = -2; /* -2: not looked at yet, -1: off */
static const char *fitlog_seen[FITLOG_SEEN];   /* MSG lines written */
static const char *fitlog_untr[FITLOG_SEEN];    /* UNTR lines written */

/* The log's fd, opened at the first call; -1 when the hook is off.  Called
 * with the lock held. */
static int fitlog_open(void)
{
	if (fitlog_fd == -2) {
		const char *path = getenv("FORECOURT_FIT_LOG");
		fitlog_fd = path && *path ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)
					  : -1;
	}
	return fitlog_fd;
}

bool fitlog_on(void)
{
	pthread_mutex_lock(&fitlog_lock);
	bool on = fitlog_open() >= 0;
	pthread_mutex_unlock(&fitlog_lock);
	return on;
}

/* Write "tag<TAB>text\n" with newlines and tabs of text escaped, in one
 * write (O_APPEND: lines of other processes never mix).  Lock held. */
static void fitlog_line(int fd, const char *tag, const char *text)
{
	size_t n = strlen(text);
	char *line = malloc(strlen(tag) + 2 * n + 3);
	if (!line)
		return;
	size_t k = (size_t)sprintf(line, "%s\t", tag);
	for (const char *p = text; *p; p++) {
		if (*p == '\n' || *p == '\t') {
			line[k++] = '\\';
			line[k++] = *p == '\n' ? 'n' : 't';
		} else {
			line[k++] = *p;
		}
	}
	line[k++] = '\n';
	ssize_t w = write(fd, line, k);
	(void)w;
	free(line);
}

/* Write "tag msgid" unless seen already holds msgid (by address; then
 * added to it). */
static void fitlog_once(const char **seen, const char *tag, const char *msgid)
{
	if (!msgid)
		return;
	pthread_mutex_lock(&fitlog_lock);
	int fd = fitlog_open();
	if (fd >= 0) {
		size_t i = ((uintptr_t)msgid >> 3) % FITLOG_SEEN;
		size_t probes = 0;
		while (seen[i] && seen[i] != msgid && probes++ < FITLOG_SEEN)
			i = (i + 1) % FITLOG_SEEN;
		if (seen[i] != msgid) {
			if (!seen[i])
				seen[i] = msgid;
			fitlog_line(fd, tag, msgid);
		}
	}
	pthread_mutex_unlock(&fitlog_lock);
}

void fitlog_msgid(const char *msgid)
{
	fitlog_once(fitlog_seen, "MSG", msgid);
}

void fitlog_untranslated(const char *msgid)
{
	fitlog_once(fitlog_untr, "UNTR", msgid);
}

void fitlog_cut(const char *text, int cols)
{
	pthread_mutex_lock(&fitlog_lock);
	int fd = fitlog_open();
	if (fd >= 0) {
		char tag[32];
		snprintf(tag, sizeof tag, "CUT\t%d", cols);
		fitlog_line(fd, tag, text);
	}
	pthread_mutex_unlock(&fitlog_lock);
}
