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
	const char *text;   /* valid until the next report_job_page_line on its page */
	int64_t value, max; /* max > 0: a bar line, text is its label */
	bool bold, alert;
	bool data;          /* a customer's row: its name may be cut with "…" */
	bool count;         /* a bar line whose value is a count, not millilitres */
} page_line;

/* The lines of the report screen (row 0, the title, is not scrolled).  At
 * a million customers the page has more than a million lines: they are
 * kept as records in memory while few, then in an unlinked temporary file
 * (read back a block of lines at a time for the rows shown), so the
 * kiosk's memory stays a few hundred KiB whatever the station's size. */
typedef struct report_page {
	char title[240];
	size_t count;       /* lines */
	int fd;             /* the records past the memory, or -1 (0 in a zeroed page: none) */
	bool has_file;      /* fd is open */
	uint64_t file_len;  /* bytes written to fd */
	uint64_t *blocks;   /* where line k * REPORT_PAGE_BLOCK begins (file, then buffer) */
	size_t block_cap;
	size_t *sections;   /* the bold lines (section titles), ascending */
	size_t section_count, section_cap;
	char *buf;          /* records not yet in the file; malloc'd */
	size_t buf_len, buf_cap;
	char *read;         /* the block last read back from the file */
	size_t read_len, read_cap;
	size_t read_block;  /* which (valid when read_len > 0) */
	bool broken;        /* a line could not be kept (memory, disk): the page is incomplete */
} report_page;

#define REPORT_PAGE_BLOCK 64 /* lines per block of the page's index */

/* Line i (< p->count) of the page into *out; false when it cannot be read
 * (out then is an empty line). */
bool report_job_page_line(report_page *p, size_t i, page_line *out);

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

/* What report_job_take gave. */
typedef enum {
	REPORT_TAKE_NONE,  /* nothing new: still computing */
	REPORT_TAKE_FIRST, /* the first page of the job: the figures (the lists, at a
			      big station, still computing: a line says so), or all */
	REPORT_TAKE_REST   /* the whole page, after the figures alone were taken */
} report_take;

/* *page receives what the job has that the screen has not had yet (the page
 * it had is freed): the figures as soon as they are computed (the lists
 * take longer at a big station), the whole page when the job is done; the
 * job is then released (*job NULL). */
report_take report_job_take(report_job **job, report_page *page);

/* Give the job up at once (leaving the screen, another month): it stops at
 * its next SQLite step, never wakes the loop afterwards, and frees itself. */
void report_job_cancel(report_job *job);

#endif
