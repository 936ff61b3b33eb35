/* workdays.c — working-day arithmetic over the holidays table, and loading
 * the holidays.conf file format into it. */
#include "care/workdays.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "store/db.h"

/* Parse a strict "YYYY-MM-DD" into a tm at noon UTC (noon: no DST edge). */
static bool date_parse(const char *date, struct tm *out)
{
	int y, m, d, n = 0;
	if (!date || strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    n != 10 || date[4] != '-' || date[7] != '-')
		return false;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12 };
	time_t t = timegm(&tm);
	struct tm check;
	if (t == (time_t)-1 || !gmtime_r(&t, &check))
		return false;
	if (check.tm_year != y - 1900 || check.tm_mon != m - 1 || check.tm_mday != d)
		return false; /* 2026-02-30 and the like */
	*out = check;
	return true;
}

static void date_format(const struct tm *tm, char *out)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", tm->tm_year + 1900, tm->tm_mon + 1,
		 tm->tm_mday);
	memcpy(out, tmp, WORKDAYS_DATE_LEN - 1);
	out[WORKDAYS_DATE_LEN - 1] = '\0';
}

fc_status workdays_shift_date(const char *date, int delta, char *out, fc_error *err)
{
	struct tm tm;
	if (!date_parse(date, &tm))
		return fc_error_set(err, FC_ERR_INVALID, "'%s' is not a date (YYYY-MM-DD)",
				    date ? date : "");
	time_t t = timegm(&tm) + (time_t)delta * 86400;
	gmtime_r(&t, &tm);
	date_format(&tm, out);
	return FC_OK;
}

fc_status workdays_is_working(sqlite3 *db, const char *date, bool *working, fc_error *err)
{
	struct tm tm;
	if (!date_parse(date, &tm))
		return fc_error_set(err, FC_ERR_INVALID, "'%s' is not a date (YYYY-MM-DD)",
				    date ? date : "");
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT kind FROM holidays WHERE date = ?", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*working = strcmp((const char *)sqlite3_column_text(st, 0), "workday") == 0;
	else
		*working = tm.tm_wday >= 1 && tm.tm_wday <= 5;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the holiday calendar", err);
	return FC_OK;
}

fc_status workdays_add(sqlite3 *db, int64_t received_ms, int days, char *out, fc_error *err)
{
	if (days < 1 || days > 366)
		return fc_error_set(err, FC_ERR_INVALID, "%d working days: accepted 1..366", days);
	char day[CLOCK_ISO_LEN];
	clock_local_date(received_ms, day);
	/* At most 366 working days, and no calendar has more than a month of
	 * holidays in a row: 4 x days + 60 calendar days is a safe bound. */
	for (int step = 0, left = days; step < days * 4 + 60; step++) {
		char next[WORKDAYS_DATE_LEN];
		bool working;
		fc_status s = workdays_shift_date(day, 1, next, err);
		if (!s)
			s = workdays_is_working(db, next, &working, err);
		if (s)
			return s;
		memcpy(day, next, sizeof next);
		if (working && --left == 0) {
			memcpy(out, day, WORKDAYS_DATE_LEN);
			return FC_OK;
		}
	}
	return fc_error_set(err, FC_ERR_CONFLICT,
			    "the holiday calendar has no working days after %s", day);
}

fc_status workdays_deadline_end_ms(const char *date, int64_t *end_ms, fc_error *err)
{
	struct tm tm;
	if (!date_parse(date, &tm))
		return fc_error_set(err, FC_ERR_INVALID, "'%s' is not a date (YYYY-MM-DD)",
				    date ? date : "");
	struct tm local = { .tm_year = tm.tm_year, .tm_mon = tm.tm_mon,
			    .tm_mday = tm.tm_mday + 1, .tm_isdst = -1 };
	time_t t = mktime(&local);
	if (t == (time_t)-1)
		return fc_error_set(err, FC_ERR_INVALID, "'%s': no such local day", date);
	*end_ms = (int64_t)t * 1000;
	return FC_OK;
}

/* One line of a holidays file: "DATE KIND [major|minor] NAME..." into its
 * parts; *weight is the third word when it is major or minor, else NULL
 * (a file without the column: the name starts there; the loader refuses a
 * name starting with a lowercase ASCII word, a typo of the column, and a
 * line without a name). */
