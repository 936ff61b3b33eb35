/* db.c — SQLite connection, pragmas, migrations, transactions, backup. */
#include "store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic_file.h"
#include "base/clock.h"
#include "base/log.h"
#include "store/schema.h"
#include "store/stmt_cache.h"

fc_status db_fail(sqlite3 *db, int rc, const char *doing, fc_error *err)
{
	int primary = rc & 0xff;
	const char *what = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	fc_status st = FC_ERR_DB;

	switch (primary) {
	case SQLITE_FULL:
		st = FC_ERR_DB_FULL;
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		st = FC_ERR_DB_BUSY;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		st = FC_ERR_DB_CORRUPT;
		break;
	case SQLITE_READONLY: {
		const char *file = db ? sqlite3_db_filename(db, "main") : NULL;
		return fc_error_set(err, FC_ERR_IO, "%s: %s: the database is read-only for this "
				    "user (%s)", file && *file ? file : "database", doing, what);
	}
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		st = FC_ERR_IO;
		break;
	case SQLITE_NOMEM:
		st = FC_ERR_NOMEM;
		break;
	case SQLITE_CONSTRAINT:
		st = FC_ERR_INVALID;
		break;
	default:
		break;
	}
	/* Logged: what the disk, the file or a lock did.  Not logged: a
	 * constraint (the action's own refusal) and an interrupt (a cancel). */
	if (primary != SQLITE_CONSTRAINT && primary != SQLITE_INTERRUPT)
		log_msg(st == FC_ERR_DB_CORRUPT ? LOG_CRIT
			: st == FC_ERR_DB_BUSY	? LOG_WARNING
						: LOG_ERR,
			"database error: %s: %s (%s)", doing, what, sqlite3_errstr(rc));
	if (st == FC_ERR_DB_FULL)
		return fc_error_set(err, st, "%s: disk full, nothing was saved (%s)", doing, what);
	return fc_error_set(err, st, "%s: %s", doing, what);
}

fc_status db_exec(sqlite3 *db, const char *sql, const char *doing, fc_error *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? FC_OK : db_fail(db, rc, doing, err);
}

fc_status db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt, fc_error *err)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, stmt, NULL);
	return rc == SQLITE_OK ? FC_OK : db_fail(db, rc, "preparing a query", err);
}

fc_status db_step_done(sqlite3 *db, sqlite3_stmt *st, const char *doing, fc_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, doing, err);
}

int db_schema_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

fc_status db_begin(sqlite3 *db, fc_error *err)
{
	return db_exec(db, "BEGIN IMMEDIATE", "starting a write", err);
}

fc_status db_commit(sqlite3 *db, fc_error *err)
{
	int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return FC_OK;
	fc_status st = db_fail(db, rc, "saving", err);
	db_rollback(db);
	return st;
}

void db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

fc_status db_finish(sqlite3 *db, fc_status s, fc_error *err)
{
	if (s == FC_OK)
		return db_commit(db, err);
	db_rollback(db);
	return s;
}

void db_bind_text_opt(sqlite3_stmt *st, int i, const char *text)
{
	if (text && *text)
		sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

const char *db_column_text(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

void db_column_copy(sqlite3_stmt *st, int i, char *out, size_t n)
{
	snprintf(out, n, "%s", db_column_text(st, i));
}

fc_status db_migrate(sqlite3 *db, int *from, fc_error *err)
{
	fc_status st = db_begin(db, err);
	if (st)
		return st;
	int v = db_schema_version(db);
	if (from)
		*from = v;
	int latest = schema_latest_version();
	if (v > latest)
		st = fc_error_set(err, FC_ERR_DB_NEWER,
				  "database schema version %d is newer than this program "
				  "understands (version %d): upgrade forecourt",
				  v, latest);
	for (int next = v + 1; !st && next <= latest; next++) {
		char doing[64];
		snprintf(doing, sizeof doing, "migrating the database to version %d", next);
		st = db_exec(db, schema_migration(next), doing, err);
	}
	if (!st && v < SCHEMA_CLASS_HISTORY_VERSION && latest >= SCHEMA_CLASS_HISTORY_VERSION) {
		/* the class history begins now (the report says so for earlier months) */
		char now[CLOCK_ISO_LEN], sql[128];
		clock_now_iso(now);
		snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO meta(key, value)"
			 " VALUES ('class_history_since', '%s')", now);
		st = db_exec(db, sql, "recording when the class history begins", err);
	}
	if (!st && v != latest) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", latest);
		st = db_exec(db, sql, "recording the schema version", err);
	}
	return db_finish(db, st, err);
}

