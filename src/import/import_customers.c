/* import_customers.c — storing customer rows: a read-only probe by code tells
 * new, changed and unchanged rows apart; new rows go in multi-row INSERTs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "customers/archive.h"
#include "import/import_rows.h"
#include "store/db.h"

/* Why not one upsert per row: every execution of an INSERT into customers
 * evaluates its CHECK constraints, and each IN list there builds a small
 * temporary b-tree; a million of those (plus the heap growing and shrinking
 * around them) made an unchanged re-import take half an hour.  The probe is
 * a plain SELECT; only changed rows run the upsert, and new rows share one
 * INSERT per BATCH_ROWS rows. */
#define CU_COLS IMPORT_CU_COUNT
#define BATCH_ROWS 64
#define BATCH_SLOTS 256 /* hash of the pending codes (power of two) */
#define NOW_PARAM (CU_COLS * BATCH_ROWS + 1) /* the batch's updated_at */
#define UPSERT_NOW "?24"                     /* the upsert's (CU_COLS + 1) */
_Static_assert(CU_COLS == 23, "UPSERT_NOW and CUSTOMER_CHANGED number the columns");
#define VALUES_MAX 480 /* bytes of one row's VALUES tuple, parameters of 4 digits */

enum { ST_UPSERT, ST_PROBE, ST_POINTS, ST_HISTORY, ST_POINTS_CLEAR, ST_KEEP_UPDATE };

/* The upsert's "this row changes something" test, also the probe's. */
#define CUSTOMER_CHANGED                                                              \
	" name IS NOT ?2 OR nature IS NOT ?3 OR industry IS NOT ?4"                   \
	" OR (?5 IS NOT NULL AND (tier IS NOT ?5 OR tier_source <> 'hq'))"            \
	" OR (?6 IS NOT NULL AND points_synced IS NOT ?6)"                            \
	" OR (?7 IS NOT NULL AND phone IS NOT ?7) OR (?8 IS NOT NULL AND plate IS NOT ?8)" \
	" OR (?9 IS NOT NULL AND contact IS NOT ?9)"                                  \
	" OR (?10 IS NOT NULL AND address IS NOT ?10)"                                \
	" OR (?11 IS NOT NULL AND fuel_grades IS NOT ?11)"                            \
	" OR (?12 IS NOT NULL AND yearly_litres IS NOT ?12)"                          \
	" OR (?13 IS NOT NULL AND refuel_cycle_days IS NOT ?13)"                      \
	" OR (?14 IS NOT NULL AND other_channels IS NOT ?14)"                         \
	" OR (?15 IS NOT NULL AND potential_needs IS NOT ?15)"                        \
	" OR (?16 IS NOT NULL AND person_in_charge IS NOT ?16)"                       \
	" OR (?17 IS NOT NULL AND handler IS NOT ?17)"                                \
	" OR (?18 IS NOT NULL AND special_needs IS NOT ?18)"                          \
	" OR (?19 IS NOT NULL AND chain_last_purchase_at IS NOT ?19)"                 \
	" OR (?20 IS NOT NULL AND home_station IS NOT ?20)"                           \
	" OR (?21 IS NOT NULL AND owner_staff IS NOT ?21)"                            \
	" OR (?22 IS NOT NULL AND owner_name IS NOT ?22)"                             \
	" OR (?23 IS NOT NULL AND points_seq IS NOT ?23)"

#define INSERT_COLUMNS                                                                \
	"INSERT INTO {customers}(code, name, nature, industry, tier, tier_source,"      \
	" tier_evaluated_at, points_synced, points_synced_at, phone, plate, contact," \
	" address, fuel_grades, yearly_litres, refuel_cycle_days, other_channels,"    \
	" potential_needs, person_in_charge, handler, special_needs,"                 \
	" chain_last_purchase_at, home_station, owner_staff, owner_name, points_seq," \
	" created_at, updated_at) VALUES "

/* The VALUES tuple of one row whose columns are parameters p+1 .. p+23 and
 * whose time is parameter now, into out[VALUES_MAX]; returns its length. */
static int put_values(char *out, int p, int now)
{
	int n = snprintf(out, VALUES_MAX,
			 "(?%d, ?%d, ?%d, ?%d, coalesce(?%d, 'ordinary'), iif(?%d IS NULL, 'local',"
			 " 'hq'), iif(?%d IS NULL, NULL, ?%d), coalesce(?%d, 0), iif(?%d IS NULL,"
			 " NULL, ?%d)", p + 1, p + 2, p + 3, p + 4, p + 5, p + 5, p + 5, now, p + 6,
			 p + 6, now);
	for (int i = IMPORT_CU_PHONE; i < IMPORT_CU_POINTS_SEQ; i++)
		n += snprintf(out + n, VALUES_MAX - (size_t)n, ", ?%d", p + i + 1);
	n += snprintf(out + n, VALUES_MAX - (size_t)n, ", coalesce(?%d, 0), ?%d, ?%d)",
		      p + IMPORT_CU_POINTS_SEQ + 1, now, now);
	return n;
}

