/* workdays.h — the working-day calendar: weekends and public holidays are
 * skipped, official make-up working days (调休) count; deadlines by it. */
#ifndef FC_WORKDAYS_H
#define FC_WORKDAYS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/audit.h"

#define WORKDAYS_DATE_LEN 11 /* "2026-02-14" and the NUL */

/* True when date ("YYYY-MM-DD") is a working day: a 'workday' row of the
 * holidays table makes it one, a 'holiday' row makes it none, otherwise
 * Monday to Friday.  A malformed date is FC_ERR_INVALID. */
fc_status workdays_is_working(sqlite3 *db, const char *date, bool *working, fc_error *err);

/* The date `days` working days after the station-local date of received_ms
 * (the day of receipt itself never counts), into out[WORKDAYS_DATE_LEN].
 * days must be 1..366. */
fc_status workdays_add(sqlite3 *db, int64_t received_ms, int days, char *out, fc_error *err);

/* The instant a deadline date ends: local midnight after date, in UTC ms. */
fc_status workdays_deadline_end_ms(const char *date, int64_t *end_ms, fc_error *err);

/* Shift a "YYYY-MM-DD" date by delta calendar days into out. */
fc_status workdays_shift_date(const char *date, int delta, char *out, fc_error *err);

/* Load a holidays file ("DATE KIND [major|minor] NAME" lines, KIND
 * holiday|workday, '#' comments) into the holidays table in one
 * transaction: every line is upserted, nothing is stored when one line is
 * bad ("PATH:LINE: ...").  The major column says which holidays make
 * every maintained customer's callback due (callback.h); a file without
 * it (the third word neither major nor minor: the name) loads as before,
 * every holiday major; a workday is never major.  Refused: a line without
 * a name ("PATH:LINE: holiday without a name"), a third word of lowercase
 * ASCII letters only that is not major or minor ("'big' is not major or
 * minor": a typo of the column, not a name).  by (not NULL) is who
 * loads it: the audit row "holidays_load" commits with the dates (NULL:
 * none, for the demo generator).  *loaded and *majors (may be NULL)
 * receive the number of dates and of major holidays. */
fc_status workdays_load_calendar(sqlite3 *db, const char *path, const fc_actor *by, int *loaded,
				 int *majors, fc_error *err);
/* workdays_load_calendar without the count of major holidays. */
fc_status workdays_load_file(sqlite3 *db, const char *path, const fc_actor *by, int *loaded,
			     fc_error *err);

/* Number of rows in the holidays table (0 = weekends only); -1 on error. */
int workdays_count_entries(sqlite3 *db);

#endif
