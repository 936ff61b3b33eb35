/* archive.c — viewing and editing the customer archive, registering potential
 * customers with a class-coded customer code, proposing a named owner, each
 * change in the outbox. */
#include "customers/archive.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/plate.h"
#include "base/text_check.h"
#include "base/tr.h"
#include "customers/classify.h"
#include "customers/tiers.h"
#include "staff/staff.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/record.h"

const char *const archive_fields[] = {
	"name", "contact", "phone", "address", "plate", "fuel_grades", "yearly_litres",
	"refuel_cycle_days", "other_channels", "potential_needs", "person_in_charge",
	"handler", "special_needs", "industry", "nature", "competitor", "competitor_name",
	"birthday", "anniversary", "rating_scale", "rating_credit", "rating_influence", NULL,
};

static bool field_known(const char *f)
{
	for (const char *const *p = archive_fields; *p; p++)
		if (strcmp(*p, f) == 0)
			return true;
	return false;
}

fc_status archive_show(sqlite3 *db, const char *code, archive_card *out, fc_error *err)
{
	sqlite3_stmt *st;
	char key[sizeof out->code];
	if (strlen(code) >= sizeof key)
		return fc_error_set(err, FC_ERR_NOT_FOUND, FC_TR("no customer with code '%.40s...'"), code);
	snprintf(key, sizeof key, "%s", code); /* code may be out->code */
	memset(out, 0, sizeof *out);
	fc_status s = db_prepare(db, "SELECT *, " CLASSIFY_LAST_PURCHASE_SQL " AS last_purchase_at"
				 " FROM customers c WHERE code = ?1", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(out->code, sizeof out->code, "%s", key);
		int cols = sqlite3_column_count(st);
		for (int i = 0; i < cols && out->count < sizeof out->values / sizeof out->values[0];
		     i++) {
			archive_value *v = &out->values[out->count++];
			snprintf(v->field, sizeof v->field, "%s", sqlite3_column_name(st, i));
			const unsigned char *t = sqlite3_column_text(st, i);
			snprintf(v->value, sizeof v->value, "%s", t ? (const char *)t : "");
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return fc_error_set(err, FC_ERR_NOT_FOUND, FC_TR("no customer with code '%s'"), key);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "reading the customer", err);
	return FC_OK;
}

fc_status archive_check_phone(const char *phone, fc_error *err)
{
	int digits = 0, chars = 0;
	for (const char *p = phone; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != '+' && *p != '-' && *p != ' ')
			return fc_error_set(err, FC_ERR_INVALID, FC_TR("field 'phone': '%.40s' may hold "
						  "only digits, +, - and spaces"), phone);
		chars++;
	}
	if (chars > ARCHIVE_PHONE_MAX || (chars && digits < 3))
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("field 'phone': '%.40s' is not a phone "
					  "number (3 to %d characters, digits + - space)"), phone,
				    ARCHIVE_PHONE_MAX);
	return FC_OK;
}

fc_status archive_check_plate(const char *plate, fc_error *err)
{
	char canon[PLATE_LEN];
	plate_normalise(plate, canon, sizeof canon);
	if (!plate_valid(canon))
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("field 'plate': '%.40s' is not a plate "
					  "(letters and digits, e.g. 渝A21978)"), plate);
	return FC_OK;
}

/* The range of a number field; false for other fields. */
static bool number_range(const char *f, long long *lo, long long *hi, const char **unit)
{
	if (strcmp(f, "yearly_litres") == 0) {
		*lo = 0, *hi = ARCHIVE_YEARLY_LITRES_MAX, *unit = tr_word("unit", "litres");
		return true;
	}
	if (strcmp(f, "refuel_cycle_days") == 0) {
		*lo = 1, *hi = ARCHIVE_CYCLE_DAYS_MAX, *unit = tr_word("unit", "days");
		return true;
	}
	if (strncmp(f, "rating_", 7) == 0) {
		*lo = 0, *hi = ARCHIVE_RATING_MAX, *unit = tr_word("unit", "points");
		return true;
	}
	if (strcmp(f, "competitor") == 0) {
		*lo = 0, *hi = 1, *unit = "";
		return true;
	}
	return false;
}

