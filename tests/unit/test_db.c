/* test_db.c — opening, migrations, refusal of newer schemas, record
 * identity (UUIDv7, gap-free seq), the audit chain, backup. */
#include "testutil.h"

#include <sodium.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "store/db.h"
#include "store/audit.h"
#include "store/record.h"
#include "store/schema.h"

static void init_creates_0600_at_latest_and_is_idempotent(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *db;
	fc_error err;
	tu_path(path, dir, "new.db");
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_schema_version(db), schema_latest_version());
	db_close(db);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_schema_version(db), schema_latest_version());
	db_close(db);
	tu_rmdir(dir);
}

/* db_at_version(path, n): a database at PATH written out at schema version
 * N (migrations 1 to N, user_version N), open for the test to fill; the test
 * closes it before db_open upgrades it. */
static sqlite3 *db_at_version(const char *path, int n)
{
	sqlite3 *raw;
	char sql[64];
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	for (int v = 1; v <= n; v++)
		tu_exec(raw, schema_migration(v));
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", n);
	tu_exec(raw, sql);
	return raw;
}

/* A database of version 3 (issue 14's schema) upgraded by init: its visit
 * reports kept, and the swipe's count of one customer's reports goes
 * through the new index instead of reading the table. */
static void migration_4_indexes_visit_reports(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *db;
	fc_error err;
	tu_path(path, dir, "v3.db");
	db = db_at_version(path, 3);
	tu_exec(db, "INSERT INTO customers(id, code, name, nature, created_at, updated_at)"
		    " VALUES (1, 'C1', 'n', 'big', 'x', 'x');"
		    "INSERT INTO visit_reports(id, created_at, customer_id, report_date, quality,"
		    " attitude, renown) VALUES ('r1', 'x', 1, '2026-07-01', 90, 90, 90)");
	sqlite3_close(db);
	assert_int_equal(db_open(path, DB_OPEN_EXISTING, &db, &err), FC_ERR_DB); /* init first */
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_schema_version(db), schema_latest_version());
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM visit_reports WHERE customer_id = 1"), 1);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
				      "AND name = 'visit_reports_customer'"), 1);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT count(*) FROM "
					    "visit_reports WHERE customer_id = 1 AND report_date >= '2026-07-01'",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 3), "visit_reports_customer"));
	sqlite3_finalize(st);
	db_close(db);
	tu_rmdir(dir);
}

static void newer_schema_refused_naming_both(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096], want[128];
	sqlite3 *db;
	fc_error err;
	tu_path(path, dir, "newer.db");
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	int future = schema_latest_version() + 7;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", future);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	db_close(db);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_ERR_DB_NEWER);
	assert_null(db);
	snprintf(want, sizeof want, "schema version %d is newer than this program understands "
				    "(version %d)", future, schema_latest_version());
	assert_non_null(strstr(err.msg, want));
	tu_rmdir(dir);
}

static void missing_database_is_named(void **state)
{
	(void)state;
	sqlite3 *db;
	fc_error err;
	assert_int_equal(db_open("/nonexistent/dir/x.db", DB_OPEN_EXISTING, &db, &err),
			 FC_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "forecourt init"));
}

static void pragmas_are_set(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *db;
	fc_error err;
	tu_path(path, dir, "p.db");
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2); /* FULL */
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	db_close(db);
	tu_rmdir(dir);
}

static void records_get_uuidv7_and_gap_free_seq(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *db;
	fc_error err;
	tu_path(path, dir, "r.db");
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	setenv("FORECOURT_NOW", "2026-07-01T08:00:00Z", 1);
	json_t *data = json_pack("{s:i}", "x", 1);
	fc_record rec;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(db_begin(db, &err), FC_OK);
		assert_int_equal(record_init(&rec, "test", &err), FC_OK);
		assert_int_equal(record_enqueue(db, &rec, "S0001", 0, data, &err), FC_OK);
		if (i == 1) {
			db_rollback(db); /* a failed action leaves no gap */
			continue;
		}
		assert_int_equal(db_commit(db, &err), FC_OK);
	}
	json_decref(data);
	unsetenv("FORECOURT_NOW");
	assert_string_equal(rec.created_at, "2026-07-01T08:00:00Z");
	assert_int_equal(strlen(rec.id), 36);
	assert_int_equal(rec.id[14], '7'); /* version nibble */
	assert_true(strchr("89ab", rec.id[19]) != NULL);
	/* 2026-07-01T08:00:00Z = 1782892800000 ms = 0x019f1d...; first 12 hex digits */
	char want_ts[16];
	snprintf(want_ts, sizeof want_ts, "%08llx", (unsigned long long)(1782892800000ULL >> 16));
	assert_memory_equal(rec.id, want_ts, 8);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(seq) FROM (SELECT seq FROM outbox ORDER BY seq)",
					    -1, &st,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "1,2");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT payload FROM outbox WHERE seq = 2", -1,
					    &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char want[256];
	snprintf(want, sizeof want,
		 "{\"id\":\"%s\",\"type\":\"test\",\"station\":\"S0001\",\"seq\":2,"
		 "\"created_at\":\"2026-07-01T08:00:00Z\",\"data\":{\"x\":1}}",
		 rec.id);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), want);
	sqlite3_finalize(st);
	db_close(db);
	tu_rmdir(dir);
}

