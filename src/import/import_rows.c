/* import_rows.c — the columns of each import kind, the checks of one row and
 * the upserts that store it, telling changed rows from unchanged ones. */
#include "import/import_rows.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/domain.h"
#include "store/db.h"

typedef enum { COL_TEXT, COL_INT, COL_ENUM, COL_DATE, COL_CARD } column_type;

typedef struct column {
	const char *name;
	column_type type;
	bool required;
	const char *const *choices; /* COL_ENUM: NULL-terminated accepted values */
	const char *choice_text;    /* the same for messages */
} column;

static const char *const natures[] = { "big", "individual", NULL };
static const char *const industries[] = { "passenger", "logistics", "taxi", "official",
					  "industrial", "agri", "other", NULL };
static const char *const tiers[] = { "diamond", "gold", "silver", "ordinary", "platinum", NULL };
static const char *const card_kinds[] = { "unit", "personal", NULL };
static const char *const card_states[] = { "active", "blocked", NULL };
static const char *const day_kinds[] = { "holiday", "workday", NULL };

#define ENUM(n, req, list, text) { n, COL_ENUM, req, list, text }
#define PLAIN(n, type, req) { n, type, req, NULL, NULL }

/* Customers: the order is the bind order of the statements of
 * import_customers.c (?1..?18). */
static const column customer_columns[] = {
	PLAIN("code", COL_TEXT, true),
	PLAIN("name", COL_TEXT, true),
	ENUM("nature", true, natures, "big, individual"),
	ENUM("industry", true, industries,
	     "passenger, logistics, taxi, official, industrial, agri, other"),
	ENUM("tier", false, tiers, "diamond, gold, silver, ordinary (big); platinum, gold, "
				   "silver, ordinary (individual)"),
	PLAIN("points", COL_INT, false),
	PLAIN("phone", COL_TEXT, false),
	PLAIN("plate", COL_TEXT, false),
	PLAIN("contact", COL_TEXT, false),
	PLAIN("address", COL_TEXT, false),
	PLAIN("fuel_grades", COL_TEXT, false),
	PLAIN("yearly_litres", COL_INT, false),
	PLAIN("refuel_cycle_days", COL_INT, false),
	PLAIN("other_channels", COL_TEXT, false),
	PLAIN("potential_needs", COL_TEXT, false),
	PLAIN("person_in_charge", COL_TEXT, false),
	PLAIN("handler", COL_TEXT, false),
	PLAIN("special_needs", COL_TEXT, false),
};
enum { CA_ID, CA_CUSTOMER, CA_KIND, CA_STATUS };
static const column card_columns[] = {
	PLAIN("card_id", COL_CARD, true),
	PLAIN("customer_code", COL_TEXT, true),
	ENUM("kind", true, card_kinds, "unit, personal"),
	ENUM("status", false, card_states, "active, blocked"),
};
enum { BL_ID, BL_REASON };
static const column blocked_columns[] = {
	PLAIN("card_id", COL_CARD, true),
	PLAIN("reason", COL_TEXT, false),
};
enum { PR_GRADE, PR_TIER, PR_NATURE, PR_DISCOUNT };
static const column price_columns[] = {
	PLAIN("grade", COL_TEXT, true),
	ENUM("tier", true, tiers, "diamond, gold, silver, ordinary, platinum"),
	ENUM("nature", true, natures, "big, individual"),
	PLAIN("discount_fen_per_litre", COL_INT, true),
};
enum { HO_DATE, HO_KIND, HO_NAME };
static const column holiday_columns[] = {
	PLAIN("date", COL_DATE, true),
	ENUM("kind", true, day_kinds, "holiday, workday"),
	PLAIN("name", COL_TEXT, false),
};

static const struct {
	const column *columns;
	int count;
	const char *table; /* counted before and after */
} kinds[IMPORT_KIND_COUNT] = {
	[IMPORT_CUSTOMERS] = { customer_columns, 18, "customers" },
	[IMPORT_CARDS] = { card_columns, 4, "cards" },
	[IMPORT_BLOCKED] = { blocked_columns, 2, NULL },
	[IMPORT_PRICES] = { price_columns, 4, "prices" },
	[IMPORT_HOLIDAYS] = { holiday_columns, 3, "holidays" },
};

