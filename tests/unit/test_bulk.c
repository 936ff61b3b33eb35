/* test_bulk.c — store/bulk on a real SQLite file: a job writing shadow
 * tables while another connection (the station) renames a customer and
 * registers one; the switch puts the job's rows in place with the
 * station's changes kept, ids apart, search right before and after the
 * search entries of the job's customers are made, nothing left behind; a job that fails at its switch changes nothing; one job at a
 * time; what a job that died left is cleared by the next. */
#include "testutil.h"

#include <sys/wait.h>

#include "customers/search.h"
#include "store/bulk.h"
#include "store/db.h"

typedef struct fixture {
	char *dir;
	char path[4096];
	sqlite3 *job;     /* the bulk job's connection */
	sqlite3 *station; /* a kiosk's */
} fixture;

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	fc_error err;
	fx->dir = tu_tempdir();
	tu_path(fx->path, fx->dir, "s.db");
	assert_int_equal(db_open(fx->path, DB_OPEN_CREATE, &fx->job, &err), FC_OK);
	assert_int_equal(db_open(fx->path, DB_OPEN_EXISTING, &fx->station, &err), FC_OK);
	tu_exec(fx->station,
		"INSERT INTO customers(id, code, name, nature, created_at, updated_at) VALUES"
		" (1, 'C1', 'Alice Wong', 'big', 't', 't'), (2, 'C2', 'Bob Li', 'individual', 't', 't');"
		"INSERT INTO cards(card_id, customer_id, kind, updated_at) VALUES ('0A01', 1, 'unit', 't')");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	db_close(fx->job);
	db_close(fx->station);
	tu_rmdir(fx->dir);
	free(fx);
	return 0;
}

static int64_t count(sqlite3 *db, const char *sql)
{
	return tu_int64(db, sql);
}

static int64_t leftovers(sqlite3 *db)
{
	return count(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%\\_\\_next' ESCAPE '\\'"
			 " OR name LIKE '%\\_\\_old' ESCAPE '\\' OR name LIKE 'bulk\\_dirty%' ESCAPE '\\'");
}

/* The job's reapply: customer rows the station changed get the job's phone
 * again (a registration made meanwhile is none of the job's). */
static fc_status reapply(void *user, bulk_table t, sqlite3_stmt *keys, fc_error *err)
{
	fixture *fx = user;
	while (t == BULK_CUSTOMERS && sqlite3_step(keys) == SQLITE_ROW) {
		char sql[160];
		snprintf(sql, sizeof sql, "UPDATE customers__next SET phone = 'job' WHERE id = %lld"
			 " AND code NOT LIKE 'R%%'",
			 (long long)sqlite3_column_int64(keys, 0));
		if (sqlite3_exec(fx->job, sql, NULL, NULL, NULL) != SQLITE_OK)
			return fc_error_set(err, FC_ERR_DB, "reapply");
	}
	return FC_OK;
}

/* What the kiosk's search finds after the job: each customer by its name
 * now, the old name nowhere; a piece of a Chinese name (the grams) too. */