static void audit_chain_links_rows(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *db;
	fc_error err;
	tu_path(path, dir, "a.db");
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_begin(db, &err), FC_OK);
	assert_int_equal(audit_append(db, 0, "login", "staff 1", NULL, &err), FC_OK);
	assert_int_equal(audit_append(db, 3, "visit", "id x", NULL, &err), FC_OK);
	assert_int_equal(db_commit(db, &err), FC_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT b.prev_hash = a.hash, length(b.hash) FROM audit a "
					    "JOIN audit b ON b.id = a.id + 1",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	assert_int_equal(sqlite3_column_int(st, 1), 64);
	sqlite3_finalize(st);
	/* append-only */
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET detail = 'x'", NULL, NULL, NULL),
			     SQLITE_OK);
	db_close(db);
	tu_rmdir(dir);
}

/* One record save: record_begin, the domain row (record_prepare_insert,
 * db_step_done), record_save, db_finish. */
static fc_status save_feedback(sqlite3 *db, fc_record *rec, int rating, json_t *data,
			       const char *action, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = record_begin(db, rec, "feedback", err);
	if (s)
		return s;
	s = record_prepare_insert(db,
				  "INSERT INTO feedback(id, created_at, staff_id, rating) "
				  "VALUES(?,?,?,?)",
				  rec, 0, &st, err);
	if (!s) {
		sqlite3_bind_int(st, 4, rating);
		s = db_step_done(db, st, "saving the feedback", err);
	}
	if (!s)
		s = record_save(db, rec, "S0001", 0, data, action, "rated", err);
	else
		json_decref(data);
	return db_finish(db, s, err);
}

static void record_save_writes_whole_or_nothing(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096], sql[256];
	sqlite3 *db;
	fc_error err;
	fc_record rec;
	tu_path(path, dir, "s.db");
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	/* domain row (staff NULL for 0), outbox row and audit row together */
	assert_int_equal(save_feedback(db, &rec, 5, json_pack("{s:i}", "rating", 5), "feedback",
				       &err),
			 FC_OK);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM feedback WHERE id = '%s' AND staff_id IS NULL "
		 "AND created_at = '%s'",
		 rec.id, rec.created_at);
	assert_int_equal(tu_int64(db, sql), 1);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM outbox WHERE id = '%s' AND seq = 1 AND type = 'feedback' "
		 "AND json_extract(payload, '$.data.rating') = 5",
		 rec.id);
	assert_int_equal(tu_int64(db, sql), 1);
	assert_int_equal(rec.seq, 1);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM audit WHERE action = 'feedback' "
				      "AND detail = 'rated'"),
			 1);
	/* no action: no audit row */
	assert_int_equal(save_feedback(db, &rec, 4, json_pack("{s:i}", "rating", 4), NULL, &err),
			 FC_OK);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM audit"), 1);
	/* json_pack failed (NULL data): refused, rolled back with the domain row */
	assert_int_equal(save_feedback(db, &rec, 3, NULL, "feedback", &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "the feedback record for head office could not be built"));
	assert_non_null(strstr(err.msg, "nothing was saved"));
	/* the domain row refused (rating 9): db_step_done names what it was doing */
	assert_int_equal(save_feedback(db, &rec, 9, json_pack("{s:i}", "rating", 9), "feedback",
				       &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "saving the feedback"));
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM feedback"), 2);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM outbox"), 2);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM audit"), 1);
	/* gap-free: the next record after two refused ones is seq 3 */
	assert_int_equal(save_feedback(db, &rec, 2, json_pack("{s:i}", "rating", 2), NULL, &err),
			 FC_OK);
	assert_int_equal(rec.seq, 3);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM outbox"), 3);
	db_close(db);
	tu_rmdir(dir);
}

