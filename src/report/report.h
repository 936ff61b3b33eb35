/* report.h — the monthly analysis 每月总结 of domain.md for one station-local
 * month: classes and tiers, drifting customers, callbacks, complaints, litres. */
#ifndef FC_REPORT_H
#define FC_REPORT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/domain.h"
#include "base/status.h"

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

typedef struct report_grade {
	char grade[REPORT_GRADE_LEN];
	int64_t volume_ml;
	int64_t visits;
} report_grade;

typedef struct report_monthly {
	char month[REPORT_MONTH_LEN];   /* "2026-06" */
	char from[CLOCK_ISO_LEN];       /* first instant: local midnight of the 1st (UTC ISO) */
	char to[CLOCK_ISO_LEN];         /* first instant of the next month */
	char as_of[CLOCK_ISO_LEN];      /* now: classes and tiers are the stored ones */

	/* The archive's stored classification (as of the last `classify`), the
	 * stability brought up to date with the last purchase at any station
	 * (classify_stability_seen: head office's facts since the run). */
	int64_t customers;
	int64_t by_tier[TIER_COUNT];
	int64_t by_stability[STABILITY_COUNT];
	int64_t by_nature[NATURE_COUNT];
	int64_t by_composite[4];        /* A, B, C, not evaluated */

	/* lost and swing: most recent purchase first; potential: by code;
	 * won back: customers with a won-back visit in the month, by its time. */
	report_list lost, swing, potential, won_back;

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
	REPORT_LIST_COUNT
} report_list_kind;

/* Where report_monthly_stream sends the analysis, piece by piece: first
 * summary (every figure of the report; of the lists and callbacks only
 * their counts, rows NULL), then each callback row (by code), then each
 * list's rows (won back, lost, swing, potential; each in its order above).
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

#endif
