/* callback.c — who is due a callback (this month's count against the
 * per-tier requirement, a coming major holiday, only the customers this
 * station owes), for the F8 list and the swipe alike, and recording callbacks. */
#include "care/callback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_check.h"
#include "care/study.h"
#include "staff/staff.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/record.h"
#include "store/stmt_cache.h"

bool callback_station_maintains(fc_tier tier)
{
	return tier == TIER_BIG_ORDINARY || tier == TIER_IND_SILVER || tier == TIER_IND_ORDINARY;
}

bool callback_station_owes(const fc_config *cfg, fc_tier tier, const char *home_station)
{
	return callback_station_maintains(tier) &&
	       (!home_station || !*home_station || strcmp(home_station, cfg->station_id) == 0);
}

int callback_required(const fc_config *cfg, fc_tier tier, fc_stability stability)
{
	bool top = tier == TIER_BIG_DIAMOND || tier == TIER_BIG_GOLD || tier == TIER_IND_PLATINUM ||
		   tier == TIER_IND_GOLD;
	int n = top ? cfg->callbacks_top : cfg->callbacks_other;
	return n + (stability == STABILITY_SWING ? cfg->callbacks_swing_extra : 0);
}

/* Local midnight at the start of date, as UTC ms. */
static fc_status local_day_start_ms(const char *date, int64_t *ms, fc_error *err)
{
	char before[WORKDAYS_DATE_LEN];
	fc_status s = workdays_shift_date(date, -1, before, err);
	return s ? s : workdays_deadline_end_ms(before, ms, err);
}

/* Local midnight at the start of date, as UTC ISO-8601 into out. */
static fc_status local_day_start_iso(const char *date, char *out, fc_error *err)
{
	int64_t ms;
	fc_status s = local_day_start_ms(date, &ms, err);
	if (!s)
		clock_format_iso(ms, out);
	return s;
}

/* Where the callbacks at now_ms are counted from.  The local-time
 * conversions (tzset checks the zone file each time) cost more than the
 * rest of a swipe, so the day's part is kept while now stays in the same
 * station-local day and zone, and worked out again at least once a minute;
 * the holiday window is kept while the holiday ahead is the same. */
typedef struct due_window {
	int64_t from_ms, until_ms;              /* the day part holds for now in [from, until) */
	char tz[64];                            /* TZ when worked out */
	char today[WORKDAYS_DATE_LEN];          /* station-local date */
	char first[WORKDAYS_DATE_LEN];          /* the 1st of this month */
	int days;                               /* [callbacks] holiday_window_days then */
	char ahead[WORKDAYS_DATE_LEN];          /* today + days */
	char month_start[CLOCK_ISO_LEN];        /* local midnight of the 1st, UTC ISO */
	char holiday[WORKDAYS_DATE_LEN];        /* the holiday of pre and pre_start, "" none */
	char pre[WORKDAYS_DATE_LEN];            /* days before it */
	char pre_start[CLOCK_ISO_LEN];          /* local midnight of pre, UTC ISO */
} due_window;

static fc_status due_window_day(int64_t now_ms, int days, due_window *w, fc_error *err)
{
	const char *tz = getenv("TZ");
	if (!tz)
		tz = "";
	if (w->until_ms && now_ms >= w->from_ms && now_ms < w->until_ms && w->days == days &&
	    strncmp(w->tz, tz, sizeof w->tz) == 0)
		return FC_OK;
	memset(w, 0, sizeof *w);
	int64_t start_ms, next_ms;
	clock_local_date(now_ms, w->today);
	snprintf(w->first, sizeof w->first, "%.8s01", w->today);
	fc_status s = local_day_start_ms(w->today, &start_ms, err);
	if (!s)
		s = workdays_deadline_end_ms(w->today, &next_ms, err);
	if (!s)
		s = local_day_start_iso(w->first, w->month_start, err);
	if (!s)
		s = workdays_shift_date(w->today, days, w->ahead, err);
	if (s) {
		memset(w, 0, sizeof *w);
		return s;
	}
	w->days = days;
	w->from_ms = start_ms;
	w->until_ms = next_ms < now_ms + 60000 ? next_ms : now_ms + 60000;
	snprintf(w->tz, sizeof w->tz, "%s", tz);
	return FC_OK;
}