int import_rows_column_count(import_kind kind) { return kinds[kind].count; }
const char *import_rows_column_name(import_kind kind, int i) { return kinds[kind].columns[i].name; }
bool import_rows_column_required(import_kind kind, int i) { return kinds[kind].columns[i].required; }

bool import_rows_column_is_int(import_kind kind, int i)
{
	return kinds[kind].columns[i].type == COL_INT;
}

int import_rows_column_find(import_kind kind, const char *name)
{
	for (int i = 0; i < kinds[kind].count; i++)
		if (strcmp(kinds[kind].columns[i].name, name) == 0)
			return i;
	return -1;
}

void import_rows_bad(import_ctx *c, const char *col, const char *fmt, ...)
{
	import_result *r = c->res;
	r->bad_total++;
	if (r->bad_listed >= IMPORT_MAX_ERRORS)
		return;
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	char *out = r->bad[r->bad_listed++];
	if (col)
		snprintf(out, IMPORT_ERROR_LEN, "%s:%lld: column '%s': %s", c->path,
			 (long long)c->line, col, why);
	else
		snprintf(out, IMPORT_ERROR_LEN, "%s:%lld: %s", c->path, (long long)c->line, why);
}

static bool parse_count(const char *s, int64_t *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = n;
	return true;
}

static bool valid_date(const char *s)
{
	struct tm tm = { 0 };
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    s[4] != '-' || s[7] != '-')
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	return back.tm_year == y - 1900 && back.tm_mon == m - 1 && back.tm_mday == d;
}

/* Canonical card id: uppercase hex, 2..64 digits. */
static const char *card_id_problem(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 64)
		return "a card id has 2 to 64 hex digits";
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'f')
			return "hex digits must be uppercase (canonical form)";
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
			return "only hex digits 0-9 A-F";
	}
	return NULL;
}

/* Type checks of every column; false when the row is bad (noted). */
static bool check_columns(import_ctx *c, const char *const *v, int64_t *nums)
{
	bool ok = true;
	for (int i = 0; i < kinds[c->kind].count; i++) {
		const column *col = &kinds[c->kind].columns[i];
		const char *s = v[i];
		if (!s) {
			if (col->required) {
				import_rows_bad(c, col->name, "required, but empty");
				ok = false;
			}
			continue;
		}
		const char *problem = NULL;
		switch (col->type) {
		case COL_TEXT:
			break;
		case COL_INT:
			if (!parse_count(s, &nums[i]))
				import_rows_bad(c, col->name, "'%s' is not a whole number >= 0", s),
					ok = false;
			break;
		case COL_ENUM: {
			bool found = false;
			for (const char *const *p = col->choices; *p && !found; p++)
				found = strcmp(*p, s) == 0;
			if (!found)
				import_rows_bad(c, col->name, "'%s' is not one of: %s", s,
					       col->choice_text),
					ok = false;
			break;
		}
		case COL_DATE:
			if (!valid_date(s))
				import_rows_bad(c, col->name, "'%s' is not a date YYYY-MM-DD", s),
					ok = false;
			break;
		case COL_CARD:
			problem = card_id_problem(s);
			if (problem)
				import_rows_bad(c, col->name, "'%s': %s", s, problem), ok = false;
			break;
		}
	}
	return ok;
}

static fc_status prepare(import_ctx *c, int i, const char *sql, fc_error *err)
{
	return db_prepare(c->db, sql, &c->stmt[i], err);
}

