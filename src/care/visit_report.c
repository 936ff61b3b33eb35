/* visit_report.c — visit reports scored by the printed choice tables, with
 * their outbox record. */
#include "care/visit_report.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/text_check.h"
#include "base/tr.h"
#include "care/workdays.h"
#include "customers/archive.h"
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

/* --- the paper form's parties and content (issue 16: visit form) --- */

static const char *const signoff_keys[VISIT_SIGNOFF_COUNT] = { NULL, "none", "signed", "sealed",
							       "both" };

const char *visit_report_signoff_key(fc_visit_signoff s)
{
	return (unsigned)s < VISIT_SIGNOFF_COUNT ? signoff_keys[s] : NULL;
}

bool visit_report_signoff_parse(const char *text, fc_visit_signoff *out)
{
	for (int i = VISIT_SIGNOFF_NONE; text && i < VISIT_SIGNOFF_COUNT; i++)
		if (strcmp(signoff_keys[i], text) == 0) {
			*out = (fc_visit_signoff)i;
			return true;
		}
	return false;
}

fc_status visit_report_check_texts(const fc_visit_report_input *in, int *field_out,
				   fc_error *err)
{
	/* named as the CLI options are (callback report --business-phone) */
	const char *const texts[VRF_COUNT][2] = {
		[VRF_SUGGESTIONS] = { "suggestions", in->suggestions },
		[VRF_CONTACT] = { "contact", in->contact_name },
		[VRF_TITLE] = { "title", in->contact_title },
		[VRF_PHONE] = { "phone", in->contact_phone },
		[VRF_MOBILE] = { "mobile", in->principal_mobile },
		[VRF_BUSINESS] = { "business", in->business_name },
		[VRF_BUSINESS_TITLE] = { "business-title", in->business_title },
		[VRF_BUSINESS_PHONE] = { "business-phone", in->business_phone },
		[VRF_BUSINESS_MOBILE] = { "business-mobile", in->business_mobile },
		[VRF_LEGAL_PERSON] = { "legal-person", in->legal_person },
		[VRF_ADDRESS] = { "address", in->unit_address },
		[VRF_MARKET] = { "market", in->market },
		[VRF_SERVICE] = { "service-feedback", in->service_feedback },
		[VRF_NEEDS] = { "needs", in->needs },
	};
	if (field_out)
		*field_out = -1;
	for (int i = 0; i < VRF_COUNT; i++) {
		const char *v = texts[i][1];
		fc_status s = text_check_field(texts[i][0], v, err);
		bool phone = i == VRF_PHONE || i == VRF_MOBILE || i == VRF_BUSINESS_PHONE ||
			     i == VRF_BUSINESS_MOBILE;
		/* head office takes names and titles of at most 200 bytes, texts of
		 * 4 000 (hq_ingest.c): longer ones would become dead letters */
		size_t max = i == VRF_SUGGESTIONS || i == VRF_ADDRESS || i == VRF_MARKET ||
					     i == VRF_SERVICE || i == VRF_NEEDS
				     ? VISIT_REPORT_TEXT_MAX
				     : VISIT_REPORT_NAME_MAX;
		if (!s && v && strlen(v) > max)
			s = fc_error_set(err, FC_ERR_INVALID, FC_TR("field '%s': at most %zu bytes"),
					 texts[i][0], max);
		if (!s && phone && v && *v && archive_check_phone(v, NULL) != FC_OK)
			s = fc_error_set(err, FC_ERR_INVALID,
					 FC_TR("field '%s': '%.40s' is not a phone number (3 to %d "
					       "characters: digits, +, - and spaces)"),
					 texts[i][0], v, ARCHIVE_PHONE_MAX);
		if (s) {
			if (field_out)
				*field_out = i;
			return s;
		}
	}
	return FC_OK;
}

