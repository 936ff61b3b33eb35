/* search_index.c — the search entries of the customers a bulk job added or
 * renamed (search_pending, migration 16), made after its switch in short
 * transactions, in the background of the station's work. */
#include "customers/search.h"

#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "store/bulk.h"
#include "store/db.h"
#include "store/schema.h"

/* A statement of about this many microseconds; its rows double or halve. */
#define INDEX_STEP_US 3000
#define INDEX_ROWS_MAX 4096

enum { ST_BOUND, ST_SEARCH, ST_GRAMS, ST_FORGET, ST_COUNT };

static const char *const index_sql[ST_COUNT] = {
	[ST_BOUND] = "SELECT id FROM search_pending WHERE id > ?1 ORDER BY id LIMIT 1 OFFSET ?2",
	[ST_SEARCH] = "INSERT INTO customer_search(rowid, name, phone, plate, code, phone_digits)"
		      " SELECT c.id, c.name, c.phone, c.plate, c.code, c.phone_digits"
		      " FROM search_pending p CROSS JOIN customers c ON c.id = p.id"
		      " WHERE p.id > ?1 AND p.id <= ?2",
	[ST_GRAMS] = "INSERT INTO customer_grams(rowid, grams) SELECT c.id, "
		     SCHEMA_CUSTOMER_GRAMS("c.name", "c.plate")
		     " FROM search_pending p CROSS JOIN customers c ON c.id = p.id"
		     " WHERE p.id > ?1 AND p.id <= ?2",
	[ST_FORGET] = "DELETE FROM search_pending WHERE id > ?1 AND id <= ?2",
};

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* One statement of ids (lo, hi]; bound ?1, ?2. */
static fc_status index_step(sqlite3 *db, sqlite3_stmt *st, int64_t lo, int64_t hi, fc_error *err)
{
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "making the search entries", err);
}

/* A step holds the write lock (and the bulk lock) this long, then leaves
 * both free this long, as a bulk job's chunks do (store/bulk.c). */
#define INDEX_CHUNK_US 8000
#define INDEX_PAUSE_US 3000
#define INDEX_CHECKPOINT_US 100000

/* One chunk: ids (*lo, ...] indexed and forgotten until its time is used
 * or none is left (*last); *rows adapts. */
static fc_status index_chunk(sqlite3 *db, sqlite3_stmt **st, int64_t *lo, int64_t *rows,
			     bool *last, int64_t *indexed, fc_error *err)
{
	fc_status s = FC_OK;
	int64_t start = now_us();
	while (!s && !*last && now_us() - start < INDEX_CHUNK_US) {
		int64_t t0 = now_us(), hi = INT64_MAX;
		sqlite3_bind_int64(st[ST_BOUND], 1, *lo);
		sqlite3_bind_int64(st[ST_BOUND], 2, *rows - 1);
		int rc = sqlite3_step(st[ST_BOUND]);
		if (rc == SQLITE_ROW)
			hi = sqlite3_column_int64(st[ST_BOUND], 0);
		else if (rc == SQLITE_DONE)
			*last = true;
		else
			s = db_fail(db, rc, "making the search entries", err);
		sqlite3_reset(st[ST_BOUND]);
		for (int i = ST_SEARCH; !s && i < ST_COUNT; i++)
			s = index_step(db, st[i], *lo, hi, err);
		if (!s && indexed)
			*indexed += sqlite3_changes(db);
		*lo = hi;
		int64_t took = now_us() - t0;
		if (took < INDEX_STEP_US / 2 && *rows < INDEX_ROWS_MAX)
			*rows *= 2;
		else if (took > INDEX_STEP_US * 3 / 2 && *rows > 1)
			*rows /= 2;
	}
	return s;
}

fc_status search_index_pending(sqlite3 *db, const char *db_path, int64_t budget_ms,
			       int64_t *indexed, bool *more, fc_error *err)
{
	if (indexed)
		*indexed = 0;
	if (more)
		*more = false;
	int64_t until = budget_ms > 0 ? now_us() + budget_ms * 1000 : INT64_MAX;
	int64_t listed = 0;
	fc_status s = db_query_int64(db, "SELECT EXISTS (SELECT 1 FROM search_pending)", &listed, err);
	if (s || !listed)
		return s;
	sqlite3_stmt *st[ST_COUNT] = { NULL };
	for (int i = 0; !s && i < ST_COUNT; i++)
		s = db_prepare(db, index_sql[i], &st[i], err);
	/* a chunk lost to a power cut leaves its customers listed: no fsync
	 * per chunk */
	int64_t sync = 2;
	if (!s)
		s = db_query_int64(db, "PRAGMA synchronous", &sync, err);
	if (!s)
		s = db_exec(db, "PRAGMA synchronous = NORMAL", "making the search entries", err);
	int64_t lo = -1, rows = 64, checkpoint = now_us();
	for (bool last = false; !s && !last;) {
		int lock = bulk_lock_try(db_path);
		if (lock < 0)
			break; /* a bulk job: it lists what it changes; its end goes on */
		s = db_begin(db, err);
		if (!s)
			s = index_chunk(db, st, &lo, &rows, &last, indexed, err);
		s = db_finish(db, s, err);
		bulk_lock_release(lock);
		if (now_us() - checkpoint >= INDEX_CHECKPOINT_US) {
			sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
			checkpoint = now_us();
		}
		if (!s && !last && now_us() >= until) {
			if (more)
				*more = true;
			break;
		}
		if (!last)
			usleep(INDEX_PAUSE_US);
	}
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st[i]);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA synchronous = %d", (int)sync);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	return s;
}
