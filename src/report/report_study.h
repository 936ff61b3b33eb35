/* report_study.h — the monthly analysis's appraisal figures beside the
 * study (report.c calls them inside its read transaction): satisfaction
 * ratings and visit-report scores of the month. */
#ifndef FC_REPORT_STUDY_H
#define FC_REPORT_STUDY_H

#include <sqlite3.h>

#include "base/status.h"
#include "report/report.h"

/* The 1-5 ratings (feedback) given in [r->from, r->to): r->ratings,
 * rating_count, rating_sum.  One range of the feedback_created index. */
fc_status report_study_read_ratings(sqlite3 *db, report_monthly *r, fc_error *err);

/* The visit reports dated in r->month (report_date, as the callbacks count
 * them), by date and code: r->visit_reports and visit_points_sum.  One range
 * of the visit_reports_date index. */
fc_status report_study_read_visits(sqlite3 *db, report_monthly *r, fc_error *err);

#endif