/* The form's fields beside the contact_* of before (issue 16) into data. */
static bool visit_report_form_json(json_t *data, const fc_visit_report_input *in)
{
	const char *const fields[][2] = {
		{ "principal_mobile", in->principal_mobile },
		{ "business_name", in->business_name },
		{ "business_title", in->business_title },
		{ "business_phone", in->business_phone },
		{ "business_mobile", in->business_mobile },
		{ "legal_person", in->legal_person },
		{ "unit_address", in->unit_address },
		{ "market", in->market },
		{ "service_feedback", in->service_feedback },
		{ "needs", in->needs },
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (json_object_set_new(data, fields[i][0],
					json_string(fields[i][1] ? fields[i][1] : "")))
			return false;
	const char *signoff = visit_report_signoff_key(in->signoff);
	return !signoff || json_object_set_new(data, "signoff", json_string(signoff)) == 0;
}

/* --- end of the visit form block --- */

static fc_status visit_report_insert(sqlite3 *db, const fc_config *cfg,
				     const fc_visit_report_input *in, fc_record *rec,
				     const char *date, const int *points, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = record_prepare_insert(db,
					    "INSERT INTO visit_reports(id, created_at, staff_id, "
					    "customer_id, report_date, quality, attitude, renown, "
					    "suggestions, contact_name, contact_title, contact_phone, "
					    /* issue 16: visit form */
					    "principal_mobile, business_name, business_title, "
					    "business_phone, business_mobile, legal_person, "
					    "unit_address, market, service_feedback, needs, signoff) "
					    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
	/* issue 16: visit form */
	const char *const form[] = { in->principal_mobile, in->business_name, in->business_title,
				     in->business_phone,   in->business_mobile, in->legal_person,
				     in->unit_address,     in->market,        in->service_feedback,
				     in->needs,            visit_report_signoff_key(in->signoff) };
	for (int i = 0; i < (int)(sizeof form / sizeof form[0]); i++)
		db_bind_text_opt(st, 13 + i, form[i]);
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
	if (data && !visit_report_form_json(data, in)) { /* issue 16: visit form */
		json_decref(data);
		data = NULL; /* record_save: record_json_failed */
	}
	/* the monthly study's answers: on the row, in the data, on the customer,
	 * dated by the report's date (visit_report_study_at) */
	char at[CLOCK_ISO_LEN];
	s = data ? visit_report_study_at(date, rec->created_at, at, err) : FC_OK;
	if (!s && data)
		s = study_save(db, "visit_reports", rec->id, in->customer_id, at, in->study, data,
			       err);
	if (s) {
		json_decref(data);
		return s;
	}
	return record_save(db, rec, cfg->station_id, in->staff_id, data, NULL, NULL, err);
}

fc_status visit_report_check_date(const char *text, char out[WORKDAYS_DATE_LEN], fc_error *err)
{
	char today[CLOCK_ISO_LEN];
	fc_status s = workdays_shift_date(text, 0, out, err);
	if (s)
		return s;
	clock_local_date(clock_now_ms(), today);
	if (strcmp(out, today) > 0)
		return fc_error_set(err, FC_ERR_INVALID, "field 'date': '%s' is after today (%s)",
				    out, today);
	return FC_OK;
}

fc_status visit_report_study_at(const char *report_date, const char *created_at,
				char out[CLOCK_ISO_LEN], fc_error *err)
{
	int64_t created_ms, start_ms;
	char created_day[CLOCK_ISO_LEN], before[WORKDAYS_DATE_LEN];
	if (!clock_parse_iso(created_at, &created_ms))
		return fc_error_set(err, FC_ERR_INVALID, "'%s' is not a time", created_at);
	clock_local_date(created_ms, created_day);
	if (strcmp(report_date, created_day) >= 0) {
		snprintf(out, CLOCK_ISO_LEN, "%s", created_at);
		return FC_OK;
	}
	fc_status s = workdays_shift_date(report_date, -1, before, err);
	if (!s)
		s = workdays_deadline_end_ms(before, &start_ms, err);
	if (!s)
		clock_format_iso(start_ms, out);
	return s;
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
	fc_status ts = visit_report_check_texts(in, NULL, err);
	if (!ts)
		ts = study_check(in->study, NULL, err);
	if (ts)
		return ts;
	if (in->report_date) {
		char check[WORKDAYS_DATE_LEN];
		fc_status s = visit_report_check_date(in->report_date, check, err);
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
