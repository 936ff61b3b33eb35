/* import.c — running an import file (read by base/rowfile) in one
 * all-or-nothing transaction, with the bulk-loading tricks of big files. */
#include "import/import.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_rows.h"
#include "store/db.h"

/* rowfile's row callback: check and store one row. */
static fc_status import_row(void *user, const char *const *vals, fc_error *err)
{
	return import_rows_apply(user, vals, err);
}

static int64_t pragma_cache_size(sqlite3 *db)
{
	sqlite3_stmt *st;
	int64_t n = -2000;
	if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Bulk loading.  The search index (FTS5) flushes at every statement when
 * fed row by row, which makes a million inserts take minutes; and index
 * pages of a table that grows a lot are cheaper built once by sorting.  So
 * while importing customers the search triggers are set aside (rows changed
 * in place are re-indexed by import_customers.c, new ones at the end), and
 * when the file is big against the table its secondary indexes too; the
 * new rows are indexed at the end.  All inside the transaction: a rollback
 * restores the schema as it was. */
#define BULK_MAX_SQL 8
#define BULK_BYTES_PER_ROW 40 /* a low guess, to estimate rows from the size */

typedef struct bulk_defer {
	char *sql[BULK_MAX_SQL]; /* CREATE statements to run again at the end */
	int count;
	bool search;             /* the search trigger was set aside */
	int64_t max_id;          /* customers above this id are new */
} bulk_defer;

static fc_status bulk_defer_begin(sqlite3 *db, import_ctx *c, int64_t bytes, bulk_defer *d,
				  fc_error *err)
{
	const char *table = c->kind == IMPORT_CUSTOMERS ? "customers" : "cards";
	int64_t rows = import_rows_count_table(c);
	/* x4: a re-import of the same file (with longer rows than the guess)
	 * must not rebuild the indexes of a table it leaves unchanged */
	bool big = bytes / BULK_BYTES_PER_ROW > 4 * rows && bytes > 1000000;
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ?1 AND"
				 " sql IS NOT NULL AND ((type = 'index' AND ?2) OR"
				 " name IN ('customers_search_insert', 'customers_search_update'))",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, big);
	char drops[BULK_MAX_SQL][96];
	while (d->count < BULK_MAX_SQL && sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		d->sql[d->count] = strdup((const char *)sqlite3_column_text(st, 2));
		if (!d->sql[d->count])
			break;
		snprintf(drops[d->count], sizeof drops[0], "DROP %s \"%s\"",
			 strcmp(type, "trigger") == 0 ? "TRIGGER" : "INDEX", name);
		d->search |= strcmp(name, "customers_search_insert") == 0;
		c->search_deferred |= strcmp(name, "customers_search_update") == 0;
		d->count++;
	}
	sqlite3_finalize(st);
	if (c->kind == IMPORT_CUSTOMERS) {
		s = db_prepare(db, "SELECT coalesce(max(id), 0) FROM customers", &st, err);
		if (s)
			return s;
		if (sqlite3_step(st) == SQLITE_ROW)
			d->max_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		c->indexed_upto = d->max_id;
	}
	for (int i = 0; i < d->count && !s; i++)
		s = db_exec(db, drops[i], "preparing the import", err);
	return s;
}

static fc_status bulk_defer_end(sqlite3 *db, bulk_defer *d, fc_error *err)
{
	fc_status s = FC_OK;
	if (d->search) {
		sqlite3_stmt *st;
		s = db_prepare(db,
			       "INSERT INTO customer_search(rowid, name, phone, plate, code)"
			       " SELECT id, name, phone, plate, code FROM customers WHERE id > ?1",
			       &st, err);
		if (s)
			return s;
		sqlite3_bind_int64(st, 1, d->max_id);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, rc, "indexing the new customers for search", err);
	}
	for (int i = 0; i < d->count && !s; i++)
		s = db_exec(db, d->sql[i], "rebuilding an index after the import", err);
	return s;
}

static void bulk_defer_free(bulk_defer *d)
{
	for (int i = 0; i < d->count; i++)
		free(d->sql[i]);
}

/* The audit row of a whole import, inside its transaction. */
static fc_status import_audit(sqlite3 *db, const fc_actor *by, import_kind kind,
			      const char *path, const import_result *res, fc_error *err)
{
	char detail[700];
	snprintf(detail, sizeof detail,
		 "%s %.500s: %" PRId64 " rows, %" PRId64 " inserted, %" PRId64 " updated, %" PRId64
		 " unchanged, %" PRId64 " skipped",
		 import_kind_name(kind), path, res->rows, res->inserted, res->updated,
		 res->unchanged, res->skipped);
	return audit_record_by(db, by, "import", detail, err);
}

