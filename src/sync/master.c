/* master.c — validating and applying head office's master-data NDJSON in one
 * transaction; the GET /v1/master pull. */
#include "sync/master.h"

#include <ctype.h>
#include <stdarg.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/domain.h"
#include "store/db.h"

#define MAX_FIELDS 20

typedef enum { F_TEXT, F_INT } field_type;

typedef struct field_spec {
	const char *name;
	field_type type;
	bool required;
} field_spec;

/* One line's values, indexed like its kind's field list. */
typedef struct line_values {
	const char *text[MAX_FIELDS]; /* NULL when absent */
	int64_t num[MAX_FIELDS];
	bool has[MAX_FIELDS];
} line_values;

typedef enum { K_CUSTOMER, K_CARD, K_BLOCKED, K_TIER, K_PRICE, K_HOLIDAY, K_VERSION, K_COUNT } line_kind;

static const field_spec customer_fields[] = {
	{ "code", F_TEXT, true },         { "name", F_TEXT, true },
	{ "nature", F_TEXT, true },       { "industry", F_TEXT, false },
	{ "tier", F_TEXT, false },        { "phone", F_TEXT, false },
	{ "plate", F_TEXT, false },       { "contact", F_TEXT, false },
	{ "address", F_TEXT, false },     { "fuel_grades", F_TEXT, false },
	{ "yearly_litres", F_INT, false }, { "refuel_cycle_days", F_INT, false },
	{ "other_channels", F_TEXT, false }, { "potential_needs", F_TEXT, false },
	{ "person_in_charge", F_TEXT, false }, { "handler", F_TEXT, false },
	{ "special_needs", F_TEXT, false }, { "points", F_INT, false },
	{ NULL, F_TEXT, false },
};
enum { C_CODE, C_NAME, C_NATURE, C_INDUSTRY, C_TIER, C_LAST_TEXT = 16, C_POINTS = 17 };
static const field_spec card_fields[] = {
	{ "card_id", F_TEXT, true }, { "customer_code", F_TEXT, true },
	{ "card_kind", F_TEXT, true }, { "status", F_TEXT, false }, { NULL, F_TEXT, false },
};
static const field_spec blocked_fields[] = {
	{ "card_id", F_TEXT, true }, { "reason", F_TEXT, false }, { NULL, F_TEXT, false },
};
static const field_spec tier_fields[] = {
	{ "customer_code", F_TEXT, true }, { "tier", F_TEXT, true },
	{ "period", F_TEXT, false }, { NULL, F_TEXT, false },
};
static const field_spec price_fields[] = {
	{ "grade", F_TEXT, true }, { "tier", F_TEXT, true }, { "nature", F_TEXT, true },
	{ "discount_fen_per_litre", F_INT, true }, { NULL, F_TEXT, false },
};
static const field_spec holiday_fields[] = {
	{ "date", F_TEXT, true }, { "day_kind", F_TEXT, true }, { "name", F_TEXT, false },
	{ NULL, F_TEXT, false },
};
static const field_spec version_fields[] = { { "version", F_TEXT, true }, { NULL, F_TEXT, false } };

static const struct {
	const char *name;
	const field_spec *fields;
} kinds[K_COUNT] = {
	[K_CUSTOMER] = { "customer", customer_fields }, [K_CARD] = { "card", card_fields },
	[K_BLOCKED] = { "blocked", blocked_fields },    [K_TIER] = { "tier", tier_fields },
	[K_PRICE] = { "price", price_fields },          [K_HOLIDAY] = { "holiday", holiday_fields },
	[K_VERSION] = { "version", version_fields },
};

/* The prepared statements of one apply, and where we are. */
typedef struct apply_ctx {
	sqlite3 *db;
	const char *source;
	int64_t line;
	char now[CLOCK_ISO_LEN];
	master_result *res;
	fc_error *err;
} apply_ctx;

