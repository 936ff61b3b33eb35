/* hq_ingest.c — one batch of station records: parse, check, apply.
 *
 * The checks run in C first (fields, types, ranges, the station, the
 * customer codes); the records left are applied by one statement whose
 * data-modifying CTEs write the records table and every effect table, so a
 * batch costs a handful of round trips whatever its size.  Registrations
 * and archive changes (master data) follow in seq order under the master
 * lock. */
#include "hq/hq_ingest.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/domain.h"
#include "base/loss_reason.h"
#include "hq/hq_db.h"

typedef enum { F_STR, F_INT, F_BOOL, F_OBJ, F_ARR } field_type;

typedef struct field_spec {
	const char *name;
	field_type type;
	bool required;
	int64_t min, max; /* F_INT: range; F_STR: max bytes (min: at least) */
} field_spec;

enum { NEEDS_CUSTOMER = 1, CHANGES_MASTER = 2 };

typedef struct type_spec {
	const char *type;
	const field_spec *fields;
	unsigned flags;
} type_spec;

#define STR(n, req, max) { n, F_STR, req, 0, max }
#define STR1(n, max) { n, F_STR, true, 1, max }
#define INT(n, req, lo, hi) { n, F_INT, req, lo, hi }
#define BOOL(n) { n, F_BOOL, false, 0, 0 }
#define END { NULL, F_STR, false, 0, 0 }
#define MONEY_MAX INT64_C(100000000000) /* fen: a billion yuan */
#define TEXT_MAX 4000

static const field_spec visit_fields[] = {
	INT("pump", true, 1, 999), STR1("grade", 16), INT("volume_ml", true, 1, 10000000),
	INT("amount_fen", true, 0, MONEY_MAX), INT("price_fen_per_litre", true, 0, 10000000),
	INT("discount_fen", true, 0, MONEY_MAX), INT("points_earned", true, 0, 1000000000),
	BOOL("won_back"), STR("card", false, 64), STR("customer_code", false, 64),
	STR("tier", false, 16), STR("nature", false, 16), BOOL("anonymous"), END,
};
static const field_spec redemption_fields[] = {
	STR1("card", 64), STR1("customer_code", 64), INT("points", true, 1, 1000000000),
	INT("value_fen", true, 0, MONEY_MAX), STR("local_date", false, 10), END,
};
static const field_spec registered_fields[] = {
	STR1("code", 64), STR1("name", 200), STR1("nature", 16), STR("industry", false, 16),
	STR("stability", false, 16), STR("tier", false, 16), STR("card", false, 64),
	STR("card_kind", false, 16), STR("phone", false, 64), STR("plate", false, 32), END,
};
static const field_spec changed_fields[] = {
	STR1("customer_code", 64), STR1("action", 16), { "changes", F_ARR, true, 0, 0 }, END,
};
/* A complaint or (kind "suggestion") a suggestion, which has no severity
 * and no deadline; approval_level: who level 1 of a special case is. */
static const field_spec complaint_fields[] = {
	STR("received_at", false, 40), STR("channel", false, 16), STR("customer_code", false, 64),
	STR("customer_name", false, 200), STR("category", false, 200), STR("kind", false, 16),
	STR("severity", false, 16), STR("approved_by", false, 200),
	STR("approval_level", false, 32), STR1("content", TEXT_MAX), STR("deadline", false, 10),
	STR("status", false, 16), END,
};
/* A step of an entry's path (kind: resolve, escalate, note, approve, level,
 * tell, close): level and level_no of a special case's approval, who told
 * the customer, how and when, the entry's status after it. */
static const field_spec complaint_update_fields[] = {
	STR1("complaint_id", 36), STR1("kind", 32), STR("result", false, TEXT_MAX),
	STR("handler", false, 200), STR("remarks", false, TEXT_MAX),
	STR("new_severity", false, 16), STR("new_deadline", false, 10),
	STR("approved_by", false, 200), STR("reason", false, TEXT_MAX),
	STR("level", false, 32), INT("level_no", false, 1, 16), STR("told_by", false, 200),
	STR("told_how", false, 16), STR("happened_at", false, 40), STR("status", false, 16), END,
};
static const char *const complaint_update_kinds[] = {
	"resolve", "escalate", "note", "approve", "level", "tell", "close",
};
/* The monthly study's answers a callback or visit report may carry (the
 * station's care/study.h; loss_reason is checked against base/loss_reason). */
#define STUDY_FIELDS                                                                     \
	STR("loss_reason", false, 32), STR("loss_reason_text", false, TEXT_MAX),            \
	STR("current_channel", false, 200), STR("competitor_offer", false, TEXT_MAX),       \
	STR("measures", false, TEXT_MAX), STR("responsible", false, 200)
static const field_spec callback_fields[] = {
	STR1("customer_code", 64), STR1("method", 16), STR("contact", false, 200),
	STR("notes", false, TEXT_MAX), STUDY_FIELDS, END,
};
static const field_spec visit_report_fields[] = {
	STR1("customer_code", 64), STR("report_date", false, 10), { "quality", F_OBJ, true, 0, 0 },
	{ "attitude", F_OBJ, true, 0, 0 }, { "renown", F_OBJ, true, 0, 0 },
	STR("suggestions", false, TEXT_MAX), STR("contact_name", false, 200),
	STR("contact_title", false, 200), STR("contact_phone", false, 64),
	/* issue 16: the visit form (contact_* are the principal's) */
	STR("principal_mobile", false, 64), STR("business_name", false, 200),
	STR("business_title", false, 200), STR("business_phone", false, 64),
	STR("business_mobile", false, 64), STR("legal_person", false, 200),
	STR("unit_address", false, TEXT_MAX), STR("market", false, TEXT_MAX),
	STR("service_feedback", false, TEXT_MAX), STR("needs", false, TEXT_MAX),
	STR("signoff", false, 16), STUDY_FIELDS, END,
};
static const field_spec feedback_fields[] = {
	STR("visit_id", false, 36), INT("rating", true, 1, 5), STR("comment", false, TEXT_MAX),
	END,
};
static const field_spec blocked_seen_fields[] = {
	STR1("card", 64), STR("customer_code", false, 64), STR("reason", false, 200),
	STR("where", false, 32), END,
};
static const field_spec tier_changed_fields[] = {
	STR1("customer_code", 64), STR("nature", false, 16), STR("old_tier", false, 16),
	STR1("new_tier", 16), STR("source", false, 16), STR("period", false, 16),
	INT("volume_ml", false, 0, INT64_C(1000000000000)), STR("old_nature", false, 16),
	BOOL("provisional"), STR("reason", false, 32), END,
};
/* A customer's quarterly composite evaluation (issue 16): kept as the
 * record; head office needs no effect table for it. */
static const field_spec composite_fields[] = {
	STR1("customer_code", 64), STR1("quarter", 8), INT("score", true, 0, 100),
	STR1("class", 1), INT("scale", true, 0, 100), INT("credit", true, 0, 100),
	INT("volume", true, 0, 100), INT("influence", true, 0, 100), BOOL("scale_rated"),
	BOOL("credit_rated"), BOOL("influence_rated"), END,
};
static const field_spec audit_fields[] = {
	STR1("action", 64), STR("detail", false, TEXT_MAX),
	INT("audit_id", true, 1, INT64_MAX), STR1("hash", 128), END,
};

static const field_spec staff_changed_fields[] = {
	INT("staff", true, 1, 1000000000), STR1("name", 200), STR1("role", 16), BOOL("active"),
	END,
};
static const field_spec owner_proposed_fields[] = {
	STR1("customer_code", 64), INT("staff", true, 1, 1000000000), STR("reason", false, TEXT_MAX),
	END,
};