static void backup_copies_live_database(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096], bak[4096];
	sqlite3 *db, *copy;
	fc_error err;
	tu_path(path, dir, "live.db");
	tu_path(bak, dir, "backup.db");
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_meta_set(db, "marker", "42", &err), FC_OK);
	assert_int_equal(db_backup(db, bak, &err), FC_OK);
	db_close(db);
	assert_int_equal(db_open(bak, DB_OPEN_EXISTING, &copy, &err), FC_OK);
	char v[16];
	assert_true(db_meta_get(copy, "marker", v, sizeof v));
	assert_string_equal(v, "42");
	char report[256];
	assert_int_equal(db_quick_check(copy, report, sizeof report, &err), FC_OK);
	assert_string_equal(report, "ok");
	db_close(copy);
	tu_rmdir(dir);
}

/* A backup never lands on the live database or its -wal/-shm (by inode,
 * through symlinks and hard links) nor on a database another connection
 * has open: each refused with nothing written, the live data intact. */
static void backup_refuses_live_and_open_targets(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096], target[4096 + 8], other[4096];
	sqlite3 *db, *open_db;
	fc_error err;
	tu_path(path, dir, "live.db");
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_meta_set(db, "marker", "42", &err), FC_OK);
	/* the file itself, a symlink to it, a hard link, its -wal and -shm */
	assert_int_equal(db_backup(db, path, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "is the live database"));
	assert_int_equal(symlink(path, tu_path(target, dir, "link.db")), 0);
	assert_int_equal(db_backup(db, target, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "link.db is the live database"));
	assert_int_equal(link(path, tu_path(target, dir, "hard.db")), 0);
	assert_int_equal(db_backup(db, target, &err), FC_ERR_INVALID);
	snprintf(target, sizeof target, "%s-wal", path);
	assert_int_equal(db_backup(db, target, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "is the live database's wal"));
	snprintf(target, sizeof target, "%s-shm", path);
	assert_int_equal(db_backup(db, target, &err), FC_ERR_INVALID);
	assert_int_equal(symlink(target, tu_path(other, dir, "shm-link")), 0);
	assert_int_equal(db_backup(db, other, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "nothing was written"));
	/* another database with a connection open on it (WAL: its -shm) */
	assert_int_equal(db_open(tu_path(other, dir, "open.db"), DB_OPEN_CREATE, &open_db, &err),
			 FC_OK);
	assert_int_equal(db_backup(db, other, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "another SQLite connection has open"));
	db_close(open_db);
	/* a database another process holds a lock on (a rollback-journal
	 * writer between its writes) */
	tu_write(target, dir, "locked.db", "not yet a database");
	int ready[2], release[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(release), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(release[1]); /* the parent's close of its end is the signal */
		int fd = open(target, O_RDWR);
		struct flock lk = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
				    .l_start = 0x40000000 + 2, .l_len = 1 };
		char c = fd >= 0 && fcntl(fd, F_SETLK, &lk) == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1 || read(release[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	char c = 0;
	close(release[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	assert_int_equal(db_backup(db, target, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "another SQLite connection is using"));
	close(release[1]);
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	close(ready[0]);
	close(ready[1]);
	assert_int_equal(db_backup(db, target, &err), FC_OK); /* released: written */
	/* the live database is whole */
	char v[16];
	assert_true(db_meta_get(db, "marker", v, sizeof v));
	assert_string_equal(v, "42");
	char report[256];
	assert_int_equal(db_quick_check(db, report, sizeof report, &err), FC_OK);
	db_close(db);
	tu_rmdir(dir);
}

/* Migration 6 (phone digits) on a database of version 2: the typed phones stay, their
 * digits come in phone_digits (indexed), kept in step by every write. */
static void migration_6_gives_phone_digits(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *raw, *db;
	fc_error err;
	tu_path(path, dir, "v2.db");
	raw = db_at_version(path, 2);
	tu_exec(raw, "INSERT INTO customers(code, name, nature, phone, created_at, updated_at) VALUES"
		     " ('A', 'a', 'big', '138-0013-8000', 'x', 'x'),"
		     " ('B', 'b', 'big', '+86 (023) 6123.4567', 'x', 'x'),"
		     " ('C', 'c', 'big', NULL, 'x', 'x'), ('D', 'd', 'big', '', 'x', 'x');");
	sqlite3_close(raw);
	assert_int_equal(db_open(path, DB_OPEN_EXISTING, &db, &err), FC_ERR_DB);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_true(db_schema_version(db) >= 3);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM customers WHERE code = 'A'"
				      " AND phone = '138-0013-8000' AND phone_digits = '13800138000'"), 1);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM customers WHERE code = 'B'"
				      " AND phone_digits = '8602361234567'"), 1);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM customers WHERE phone_digits IS NULL"), 2);
	tu_exec(db, "UPDATE customers SET phone = '139 0000 1111' WHERE code = 'C'");
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM customers WHERE phone_digits = '13900001111'"), 1);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT id FROM customers"
						" WHERE phone_digits = '1'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 3), "customers_phone_digits"));
	sqlite3_finalize(st);
	db_close(db);
	tu_rmdir(dir);
}