/* A new row waiting for its batch: its line and its values in the arena. */
typedef struct pending_row {
	int64_t line;
	int64_t nums[CU_COLS];
	long off[CU_COLS]; /* offset in text, -1 when absent */
} pending_row;

struct import_batch {
	sqlite3_stmt *insert; /* BATCH_ROWS rows at once */
	pending_row rows[BATCH_ROWS];
	int count;
	char *text;
	size_t used, cap;
	int slots[BATCH_SLOTS]; /* row index + 1, 0 when free */
	bool fresh;             /* the table was empty when the import began */
};

static unsigned code_hash(const char *s)
{
	unsigned h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static const char *row_value(const import_batch *b, const pending_row *r, int i)
{
	return r->off[i] < 0 ? NULL : b->text + r->off[i];
}

/* The pending row with this code, or -1. */
static int batch_find(const import_batch *b, const char *code)
{
	for (unsigned h = code_hash(code);; h++) {
		int k = b->slots[h & (BATCH_SLOTS - 1)];
		if (!k)
			return -1;
		if (strcmp(row_value(b, &b->rows[k - 1], IMPORT_CU_CODE), code) == 0)
			return k - 1;
	}
}

static bool batch_add(import_batch *b, int64_t line, const char *const *v, const int64_t *nums)
{
	size_t need = 0;
	for (int i = 0; i < CU_COLS; i++)
		need += v[i] ? strlen(v[i]) + 1 : 0;
	if (b->used + need > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		while (cap < b->used + need)
			cap *= 2;
		char *text = realloc(b->text, cap);
		if (!text)
			return false;
		b->text = text;
		b->cap = cap;
	}
	pending_row *r = &b->rows[b->count];
	r->line = line;
	for (int i = 0; i < CU_COLS; i++) {
		r->nums[i] = nums[i];
		r->off[i] = -1;
		if (v[i]) {
			size_t n = strlen(v[i]) + 1;
			memcpy(b->text + b->used, v[i], n);
			r->off[i] = (long)b->used;
			b->used += n;
		}
	}
	unsigned h = code_hash(v[IMPORT_CU_CODE]);
	while (b->slots[h & (BATCH_SLOTS - 1)])
		h++;
	b->slots[h & (BATCH_SLOTS - 1)] = ++b->count;
	return true;
}

static void batch_clear(import_batch *b)
{
	b->count = 0;
	b->used = 0;
	memset(b->slots, 0, sizeof b->slots);
}

/* Bind a row's columns from parameter base + 1 on. */
static void bind_row(sqlite3_stmt *st, int base, const char *const *v, const int64_t *nums)
{
	for (int i = 0; i < CU_COLS; i++) {
		if (!v[i])
			sqlite3_bind_null(st, base + i + 1);
		else if (import_kind_column_is_int(IMPORT_CUSTOMERS, i))
			sqlite3_bind_int64(st, base + i + 1, nums[i]);
		else if (i == IMPORT_CU_PLATE) /* in its one stored form */
			archive_bind_plate(st, base + i + 1, v[i]);
		else
			sqlite3_bind_text(st, base + i + 1, v[i], -1, SQLITE_STATIC);
	}
}

fc_status import_customers_sync_ledger(import_ctx *c, const char *const *v, const int64_t *nums,
				      fc_error *err)
{
	fc_status s = FC_OK;
	if (c->defer_ledger) {
		sqlite3_stmt *clear = c->stmt[ST_POINTS_CLEAR];
		sqlite3_bind_text(clear, 1, v[IMPORT_CU_CODE], -1, SQLITE_STATIC);
		s = import_rows_step_write(c, clear, "points", err);
	}
	sqlite3_stmt *p = c->stmt[ST_POINTS];
	sqlite3_bind_text(p, 1, v[IMPORT_CU_CODE], -1, SQLITE_STATIC);
	if (v[IMPORT_CU_POINTS_SEQ])
		sqlite3_bind_int64(p, 2, nums[IMPORT_CU_POINTS_SEQ]);
	else
		sqlite3_bind_null(p, 2);
	return s ? s : import_rows_step_write(c, p, "points", err);
}

/* One row through the upsert (id 0), or, when it keeps the name, phone and
 * plate of customer id, through KEEP_UPDATE; counts what it changed. */
static fc_status upsert_row(import_ctx *c, const char *const *v, const int64_t *nums,
			    int64_t id, fc_error *err)
{
	sqlite3_stmt *st = c->stmt[id ? ST_KEEP_UPDATE : ST_UPSERT];
	bind_row(st, 0, v, nums);
	sqlite3_bind_text(st, CU_COLS + 1, c->now, -1, SQLITE_STATIC);
	if (id)
		sqlite3_bind_int64(st, CU_COLS + 2, id);
	int64_t before = c->errors->total;
	fc_status s = import_rows_step_write(c, st, "code", err);
	if (s || c->errors->total != before)
		return s;
	int changed = sqlite3_changes(c->db);
	c->changed += changed;
	if (changed && v[IMPORT_CU_POINTS]) /* which ledger rows the balance includes */
		s = import_customers_sync_ledger(c, v, nums, err);
	return s;
}

static fc_status probe_and_store(import_ctx *c, const char *const *v, const int64_t *nums,
				 bool batch_new, fc_error *err);

fc_status import_customers_flush(import_ctx *c, fc_error *err)
{
	import_batch *b = c->batch;
	if (!b || !b->count)
		return FC_OK;
	const char *v[CU_COLS];
	if (b->count == BATCH_ROWS) {
		for (int r = 0; r < BATCH_ROWS; r++) {
			for (int i = 0; i < CU_COLS; i++)
				v[i] = row_value(b, &b->rows[r], i);
			bind_row(b->insert, r * CU_COLS, v, b->rows[r].nums);
		}
		sqlite3_bind_text(b->insert, NOW_PARAM, c->now, -1, SQLITE_STATIC);
		int rc = sqlite3_step(b->insert);
		sqlite3_reset(b->insert);
		if (rc == SQLITE_DONE) {
			c->changed += BATCH_ROWS;
			batch_clear(b);
			return FC_OK;
		}
		if ((rc & 0xff) != SQLITE_CONSTRAINT) {
			batch_clear(b);
			return db_fail(c->db, rc, "importing", err);
		}
		/* the statement undid itself: row by row to name the bad one */
	}
	int64_t line = c->errors->line;
	fc_status s = FC_OK;
	for (int r = 0; r < b->count && !s; r++) {
		for (int i = 0; i < CU_COLS; i++)
			v[i] = row_value(b, &b->rows[r], i);
		c->errors->line = b->rows[r].line;
		s = probe_and_store(c, v, b->rows[r].nums, false, err);
	}
	c->errors->line = line;
	batch_clear(b);
	return s;
}

/* The balance rule (README "Import files"): a balance from head office
 * with points_seq S includes exactly this station's ledger rows of seq <= S;
 * without S, every record head office acknowledged (not pending or dead in
 * the outbox).  A row without seq is one whose outbox row was pruned, which
 * only happens to sent records (migration 3 found no seq for it): included.
 * The rows whose flag differs from the rule are flipped, or, while a bulk
 * job writes shadow tables, noted in stage.ledger_flip and flipped at its
 * switch (import.c): the ledger is the station's own, never shadowed. */
#define LEDGER_ROWS                                                                   \
	" FROM points_ledger WHERE customer_id = (SELECT id FROM {customers}"          \
	" WHERE code = ?1)"
#define LEDGER_DIFFERS                                                                \
	" AND synced IS NOT iif(?2 IS NULL, synced OR NOT EXISTS (SELECT 1 FROM outbox o" \
	"   WHERE o.id = record_id AND o.state IN ('pending', 'dead')), seq IS NULL OR seq <= ?2)"
#define LEDGER_SYNC "UPDATE points_ledger SET synced = NOT synced WHERE id IN (SELECT id" \
	LEDGER_ROWS LEDGER_DIFFERS ")"
#define LEDGER_NOTE "INSERT INTO stage.ledger_flip(id, synced) SELECT id, NOT synced" \
	LEDGER_ROWS LEDGER_DIFFERS
#define LEDGER_NOTE_CLEAR "DELETE FROM stage.ledger_flip WHERE id IN (SELECT id" LEDGER_ROWS ")"

fc_status import_customers_prepare_history(import_ctx *c, sqlite3_stmt **st, fc_error *err)
{
	return import_rows_prepare_sql(c,
			  "INSERT INTO {tier_history}(customer_id, old_tier, new_tier, source, period,"
			  " changed_at) VALUES (?1, ?2, ?3, 'hq', ?4, ?5)",
			  st, err);
}

fc_status import_customers_prepare_probe(import_ctx *c, sqlite3_stmt **st, fc_error *err)
{
	return import_rows_prepare_sql(c,
				       "SELECT id, tier, tier_source, (" CUSTOMER_CHANGED "),"
				       " (name IS NOT ?2 OR (?7 IS NOT NULL AND phone"
				       "  IS NOT ?7) OR (?8 IS NOT NULL AND plate IS NOT ?8))"
				       " FROM {customers} WHERE code = ?1",
				       st, err);
}

void import_customers_bind(sqlite3_stmt *st, const char *const *v, const int64_t *nums)
{
	bind_row(st, 0, v, nums);
}

/* The upsert's SET: of the columns search indexes (name, phone, plate;
 * their indexes and phone_digits') and of the others.  A nature changed
 * without head office's tier: the tier is not carried over by rank;
 * ordinary until tiers_regrade_pending evaluates it against the new
 * nature's thresholds (the old nature and tier kept in tier_regrade for
 * its record). */
#define SET_SEARCHED " name = ?2, phone = coalesce(?7, phone), plate = coalesce(?8, plate),"
#define SET_OTHERS                                                                    \
	" nature = ?3, industry = ?4,"                                                \
	" tier = coalesce(?5, iif(nature IS ?3, tier, 'ordinary')),"                  \
	" tier_regrade = iif(?5 IS NOT NULL, NULL, iif(nature IS ?3, tier_regrade,"   \
	"   coalesce(tier_regrade, nature || ' ' || tier))),"                         \
	" tier_provisional = iif(?5 IS NULL AND nature IS ?3, tier_provisional, 0),"  \
	" tier_source = iif(?5 IS NULL, tier_source, 'hq'),"                          \
	" tier_evaluated_at = iif(?5 IS NULL OR (?5 IS tier AND tier_source = 'hq')," \
	"   tier_evaluated_at, " UPSERT_NOW "),"                                      \
	" points_synced = coalesce(?6, points_synced),"                               \
	" points_synced_at = iif(?6 IS NULL OR ?6 IS points_synced, points_synced_at," \
	"   " UPSERT_NOW "),"                                                         \
	" contact = coalesce(?9, contact), address = coalesce(?10, address),"         \
	" fuel_grades = coalesce(?11, fuel_grades),"                                  \
	" yearly_litres = coalesce(?12, yearly_litres),"                              \
	" refuel_cycle_days = coalesce(?13, refuel_cycle_days),"                      \
	" other_channels = coalesce(?14, other_channels),"                            \
	" potential_needs = coalesce(?15, potential_needs),"                          \
	" person_in_charge = coalesce(?16, person_in_charge),"                        \
	" handler = coalesce(?17, handler), special_needs = coalesce(?18, special_needs)," \
	" chain_last_purchase_at = coalesce(?19, chain_last_purchase_at),"            \
	" home_station = coalesce(?20, home_station),"                                \
	" owner_staff = coalesce(?21, owner_staff), owner_name = coalesce(?22, owner_name)," \
	" points_seq = coalesce(?23, points_seq),"                                    \
	" updated_at = " UPSERT_NOW

/* A row of a known code that keeps its name, phone and plate (the probe's
 * last column false: head office's balances, tiers, details) goes by id
 * (?25) through the upsert's SET without SET_SEARCHED, whose values it
 * sets to what they are.  The upsert's INSERT half checks every CHECK
 * constraint of the row, and its SET of name, phone and plate rewrites
 * their four index entries (random pages of a million-row shadow, each
 * chunk's WAL frames) for nothing; this UPDATE checks the constraints of
 * the columns it sets, and touches no index of search's columns. */
#define KEEP_UPDATE "UPDATE {customers} SET" SET_OTHERS " WHERE id = ?25"

fc_status import_customers_prepare(import_ctx *c, fc_error *err)
{
	char values[VALUES_MAX];
	put_values(values, 0, CU_COLS + 1);
	char *upsert = sqlite3_mprintf(INSERT_COLUMNS "%s"
		" ON CONFLICT(code) DO UPDATE SET" SET_SEARCHED SET_OTHERS " WHERE" CUSTOMER_CHANGED,
		values);
	if (!upsert)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	fc_status s = import_rows_prepare_sql(c, upsert, &c->stmt[ST_UPSERT], err);
	sqlite3_free(upsert);
	if (!s)
		s = import_rows_prepare_sql(c, KEEP_UPDATE, &c->stmt[ST_KEEP_UPDATE], err);
	if (!s)
		s = import_customers_prepare_probe(c, &c->stmt[ST_PROBE], err);
	if (!s)
		s = import_rows_prepare_sql(c, c->defer_ledger ? LEDGER_NOTE : LEDGER_SYNC,
					    &c->stmt[ST_POINTS], err);
	if (!s && c->defer_ledger)
		s = import_rows_prepare_sql(c, LEDGER_NOTE_CLEAR, &c->stmt[ST_POINTS_CLEAR], err);
	if (!s)
		s = import_customers_prepare_history(c, &c->stmt[ST_HISTORY], err);
	if (s)
		return s;
	import_batch *b = calloc(1, sizeof *b);
	char *sql = malloc(BATCH_ROWS * (VALUES_MAX + 2) + sizeof INSERT_COLUMNS);
	if (!b || !sql) {
		free(b);
		free(sql);
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	}
	c->batch = b;
	sqlite3_stmt *st;
	s = import_rows_prepare_sql(c, "SELECT NOT EXISTS (SELECT 1 FROM {customers})", &st, err);
	if (s) {
		free(sql);
		return s;
	}
	b->fresh = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	size_t n = strlen(strcpy(sql, INSERT_COLUMNS));
	for (int r = 0; r < BATCH_ROWS; r++) {
		if (r)
			n += strlen(strcpy(sql + n, ", "));
		n += (size_t)put_values(sql + n, r * CU_COLS, NOW_PARAM);
	}
	s = import_rows_prepare_sql(c, sql, &b->insert, err);
	free(sql);
	return s;
}

void import_customers_finish(import_ctx *c)
{
	if (!c->batch)
		return;
	sqlite3_finalize(c->batch->insert);
	free(c->batch->text);
	free(c->batch);
	c->batch = NULL;
}

fc_status import_customers_note_tier(import_ctx *c, sqlite3_stmt *history, sqlite3_stmt *row,
				    const char *tier, const char *period, fc_error *err)
{
	const char *old = (const char *)sqlite3_column_text(row, 1);
	const char *source = (const char *)sqlite3_column_text(row, 2);
	if (c->history_written || (old && strcmp(old, tier) == 0 && source &&
				   strcmp(source, "hq") == 0))
		return FC_OK;
	sqlite3_bind_int64(history, 1, sqlite3_column_int64(row, 0));
	sqlite3_bind_text(history, 2, old, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(history, 3, tier, -1, SQLITE_STATIC);
	if (period)
		sqlite3_bind_text(history, 4, period, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(history, 4);
	sqlite3_bind_text(history, 5, c->now, -1, SQLITE_STATIC);
	return import_rows_step_write(c, history, "tier", err);
}

/* Store one row after looking its code up: a new row joins the batch (or,
 * when batch_new is false, goes in alone); a changed one is updated, with
 * its tier history and search entry; an unchanged one is left alone. */
static fc_status probe_and_store(import_ctx *c, const char *const *v, const int64_t *nums,
				 bool batch_new, fc_error *err)
{
	sqlite3_stmt *q = c->stmt[ST_PROBE];
	bind_row(q, 0, v, nums);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(q);
		if (!batch_new)
			return upsert_row(c, v, nums, 0, err);
		import_batch *b = c->batch;
		if (!batch_add(b, c->errors->line, v, nums))
			return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
		return b->count == BATCH_ROWS ? import_customers_flush(c, err) : FC_OK;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		return db_fail(c->db, rc, "reading a customer", err);
	}
	fc_status s = FC_OK;
	if (sqlite3_column_int(q, 3)) { /* something changes */
		int64_t keeps = sqlite3_column_int(q, 4) ? 0 : sqlite3_column_int64(q, 0);
		if (v[IMPORT_CU_TIER])
			s = import_customers_note_tier(c, c->stmt[ST_HISTORY], q, v[IMPORT_CU_TIER],
						       NULL, err);
		sqlite3_reset(q);
		if (!s)
			s = upsert_row(c, v, nums, keeps, err);
	}
	sqlite3_reset(q);
	return s;
}

fc_status import_customers_apply(import_ctx *c, const char *const *v, const int64_t *nums,
				fc_error *err)
{
	import_batch *b = c->batch;
	if (batch_find(b, v[IMPORT_CU_CODE]) >= 0) { /* twice in the file: store the first */
		fc_status s = import_customers_flush(c, err);
		if (s)
			return s;
	}
	if (!b->fresh)
		return probe_and_store(c, v, nums, true, err);
	/* the table was empty: new unless listed twice, which the batch's
	 * INSERT refuses (UNIQUE), sending its rows through the probe */
	if (!batch_add(b, c->errors->line, v, nums))
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	return b->count == BATCH_ROWS ? import_customers_flush(c, err) : FC_OK;
}
