/* hq_import.c — the chain's archive into PostgreSQL.  Rows are read and
 * checked by base/rowfile and base/import_kind (the station's reader and
 * checks), streamed with COPY into a temporary staging table, checked
 * against the database (a card's customer, a nature changed under a stored
 * tier), then stored by one UPDATE of the rows that change and one INSERT
 * of the new ones, each stored row with a new master version.  All in one
 * transaction: any bad row and nothing is changed. */
#include "hq/hq_import.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/domain.h"
#include "base/import_kind.h"
#include "base/plate.h"
#include "base/rowfile.h"
#include "hq/hq_db.h"

#define COPY_CHUNK (1 << 20) /* bytes of COPY data sent at once */

/* How a file column meets its master table's column. */
typedef enum {
	COLUMN_KEY,  /* identifies the row */
	COLUMN_SET,  /* always takes the file's value (empty: NULL) */
	COLUMN_KEEP, /* takes the file's value when given, else keeps the stored one */
	COLUMN_NONE, /* not stored at head office */
} column_mode;

typedef struct target_column {
	const char *name;           /* in the master table */
	const char *cast;           /* "" or "::bigint", "::date", ... */
	column_mode mode;
	const char *insert_default; /* SQL for a new row without the value, or NULL */
} target_column;

/* The master table of each kind; cols[i] stands for the kind's column i. */
typedef struct target {
	const char *table;
	const char *touch; /* more SET when a row changes, or NULL */
	target_column cols[IMPORT_MAX_COLS];
} target;

#define TEXT_KEEP(n) { n, "", COLUMN_KEEP, NULL }

static const target targets[IMPORT_KIND_COUNT] = {
	[IMPORT_CUSTOMERS] = { "customers", "updated_at = now()", {
		{ "code", "", COLUMN_KEY, NULL }, { "name", "", COLUMN_SET, NULL },
		{ "nature", "", COLUMN_SET, NULL }, { "industry", "", COLUMN_SET, NULL },
		{ "tier", "", COLUMN_KEEP, "'ordinary'" },
		{ "points", "::bigint", COLUMN_KEEP, "0" },
		TEXT_KEEP("phone"), TEXT_KEEP("plate"), TEXT_KEEP("contact"),
		TEXT_KEEP("address"), TEXT_KEEP("fuel_grades"),
		{ "yearly_litres", "::bigint", COLUMN_KEEP, NULL },
		{ "refuel_cycle_days", "::integer", COLUMN_KEEP, NULL },
		TEXT_KEEP("other_channels"), TEXT_KEEP("potential_needs"),
		TEXT_KEEP("person_in_charge"), TEXT_KEEP("handler"), TEXT_KEEP("special_needs"),
		{ "last_purchase_at", "::timestamptz", COLUMN_KEEP, NULL },
		TEXT_KEEP("home_station"), { "owner_staff", "::bigint", COLUMN_KEEP, NULL },
		TEXT_KEEP("owner_name"),
		/* points_seq: how far one station's records are in a balance
		 * head office computes itself for each station it sends to */
		{ "points_seq", "", COLUMN_NONE, NULL },
	} },
	[IMPORT_CARDS] = { "cards", NULL, {
		{ "card_id", "", COLUMN_KEY, NULL }, { "customer_code", "", COLUMN_SET, NULL },
		{ "card_kind", "", COLUMN_SET, NULL }, { "status", "", COLUMN_KEEP, "'active'" },
	} },
	[IMPORT_BLOCKED] = { "blocked_cards", "blocked_at = now()", {
		{ "card_id", "", COLUMN_KEY, NULL }, { "reason", "", COLUMN_SET, NULL },
	} },
	[IMPORT_PRICES] = { "prices", NULL, {
		{ "grade", "", COLUMN_KEY, NULL }, { "tier", "", COLUMN_KEY, NULL },
		{ "nature", "", COLUMN_KEY, NULL },
		{ "discount_fen_per_litre", "::bigint", COLUMN_SET, NULL },
	} },
	[IMPORT_HOLIDAYS] = { "holidays", NULL, {
		{ "date", "::date", COLUMN_KEY, NULL }, { "day_kind", "", COLUMN_SET, NULL },
		TEXT_KEEP("name"),
	} },
};

/* One import in progress. */
typedef struct import_run {
	PGconn *db;
	import_kind kind;
	int ncols;
	rowfile_errors *errors;
	char *buf;        /* COPY text not yet sent */
	size_t used, cap;
	int64_t inserted, updated, cards_blocked;
} import_run;