/* Migration 11 (issue 16's customers): a database of version 7 keeps its rows; the new columns start
 * as before the change (not provisional, not rated, every holiday major). */
static void migration_11_customers_and_major_holidays(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *raw, *db;
	fc_error err;
	tu_path(path, dir, "v7.db");
	raw = db_at_version(path, 7);
	tu_exec(raw, "INSERT INTO customers(id, code, name, nature, tier, created_at, updated_at)"
		     " VALUES (1, 'A', 'a', 'individual', 'gold', 'x', 'x');"
		     "INSERT INTO holidays VALUES ('2026-10-01', 'holiday', '国庆节'),"
		     " ('2026-10-10', 'workday', '调休');");
	sqlite3_close(raw);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_schema_version(db), schema_latest_version());
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM customers WHERE id = 1 AND tier = 'gold'"
				      " AND tier_provisional = 0 AND rating_scale IS NULL AND rating_by IS NULL"
				      " AND birthday IS NULL AND composite_quarter IS NULL"), 1);
	/* old calendars: every row major (a workday's flag is not read) */
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM holidays WHERE major = 1"), 2);
	assert_int_equal(sqlite3_exec(db, "UPDATE customers SET rating_credit = 101", NULL, NULL,
				      NULL) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_exec(db, "UPDATE customers SET tier_provisional = 2", NULL, NULL,
				      NULL) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_exec(db, "UPDATE holidays SET major = 0 WHERE kind = 'holiday'", NULL,
				      NULL, NULL), SQLITE_OK);
	db_close(db);
	tu_rmdir(dir);
}

/* The complaint book's migration (issue 16, migration 8) on a database of
 * version 7: complaints and their updates kept, a resolved
 * one handled when it was closed, kind 'complaint'; a suggestion may have no
 * severity and no deadline, a complaint may not; the new update kinds and
 * the foreign keys hold. */
static void migration_complaint_path_keeps_the_book(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *raw, *db;
	fc_error err;
	tu_path(path, dir, "old.db");
	raw = db_at_version(path, 7);
	tu_exec(raw, "INSERT INTO complaints(id, created_at, received_at, channel, severity,"
		     " content, deadline, status, result, handler, closed_at) VALUES"
		     " ('c1', 'x', 'x', 'book', 'major', 'slow', '2026-02-24', 'closed', 'fixed',"
		     "  'Wang', '2026-02-20T02:00:00Z'),"
		     " ('c2', 'x', 'x', 'book', 'general', 'rude', '2026-02-13', 'open', NULL, NULL, NULL);"
		     "INSERT INTO complaint_updates(id, complaint_id, created_at, kind, result, handler)"
		     " VALUES ('u1', 'c1', 'x', 'resolve', 'fixed', 'Wang');");
	sqlite3_close(raw);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_schema_version(db), schema_latest_version());
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM complaints WHERE kind = 'complaint'"), 2);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM complaints WHERE id = 'c1'"
				      " AND handled_at = '2026-02-20T02:00:00Z' AND status = 'closed'"), 1);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM complaints WHERE id = 'c2'"
				      " AND handled_at IS NULL"), 1);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM complaint_updates WHERE id = 'u1'"
				      " AND complaint_id = 'c1' AND result = 'fixed'"), 1);
	tu_exec(db, "INSERT INTO complaints(id, created_at, received_at, channel, kind, content)"
		    " VALUES ('s1', 'x', 'x', 'book', 'suggestion', 'car wash')");
	assert_int_not_equal(sqlite3_exec(db, "INSERT INTO complaints(id, created_at, received_at,"
					      " channel, severity, content) VALUES ('c3', 'x', 'x',"
					      " 'book', 'general', 'no deadline')", NULL, NULL, NULL),
			     SQLITE_OK);
	tu_exec(db, "INSERT INTO complaint_updates(id, complaint_id, created_at, kind, level,"
		    " level_no, approved_by) VALUES ('u2', 'c2', 'x', 'level', 'station_head', 2, 'Sun')");
	assert_int_not_equal(sqlite3_exec(db, "INSERT INTO complaint_updates(id, complaint_id,"
					      " created_at, kind, level_no) VALUES ('u3', 'c2', 'x',"
					      " 'level', 2)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "INSERT INTO complaint_updates(id, complaint_id,"
					      " created_at, kind) VALUES ('u4', 'nope', 'x', 'tell')",
					  NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	db_close(db);
	tu_rmdir(dir);
}

/* The visit-report form (issue 16, migration 9): a database of version 8,
 * with a report of one contact, upgraded by init: that contact is still
 * in contact_name/title/phone, read as the principal; the new columns
 * are empty and signoff takes only its keys. */
static void migration_visit_form_keeps_the_contact(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *raw, *db;
	fc_error err;
	tu_path(path, dir, "before.db");
	raw = db_at_version(path, 8);
	tu_exec(raw, "INSERT INTO customers(id, code, name, nature, created_at, updated_at)"
		     " VALUES (1, 'C1', 'n', 'big', 'x', 'x');"
		     "INSERT INTO visit_reports(id, created_at, customer_id, report_date, quality,"
		     " attitude, renown, contact_name, contact_title, contact_phone) VALUES"
		     " ('r1', 'x', 1, '2026-07-01', 90, 90, 90, 'Li Ming', 'manager', '13800000000')");
	sqlite3_close(raw);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_schema_version(db), schema_latest_version());
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM visit_reports WHERE id = 'r1' AND"
				      " contact_name = 'Li Ming' AND contact_title = 'manager' AND"
				      " contact_phone = '13800000000' AND principal_mobile IS NULL AND"
				      " business_name IS NULL AND signoff IS NULL"), 1);
	tu_exec(db, "UPDATE visit_reports SET signoff = 'sealed', business_name = 'Wang'");
	assert_int_equal(sqlite3_exec(db, "UPDATE visit_reports SET signoff = 'maybe'", NULL, NULL,
				      NULL) & 0xff, SQLITE_CONSTRAINT);
	db_close(db);
	tu_rmdir(dir);
}