fc_status archive_check_field(const char *field, const char *value, fc_error *err)
{
	if (!field_known(field))
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("field '%s' cannot be edited (fields: name, "
					  "contact, phone, address, plate, fuel_grades, yearly_litres, "
					  "refuel_cycle_days, other_channels, potential_needs, "
					  "person_in_charge, handler, special_needs, industry, nature, "
					  "competitor, competitor_name, birthday, anniversary, "
					  "rating_scale, rating_credit, rating_influence)"),
				    field);
	const char *label = tr_word("field", field); /* 年需求量 in zh_CN */
	fc_status s = text_check_field(label, value, err);
	if (s)
		return s;
	if (strlen(value) >= ARCHIVE_VALUE_LEN)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("field '%s': at most %d bytes"), label,
				    ARCHIVE_VALUE_LEN - 1);
	fc_industry ind;
	fc_nature nat;
	if (strcmp(field, "industry") == 0 && !industry_parse(value, &ind))
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("field 'industry': '%s' is not one of "
					  "passenger, logistics, taxi, official, industrial, agri, other"),
				    value);
	if (strcmp(field, "nature") == 0 && !nature_parse(value, &nat))
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("field 'nature': '%s' is not big or "
					  "individual"), value);
	if (strcmp(field, "name") == 0 && !*value)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("field 'name': a customer needs a name"));
	if (strcmp(field, "phone") == 0)
		return archive_check_phone(value, err);
	if (strcmp(field, "plate") == 0)
		return archive_check_plate(value, err);
	if ((strcmp(field, "birthday") == 0 || strcmp(field, "anniversary") == 0) && *value &&
	    !archive_special_date_valid(value))
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("field '%s': '%.40s' is not a date "
					  "(MM-DD or YYYY-MM-DD, e.g. 03-15)"), label, value);
	if (strcmp(field, "competitor") == 0 && !*value)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("field '%s': 1 (buys from a competitor) "
					  "or 0"), label);
	long long lo, hi;
	const char *unit;
	if (number_range(field, &lo, &hi, &unit) && *value) {
		char *end;
		errno = 0;
		long long n = strtoll(value, &end, 10);
		if (errno || *end || value[0] < '0' || value[0] > '9')
			return fc_error_set(err, FC_ERR_INVALID, FC_TR("field '%s': '%.40s' is not a whole "
						  "number (%lld..%lld %s)"), label, value, lo, hi, unit);
		if (n < lo || n > hi)
			return fc_error_set(err, FC_ERR_INVALID, FC_TR("field '%s': %lld is out of range "
						  "%lld..%lld %s"), label, n, lo, hi, unit);
	}
	return FC_OK;
}

bool archive_special_date_valid(const char *date)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t n = strlen(date);
	const char *md = n == 10 ? date + 5 : date;
	if (n != 5 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool dash = n == 10 ? (i == 4 || i == 7) : i == 2;
		if (dash ? date[i] != '-' : (date[i] < '0' || date[i] > '9'))
			return false;
	}
	int month = (md[0] - '0') * 10 + (md[1] - '0'), day = (md[3] - '0') * 10 + (md[4] - '0');
	if (month < 1 || month > 12 || day < 1 || day > days[month - 1])
		return false;
	if (n == 10) {
		int year = atoi(date);
		bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
		if (year < 1900 || (month == 2 && day == 29 && !leap))
			return false;
	}
	return true;
}

void archive_bind_plate(sqlite3_stmt *st, int col, const char *plate)
{
	char canon[PLATE_LEN];
	plate_normalise(plate, canon, sizeof canon);
	sqlite3_bind_text(st, col, canon, -1, SQLITE_TRANSIENT);
}

static void bind_value(sqlite3_stmt *st, int i, const char *field, const char *value)
{
	long long lo, hi;
	const char *unit;
	if (!*value)
		sqlite3_bind_null(st, i);
	else if (number_range(field, &lo, &hi, &unit))
		sqlite3_bind_int64(st, i, strtoll(value, NULL, 10));
	else
		sqlite3_bind_text(st, i, value, -1, SQLITE_STATIC);
}

/* Write one field of customer id; the field name is from archive_fields. */
static fc_status write_field(sqlite3 *db, int64_t id, const char *field, const char *value,
			     const char *now, fc_error *err)
{
	char sql[200];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "UPDATE customers SET %s = ?2, updated_at = ?3 WHERE id = ?1",
		 field);
	fc_status s = db_prepare(db, sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, id);
	bind_value(st, 2, field, value);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "saving the archive", err);
	return FC_OK;
}