static fc_status put_bytes(import_run *r, const char *s, size_t n, fc_error *err)
{
	if (r->used + n > r->cap) {
		size_t cap = r->cap ? r->cap : COPY_CHUNK + 4096;
		while (cap < r->used + n)
			cap *= 2;
		char *grown = realloc(r->buf, cap);
		if (!grown)
			return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
		r->buf = grown;
		r->cap = cap;
	}
	memcpy(r->buf + r->used, s, n);
	r->used += n;
	return FC_OK;
}

/* A value in COPY's text format: \N for NULL, backslash escapes. */
static fc_status put_field(import_run *r, const char *s, fc_error *err)
{
	fc_status st = put_bytes(r, "\t", 1, err);
	if (!s)
		return st ? st : put_bytes(r, "\\N", 2, err);
	for (const char *p = s; !st && *p; p++) {
		size_t run = strcspn(p, "\\\t\n\r");
		st = put_bytes(r, p, run, err);
		p += run;
		if (st || !*p)
			break;
		char esc[2] = { '\\', *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : '\\' };
		st = put_bytes(r, esc, 2, err);
	}
	return st;
}

static fc_status send_copy(import_run *r, fc_error *err)
{
	if (r->used && PQputCopyData(r->db, r->buf, (int)r->used) != 1)
		return fc_error_set(err, FC_ERR_NET, "sending the rows to PostgreSQL: %s",
				    PQerrorMessage(r->db));
	r->used = 0;
	return FC_OK;
}

/* What head office's schema holds beyond the shared checks. */
static bool fits_schema(import_run *r, const char *const *v, const int64_t *nums)
{
	int days = IMPORT_CU_REFUEL_CYCLE_DAYS;
	if (r->kind == IMPORT_CUSTOMERS && v[days] && nums[days] > INT32_MAX) {
		rowfile_bad(r->errors, "refuel_cycle_days", "'%s' is too large", v[days]);
		return false;
	}
	return true;
}

/* rowfile's row callback: check the row and stage it. */
static fc_status stage_row(void *user, const char *const *v, fc_error *err)
{
	import_run *r = user;
	int64_t nums[IMPORT_MAX_COLS] = { 0 };
	if (!import_kind_check_row(r->kind, v, NULL, nums, r->errors) || !fits_schema(r, v, nums))
		return FC_OK;
	char line[24], plate[PLATE_LEN];
	int n = snprintf(line, sizeof line, "%" PRId64, r->errors->line);
	fc_status st = put_bytes(r, line, (size_t)n, err);
	for (int i = 0; !st && i < r->ncols; i++) {
		const char *value = v[i];
		if (value && r->kind == IMPORT_CUSTOMERS && i == IMPORT_CU_PLATE) {
			plate_normalise(value, plate, sizeof plate);
			value = plate[0] ? plate : NULL;
		}
		st = put_field(r, value, err);
	}
	if (!st)
		st = put_bytes(r, "\n", 1, err);
	if (!st && r->used >= COPY_CHUNK)
		st = send_copy(r, err);
	return st;
}

/* CREATE the staging table (line, c0, c1, ... as text) and start COPY. */
static fc_status stage_begin(import_run *r, fc_error *err)
{
	char sql[1024], copy[1024];
	int n = snprintf(sql, sizeof sql, "CREATE TEMP TABLE hq_stage (line bigint NOT NULL");
	int m = snprintf(copy, sizeof copy, "COPY hq_stage (line");
	for (int i = 0; i < r->ncols; i++) {
		n += snprintf(sql + n, sizeof sql - (size_t)n, ", c%d text", i);
		m += snprintf(copy + m, sizeof copy - (size_t)m, ", c%d", i);
	}
	snprintf(sql + n, sizeof sql - (size_t)n, ") ON COMMIT DROP");
	snprintf(copy + m, sizeof copy - (size_t)m, ") FROM STDIN");
	fc_status st = hq_db_query(r->db, "creating the staging table", sql, 0, NULL, NULL, err);
	if (!st)
		st = hq_db_query(r->db, "starting COPY", copy, 0, NULL, NULL, err);
	return st;
}

