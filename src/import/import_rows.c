/* import_rows.c — the upserts that store one checked row of each import
 * kind, telling changed rows from unchanged ones. */
#include "import/import_rows.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"

/* The table each kind fills, counted before and after (blocked cards and
 * tiers only change rows of cards and customers). */
static const char *const kind_tables[IMPORT_KIND_COUNT] = {
	[IMPORT_CUSTOMERS] = "{customers}", [IMPORT_CARDS] = "{cards}", [IMPORT_BLOCKED] = NULL,
	[IMPORT_PRICES] = "{prices}", [IMPORT_HOLIDAYS] = "{holidays}", [IMPORT_TIERS] = NULL,
	[IMPORT_LITRES] = "{chain_litres}",
};

static const struct {
	const char *word; /* "{customers}" */
	bulk_table table;
} table_words[] = {
	{ "{customers}", BULK_CUSTOMERS },       { "{cards}", BULK_CARDS },
	{ "{prices}", BULK_PRICES },             { "{holidays}", BULK_HOLIDAYS },
	{ "{chain_litres}", BULK_CHAIN_LITRES }, { "{tier_history}", BULK_TIER_HISTORY },
};

fc_status import_rows_prepare_sql(import_ctx *c, const char *sql, sqlite3_stmt **st,
				  fc_error *err)
{
	sqlite3_str *out = sqlite3_str_new(c->db);
	for (const char *p = sql; *p;) {
		size_t k = 0, n = 0;
		if (*p == '{')
			while (k < sizeof table_words / sizeof table_words[0] &&
			       strncmp(p, table_words[k].word, n = strlen(table_words[k].word)) != 0)
				k++;
		if (*p == '{' && k < sizeof table_words / sizeof table_words[0]) {
			sqlite3_str_appendf(out, "\"%w\"", bulk_name(c->job, table_words[k].table));
			p += n;
		} else {
			sqlite3_str_appendchar(out, 1, *p++);
		}
	}
	char *text = sqlite3_str_finish(out);
	if (!text)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	fc_status s = db_prepare(c->db, text, st, err);
	sqlite3_free(text);
	return s;
}

static fc_status prepare(import_ctx *c, int i, const char *sql, fc_error *err)
{
	return import_rows_prepare_sql(c, sql, &c->stmt[i], err);
}