static const char next_holiday_sql[] =
	"SELECT date, coalesce(name, '') FROM holidays WHERE kind = 'holiday' AND major = 1 "
	"AND date > ?1 AND date <= ?2 ORDER BY date LIMIT 1";

/* The first major holiday in (today, today + w->days] into date/name (""
 * when none), and its window in w. */
static fc_status due_window_holiday(sqlite3 *db, due_window *w, char date[WORKDAYS_DATE_LEN],
				    char *name, size_t name_len, fc_error *err)
{
	sqlite3_stmt *st;
	date[0] = name[0] = '\0';
	fc_status s = stmt_cache_get(db, next_holiday_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, w->today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->ahead, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_copy(st, 0, date, WORKDAYS_DATE_LEN);
		db_column_copy(st, 1, name, name_len);
	}
	stmt_cache_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the holidays", err);
	if (!date[0] || strcmp(w->holiday, date) == 0)
		return FC_OK;
	s = workdays_shift_date(date, -w->days, w->pre, err);
	if (!s)
		s = local_day_start_iso(w->pre, w->pre_start, err);
	if (!s)
		snprintf(w->holiday, sizeof w->holiday, "%s", date);
	return s;
}

/* Each customer's callbacks and visit reports: this month (?1, ?3), since
 * the window before a holiday (?2, ?4; "9999" when none) and the last one.
 * due_all_sql for the F8 list; due_one_sql, the same columns, for a swipe. */
static const char due_all_sql[] =
	"SELECT c.id, c.code, c.name, coalesce(c.phone, ''), c.nature, c.tier, c.stability, "
	"coalesce(c.home_station, ''), "
	"(SELECT count(*) FROM callbacks k WHERE k.customer_id = c.id AND k.created_at >= ?1), "
	"(SELECT count(*) FROM callbacks k WHERE k.customer_id = c.id AND k.created_at >= ?2), "
	"(SELECT max(created_at) FROM callbacks k WHERE k.customer_id = c.id), "
	"coalesce(v.month, 0), coalesce(v.win, 0), v.last, c.birthday, c.anniversary "
	"FROM customers c LEFT JOIN "
	"(SELECT customer_id, sum(report_date >= ?3) AS month, sum(report_date >= ?4) AS win, "
	"  max(created_at) AS last FROM visit_reports GROUP BY customer_id) v "
	"ON v.customer_id = c.id";
/* due_all_sql's columns for one customer (?5) at a swipe: the reports counted
 * like the callbacks, by seeks on their index, instead of a grouped
 * subquery that SQLite materializes at every swipe. */
static const char due_one_sql[] =
	"SELECT c.id, c.code, c.name, coalesce(c.phone, ''), c.nature, c.tier, c.stability, "
	"coalesce(c.home_station, ''), "
	"(SELECT count(*) FROM callbacks k WHERE k.customer_id = c.id AND k.created_at >= ?1), "
	"(SELECT count(*) FROM callbacks k WHERE k.customer_id = c.id AND k.created_at >= ?2), "
	"(SELECT max(created_at) FROM callbacks k WHERE k.customer_id = c.id), "
	"(SELECT count(*) FROM visit_reports r WHERE r.customer_id = c.id AND r.report_date >= ?3), "
	"(SELECT count(*) FROM visit_reports r WHERE r.customer_id = c.id AND r.report_date >= ?4), "
	"(SELECT max(created_at) FROM visit_reports r WHERE r.customer_id = c.id), "
	"c.birthday, c.anniversary "
	"FROM customers c WHERE c.id = ?5";