static const type_spec types[] = {
	{ "staff_changed", staff_changed_fields, 0 },
	{ "owner_proposed", owner_proposed_fields, NEEDS_CUSTOMER | CHANGES_MASTER },
	{ "visit", visit_fields, NEEDS_CUSTOMER },
	{ "redemption", redemption_fields, NEEDS_CUSTOMER },
	{ "customer_registered", registered_fields, CHANGES_MASTER },
	{ "customer_changed", changed_fields, NEEDS_CUSTOMER | CHANGES_MASTER },
	{ "complaint", complaint_fields, 0 },
	{ "complaint_update", complaint_update_fields, 0 },
	{ "callback", callback_fields, NEEDS_CUSTOMER },
	{ "visit_report", visit_report_fields, NEEDS_CUSTOMER },
	{ "feedback", feedback_fields, 0 },
	{ "blocked_card_seen", blocked_seen_fields, 0 },
	{ "tier_changed", tier_changed_fields, NEEDS_CUSTOMER },
	{ "composite_evaluated", composite_fields, NEEDS_CUSTOMER },
	{ "audit", audit_fields, 0 },
};
#define TYPE_COUNT (sizeof types / sizeof types[0])

/* Archive fields a station may change, whether they hold numbers, and
 * whether head office keeps them only in the record (customer_changes'
 * changes), with no column of its customers to set. */
static const struct {
	const char *field;
	bool number;
	bool required;
	bool record_only;
} editable[] = {
	{ "name", false, true, false },           { "contact", false, false, false },
	{ "phone", false, false, false },         { "address", false, false, false },
	{ "plate", false, false, false },         { "fuel_grades", false, false, false },
	{ "yearly_litres", true, false, false },  { "refuel_cycle_days", true, false, false },
	{ "other_channels", false, false, false }, { "potential_needs", false, false, false },
	{ "person_in_charge", false, false, false }, { "handler", false, false, false },
	{ "special_needs", false, false, false },  { "industry", false, true, false },
	{ "nature", false, true, false },
	/* issue 16: the competitor flag (0/1) and name, special dates, a head's
	 * ratings: the station's archive; head office keeps the changes */
	{ "competitor", true, true, true },      { "competitor_name", false, false, true },
	{ "birthday", false, false, true },      { "anniversary", false, false, true },
	{ "rating_scale", true, false, true },   { "rating_credit", true, false, true },
	{ "rating_influence", true, false, true },
};
#define EDITABLE_COUNT (sizeof editable / sizeof editable[0])

typedef enum { R_NEW, R_DUPLICATE, R_REJECTED } rec_state;

typedef struct rec {
	json_t *obj;            /* the whole line */
	const char *line;       /* its text in the body (not NUL-terminated) */
	size_t len;
	const char *id;         /* "" when missing */
	int64_t seq;            /* 0 when missing or bad */
	const type_spec *type;  /* NULL when unknown */
	rec_state state;
	const char *code;       /* customer code the record needs, or NULL */
	char reject_code[24];
	char message[300];
} rec;

typedef struct batch {
	PGconn *db;
	const char *station;
	const char *timezone; /* half-years of litres are the stations' local ones */
	char *rows;           /* the new records as a JSON array (apply_new) */
	bool locked;          /* the master lock is held */
	int64_t station_seq;  /* the station's contiguous seq when the batch began */
	char *seen;           /* its waiting seqs above it, "1,2,3" (seen_seqs) */
	rec *recs;
	size_t n;
	fc_error *err;
} batch;