/* End COPY (abandoning it when failed is set) and collect its result. */
static fc_status stage_end(import_run *r, fc_status failed, fc_error *err)
{
	fc_status st = failed ? failed : send_copy(r, err);
	if (PQputCopyEnd(r->db, st ? "import abandoned" : NULL) != 1 && !st)
		st = fc_error_set(err, FC_ERR_NET, "ending COPY: %s", PQerrorMessage(r->db));
	PGresult *res;
	while ((res = PQgetResult(r->db)) != NULL) {
		if (!st && PQresultStatus(res) != PGRES_COMMAND_OK)
			st = fc_error_set(err, FC_ERR_DB, "staging the rows: %s",
					  PQresultErrorMessage(res));
		PQclear(res);
	}
	return st;
}

/* The rows of a check query, each (line, value[, value]) a bad row. */
typedef void (*bad_row_fn)(import_run *r, PGresult *res, int row);

static fc_status note_bad_rows(import_run *r, const char *doing, const char *sql, bad_row_fn bad,
			       fc_error *err)
{
	PGresult *res;
	fc_status st = hq_db_query(r->db, doing, sql, 0, NULL, &res, err);
	if (st)
		return st;
	for (int i = 0; i < PQntuples(res); i++) {
		r->errors->line = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		bad(r, res, i);
	}
	PQclear(res);
	return FC_OK;
}

static void no_customer(import_run *r, PGresult *res, int row)
{
	rowfile_bad(r->errors, "customer_code", "no customer '%s' (import the customers first)",
		    PQgetvalue(res, row, 1));
	if (row == 0) /* the rows past the LIMIT, counted */
		r->errors->total += strtoll(PQgetvalue(res, 0, 2), NULL, 10) - PQntuples(res);
}

/* A nature changed without a tier: the stored tier must fit the new nature. */
static void tier_for_new_nature(import_run *r, PGresult *res, int row)
{
	const char *tier = PQgetvalue(res, row, 1), *nature_key = PQgetvalue(res, row, 2);
	fc_nature nature;
	fc_tier t;
	if (nature_parse(nature_key, &nature) && !tier_parse(tier, nature, &t))
		rowfile_bad(r->errors, "tier", "the stored tier '%s' is not a tier of nature '%s': "
			    "give the tier", tier, nature_key);
}

static fc_status check_against_database(import_run *r, fc_error *err)
{
	char sql[400];
	if (r->kind == IMPORT_CARDS) {
		snprintf(sql, sizeof sql,
			 "SELECT s.line, s.c%d, count(*) OVER () FROM hq_stage s WHERE NOT EXISTS"
			 " (SELECT 1 FROM customers c WHERE c.code = s.c%d) ORDER BY s.line LIMIT %d",
			 IMPORT_CA_CUSTOMER, IMPORT_CA_CUSTOMER, ROWFILE_MAX_ERRORS);
		return note_bad_rows(r, "checking the cards' customers", sql, no_customer, err);
	}
	if (r->kind == IMPORT_CUSTOMERS) {
		snprintf(sql, sizeof sql,
			 "SELECT s.line, c.tier, s.c%d FROM hq_stage s JOIN customers c"
			 " ON c.code = s.c%d WHERE s.c%d IS NULL AND c.nature <> s.c%d ORDER BY s.line",
			 IMPORT_CU_NATURE, IMPORT_CU_CODE, IMPORT_CU_TIER, IMPORT_CU_NATURE);
		return note_bad_rows(r, "checking the customers' tiers", sql, tier_for_new_nature,
				     err);
	}
	return FC_OK;
}

/* "t.k1 = s.c0 AND t.k2 = s.c1 ..." for the key columns. */
static void put_keys(FILE *f, const target *t, int ncols)
{
	const char *and = "";
	for (int i = 0; i < ncols; i++) {
		const target_column *c = &t->cols[i];
		if (c->mode == COLUMN_KEY) {
			fprintf(f, "%st.%s = s.c%d%s", and, c->name, i, c->cast);
			and = " AND ";
		}
	}
}

/* UPDATE of the stored rows the file changes, from src (the staging table
 * or one round of it). */
