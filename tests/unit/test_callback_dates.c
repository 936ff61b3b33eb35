/* test_callback_dates.c — callbacks due before a major holiday within the
 * [callbacks] holiday_window_days (the holidays file's major column, old
 * files without it: every holiday major) and the care call before a
 * birthday or company anniversary, on a real database file. */
#include "care_fixture.h"

#include <stdio.h>
#include <string.h>

#include "care/callback.h"
#include "care/workdays.h"

static int setup(void **state)
{
	/* Thu 02-05 10:00 local: the Spring Festival (02-15) is 10 days ahead */
	return care_fixture_setup(state, "2026-02-05T02:00:00Z",
	     "INSERT INTO customers(id, code, name, nature, tier, stability, created_at, updated_at)"
	     " VALUES (1, 'B-ORD', 'Big ordinary', 'big', 'ordinary', 'current', 'x', 'x'),"
	     " (2, 'I-ORD', 'Ind ordinary', 'individual', 'ordinary', 'current', 'x', 'x'),"
	     " (3, 'I-SIL', 'Ind silver', 'individual', 'silver', 'current', 'x', 'x');"
	     /* each had this month's callback on 02-02: none is behind on the month */
	     "INSERT INTO callbacks(id, created_at, staff_id, customer_id, method) VALUES"
	     " ('k1', '2026-02-02T02:00:00Z', 2, 1, 'phone'),"
	     " ('k2', '2026-02-02T02:00:00Z', 2, 2, 'phone'),"
	     " ('k3', '2026-02-02T02:00:00Z', 2, 3, 'phone');");
}

static char *write_file(fixture *fx, const char *name, const char *text, char path[4096])
{
	tu_path(path, fx->dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static size_t due_count(fixture *fx, int64_t now, fc_callback_due_list *out)
{
	fc_error err;
	assert_int_equal(callback_list_due(fx->db, &fx->cfg, now, out, &err), FC_OK);
	return out->count;
}

/* The window is a config key; only a major holiday makes callbacks due. */
static void holiday_window(void **state)
{
	fixture *fx = *state;
	char path[4096];
	int loaded = 0, majors = 0;
	fc_error err;
	fc_callback_due_list due;
	int64_t now;
	assert_true(clock_parse_iso("2026-02-05T02:00:00Z", &now));
	/* an old file (no column): every holiday is major */
	write_file(fx, "old.conf", "2026-02-14 workday 春节调休\n2026-02-15 holiday 春节\n"
		   "2026-02-16 holiday 春节\n", path);
	assert_int_equal(workdays_load_calendar(fx->db, path, NULL, &loaded, &majors, &err), FC_OK);
	assert_int_equal(loaded, 3);
	assert_int_equal(majors, 2);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM holidays WHERE major = 1"), 2);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM holidays WHERE name = '春节'"), 2);

	/* 10 days ahead: outside the default window of 7 days */
	assert_int_equal(fx->cfg.callbacks_holiday_days, 7);
	assert_int_equal(due_count(fx, now, &due), 0);
	assert_string_equal(due.holiday_date, "");
	callback_due_free(&due);
	/* a window of 10 days: every maintained customer is due, once */
	fx->cfg.callbacks_holiday_days = 10;
	assert_int_equal(due_count(fx, now, &due), 3);
	assert_string_equal(due.holiday_date, "2026-02-15");
	assert_string_equal(due.holiday_name, "春节");
	for (size_t i = 0; i < due.count; i++) {
		assert_true(due.rows[i].holiday);
		assert_int_equal(due.rows[i].behind, 1);
	}
	callback_due_free(&due);
	/* a callback since the window opened (02-05 local) settles it */
	tu_exec(fx->db, "INSERT INTO callbacks(id, created_at, staff_id, customer_id, method)"
		     " VALUES ('k4', '2026-02-04T16:30:00Z', 2, 2, 'sms')");
	assert_int_equal(due_count(fx, now, &due), 2);
	callback_due_free(&due);
	/* the column says minor: no callback is due for it */
	write_file(fx, "new.conf", "# the column\n2026-02-14 workday 春节调休\n"
		   "2026-02-15 holiday minor 春节\n2026-02-16 holiday minor 春节 第二天\n", path);
	assert_int_equal(workdays_load_calendar(fx->db, path, NULL, &loaded, &majors, &err), FC_OK);
	assert_int_equal(majors, 0);
	assert_int_equal(due_count(fx, now, &due), 0);
	assert_string_equal(due.holiday_date, "");
	callback_due_free(&due);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM holidays WHERE name = '春节 第二天'"), 1);
	/* major again, written out */
	write_file(fx, "major.conf", "2026-02-15 holiday major 春节\n", path);
	assert_int_equal(workdays_load_calendar(fx->db, path, NULL, &loaded, &majors, &err), FC_OK);
	assert_int_equal(majors, 1);
	assert_int_equal(due_count(fx, now, &due), 2);
	callback_due_free(&due);
	/* a workday cannot be major: the file and line are named, nothing stored */
	write_file(fx, "bad.conf", "2026-03-01 holiday minor 测试\n2026-02-28 workday major 调休\n",
		   path);
	assert_int_equal(workdays_load_calendar(fx->db, path, NULL, &loaded, &majors, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "bad.conf:2: a workday cannot be a major holiday"));
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM holidays WHERE date = '2026-03-01'"), 0);
	/* a typo of the column is not the start of a name; a line needs a name */
	write_file(fx, "typo.conf", "2026-03-01 holiday minor 测试\n2026-12-12 holiday big 测试\n",
		   path);
	assert_int_equal(workdays_load_calendar(fx->db, path, NULL, &loaded, &majors, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "typo.conf:2: 'big' is not major or minor"));
	write_file(fx, "noname.conf", "2026-03-01 holiday minor 测试\n2026-12-12 holiday major\n",
		   path);
	assert_int_equal(workdays_load_calendar(fx->db, path, NULL, &loaded, &majors, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "noname.conf:2: holiday without a name"));
	write_file(fx, "bare.conf", "2026-12-13 workday\n", path);
	assert_int_equal(workdays_load_calendar(fx->db, path, NULL, &loaded, &majors, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "bare.conf:1: workday without a name"));
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM holidays WHERE date >= '2026-03-01'"), 0);
	/* an old file's name, Chinese or capitalised, still loads */
	write_file(fx, "old.conf", "2026-12-12 holiday 测试节\n2026-12-13 holiday National Day\n",
		   path);
	assert_int_equal(workdays_load_calendar(fx->db, path, NULL, &loaded, &majors, &err), FC_OK);
	assert_int_equal(majors, 2);
}