static void reject(rec *r, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void reject(rec *r, const char *code, const char *fmt, ...)
{
	if (r->state == R_REJECTED)
		return;
	r->state = R_REJECTED;
	snprintf(r->reject_code, sizeof r->reject_code, "%s", code);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	va_end(ap);
}

static bool is_uuid(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		char c = s[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
					(c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

static bool is_card_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

/* The audit row a record carries ("audit": {"id", "action", "hash"}, kept
 * in audit_hashes): a row id, a short action, a hex SHA-256. */
static bool is_audit_ref(const json_t *a)
{
	json_t *id = json_object_get(a, "id");
	const char *action = json_string_value(json_object_get(a, "action"));
	const char *hash = json_string_value(json_object_get(a, "hash"));
	if (!json_is_object(a) || !json_is_integer(id) || json_integer_value(id) < 1 || !action ||
	    strlen(action) > 64 || !hash || strlen(hash) != 64)
		return false;
	for (const char *p = hash; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* No control characters in stored text (they would reach other screens). */
static bool clean_text(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			return false;
	return true;
}

static const char *type_name(field_type t)
{
	static const char *const names[] = { "a string", "a whole number", "true or false",
					     "an object", "an array" };
	return names[t];
}

/* Check data against the type's fields; reject r on the first bad one. */
static void check_fields(rec *r, json_t *data)
{
	for (const field_spec *f = r->type->fields; f->name; f++) {
		json_t *v = json_object_get(data, f->name);
		if (!v || json_is_null(v)) {
			if (f->required)
				reject(r, "bad_field", "%s: field '%s' is missing", r->type->type,
				       f->name);
			continue;
		}
		bool ok;
		switch (f->type) {
		case F_STR:
			ok = json_is_string(v);
			if (ok) {
				size_t len = json_string_length(v);
				if (len > (size_t)f->max || len < (size_t)f->min ||
				    !clean_text(json_string_value(v))) {
					reject(r, "bad_field",
					       "%s: field '%s' must be %s1..%" PRId64
					       " bytes of text without control characters",
					       r->type->type, f->name, f->min ? "" : "0 or ", f->max);
					return;
				}
			}
			break;
		case F_INT:
			ok = json_is_integer(v) && json_integer_value(v) >= f->min &&
			     json_integer_value(v) <= f->max;
			if (!ok) {
				reject(r, "bad_field",
				       "%s: field '%s' must be a whole number %" PRId64 "..%" PRId64,
				       r->type->type, f->name, f->min, f->max);
				return;
			}
			break;
		case F_BOOL:
			ok = json_is_boolean(v);
			break;
		case F_OBJ:
			ok = json_is_object(v);
			break;
		case F_ARR:
			ok = json_is_array(v);
			break;
		default:
			ok = false;
		}
		if (!ok) {
			reject(r, "bad_field", "%s: field '%s' must be %s", r->type->type, f->name,
			       type_name(f->type));
			return;
		}
	}
}

static const char *data_str(json_t *data, const char *key)
{
	return json_string_value(json_object_get(data, key));
}

/* A string field of data, "" when it is missing or null. */
static const char *data_text(json_t *data, const char *key)
{
	const char *v = data_str(data, key);
	return v ? v : "";
}

/* The type-specific rules beyond field types. */
static void check_rules(rec *r, json_t *data)
{
	const char *t = r->type->type;
	fc_nature nature;
	fc_tier tier;
	if (strcmp(t, "visit") == 0) {
		bool anonymous = json_is_true(json_object_get(data, "anonymous"));
		r->code = data_str(data, "customer_code");
		if (!anonymous && !r->code)
			reject(r, "bad_field", "visit: field 'customer_code' is missing (and the "
					       "visit is not anonymous)");
		const char *card = data_str(data, "card");
		if (card && !is_card_id(card))
			reject(r, "bad_field", "visit: field 'card' is not uppercase hex");
	} else if (strcmp(t, "redemption") == 0) {
		r->code = data_str(data, "customer_code");
		if (!is_card_id(data_str(data, "card")))
			reject(r, "bad_field", "redemption: field 'card' is not uppercase hex");
	} else if (strcmp(t, "customer_registered") == 0) {
		const char *n = data_str(data, "nature"), *ti = data_str(data, "tier");
		const char *ind = data_str(data, "industry"), *card = data_str(data, "card");
		const char *kind = data_str(data, "card_kind");
		fc_industry industry;
		if (!nature_parse(n, &nature))
			reject(r, "bad_field", "customer_registered: field 'nature': '%s' is not big "
					       "or individual", n);
		else if (ti && !tier_parse(ti, nature, &tier))
			reject(r, "bad_field", "customer_registered: field 'tier': '%s' is not a "
					       "tier of a %s customer", ti, n);
		else if (ind && !industry_parse(ind, &industry))
			reject(r, "bad_field", "customer_registered: field 'industry': '%s' is not "
					       "a known industry", ind);
		else if (card && !is_card_id(card))
			reject(r, "bad_field", "customer_registered: field 'card' is not uppercase "
					       "hex");
		else if (card && kind && strcmp(kind, "unit") && strcmp(kind, "personal"))
			reject(r, "bad_field", "customer_registered: field 'card_kind': '%s' is "
					       "not unit or personal", kind);
	} else if (strcmp(t, "customer_changed") == 0) {
		const char *action = data_str(data, "action");
		if (strcmp(action, "edit") == 0)
			r->code = data_str(data, "customer_code");
		else if (strcmp(action, "register") != 0)
			reject(r, "bad_field", "customer_changed: field 'action': '%s' is not edit "
					       "or register", action);
		json_t *changes = json_object_get(data, "changes"), *ch;
		size_t i;
		json_array_foreach(changes, i, ch) {
			const char *field = data_str(ch, "field");
			json_t *nv = json_object_get(ch, "new");
			size_t k = 0;
			while (field && k < EDITABLE_COUNT && strcmp(editable[k].field, field))
				k++;
			if (!field || k == EDITABLE_COUNT) {
				reject(r, "bad_field", "customer_changed: change %zu: field '%s' "
						       "cannot be changed by a station",
				       i + 1, field ? field : "(none)");
				break;
			}
			const char *v = json_string_value(nv);
			if (!(json_is_null(nv) || v) || (!v && editable[k].required) ||
			    (v && (strlen(v) > 400 || !clean_text(v)))) {
				reject(r, "bad_field", "customer_changed: change %zu: '%s' needs a "
						       "text value of at most 400 bytes",
				       i + 1, field);
				break;
			}
			if (v && editable[k].number &&
			    (!*v || strlen(v) > 12 || strspn(v, "0123456789") != strlen(v))) {
				reject(r, "bad_field", "customer_changed: change %zu: '%s' must be a "
						       "whole number >= 0",
				       i + 1, field);
				break;
			}
			fc_industry industry;
			if (strcmp(field, "industry") == 0 && !industry_parse(v, &industry))
				reject(r, "bad_field", "customer_changed: '%s' is not a known "
						       "industry", v);
			if (strcmp(field, "nature") == 0 && !nature_parse(v, &nature))
				reject(r, "bad_field", "customer_changed: '%s' is not big or "
						       "individual", v);
		}
	} else if (strcmp(t, "composite_evaluated") == 0) {
		r->code = data_str(data, "customer_code");
		const char *k = data_str(data, "class");
		if (strcmp(k, "A") && strcmp(k, "B") && strcmp(k, "C"))
			reject(r, "bad_field", "composite_evaluated: field 'class': '%s' is not A, B "
					       "or C", k);
	} else if (strcmp(t, "callback") == 0 || strcmp(t, "visit_report") == 0 ||
		   strcmp(t, "tier_changed") == 0) {
		r->code = data_str(data, "customer_code");
		fc_loss_reason reason;
		const char *why = data_str(data, "loss_reason");
		if (strcmp(t, "tier_changed") != 0 && why && !loss_reason_parse(why, &reason))
			reject(r, "bad_field", "%s: field 'loss_reason': '%s' is not known", t, why);
		if (strcmp(t, "callback") == 0) {
			fc_callback_method m;
			if (!callback_method_parse(data_str(data, "method"), &m))
				reject(r, "bad_field", "callback: field 'method': '%s' is not known",
				       data_str(data, "method"));
		}
		if (strcmp(t, "visit_report") == 0) { /* issue 16: the visit form */
			const char *so = data_str(data, "signoff");
			if (so && *so && strcmp(so, "none") && strcmp(so, "signed") && strcmp(so, "sealed") &&
			    strcmp(so, "both"))
				reject(r, "bad_field", "visit_report: field 'signoff': '%.40s' is not "
				       "none, signed, sealed or both", so);
		}
	} else if (strcmp(t, "complaint") == 0) {
		fc_severity sev;
		const char *kind = data_text(data, "kind");
		bool suggestion = strcmp(kind, "suggestion") == 0;
		if (*kind && !suggestion && strcmp(kind, "complaint") != 0)
			reject(r, "bad_field", "complaint: field 'kind': '%s' is not complaint or "
					       "suggestion", kind);
		else if (suggestion && (*data_text(data, "severity") || *data_text(data, "deadline")))
			reject(r, "bad_field", "complaint: a suggestion has no severity and no "
					       "deadline");
		else if (!suggestion && !severity_parse(data_text(data, "severity"), &sev))
			reject(r, "bad_field", "complaint: field 'severity': '%s' is not known",
			       data_text(data, "severity"));
		fc_approver level;
		if (*data_text(data, "approval_level") &&
		    !approver_parse(data_text(data, "approval_level"), &level))
			reject(r, "bad_field", "complaint: field 'approval_level': '%s' is not known",
			       data_text(data, "approval_level"));
	} else if (strcmp(t, "complaint_update") == 0) {
		const char *kind = data_text(data, "kind"), *how = data_text(data, "told_how");
		bool known = false;
		fc_callback_method m;
		fc_approver level;
		for (size_t i = 0; i < sizeof complaint_update_kinds / sizeof *complaint_update_kinds; i++)
			known |= strcmp(kind, complaint_update_kinds[i]) == 0;
		if (!is_uuid(data_text(data, "complaint_id")))
			reject(r, "bad_field", "complaint_update: field 'complaint_id' is not a "
					       "record id");
		else if (!known)
			reject(r, "bad_field", "complaint_update: field 'kind': '%s' is not known", kind);
		else if (*how && !callback_method_parse(how, &m))
			reject(r, "bad_field", "complaint_update: field 'told_how': '%s' is not known",
			       how);
		else if (*data_text(data, "level") && !approver_parse(data_text(data, "level"), &level))
			reject(r, "bad_field", "complaint_update: field 'level': '%s' is not known",
			       data_text(data, "level"));
	} else if (strcmp(t, "feedback") == 0) {
		const char *vid = data_str(data, "visit_id");
		if (vid && !is_uuid(vid))
			reject(r, "bad_field", "feedback: field 'visit_id' is not a record id");
	} else if (strcmp(t, "staff_changed") == 0) {
		fc_role role;
		if (!role_parse(data_str(data, "role"), &role))
			reject(r, "bad_field", "staff_changed: field 'role': '%s' is not attendant, "
					       "head or admin", data_str(data, "role"));
	} else if (strcmp(t, "owner_proposed") == 0) {
		r->code = data_str(data, "customer_code");
	} else if (strcmp(t, "blocked_card_seen") == 0) {
		if (!is_card_id(data_str(data, "card")))
			reject(r, "bad_field", "blocked_card_seen: field 'card' is not uppercase hex");
	}
}

/* The envelope: id, station, seq, type, created_at, staff, data. */
static void check_record(rec *r, const char *station)
{
	json_t *o = r->obj;
	json_t *id = json_object_get(o, "id");
	r->id = json_is_string(id) ? json_string_value(id) : "";
	if (!is_uuid(r->id)) {
		reject(r, "bad_field", "field 'id' must be a record id (UUID)");
		return;
	}
	const char *st = json_string_value(json_object_get(o, "station"));
	if (!st || strcmp(st, station) != 0) {
		reject(r, "station_mismatch",
		       "record of station '%.40s' posted as station '%s': a token posts only as "
		       "its own station",
		       st ? st : "(none)", station);
		return;
	}
	json_t *seq = json_object_get(o, "seq");
	if (!json_is_integer(seq) || json_integer_value(seq) < 1) {
		reject(r, "bad_field", "field 'seq' must be a whole number >= 1");
		return;
	}
	r->seq = json_integer_value(seq);
	const char *type = json_string_value(json_object_get(o, "type"));
	for (size_t i = 0; type && i < TYPE_COUNT; i++)
		if (strcmp(types[i].type, type) == 0)
			r->type = &types[i];
	if (!r->type) {
		reject(r, "unknown_type", "type '%.40s' is not a record type head office knows",
		       type ? type : "(none)");
		return;
	}
	const char *created = json_string_value(json_object_get(o, "created_at"));
	int64_t ms;
	if (!created || !clock_parse_iso(created, &ms)) {
		reject(r, "bad_field", "field 'created_at' must be a UTC time like "
				       "2026-12-06T08:30:00.000Z");
		return;
	}
	json_t *staff = json_object_get(o, "staff");
	if (staff && !json_is_null(staff) &&
	    (!json_is_integer(staff) || json_integer_value(staff) < 1)) {
		reject(r, "bad_field", "field 'staff' must be a staff number >= 1");
		return;
	}
	json_t *audit = json_object_get(o, "audit");
	if (audit && !is_audit_ref(audit)) {
		reject(r, "bad_field", "field 'audit' must be {\"id\": a row number >= 1, "
				       "\"action\": text, \"hash\": 64 hex digits}");
		return;
	}
	json_t *data = json_object_get(o, "data");
	if (!json_is_object(data)) {
		reject(r, "bad_field", "field 'data' must be an object");
		return;
	}
	check_fields(r, data);
	if (r->state != R_REJECTED)
		check_rules(r, data);
}

/* Split body into lines and parse each: 400/413 with the line on error. */
static bool parse_body(const char *body, size_t len, const hq_ingest_limits *lim, rec **out,
		       size_t *count, hq_ingest_result *res)
{
	size_t cap = 64, n = 0;
	rec *recs = calloc(cap, sizeof *recs);
	int64_t line = 0;
	char why[300] = "";
	int status = 0;
	for (size_t pos = 0; recs && pos < len && !status;) {
		const char *start = body + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - start) : len - pos;
		pos += ll + (nl ? 1 : 0);
		line++;
		if (ll && start[ll - 1] == '\r')
			ll--;
		if (ll == 0)
			continue;
		if (ll > lim->line_max) {
			status = 400;
			snprintf(why, sizeof why, "line %" PRId64 ": %zu bytes, more than the %zu a "
						  "line may have", line, ll, lim->line_max);
			break;
		}
		if (n == lim->batch_max) {
			status = 413;
			snprintf(why, sizeof why, "more than %zu records in one request",
				 lim->batch_max);
			break;
		}
		json_error_t jerr;
		json_t *o = json_loadb(start, ll, JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK,
				       &jerr);
		if (o && jerr.position < (int)ll) {
			/* something after the object on the same line */
			size_t rest = (size_t)jerr.position;
			while (rest < ll && (start[rest] == ' ' || start[rest] == '\t'))
				rest++;
			if (rest < ll) {
				json_decref(o);
				o = NULL;
				snprintf(jerr.text, sizeof jerr.text, "more than one JSON value");
				jerr.column = (int)rest + 1;
			}
		}
		if (!o || !json_is_object(o)) {
			status = 400;
			snprintf(why, sizeof why, "line %" PRId64 ": %s (column %d)", line,
				 o ? "not a JSON object" : jerr.text, o ? 1 : jerr.column);
			json_decref(o);
			break;
		}
		if (n == cap) {
			rec *more = realloc(recs, 2 * cap * sizeof *recs);
			if (!more) {
				json_decref(o);
				free(recs);
				recs = NULL;
				break;
			}
			recs = more;
			memset(recs + cap, 0, cap * sizeof *recs);
			cap *= 2;
		}
		recs[n].line = start;
		recs[n].len = ll;
		recs[n++].obj = o;
	}
	if (!recs || status) {
		for (size_t i = 0; recs && i < n; i++)
			json_decref(recs[i].obj);
		free(recs);
		res->http_status = recs || status ? status : 500;
		res->reply = json_pack("{s:s}", "error", status ? why : "out of memory");
		return false;
	}
	*out = recs;
	*count = n;
	return true;
}

/* Which customer codes exist: mark records whose code is unknown (codes
 * registered earlier in the same batch count as known). */
static fc_status check_customers(batch *b)
{
	json_t *codes = json_array();
	for (size_t i = 0; i < b->n; i++)
		if (b->recs[i].state == R_NEW && b->recs[i].code)
			json_array_append_new(codes, json_string(b->recs[i].code));
	if (!json_array_size(codes)) {
		json_decref(codes);
		return FC_OK;
	}
	char *text = json_dumps(codes, JSON_COMPACT);
	json_decref(codes);
	if (!text)
		return fc_error_set(b->err, FC_ERR_NOMEM, "out of memory");
	const char *p[] = { text };
	PGresult *r;
	fc_status s = hq_db_query(b->db, "looking up customers",
				  "SELECT DISTINCT c.code FROM jsonb_array_elements_text($1::jsonb) v "
				  "JOIN customers c ON c.code = v.value",
				  1, p, &r, b->err);
	free(text);
	if (s)
		return s;
	json_t *known = json_object();
	for (int i = 0; i < PQntuples(r); i++)
		json_object_set_new(known, PQgetvalue(r, i, 0), json_true());
	PQclear(r);
	for (size_t i = 0; i < b->n; i++) {
		rec *x = &b->recs[i];
		if (x->state != R_NEW)
			continue;
		json_t *data = json_object_get(x->obj, "data");
		if (strcmp(x->type->type, "customer_registered") == 0) {
			json_object_set_new(known, data_str(data, "code"), json_true());
		} else if (strcmp(x->type->type, "customer_changed") == 0 &&
			   strcmp(data_str(data, "action"), "register") == 0) {
			json_object_set_new(known, data_str(data, "customer_code"), json_true());
		}
		if (x->code && !json_object_get(known, x->code))
			reject(x, "unknown_customer",
			       "%s: customer '%.64s' is not in head office's archive", x->type->type,
			       x->code);
	}
	json_decref(known);
	return FC_OK;
}

/* Ids already stored (duplicates) and seqs taken by another id. */
static fc_status check_stored(batch *b)
{
	json_t *ids = json_array(), *seqs = json_array();
	for (size_t i = 0; i < b->n; i++)
		if (b->recs[i].state == R_NEW) {
			json_array_append_new(ids, json_string(b->recs[i].id));
			json_array_append_new(seqs, json_integer(b->recs[i].seq));
		}
	char *ids_text = json_dumps(ids, JSON_COMPACT), *seqs_text = json_dumps(seqs, JSON_COMPACT);
	json_decref(ids);
	json_decref(seqs);
	fc_status s = FC_OK;
	PGresult *r = NULL;
	if (!ids_text || !seqs_text)
		s = fc_error_set(b->err, FC_ERR_NOMEM, "out of memory");
	const char *p[] = { ids_text, seqs_text, b->station };
	if (!s)
		s = hq_db_query(b->db, "looking up stored records",
				"SELECT id::text, station, seq FROM records WHERE id IN "
				"(SELECT value::uuid FROM jsonb_array_elements_text($1::jsonb)) "
				"UNION SELECT id::text, station, seq FROM records WHERE station = $3 "
				"AND seq IN (SELECT value::bigint FROM jsonb_array_elements_text($2::jsonb))",
				3, p, &r, b->err);
	free(ids_text);
	free(seqs_text);
	if (s)
		return s;
	json_t *by_id = json_object(), *by_seq = json_object();
	for (int i = 0; i < PQntuples(r); i++) {
		json_object_set_new(by_id, PQgetvalue(r, i, 0),
				    json_pack("{s:s, s:s}", "station", PQgetvalue(r, i, 1), "seq",
					      PQgetvalue(r, i, 2)));
		if (strcmp(PQgetvalue(r, i, 1), b->station) == 0)
			json_object_set_new(by_seq, PQgetvalue(r, i, 2),
					    json_string(PQgetvalue(r, i, 0)));
	}
	PQclear(r);
	for (size_t i = 0; i < b->n; i++) {
		rec *x = &b->recs[i];
		if (x->state != R_NEW)
			continue;
		char lower[37], seqtext[24];
		for (int k = 0; k < 37; k++)
			lower[k] = (char)(x->id[k] >= 'A' && x->id[k] <= 'F' ? x->id[k] + 32 : x->id[k]);
		snprintf(seqtext, sizeof seqtext, "%" PRId64, x->seq);
		json_t *same = json_object_get(by_id, lower);
		const char *taken = json_string_value(json_object_get(by_seq, seqtext));
		if (same) {
			const char *st = data_str(same, "station");
			if (strcmp(st, b->station) != 0)
				reject(x, "id_conflict", "record id %s is already stored for station "
							 "'%s'", x->id, st);
			else
				x->state = R_DUPLICATE;
		} else if (taken) {
			reject(x, "seq_conflict",
			       "seq %" PRId64 " of station '%s' is already stored with record id %s",
			       x->seq, b->station, taken);
		} else {
			/* later records of this batch see this one as stored */
			json_object_set_new(by_id, lower,
					    json_pack("{s:s}", "station", b->station));
			json_object_set_new(by_seq, seqtext, json_string(lower));
		}
	}
	json_decref(by_id);
	json_decref(by_seq);
	return FC_OK;
}

/* Every table a new record writes, in one statement. */
static const char apply_sql[] =
	"WITH r AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, seq bigint, "
	"  type text, created_at timestamptz, staff bigint, data jsonb, audit jsonb)), "
	"ins AS (INSERT INTO records(id, station, seq, type, created_at, staff, data) "
	"  SELECT id, $2, seq, type, created_at, staff, data FROM r RETURNING id), "
	"v AS (INSERT INTO visits(record_id, station, created_at, customer_code, card, pump, "
	"  grade, volume_ml, amount_fen, price_fen_per_litre, discount_fen, points_earned, "
	"  won_back, tier) SELECT id, $2, created_at, data->>'customer_code', data->>'card', "
	"  (data->>'pump')::int, data->>'grade', (data->>'volume_ml')::bigint, "
	"  (data->>'amount_fen')::bigint, (data->>'price_fen_per_litre')::bigint, "
	"  (data->>'discount_fen')::bigint, (data->>'points_earned')::bigint, "
	"  coalesce((data->>'won_back')::boolean, false), data->>'tier' "
	"  FROM r WHERE type = 'visit'), "
	"l AS (INSERT INTO points_ledger(record_id, customer_code, station, seq, delta, created_at) "
	"  SELECT id, data->>'customer_code', $2, seq, CASE type WHEN 'visit' THEN "
	"  (data->>'points_earned')::bigint ELSE -(data->>'points')::bigint END, created_at "
	"  FROM r WHERE (type = 'visit' AND data->>'customer_code' IS NOT NULL AND "
	"  (data->>'points_earned')::bigint <> 0) OR type = 'redemption'), "
	"rd AS (INSERT INTO redemptions(record_id, station, created_at, customer_code, card, "
	"  points, value_fen, local_date) SELECT id, $2, created_at, data->>'customer_code', "
	"  data->>'card', (data->>'points')::bigint, (data->>'value_fen')::bigint, "
	"  CASE WHEN data->>'local_date' ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN "
	"  (data->>'local_date')::date END FROM r WHERE type = 'redemption'), "
	"rg AS (INSERT INTO registrations(record_id, station, created_at, customer_code, card) "
	"  SELECT id, $2, created_at, data->>'code', data->>'card' FROM r "
	"  WHERE type = 'customer_registered'), "
	"cc AS (INSERT INTO customer_changes(record_id, station, created_at, customer_code, "
	"  action, changes) SELECT id, $2, created_at, data->>'customer_code', "
	"  data->>'action', data->'changes' FROM r WHERE type = 'customer_changed'), "
	"co AS (INSERT INTO complaints(id, station, created_at, received_at, channel, "
	"  customer_code, customer_name, category, severity, approved_by, content, deadline, "
	"  status, kind, approval_level) SELECT id, $2, created_at, data->>'received_at', "
	"  data->>'channel', data->>'customer_code', data->>'customer_name', "
	"  data->>'category', data->>'severity', data->>'approved_by', data->>'content', "
	"  data->>'deadline', coalesce(data->>'status', 'open'), "
	"  coalesce(data->>'kind', 'complaint'), data->>'approval_level' "
	"  FROM r WHERE type = 'complaint'), "
	"cu AS (INSERT INTO complaint_updates(record_id, complaint_id, station, created_at, kind, "
	"  result, handler, remarks, new_severity, new_deadline, approved_by, reason, level, "
	"  level_no, told_by, told_how, happened_at, status) "
	"  SELECT id, (data->>'complaint_id')::uuid, $2, created_at, data->>'kind', "
	"  data->>'result', data->>'handler', data->>'remarks', data->>'new_severity', "
	"  data->>'new_deadline', data->>'approved_by', data->>'reason', data->>'level', "
	"  (data->>'level_no')::int, data->>'told_by', data->>'told_how', "
	"  data->>'happened_at', data->>'status' FROM r "
	"  WHERE type = 'complaint_update'), "
	"cb AS (INSERT INTO callbacks(record_id, station, created_at, customer_code, method, "
	"  contact, notes) SELECT id, $2, created_at, data->>'customer_code', data->>'method', "
	"  data->>'contact', data->>'notes' FROM r WHERE type = 'callback'), "
	"vr AS (INSERT INTO visit_reports(record_id, station, created_at, customer_code, "
	"  report_date, scores, suggestions, contact_name, contact_title, contact_phone, "
	"  principal_mobile, business_name, business_title, business_phone, business_mobile, "
	"  legal_person, unit_address, market, service_feedback, needs, signoff) "
	"  SELECT id, $2, created_at, data->>'customer_code', data->>'report_date', "
	"  jsonb_build_object('quality', data->'quality', 'attitude', data->'attitude', "
	"  'renown', data->'renown'), data->>'suggestions', data->>'contact_name', "
	"  data->>'contact_title', data->>'contact_phone', "
	/* issue 16: the visit form; "" (not given) is stored NULL */
	"  nullif(data->>'principal_mobile', ''), nullif(data->>'business_name', ''), "
	"  nullif(data->>'business_title', ''), nullif(data->>'business_phone', ''), "
	"  nullif(data->>'business_mobile', ''), nullif(data->>'legal_person', ''), "
	"  nullif(data->>'unit_address', ''), nullif(data->>'market', ''), "
	"  nullif(data->>'service_feedback', ''), nullif(data->>'needs', ''), "
	"  nullif(data->>'signoff', '') FROM r WHERE type = 'visit_report'), "
	"fb AS (INSERT INTO feedback(record_id, station, created_at, visit_id, rating, comment) "
	"  SELECT id, $2, created_at, (data->>'visit_id')::uuid, (data->>'rating')::int, "
	"  data->>'comment' FROM r WHERE type = 'feedback'), "
	"be AS (INSERT INTO blocked_events(record_id, station, created_at, card, customer_code, "
	"  reason, seen_where) SELECT id, $2, created_at, data->>'card', "
	"  data->>'customer_code', data->>'reason', data->>'where' FROM r "
	"  WHERE type = 'blocked_card_seen'), "
	"tc AS (INSERT INTO tier_changes(record_id, station, created_at, customer_code, nature, "
	"  old_tier, new_tier, source, period, volume_ml) SELECT id, $2, created_at, "
	"  data->>'customer_code', data->>'nature', data->>'old_tier', data->>'new_tier', "
	"  data->>'source', data->>'period', (data->>'volume_ml')::bigint FROM r "
	"  WHERE type = 'tier_changed'), "
	/* every audit row's hash: in the record's line, or (stations before
	 * issue 15) in the data of a record of type audit */
	"au AS (INSERT INTO audit_hashes(record_id, station, created_at, audit_id, action, "
	"  detail, hash) SELECT id, $2, created_at, coalesce((audit->>'id')::bigint, "
	"  (data->>'audit_id')::bigint), coalesce(audit->>'action', data->>'action'), "
	"  CASE type WHEN 'audit' THEN data->>'detail' END, coalesce(audit->>'hash', "
	"  data->>'hash') FROM r WHERE type = 'audit' OR audit IS NOT NULL) "
	"SELECT count(*) FROM ins";

/* The new records as apply_sql's $1: their lines as posted, joined into
 * one JSON array (jsonb_to_recordset takes the envelope's keys it names and
 * ignores "station"; a missing staff or audit is NULL), so no record is
 * serialised again. */
static fc_status apply_new(batch *b, int64_t *applied)
{
	size_t size = 3;
	*applied = 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->recs[i].state == R_NEW) {
			size += b->recs[i].len + 1;
			++*applied;
		}
	if (!*applied)
		return FC_OK;
	char *rows = malloc(size), *w = rows;
	if (!rows)
		return fc_error_set(b->err, FC_ERR_NOMEM, "out of memory");
	*w++ = '[';
	for (size_t i = 0; i < b->n; i++) {
		rec *x = &b->recs[i];
		if (x->state != R_NEW)
			continue;
		if (w > rows + 1)
			*w++ = ',';
		memcpy(w, x->line, x->len);
		w += x->len;
	}
	*w++ = ']';
	*w = '\0';
	b->rows = rows;
	const char *p[] = { b->rows, b->station };
	return hq_db_query(b->db, "storing the records", apply_sql, 2, p, NULL, b->err);
}

/* Set the column of an archive change ($3 the value, NULL clears it). */
static fc_status apply_edit(batch *b, const char *code, const char *field, const char *value,
			    const char *version)
{
	char sql[400];
	bool number = false;
	for (size_t k = 0; k < EDITABLE_COUNT; k++)
		if (strcmp(editable[k].field, field) == 0) {
			if (editable[k].record_only)
				return FC_OK;
			number = editable[k].number;
		}
	if (strcmp(field, "nature") == 0)
		snprintf(sql, sizeof sql,
			 "UPDATE customers SET nature = $2, tier = CASE WHEN $2 = 'big' AND tier IN "
			 "('diamond','gold','silver','ordinary') OR $2 = 'individual' AND tier IN "
			 "('platinum','gold','silver','ordinary') THEN tier ELSE 'ordinary' END, "
			 "version = $3::bigint, updated_at = now() WHERE code = $1");
	else
		snprintf(sql, sizeof sql,
			 "UPDATE customers SET %s = $2%s, version = $3::bigint, updated_at = now() "
			 "WHERE code = $1",
			 field, number ? "::bigint" : "");
	const char *p[] = { code, value, version };
	return hq_db_query(b->db, "changing a customer", sql, 3, p, NULL, b->err);
}

static fc_status next_version(batch *b, char *buf, size_t n)
{
	return hq_db_value(b->db, "drawing a master version",
			   "SELECT nextval('master_version_seq')", 0, NULL, buf, n, b->err);
}

/* The master lock, once per batch, before the first version is drawn. */
static fc_status master_lock(batch *b)
{
	if (b->locked)
		return FC_OK;
	b->locked = true;
	return hq_db_master_lock(b->db, b->err);
}

/* A head's proposal: the owner must be active staff of the home station. */
static fc_status apply_owner(batch *b, json_t *d, const char *version)
{
	char staff[24];
	snprintf(staff, sizeof staff, "%" JSON_INTEGER_FORMAT,
		 json_integer_value(json_object_get(d, "staff")));
	const char *p[] = { data_str(d, "customer_code"), staff, version };
	return hq_db_query(b->db, "naming the owner",
			   "UPDATE customers c SET owner_staff = s.staff, owner_name = s.name, "
			   "owner_manual = true, version = $3::bigint, updated_at = now() FROM staff s "
			   "WHERE c.code = $1 AND s.station = c.home_station AND s.staff = $2::bigint "
			   "AND s.active",
			   3, p, NULL, b->err);
}

/* Registrations and archive changes, in seq order, under the master lock. */
static fc_status apply_master(batch *b)
{
	fc_status s = FC_OK;
	for (size_t i = 0; !s && i < b->n; i++) {
		rec *x = &b->recs[i];
		if (x->state != R_NEW || !(x->type->flags & CHANGES_MASTER))
			continue;
		s = master_lock(b);
		if (s)
			break;
		json_t *d = json_object_get(x->obj, "data");
		char version[32];
		s = next_version(b, version, sizeof version);
		if (s)
			break;
		if (strcmp(x->type->type, "customer_registered") == 0) {
			const char *p[] = { data_str(d, "code"),  data_str(d, "name"),
					    data_str(d, "nature"), data_str(d, "industry"),
					    data_str(d, "tier"),  data_str(d, "phone"),
					    data_str(d, "plate"), b->station,
					    version };
			s = hq_db_query(b->db, "adding a registered customer",
					"INSERT INTO customers(code, name, nature, industry, tier, phone, "
					"plate, home_station, version) VALUES($1, $2, $3, "
					"coalesce($4, 'other'), coalesce($5, 'ordinary'), $6, $7, $8, "
					"$9::bigint) ON CONFLICT (code) DO NOTHING",
					9, p, NULL, b->err);
			const char *card = data_str(d, "card");
			if (!s && card) {
				const char *kind = data_str(d, "card_kind");
				const char *q[] = { card, data_str(d, "code"),
						    kind ? kind : (strcmp(data_str(d, "nature"), "big")
								   ? "personal" : "unit") };
				s = hq_db_query(b->db, "adding a registered card",
						"INSERT INTO cards(card_id, customer_code, card_kind, "
						"version) VALUES($1, $2, $3, "
						"nextval('master_version_seq')) "
						"ON CONFLICT (card_id) DO NOTHING",
						3, q, NULL, b->err);
			}
			continue;
		}
		if (strcmp(x->type->type, "owner_proposed") == 0) {
			s = apply_owner(b, d, version);
			continue;
		}
		/* customer_changed: register makes the customer from its changes */
		const char *code = data_str(d, "customer_code");
		json_t *changes = json_object_get(d, "changes"), *ch;
		size_t k;
		if (strcmp(data_str(d, "action"), "register") == 0) {
			const char *name = NULL, *nature = NULL;
			json_array_foreach(changes, k, ch) {
				if (strcmp(data_str(ch, "field"), "name") == 0)
					name = data_str(ch, "new");
				if (strcmp(data_str(ch, "field"), "nature") == 0)
					nature = data_str(ch, "new");
			}
			const char *p[] = { code, name ? name : code, nature ? nature : "individual",
					    b->station, version };
			s = hq_db_query(b->db, "adding a registered customer",
					"INSERT INTO customers(code, name, nature, home_station, "
					"version) VALUES($1, $2, $3, $4, $5::bigint) "
					"ON CONFLICT (code) DO NOTHING",
					5, p, NULL, b->err);
		}
		json_array_foreach(changes, k, ch) {
			if (s)
				break;
			s = apply_edit(b, code, data_str(ch, "field"), data_str(ch, "new"), version);
		}
	}
	return s;
}

/* Owners by the maintenance rule: tiers above ordinary are kept by the
 * home station's head (the branch's maintainers reach the customer through
 * them); ordinary customers by the station's staff, spread over the active
 * attendants and heads by the customer code.  Proposed owners are kept
 * while they stay active.  $1: the station, NULL for all. */
static const char assign_owners_sql[] =
	"WITH s AS (SELECT station, staff, name, role, row_number() OVER (PARTITION BY "
	"  station ORDER BY staff) - 1 AS i, count(*) OVER (PARTITION BY station) AS n "
	"  FROM staff WHERE active AND role IN ('attendant', 'head') "
	"  AND ($1::text IS NULL OR station = $1)), "
	"h AS (SELECT DISTINCT ON (station) station, staff, name FROM staff WHERE active "
	"  AND role = 'head' AND ($1::text IS NULL OR station = $1) ORDER BY station, staff), "
	"pick AS (SELECT c.code, coalesce(CASE WHEN c.tier <> 'ordinary' THEN h.staff END, "
	"  s.staff) AS staff, coalesce(CASE WHEN c.tier <> 'ordinary' THEN h.name END, "
	"  s.name) AS name FROM customers c LEFT JOIN h ON h.station = c.home_station "
	"  LEFT JOIN s ON s.station = c.home_station AND s.i = (hashtext(c.code)::bigint % s.n + s.n) % s.n "
	"  WHERE c.home_station IS NOT NULL AND ($1::text IS NULL OR c.home_station = $1) "
	"  AND (NOT c.owner_manual OR NOT EXISTS (SELECT 1 FROM staff x WHERE "
	"  x.station = c.home_station AND x.staff = c.owner_staff AND x.active))) "
	"UPDATE customers c SET owner_staff = pick.staff, owner_name = pick.name, "
	"  owner_manual = false, version = nextval('master_version_seq'), updated_at = now() "
	"  FROM pick WHERE c.code = pick.code AND pick.staff IS NOT NULL AND "
	"  (c.owner_staff IS DISTINCT FROM pick.staff OR c.owner_name IS DISTINCT FROM "
	"  pick.name)";

/* What only head office knows, from the new records of this batch: the
 * customer's last purchase anywhere and points balance, litres per
 * half-year (stations' local time), in one statement over the purchases
 * alone ($1: [{"c": code, "t": created_at, "p": points, "m": ml, "v":
 * visit?}], a few dozen bytes each, not the records' whole data); the
 * master lock is held from here to COMMIT, so this is the last statement
 * of the batch.  Each station's staff. */
static const char chain_purchases_sql[] =
	"WITH r AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(c text, t timestamptz, "
	"  p bigint, m bigint, v boolean)), "
	"m AS (SELECT c, max(t) FILTER (WHERE v) AS last, sum(p) AS points FROM r "
	"  GROUP BY 1 ORDER BY 1), "
	"u AS (UPDATE customers x SET last_purchase_at = greatest(x.last_purchase_at, m.last), "
	"  points = x.points + m.points, version = nextval('master_version_seq'), "
	"  updated_at = now() FROM m WHERE x.code = m.c), "
	"l AS (SELECT c, to_char(t AT TIME ZONE $2, 'YYYY') || CASE WHEN extract(month FROM "
	"  t AT TIME ZONE $2) <= 6 THEN 'H1' ELSE 'H2' END AS period, sum(m) AS ml FROM r "
	"  WHERE v GROUP BY 1, 2 ORDER BY 1, 2) "
	"INSERT INTO litres(customer_code, period, volume_ml, version) "
	"  SELECT c, period, ml, nextval('master_version_seq') FROM l "
	"  ON CONFLICT (customer_code, period) DO UPDATE SET "
	"  volume_ml = litres.volume_ml + EXCLUDED.volume_ml, version = EXCLUDED.version";
static const char chain_staff_sql[] =
	"INSERT INTO staff(station, staff, name, role, active) "
	"  SELECT DISTINCT ON ((data->>'staff')::bigint) $2, (data->>'staff')::bigint, "
	"  data->>'name', data->>'role', coalesce((data->>'active')::boolean, true) "
	"  FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, type text, data jsonb) "
	"  WHERE type = 'staff_changed' ORDER BY (data->>'staff')::bigint, seq DESC "
	"  ON CONFLICT (station, staff) DO UPDATE SET name = EXCLUDED.name, "
	"  role = EXCLUDED.role, active = EXCLUDED.active";

/* The new purchases of a customer (visits and redemptions with a customer
 * code) as chain_purchases_sql's $1; NULL with *none when there is none. */
static char *purchases_json(const batch *b, bool *none)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < b->n; i++) {
		const rec *x = &b->recs[i];
		if (x->state != R_NEW)
			continue;
		bool visit = strcmp(x->type->type, "visit") == 0;
		if (!visit && strcmp(x->type->type, "redemption") != 0)
			continue;
		json_t *d = json_object_get(x->obj, "data");
		const char *code = data_str(d, "customer_code");
		if (!code)
			continue;
		json_int_t points = json_integer_value(
			json_object_get(d, visit ? "points_earned" : "points"));
		json_array_append_new(
			rows, json_pack("{s:s, s:O, s:I, s:I, s:b}", "c", code, "t",
					json_object_get(x->obj, "created_at"), "p",
					visit ? points : -points, "m",
					visit ? json_integer_value(json_object_get(d, "volume_ml"))
					      : (json_int_t)0,
					"v", visit));
	}
	*none = json_array_size(rows) == 0;
	char *text = *none ? NULL : json_dumps(rows, JSON_COMPACT);
	json_decref(rows);
	return text;
}

static bool batch_has(const batch *b, const char *type)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->recs[i].state == R_NEW && strcmp(b->recs[i].type->type, type) == 0)
			return true;
	return false;
}