/* Migration 10: the class history backfilled from the customers and their
 * tier_history (the tier before the first change from created_at, each
 * change at its time, today's classes now), then written by the triggers,
 * dated by the writer's updated_at. */
static void migration_10_backfills_class_history(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *raw, *db;
	fc_error err;
	tu_path(path, dir, "v7.db");
	raw = db_at_version(path, 7);
	tu_exec(raw, "INSERT INTO customers(id, code, name, nature, tier, stability, created_at,"
		     " updated_at) VALUES (1, 'A', 'a', 'big', 'gold', 'lost', '2026-01-05T00:00:00Z', 'x'),"
		     " (2, 'B', 'b', 'individual', 'silver', 'current', '2026-02-01T00:00:00Z', 'x');"
		     "INSERT INTO tier_history(customer_id, old_tier, new_tier, source, changed_at)"
		     " VALUES (1, 'ordinary', 'silver', 'local', '2026-03-01T00:00:00Z'),"
		     " (1, 'silver', 'gold', 'hq', '2026-05-01T00:00:00Z');");
	sqlite3_close(raw);
	setenv("FORECOURT_NOW", "2026-06-10T03:00:00Z", 1);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	unsetenv("FORECOURT_NOW");
	assert_true(db_schema_version(db) >= 8);
	/* the history begins with the migration: its time on the program's clock */
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM meta WHERE key = 'class_history_since'"
				      " AND value = '2026-06-10T03:00:00Z'"), 1);
	/* A: ordinary from created_at, silver in March, gold in May, and now */
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM class_history WHERE customer_id = 1"), 4);
	const char *const want[][2] = { { "2026-02-01", "ordinary" }, { "2026-04-01", "silver" },
					{ "2026-06-01", "gold" } };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char sql[256], tier[32];
		snprintf(sql, sizeof sql, "SELECT tier FROM class_history WHERE customer_id = 1"
			 " AND changed_at < '%s' ORDER BY changed_at DESC, id DESC LIMIT 1", want[i][0]);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		snprintf(tier, sizeof tier, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		assert_string_equal(tier, want[i][1]);
	}
	/* B: one row at created_at, as it is */
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM class_history WHERE customer_id = 2"
				      " AND changed_at = '2026-02-01T00:00:00Z' AND tier = 'silver'"
				      " AND stability = 'current'"), 1);
	/* the triggers: a class change dated by updated_at; another column, no row */
	tu_exec(db, "UPDATE customers SET stability = 'lost', updated_at = '2026-07-02T00:00:00Z'"
		    " WHERE id = 2; UPDATE customers SET phone = '1' WHERE id = 2;"
		    "INSERT INTO customers(id, code, name, nature, created_at, updated_at) VALUES"
		    " (3, 'C', 'c', 'big', '2026-07-03T00:00:00Z', '2026-07-03T00:00:00Z');");
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM class_history WHERE customer_id = 2"), 2);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM class_history WHERE customer_id = 2"
				      " AND changed_at = '2026-07-02T00:00:00Z' AND stability = 'lost'"), 1);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM class_history WHERE customer_id = 3"
				      " AND changed_at = '2026-07-03T00:00:00Z' AND stability = 'potential'"), 1);
	db_close(db);
	/* opened again (already past migration 10): the mark stays */
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM meta WHERE key = 'class_history_since'"
				      " AND value = '2026-06-10T03:00:00Z'"), 1);
	db_close(db);
	tu_rmdir(dir);
}