static void found_by_search(sqlite3 *db)
{
	static const struct { const char *query, *code; } want[] = {
		{ "Wang", "C1" }, { "Newton", "N1" }, { "Rita", "R1" }, { "Wong", NULL },
		{ "job", NULL }, { "王", "N2" }, { "小明", "N2" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		search_result res;
		fc_error err;
		assert_int_equal(search_customers(db, want[i].query, &res, &err), FC_OK);
		if (!want[i].code) {
			if (strcmp(want[i].query, "job") == 0) /* every job's phone */
				assert_int_equal(res.count, 4);
			else
				assert_int_equal(res.count, 0);
			continue;
		}
		assert_int_equal(res.count, 1);
		assert_string_equal(res.hits[0].code, want[i].code);
	}
}

static void a_job_and_the_station_both_stay(void **state)
{
	fixture *fx = *state;
	fc_error err;
	bulk_job *j;
	assert_int_equal(bulk_open(fx->job, fx->path, false, &j, &err), FC_OK);
	assert_int_equal(bulk_shadow(j, BULK_CUSTOMERS, true, &err), FC_OK);
	assert_true(bulk_shadowed(j, BULK_CUSTOMERS) && bulk_shadow_search(j));
	assert_string_equal(bulk_name(j, BULK_CUSTOMERS), "customers__next");
	/* the cards with them: customers' triggers keep the cards' copy of
	 * the swipe decision's columns (migration 14) */
	assert_string_equal(bulk_name(j, BULK_CARDS), "cards__next");
	int64_t base = bulk_new_id_base(j);
	assert_int_equal(base, 2 + BULK_ID_GAP);
	/* the job: every phone set, a new customer */
	assert_int_equal(bulk_chunk_begin(j, &err), FC_OK);
	tu_exec(fx->job, "UPDATE customers__next SET phone = 'job';"
			 "INSERT INTO customers__next(code, name, nature, phone, created_at, updated_at)"
			 " VALUES ('N1', 'Newton Gale', 'big', 'job', 't', 't'),"
			 " ('N2', '王小明', 'individual', 'job', 't', 't')");
	assert_int_equal(bulk_chunk_end(j, FC_OK, &err), FC_OK);
	assert_int_equal(count(fx->job, "SELECT id FROM customers__next WHERE code = 'N1'"), base);
	/* meanwhile the station renames C1 (its phone untouched) and registers
	 * a customer: neither waits, readers see none of the job */
	tu_exec(fx->station, "UPDATE customers SET name = 'Alice Wang' WHERE code = 'C1';"
			     "INSERT INTO customers(code, name, nature, created_at, updated_at)"
			     " VALUES ('R1', 'Rita Moss', 'individual', 't', 't')");
	int64_t r1 = count(fx->station, "SELECT id FROM customers WHERE code = 'R1'");
	assert_int_equal(r1, 3);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customers WHERE phone = 'job'"), 0);
	assert_int_equal(bulk_switch_begin(j, reapply, fx, &err), FC_OK);
	assert_int_equal(bulk_switch_end(j, FC_OK, &err), FC_OK);
	bulk_close(j);
	/* the job's rows and the station's, each where it belongs */
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customers"), 5);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customers WHERE phone = 'job'"), 4);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customers WHERE code = 'C1' AND"
					    " name = 'Alice Wang'"), 1);
	assert_int_equal(count(fx->station, "SELECT id FROM customers WHERE code = 'R1'"), r1);
	assert_int_equal(count(fx->station, "SELECT id FROM customers WHERE code = 'N1'"), base);
	/* the customers whose search columns the job changed (every phone)
	 * and its new one wait for their search entries, their old ones
	 * gone; the registration is indexed; search finds each by its values
	 * now, the listed ones by a scan */
	assert_int_equal(count(fx->station, "SELECT count(*) FROM search_pending p JOIN customers c"
					    " USING (id) WHERE c.code IN ('C1', 'C2', 'N1')"), 3);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customer_search WHERE"
					    " customer_search MATCH 'Wong OR Wang OR Newton'"), 0);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customer_search WHERE"
					    " customer_search MATCH 'Rita'"), 1);
	found_by_search(fx->station);
	/* the builder leaves them while a job runs (the job lists what it
	 * changes itself) */
	int64_t indexed = 0;
	int64_t listed = count(fx->station, "SELECT count(*) FROM search_pending");
	assert_int_equal(bulk_open(fx->job, fx->path, false, &j, &err), FC_OK);
	assert_int_equal(search_index_pending(fx->station, fx->path, 0, &indexed, NULL, &err), FC_OK);
	bulk_close(j);
	assert_int_equal(indexed, 0);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM search_pending"), listed);
	/* the entries made after the switch: the same found, from the index */
	assert_int_equal(search_index_pending(fx->job, fx->path, 0, &indexed, NULL, &err), FC_OK);
	assert_true(indexed >= 3);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM search_pending"), 0);
	tu_exec(fx->station, "INSERT INTO customer_search(customer_search) VALUES ('integrity-check');"
			     "INSERT INTO customer_grams(customer_grams) VALUES ('integrity-check')");
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customer_search WHERE"
					    " customer_search MATCH 'Wang'"), 1);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customer_search WHERE"
					    " customer_search MATCH 'Wong'"), 0);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customer_search WHERE"
					    " customer_search MATCH 'Newton'"), 1);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customer_search WHERE"
					    " customer_search MATCH 'Rita'"), 1);
	found_by_search(fx->station);
	/* the triggers moved over: a station insert is indexed */
	tu_exec(fx->station, "INSERT INTO customers(code, name, nature, created_at, updated_at)"
			     " VALUES ('R2', 'Quentin Ash', 'big', 't', 't')");
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customer_search WHERE"
					    " customer_search MATCH 'Quentin'"), 1);
	/* cards still reference customers; nothing left behind */
	assert_int_equal(count(fx->station, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_equal(count(fx->job, "PRAGMA foreign_keys"), 1);
	assert_int_equal(leftovers(fx->station), 0);
	char report[256];
	assert_int_equal(db_quick_check(fx->station, report, sizeof report, &err), FC_OK);
	/* a second job shadows again: the indexes go back to their first names */
	assert_int_equal(bulk_open(fx->job, fx->path, false, &j, &err), FC_OK);
	assert_int_equal(bulk_shadow(j, BULK_CUSTOMERS, false, &err), FC_OK);
	assert_int_equal(bulk_switch_begin(j, reapply, fx, &err), FC_OK);
	assert_int_equal(bulk_switch_end(j, FC_OK, &err), FC_OK);
	bulk_close(j);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
					    " AND name IN ('customers_phone', 'customers_plate',"
					    " 'customers_name')"), 3);
	assert_int_equal(leftovers(fx->station), 0);
}