/* The chain's statements (staff, owners, balances and litres), then
 * COMMIT, in one round trip, under the master lock when they need it (a
 * batch that only buys holds it while the server runs one statement and
 * the COMMIT); err, else the transaction committed. */
static fc_status apply_chain_commit(batch *b, int64_t applied)
{
	bool none = true;
	char *buys = applied ? purchases_json(b, &none) : NULL;
	if (!none && !buys)
		return fc_error_set(b->err, FC_ERR_NOMEM, "out of memory");
	const char *q[] = { b->rows, b->station };
	const char *p[] = { buys, b->timezone };
	hq_db_stmt st[3];
	size_t n = 0;
	if (applied && batch_has(b, "staff_changed"))
		st[n++] = (hq_db_stmt){ "keeping the station's staff", chain_staff_sql, 2, q };
	if (applied && (batch_has(b, "staff_changed") || batch_has(b, "customer_registered") ||
			batch_has(b, "customer_changed")))
		st[n++] = (hq_db_stmt){ "naming owners", assign_owners_sql, 1, q + 1 };
	if (buys)
		st[n++] = (hq_db_stmt){ "updating chain balances and litres", chain_purchases_sql,
					2, p };
	fc_status s = hq_db_finish_locked(b->db, n && !b->locked, st, n, b->err);
	free(buys);
	return s;
}