bool callback_special_ahead(const char *today, const char *date, int days,
			    char next[WORKDAYS_DATE_LEN])
{
	size_t n = date ? strlen(date) : 0;
	if ((n != 5 && n != 10) || strlen(today) != 10)
		return false;
	const char *md = date + n - 5;
	if (md[2] != '-')
		return false;
	int year = atoi(today);
	for (int k = 0; k < 2; k++, year++) {
		bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
		char tmp[32];
		snprintf(tmp, sizeof tmp, "%04d-%.5s", year % 10000,
			 strcmp(md, "02-29") == 0 && !leap ? "02-28" : md);
		memcpy(next, tmp, WORKDAYS_DATE_LEN - 1);
		next[WORKDAYS_DATE_LEN - 1] = '\0';
		if (strcmp(next, today) < 0)
			continue;
		char until[WORKDAYS_DATE_LEN];
		fc_error ignored;
		if (workdays_shift_date(today, days, until, &ignored) != FC_OK)
			return false;
		char check[WORKDAYS_DATE_LEN];
		if (workdays_shift_date(next, 0, check, &ignored) != FC_OK) /* a real day */
			return false;
		return strcmp(next, until) <= 0;
	}
	return false;
}

/* The newest callback or visit report of the row at st, "" when none. */
static void due_row_last(sqlite3_stmt *st, char last[CLOCK_ISO_LEN])
{
	last[0] = '\0';
	for (int col = 10; col <= 13; col += 3) {
		const char *at = (const char *)sqlite3_column_text(st, col);
		if (at && strcmp(at, last) > 0)
			snprintf(last, CLOCK_ISO_LEN, "%s", at);
	}
}

/* A care call before a special date of the row at st (columns 14, 15):
 * the nearest birthday or anniversary within [callbacks] special_date_days
 * with no callback or visit report since that many days before it. */
static void due_row_special(const fc_config *cfg, const char *today, sqlite3_stmt *st,
			    fc_callback_due *row)
{
	static const char *const kinds[] = { "birthday", "anniversary" };
	char next[WORKDAYS_DATE_LEN], last[CLOCK_ISO_LEN];
	for (int k = 0; k < 2; k++) {
		const char *date = (const char *)sqlite3_column_text(st, 14 + k);
		if (!callback_special_ahead(today, date, cfg->callbacks_special_days, next))
			continue;
		if (row->special_date[0] && strcmp(next, row->special_date) >= 0)
			continue;
		snprintf(row->special_date, sizeof row->special_date, "%s", next);
		snprintf(row->special_kind, sizeof row->special_kind, "%s", kinds[k]);
	}
	if (!row->special_date[0])
		return;
	char pre[WORKDAYS_DATE_LEN], pre_start[CLOCK_ISO_LEN];
	fc_error ignored;
	due_row_last(st, last);
	if (workdays_shift_date(row->special_date, -cfg->callbacks_special_days, pre, &ignored) ||
	    local_day_start_iso(pre, pre_start, &ignored))
		return;
	row->special = strcmp(last, pre_start) < 0;
}

/* The one rule of "callback due", for the list and the swipe alike: the
 * numbers of the row at st (due_all_sql, due_one_sql); false when its tier is unreadable.
 * An in-person visit is a callback way (domain.md): its report counts, on
 * its report date. */
static bool due_row(const fc_config *cfg, const char *today, bool holiday_ahead,
		    sqlite3_stmt *st, fc_callback_due *row)
{
	fc_nature nature;
	memset(row, 0, sizeof *row);
	row->customer_id = sqlite3_column_int64(st, 0);
	if (!nature_parse((const char *)sqlite3_column_text(st, 4), &nature) ||
	    !tier_parse((const char *)sqlite3_column_text(st, 5), nature, &row->tier))
		return false;
	if (!stability_parse((const char *)sqlite3_column_text(st, 6), &row->stability))
		row->stability = STABILITY_CURRENT;
	row->owed = callback_station_owes(cfg, row->tier, (const char *)sqlite3_column_text(st, 7));
	row->required = callback_required(cfg, row->tier, row->stability);
	row->done = sqlite3_column_int(st, 8) + sqlite3_column_int(st, 11);
	row->behind = row->required > row->done ? row->required - row->done : 0;
	row->holiday = holiday_ahead && sqlite3_column_int(st, 9) + sqlite3_column_int(st, 12) == 0;
	if (sqlite3_column_type(st, 14) != SQLITE_NULL || sqlite3_column_type(st, 15) != SQLITE_NULL)
		due_row_special(cfg, today, st, row);
	if ((row->holiday || row->special) && row->behind == 0)
		row->behind = 1;
	return true;
}

