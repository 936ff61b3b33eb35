/* study.h — the monthly study's answers 分公司每月总结 a callback or a visit
 * report carries: why the customer left or wavers, where it buys now, what
 * the competitor offers, the measures taken and who is responsible.  One
 * check for the CLI and the kiosk; saved on the record's row, in its outbox
 * data and on the customer (the latest answers win). */
#ifndef FC_STUDY_H
#define FC_STUDY_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/loss_reason.h"
#include "base/status.h"

#define STUDY_SHORT_MAX 200  /* bytes: current_channel, responsible */
#define STUDY_TEXT_MAX 2000  /* bytes: loss_reason_text, competitor_offer, measures */

/* The answers' fields, in form order; their keys are the column names, the
 * outbox data's keys and (with '-' for '_') the CLI options. */
typedef enum {
	STUDY_LOSS_REASON,
	STUDY_LOSS_REASON_TEXT,
	STUDY_CURRENT_CHANNEL,
	STUDY_COMPETITOR_OFFER,
	STUDY_MEASURES,
	STUDY_RESPONSIBLE,
	STUDY_FIELD_COUNT
} study_field;

/* Borrowed texts; NULL or "" = not answered. */
typedef struct study_answers {
	const char *value[STUDY_FIELD_COUNT]; /* by study_field; value[STUDY_LOSS_REASON]
						 is a loss_reason key */
} study_answers;

/* Column, data key: "loss_reason", "current_channel", ... */
const char *study_field_key(study_field f);
/* CLI option: "loss-reason", "current-channel", ... */
const char *study_field_option(study_field f);
/* English label, a msgid (TR_NOOP) the kiosk translates. */
const char *study_field_label(study_field f);

/* True when no field is answered (NULL a is empty). */
bool study_is_empty(const study_answers *a);

/* Check the answers: the reason a loss_reason key; "other" needs its text;
 * a reason text needs a reason; every text strict UTF-8 without control
 * characters, not only blanks, and within its length.  FC_ERR_INVALID with
 * a message naming the field (its CLI option) and *bad (may be NULL) the
 * field, else FC_OK.  NULL a passes. */
fc_status study_check(const study_answers *a, study_field *bad, fc_error *err);

/* Inside the record's write transaction, after its row of table
 * ("callbacks" or "visit_reports") with id record_id was inserted: store
 * the answers on that row, add them to the record's data (each answered
 * field under its key), and keep them on customer customer_id as its
 * latest study (study_at = at, study_source = record_id) unless it has a
 * later one.  Nothing happens for empty answers.  The answers must have
 * passed study_check. */
fc_status study_save(sqlite3 *db, const char *table, const char *record_id, int64_t customer_id,
		     const char *at, const study_answers *a, json_t *data, fc_error *err);

#endif