static int seq_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Every seq sent (applied, duplicate or refused with a seq) counts for
 * the contiguous seq: advance it over these and the seqs already waiting
 * (b->seen, read with the station's lock), keep the rest waiting in
 * seen_seqs; one statement, after the records' own. */
static fc_status advance_seq(batch *b, int64_t applied, int64_t rejected,
			     hq_ingest_result *res)
{
	size_t cap = b->n + 1, n = 0;
	for (const char *p = b->seen; *p; p++)
		cap += *p == ',';
	int64_t *seqs = malloc(cap * sizeof *seqs);
	if (!seqs)
		return fc_error_set(b->err, FC_ERR_NOMEM, "out of memory");
	int64_t batch_max = 0;
	for (size_t i = 0; i < b->n; i++) {
		rec *x = &b->recs[i];
		bool counts = x->seq > 0 && (x->state != R_REJECTED ||
					     (strcmp(x->reject_code, "seq_conflict") != 0 &&
					      strcmp(x->reject_code, "station_mismatch") != 0 &&
					      strcmp(x->reject_code, "id_conflict") != 0));
		if (counts) {
			seqs[n++] = x->seq;
			batch_max = x->seq > batch_max ? x->seq : batch_max;
		}
	}
	size_t mine = n; /* seqs[0..mine): this batch's; the rest already waiting */
	for (char *p = b->seen; *p && n < cap;) {
		char *end;
		seqs[n++] = strtoll(p, &end, 10);
		p = *end == ',' ? end + 1 : end;
	}
	/* walk from station_seq + 1 while the seqs follow on */
	int64_t *sorted = malloc((n + 1) * sizeof *sorted);
	if (!sorted) {
		free(seqs);
		return fc_error_set(b->err, FC_ERR_NOMEM, "out of memory");
	}
	memcpy(sorted, seqs, n * sizeof *seqs);
	qsort(sorted, n, sizeof *sorted, seq_cmp);
	int64_t seq = b->station_seq;
	for (size_t i = 0; i < n && sorted[i] <= seq + 1; i++)
		seq = sorted[i] > seq ? sorted[i] : seq;
	free(sorted);
	/* this batch's seqs still above it wait in seen_seqs */
	json_t *wait = json_array();
	for (size_t i = 0; i < mine; i++)
		if (seqs[i] > seq)
			json_array_append_new(wait, json_integer(seqs[i]));
	free(seqs);
	char *text = json_dumps(wait, JSON_COMPACT);
	json_decref(wait);
	if (!text)
		return fc_error_set(b->err, FC_ERR_NOMEM, "out of memory");
	char napplied[24], nrejected[24], seqtext[24], maxtext[24];
	snprintf(napplied, sizeof napplied, "%" PRId64, applied);
	snprintf(nrejected, sizeof nrejected, "%" PRId64, rejected);
	snprintf(seqtext, sizeof seqtext, "%" PRId64, seq);
	snprintf(maxtext, sizeof maxtext, "%" PRId64, batch_max);
	const char *u[] = { b->station, seqtext, maxtext, napplied, nrejected, text };
	PGresult *r;
	fc_status s = hq_db_query(
		b->db, "advancing the station's seq",
		"WITH d AS (DELETE FROM seen_seqs WHERE station = $1 AND seq <= $2::bigint), "
		"i AS (INSERT INTO seen_seqs(station, seq) SELECT $1, v.value::bigint FROM "
		"  jsonb_array_elements_text($6::jsonb) v ON CONFLICT DO NOTHING) "
		"UPDATE stations SET station_seq = $2::bigint, max_seq = greatest(max_seq, "
		"$3::bigint, $2::bigint), records = records + $4::bigint, rejected = rejected "
		"+ $5::bigint, last_post_at = now() WHERE id = $1 RETURNING max_seq",
		6, u, &r, b->err);
	free(text);
	if (s)
		return s;
	res->station_seq = seq;
	res->max_seq = PQntuples(r) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : seq;
	PQclear(r);
	return FC_OK;
}

/* Keep what was refused, for `stats` and the operator. */
static fc_status note_rejected(batch *b)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < b->n; i++) {
		rec *x = &b->recs[i];
		if (x->state == R_REJECTED)
			json_array_append_new(
				rows, json_pack("{s:s, s:o, s:o, s:s, s:s}", "id", x->id, "seq",
						x->seq ? json_integer(x->seq) : json_null(), "type",
						x->type ? json_string(x->type->type) : json_null(),
						"code", x->reject_code, "message", x->message));
	}
	fc_status s = FC_OK;
	if (json_array_size(rows)) {
		char *text = json_dumps(rows, JSON_COMPACT);
		const char *p[] = { text, b->station };
		s = text ? hq_db_query(b->db, "noting refused records",
				       "INSERT INTO rejected(station, id, seq, type, code, message) "
				       "SELECT DISTINCT ON (id) $2, id, seq, type, code, message FROM "
				       "jsonb_to_recordset($1::jsonb) AS r(id text, seq bigint, type "
				       "text, code text, message text) ON CONFLICT (station, id) DO "
				       "UPDATE SET code = EXCLUDED.code, message = EXCLUDED.message, "
				       "received_at = now()",
				       2, p, NULL, b->err)
			 : fc_error_set(b->err, FC_ERR_NOMEM, "out of memory");
		free(text);
	}
	json_decref(rows);
	return s;
}