/* The texts of the row at st: code, name, phone, the last callback or report. */
static void due_row_text(sqlite3_stmt *st, fc_callback_due *row)
{
	db_column_copy(st, 1, row->code, sizeof row->code);
	db_column_copy(st, 2, row->name, sizeof row->name);
	db_column_copy(st, 3, row->phone, sizeof row->phone);
	due_row_last(st, row->last_at);
}

static int due_compare(const void *a, const void *b)
{
	const fc_callback_due *x = a, *y = b;
	if (x->behind != y->behind)
		return y->behind - x->behind;
	int c = strcmp(x->last_at, y->last_at); /* "" (never) first */
	return c ? c : strcmp(x->code, y->code);
}

static fc_status due_push(fc_callback_due_list *out, size_t *cap, const fc_callback_due *row)
{
	if (out->count == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		fc_callback_due *grown = realloc(out->rows, *cap * sizeof *grown);
		if (!grown)
			return FC_ERR_NOMEM;
		out->rows = grown;
	}
	out->rows[out->count++] = *row;
	return FC_OK;
}

/* The one function behind callback_list_due (customer_id 0: every customer
 * this station owes that is behind, into list) and callback_customer_due
 * (customer_id > 0: that customer, owed or not, into *one). */
static fc_status due_read(sqlite3 *db, const fc_config *cfg, int64_t now_ms, int64_t customer_id,
			  fc_callback_due_list *list, fc_callback_due *one, fc_error *err)
{
	static _Thread_local due_window w;
	char holiday[WORKDAYS_DATE_LEN], name[64];
	sqlite3_stmt *st;
	fc_status s = due_window_day(now_ms, cfg->callbacks_holiday_days, &w, err);
	if (!s)
		s = due_window_holiday(db, &w, holiday, name, sizeof name, err);
	if (!s)
		s = stmt_cache_get(db, customer_id > 0 ? due_one_sql : due_all_sql, &st, err);
	if (s)
		return s;
	bool ahead = holiday[0] != '\0';
	if (list) {
		snprintf(list->holiday_date, sizeof list->holiday_date, "%s", holiday);
		snprintf(list->holiday_name, sizeof list->holiday_name, "%s", name);
	}
	sqlite3_bind_text(st, 1, w.month_start, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ahead ? w.pre_start : "9999", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w.first, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ahead ? w.pre : "9999", -1, SQLITE_STATIC);
	if (customer_id > 0)
		sqlite3_bind_int64(st, 5, customer_id);
	size_t cap = 0;
	bool found = false;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fc_callback_due row;
		if (!due_row(cfg, w.today, ahead, st, &row))
			continue;
		if (one) {
			due_row_text(st, &row);
			*one = row;
			found = true;
			continue;
		}
		if (!row.owed || row.behind == 0)
			continue;
		due_row_text(st, &row);
		if (due_push(list, &cap, &row)) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	stmt_cache_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the callbacks due", err);
	if (one && !found)
		return fc_error_set(err, FC_ERR_NOT_FOUND, "no customer with id %lld",
				    (long long)customer_id);
	if (list && list->count)
		qsort(list->rows, list->count, sizeof *list->rows, due_compare);
	return FC_OK;
}

fc_status callback_list_due(sqlite3 *db, const fc_config *cfg, int64_t now_ms,
			    fc_callback_due_list *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	fc_status s = due_read(db, cfg, now_ms, 0, out, NULL, err);
	if (s)
		callback_due_free(out);
	return s;
}