static bool holiday_line_parse(char *line, char **date, char **kind, char **weight, char **name)
{
	char *save = NULL;
	*date = strtok_r(line, " \t", &save);
	*kind = strtok_r(NULL, " \t", &save);
	*name = strtok_r(NULL, "", &save);
	*weight = NULL;
	if (*name)
		*name += strspn(*name, " \t");
	if (*name) {
		size_t len = strcspn(*name, " \t");
		if ((len == 5 && strncmp(*name, "major", 5) == 0) ||
		    (len == 5 && strncmp(*name, "minor", 5) == 0)) {
			*weight = *name;
			*name += len;
			if (**name) {
				*(*name)++ = '\0';
				*name += strspn(*name, " \t");
			}
		}
	}
	return *date && *kind;
}

/* The first word of text when it is only ASCII lowercase letters (a typo of
 * the major|minor column, "big", "majr"): its length, else 0. */
static size_t holiday_lowercase_word(const char *text)
{
	size_t n = strcspn(text, " \t");
	for (size_t i = 0; i < n; i++)
		if (text[i] < 'a' || text[i] > 'z')
			return 0;
	return n;
}

static fc_status holiday_store(sqlite3 *db, sqlite3_stmt *st, const char *date,
			       const char *kind, bool major, const char *name, fc_error *err)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, major);
	if (name && *name)
		sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	int rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "saving the holiday calendar", err);
}

fc_status workdays_load_file(sqlite3 *db, const char *path, const fc_actor *by, int *loaded,
			     fc_error *err)
{
	return workdays_load_calendar(db, path, by, loaded, NULL, err);
}

fc_status workdays_load_calendar(sqlite3 *db, const char *path, const fc_actor *by, int *loaded,
				 int *major_out, fc_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return fc_error_set(err, FC_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
	sqlite3_stmt *st = NULL;
	fc_status s = db_begin(db, err);
	if (!s)
		s = db_prepare(db,
			       "INSERT INTO holidays(date, kind, name, major) VALUES(?1, ?2, ?3, ?4) "
			       "ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, "
			       "name = excluded.name, major = excluded.major",
			       &st, err);
	char line[512];
	int lineno = 0, count = 0, majors = 0;
	while (!s && fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		char *text = line + strspn(line, " \t");
		if (*text == '\0' || *text == '#')
			continue;
		char *date, *kind, *weight, *name;
		struct tm tm;
		if (!holiday_line_parse(text, &date, &kind, &weight, &name))
			s = fc_error_set(err, FC_ERR_INVALID,
					 "%s:%d: expected 'DATE KIND [major|minor] NAME'", path,
					 lineno);
		else if (!date_parse(date, &tm))
			s = fc_error_set(err, FC_ERR_INVALID,
					 "%s:%d: '%s' is not a date (YYYY-MM-DD)", path, lineno, date);
		else if (strcmp(kind, "holiday") != 0 && strcmp(kind, "workday") != 0)
			s = fc_error_set(err, FC_ERR_INVALID,
					 "%s:%d: kind '%s' (accepted: holiday, workday)", path,
					 lineno, kind);
		else if (!weight && name && holiday_lowercase_word(name))
			s = fc_error_set(err, FC_ERR_INVALID,
					 "%s:%d: '%.*s' is not major or minor (the third column; a "
					 "name does not start with a lowercase ASCII word)", path,
					 lineno, (int)holiday_lowercase_word(name), name);
		else if (!name || !*name)
			s = fc_error_set(err, FC_ERR_INVALID,
					 "%s:%d: %s without a name (DATE KIND [major|minor] NAME)",
					 path, lineno, kind);
		else if (weight && strcmp(weight, "major") == 0 && strcmp(kind, "workday") == 0)
			s = fc_error_set(err, FC_ERR_INVALID,
					 "%s:%d: a workday cannot be a major holiday (major is for "
					 "holidays; leave the column out or write minor)", path, lineno);
		else {
			/* without the column a holiday is major, as before the column */
			bool major = strcmp(kind, "holiday") == 0 &&
				     (!weight || strcmp(weight, "major") == 0);
			s = holiday_store(db, st, date, kind, major, name, err);
			majors += !s && major;
		}
		count += !s;
	}
	if (!s && ferror(f))
		s = fc_error_set(err, FC_ERR_IO, "%s: read error", path);
	fclose(f);
	sqlite3_finalize(st);
	if (!s && by) {
		char detail[600];
		snprintf(detail, sizeof detail, "%.500s: %d calendar days, %d major holidays", path,
			 count, majors);
		s = audit_record_by(db, by, "holidays_load", detail, err);
	}
	s = db_finish(db, s, err);
	if (!s && loaded)
		*loaded = count;
	if (!s && major_out)
		*major_out = majors;
	return s;
}

int workdays_count_entries(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = -1;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM holidays", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}
