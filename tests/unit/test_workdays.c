/* test_workdays.c — the working-day calculator on a calendar with a holiday
 * spanning weekends and two make-up Saturdays; loading holidays files. */
#include "testutil.h"

#include <time.h>

#include "base/clock.h"
#include "store/db.h"
#include "care/workdays.h"

/* Spring Festival 2026 as the State Council set it:
 *   Sat 02-14 make-up workday, Sun 02-15 .. Mon 02-23 holiday (covers the
 *   weekends 02-15, 02-21/22), Sat 02-28 make-up workday.
 *   February 2026:  Mo Tu We Th Fr Sa Su
 *                                      1
 *                    2  3  4  5  6  7  8
 *                    9 10 11 12 13 14 15
 *                   16 17 18 19 20 21 22
 *                   23 24 25 26 27 28
 *   March 2026:      2  3  4  5  6  7  8  (Sun 03-01 before)
 *                    9 10 ... */
static const char calendar[] =
	"# test calendar\n"
	"2026-02-14 workday 春节调休\n"
	"2026-02-15 holiday 春节\n2026-02-16 holiday 春节\n2026-02-17 holiday 春节\n"
	"2026-02-18 holiday 春节\n2026-02-19 holiday 春节\n2026-02-20 holiday 春节\n"
	"2026-02-21 holiday 春节\n2026-02-22 holiday 春节\n2026-02-23 holiday 春节\n"
	"\n"
	"2026-02-28 workday 春节调休\n";

typedef struct fixture {
	char *dir;
	sqlite3 *db;
} fixture;

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	char path[4096], cal[4096];
	fc_error err;
	setenv("TZ", "CST-8", 1); /* the station's local time: UTC+8, no DST */
	tzset();
	fx->dir = tu_tempdir();
	assert_int_equal(db_open(tu_path(path, fx->dir, "w.db"), DB_OPEN_CREATE, &fx->db, &err),
			 FC_OK);
	int n = 0;
	assert_int_equal(workdays_load_file(fx->db, tu_write(cal, fx->dir, "h.conf", calendar),
					    NULL, &n, &err),
			 FC_OK);
	assert_int_equal(n, 11);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	db_close(fx->db);
	tu_rmdir(fx->dir);
	free(fx);
	return 0;
}

static void expect_deadline(sqlite3 *db, const char *received_utc, int days, const char *want)
{
	int64_t ms;
	char got[WORKDAYS_DATE_LEN];
	fc_error err;
	assert_true(clock_parse_iso(received_utc, &ms));
	assert_int_equal(workdays_add(db, ms, days, got, &err), FC_OK);
	if (strcmp(got, want) != 0)
		fail_msg("%s + %d working days: got %s, want %s", received_utc, days, got, want);
}

static void from_friday_evening(void **state)
{
	fixture *fx = *state;
	/* Fri 02-13 20:00 local (12:00Z).
	 * 1: Sat 02-14 is a make-up workday                         -> 02-14
	 * 3: 02-14 (1), holiday 15..23, Tue 24 (2), Wed 25 (3)        -> 02-25
	 * 7: Thu 26 (4), Fri 27 (5), make-up Sat 28 (6), Sun 03-01
	 *    skipped, Mon 03-02 (7)                                   -> 03-02 */
	expect_deadline(fx->db, "2026-02-13T12:00:00Z", 1, "2026-02-14");
	expect_deadline(fx->db, "2026-02-13T12:00:00Z", 3, "2026-02-25");
	expect_deadline(fx->db, "2026-02-13T12:00:00Z", 7, "2026-03-02");
}

static void from_holiday_eve(void **state)
{
	fixture *fx = *state;
	/* Sat 02-14 18:00 local (10:00Z), the eve of the holiday.
	 * 1: 15..23 holiday, Tue 24                                   -> 02-24
	 * 3: 24 (1), 25 (2), 26 (3)                                   -> 02-26
	 * 7: 27 (4), make-up Sat 28 (5), Sun 03-01 skipped,
	 *    Mon 03-02 (6), Tue 03-03 (7)                             -> 03-03 */
	expect_deadline(fx->db, "2026-02-14T10:00:00Z", 1, "2026-02-24");
	expect_deadline(fx->db, "2026-02-14T10:00:00Z", 3, "2026-02-26");
	expect_deadline(fx->db, "2026-02-14T10:00:00Z", 7, "2026-03-03");
}