fc_status import_rows_prepare(import_ctx *c, fc_error *err)
{
	fc_status s = FC_OK;
	switch (c->kind) {
	case IMPORT_CUSTOMERS:
		return import_customers_prepare(c, err);
	case IMPORT_CARDS:
		s = prepare(c, 0, "SELECT id FROM {customers} WHERE code = ?1", err);
		if (!s)
			s = prepare(c, 1,
				    "INSERT INTO {cards}(card_id, customer_id, kind, status, updated_at)"
				    " VALUES (?1, ?2, ?3, coalesce(?4, 'active'), ?5)"
				    " ON CONFLICT(card_id) DO UPDATE SET customer_id = ?2, kind = ?3,"
				    " status = coalesce(?4, status),"
				    " blocked_reason = iif(coalesce(?4, status) = 'active', NULL, blocked_reason),"
				    " updated_at = ?5 WHERE" IMPORT_CARD_CHANGED,
				    err);
		return s;
	case IMPORT_BLOCKED:
		s = prepare(c, 0,
			    "UPDATE {cards} SET status = 'blocked', blocked_reason = ?2, updated_at = ?3"
			    " WHERE card_id = ?1 AND (status <> 'blocked' OR blocked_reason IS NOT ?2)",
			    err);
		if (!s)
			s = prepare(c, 1, "SELECT 1 FROM {cards} WHERE card_id = ?1", err);
		return s;
	case IMPORT_PRICES:
		return prepare(c, 0,
			       "INSERT INTO {prices}(grade, tier, nature, discount_fen_per_litre,"
			       " updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
			       " ON CONFLICT(grade, tier, nature) DO UPDATE SET"
			       " discount_fen_per_litre = ?4, updated_at = ?5"
			       " WHERE discount_fen_per_litre IS NOT ?4",
			       err);
	case IMPORT_HOLIDAYS:
		return prepare(c, 0,
			       "INSERT INTO {holidays}(date, kind, name) VALUES (?1, ?2, ?3)"
			       " ON CONFLICT(date) DO UPDATE SET kind = ?2, name = coalesce(?3, name)"
			       " WHERE kind IS NOT ?2 OR (?3 IS NOT NULL AND name IS NOT ?3)",
			       err);
	case IMPORT_TIERS: /* columns 0-2 as import_customers_note_tier reads them */
		s = prepare(c, 0, "SELECT id, tier, tier_source, nature FROM {customers} WHERE code = ?1",
			    err);
		if (!s)
			s = prepare(c, 1,
				    "UPDATE {customers} SET tier = ?2, tier_source = 'hq',"
				    " tier_evaluated_at = ?3, tier_provisional = 0, tier_regrade = NULL,"
				    " updated_at = ?3"
				    " WHERE id = ?1 AND (tier IS NOT ?2 OR tier_source <> 'hq')",
				    err);
		if (!s)
			s = import_customers_prepare_history(c, &c->stmt[2], err);
		return s;
	case IMPORT_LITRES:
		s = prepare(c, 0, "SELECT id FROM {customers} WHERE code = ?1", err);
		if (!s)
			s = prepare(c, 1,
				    "INSERT INTO {chain_litres}(customer_id, period, litres, updated_at)"
				    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(customer_id, period) DO UPDATE"
				    " SET litres = ?3, updated_at = ?4 WHERE litres IS NOT ?3",
				    err);
		return s;
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
	const char *table = kind_tables[c->kind];
	if (!table)
		return 0;
	char sql[64];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	sqlite3_stmt *st;
	int64_t n = 0;
	fc_error ignored;
	if (import_rows_prepare_sql(c, sql, &st, &ignored) == FC_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Bind the row's columns: ints as integers, absent ones as NULL. */
static void bind_columns(import_ctx *c, sqlite3_stmt *st, const char *const *v,
			 const int64_t *nums)
{
	for (int i = 0; i < import_kind_column_count(c->kind); i++) {
		if (!v[i])
			sqlite3_bind_null(st, i + 1);
		else if (import_kind_column_is_int(c->kind, i))
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
		rowfile_bad(c->errors, col, "refused by the database: %s", sqlite3_errmsg(c->db));
		return FC_OK;
	}
	return db_fail(c->db, rc, "importing", err);
}

void import_rows_no_customer(rowfile_errors *errors, const char *code)
{
	rowfile_bad(errors, "customer_code", "no customer '%s' (import the customers first)", code);
}

/* The id of the customer with code into *id, with c->stmt[0] (SELECT id
 * ... WHERE code = ?1); 0 and the row noted bad when there is none. */
static fc_status customer_of(import_ctx *c, const char *code, int64_t *id, fc_error *err)
{
	/* a customer's rows usually come one after another: ask once */
	if (c->last_customer && strcmp(c->last_code, code) == 0) {
		*id = c->last_customer;
		return FC_OK;
	}
	sqlite3_stmt *q = c->stmt[0];
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(c->db, rc, "looking up the customer", err);
	c->last_customer = 0;
	if (*id && strlen(code) < sizeof c->last_code) {
		strcpy(c->last_code, code);
		c->last_customer = *id;
	}
	if (!*id)
		import_rows_no_customer(c->errors, code);
	return FC_OK;
}

static fc_status apply_card(import_ctx *c, const char *const *v, fc_error *err)
{
	int64_t customer;
	fc_status s = customer_of(c, v[IMPORT_CA_CUSTOMER], &customer, err);
	if (s || !customer)
		return s;
	sqlite3_stmt *st = c->stmt[1];
	sqlite3_bind_text(st, 1, v[IMPORT_CA_ID], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, customer);
	sqlite3_bind_text(st, 3, v[IMPORT_CA_KIND], -1, SQLITE_STATIC);
	if (v[IMPORT_CA_STATUS])
		sqlite3_bind_text(st, 4, v[IMPORT_CA_STATUS], -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_text(st, 5, c->now, -1, SQLITE_STATIC);
	s = import_rows_step_write(c, st, "card_id", err);
	if (!s)
		c->changed += sqlite3_changes(c->db);
	return s;
}

/* Head office's tier for a half-year: it must fit the stored nature; a
 * change keeps its history with the period. */
static fc_status apply_tier(import_ctx *c, const char *const *v, fc_error *err)
{
	sqlite3_stmt *q = c->stmt[0];
	sqlite3_bind_text(q, 1, v[IMPORT_TI_CUSTOMER], -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return db_fail(c->db, rc, "looking up the customer", err);
		import_rows_no_customer(c->errors, v[IMPORT_TI_CUSTOMER]);
		return FC_OK;
	}
	int64_t id = sqlite3_column_int64(q, 0);
	fc_status s = FC_OK;
	bool fits = import_kind_check_tier(v[IMPORT_TI_TIER], (const char *)sqlite3_column_text(q, 3),
					   c->errors);
	if (fits)
		s = import_customers_note_tier(c, c->stmt[2], q, v[IMPORT_TI_TIER],
					       v[IMPORT_TI_PERIOD], err);
	sqlite3_reset(q);
	if (s || !fits)
		return s;
	sqlite3_stmt *st = c->stmt[1];
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, v[IMPORT_TI_TIER], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->now, -1, SQLITE_STATIC);
	s = import_rows_step_write(c, st, "tier", err);
	if (!s)
		c->changed += sqlite3_changes(c->db);
	return s;
}

static fc_status apply_litres(import_ctx *c, const char *const *v, const int64_t *nums,
			      fc_error *err)
{
	int64_t customer;
	fc_status s = customer_of(c, v[IMPORT_LI_CUSTOMER], &customer, err);
	if (s || !customer)
		return s;
	sqlite3_stmt *st = c->stmt[1];
	sqlite3_bind_int64(st, 1, customer);
	sqlite3_bind_text(st, 2, v[IMPORT_LI_PERIOD], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, nums[IMPORT_LI_LITRES]);
	sqlite3_bind_text(st, 4, c->now, -1, SQLITE_STATIC);
	s = import_rows_step_write(c, st, "litres", err);
	if (!s)
		c->changed += sqlite3_changes(c->db);
	return s;
}

static fc_status apply_blocked(import_ctx *c, const char *const *v, fc_error *err)
{
	sqlite3_stmt *st = c->stmt[0];
	sqlite3_bind_text(st, 1, v[IMPORT_BL_ID], -1, SQLITE_STATIC);
	if (v[IMPORT_BL_REASON])
		sqlite3_bind_text(st, 2, v[IMPORT_BL_REASON], -1, SQLITE_STATIC);
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
	sqlite3_bind_text(q, 1, v[IMPORT_BL_ID], -1, SQLITE_STATIC);
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
	int n = import_kind_column_count(c->kind);
	bind_columns(c, st, v, nums);
	if (c->kind == IMPORT_PRICES)
		sqlite3_bind_text(st, n + 1, c->now, -1, SQLITE_STATIC);
	int64_t before = c->errors->total;
	fc_status s = import_rows_step_write(c, st, col, err);
	if (!s && c->errors->total == before)
		c->changed += sqlite3_changes(c->db);
	return s;
}

fc_status import_rows_apply(import_ctx *c, const char *const *v, fc_error *err)
{
	int64_t nums[IMPORT_MAX_COLS] = { 0 };
	if (!import_kind_check_row(c->kind, v, c->cfg, nums, c->errors))
		return FC_OK;
	switch (c->kind) {
	case IMPORT_CUSTOMERS:
		return import_customers_apply(c, v, nums, err);
	case IMPORT_CARDS:
		return apply_card(c, v, err);
	case IMPORT_BLOCKED:
		return apply_blocked(c, v, err);
	case IMPORT_PRICES:
		return apply_simple(c, v, nums, "discount_fen_per_litre", err);
	case IMPORT_HOLIDAYS:
		return apply_simple(c, v, nums, "date", err);
	case IMPORT_TIERS:
		return apply_tier(c, v, err);
	case IMPORT_LITRES:
		return apply_litres(c, v, nums, err);
	case IMPORT_KIND_COUNT:
		break;
	}
	return FC_OK;
}
