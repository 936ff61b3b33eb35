/* report_job.h — the monthly analysis computed off the kiosk's event loop: a
 * worker thread with its own connection builds the screen's lines, then wakes the loop. */
#ifndef FC_UI_REPORT_JOB_H
#define FC_UI_REPORT_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "report/report.h"

#define REPORT_LABEL_COLS 22 /* the labels of bar lines */

/* One line of the page: text, or a bar of value against max. */
typedef struct page_line {
	size_t off;         /* its text: report_page.text + off */
	int64_t value, max; /* max > 0: a bar line, text is its label */
	bool bold, alert;
	bool data;          /* a customer's row: its name may be cut with "…" */
	bool count;         /* a bar line whose value is a count, not millilitres */
} page_line;

/* The lines of the report screen (row 0, the title, is not scrolled). */
typedef struct report_page {
	char title[240];
	page_line *lines; /* malloc'd; report_job_page_free */
	size_t count, cap;
	char *text;       /* the lines' texts, NUL-terminated one after another */
	size_t text_len, text_cap;
} report_page;

/* Replace the page by a title for month and one line of text. */
void report_job_page_message(report_page *p, const char *month, bool alert, const char *text);
void report_job_page_free(report_page *p);

typedef struct report_job report_job;

/* Start computing the analysis of month at now_ms in a thread with its own
 * connection to db_path; when done it writes 1 to wake_fd (an eventfd; -1:
 * none) unless cancelled.  FORECOURT_REPORT_HOLD=FIFO (a test hook, test
 * builds only: base/test_hook.h) makes the thread first read that FIFO to
 * its end.  NULL when no thread could start. */
report_job *report_job_start(const fc_config *cfg, const char *db_path, const char *month,
			     int64_t now_ms, int wake_fd);

/* True when the job is done: *page then receives its lines (the page it had
 * is freed) and the job is released.  False while it still computes. */
bool report_job_take(report_job **job, report_page *page);

/* Give the job up at once (leaving the screen, another month): it stops at
 * its next SQLite step, never wakes the loop afterwards, and frees itself. */
void report_job_cancel(report_job *job);

#endif