/* One batch of a station at a time: its row locked to COMMIT, and with it
 * the seq state (station_seq, the waiting seqs) read. */
static fc_status lock_station(batch *b)
{
	const char *p[] = { b->station };
	PGresult *r;
	fc_status s = hq_db_query(b->db, "locking the station",
				  "SELECT id FROM stations WHERE id = $1 FOR UPDATE", 1, p, &r,
				  b->err);
	if (s)
		return s;
	PQclear(r);
	/* a statement of its own, after the lock: its snapshot sees what the
	 * batch before (the one the lock waited for) committed */
	s = hq_db_query(b->db, "reading the station's seq",
			"SELECT station_seq, coalesce((SELECT string_agg(seq::text, ',') "
			"FROM seen_seqs WHERE station = $1), '') FROM stations WHERE id = $1",
			1, p, &r, b->err);
	if (s)
		return s;
	if (PQntuples(r) == 1) {
		b->station_seq = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		b->seen = strdup(PQgetvalue(r, 0, 1));
	} else {
		b->seen = strdup("");
	}
	PQclear(r);
	return b->seen ? FC_OK : fc_error_set(b->err, FC_ERR_NOMEM, "out of memory");
}

/* The records and what only they touch first, with other stations' batches
 * running alongside; then what takes the master lock (registrations,
 * archive changes, the chain's balances and litres), held only from there
 * to COMMIT, since every batch that buys or changes master data waits for
 * it. */