/* The busy handler: try again every millisecond, for DB_BUSY_TIMEOUT_MS
 * in all.  sqlite3_busy_timeout's back-off sleeps up to 100 ms between
 * tries, and a bulk job (store/bulk.h) leaves the lock free for a few
 * milliseconds between its chunks: a waiting fuelling must not sleep
 * through those gaps.  count is how often we were called for this wait. */
static int db_busy_wait(void *unused, int count)
{
	(void)unused;
	if (count >= DB_BUSY_TIMEOUT_MS)
		return 0;
	sqlite3_sleep(1);
	return 1;
}

static fc_status db_configure(sqlite3 *db, bool readonly, fc_error *err)
{
	sqlite3_busy_handler(db, db_busy_wait, NULL);
	sqlite3_extended_result_codes(db, 1);
	/* a read-only connection finds the journal mode in the file */
	fc_status st = readonly ? FC_OK
				: db_exec(db, "PRAGMA journal_mode=WAL", "setting up the database",
					  err);
	if (!st)
		st = db_exec(db,
			     "PRAGMA synchronous=FULL;"
			     "PRAGMA foreign_keys=ON;",
			     "setting up the database", err);
	return st;
}

fc_status db_open(const char *path, db_open_mode mode, sqlite3 **out, fc_error *err)
{
	sqlite3 *db = NULL;
	*out = NULL;

	if (mode == DB_OPEN_CREATE) {
		/* Create the file ourselves so it is 0600 from its first byte. */
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return fc_error_set(err, FC_ERR_IO, "%s: cannot create database: %s",
					    path, strerror(errno));
		close(fd);
	} else if (access(path, F_OK) != 0) {
		return fc_error_set(err, FC_ERR_NOT_FOUND,
				    "%s: no database here (create it with 'forecourt init')", path);
	}
	/* A user who may only read the file (lookup, db check, outbox status
	 * as another user) opens it read-only; a write then fails naming it. */
	bool readonly = mode == DB_OPEN_EXISTING && access(path, W_OK) != 0 &&
			(errno == EACCES || errno == EROFS || errno == EPERM);
	int rc = sqlite3_open_v2(path, &db,
				 (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		fc_status st = fc_error_set(err, FC_ERR_IO, "%s: cannot open database: %s", path,
					    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return st;
	}
	fc_status st = db_configure(db, readonly, err);
	if (st == FC_ERR_DB_CORRUPT)
		fc_error_set(err, st, "%s: not a forecourt database (%s)", path, sqlite3_errmsg(db));
	int v = st ? -1 : db_schema_version(db);
	if ((st == FC_ERR_IO || (!st && v < 0)) && readonly)
		/* WAL needs the -shm file, which a read-only user cannot make */
		st = fc_error_set(err, FC_ERR_IO,
				  "%s: this user may only read the database and cannot read it "
				  "now: no program that may write it has it open (its -shm file is "
				  "missing and the directory is not writable); run as the "
				  "database's owner (%s)", path, sqlite3_errmsg(db));
	int latest = schema_latest_version();
	if (!st && v > latest)
		st = fc_error_set(err, FC_ERR_DB_NEWER,
				  "%s: database schema version %d is newer than this program "
				  "understands (version %d): upgrade forecourt",
				  path, v, latest);
	if (!st && v < latest) {
		if (mode == DB_OPEN_CREATE)
			st = db_migrate(db, NULL, err);
		else
			st = fc_error_set(err, FC_ERR_DB,
					  "%s: database schema version %d is older than %d: "
					  "run 'forecourt init' to upgrade it",
					  path, v, latest);
	}
	if (st) {
		sqlite3_close(db);
		return st;
	}
	/* WAL and SHM files inherit the database's mode; keep the main file 0600. */
	if (!readonly)
		chmod(path, 0600);
	*out = db;
	return FC_OK;
}

void db_close(sqlite3 *db)
{
	if (!db)
		return;
	stmt_cache_release(db); /* first: a failed close leaves nothing dangling */
	sqlite3_close(db);
}

fc_status db_query_int64(sqlite3 *db, const char *sql, int64_t *out, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, sql, &st, err);
	if (s)
		return s;
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "reading a count", err);
}

bool db_meta_get(sqlite3 *db, const char *key, char *buf, size_t n)
{
	sqlite3_stmt *st;
	bool found = false;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
		found = true;
	}
	sqlite3_finalize(st);
	return found;
}

fc_status db_meta_set(sqlite3 *db, const char *key, const char *value, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "INSERT INTO meta(key, value) VALUES(?, ?) "
				 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "saving a setting", err);
}

