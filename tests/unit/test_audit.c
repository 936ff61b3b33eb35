/* test_audit.c — every audit row travels to head office in a record's line,
 * the last row head office acknowledged is noted, and the verifier finds
 * rows deleted from the end up to it. */
#include "testutil.h"

#include "store/audit.h"
#include "store/db.h"
#include "store/record.h"

typedef struct audit_fixture {
	char *dir;
	sqlite3 *db;
} audit_fixture;

static int audit_setup(void **state)
{
	audit_fixture *f = calloc(1, sizeof *f);
	char path[4096];
	fc_error err;
	f->dir = tu_tempdir();
	assert_int_equal(db_open(tu_path(path, f->dir, "a.db"), DB_OPEN_CREATE, &f->db, &err),
			 FC_OK);
	*state = f;
	return 0;
}

static int audit_teardown(void **state)
{
	audit_fixture *f = *state;
	db_close(f->db);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* One user action with an audit row: a visit record through record_save. */
static void save_action(sqlite3 *db, const char *detail)
{
	fc_record rec;
	fc_error err;
	assert_int_equal(record_begin(db, &rec, "visit", &err), FC_OK);
	fc_status s = record_save(db, &rec, "S0001", 0, json_pack("{s:s}", "note", detail), "visit",
				  detail, &err);
	assert_int_equal(db_finish(db, s, &err), FC_OK);
}

/* Rows of the audit log whose id and hash no outbox line carries. */
static int64_t rows_not_in_a_line(sqlite3 *db)
{
	return tu_int64(db, "SELECT count(*) FROM audit a WHERE NOT EXISTS (SELECT 1 FROM outbox o "
			    "WHERE json_extract(o.payload, '$.audit.id') = a.id "
			    "AND json_extract(o.payload, '$.audit.hash') = a.hash "
			    "AND json_extract(o.payload, '$.audit.action') = a.action)");
}

static void every_audit_row_travels_in_a_line(void **state)
{
	audit_fixture *f = *state;
	fc_error err;
	save_action(f->db, "visit one");
	assert_int_equal(audit_record_event_now(f->db, "S0001", 0, "login", "staff 1", &err), FC_OK);
	fc_actor by = { .station_id = "S0001", .staff_id = 0, .via = "cli" };
	assert_int_equal(db_begin(f->db, &err), FC_OK);
	assert_int_equal(audit_record_by(f->db, &by, "import", "customers c.csv: 3 rows", &err),
			 FC_OK);
	assert_int_equal(db_commit(f->db, &err), FC_OK);
	fc_record rec; /* a record with no audit row carries none */
	assert_int_equal(record_begin(f->db, &rec, "feedback", &err), FC_OK);
	assert_int_equal(db_finish(f->db, record_save(f->db, &rec, "S0001", 0, json_object(), NULL,
						      NULL, &err), &err),
			 FC_OK);

	assert_int_equal(tu_int64(f->db, "SELECT count(*) FROM audit"), 3);
	assert_int_equal(rows_not_in_a_line(f->db), 0);
	assert_int_equal(tu_int64(f->db, "SELECT count(*) FROM outbox WHERE type = 'feedback' "
					 "AND json_type(payload, '$.audit') IS NULL"), 1);
	assert_int_equal(tu_int64(f->db, "SELECT count(*) FROM audit WHERE action = 'import' "
					 "AND detail = 'customers c.csv: 3 rows (by cli)'"), 1);
	char buf[48];
	assert_string_equal(audit_by(7, "cli", buf, sizeof buf), "");
	assert_string_equal(audit_by(0, NULL, buf, sizeof buf), "");
	assert_string_equal(audit_by(0, "cli", buf, sizeof buf), " (by cli)");
}

static void verify(sqlite3 *db, fc_audit_check *check)
{
	fc_error err;
	assert_int_equal(audit_verify_chain(db, check, &err), FC_OK);
}

static void rows_deleted_from_the_end_are_found(void **state)
{
	audit_fixture *f = *state;
	fc_audit_check check;
	for (int i = 0; i < 5; i++)
		save_action(f->db, "a visit");
	verify(f->db, &check);
	assert_int_equal(check.bad_id, 0);
	assert_int_equal(check.acked_id, 0);

	/* Head office acknowledges records 1..3, then 2 again (any order): the
	 * anchor is row 3 with its hash. */
	tu_exec(f->db, "UPDATE outbox SET state = 'sent', sent_at = 'x' WHERE seq IN (1, 3)");
	tu_exec(f->db, "UPDATE outbox SET state = 'sent', sent_at = 'x' WHERE seq = 2");
	assert_int_equal(tu_int64(f->db, "SELECT json_extract(value, '$.id') FROM meta "
					 "WHERE key = 'audit_acked'"), 3);
	assert_int_equal(tu_int64(f->db, "SELECT json_extract(m.value, '$.hash') = a.hash "
					 "FROM meta m, audit a WHERE m.key = 'audit_acked' "
					 "AND a.id = 3"), 1);
	verify(f->db, &check);
	assert_int_equal(check.bad_id, 0);
	assert_int_equal(check.acked_id, 3);
	assert_int_equal(check.rows, 5);

	/* Rows after the anchor can go unseen here (head office has them)... */
	tu_exec(f->db, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 5");
	verify(f->db, &check);
	assert_int_equal(check.bad_id, 0);
	/* ... rows up to it cannot. */
	tu_exec(f->db, "DELETE FROM audit WHERE id >= 3");
	verify(f->db, &check);
	assert_int_equal(check.bad_id, 3);
	assert_string_equal(check.reason,
			    "rows 3..3 are missing from the end (head office acknowledged row 3)");
	/* Nor can they be written again: the new row 3 has another hash. */
	save_action(f->db, "written again");
	verify(f->db, &check);
	assert_int_equal(check.bad_id, 3);
	assert_string_equal(check.reason, "its hash is not the one head office acknowledged");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_audit_row_travels_in_a_line, audit_setup,
						audit_teardown),
		cmocka_unit_test_setup_teardown(rows_deleted_from_the_end_are_found, audit_setup,
						audit_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