static void from_make_up_day(void **state)
{
	fixture *fx = *state;
	/* Sat 02-28 09:30 local (01:30Z), a make-up workday.
	 * 1: Sun 03-01 skipped, Mon 03-02                              -> 03-02
	 * 3: 03-02 (1), 03-03 (2), 03-04 (3)                          -> 03-04
	 * 7: 05 (4), 06 (5), Sat 07 + Sun 08 skipped, 09 (6), 10 (7)  -> 03-10 */
	expect_deadline(fx->db, "2026-02-28T01:30:00Z", 1, "2026-03-02");
	expect_deadline(fx->db, "2026-02-28T01:30:00Z", 3, "2026-03-04");
	expect_deadline(fx->db, "2026-02-28T01:30:00Z", 7, "2026-03-10");
}

static void local_date_decides_not_utc(void **state)
{
	fixture *fx = *state;
	/* 2026-02-13T16:30Z is already Sat 02-14 00:30 local: counted from the
	 * Saturday, 1 working day is Tue 02-24, not the Saturday itself. */
	expect_deadline(fx->db, "2026-02-13T16:30:00Z", 1, "2026-02-24");
}

static void deadline_ends_at_local_midnight(void **state)
{
	(void)state;
	int64_t end;
	char iso[CLOCK_ISO_LEN];
	fc_error err;
	assert_int_equal(workdays_deadline_end_ms("2026-02-25", &end, &err), FC_OK);
	assert_string_equal(clock_format_iso(end, iso), "2026-02-25T16:00:00Z");
	assert_int_equal(workdays_deadline_end_ms("2026-02-30", &end, &err), FC_ERR_INVALID);
}

static void working_day_rules(void **state)
{
	fixture *fx = *state;
	bool w;
	fc_error err;
	assert_int_equal(workdays_is_working(fx->db, "2026-02-14", &w, &err), FC_OK);
	assert_true(w); /* make-up Saturday */
	assert_int_equal(workdays_is_working(fx->db, "2026-02-23", &w, &err), FC_OK);
	assert_false(w); /* holiday Monday */
	assert_int_equal(workdays_is_working(fx->db, "2026-03-07", &w, &err), FC_OK);
	assert_false(w); /* ordinary Saturday */
	assert_int_equal(workdays_is_working(fx->db, "2026-03-09", &w, &err), FC_OK);
	assert_true(w);
	assert_int_equal(workdays_is_working(fx->db, "2026-13-01", &w, &err), FC_ERR_INVALID);
	assert_int_equal(workdays_add(fx->db, 0, 0, (char[WORKDAYS_DATE_LEN]){ 0 }, &err),
			 FC_ERR_INVALID);
}

static void bad_file_line_is_named_and_stores_nothing(void **state)
{
	fixture *fx = *state;
	char path[4096];
	fc_error err;
	tu_write(path, fx->dir, "bad.conf",
		 "2026-05-01 holiday 劳动节\n2026-05-02 vacation 劳动节\n");
	assert_int_equal(workdays_load_file(fx->db, path, NULL, NULL, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "bad.conf:2: kind 'vacation'"));
	tu_write(path, fx->dir, "bad2.conf", "2026-02-30 holiday x\n");
	assert_int_equal(workdays_load_file(fx->db, path, NULL, NULL, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "bad2.conf:1: '2026-02-30' is not a date"));
	assert_int_equal(workdays_count_entries(fx->db), 11); /* 05-01 rolled back */
	assert_int_equal(workdays_load_file(fx->db, "/nonexistent/h.conf", NULL, NULL, &err),
			 FC_ERR_IO);
}

static void shipped_calendar_loads(void **state)
{
	fixture *fx = *state;
	fc_error err;
	int n = 0;
	const char *src = getenv("FORECOURT_SRC");
	char path[4096];
	snprintf(path, sizeof path, "%s/config/holidays.conf", src ? src : ".");
	assert_int_equal(workdays_load_file(fx->db, path, NULL, &n, &err), FC_OK);
	assert_true(n > 30);
	/* National Day 2026: 10-01..07 off, Sat 10-10 make-up.  From Wed 09-30
	 * 10:00 local, 1 working day is Thu 10-08. */
	expect_deadline(fx->db, "2026-09-30T02:00:00Z", 1, "2026-10-08");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(from_friday_evening),
		cmocka_unit_test(from_holiday_eve),
		cmocka_unit_test(from_make_up_day),
		cmocka_unit_test(local_date_decides_not_utc),
		cmocka_unit_test(deadline_ends_at_local_midnight),
		cmocka_unit_test(working_day_rules),
		cmocka_unit_test(bad_file_line_is_named_and_stores_nothing),
		cmocka_unit_test(shipped_calendar_loads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
