/* report.h — the monthly analysis 每月总结 of domain.md for one station-local
 * month: classes and tiers, drifting customers, callbacks, complaints, litres. */
#ifndef FC_REPORT_H
#define FC_REPORT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/domain.h"
#include "base/loss_reason.h"
#include "base/status.h"
#include "care/study.h"
#include "care/visit_report.h"

#define REPORT_MONTH_LEN 8 /* "2026-06" and the NUL */
#define REPORT_GRADE_LEN 16

/* A customer in one of the lists (lost, swing, potential, won back). */
typedef struct report_customer {
	int64_t id;
	char code[32];
	char name[128];
	fc_tier tier;
	fc_stability stability;
	char last_at[CLOCK_ISO_LEN]; /* last purchase at any station (won back: first won-back
					visit in the month); "" when never */
	int64_t last_ml;             /* volume of that visit; 0 when none or elsewhere */
	int64_t month_ml;            /* volume bought in the month */
	/* The monthly study's latest answers given before the month's end (a
	 * callback's or visit report's, care/study.h), when they were given
	 * and the competitor's name: texts at these offsets of
	 * report_monthly.texts (report_text), 0 = none. */
	uint32_t study[STUDY_FIELD_COUNT];
	uint32_t study_at;
	uint32_t competitor_name;
	int8_t loss_reason;          /* fc_loss_reason, -1 when none */
	bool competitor;             /* buys from a competitor (the archive's flag) */
} report_customer;

typedef struct report_list {
	report_customer *rows; /* malloc'd; report_monthly_free (NULL when streamed) */
	size_t count;
} report_list;

/* A customer this station owes callbacks (callback_station_owes). */
typedef struct report_callback {
	char code[32];
	char name[128];
	fc_tier tier;
	fc_stability stability;
	int required; /* callback_required for its tier and stability */
	int done;     /* callbacks recorded in the month */
} report_callback;

/* Complaints received in the month by their handler. */
typedef struct report_handler {
	char handler[128];      /* complaints.handler, "" when none yet */
	int64_t received, in_time, late, open, overdue; /* as report_monthly's totals */
} report_handler;

/* A visit report dated in the month, with its points (visit_report.h). */
typedef struct report_visit {
	char code[32];
	char name[128];
	char date[16];          /* report_date */
	int points[SCORE_ITEM_COUNT];
} report_visit;

typedef struct report_grade {
	char grade[REPORT_GRADE_LEN];
	int64_t volume_ml;
	int64_t visits;
} report_grade;

typedef struct report_monthly {
	char month[REPORT_MONTH_LEN];   /* "2026-06" */
	char from[CLOCK_ISO_LEN];       /* first instant: local midnight of the 1st (UTC ISO) */
	char to[CLOCK_ISO_LEN];         /* first instant of the next month */
	char as_of[CLOCK_ISO_LEN];      /* now */
	bool history;                   /* a past month: purchases and answers before
					   `to`, customers made before it */
	bool classes_then;              /* a past month that ended after the class
					   history began: classes as they were at `to`
					   (class_history); false for a past month before
					   it: today's classes (classes_from "today") */
	char history_since[CLOCK_ISO_LEN]; /* meta 'class_history_since', "" unknown */

	/* The current month: the archive's stored classification (as of the
	 * last `classify`), the stability brought up to date with the last
	 * purchase at any station (classify_stability_seen: head office's facts
	 * since the run).  A past month: each customer's classes as they were
	 * at the month's end (customers/class_history.h), customers created
	 * before it; every list and callback figure below uses the same. */
	int64_t customers;
	int64_t by_tier[TIER_COUNT];
	int64_t by_stability[STABILITY_COUNT];
	int64_t by_nature[NATURE_COUNT];
	int64_t by_composite[4];        /* A, B, C, not evaluated */

	/* lost and swing: most recent purchase first; potential: by code;
	 * won back: customers with a won-back visit in the month, by its time. */
	report_list lost, swing, potential, won_back;
	report_list competitors;        /* the archive's competitor customers, by code */

	/* The monthly study: the lost, swing and potential customers' reasons
	 * by tier (LOSS_REASON_COUNT: none given), their texts. */
	int64_t reasons[TIER_COUNT][LOSS_REASON_COUNT + 1];
	/* the same given reasons summed by kind (loss_reason_kind) */
	int64_t reason_kinds[TIER_COUNT][LOSS_KIND_COUNT];
	char *texts;                    /* malloc'd; texts[0] = "" */
	uint32_t texts_len, texts_cap;

	/* Satisfaction ratings 1..5 given in the month (feedback). */
	int64_t ratings[5];             /* ratings[k]: how many gave k + 1 */
	int64_t rating_count, rating_sum;

	/* Visit reports dated in the month, by date and code. */
	report_visit *visit_reports;    /* malloc'd */
	size_t visit_report_count;
	int64_t visit_points_sum[SCORE_ITEM_COUNT];

	report_handler *handlers;       /* complaints of the month by handler; malloc'd */
	size_t handler_count;

	report_callback *callbacks;     /* customers this station owes, by code; malloc'd
					   (NULL when streamed) */
	size_t callback_count;
	int64_t callbacks_required;     /* sum of required */
	int64_t callbacks_done;         /* callbacks to them in the month */
	int64_t callbacks_met;          /* customers with done >= required */

	/* Complaints received in the month; the deadline ends at local midnight
	 * after its date (workdays_deadline_end_ms). */
	int64_t complaints_received;
	int64_t complaints_in_time;     /* closed before the deadline ended */
	int64_t complaints_late;        /* closed after it */
	int64_t complaints_open;        /* open, deadline not yet ended at as_of */
	int64_t complaints_overdue;     /* open, deadline ended at as_of */

	/* Visits in the month. */
	report_grade *grades;           /* by grade name; malloc'd */
	size_t grade_count;
	int64_t tier_ml[TIER_COUNT];    /* by the customer's stored tier */
	int64_t anonymous_ml;           /* visits without a customer */
	int64_t total_ml;
	int64_t visits;
} report_monthly;