static fc_status bad_line(apply_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* FC_ERR_INVALID with "SOURCE line N: why". */
static fc_status bad_line(apply_ctx *c, const char *fmt, ...)
{
	char why[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return fc_error_set(c->err, FC_ERR_INVALID, "%s line %" PRId64 ": %s", c->source, c->line,
			    why);
}

static bool parse_int_value(json_t *v, int64_t *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	const char *s = json_string_value(v);
	if (!s || !*s || strlen(s) > 18)
		return false;
	int64_t n = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return false;
		n = n * 10 + (*p - '0');
	}
	*out = n;
	return true;
}

/* Check a line's fields against its kind: unknown, missing, wrong type. */
static fc_status read_fields(apply_ctx *c, json_t *obj, const field_spec *fields,
			     line_values *v)
{
	memset(v, 0, sizeof *v);
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		if (strcmp(key, "kind") == 0)
			continue;
		int i = 0;
		while (fields[i].name && strcmp(fields[i].name, key) != 0)
			i++;
		if (!fields[i].name)
			return bad_line(c, "unknown field '%s'", key);
		if (json_is_null(val))
			continue;
		if (fields[i].type == F_INT) {
			if (!parse_int_value(val, &v->num[i]))
				return bad_line(c, "field '%s' must be a whole number >= 0", key);
		} else {
			v->text[i] = json_string_value(val);
			if (!v->text[i])
				return bad_line(c, "field '%s' must be a string", key);
		}
		v->has[i] = true;
	}
	for (int i = 0; fields[i].name; i++)
		if (fields[i].required && (!v->has[i] || (v->text[i] && !v->text[i][0])))
			return bad_line(c, "missing field '%s'", fields[i].name);
	return FC_OK;
}

/* Step a statement whose parameters are bound; reset it after. */
static fc_status step_stmt(apply_ctx *c, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		char doing[200];
		snprintf(doing, sizeof doing, "%s line %" PRId64, c->source, c->line);
		fc_status s = db_fail(c->db, rc, doing, c->err);
		sqlite3_finalize(st);
		return s == FC_ERR_INVALID || s == FC_ERR_DB ? FC_ERR_INVALID : s;
	}
	sqlite3_finalize(st);
	return FC_OK;
}