static fc_status queue_change(sqlite3 *db, const fc_config *cfg, int64_t staff_id,
			      const char *code, const char *action, json_t *changes, fc_error *err)
{
	fc_record rec;
	fc_status s = record_init(&rec, "customer_changed", err);
	if (s)
		return s;
	json_t *data = json_pack("{s:s, s:s, s:O}", "customer_code", code, "action", action,
				 "changes", changes);
	if (!data)
		return record_json_failed(rec.type, err);
	s = record_enqueue(db, &rec, cfg->station_id, staff_id, data, err);
	json_decref(data);
	if (!s) {
		char detail[160];
		snprintf(detail, sizeof detail, "customer %s: %s, %zu fields", code, action,
			 json_array_size(changes));
		s = audit_record_event(db, cfg->station_id, staff_id, "customer_change", detail, err);
	}
	return s;
}

/* The value of field on card, "" when absent. */
static const char *card_value(const archive_card *card, const char *field)
{
	for (size_t k = 0; k < card->count; k++)
		if (strcmp(card->values[k].field, field) == 0)
			return card->values[k].value;
	return "";
}

/* Whether changes (the record's [{field, old, new}]) touch a field
 * starting with prefix. */
static bool changes_touch(json_t *changes, const char *prefix)
{
	size_t i;
	json_t *ch;
	json_array_foreach(changes, i, ch) {
		const char *f = json_string_value(json_object_get(ch, "field"));
		if (f && strncmp(f, prefix, strlen(prefix)) == 0)
			return true;
	}
	return false;
}

/* What follows an archive change in the same transaction: a head's rating
 * is noted with who and when and evaluates the composite class again at
 * once; a new declared demand grades a potential customer again. */
static fc_status after_edit(sqlite3 *db, const fc_config *cfg, int64_t staff_id, int64_t id,
			    json_t *changes, fc_error *err)
{
	int64_t now_ms = clock_now_ms();
	fc_status s = FC_OK;
	if (changes_touch(changes, "rating_")) {
		char now[CLOCK_ISO_LEN];
		sqlite3_stmt *st;
		clock_format_iso(now_ms, now);
		s = db_prepare(db, "UPDATE customers SET rating_by = ?2, rating_at = ?3 WHERE id = ?1",
			       &st, err);
		if (!s) {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, staff_id);
			sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
			s = db_step_done(db, st, "noting who rated", err);
		}
		if (!s)
			s = classify_composite_customer(db, cfg, now_ms, id, staff_id, err);
	}
	if (!s && changes_touch(changes, "yearly_litres"))
		s = tiers_grade_declared(db, cfg, id, now_ms, staff_id, NULL, err);
	return s;
}

/* The competitor flag and whose (domain.md "buying elsewhere: note whose"):
 * flag and name as stored ("" for none), as they are after edits.  A
 * competitor customer needs the competitor's name, and a name is noted
 * only for a competitor customer.  Checked only when edits touch either
 * (rows kept from before stay editable). */
static fc_status competitor_check(const char *flag, const char *name, const archive_edit *edits,
				  size_t n, fc_error *err)
{
	bool touched = false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(edits[i].field, "competitor") == 0)
			flag = edits[i].value, touched = true;
		else if (strcmp(edits[i].field, "competitor_name") == 0)
			name = edits[i].value, touched = true;
	}
	bool rival = strcmp(flag, "1") == 0;
	if (!touched || rival == !text_check_blank(name))
		return FC_OK;
	if (rival)
		return fc_error_set(err, FC_ERR_INVALID,
				    FC_TR("field 'competitor_name': a competitor customer "
					  "(competitor=1) needs whose: the competitor's name"));
	return fc_error_set(err, FC_ERR_INVALID,
			    FC_TR("field 'competitor_name': '%.40s' is noted only for a competitor "
				  "customer: set competitor=1 too, or clear the name"), name);
}