/* The migration that keeps delivery state apart from the payload (issue
 * 17): a database of the version before it, with a pending, a sent and a
 * dead record (its dead letter) and audit anchors in the lines, keeps every
 * record's state and line; the view outbox reads as the table did and is
 * written through; an acknowledgement changes the delivery row only, and
 * still moves meta 'audit_acked' to the highest acknowledged audit row. */
static void migration_outbox_delivery_keeps_records(void **state)
{
	(void)state;
	int v = 1;
	while (v <= schema_latest_version() &&
	       !strstr(schema_migration(v), "CREATE TABLE outbox_delivery"))
		v++;
	assert_true(v <= schema_latest_version());
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *raw, *db;
	fc_error err;
	tu_path(path, dir, "before.db");
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	for (int m = 1; m < v; m++)
		tu_exec(raw, schema_migration(m));
	char sql[2048];
	snprintf(sql, sizeof sql,
		 "PRAGMA user_version = %d;"
		 "INSERT INTO outbox(seq, id, type, created_at, payload, state, attempts, last_error,"
		 " sent_at) VALUES"
		 " (1, 'a', 'visit', 't1', '{\"audit\":{\"id\":5,\"hash\":\"h5\"}}', 'sent', 0, NULL, 't2'),"
		 " (2, 'b', 'visit', 't1', '{\"audit\":{\"id\":6,\"hash\":\"h6\"}}', 'dead', 1, 'bad', NULL),"
		 " (3, 'c', 'visit', 't1', '{\"audit\":{\"id\":7,\"hash\":\"h7\"}}', 'pending', 2, 'down', NULL),"
		 " (4, 'd', 'visit', 't1', '{\"data\":{}}', 'pending', 0, NULL, NULL);"
		 "INSERT INTO dead_letters(seq, code, message, moved_at) VALUES (2, 'invalid', 'm', 't3');"
		 "INSERT INTO meta(key, value) VALUES ('audit_acked', '{\"id\":5,\"hash\":\"h5\"}');",
		 v - 1);
	tu_exec(raw, sql);
	sqlite3_close(raw);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_schema_version(db), schema_latest_version());
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM outbox WHERE"
				      " (seq = 1 AND state = 'sent' AND sent_at = 't2') OR"
				      " (seq = 2 AND state = 'dead' AND attempts = 1 AND last_error = 'bad') OR"
				      " (seq = 3 AND state = 'pending' AND attempts = 2 AND last_error = 'down') OR"
				      " (seq = 4 AND state = 'pending' AND payload = '{\"data\":{}}')"), 4);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM outbox_record r JOIN outbox_delivery d"
				      " USING (seq) WHERE d.audit_id = 7 AND r.audit_hash = 'h7'"), 1);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM dead_letters d JOIN outbox_record r"
				      " USING (seq) WHERE r.id = 'b'"), 1);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	/* an acknowledgement: the line stays as it was, the anchor moves */
	int64_t before = tu_int64(db, "SELECT count(*) FROM outbox_record WHERE seq = 3"
				      " AND payload = '{\"audit\":{\"id\":7,\"hash\":\"h7\"}}'");
	tu_exec(db, "UPDATE outbox_delivery SET state = 'sent', sent_at = 't4' WHERE seq = 3");
	assert_int_equal(before, 1);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM meta WHERE key = 'audit_acked'"
				      " AND json_extract(value, '$.id') = 7"
				      " AND json_extract(value, '$.hash') = 'h7'"), 1);
	/* through the view, as sqlite3 and the tests write it */
	tu_exec(db, "INSERT INTO outbox(id, type, created_at, payload)"
		    " VALUES ('e', 'visit', 't5', '{\"audit\":{\"id\":9,\"hash\":\"h9\"}}')");
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM outbox WHERE id = 'e'"
				      " AND state = 'pending' AND seq = 5"), 1);
	tu_exec(db, "UPDATE outbox SET state = 'sent', sent_at = 't6' WHERE id = 'e'");
	assert_int_equal(tu_int64(db, "SELECT json_extract(value, '$.id') FROM meta"
				      " WHERE key = 'audit_acked'"), 9);
	tu_exec(db, "DELETE FROM outbox WHERE id = 'e'");
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM outbox_delivery WHERE seq = 5"), 0);
	db_close(db);
	tu_rmdir(dir);
}