static fc_status prepare(apply_ctx *c, const char *sql, sqlite3_stmt **st)
{
	return db_prepare(c->db, sql, st, c->err);
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static fc_status check_tier(apply_ctx *c, const char *tier, const char *nature_text)
{
	fc_nature n;
	fc_tier t;
	if (!nature_parse(nature_text, &n))
		return bad_line(c, "field 'nature': '%s' is not big or individual", nature_text);
	if (tier && !tier_parse(tier, n, &t))
		return bad_line(c, "field 'tier': '%s' is not a tier of a %s customer", tier,
				nature_text);
	return FC_OK;
}

static fc_status apply_customer(apply_ctx *c, const line_values *v)
{
	fc_industry ind;
	fc_status s = check_tier(c, v->text[C_TIER], v->text[C_NATURE]);
	if (s)
		return s;
	if (v->text[C_INDUSTRY] && !industry_parse(v->text[C_INDUSTRY], &ind))
		return bad_line(c, "field 'industry': '%s' is not a known industry",
				v->text[C_INDUSTRY]);
	sqlite3_stmt *st;
	s = prepare(c,
		    "INSERT INTO customers(code, name, nature, industry, tier, tier_source, "
		    "tier_evaluated_at, phone, plate, contact, address, fuel_grades, yearly_litres, "
		    "refuel_cycle_days, other_channels, potential_needs, person_in_charge, handler, "
		    "special_needs, created_at, updated_at) VALUES(?1, ?2, ?3, coalesce(?4, 'other'), "
		    "coalesce(?5, 'ordinary'), iif(?5 IS NULL, 'local', 'hq'), iif(?5 IS NULL, NULL, "
		    "?18), ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18) "
		    "ON CONFLICT(code) DO UPDATE SET name = ?2, nature = ?3, "
		    "industry = coalesce(?4, industry), tier = coalesce(?5, tier), "
		    "tier_source = iif(?5 IS NULL, tier_source, 'hq'), "
		    "tier_evaluated_at = iif(?5 IS NULL, tier_evaluated_at, ?18), "
		    "phone = coalesce(?6, phone), plate = coalesce(?7, plate), "
		    "contact = coalesce(?8, contact), address = coalesce(?9, address), "
		    "fuel_grades = coalesce(?10, fuel_grades), "
		    "yearly_litres = coalesce(?11, yearly_litres), "
		    "refuel_cycle_days = coalesce(?12, refuel_cycle_days), "
		    "other_channels = coalesce(?13, other_channels), "
		    "potential_needs = coalesce(?14, potential_needs), "
		    "person_in_charge = coalesce(?15, person_in_charge), "
		    "handler = coalesce(?16, handler), special_needs = coalesce(?17, special_needs), "
		    "updated_at = ?18",
		    &st);
	if (s)
		return s;
	for (int i = 0; i <= C_LAST_TEXT; i++) {
		if (customer_fields[i].type == F_INT && v->has[i])
			sqlite3_bind_int64(st, i + 1, v->num[i]);
		else
			bind_opt_text(st, i + 1, v->text[i]);
	}
	sqlite3_bind_text(st, 18, c->now, -1, SQLITE_STATIC);
	s = step_stmt(c, st);
	if (s || !v->has[C_POINTS])
		return s;
	/* Head office's balance includes every record it acknowledged. */
	s = prepare(c, "UPDATE customers SET points_synced = ?1, points_synced_at = ?2 WHERE code = ?3",
		    &st);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, v->num[C_POINTS]);
	sqlite3_bind_text(st, 2, c->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, v->text[C_CODE], -1, SQLITE_STATIC);
	s = step_stmt(c, st);
	if (!s)
		s = prepare(c,
			    "UPDATE points_ledger SET synced = 1 WHERE synced = 0 AND customer_id = "
			    "(SELECT id FROM customers WHERE code = ?1) AND record_id NOT IN "
			    "(SELECT id FROM outbox WHERE state IN ('pending', 'dead'))",
			    &st);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, v->text[C_CODE], -1, SQLITE_STATIC);
	return step_stmt(c, st);
}

static bool is_card_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && (s[i] < 'A' || s[i] > 'F'))
			return false;
	return true;
}

static int64_t customer_id_of(apply_ctx *c, const char *code)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	if (prepare(c, "SELECT id FROM customers WHERE code = ?", &st))
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static fc_status apply_card(apply_ctx *c, const line_values *v)
{
	const char *status = v->text[3];
	if (!is_card_id(v->text[0]))
		return bad_line(c, "field 'card_id': '%s' is not uppercase hex", v->text[0]);
	if (strcmp(v->text[2], "unit") != 0 && strcmp(v->text[2], "personal") != 0)
		return bad_line(c, "field 'card_kind': '%s' is not unit or personal", v->text[2]);
	if (status && strcmp(status, "active") != 0 && strcmp(status, "blocked") != 0)
		return bad_line(c, "field 'status': '%s' is not active or blocked", status);
	int64_t cid = customer_id_of(c, v->text[1]);
	if (cid < 0)
		return FC_ERR_DB;
	if (cid == 0)
		return bad_line(c, "field 'customer_code': no customer '%s'", v->text[1]);
	sqlite3_stmt *st;
	fc_status s = prepare(c,
			      "INSERT INTO cards(card_id, customer_id, kind, status, updated_at) "
			      "VALUES(?1, ?2, ?3, coalesce(?4, 'active'), ?5) ON CONFLICT(card_id) DO "
			      "UPDATE SET customer_id = ?2, kind = ?3, status = coalesce(?4, status), "
			      "updated_at = ?5",
			      &st);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, v->text[0], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cid);
	sqlite3_bind_text(st, 3, v->text[2], -1, SQLITE_STATIC);
	bind_opt_text(st, 4, status);
	sqlite3_bind_text(st, 5, c->now, -1, SQLITE_STATIC);
	return step_stmt(c, st);
}