fc_status callback_customer_due(sqlite3 *db, const fc_config *cfg, int64_t now_ms,
				int64_t customer_id, fc_callback_due *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	if (customer_id <= 0)
		return fc_error_set(err, FC_ERR_NOT_FOUND, "no customer with id %lld",
				    (long long)customer_id);
	return due_read(db, cfg, now_ms, customer_id, NULL, out, err);
}

void callback_due_free(fc_callback_due_list *list)
{
	free(list->rows);
	list->rows = NULL;
	list->count = 0;
}

fc_status callback_customer_by_code(sqlite3 *db, const char *code, int64_t *id, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT id FROM customers WHERE code = ?", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, code ? code : "", -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return FC_OK;
	return rc == SQLITE_DONE
		       ? fc_error_set(err, FC_ERR_NOT_FOUND, "no customer with code '%.40s'", code ? code : "")
		       : db_fail(db, rc, "reading the customer", err);
}

static fc_status callback_insert(sqlite3 *db, const fc_config *cfg, fc_record *rec,
				 int64_t customer_id, fc_callback_method method,
				 const char *contact, const char *notes, const study_answers *study,
				 int64_t staff_id, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = record_prepare_insert(db,
					    "INSERT INTO callbacks(id, created_at, staff_id, "
					    "customer_id, method, contact, notes) VALUES(?,?,?,?,?,?,?)",
					    rec, staff_id, &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 4, customer_id);
	sqlite3_bind_text(st, 5, callback_method_key(method), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, contact ? contact : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, notes ? notes : "", -1, SQLITE_STATIC);
	s = db_step_done(db, st, "saving the callback", err);
	if (s)
		return s;
	json_t *data = json_pack("{s:I, s:o, s:s, s:s, s:s}", "customer_id", (json_int_t)customer_id,
				 "customer_code", record_customer_code(db, customer_id), "method", callback_method_key(method), "contact",
				 contact ? contact : "", "notes", notes ? notes : "");
	s = data ? study_save(db, "callbacks", rec->id, customer_id, rec->created_at, study, data,
			      err) : FC_OK;
	if (s) {
		json_decref(data);
		return s;
	}
	return record_save(db, rec, cfg->station_id, staff_id, data, NULL, NULL, err);
}

fc_status callback_record(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			  fc_callback_method method, const char *contact, const char *notes,
			  int64_t staff_id, char *id_out, fc_error *err)
{
	return callback_record_study(db, cfg, customer_id, method, contact, notes, NULL, staff_id,
				     id_out, err);
}

fc_status callback_record_study(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
				fc_callback_method method, const char *contact, const char *notes,
				const study_answers *study, int64_t staff_id, char *id_out,
				fc_error *err)
{
	if ((unsigned)method >= CALLBACK_METHOD_COUNT)
		return fc_error_set(err, FC_ERR_INVALID,
				    "method: phone, sms, email, card, visit or forum");
	if (text_check_blank(notes))
		return fc_error_set(err, FC_ERR_INVALID,
				    "notes: say what was said in the callback (required)");
	fc_status s = text_check_field("notes", notes, err);
	if (!s)
		s = text_check_field("contact", contact, err);
	if (!s)
		s = study_check(study, NULL, err);
	if (!s)
		s = staff_require_role(db, staff_id, ROLE_HEAD, err);
	json_t *code = s ? NULL : record_customer_code(db, customer_id);
	if (!s && json_is_null(code))
		s = fc_error_set(err, FC_ERR_NOT_FOUND, "no customer with id %lld",
				 (long long)customer_id);
	json_decref(code);
	fc_record rec;
	char detail[96];
	if (!s)
		s = record_begin(db, &rec, "callback", err);
	if (s)
		return s;
	s = callback_insert(db, cfg, &rec, customer_id, method, contact, notes, study, staff_id,
			    err);
	snprintf(detail, sizeof detail, "callback %.8s to customer %lld by %s", rec.id,
		 (long long)customer_id, callback_method_key(method));
	if (!s)
		s = audit_record_event(db, cfg->station_id, staff_id, "callback", detail, err);
	s = db_finish(db, s, err);
	if (!s && id_out)
		memcpy(id_out, rec.id, UUID_STR_LEN);
	return s;
}