fc_status import_rows_prepare(import_ctx *c, fc_error *err)
{
	fc_status s = FC_OK;
	switch (c->kind) {
	case IMPORT_CUSTOMERS:
		return import_customers_prepare(c, err);
	case IMPORT_CARDS:
		s = prepare(c, 0, "SELECT id FROM customers WHERE code = ?1", err);
		if (!s)
			s = prepare(c, 1,
				    "INSERT INTO cards(card_id, customer_id, kind, status, updated_at)"
				    " VALUES (?1, ?2, ?3, coalesce(?4, 'active'), ?5)"
				    " ON CONFLICT(card_id) DO UPDATE SET customer_id = ?2, kind = ?3,"
				    " status = coalesce(?4, status),"
				    " blocked_reason = iif(coalesce(?4, status) = 'active', NULL, blocked_reason),"
				    " updated_at = ?5 WHERE customer_id IS NOT ?2 OR kind IS NOT ?3"
				    " OR (?4 IS NOT NULL AND status IS NOT ?4)",
				    err);
		return s;
	case IMPORT_BLOCKED:
		s = prepare(c, 0,
			    "UPDATE cards SET status = 'blocked', blocked_reason = ?2, updated_at = ?3"
			    " WHERE card_id = ?1 AND (status <> 'blocked' OR blocked_reason IS NOT ?2)",
			    err);
		if (!s)
			s = prepare(c, 1, "SELECT 1 FROM cards WHERE card_id = ?1", err);
		return s;
	case IMPORT_PRICES:
		return prepare(c, 0,
			       "INSERT INTO prices(grade, tier, nature, discount_fen_per_litre,"
			       " updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
			       " ON CONFLICT(grade, tier, nature) DO UPDATE SET"
			       " discount_fen_per_litre = ?4, updated_at = ?5"
			       " WHERE discount_fen_per_litre IS NOT ?4",
			       err);
	case IMPORT_HOLIDAYS:
		return prepare(c, 0,
			       "INSERT INTO holidays(date, kind, name) VALUES (?1, ?2, ?3)"
			       " ON CONFLICT(date) DO UPDATE SET kind = ?2, name = coalesce(?3, name)"
			       " WHERE kind IS NOT ?2 OR (?3 IS NOT NULL AND name IS NOT ?3)",
			       err);
	case IMPORT_KIND_COUNT:
		break;
	}
	return fc_error_set(err, FC_ERR_USAGE, "unknown import kind");
}

void import_rows_finish(import_ctx *c)
{
	import_customers_finish(c);
	for (size_t i = 0; i < sizeof c->stmt / sizeof c->stmt[0]; i++) {
		sqlite3_finalize(c->stmt[i]);
		c->stmt[i] = NULL;
	}
}

fc_status import_rows_flush(import_ctx *c, fc_error *err)
{
	return c->kind == IMPORT_CUSTOMERS ? import_customers_flush(c, err) : FC_OK;
}

int64_t import_rows_count_table(import_ctx *c)
{
	const char *table = kinds[c->kind].table;
	if (!table)
		return 0;
	char sql[64];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	sqlite3_stmt *st;
	int64_t n = 0;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Bind the row's columns: ints as integers, absent ones as NULL. */
static void bind_columns(import_ctx *c, sqlite3_stmt *st, const char *const *v,
			 const int64_t *nums)
{
	for (int i = 0; i < kinds[c->kind].count; i++) {
		if (!v[i])
			sqlite3_bind_null(st, i + 1);
		else if (kinds[c->kind].columns[i].type == COL_INT)
			sqlite3_bind_int64(st, i + 1, nums[i]);
		else
			sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
	}
}

fc_status import_rows_step_write(import_ctx *c, sqlite3_stmt *st, const char *col, fc_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return FC_OK;
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		import_rows_bad(c, col, "refused by the database: %s", sqlite3_errmsg(c->db));
		return FC_OK;
	}
	return db_fail(c->db, rc, "importing", err);
}

