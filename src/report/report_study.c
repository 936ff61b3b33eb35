/* report_study.c — satisfaction ratings and visit-report scores of the
 * month, the figures the rules use for staff appraisal. */
#include "report/report_study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

fc_status report_study_read_ratings(sqlite3 *db, report_monthly *r, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT rating, count(*) FROM feedback"
				 " WHERE created_at >= ?1 AND created_at < ?2 GROUP BY rating",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->to, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int rating = sqlite3_column_int(st, 0);
		int64_t n = sqlite3_column_int64(st, 1);
		if (rating < 1 || rating > 5)
			continue; /* the table's CHECK keeps them out */
		r->ratings[rating - 1] += n;
		r->rating_count += n;
		r->rating_sum += n * rating;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "counting the satisfaction ratings", err);
}

fc_status report_study_read_visits(sqlite3 *db, report_monthly *r, fc_error *err)
{
	sqlite3_stmt *st;
	char first[16], last[16];
	snprintf(first, sizeof first, "%.7s-01", r->month);
	snprintf(last, sizeof last, "%.7s-31", r->month);
	fc_status s = db_prepare(db,
		"SELECT coalesce(c.code, ''), coalesce(c.name, ''), w.report_date, w.quality,"
		" w.attitude, w.renown FROM visit_reports w LEFT JOIN customers c"
		" ON c.id = w.customer_id WHERE w.report_date BETWEEN ?1 AND ?2"
		" ORDER BY w.report_date, c.code, w.id", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->visit_report_count == cap) {
			size_t n = cap ? cap * 2 : 16;
			report_visit *bigger = realloc(r->visit_reports, n * sizeof *bigger);
			if (!bigger) {
				rc = SQLITE_NOMEM;
				break;
			}
			r->visit_reports = bigger;
			cap = n;
		}
		report_visit *v = &r->visit_reports[r->visit_report_count++];
		memset(v, 0, sizeof *v);
		db_column_copy(st, 0, v->code, sizeof v->code);
		db_column_copy(st, 1, v->name, sizeof v->name);
		db_column_copy(st, 2, v->date, sizeof v->date);
		for (int i = 0; i < SCORE_ITEM_COUNT; i++) {
			v->points[i] = sqlite3_column_int(st, 3 + i);
			r->visit_points_sum[i] += v->points[i];
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_NOMEM)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory listing the visit reports");
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "listing the visit reports", err);
}