fc_status archive_update(sqlite3 *db, const fc_config *cfg, int64_t staff_id, const char *code,
			 const archive_edit *edits, size_t n, int *changed, fc_error *err)
{
	if (changed)
		*changed = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(edits[i].field, "nature") == 0)
			return fc_error_set(err, FC_ERR_INVALID, FC_TR("field 'nature' cannot be edited: "
						  "nature follows the customer's cards (a unit card or "
						  "several cards make a big customer; the daily "
						  "classification sets it)"));
		fc_status s = archive_check_field(edits[i].field, edits[i].value, err);
		if (s)
			return s;
	}
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	archive_card card;
	json_t *changes = json_array();
	s = changes ? archive_show(db, code, &card, err) : record_json_failed("customer_changed", err);
	int64_t id = 0;
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	for (size_t i = 0; !s && i < card.count; i++)
		if (strcmp(card.values[i].field, "id") == 0)
			id = strtoll(card.values[i].value, NULL, 10);
	if (!s)
		s = competitor_check(card_value(&card, "competitor"),
				     card_value(&card, "competitor_name"), edits, n, err);
	for (size_t i = 0; !s && i < n; i++) {
		const char *old = card_value(&card, edits[i].field), *value = edits[i].value;
		char plate[ARCHIVE_VALUE_LEN];
		if (strcmp(edits[i].field, "plate") == 0) {
			plate_normalise(value, plate, sizeof plate);
			value = plate;
		}
		if (strcmp(old, value) == 0)
			continue;
		s = write_field(db, id, edits[i].field, value, now, err);
		if (!s && json_array_append_new(changes, json_pack("{s:s, s:s?, s:s?}", "field",
				edits[i].field, "old", *old ? old : NULL, "new",
				*value ? value : NULL)) != 0)
			s = record_json_failed("customer_changed", err); /* never saved unsent */
	}
	if (!s && json_array_size(changes))
		s = queue_change(db, cfg, staff_id, code, "edit", changes, err);
	if (!s && json_array_size(changes))
		s = after_edit(db, cfg, staff_id, id, changes, err);
	size_t count = changes ? json_array_size(changes) : 0;
	json_decref(changes);
	s = db_finish(db, s, err);
	if (!s && changed)
		*changed = (int)count;
	return s;
}

/* Two letters per industry, in the order of fc_industry. */
static const char *const industry_letters[INDUSTRY_COUNT] = { "PT", "LG", "TX", "OF",
							       "IN", "AG", "OT" };

#define CODE_DIGITS 6
#define CODE_MAX 999999

void archive_format_code(const char *station, fc_nature nature, fc_industry industry,
			 long number, char *out, size_t n)
{
	const char *ind = (unsigned)industry < INDUSTRY_COUNT ? industry_letters[industry] : "OT";
	snprintf(out, n, "%.16s-%c-%s-%06ld", station, nature == NATURE_BIG ? 'B' : 'I', ind,
		 number % (CODE_MAX + 1L));
}

/* The number of code when it is prefix (plen bytes) + CODE_DIGITS digits,
 * else -1. */
static long code_number(const char *code, size_t plen)
{
	if (strlen(code) != plen + CODE_DIGITS)
		return -1;
	long n = 0;
	for (const char *p = code + plen; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
	}
	return n;
}