static void put_update(FILE *f, const target *t, int ncols, const char *src)
{
	fprintf(f, "UPDATE %s t SET ", t->table);
	for (int i = 0; i < ncols; i++) {
		const target_column *c = &t->cols[i];
		if (c->mode == COLUMN_SET)
			fprintf(f, "%s = s.c%d%s, ", c->name, i, c->cast);
		else if (c->mode == COLUMN_KEEP)
			fprintf(f, "%s = coalesce(s.c%d%s, t.%s), ", c->name, i, c->cast, c->name);
	}
	if (t->touch)
		fprintf(f, "%s, ", t->touch);
	fprintf(f, "version = nextval('master_version_seq') FROM %s s WHERE ", src);
	put_keys(f, t, ncols);
	const char *or = " AND (";
	for (int i = 0; i < ncols; i++) {
		const target_column *c = &t->cols[i];
		if (c->mode == COLUMN_SET)
			fprintf(f, "%st.%s IS DISTINCT FROM s.c%d%s", or, c->name, i, c->cast);
		else if (c->mode == COLUMN_KEEP)
			fprintf(f, "%s(s.c%d IS NOT NULL AND t.%s IS DISTINCT FROM s.c%d%s)", or, i,
				c->name, i, c->cast);
		else
			continue;
		or = " OR ";
	}
	fputs(")", f);
}

/* INSERT of the rows of src the table does not hold. */
static void put_insert(FILE *f, const target *t, int ncols, const char *src)
{
	fprintf(f, "INSERT INTO %s (", t->table);
	for (int i = 0; i < ncols; i++)
		if (t->cols[i].mode != COLUMN_NONE)
			fprintf(f, "%s, ", t->cols[i].name);
	fputs("version) SELECT ", f);
	for (int i = 0; i < ncols; i++) {
		const target_column *c = &t->cols[i];
		if (c->mode == COLUMN_NONE)
			continue;
		if (c->insert_default)
			fprintf(f, "coalesce(s.c%d%s, %s), ", i, c->cast, c->insert_default);
		else
			fprintf(f, "s.c%d%s, ", i, c->cast);
	}
	fprintf(f, "nextval('master_version_seq') FROM %s s WHERE NOT EXISTS (SELECT 1 FROM %s t"
		   " WHERE ", src, t->table);
	put_keys(f, t, ncols);
	fputs(")", f);
}

typedef void (*put_sql_fn)(FILE *f, const target *t, int ncols, const char *src);

/* The statement put writes, malloc'd (NULL: out of memory). */
static char *build_sql(put_sql_fn put, const target *t, int ncols, const char *src)
{
	char *sql = NULL;
	size_t len;
	FILE *f = open_memstream(&sql, &len);
	if (!f)
		return NULL;
	put(f, t, ncols, src);
	if (fclose(f) != 0) {
		free(sql);
		return NULL;
	}
	return sql;
}

/* Run sql (NULL: out of memory building it); *count += rows it touched. */
static fc_status run_counted(import_run *r, const char *doing, const char *sql, int64_t *count,
			     fc_error *err)
{
	if (!sql)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	PGresult *res;
	fc_status st = hq_db_query(r->db, doing, sql, 0, NULL, &res, err);
	if (st)
		return st;
	*count += strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return FC_OK;
}

static fc_status store_from(import_run *r, const char *src, fc_error *err)
{
	const target *t = &targets[r->kind];
	char *sql = build_sql(put_update, t, r->ncols, src);
	fc_status st = run_counted(r, "updating the stored rows", sql, &r->updated, err);
	free(sql);
	if (st)
		return st;
	sql = build_sql(put_insert, t, r->ncols, src);
	st = run_counted(r, "inserting the new rows", sql, &r->inserted, err);
	free(sql);
	return st;
}

/* Store the staged rows.  A key listed n times in the file is stored in n
 * rounds, in the order of the file, so the last line wins and the columns
 * it leaves empty keep what the earlier ones gave (as at the station). */
