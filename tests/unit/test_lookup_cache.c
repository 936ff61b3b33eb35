/* test_lookup_cache.c — the swipe lookup's kept statements and month memo:
 * kept statements, a full cache, finalized at close; snapshots, month and zone changes. */
#include "pump_fixture.h"

#include "store/stmt_cache.h"

static const char one_sql[] = "SELECT 1";
static const char two_sql[] = "SELECT count(*) FROM cards";

static void statements_kept_and_finalized_at_close(void **state)
{
	pump_fixture *fx = *state;
	sqlite3_stmt *a, *b, *c;
	fc_error err;
	assert_int_equal(stmt_cache_count(fx->db), 0);
	assert_int_equal(stmt_cache_get(fx->db, one_sql, &a, &err), FC_OK);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	/* handed out again: the same statement, reset */
	assert_int_equal(stmt_cache_get(fx->db, one_sql, &b, &err), FC_OK);
	assert_ptr_equal(a, b);
	assert_int_equal(sqlite3_step(b), SQLITE_ROW);
	stmt_cache_done(b);
	assert_int_equal(stmt_cache_get(fx->db, two_sql, &c, &err), FC_OK);
	assert_ptr_not_equal(a, c);
	stmt_cache_done(c);
	assert_int_equal(stmt_cache_count(fx->db), 2);

	/* a bad statement is refused with SQLite's message and not kept */
	static const char bad_sql[] = "SELECT nope FROM nowhere";
	assert_int_equal(stmt_cache_get(fx->db, bad_sql, &a, &err), FC_ERR_DB);
	assert_non_null(strstr(err.msg, "nowhere"));
	assert_null(a);
	assert_int_equal(stmt_cache_count(fx->db), 2);

	/* released before a close that fails (another statement still open):
	 * nothing dangles, the cache starts again, the next close goes through */
	sqlite3_stmt *other;
	assert_int_equal(sqlite3_prepare_v2(fx->db, "SELECT 3", -1, &other, NULL), SQLITE_OK);
	stmt_cache_release(fx->db);
	assert_int_equal(stmt_cache_count(fx->db), 0);
	assert_int_equal(sqlite3_close(fx->db), SQLITE_BUSY);
	assert_int_equal(stmt_cache_get(fx->db, one_sql, &a, &err), FC_OK);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	stmt_cache_done(a);
	assert_int_equal(stmt_cache_get(fx->db, two_sql, &c, &err), FC_OK);
	stmt_cache_done(c);
	assert_int_equal(stmt_cache_count(fx->db), 2);
	sqlite3_finalize(other);

	/* the lookups keep theirs; plain sqlite3_close succeeds (no leak, no BUSY) */
	fc_card_view v;
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_true(stmt_cache_count(fx->db) > 2);
	assert_int_equal(sqlite3_close(fx->db), SQLITE_OK);
	char path[4096];
	assert_int_equal(db_open(tu_path(path, fx->dir, "p.db"), DB_OPEN_EXISTING, &fx->db, &err),
			 FC_OK);
	assert_int_equal(stmt_cache_count(fx->db), 0);
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_string_equal(v.customer_code, "C-BG");
}

/* Statements prepared on db and not yet finalized. */
static int open_statements(sqlite3 *db)
{
	int n = 0;
	for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
		n++;
	return n;
}

static void full_cache_falls_back_to_plain_statements(void **state)
{
	pump_fixture *fx = *state;
	static char many_sql[STMT_CACHE_MAX][24]; /* static: the addresses are the keys */
	sqlite3_stmt *st, *again;
	fc_error err;
	for (int i = 0; i < STMT_CACHE_MAX; i++)
		snprintf(many_sql[i], sizeof many_sql[i], "SELECT %d", i);
	/* SQLite's own (the search index's statements) are not the cache's */
	int other = open_statements(fx->db) - stmt_cache_count(fx->db);
	for (int i = 0; stmt_cache_count(fx->db) < STMT_CACHE_MAX; i++) {
		assert_int_equal(stmt_cache_get(fx->db, many_sql[i], &st, &err), FC_OK);
		stmt_cache_done(st);
	}
	assert_int_equal(stmt_cache_count(fx->db), STMT_CACHE_MAX);
	assert_int_equal(open_statements(fx->db), other + STMT_CACHE_MAX);

	/* full: the next one still works, bound and stepped like a kept one ... */
	static const char bound_sql[] = "SELECT ?1 * 2";
	for (int round = 0; round < 2; round++) {
		assert_int_equal(stmt_cache_get(fx->db, bound_sql, &st, &err), FC_OK);
		assert_int_equal(sqlite3_bind_int(st, 1, 21 + round), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 42 + 2 * round);
		assert_int_equal(stmt_cache_count(fx->db), STMT_CACHE_MAX);
		assert_int_equal(open_statements(fx->db), other + STMT_CACHE_MAX + 1);
		/* ... and is not kept: done finalizes it */
		stmt_cache_done(st);
		assert_int_equal(open_statements(fx->db), other + STMT_CACHE_MAX);
	}
	/* kept ones are still handed out, reset and with their bindings cleared */
	assert_int_equal(stmt_cache_get(fx->db, many_sql[3], &st, &err), FC_OK);
	assert_int_equal(stmt_cache_get(fx->db, many_sql[3], &again, &err), FC_OK);
	assert_ptr_equal(st, again);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 3);
	stmt_cache_done(st);
	assert_int_equal(open_statements(fx->db), other + STMT_CACHE_MAX);

	/* a bad statement past the limit: refused with SQLite's message */
	static const char bad_sql[] = "SELECT nope FROM nowhere";
	assert_int_equal(stmt_cache_get(fx->db, bad_sql, &st, &err), FC_ERR_DB);
	assert_non_null(strstr(err.msg, "nowhere"));
	assert_null(st);
	stmt_cache_done(st); /* NULL is fine */

	/* the lookups run on a full cache; plain close succeeds (nothing left over) */
	fc_card_view v;
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_string_equal(v.customer_code, "C-BG");
	assert_int_equal(open_statements(fx->db), other + STMT_CACHE_MAX);
	assert_int_equal(sqlite3_close(fx->db), SQLITE_OK);
	char path[4096];
	assert_int_equal(db_open(tu_path(path, fx->dir, "p.db"), DB_OPEN_EXISTING, &fx->db, &err),
			 FC_OK);
	assert_int_equal(stmt_cache_count(fx->db), 0);
}