static void a_failed_switch_changes_nothing(void **state)
{
	fixture *fx = *state;
	fc_error err;
	bulk_job *j;
	assert_int_equal(bulk_open(fx->job, fx->path, false, &j, &err), FC_OK);
	/* one job at a time */
	bulk_job *other;
	assert_true(bulk_running(fx->path));
	assert_int_equal(bulk_open(fx->station, fx->path, false, &other, &err), FC_ERR_LOCKED);
	assert_int_equal(bulk_shadow(j, BULK_CUSTOMERS, false, &err), FC_OK);
	assert_int_equal(bulk_shadow(j, BULK_CARDS, false, &err), FC_OK);
	assert_int_equal(bulk_chunk_begin(j, &err), FC_OK);
	tu_exec(fx->job, "UPDATE customers__next SET name = 'gone'; DELETE FROM cards__next");
	assert_int_equal(bulk_chunk_end(j, FC_OK, &err), FC_OK);
	fc_status s = bulk_switch_begin(j, reapply, fx, &err);
	if (!s)
		s = fc_error_set(&err, FC_ERR_INVALID, "a bad row found at the switch");
	assert_int_equal(bulk_switch_end(j, s, &err), FC_ERR_INVALID);
	bulk_close(j);
	assert_false(bulk_running(fx->path));
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customers WHERE name = 'gone'"), 0);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM cards"), 1);
	assert_int_equal(leftovers(fx->station), 0);
}

static void what_a_dead_job_left_is_cleared(void **state)
{
	fixture *fx = *state;
	fc_error err;
	/* a job that dies in its shadow phase: its process ends, the kernel
	 * drops its lock and its connection */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sqlite3 *db;
		bulk_job *dead;
		if (db_open(fx->path, DB_OPEN_EXISTING, &db, &err) ||
		    bulk_open(db, fx->path, false, &dead, &err) ||
		    bulk_shadow(dead, BULK_CUSTOMERS, true, &err))
			_exit(1);
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_false(bulk_running(fx->path));
	assert_true(leftovers(fx->station) > 0);
	/* the station goes on (its changes noted for nobody) */
	tu_exec(fx->station, "UPDATE customers SET name = 'still served' WHERE code = 'C2'");
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customers"), 2);
	/* the next job clears what it left */
	bulk_job *j;
	assert_int_equal(bulk_open(fx->job, fx->path, false, &j, &err), FC_OK);
	bulk_close(j);
	assert_int_equal(leftovers(fx->station), 0);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customers WHERE name = 'still served'"),
			 1);
	assert_int_equal(count(fx->station, "SELECT count(*) FROM customer_search WHERE"
					    " customer_search MATCH 'served'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_job_and_the_station_both_stay, setup, teardown),
		cmocka_unit_test_setup_teardown(a_failed_switch_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(what_a_dead_job_left_is_cleared, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