/* Migration 13 (issue 17) on a database of version 7 with customers: the
 * grams of their names and plates (the pieces beyond ASCII only), kept in
 * step by inserts, edits and deletes; the trigram index gets phone_digits. */
static void migration_13_gives_grams(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *raw, *db;
	fc_error err;
	tu_path(path, dir, "v7.db");
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	for (int v = 1; v <= 7; v++)
		tu_exec(raw, schema_migration(v));
	tu_exec(raw, "PRAGMA user_version = 7;"
		     "INSERT INTO customers(code, name, nature, phone, plate, created_at, updated_at)"
		     " VALUES ('A', '王小明', 'individual', '138-0013-8000', '渝A21978', 'x', 'x'),"
		     " ('B', 'Li Wei', 'individual', NULL, NULL, 'x', 'x');");
	sqlite3_close(raw);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_true(db_schema_version(db) >= 8);
	/* 王 小 明 王小 小明, 渝 渝A: the pieces with a Chinese character */
	static const char *const words[] = { "王", "小", "明", "王小", "小明", "渝", "渝A" };
	char sql[256];
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM customer_grams WHERE customer_grams"
			 " MATCH '\"%s\"' AND rowid = 1", words[i]);
		assert_int_equal(tu_int64(db, sql), 1);
	}
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM customer_grams WHERE customer_grams"
				      " MATCH '\"21\" OR \"Li\" OR \"王明\"'"), 0);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM customer_search WHERE customer_search"
				      " MATCH '{phone_digits}: \"0013800\"'"), 1);
	tu_exec(db, "UPDATE customers SET name = '王伟' WHERE code = 'A'");
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM customer_grams WHERE customer_grams"
				      " MATCH '\"小明\"'"), 0);
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM customer_grams WHERE customer_grams"
				      " MATCH '\"王伟\"'"), 1);
	tu_exec(db, "INSERT INTO customers(code, name, nature, created_at, updated_at)"
		    " VALUES ('C', '小明', 'individual', 'x', 'x'); DELETE FROM customers WHERE code = 'A'");
	assert_int_equal(tu_int64(db, "SELECT count(*) FROM customer_grams WHERE customer_grams"
				      " MATCH '\"王\" OR \"渝\" OR \"王伟\"'"), 0);
	assert_int_equal(tu_int64(db, "SELECT rowid FROM customer_grams WHERE customer_grams"
				      " MATCH '\"小明\"'"), 3);
	/* the index is sound after those changes */
	tu_exec(db, "INSERT INTO customer_grams(customer_grams, rank) VALUES ('integrity-check', 0)");
	db_close(db);
	tu_rmdir(dir);
}