fc_status import_file(sqlite3 *db, const fc_config *cfg, import_kind kind, const char *path,
		      const fc_actor *by, import_progress_fn progress, void *user,
		      import_result *res, fc_error *err)
{
	memset(res, 0, sizeof *res);
	res->errors.path = path;
	rowfile rf;
	fc_status st = rowfile_open(&rf, path, err);
	if (st)
		return st;
	rf.unique_keys = true; /* a key twice is refused, naming both lines */
	import_ctx c = { .db = db, .cfg = cfg, .kind = kind, .errors = &res->errors, .res = res };
	clock_now_iso(c.now);

	/* A big file touches many index pages: keep them in memory (256 MiB at
	 * most) instead of spilling to the WAL again and again. */
	int64_t cache_before = pragma_cache_size(db);
	sqlite3_exec(db, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
	st = db_begin(db, err);
	bulk_defer defer = { .count = 0 };
	if (!st && (kind == IMPORT_CUSTOMERS || kind == IMPORT_CARDS))
		st = bulk_defer_begin(db, &c, rf.bytes_total, &defer, err);
	if (!st)
		st = import_rows_prepare(&c, err);
	int64_t before = st ? 0 : import_rows_count_table(&c);
	if (!st)
		st = rowfile_read(&rf, kind, &res->errors, import_row, &c, progress, user, err);
	rowfile_close(&rf);
	res->rows = rf.rows;
	if (!st && res->errors.total == 0)
		st = import_rows_flush(&c, err);
	if (!st && res->errors.total == 0) {
		int64_t after = import_rows_count_table(&c);
		if (kind != IMPORT_BLOCKED) {
			res->inserted = after - before;
			res->updated = c.changed - res->inserted;
			res->unchanged = res->rows - c.changed;
		}
	}
	import_rows_finish(&c);
	if (progress && !st && res->errors.total == 0 && (defer.count || defer.search))
		progress(user, res->rows, -1, rf.bytes_total);
	if (!st && res->errors.total == 0)
		st = bulk_defer_end(db, &defer, err);
	bulk_defer_free(&defer);
	if (progress)
		progress(user, res->rows, rf.bytes_done, rf.bytes_total);
	if (!st && res->errors.total) /* nothing applied when a row is bad */
		st = fc_error_set(err, FC_ERR_INVALID, "%s", rowfile_errors_first(&res->errors));
	if (!st && by)
		st = import_audit(db, by, kind, path, res, err);
	st = db_finish(db, st, err);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)cache_before);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	return st;
}

struct import_session {
	import_result *res;
	import_ctx ctx[IMPORT_KIND_COUNT]; /* a kind's statements once it has a row */
	bool open[IMPORT_KIND_COUNT];
};

fc_status import_session_open(sqlite3 *db, const fc_config *cfg, const char *source,
			      import_result *res, import_session **out, fc_error *err)
{
	*out = NULL;
	memset(res, 0, sizeof *res);
	res->errors.path = source;
	import_session *s = calloc(1, sizeof *s);
	if (!s)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	s->res = res;
	for (int k = 0; k < IMPORT_KIND_COUNT; k++) {
		s->ctx[k] = (import_ctx){ .db = db, .cfg = cfg, .kind = (import_kind)k,
					  .errors = &res->errors, .res = res };
		clock_now_iso(s->ctx[k].now);
	}
	*out = s;
	return FC_OK;
}

fc_status import_session_row(import_session *s, import_kind kind, const char *const *vals,
			     fc_error *err)
{
	fc_status st = FC_OK;
	/* a card, tier or litres row finds the customers stored before it */
	if (kind != IMPORT_CUSTOMERS && s->open[IMPORT_CUSTOMERS])
		st = import_rows_flush(&s->ctx[IMPORT_CUSTOMERS], err);
	if (!st && !s->open[kind]) {
		st = import_rows_prepare(&s->ctx[kind], err);
		s->open[kind] = true; /* finished by import_session_close either way */
	}
	if (st)
		return st;
	s->res->rows++;
	return import_rows_apply(&s->ctx[kind], vals, err);
}

fc_status import_session_flush(import_session *s, fc_error *err)
{
	fc_status st = FC_OK;
	for (int k = 0; k < IMPORT_KIND_COUNT && !st; k++)
		if (s->open[k])
			st = import_rows_flush(&s->ctx[k], err);
	return st;
}

void import_session_close(import_session *s)
{
	if (!s)
		return;
	for (int k = 0; k < IMPORT_KIND_COUNT; k++)
		if (s->open[k])
			import_rows_finish(&s->ctx[k]);
	free(s);
}