static void special_ahead_rule(void **state)
{
	(void)state;
	char next[WORKDAYS_DATE_LEN];
	assert_true(callback_special_ahead("2026-02-05", "02-12", 7, next));
	assert_string_equal(next, "2026-02-12");
	assert_false(callback_special_ahead("2026-02-05", "02-13", 7, next));
	assert_true(callback_special_ahead("2026-02-05", "1980-02-05", 7, next)); /* today */
	assert_string_equal(next, "2026-02-05");
	assert_false(callback_special_ahead("2026-02-05", "02-04", 7, next)); /* next year */
	assert_true(callback_special_ahead("2026-12-30", "01-03", 7, next));
	assert_string_equal(next, "2027-01-03");
	assert_true(callback_special_ahead("2026-02-25", "02-29", 7, next)); /* common year */
	assert_string_equal(next, "2026-02-28");
	assert_true(callback_special_ahead("2028-02-25", "2000-02-29", 7, next));
	assert_string_equal(next, "2028-02-29");
	assert_false(callback_special_ahead("2026-02-05", "", 7, next));
	assert_false(callback_special_ahead("2026-02-05", NULL, 7, next));
	assert_false(callback_special_ahead("2026-02-05", "13-01", 365, next));
	assert_false(callback_special_ahead("2026-02-05", "02/12", 7, next));
}

/* A care callback is due in the week before a birthday or anniversary. */
static void special_dates_due(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_callback_due_list due;
	fc_callback_due one;
	int64_t now;
	assert_true(clock_parse_iso("2026-02-05T02:00:00Z", &now));
	tu_exec(fx->db, "UPDATE customers SET birthday = '1975-02-11' WHERE id = 1;" /* 6 days */
		     "UPDATE customers SET anniversary = '02-20' WHERE id = 2;"    /* 15 days */
		     "UPDATE customers SET birthday = '08-01', anniversary = '02-10' WHERE id = 3;");
	assert_int_equal(due_count(fx, now, &due), 2);
	for (size_t i = 0; i < due.count; i++) {
		const fc_callback_due *r = &due.rows[i];
		assert_true(r->special);
		assert_int_equal(r->behind, 1);
		if (r->customer_id == 1) {
			assert_string_equal(r->special_kind, "birthday");
			assert_string_equal(r->special_date, "2026-02-11");
		} else {
			assert_int_equal(r->customer_id, 3);
			assert_string_equal(r->special_kind, "anniversary");
			assert_string_equal(r->special_date, "2026-02-10");
		}
	}
	callback_due_free(&due);
	/* the swipe says the same */
	assert_int_equal(callback_customer_due(fx->db, &fx->cfg, now, 1, &one, &err), FC_OK);
	assert_true(one.special && one.owed && one.behind == 1);
	assert_int_equal(callback_customer_due(fx->db, &fx->cfg, now, 2, &one, &err), FC_OK);
	assert_false(one.special);
	assert_int_equal(one.behind, 0);
	/* a callback since 7 days before the birthday (02-04 local) is the care call */
	tu_exec(fx->db, "INSERT INTO callbacks(id, created_at, staff_id, customer_id, method)"
		     " VALUES ('k5', '2026-02-03T16:00:00Z', 2, 1, 'card')");
	assert_int_equal(due_count(fx, now, &due), 1);
	assert_int_equal(due.rows[0].customer_id, 3);
	callback_due_free(&due);
	/* a wider window ([callbacks] special_date_days) reaches the anniversary of
	 * 02-20 (no callback since 02-05) and counts the callbacks of 02-02 for the
	 * others */
	fx->cfg.callbacks_special_days = 15;
	assert_int_equal(due_count(fx, now, &due), 1);
	assert_int_equal(due.rows[0].customer_id, 2);
	assert_string_equal(due.rows[0].special_date, "2026-02-20");
	callback_due_free(&due);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(holiday_window, setup, teardown),
		cmocka_unit_test(special_ahead_rule),
		cmocka_unit_test_setup_teardown(special_dates_due, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