static fc_status store(import_run *r, fc_error *err)
{
	const target *t = &targets[r->kind];
	char keys[256] = "", buf[64];
	for (int i = 0; i < r->ncols; i++) {
		if (t->cols[i].mode != COLUMN_KEY)
			continue;
		snprintf(buf, sizeof buf, "%sc%d", keys[0] ? ", " : "", i);
		strncat(keys, buf, sizeof keys - strlen(keys) - 1);
	}
	char sql[512], rounds[32];
	snprintf(sql, sizeof sql,
		 "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM hq_stage GROUP BY %s) x",
		 keys);
	fc_status st = hq_db_value(r->db, "counting the keys listed twice", sql, 0, NULL, rounds,
				   sizeof rounds, err);
	long n = st ? 0 : strtol(rounds, NULL, 10);
	/* versions drawn from here on: the master lock first (hq_db.h) */
	if (!st)
		st = hq_db_master_lock(r->db, err);
	if (!st && n <= 1)
		return store_from(r, "hq_stage", err);
	if (!st) {
		snprintf(sql, sizeof sql,
			 "CREATE TEMP TABLE hq_round ON COMMIT DROP AS SELECT *, row_number() OVER"
			 " (PARTITION BY %s ORDER BY line) AS round FROM hq_stage;"
			 " CREATE INDEX ON hq_round(round); ANALYZE hq_round", keys);
		st = hq_db_exec(r->db, sql, err);
	}
	for (long k = 1; !st && k <= n; k++) {
		snprintf(sql, sizeof sql, "(SELECT * FROM hq_round WHERE round = %ld)", k);
		st = store_from(r, sql, err);
	}
	return st;
}

/* Blocked cards block the cards head office knows, each a new version. */
static fc_status block_cards(import_run *r, fc_error *err)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "UPDATE cards c SET status = 'blocked', version = nextval('master_version_seq')"
		 " FROM (SELECT DISTINCT c%d AS card_id FROM hq_stage) s"
		 " WHERE c.card_id = s.card_id AND c.status <> 'blocked'", IMPORT_BL_ID);
	return run_counted(r, "blocking the cards", sql, &r->cards_blocked, err);
}

static fc_status run(import_run *r, rowfile *rf, FILE *out, fc_error *err)
{
	fc_status st = stage_begin(r, err);
	if (st)
		return st;
	fc_status read = rowfile_read(rf, r->kind, r->errors, stage_row, r, NULL, NULL, err);
	st = stage_end(r, read, err);
	if (!st)
		st = hq_db_exec(r->db, "ANALYZE hq_stage", err);
	if (!st)
		st = check_against_database(r, err);
	if (st)
		return st;
	if (r->errors->total) {
		rowfile_errors_print(r->errors, out);
		fflush(out); /* before the caller's message on stderr */
		return fc_error_set(err, FC_ERR_INVALID, "%" PRId64 " bad rows in %s: nothing was "
				    "changed", r->errors->total, rf->path);
	}
	st = store(r, err);
	if (!st && r->kind == IMPORT_BLOCKED)
		st = block_cards(r, err);
	return st;
}

fc_status hq_import_file(PGconn *db, const char *kind_name, const char *path, FILE *out,
			 fc_error *err)
{
	import_kind kind;
	if (!import_kind_parse(kind_name, &kind))
		return fc_error_set(err, FC_ERR_USAGE,
				    "import: unknown kind '%s' (customers, cards, blocked, prices, "
				    "holidays)", kind_name);
	if (!targets[kind].table)
		return fc_error_set(err, FC_ERR_USAGE,
				    "import %s: head office computes tiers/litres: forecourt-hq "
				    "evaluate-tiers", kind_name);
	int64_t t0 = clock_mono_ms();
	rowfile rf;
	fc_status st = rowfile_open(&rf, path, err);
	if (st)
		return st;
	rowfile_errors *errors = calloc(1, sizeof *errors);
	if (!errors) {
		rowfile_close(&rf);
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	}
	import_run r = { .db = db, .kind = kind, .ncols = import_kind_column_count(kind),
			 .errors = errors };
	char version[32] = "";
	st = hq_db_begin(db, err);
	if (!st)
		st = run(&r, &rf, out, err);
	if (!st && r.inserted + r.updated + r.cards_blocked)
		st = hq_db_value(db, "reading the master version",
				 "SELECT currval('master_version_seq')", 0, NULL, version,
				 sizeof version, err);
	st = hq_db_finish(db, st, err);
	rowfile_close(&rf);
	free(r.buf);
	free(errors);
	if (st)
		return st;
	fprintf(out, "%s: %" PRId64 " rows: %" PRId64 " inserted, %" PRId64 " updated, %" PRId64
		" unchanged", kind_name, rf.rows, r.inserted, r.updated,
		rf.rows - r.inserted - r.updated);
	if (kind == IMPORT_BLOCKED)
		fprintf(out, ", %" PRId64 " cards set blocked", r.cards_blocked);
	if (version[0])
		fprintf(out, "; master version %s", version);
	fprintf(out, " (%.1f s)\n", (double)(clock_mono_ms() - t0) / 1000.0);
	return FC_OK;
}