/* The first column of sql's first row into out[n] ("" when none). */
static char *text_of(sqlite3 *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st;
	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* Migration 14 copies each customer's nature, tier and provisional flag
 * onto its cards, and its triggers keep the copy: a tier change, a card
 * added, a card moved. */
static void migration_14_copies_the_decision(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *raw, *db;
	fc_error err;
	tu_path(path, dir, "v13.db");
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	for (int v = 1; v <= 13; v++)
		tu_exec(raw, schema_migration(v));
	tu_exec(raw, "PRAGMA user_version = 13;"
		     "INSERT INTO customers(id, code, name, nature, tier, tier_provisional, created_at,"
		     " updated_at) VALUES (1, 'A', 'A', 'big', 'gold', 0, 'x', 'x'),"
		     " (2, 'B', 'B', 'individual', 'silver', 1, 'x', 'x');"
		     "INSERT INTO cards(card_id, customer_id, kind, updated_at) VALUES"
		     " ('0A', 1, 'unit', 'x'), ('0B', 1, 'unit', 'x'), ('0C', 2, 'personal', 'x')");
	sqlite3_close(raw);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_true(db_schema_version(db) >= 14);
	char out[256];
	assert_string_equal(text_of(db, "SELECT group_concat(card_id || ':' || customer_nature || ' '"
					" || customer_tier || ' ' || customer_provisional, ',') FROM"
					" (SELECT * FROM cards ORDER BY card_id)", out, sizeof out),
			    "0A:big gold 0,0B:big gold 0,0C:individual silver 1");
	tu_exec(db, "UPDATE customers SET tier = 'diamond' WHERE id = 1;"
		    "UPDATE customers SET tier_provisional = 0 WHERE id = 2;"
		    "INSERT INTO cards(card_id, customer_id, kind, updated_at) VALUES ('0D', 2, 'unit', 'x');"
		    "UPDATE cards SET customer_id = 2 WHERE card_id = '0B'");
	assert_string_equal(text_of(db, "SELECT group_concat(card_id || ':' || customer_nature || ' '"
					" || customer_tier || ' ' || customer_provisional, ',') FROM"
					" (SELECT * FROM cards ORDER BY card_id)", out, sizeof out),
			    "0A:big diamond 0,0B:individual silver 0,0C:individual silver 0,"
			    "0D:individual silver 0");
	db_close(db);
	tu_rmdir(dir);
}

/* Migration 15 (issue 17's monthly analysis) on a database of version 14:
 * last_visit_ml is the volume of the visit at last_visit_at, the greatest
 * id of two at that time; NULL without a visit there or without a visit. */
static void migration_15_backfills_last_visit_ml(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char path[4096];
	sqlite3 *raw, *db;
	fc_error err;
	tu_path(path, dir, "v14.db");
	raw = db_at_version(path, 14);
	tu_exec(raw, "INSERT INTO customers(id, code, name, nature, last_visit_at, created_at,"
		     " updated_at) VALUES (1, 'A', 'a', 'big', '2026-06-02T00:00:00Z', 'x', 'x'),"
		     " (2, 'B', 'b', 'big', '2026-06-05T00:00:00Z', 'x', 'x'),"
		     " (3, 'C', 'c', 'big', '2026-06-09T00:00:00Z', 'x', 'x'),"
		     " (4, 'D', 'd', 'big', NULL, 'x', 'x');"
		     "INSERT INTO visits(id, created_at, customer_id, pump, grade, volume_ml, amount_fen)"
		     " VALUES ('v1', '2026-06-01T00:00:00Z', 1, 1, '92#', 10000, 0),"
		     " ('v2', '2026-06-02T00:00:00Z', 1, 1, '92#', 20000, 0),"
		     " ('v3', '2026-06-05T00:00:00Z', 2, 1, '92#', 30000, 0),"
		     " ('v4', '2026-06-05T00:00:00Z', 2, 1, '92#', 40000, 0),"
		     " ('v5', '2026-06-01T00:00:00Z', 3, 1, '92#', 50000, 0);");
	sqlite3_close(raw);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_schema_version(db), schema_latest_version());
	assert_int_equal(tu_int64(db, "SELECT group_concat(id || ':' || coalesce(last_visit_ml, '-'),"
				      " ' ') = '1:20000 2:40000 3:- 4:-' FROM (SELECT * FROM customers"
				      " ORDER BY id)"), 1);
	db_close(db);
	tu_rmdir(dir);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_creates_0600_at_latest_and_is_idempotent),
		cmocka_unit_test(migration_4_indexes_visit_reports),
		cmocka_unit_test(newer_schema_refused_naming_both),
		cmocka_unit_test(missing_database_is_named),
		cmocka_unit_test(pragmas_are_set),
		cmocka_unit_test(records_get_uuidv7_and_gap_free_seq),
		cmocka_unit_test(audit_chain_links_rows),
		cmocka_unit_test(record_save_writes_whole_or_nothing),
		cmocka_unit_test(backup_copies_live_database),
		cmocka_unit_test(backup_refuses_live_and_open_targets),
		cmocka_unit_test(migration_6_gives_phone_digits),
		cmocka_unit_test(migration_11_customers_and_major_holidays),
		cmocka_unit_test(migration_complaint_path_keeps_the_book),
		cmocka_unit_test(migration_visit_form_keeps_the_contact),
		cmocka_unit_test(migration_10_backfills_class_history),
		cmocka_unit_test(migration_outbox_delivery_keeps_records),
		cmocka_unit_test(migration_13_gives_grams),
		cmocka_unit_test(migration_14_copies_the_decision),
		cmocka_unit_test(migration_15_backfills_last_visit_ml),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
