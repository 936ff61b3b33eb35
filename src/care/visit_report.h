/* visit_report.h — visit reports 走访报告 with the scoring tables of
 * domain.md; each report is also a callback of its month. */
#ifndef FC_VISIT_REPORT_H
#define FC_VISIT_REPORT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/status.h"
#include "base/uuid.h"
#include "care/study.h"
#include "care/workdays.h"

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

/* Whether the customer signed or sealed the paper form (issue 16).
 * UNSET: not asked (stored NULL: reports made before the question). */
typedef enum {
	VISIT_SIGNOFF_UNSET,
	VISIT_SIGNOFF_NONE,   /* "none": neither signed nor sealed */
	VISIT_SIGNOFF_SIGNED, /* "signed" */
	VISIT_SIGNOFF_SEALED, /* "sealed" */
	VISIT_SIGNOFF_BOTH,   /* "both": signed and sealed */
	VISIT_SIGNOFF_COUNT
} fc_visit_signoff;

/* The stored key of a sign-off ("none", "signed", ...; NULL for UNSET). */
const char *visit_report_signoff_key(fc_visit_signoff s);
/* Parse a key: true with *out, false when text is not one of them. */
bool visit_report_signoff_parse(const char *text, fc_visit_signoff *out);

/* The text fields visit_report_check_texts checks, in its order. */
typedef enum {
	VRF_SUGGESTIONS, VRF_CONTACT, VRF_TITLE, VRF_PHONE, VRF_MOBILE, VRF_BUSINESS,
	VRF_BUSINESS_TITLE, VRF_BUSINESS_PHONE, VRF_BUSINESS_MOBILE, VRF_LEGAL_PERSON,
	VRF_ADDRESS, VRF_MARKET, VRF_SERVICE, VRF_NEEDS, VRF_COUNT
} fc_visit_report_field;

typedef struct fc_visit_report_input {
	int64_t customer_id;
	const char *report_date;   /* "YYYY-MM-DD", NULL = today (local) */
	const char *choice[SCORE_ITEM_COUNT]; /* choice keys of the three items */
	const char *suggestions;
	/* the principal 主要负责人's name, title and phone (the columns and
	 * record fields contact_* of before issue 16 keep these three) */
	const char *contact_name, *contact_title, *contact_phone;
	/* --- the paper form's parties and content (issue 16: visit form) --- */
	const char *principal_mobile;               /* the principal's mobile */
	const char *business_name, *business_title; /* the business contact 业务主办 */
	const char *business_phone, *business_mobile;
	const char *legal_person;                   /* the unit's legal person 法人代表 */
	const char *unit_address;                   /* the unit's address */
	const char *market;                         /* what was learned: market situation */
	const char *service_feedback;               /* ... the customer's word on our service */
	const char *needs;                          /* ... its needs */
	fc_visit_signoff signoff;                   /* signed or sealed the paper form */
	/* --- end of the visit form block --- */
	int64_t staff_id;          /* a head or admin */
	const study_answers *study; /* the monthly study's answers (care/study.h), NULL: none */
} fc_visit_report_input;

#define VISIT_REPORT_NAME_MAX 200  /* bytes of a name, title or phone */
#define VISIT_REPORT_TEXT_MAX 4000 /* bytes of suggestions, address, market, ... */

/* The one check of the form's texts, for the CLI and the kiosk alike:
 * every text UTF-8 without control characters and not only blanks, at
 * most VISIT_REPORT_NAME_MAX bytes (names, titles, phones) or
 * VISIT_REPORT_TEXT_MAX (suggestions, address and what was learned), the
 * four phones like the archive's phone check (digits, +, - and spaces, 3
 * to ARCHIVE_PHONE_MAX characters).  FC_ERR_INVALID naming the field by
 * its CLI option ("business-mobile").  *field_out (may be NULL) receives
 * the refused field (fc_visit_report_field), -1 when none. */
fc_status visit_report_check_texts(const fc_visit_report_input *in, int *field_out,
				   fc_error *err);

/* Record a visit report: scores from the tables, outbox record
 * ("visit_report") and audit row in one transaction.  The record's data:
 * customer_id, customer_code, report_date, quality/attitude/renown
 * {choice, points}, suggestions, contact_name, contact_title,
 * contact_phone (the principal), and (issue 16) principal_mobile,
 * business_name, business_title, business_phone, business_mobile,
 * legal_person, unit_address, market, service_feedback, needs ("" when
 * not given) and signoff (a key, absent when UNSET).  Texts go through
 * visit_report_check_texts.  points_out[3] and
 * id_out may be NULL.  A choice that is not in the table is refused,
 * naming the accepted ones. */
fc_status visit_report_record(sqlite3 *db, const fc_config *cfg, const fc_visit_report_input *in,
			      int *points_out, char *id_out, fc_error *err);

/* A visit report's date: text ("YYYY-MM-DD") normalised into out, refused
 * (FC_ERR_INVALID, "field 'date': '...' is after today (...)") when it is
 * after today (local); visit_report_record checks it. */
fc_status visit_report_check_date(const char *text, char out[WORKDAYS_DATE_LEN], fc_error *err);

/* When the monthly study's answers of a visit report dated report_date
 * and written at created_at (UTC ISO) were given: created_at for a report
 * of its own day (or later), else the local midnight that starts
 * report_date, as UTC ISO.  The monthly analysis (report.c STUDY_LATER_SQL)
 * dates a visit report's answers the same way. */
fc_status visit_report_study_at(const char *report_date, const char *created_at,
				char out[CLOCK_ISO_LEN], fc_error *err);

#endif
