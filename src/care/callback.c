/* callback.c — who is due a callback (this month's count against the
 * per-tier requirement, a coming major holiday) and recording callbacks. */
#include "care/callback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff/staff.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/record.h"

bool callback_station_maintains(fc_tier tier)
{
	return tier == TIER_BIG_ORDINARY || tier == TIER_IND_SILVER || tier == TIER_IND_ORDINARY;
}

int callback_required(const fc_config *cfg, fc_tier tier, fc_stability stability)
{
	bool top = tier == TIER_BIG_DIAMOND || tier == TIER_BIG_GOLD || tier == TIER_IND_PLATINUM ||
		   tier == TIER_IND_GOLD;
	int n = top ? cfg->callbacks_top : cfg->callbacks_other;
	return n + (stability == STABILITY_SWING ? cfg->callbacks_swing_extra : 0);
}

/* Local midnight at the start of date, as UTC ISO-8601 into out. */
static fc_status local_day_start_iso(const char *date, char *out, fc_error *err)
{
	char before[WORKDAYS_DATE_LEN];
	int64_t ms;
	fc_status s = workdays_shift_date(date, -1, before, err);
	if (!s)
		s = workdays_deadline_end_ms(before, &ms, err);
	if (!s)
		clock_format_iso(ms, out);
	return s;
}

/* The first holiday in (today, today + CALLBACK_HOLIDAY_DAYS]. */
static fc_status next_holiday(sqlite3 *db, const char *today, fc_callback_due_list *out,
			      fc_error *err)
{
	char until[WORKDAYS_DATE_LEN];
	sqlite3_stmt *st;
	fc_status s = workdays_shift_date(today, CALLBACK_HOLIDAY_DAYS, until, err);
	if (!s)
		s = db_prepare(db,
			       "SELECT date, coalesce(name, '') FROM holidays WHERE kind = 'holiday' "
			       "AND date > ? AND date <= ? ORDER BY date LIMIT 1",
			       &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, until, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(out->holiday_date, sizeof out->holiday_date, "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(out->holiday_name, sizeof out->holiday_name, "%s",
			 (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? FC_OK
						     : db_fail(db, rc, "reading the holidays", err);
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

fc_status callback_list_due(sqlite3 *db, const fc_config *cfg, int64_t now_ms,
			    fc_callback_due_list *out, fc_error *err)
{
	char today[CLOCK_ISO_LEN], month_start[CLOCK_ISO_LEN], window[CLOCK_ISO_LEN] = "";
	char first[WORKDAYS_DATE_LEN], pre[WORKDAYS_DATE_LEN];
	sqlite3_stmt *st;
	memset(out, 0, sizeof *out);
	clock_local_date(now_ms, today);
	snprintf(first, sizeof first, "%.8s01", today);
	fc_status s = local_day_start_iso(first, month_start, err);
	if (!s)
		s = next_holiday(db, today, out, err);
	if (!s && out->holiday_date[0]) {
		s = workdays_shift_date(out->holiday_date, -CALLBACK_HOLIDAY_DAYS, pre, err);
		if (!s)
			s = local_day_start_iso(pre, window, err);
	}
	if (!s)
		s = db_prepare(db,
			       "SELECT c.id, c.code, c.name, coalesce(c.phone, ''), c.nature, c.tier, "
			       "c.stability, "
			       "(SELECT count(*) FROM callbacks k WHERE k.customer_id = c.id "
			       "  AND k.created_at >= ?1), "
			       "(SELECT count(*) FROM callbacks k WHERE k.customer_id = c.id "
			       "  AND k.created_at >= ?2), "
			       "(SELECT max(created_at) FROM callbacks k WHERE k.customer_id = c.id), "
			       "coalesce(v.month, 0), coalesce(v.win, 0), v.last "
			       "FROM customers c LEFT JOIN "
			       "(SELECT customer_id, sum(report_date >= ?3) AS month, "
			       "  sum(report_date >= ?4) AS win, max(created_at) AS last "
			       "  FROM visit_reports GROUP BY customer_id) v ON v.customer_id = c.id",
			       &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, month_start, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, window[0] ? window : "9999", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, window[0] ? pre : "9999", -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fc_callback_due row = { .customer_id = sqlite3_column_int64(st, 0) };
		fc_nature nature;
		if (!nature_parse((const char *)sqlite3_column_text(st, 4), &nature) ||
		    !tier_parse((const char *)sqlite3_column_text(st, 5), nature, &row.tier) ||
		    !callback_station_maintains(row.tier))
			continue;
		if (!stability_parse((const char *)sqlite3_column_text(st, 6), &row.stability))
			row.stability = STABILITY_CURRENT;
		row.required = callback_required(cfg, row.tier, row.stability);
		/* an in-person visit is a callback way (domain.md): its report counts */
		row.done = sqlite3_column_int(st, 7) + sqlite3_column_int(st, 10);
		row.behind = row.required > row.done ? row.required - row.done : 0;
		row.holiday = out->holiday_date[0] &&
			      sqlite3_column_int(st, 8) + sqlite3_column_int(st, 11) == 0;
		if (row.holiday && row.behind == 0)
			row.behind = 1;
		if (row.behind == 0)
			continue;
		snprintf(row.code, sizeof row.code, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(row.name, sizeof row.name, "%s", (const char *)sqlite3_column_text(st, 2));
		snprintf(row.phone, sizeof row.phone, "%s", (const char *)sqlite3_column_text(st, 3));
		for (int col = 9; col <= 12; col += 3) {
			const char *at = (const char *)sqlite3_column_text(st, col);
			if (at && strcmp(at, row.last_at) > 0)
				snprintf(row.last_at, sizeof row.last_at, "%s", at);
		}
		if (due_push(out, &cap, &row)) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		callback_due_free(out);
		return db_fail(db, rc, "listing the callbacks due", err);
	}
	if (out->count)
		qsort(out->rows, out->count, sizeof *out->rows, due_compare);
	return FC_OK;
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
				 const char *contact, const char *notes, int64_t staff_id,
				 fc_error *err)
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
	return record_save(db, rec, cfg->station_id, staff_id, data, NULL, NULL, err);
}

fc_status callback_record(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			  fc_callback_method method, const char *contact, const char *notes,
			  int64_t staff_id, char *id_out, fc_error *err)
{
	if ((unsigned)method >= CALLBACK_METHOD_COUNT)
		return fc_error_set(err, FC_ERR_INVALID,
				    "method: phone, sms, email, card, visit or forum");
	if (!notes || !notes[strspn(notes, " \t\r\n")])
		return fc_error_set(err, FC_ERR_INVALID,
				    "notes: say what was said in the callback (required)");
	fc_status s = staff_require_role(db, staff_id, ROLE_HEAD, err);
	fc_record rec;
	char detail[96];
	if (!s)
		s = record_begin(db, &rec, "callback", err);
	if (s)
		return s;
	s = callback_insert(db, cfg, &rec, customer_id, method, contact, notes, staff_id, err);
	snprintf(detail, sizeof detail, "callback %.8s to customer %lld by %s", rec.id,
		 (long long)customer_id, callback_method_key(method));
	if (!s)
		s = audit_record_event(db, cfg->station_id, staff_id, "callback", detail, err);
	if (s == FC_ERR_INVALID)
		fc_error_set(err, s, "no customer with id %lld", (long long)customer_id);
	s = db_finish(db, s, err);
	if (!s && id_out)
		memcpy(id_out, rec.id, UUID_STR_LEN);
	return s;
}