/* Parse "YYYY-MM" (month 01..12, year 2000..2999) into out[REPORT_MONTH_LEN];
 * FC_ERR_USAGE naming the value and the form otherwise. */
fc_status report_parse_month(const char *text, char *out, fc_error *err);

/* The station-local month of now_ms ("2026-06"), and the months before and
 * after month (for paging), into out[REPORT_MONTH_LEN]. */
void report_month_of(int64_t now_ms, char *out);
void report_month_step(const char *month, int delta, char *out);

/* Local midnight at the start of the 1st of month ("YYYY-MM"), as UTC
 * ISO-8601 into out[CLOCK_ISO_LEN]: a month's bounds for every report. */
fc_status report_month_start_iso(const char *month, char *out, fc_error *err);

/* Compute the analysis of month (as parsed above) from the database at now_ms,
 * read-only, in one read transaction, through a memory map of the file (the
 * connection's mmap_size is put back after).  *out is filled, its lists and
 * callbacks too (and must be freed with report_monthly_free, also after an
 * error).  A progress handler set on db may interrupt it (FC_ERR from
 * SQLITE_INTERRUPT).  report_monthly_stream below with a sink that keeps
 * every row: for tests and small stations; the command and the kiosk
 * stream. */
fc_status report_monthly_compute(sqlite3 *db, const fc_config *cfg, const char *month,
				 int64_t now_ms, report_monthly *out, fc_error *err);

/* The lists of the analysis, in the order they are streamed. */
typedef enum {
	REPORT_LIST_WON_BACK,
	REPORT_LIST_LOST,
	REPORT_LIST_SWING,
	REPORT_LIST_POTENTIAL,
	REPORT_LIST_COMPETITORS,
	REPORT_LIST_COUNT
} report_list_kind;

/* Where report_monthly_stream sends the analysis, piece by piece: first
 * summary (every figure of the report; of the lists and callbacks only
 * their counts, rows NULL), then each callback row (by code), then each
 * list's rows (won back, lost, swing, potential, competitors; each in its
 * order above).  A row's study texts (report_text of the summary's report)
 * hold while its hook runs: when the rows are not held in memory they are
 * dropped after it.
 * A hook returning non-zero stops the stream with that status (err set
 * by it).  A NULL hook is skipped. */
typedef struct report_sink {
	void *user;
	int64_t mmap_bytes; /* the connection's mmap_size while it runs (0: none: the
			       file's pages are read, not mapped into the process) */
	bool rows_in_memory; /* the rows may be held and sorted in memory: faster, but
				memory grows with them (the command, not the kiosk) */
	fc_status (*summary)(void *user, const report_monthly *r, fc_error *err);
	fc_status (*callback)(void *user, const report_callback *c, fc_error *err);
	fc_status (*customer)(void *user, report_list_kind list, const report_customer *c,
			      fc_error *err);
} report_sink;

/* The analysis of month as report_monthly_compute, but its rows go to sink
 * as they are read (sorted by SQLite, which spills to temporary files):
 * the memory it takes does not grow with the customers' rows (a byte per
 * customer id and the month's buyers).  out gets the figures (rows NULL;
 * report_monthly_free it). */
fc_status report_monthly_stream(sqlite3 *db, const fc_config *cfg, const char *month,
				int64_t now_ms, const report_sink *sink, report_monthly *out,
				fc_error *err);

void report_monthly_free(report_monthly *r);

/* The text at off of r->texts ("" for 0). */
const char *report_text(const report_monthly *r, uint32_t off);

#endif
