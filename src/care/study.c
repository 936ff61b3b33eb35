/* study.c — the monthly study's answers: one check for the CLI and the
 * kiosk, stored on the callback or visit report, its record and the customer. */
#include "care/study.h"

#include <stdio.h>
#include <string.h>

#include "base/text_check.h"
#include "base/tr.h"
#include "store/db.h"

static const struct {
	const char *key, *option, *label;
	size_t max;
} fields[STUDY_FIELD_COUNT] = {
	{ "loss_reason", "loss-reason", TR_NOOP("Loss reason"), 32 },
	{ "loss_reason_text", "loss-reason-text", TR_NOOP("Reason detail"), STUDY_TEXT_MAX },
	{ "current_channel", "current-channel", TR_NOOP("Buys from now"), STUDY_SHORT_MAX },
	{ "competitor_offer", "competitor-offer", TR_NOOP("Competitor offer"), STUDY_TEXT_MAX },
	{ "measures", "measures", TR_NOOP("Measures taken"), STUDY_TEXT_MAX },
	{ "responsible", "responsible", TR_NOOP("Responsible"), STUDY_SHORT_MAX },
};

const char *study_field_key(study_field f)
{
	return (unsigned)f < STUDY_FIELD_COUNT ? fields[f].key : "?";
}

const char *study_field_option(study_field f)
{
	return (unsigned)f < STUDY_FIELD_COUNT ? fields[f].option : "?";
}

const char *study_field_label(study_field f)
{
	return (unsigned)f < STUDY_FIELD_COUNT ? fields[f].label : "?";
}

static bool answered(const study_answers *a, study_field f)
{
	return a && a->value[f] && a->value[f][0];
}

bool study_is_empty(const study_answers *a)
{
	for (int f = 0; f < STUDY_FIELD_COUNT; f++)
		if (answered(a, (study_field)f))
			return false;
	return true;
}

static fc_status refuse(study_field f, study_field *bad, fc_status s)
{
	if (bad)
		*bad = f;
	return s;
}

fc_status study_check(const study_answers *a, study_field *bad, fc_error *err)
{
	if (!a)
		return FC_OK;
	for (int i = 0; i < STUDY_FIELD_COUNT; i++) {
		study_field f = (study_field)i;
		if (!answered(a, f))
			continue;
		fc_status s = text_check_field(fields[f].option, a->value[f], err);
		if (s)
			return refuse(f, bad, s);
		if (strlen(a->value[f]) > fields[f].max)
			return refuse(f, bad, fc_error_set(err, FC_ERR_INVALID,
				"%s: at most %zu bytes (this is %zu)", fields[f].option,
				fields[f].max, strlen(a->value[f])));
	}
	fc_loss_reason reason;
	if (answered(a, STUDY_LOSS_REASON) && !loss_reason_parse(a->value[STUDY_LOSS_REASON], &reason))
		return refuse(STUDY_LOSS_REASON, bad, fc_error_set(err, FC_ERR_INVALID,
			"loss-reason: '%.40s' is not a reason (%s)", a->value[STUDY_LOSS_REASON],
			loss_reason_keys_text()));
	if (answered(a, STUDY_LOSS_REASON_TEXT) && !answered(a, STUDY_LOSS_REASON))
		return refuse(STUDY_LOSS_REASON, bad, fc_error_set(err, FC_ERR_INVALID,
			"loss-reason: the reason detail needs a reason (%s)", loss_reason_keys_text()));
	if (answered(a, STUDY_LOSS_REASON) && reason == LOSS_REASON_OTHER &&
	    !answered(a, STUDY_LOSS_REASON_TEXT))
		return refuse(STUDY_LOSS_REASON_TEXT, bad, fc_error_set(err, FC_ERR_INVALID,
			"loss-reason-text: say what the other reason is (required with 'other')"));
	return FC_OK;
}

fc_status study_save(sqlite3 *db, const char *table, const char *record_id, int64_t customer_id,
		     const char *at, const study_answers *a, json_t *data, fc_error *err)
{
	if (study_is_empty(a))
		return FC_OK;
	char sql[512];
	sqlite3_stmt *st;
	/* table is one of two names given by the code, never by a user */
	snprintf(sql, sizeof sql, "UPDATE %s SET loss_reason = ?2, loss_reason_text = ?3,"
		 " current_channel = ?4, competitor_offer = ?5, measures = ?6, responsible = ?7"
		 " WHERE id = ?1", strcmp(table, "visit_reports") == 0 ? "visit_reports" : "callbacks");
	for (int pass = 0; pass < 2; pass++) {
		fc_status s = db_prepare(db, pass ? "UPDATE customers SET loss_reason = ?2,"
			" loss_reason_text = ?3, current_channel = ?4, competitor_offer = ?5,"
			" measures = ?6, responsible = ?7, study_at = ?8, study_source = ?9"
			" WHERE id = ?10 AND (study_at IS NULL OR study_at <= ?8)" : sql, &st, err);
		if (s)
			return s;
		sqlite3_bind_text(st, 1, record_id, -1, SQLITE_STATIC);
		for (int f = 0; f < STUDY_FIELD_COUNT; f++)
			db_bind_text_opt(st, 2 + f, answered(a, (study_field)f) ? a->value[f] : NULL);
		if (pass) {
			sqlite3_bind_text(st, 8, at, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 9, record_id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 10, customer_id);
		}
		s = db_step_done(db, st, pass ? "keeping the study on the customer"
					      : "saving the study's answers", err);
		if (s)
			return s;
	}
	for (int f = 0; data && f < STUDY_FIELD_COUNT; f++)
		if (answered(a, (study_field)f))
			json_object_set_new(data, fields[f].key, json_string(a->value[f]));
	return FC_OK;
}