static fc_status apply_card(import_ctx *c, const char *const *v, fc_error *err)
{
	/* a customer's cards usually come one after another: ask once */
	int64_t customer = c->last_customer;
	if (!customer || strcmp(c->last_code, v[CA_CUSTOMER]) != 0) {
		sqlite3_stmt *q = c->stmt[0];
		sqlite3_bind_text(q, 1, v[CA_CUSTOMER], -1, SQLITE_STATIC);
		int rc = sqlite3_step(q);
		customer = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
		sqlite3_reset(q);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(c->db, rc, "looking up the customer", err);
		c->last_customer = 0;
		if (customer && strlen(v[CA_CUSTOMER]) < sizeof c->last_code) {
			strcpy(c->last_code, v[CA_CUSTOMER]);
			c->last_customer = customer;
		}
	}
	if (!customer) {
		import_rows_bad(c, "customer_code", "no customer '%s' (import the customers first)",
			       v[CA_CUSTOMER]);
		return FC_OK;
	}
	sqlite3_stmt *st = c->stmt[1];
	sqlite3_bind_text(st, 1, v[CA_ID], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, customer);
	sqlite3_bind_text(st, 3, v[CA_KIND], -1, SQLITE_STATIC);
	if (v[CA_STATUS])
		sqlite3_bind_text(st, 4, v[CA_STATUS], -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_text(st, 5, c->now, -1, SQLITE_STATIC);
	fc_status s = import_rows_step_write(c, st, "card_id", err);
	if (!s)
		c->changed += sqlite3_changes(c->db);
	return s;
}

static fc_status apply_blocked(import_ctx *c, const char *const *v, fc_error *err)
{
	sqlite3_stmt *st = c->stmt[0];
	sqlite3_bind_text(st, 1, v[BL_ID], -1, SQLITE_STATIC);
	if (v[BL_REASON])
		sqlite3_bind_text(st, 2, v[BL_REASON], -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, c->now, -1, SQLITE_STATIC);
	fc_status s = import_rows_step_write(c, st, "card_id", err);
	if (s)
		return s;
	if (sqlite3_changes(c->db)) {
		c->res->updated++;
		return FC_OK;
	}
	sqlite3_stmt *q = c->stmt[1];
	sqlite3_bind_text(q, 1, v[BL_ID], -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		c->res->unchanged++;
	else if (rc == SQLITE_DONE)
		c->res->skipped++; /* a card of another station: nothing to block here */
	else
		return db_fail(c->db, rc, "looking up the card", err);
	return FC_OK;
}

static fc_status apply_simple(import_ctx *c, const char *const *v, const int64_t *nums,
			      const char *col, fc_error *err)
{
	sqlite3_stmt *st = c->stmt[0];
	int n = kinds[c->kind].count;
	bind_columns(c, st, v, nums);
	if (c->kind == IMPORT_PRICES)
		sqlite3_bind_text(st, n + 1, c->now, -1, SQLITE_STATIC);
	int64_t before = c->res->bad_total;
	fc_status s = import_rows_step_write(c, st, col, err);
	if (!s && c->res->bad_total == before)
		c->changed += sqlite3_changes(c->db);
	return s;
}

fc_status import_rows_apply(import_ctx *c, const char *const *v, fc_error *err)
{
	int64_t nums[IMPORT_MAX_COLS] = { 0 };
	if (!check_columns(c, v, nums))
		return FC_OK;
	switch (c->kind) {
	case IMPORT_CUSTOMERS:
		return import_customers_apply(c, v, nums, err);
	case IMPORT_CARDS:
		return apply_card(c, v, err);
	case IMPORT_BLOCKED:
		return apply_blocked(c, v, err);
	case IMPORT_PRICES: {
		fc_nature nature;
		fc_tier tier;
		nature_parse(v[PR_NATURE], &nature);
		if (config_grade_index(c->cfg, v[PR_GRADE]) < 0) {
			import_rows_bad(c, "grade", "'%s' is not a grade of [fuel] grades",
				       v[PR_GRADE]);
			return FC_OK;
		}
		if (!tier_parse(v[PR_TIER], nature, &tier)) {
			import_rows_bad(c, "tier", "'%s' is not a tier of nature '%s'",
				       v[PR_TIER], v[PR_NATURE]);
			return FC_OK;
		}
		return apply_simple(c, v, nums, "discount_fen_per_litre", err);
	}
	case IMPORT_HOLIDAYS:
		return apply_simple(c, v, nums, "date", err);
	case IMPORT_KIND_COUNT:
		break;
	}
	return FC_OK;
}