fc_status db_quick_check(sqlite3 *db, char *report, size_t n, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "PRAGMA quick_check(20)", &st, err);
	if (s)
		return s;
	size_t used = 0;
	report[0] = '\0';
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		int w = snprintf(report + used, n - used, "%s%s", used ? "\n" : "", line);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "checking the database", err);
	return strcmp(report, "ok") == 0
		       ? FC_OK
		       : fc_error_set(err, FC_ERR_DB_CORRUPT, "quick_check: %s", report);
}

/* True when path exists (symlinks followed) and is the file sb names. */
static bool db_same_file(const char *path, const struct stat *sb)
{
	struct stat other;
	return stat(path, &other) == 0 && other.st_dev == sb->st_dev && other.st_ino == sb->st_ino;
}

/* The live database's name ("", "-wal", "-shm") that sb is, or NULL. */
static const char *db_own_file(sqlite3 *db, const struct stat *sb)
{
	static const char *const sides[] = { "", "-wal", "-shm" };
	const char *live = db ? sqlite3_db_filename(db, "main") : NULL;
	char side[4096 + 8];
	for (size_t i = 0; live && *live && i < 3; i++) {
		snprintf(side, sizeof side, "%s%s", live, sides[i]);
		if (db_same_file(side, sb))
			return sides[i];
	}
	return NULL;
}

bool db_is_own_file(sqlite3 *db, const struct stat *sb)
{
	return db_own_file(db, sb) != NULL;
}

/* True when another process holds a lock on one of SQLite's lock bytes of
 * path (the pending, reserved and shared bytes at 1 GiB): a connection is
 * reading or writing it right now. */
static bool db_file_locked(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return false;
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0x40000000,
			    .l_len = 512 };
	bool locked = fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK;
	close(fd);
	return locked;
}

/* FC_OK when dest may receive a backup of db: not the live database nor its
 * -wal or -shm file (by device and inode, through symlinks and hard
 * links), and no database another SQLite connection has open (its -wal or
 * -shm beside it, or its lock bytes held).  FC_ERR_INVALID otherwise. */
static fc_status db_backup_target_ok(sqlite3 *db, const char *dest, fc_error *err)
{
	struct stat sb;
	if (stat(dest, &sb) != 0)
		return FC_OK; /* nothing there yet */
	char side[4096 + 8], real[4096];
	static const char *const sides[] = { "", "-wal", "-shm", "-journal" };
	const char *own = db_own_file(db, &sb);
	if (own)
		return fc_error_set(err, FC_ERR_INVALID,
				    "%s is the live database%s%s: back it up to another file "
				    "(nothing was written)", dest, *own ? "'s " : "",
				    *own ? own + 1 : "");
	const char *names[2] = { dest, realpath(dest, real) ? real : dest };
	for (size_t n = 0; n < 2; n++) {
		for (size_t i = 1; i < 4; i++) {
			snprintf(side, sizeof side, "%s%s", names[n], sides[i]);
			if (access(side, F_OK) == 0)
				return fc_error_set(err, FC_ERR_INVALID,
						    "%s is a database another SQLite connection has "
						    "open (%s exists): close it or choose another "
						    "file (nothing was written)", dest, side);
		}
	}
	if (db_file_locked(dest))
		return fc_error_set(err, FC_ERR_INVALID,
				    "%s is a database another SQLite connection is using: close "
				    "it or choose another file (nothing was written)", dest);
	return FC_OK;
}

fc_status db_backup(sqlite3 *db, const char *dest, fc_error *err)
{
	atomic_file f;
	fc_status st = db_backup_target_ok(db, dest, err);
	if (st)
		return st;
	st = atomic_file_open(&f, dest, 0600, err);
	if (st)
		return st;
	sqlite3 *out = NULL;
	int rc = sqlite3_open_v2(f.tmp, &out, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_backup *b = sqlite3_backup_init(out, "main", db, "main");
		if (!b) {
			st = db_fail(out, sqlite3_errcode(out), "backing up", err);
		} else {
			while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK ||
			       rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
				sqlite3_sleep(10);
			sqlite3_backup_finish(b);
			if (rc != SQLITE_DONE)
				st = db_fail(out, rc, "backing up", err);
		}
	} else {
		st = db_fail(out, rc, "opening the backup file", err);
	}
	sqlite3_close(out); /* before f's fd closes: closing it would drop SQLite's locks */
	if (st) {
		atomic_file_abort(&f);
		return st;
	}
	return atomic_file_commit(&f, NULL, err);
}
