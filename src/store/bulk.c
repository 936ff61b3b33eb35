/* bulk.c — a bulk job's lock, its write chunks and their pacing, the
 * staging database, and the clearing of what a job that died left behind
 * (the shadow tables and their switch: bulk_shadow.c). */
#include "store/bulk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "store/bulk_job.h"
#include "store/db.h"

/* A chunk holds the write lock this long; then, before the next one, the
 * lock stays free this long, so a writer polling for it (db.c tries every
 * millisecond) gets in.  A fuelling waits at most about a chunk. */
#define BULK_CHUNK_MS 8
#define BULK_PAUSE_MS 3
/* Checkpoint the WAL this often while a job writes, so a fuelling's commit
 * rarely finds a WAL over SQLite's automatic checkpoint size. */
#define BULK_CHECKPOINT_MS 100
/* A statement over many rows (a copy, a delete) should take about this. */
#define BULK_STEP_US 3000
#define BULK_STEP_ROWS_MAX 4096
/* A job that does not wait for another still tries this long. */
#define BULK_LOCK_TRY_MS 100

int64_t bulk_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int lock_open(const char *db_path, char *path, size_t n)
{
	int w = snprintf(path, n, "%s.bulk.lock", db_path);
	if (w < 0 || (size_t)w >= n)
		return -1;
	return open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
}

int bulk_lock_try(const char *db_path)
{
	char path[4200];
	int fd = lock_open(db_path, path, sizeof path);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void bulk_lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}

bool bulk_running(const char *db_path)
{
	char path[4200];
	int fd = lock_open(db_path, path, sizeof path);
	if (fd < 0)
		return false;
	bool held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
}

int bulk_step_rows(bulk_job *j, int64_t took_us)
{
	if (took_us < BULK_STEP_US / 2 && j->step_rows < BULK_STEP_ROWS_MAX)
		j->step_rows *= 2;
	else if (took_us > BULK_STEP_US * 3 / 2 && j->step_rows > 1)
		j->step_rows /= 2;
	return j->step_rows;
}

fc_status bulk_exec(bulk_job *j, const char *sql, fc_error *err)
{
	return db_exec(j->db, sql, "the bulk job", err);
}

fc_status bulk_chunk_begin(bulk_job *j, fc_error *err)
{
	int64_t since = bulk_now_us() - j->chunk_end_us;
	if (j->chunk_end_us && since < BULK_PAUSE_MS * 1000)
		usleep((useconds_t)(BULK_PAUSE_MS * 1000 - since));
	fc_status s = db_begin(j->db, err);
	j->chunk_start_us = bulk_now_us();
	return s;
}

bool bulk_chunk_due(const bulk_job *j)
{
	return bulk_now_us() - j->chunk_start_us >= BULK_CHUNK_MS * 1000;
}

