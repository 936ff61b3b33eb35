/* visit_report.c — visit reports scored by the printed choice tables, with
 * their outbox record. */
#include "care/visit_report.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/text_check.h"
#include "base/tr.h"
#include "care/workdays.h"
#include "staff/staff.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/record.h"

/* domain.md "Visit report scoring": the exact choices and their points. */
/* The texts are translated where the kiosk shows them (TR_NOOP). */
static const fc_score_choice quality_choices[] = {
	{ "very_excellent", TR_NOOP("very excellent"), 100 },
	{ "excellent", TR_NOOP("excellent"), 90 },
	{ "good", TR_NOOP("good"), 85 },
	{ "fair", TR_NOOP("fair"), 80 },
	{ "acceptable", TR_NOOP("acceptable"), 70 },
	{ "unacceptable", TR_NOOP("unacceptable"), 60 },
};
static const fc_score_choice attitude_choices[] = {
	{ "very_excellent", TR_NOOP("very excellent"), 100 },
	{ "excellent", TR_NOOP("excellent"), 90 },
	{ "good", TR_NOOP("good"), 85 },
	{ "fair", TR_NOOP("fair"), 80 },
	{ "poor", TR_NOOP("poor"), 30 },
	{ "abysmal", TR_NOOP("abysmal"), 0 },
};
static const fc_score_choice renown_choices[] = {
	{ "very_famous", TR_NOOP("very famous"), 100 },
	{ "famous", TR_NOOP("famous"), 90 },
	{ "high", TR_NOOP("high"), 85 },
	{ "fairly_high", TR_NOOP("fairly high"), 80 },
	{ "known", TR_NOOP("known"), 70 },
	{ "heard_of", TR_NOOP("heard of"), 60 },
	{ "unknown", TR_NOOP("unknown"), 50 },
};

const fc_score_choice *visit_report_score_choices(fc_score_item item, size_t *count)
{
	switch (item) {
	case SCORE_QUALITY:
		*count = sizeof quality_choices / sizeof quality_choices[0];
		return quality_choices;
	case SCORE_ATTITUDE:
		*count = sizeof attitude_choices / sizeof attitude_choices[0];
		return attitude_choices;
	case SCORE_RENOWN:
		*count = sizeof renown_choices / sizeof renown_choices[0];
		return renown_choices;
	default:
		*count = 0;
		return NULL;
	}
}

const char *visit_report_score_item_key(fc_score_item item)
{
	static const char *const keys[SCORE_ITEM_COUNT] = { "quality", "attitude", "renown" };
	return (unsigned)item < SCORE_ITEM_COUNT ? keys[item] : "?";
}

int visit_report_score_points(fc_score_item item, const char *key)
{
	size_t n;
	const fc_score_choice *c = visit_report_score_choices(item, &n);
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(c[i].key, key) == 0)
			return c[i].points;
	return -1;
}

