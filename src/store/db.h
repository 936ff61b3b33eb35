/* db.h — the SQLite connection: open with the design's pragmas, migrate,
 * check, back up, and write transactions (BEGIN IMMEDIATE) that either
 * commit whole or leave nothing. */
#ifndef FC_DB_H
#define FC_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "base/status.h"

#define DB_BUSY_TIMEOUT_MS 10000 /* a write waits this long (tried every ms) */

typedef enum {
	DB_OPEN_EXISTING, /* fail when the file is missing or not migrated */
	DB_OPEN_CREATE,   /* create (mode 0600) and migrate to the latest */
} db_open_mode;

/* Open path with WAL, synchronous=FULL, foreign_keys=ON, busy_timeout.
 * A database whose user_version is newer than the binary is refused
 * (FC_ERR_DB_NEWER, naming both versions); an older one is migrated when
 * mode is DB_OPEN_CREATE, refused otherwise.  *out is closed by db_close. */
fc_status db_open(const char *path, db_open_mode mode, sqlite3 **out, fc_error *err);

/* Close; NULL is fine. */
void db_close(sqlite3 *db);

/* Bring the database to the latest schema in one transaction.
 * *from receives the version found (may be NULL). */
fc_status db_migrate(sqlite3 *db, int *from, fc_error *err);

/* PRAGMA user_version. */
int db_schema_version(sqlite3 *db);

/* Map a SQLite result code to a status and fill err with the message and
 * what was being done ("saving the visit"). */
fc_status db_fail(sqlite3 *db, int rc, const char *doing, fc_error *err);

/* BEGIN IMMEDIATE (waits for other writers up to the busy timeout). */
fc_status db_begin(sqlite3 *db, fc_error *err);
/* COMMIT; on failure rolls back so nothing partial remains. */
fc_status db_commit(sqlite3 *db, fc_error *err);
/* ROLLBACK when a transaction is open; never fails loudly. */
void db_rollback(sqlite3 *db);

/* End the write transaction begun by db_begin: COMMIT when s is FC_OK (its
 * failure is returned), else ROLLBACK and s.  The one tail of every
 * user action: `return db_finish(db, s, err);`. */
fc_status db_finish(sqlite3 *db, fc_status s, fc_error *err);

/* Bind text, or NULL when text is NULL or "" (an optional field). */
void db_bind_text_opt(sqlite3_stmt *st, int i, const char *text);

/* Column i as text, "" for NULL; lives until the next step/finalize. */
const char *db_column_text(sqlite3_stmt *st, int i);

/* Column i as text into out[n] ("" for NULL), cut at n - 1 bytes. */
void db_column_copy(sqlite3_stmt *st, int i, char *out, size_t n);

/* Run SQL without results (several statements allowed). */
fc_status db_exec(sqlite3 *db, const char *sql, const char *doing, fc_error *err);

/* Prepare; on failure fills err. */
fc_status db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt, fc_error *err);

/* Step st (a statement without result rows: INSERT, UPDATE, DELETE) once
 * and finalize it: FC_OK on SQLITE_DONE, else db_fail(doing). */
fc_status db_step_done(sqlite3 *db, sqlite3_stmt *st, const char *doing, fc_error *err);

/* The first column of the first row of sql (no parameters) into *out; 0
 * when there is no row. */
fc_status db_query_int64(sqlite3 *db, const char *sql, int64_t *out, fc_error *err);

/* meta table: text value of key into buf (size n); false when absent. */
bool db_meta_get(sqlite3 *db, const char *key, char *buf, size_t n);
/* Upsert a meta value (inside the caller's transaction when there is one). */
fc_status db_meta_set(sqlite3 *db, const char *key, const char *value, fc_error *err);

/* PRAGMA quick_check; writes "ok" or the first problems into report. */
fc_status db_quick_check(sqlite3 *db, char *report, size_t n, fc_error *err);

/* True when sb (stat or fstat of a file) is db's own file: the database,
 * its -wal or its -shm, by device and inode.  A file the program writes
 * for other reasons (a backup, a trace) must never be one of them. */
bool db_is_own_file(sqlite3 *db, const struct stat *sb);

/* Online backup (sqlite3_backup) to dest (mode 0600), written whole or
 * not at all (atomic_file: temporary file, fsync, rename).  Refused
 * (FC_ERR_INVALID, nothing written) when dest is the live database or its
 * -wal/-shm file (by device and inode, through symlinks), or a database
 * another SQLite connection has open (its -wal, -shm or -journal beside
 * it, or its lock bytes held). */
fc_status db_backup(sqlite3 *db, const char *dest, fc_error *err);

#endif