static void lookup_reads_current_data(void **state)
{
	pump_fixture *fx = *state;
	fc_card_view v;
	fc_error err;
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_int_equal(v.points, 500);
	assert_int_not_equal(sqlite3_get_autocommit(fx->db), 0); /* no read left open */

	/* changes through this and another connection show at the next swipe */
	tu_exec(fx->db, "INSERT INTO points_ledger(record_id, customer_id, delta, reason, "
			"created_at) VALUES ('r1', 2, 40, 'earn', 'x')");
	sqlite3 *other;
	char path[4096];
	assert_int_equal(db_open(tu_path(path, fx->dir, "p.db"), DB_OPEN_EXISTING, &other, &err),
			 FC_OK);
	tu_exec(other, "UPDATE cards SET status = 'blocked', blocked_reason = 'lost' "
		       "WHERE card_id = 'AA000002'");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_int_equal(v.points, 540);
	assert_true(v.blocked);
	assert_string_equal(v.blocked_reason, "lost");
	assert_int_equal(v.discount_count, 0);
	db_close(other);

	/* a schema change under kept statements: they are prepared again */
	tu_exec(fx->db, "CREATE INDEX cards_status ON cards(status)");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_int_equal(v.points, 540);

	/* inside the caller's write transaction: reads its uncommitted rows, leaves it open */
	tu_exec(fx->db, "BEGIN IMMEDIATE; UPDATE cards SET status = 'active' "
			"WHERE card_id = 'AA000002'");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_false(v.blocked);
	assert_int_equal(v.discount_count, 2);
	assert_int_equal(sqlite3_get_autocommit(fx->db), 0);
	tu_exec(fx->db, "ROLLBACK");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_true(v.blocked);
}

static void callbacks_follow_month_and_zone(void **state)
{
	pump_fixture *fx = *state;
	fc_card_view v;
	fc_error err;
	/* k2 is 03-01 00:30 in UTC+8 (this month), 02-28 16:30 in UTC (last month) */
	tu_exec(fx->db, "INSERT INTO callbacks(id, created_at, customer_id, method) VALUES"
			" ('k1', '2026-02-28T15:00:00Z', 1, 'phone'),"
			" ('k2', '2026-02-28T16:30:00Z', 1, 'sms'),"
			" ('k3', '2026-04-01T00:00:00Z', 1, 'visit')");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000001", &v, &err), FC_OK);
	assert_int_equal(v.callbacks_done, 2); /* k2, k3 (dated later) */
	/* 04-01 07:59 local: still March's window? no: April began at 03-31T16:00Z */
	setenv("FORECOURT_NOW", "2026-03-31T23:59:00Z", 1);
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000001", &v, &err), FC_OK);
	assert_int_equal(v.callbacks_done, 1); /* k3 only */
	setenv("FORECOURT_NOW", "2026-03-31T15:59:00Z", 1); /* 03-31 23:59 local */
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000001", &v, &err), FC_OK);
	assert_int_equal(v.callbacks_done, 2);
	/* the zone changes: March begins at 03-01T00:00Z, k2 falls out */
	setenv("TZ", "UTC0", 1);
	tzset();
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000001", &v, &err), FC_OK);
	assert_int_equal(v.callbacks_done, 1);
	setenv("TZ", "CST-8", 1);
	tzset();
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000001", &v, &err), FC_OK);
	assert_int_equal(v.callbacks_done, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(statements_kept_and_finalized_at_close, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(full_cache_falls_back_to_plain_statements, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(lookup_reads_current_data, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(callbacks_follow_month_and_zone, pf_setup,
						pf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