static fc_status apply_batch(batch *b, hq_ingest_result *res)
{
	fc_status s = hq_db_begin(b->db, b->err);
	if (!s)
		s = lock_station(b);
	if (!s)
		s = check_stored(b);
	if (!s)
		s = check_customers(b);
	int64_t applied = 0, rejected = 0, dups = 0;
	for (size_t i = 0; i < b->n; i++) {
		rejected += b->recs[i].state == R_REJECTED;
		dups += b->recs[i].state == R_DUPLICATE;
	}
	if (!s)
		s = apply_new(b, &applied);
	if (!s)
		s = advance_seq(b, applied, rejected, res);
	if (!s)
		s = note_rejected(b);
	if (!s)
		s = apply_master(b);
	if (!s)
		s = apply_chain_commit(b, applied);
	else
		hq_db_finish(b->db, s, b->err); /* ROLLBACK */
	if (!s) {
		res->accepted = applied;
		res->duplicates = dups;
		res->rejected = rejected;
	}
	return s;
}

fc_status hq_ingest_batch(PGconn *db, const char *station, const char *body, size_t len,
			  const hq_ingest_limits *lim, hq_ingest_result *res, fc_error *err)
{
	memset(res, 0, sizeof *res);
	rec *recs;
	size_t n;
	if (!parse_body(body, len, lim, &recs, &n, res))
		return FC_OK;
	for (size_t i = 0; i < n; i++)
		check_record(&recs[i], station);
	batch b = { .db = db, .station = station, .timezone = lim->timezone, .recs = recs, .n = n,
		    .err = err };
	fc_status s = apply_batch(&b, res);
	free(b.rows);
	free(b.seen);
	if (!s) {
		json_t *acc = json_array(), *rej = json_array();
		for (size_t i = 0; i < n; i++) {
			if (recs[i].state == R_REJECTED)
				json_array_append_new(rej, json_pack("{s:s, s:s, s:s}", "id",
								     recs[i].id, "code",
								     recs[i].reject_code, "message",
								     recs[i].message));
			else
				json_array_append_new(acc, json_string(recs[i].id));
		}
		res->http_status = 200;
		res->reply = json_pack("{s:o, s:o, s:I}", "accepted", acc, "rejected", rej,
				       "station_seq", (json_int_t)res->station_seq);
	}
	for (size_t i = 0; i < n; i++)
		json_decref(recs[i].obj);
	free(recs);
	return s;
}

/* Owners by the maintenance rule (assign_owners_sql). */
fc_status hq_ingest_assign_owners(PGconn *db, const char *station, fc_error *err)
{
	const char *p[] = { station };
	return hq_db_query(db, "naming owners", assign_owners_sql, 1, p, NULL, err);
}