static fc_status apply_blocked(apply_ctx *c, const line_values *v)
{
	if (!is_card_id(v->text[0]))
		return bad_line(c, "field 'card_id': '%s' is not uppercase hex", v->text[0]);
	sqlite3_stmt *st;
	fc_status s = prepare(c,
			      "UPDATE cards SET status = 'blocked', blocked_reason = ?2, "
			      "updated_at = ?3 WHERE card_id = ?1",
			      &st);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, v->text[0], -1, SQLITE_STATIC);
	bind_opt_text(st, 2, v->text[1]);
	sqlite3_bind_text(st, 3, c->now, -1, SQLITE_STATIC);
	s = step_stmt(c, st);
	if (!s && sqlite3_changes(c->db) == 0)
		c->res->skipped++; /* a card never issued to our customers */
	return s;
}

static fc_status apply_tier(apply_ctx *c, const line_values *v)
{
	sqlite3_stmt *st;
	fc_status s = prepare(c, "SELECT id, nature, tier FROM customers WHERE code = ?", &st);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, v->text[0], -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return bad_line(c, "field 'customer_code': no customer '%s'", v->text[0]);
	}
	int64_t id = sqlite3_column_int64(st, 0);
	char nature[16], old[16];
	snprintf(nature, sizeof nature, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(old, sizeof old, "%s", (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	s = check_tier(c, v->text[1], nature);
	if (!s)
		s = prepare(c,
			    "UPDATE customers SET tier = ?1, tier_source = 'hq', tier_evaluated_at = ?2, "
			    "updated_at = ?2 WHERE id = ?3",
			    &st);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, v->text[1], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	s = step_stmt(c, st);
	if (s || strcmp(old, v->text[1]) == 0)
		return s;
	s = prepare(c,
		    "INSERT INTO tier_history(customer_id, old_tier, new_tier, source, period, "
		    "changed_at) VALUES(?, ?, ?, 'hq', ?, ?)",
		    &st);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, old, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, v->text[1], -1, SQLITE_STATIC);
	bind_opt_text(st, 4, v->text[2]);
	sqlite3_bind_text(st, 5, c->now, -1, SQLITE_STATIC);
	return step_stmt(c, st);
}

static fc_status apply_price(apply_ctx *c, const line_values *v)
{
	fc_status s = check_tier(c, v->text[1], v->text[2]);
	if (s)
		return s;
	if (strlen(v->text[0]) >= 16)
		return bad_line(c, "field 'grade': '%s' is longer than 15 bytes", v->text[0]);
	sqlite3_stmt *st;
	s = prepare(c,
		    "INSERT INTO prices(grade, tier, nature, discount_fen_per_litre, updated_at) "
		    "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(grade, tier, nature) DO UPDATE SET "
		    "discount_fen_per_litre = ?4, updated_at = ?5",
		    &st);
	if (s)
		return s;
	for (int i = 0; i < 3; i++)
		sqlite3_bind_text(st, i + 1, v->text[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, v->num[3]);
	sqlite3_bind_text(st, 5, c->now, -1, SQLITE_STATIC);
	return step_stmt(c, st);
}

static fc_status apply_holiday(apply_ctx *c, const line_values *v)
{
	int64_t ms;
	char probe[40], back[CLOCK_ISO_LEN];
	snprintf(probe, sizeof probe, "%.10sT00:00:00Z", v->text[0]);
	if (strlen(v->text[0]) != 10 || !clock_parse_iso(probe, &ms) ||
	    strncmp(clock_format_iso(ms, back), v->text[0], 10) != 0)
		return bad_line(c, "field 'date': '%s' is not a date YYYY-MM-DD", v->text[0]);
	if (strcmp(v->text[1], "holiday") != 0 && strcmp(v->text[1], "workday") != 0)
		return bad_line(c, "field 'day_kind': '%s' is not holiday or workday", v->text[1]);
	sqlite3_stmt *st;
	fc_status s = prepare(c,
			      "INSERT INTO holidays(date, kind, name) VALUES(?1, ?2, ?3) "
			      "ON CONFLICT(date) DO UPDATE SET kind = ?2, name = ?3",
			      &st);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, v->text[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v->text[1], -1, SQLITE_STATIC);
	bind_opt_text(st, 3, v->text[2]);
	return step_stmt(c, st);
}

/* Parse and apply one line; *kind_out says which kind it was. */
static fc_status apply_line(apply_ctx *c, const char *text, size_t len, line_kind *kind_out)
{
	json_error_t je;
	*kind_out = K_COUNT;
	json_t *obj = json_loadb(text, len, 0, &je);
	if (!obj)
		return fc_error_set(c->err, FC_ERR_INVALID, "%s line %" PRId64 ": not JSON (column %d: %s)",
				    c->source, c->line, je.column, je.text);
	fc_status s = FC_OK;
	const char *kind = json_string_value(json_object_get(obj, "kind"));
	line_kind k = K_COUNT;
	for (int i = 0; kind && i < K_COUNT; i++)
		if (strcmp(kinds[i].name, kind) == 0)
			k = (line_kind)i;
	line_values v;
	if (!json_is_object(obj))
		s = bad_line(c, "not a JSON object");
	else if (k == K_COUNT)
		s = bad_line(c, "'kind' must be customer, card, blocked, tier, price, holiday or "
				"version (got '%s')",
			     kind ? kind : "");
	else
		s = read_fields(c, obj, kinds[k].fields, &v);
	if (!s) {
		switch (k) {
		case K_CUSTOMER: s = apply_customer(c, &v); break;
		case K_CARD: s = apply_card(c, &v); break;
		case K_BLOCKED: s = apply_blocked(c, &v); break;
		case K_TIER: s = apply_tier(c, &v); break;
		case K_PRICE: s = apply_price(c, &v); break;
		case K_HOLIDAY: s = apply_holiday(c, &v); break;
		case K_VERSION:
			if (strlen(v.text[0]) >= sizeof c->res->version)
				s = bad_line(c, "'version' is too long");
			else
				snprintf(c->res->version, sizeof c->res->version, "%s", v.text[0]);
			break;
		case K_COUNT: break;
		}
	}
	*kind_out = k;
	json_decref(obj);
	return s;
}

fc_status master_apply(sqlite3 *db, const char *text, size_t len, const char *source,
		       master_result *res, fc_error *err)
{
	memset(res, 0, sizeof *res);
	apply_ctx c = { .db = db, .source = source, .res = res, .err = err };
	clock_now_iso(c.now);
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	bool have_version = false;
	size_t pos = 0;
	while (!s && pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - pos;
		c.line++;
		if (l > 0 && text[pos + l - 1] == '\r')
			l--;
		bool blank = true;
		for (size_t i = 0; i < l && blank; i++)
			blank = isspace((unsigned char)text[pos + i]);
		if (!blank && have_version)
			s = bad_line(&c, "data after the version line");
		else if (!blank) {
			line_kind k;
			s = apply_line(&c, text + pos, l, &k);
			if (k == K_VERSION)
				have_version = true;
			else if (!s)
				res->lines++;
		}
		pos = end + 1;
	}
	if (!s && !have_version)
		s = fc_error_set(err, FC_ERR_INVALID,
				 "%s: no version line at the end after %" PRId64
				 " lines (truncated?): nothing applied",
				 source, c.line);
	if (!s)
		s = db_meta_set(db, "master_version", res->version, err);
	return db_finish(db, s, err);
}