fc_status bulk_chunk_end(bulk_job *j, fc_status s, fc_error *err)
{
	s = db_finish(j->db, s, err);
	j->chunk_end_us = bulk_now_us();
	if (j->chunk_end_us - j->checkpoint_us >= BULK_CHECKPOINT_MS * 1000) {
		sqlite3_wal_checkpoint_v2(j->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		j->checkpoint_us = bulk_now_us();
	}
	return s;
}

/* The key of table name for chunked reads: "rowid", or the primary key's
 * columns of a WITHOUT ROWID table, comma separated, into out[n]. */
fc_status bulk_key_columns(sqlite3 *db, const char *name, char *out, size_t n, int *count,
			   fc_error *err)
{
	char *sql = sqlite3_mprintf("SELECT rowid FROM \"%w\"", name);
	sqlite3_stmt *st = NULL;
	int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	sqlite3_finalize(st);
	*count = 1;
	if (rc == SQLITE_OK) {
		snprintf(out, n, "rowid");
		return FC_OK;
	}
	fc_status s = db_prepare(db, "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	size_t used = 0;
	*count = 0;
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		int w = snprintf(out + used, n - used, "%s\"%s\"", used ? ", " : "",
				 (const char *)sqlite3_column_text(st, 0));
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
		(*count)++;
	}
	sqlite3_finalize(st);
	if (!*count)
		return fc_error_set(err, FC_ERR_DB, "the bulk job: table %s has no key", name);
	return FC_OK;
}

char *bulk_stored_columns(sqlite3 *db, const char *name, fc_error *err)
{
	sqlite3_stmt *st;
	if (db_prepare(db, "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid",
		       &st, err))
		return NULL;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_str *cols = sqlite3_str_new(db);
	int rc, n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		sqlite3_str_appendf(cols, "%s\"%w\"", n++ ? ", " : "",
				    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	char *out = sqlite3_str_finish(cols);
	if (rc != SQLITE_DONE || !n || !out) {
		sqlite3_free(out);
		fc_error_set(err, FC_ERR_DB, "the bulk job: the columns of table %s", name);
		return NULL;
	}
	return out;
}

/* Delete the rows of table name (those where keep is false; keep may be
 * NULL) in chunks.  Its triggers and indexes are dropped first, each alone
 * (one statement over an index: about 0.1 s for a million customers), so
 * deleting fires none and keeps no index in step. */
static fc_status clear_rows(bulk_job *j, const char *name, const char *keep, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(j->db, "SELECT upper(type), name FROM sqlite_master WHERE type IN"
					" ('trigger', 'index') AND sql IS NOT NULL AND tbl_name = ?1",
				 &st, err);
	if (s)
		return s;
	char *drops[32];
	int n = 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (n < 32 && sqlite3_step(st) == SQLITE_ROW)
		drops[n++] = sqlite3_mprintf("DROP %s \"%w\"", sqlite3_column_text(st, 0),
					     (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	for (int i = 0; i < n; i++) {
		if (!s)
			s = drops[i] ? bulk_chunk_begin(j, err)
				     : fc_error_set(err, FC_ERR_NOMEM, "out of memory");
		if (!s)
			s = bulk_chunk_end(j, bulk_exec(j, drops[i], err), err);
		sqlite3_free(drops[i]);
	}
	char key[256];
	int keys;
	if (!s)
		s = bulk_key_columns(j->db, name, key, sizeof key, &keys, err);
	if (s)
		return s;
	char *sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE (%s) IN (SELECT %s FROM \"%w\""
				    " WHERE NOT (%s) LIMIT ?1)", name, key, key, name, keep ? keep : "0");
	sqlite3_stmt *del = NULL;
	s = sql ? db_prepare(j->db, sql, &del, err) : fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	sqlite3_free(sql);
	for (bool more = true; !s && more;) {
		s = bulk_chunk_begin(j, err);
		while (!s && more && !bulk_chunk_due(j)) {
			int64_t t0 = bulk_now_us();
			sqlite3_bind_int(del, 1, j->step_rows);
			int rc = sqlite3_step(del);
			sqlite3_reset(del);
			if (rc != SQLITE_DONE)
				s = db_fail(j->db, rc, "clearing an old table", err);
			more = !s && sqlite3_changes(j->db) > 0;
			bulk_step_rows(j, bulk_now_us() - t0);
		}
		s = bulk_chunk_end(j, s, err);
	}
	sqlite3_finalize(del);
	return s;
}

/* Empty table name in chunks, then drop it; an FTS5 index (virtual) by
 * its shadow tables, which hold its rows; its records 1 (averages) and 10
 * (structure) stay, or the index could not be opened to be dropped. */
static fc_status clear_table(bulk_job *j, const char *name, bool virtual, fc_error *err)
{
	fc_status s = FC_OK;
	static const char *const parts[] = { "_data", "_docsize", "_idx" };
	static const char *const keep[] = { "id <= 10", NULL, NULL };
	for (size_t i = 0; !s && i < (virtual ? sizeof parts / sizeof parts[0] : 1); i++) {
		char *part = sqlite3_mprintf("%s%s", name, virtual ? parts[i] : "");
		char *q = sqlite3_mprintf("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
					  " AND name = %Q", part);
		int64_t exists = 0;
		s = part && q ? db_query_int64(j->db, q, &exists, err)
			      : fc_error_set(err, FC_ERR_NOMEM, "out of memory");
		sqlite3_free(q);
		if (!s && exists)
			s = clear_rows(j, part, virtual ? keep[i] : NULL, err);
		sqlite3_free(part);
	}
	char *drop = s ? NULL : sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\"", name);
	if (!s && !drop)
		s = fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	if (s)
		return s;
	s = bulk_chunk_begin(j, err);
	if (!s)
		s = bulk_exec(j, drop, err);
	sqlite3_free(drop);
	return bulk_chunk_end(j, s, err);
}

fc_status bulk_clear_leftovers(bulk_job *j, fc_error *err)
{
	/* the noting triggers first: station actions stop paying for them */
	sqlite3_stmt *st;
	fc_status s = db_prepare(j->db,
				 "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE"
				 " 'bulk\\_dirty\\_%' ESCAPE '\\'", &st, err);
	if (s)
		return s;
	char *drops[BULK_TABLE_COUNT * 3];
	int n = 0;
	while (n < BULK_TABLE_COUNT * 3 && sqlite3_step(st) == SQLITE_ROW)
		drops[n++] = sqlite3_mprintf("DROP TRIGGER IF EXISTS \"%w\"",
					     (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	for (int i = 0; i < n; i++) {
		if (!s)
			s = drops[i] ? bulk_exec(j, drops[i], err)
				     : fc_error_set(err, FC_ERR_NOMEM, "out of memory");
		sqlite3_free(drops[i]);
	}
	if (!s)
		s = bulk_exec(j, "DROP TABLE IF EXISTS bulk_dirty", err);
	/* then the tables: virtual ones (search indexes) before the rest */
	for (int pass = 0; !s && pass < 2; pass++) {
		char found[300];
		for (;;) {
			s = db_prepare(j->db,
				       "SELECT name FROM sqlite_master WHERE type = 'table' AND"
				       " (name LIKE '%\\_\\_next' ESCAPE '\\' OR name LIKE"
				       " '%\\_\\_old' ESCAPE '\\') AND (sql LIKE 'CREATE VIRTUAL%') = ?1"
				       " LIMIT 1", &st, err);
			if (s)
				break;
			sqlite3_bind_int(st, 1, pass == 0);
			bool any = sqlite3_step(st) == SQLITE_ROW;
			if (any)
				snprintf(found, sizeof found, "%s", sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
			if (!any)
				break;
			s = clear_table(j, found, pass == 0, err);
			if (s)
				break;
		}
	}
	return s;
}

fc_status bulk_open(sqlite3 *db, const char *db_path, bool wait, bulk_job **out, fc_error *err)
{
	*out = NULL;
	bulk_job *j = calloc(1, sizeof *j);
	if (!j)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	j->db = db;
	j->saved_sync = 2; /* FULL */
	j->saved_fk = 1;
	j->step_rows = 64;
	j->lock_fd = lock_open(db_path, j->lock_path, sizeof j->lock_path);
	if (j->lock_fd < 0) {
		fc_status s = fc_error_set(err, FC_ERR_IO, "%s.bulk.lock: cannot open: %s", db_path,
					   strerror(errno));
		free(j);
		return s;
	}
	/* not waiting: still a few tries, for the search builder's chunks
	 * (customers/search_index.c), which hold the lock a moment each */
	int64_t give_up = bulk_now_us() + BULK_LOCK_TRY_MS * 1000;
	while (flock(j->lock_fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK && bulk_now_us() < give_up) {
			usleep(1000);
			continue;
		}
		fc_status s = errno == EWOULDBLOCK
				      ? fc_error_set(err, FC_ERR_LOCKED,
						     "another import, master pull or tier evaluation "
						     "is running on %s", db_path)
				      : fc_error_set(err, FC_ERR_IO, "%s: cannot lock: %s",
						     j->lock_path, strerror(errno));
		close(j->lock_fd);
		free(j);
		return s;
	}
	/* the job's own chunks need not reach the disk one by one: until the
	 * switch (synchronous=FULL) nothing they write is seen */
	int64_t sync = 2, fk = 1;
	fc_status s = db_query_int64(db, "PRAGMA synchronous", &sync, err);
	if (!s)
		s = db_query_int64(db, "PRAGMA foreign_keys", &fk, err);
	j->saved_sync = (int)sync;
	j->saved_fk = (int)fk;
	if (!s)
		s = bulk_exec(j, "PRAGMA synchronous = NORMAL", err);
	if (!s)
		s = bulk_clear_leftovers(j, err);
	sqlite3_exec(db, "DETACH stage", NULL, NULL, NULL); /* left by a job that failed to */
	if (!s)
		s = bulk_exec(j, "ATTACH '' AS stage; PRAGMA stage.journal_mode = OFF;"
				 "PRAGMA stage.synchronous = OFF", err);
	if (!s)
		j->attached = true;
	if (s) {
		bulk_close(j);
		return s;
	}
	*out = j;
	return FC_OK;
}

void bulk_close(bulk_job *j)
{
	if (!j)
		return;
	fc_error ignored;
	db_rollback(j->db);
	if (j->shadows && !j->switched)
		bulk_clear_leftovers(j, &ignored);
	if (j->attached)
		sqlite3_exec(j->db, "DETACH stage", NULL, NULL, NULL);
	char sql[128];
	snprintf(sql, sizeof sql, "PRAGMA foreign_keys = %d; PRAGMA legacy_alter_table = OFF;"
		 " PRAGMA synchronous = %d", j->saved_fk, j->saved_sync);
	sqlite3_exec(j->db, sql, NULL, NULL, NULL);
	close(j->lock_fd);
	free(j);
}