/* "a, b, c" of an item's keys into out, for the refusal message. */
static void choice_keys_text(fc_score_item item, char *out, size_t n)
{
	size_t count, used = 0;
	const fc_score_choice *c = visit_report_score_choices(item, &count);
	out[0] = '\0';
	for (size_t i = 0; i < count && used < n; i++) {
		int w = snprintf(out + used, n - used, "%s%s", i ? ", " : "", c[i].key);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static fc_status visit_report_insert(sqlite3 *db, const fc_config *cfg,
				     const fc_visit_report_input *in, fc_record *rec,
				     const char *date, const int *points, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = record_prepare_insert(db,
					    "INSERT INTO visit_reports(id, created_at, staff_id, "
					    "customer_id, report_date, quality, attitude, renown, "
					    "suggestions, contact_name, contact_title, contact_phone) "
					    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
					    rec, in->staff_id, &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 4, in->customer_id);
	sqlite3_bind_text(st, 5, date, -1, SQLITE_STATIC);
	for (int i = 0; i < SCORE_ITEM_COUNT; i++)
		sqlite3_bind_int(st, 6 + i, points[i]);
	db_bind_text_opt(st, 9, in->suggestions);
	db_bind_text_opt(st, 10, in->contact_name);
	db_bind_text_opt(st, 11, in->contact_title);
	db_bind_text_opt(st, 12, in->contact_phone);
	s = db_step_done(db, st, "saving the visit report", err);
	if (s && sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_FOREIGNKEY)
		s = fc_error_set(err, FC_ERR_NOT_FOUND, "no customer with id %lld",
				 (long long)in->customer_id);
	if (s)
		return s;
	json_t *data = json_pack(
		"{s:I, s:o, s:s, s:{s:s, s:i}, s:{s:s, s:i}, s:{s:s, s:i}, s:s, s:s, s:s, s:s}",
		"customer_id", (json_int_t)in->customer_id, "customer_code",
		record_customer_code(db, in->customer_id), "report_date", date, "quality",
		"choice", in->choice[0], "points", points[0], "attitude", "choice", in->choice[1],
		"points", points[1], "renown", "choice", in->choice[2], "points", points[2],
		"suggestions", in->suggestions ? in->suggestions : "", "contact_name",
		in->contact_name ? in->contact_name : "", "contact_title",
		in->contact_title ? in->contact_title : "", "contact_phone",
		in->contact_phone ? in->contact_phone : "");
	/* the monthly study's answers: on the row, in the data, on the customer */
	s = data ? study_save(db, "visit_reports", rec->id, in->customer_id, rec->created_at,
			      in->study, data, err) : FC_OK;
	if (s) {
		json_decref(data);
		return s;
	}
	return record_save(db, rec, cfg->station_id, in->staff_id, data, NULL, NULL, err);
}

fc_status visit_report_record(sqlite3 *db, const fc_config *cfg, const fc_visit_report_input *in,
			      int *points_out, char *id_out, fc_error *err)
{
	int points[SCORE_ITEM_COUNT];
	char date[CLOCK_ISO_LEN], detail[96];
	for (int i = 0; i < SCORE_ITEM_COUNT; i++) {
		points[i] = visit_report_score_points((fc_score_item)i, in->choice[i]);
		if (points[i] < 0) {
			char keys[160];
			choice_keys_text((fc_score_item)i, keys, sizeof keys);
			return fc_error_set(err, FC_ERR_INVALID, "%s: '%.40s' is not a choice (%s)",
					    visit_report_score_item_key((fc_score_item)i),
					    in->choice[i] ? in->choice[i] : "", keys);
		}
	}
	const char *const texts[][2] = { { "suggestions", in->suggestions },
					 { "contact", in->contact_name },
					 { "title", in->contact_title },
					 { "phone", in->contact_phone } };
	fc_status ts = text_check_fields(texts, 4, err);
	if (!ts)
		ts = study_check(in->study, NULL, err);
	if (ts)
		return ts;
	if (in->report_date) {
		char check[WORKDAYS_DATE_LEN];
		fc_status s = workdays_shift_date(in->report_date, 0, check, err);
		if (s)
			return s;
		snprintf(date, sizeof date, "%s", check);
	} else {
		clock_local_date(clock_now_ms(), date);
	}
	fc_record rec;
	fc_status s = staff_require_role(db, in->staff_id, ROLE_HEAD, err);
	if (!s)
		s = record_begin(db, &rec, "visit_report", err);
	if (s)
		return s;
	s = visit_report_insert(db, cfg, in, &rec, date, points, err);
	snprintf(detail, sizeof detail, "visit report %.8s for customer %lld", rec.id,
		 (long long)in->customer_id);
	if (!s)
		s = audit_record_event(db, cfg->station_id, in->staff_id, "visit_report", detail, err);
	s = db_finish(db, s, err);
	if (!s && points_out)
		memcpy(points_out, points, sizeof points);
	if (!s && id_out)
		memcpy(id_out, rec.id, UUID_STR_LEN);
	return s;
}