fc_status archive_next_code(sqlite3 *db, const char *station, fc_nature nature,
			    fc_industry industry, char code[32], fc_error *err)
{
	char lo[32], hi[32];
	archive_format_code(station, nature, industry, 0, lo, sizeof lo);
	archive_format_code(station, nature, industry, CODE_MAX, hi, sizeof hi);
	size_t plen = strlen(lo) - CODE_DIGITS;
	sqlite3_stmt *st;
	/* Descending over the code index between prefix000000 and prefix999999;
	 * the first well-formed one is the highest number. */
	fc_status s = db_prepare(db, "SELECT code FROM customers WHERE code BETWEEN ?1 AND ?2 "
				     "ORDER BY code DESC", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	long last = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *c = sqlite3_column_text(st, 0);
		long n = c ? code_number((const char *)c, plen) : -1;
		if (n >= 0) {
			last = n;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "numbering the customer", err);
	if (last >= CODE_MAX)
		return fc_error_set(err, FC_ERR_LIMIT, FC_TR("no customer code left after %s"), hi);
	archive_format_code(station, nature, industry, last + 1, code, 32);
	return FC_OK;
}

fc_status archive_register(sqlite3 *db, const fc_config *cfg, int64_t staff_id, const char *name,
			   fc_nature nature, fc_industry industry, const archive_edit *more,
			   size_t n, char *code_out, fc_error *err)
{
	fc_status s = archive_check_field("name", name, err);
	for (size_t i = 0; !s && i < n; i++) {
		s = archive_check_field(more[i].field, more[i].value, err);
		if (!s && (strcmp(more[i].field, "nature") == 0 || strcmp(more[i].field, "industry") == 0))
			s = fc_error_set(err, FC_ERR_USAGE, FC_TR("give nature and industry once"));
	}
	if (!s) /* a new customer: not a competitor's until more says so */
		s = competitor_check("", "", more, n, err);
	if (!s)
		s = db_begin(db, err);
	if (s)
		return s;
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	s = archive_next_code(db, cfg->station_id, nature, industry, code_out, err);
	sqlite3_stmt *st = NULL;
	if (!s)
		s = db_prepare(db, "INSERT INTO customers(code, name, nature, industry, stability,"
				   " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'potential', ?5, ?5)",
			       &st, err);
	if (!s) {
		sqlite3_bind_text(st, 1, code_out, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, nature_key(nature), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, industry_key(industry), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "registering the customer", err);
	}
	int64_t id = sqlite3_last_insert_rowid(db);
	json_t *changes = json_pack("[{s:s, s:n, s:s}, {s:s, s:n, s:s}, {s:s, s:n, s:s}]",
				    "field", "name", "old", "new", name, "field", "nature", "old",
				    "new", nature_key(nature), "field", "industry", "old", "new",
				    industry_key(industry));
	for (size_t i = 0; !s && i < n; i++) {
		const char *value = more[i].value;
		char plate[ARCHIVE_VALUE_LEN];
		if (strcmp(more[i].field, "plate") == 0) {
			plate_normalise(value, plate, sizeof plate);
			value = plate;
		}
		if (!*value)
			continue;
		s = write_field(db, id, more[i].field, value, now, err);
		if (!s && json_array_append_new(changes, json_pack("{s:s, s:n, s:s}", "field",
							 more[i].field, "old", "new", value)) != 0)
			s = record_json_failed("customer_changed", err);
	}
	if (!s)
		s = changes ? queue_change(db, cfg, staff_id, code_out, "register", changes, err)
			    : record_json_failed("customer_changed", err);
	if (!s)
		s = tiers_grade_declared(db, cfg, id, clock_now_ms(), staff_id, NULL, err);
	json_decref(changes);
	return db_finish(db, s, err);
}

fc_status archive_propose_owner(sqlite3 *db, const fc_config *cfg, int64_t staff_id,
				const char *code, int64_t owner_staff, const char *reason,
				char home_out[32], fc_error *err)
{
	if (home_out)
		home_out[0] = '\0';
	if (!reason)
		reason = "";
	if (owner_staff < 1)
		return fc_error_set(err, FC_ERR_INVALID, "staff: a staff number >= 1 (the id "
				    "`forecourt staff list` shows at the home station)");
	if (strlen(reason) >= ARCHIVE_VALUE_LEN)
		return fc_error_set(err, FC_ERR_INVALID, "reason: at most %d bytes",
				    ARCHIVE_VALUE_LEN - 1);
	fc_status s = text_check_field("reason", reason, err);
	if (s)
		return s;
	fc_record rec;
	char home[32] = "", detail[160];
	sqlite3_stmt *st;
	s = staff_require_role(db, staff_id, ROLE_HEAD, err);
	if (!s)
		s = record_begin(db, &rec, "owner_proposed", err);
	if (s)
		return s;
	s = db_prepare(db, "SELECT coalesce(home_station, '') FROM customers WHERE code = ?1", &st,
		       err);
	if (!s) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			db_column_copy(st, 0, home, sizeof home);
		else if (rc == SQLITE_DONE)
			s = fc_error_set(err, FC_ERR_NOT_FOUND, "no customer with code '%.40s'", code);
		else
			s = db_fail(db, rc, "reading the customer", err);
		sqlite3_finalize(st);
	}
	/* at this station head office will look the member up in what this
	 * station sent it (staff_changed): refuse what it would refuse */
	fc_staff who;
	bool here = !home[0] || strcmp(home, cfg->station_id) == 0;
	if (!s && here && (staff_find_id(db, owner_staff, &who, NULL) != FC_OK || !who.active))
		s = fc_error_set(err, FC_ERR_NOT_FOUND, "staff %lld is not an active staff member of "
				 "%s, the customer's home station (see the id in `forecourt staff "
				 "list`)", (long long)owner_staff, cfg->station_id);
	if (!s)
		s = record_save(db, &rec, cfg->station_id, staff_id,
				json_pack("{s:s, s:I, s:s}", "customer_code", code, "staff",
					  (json_int_t)owner_staff, "reason", reason),
				NULL, NULL, err);
	snprintf(detail, sizeof detail, "customer %.40s: owner staff %lld at %.32s proposed", code,
		 (long long)owner_staff, here ? cfg->station_id : home);
	if (!s)
		s = audit_record_event(db, cfg->station_id, staff_id, "owner_propose", detail, err);
	s = db_finish(db, s, err);
	if (!s && home_out)
		snprintf(home_out, 32, "%.31s", here ? cfg->station_id : home);
	return s;
}
