/* visit_report.h — visit reports 走访报告 with the scoring tables of
 * domain.md; each report is also a callback of its month. */
#ifndef FC_VISIT_REPORT_H
#define FC_VISIT_REPORT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "base/uuid.h"
#include "care/study.h"

typedef enum { SCORE_QUALITY, SCORE_ATTITUDE, SCORE_RENOWN, SCORE_ITEM_COUNT } fc_score_item;

typedef struct fc_score_choice {
	const char *key;  /* stored/CLI key: "very_excellent", "heard_of" */
	const char *text; /* English label for the UI's msgid */
	int points;
} fc_score_choice;

/* The printed choices of an item, best first (static storage). */
const fc_score_choice *visit_report_score_choices(fc_score_item item, size_t *count);
/* Stored key of an item: "quality", "attitude", "renown". */
const char *visit_report_score_item_key(fc_score_item item);
/* Points of a choice key for item, -1 when the key is not a choice. */
int visit_report_score_points(fc_score_item item, const char *key);

typedef struct fc_visit_report_input {
	int64_t customer_id;
	const char *report_date;   /* "YYYY-MM-DD", NULL = today (local) */
	const char *choice[SCORE_ITEM_COUNT]; /* choice keys of the three items */
	const char *suggestions;
	const char *contact_name, *contact_title, *contact_phone;
	int64_t staff_id;          /* a head or admin */
	const study_answers *study; /* the monthly study's answers (care/study.h), NULL: none */
} fc_visit_report_input;

/* Record a visit report: scores from the tables, outbox record
 * ("visit_report") and audit row in one transaction.  points_out[3] and
 * id_out may be NULL.  A choice that is not in the table is refused,
 * naming the accepted ones. */
fc_status visit_report_record(sqlite3 *db, const fc_config *cfg, const fc_visit_report_input *in,
			      int *points_out, char *id_out, fc_error *err);

#endif
