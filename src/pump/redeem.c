/* redeem.c — spending points at the pump: never below zero, capped per
 * customer per station-local day while offline, one record id per redemption. */
#include "pump/lookup.h"
#include "pump/redeem.h"
#include "pump/visit.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/tr.h"
#include "store/db.h"
#include "store/record.h"

/* Points this customer redeemed on local_date (all stations' records we hold). */
static fc_status redeem_points_today(sqlite3 *db, int64_t customer_id, const char *local_date,
				     int64_t *sum, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT coalesce(sum(points), 0) FROM redemptions "
				 "WHERE customer_id = ? AND local_date = ?",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, customer_id);
	sqlite3_bind_text(st, 2, local_date, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*sum = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? FC_OK : db_fail(db, rc, "reading today's redemptions", err);
}

static fc_status redeem_insert(sqlite3 *db, const fc_config *cfg, fc_record *rec,
			       const fc_card_view *view, const char *local_date, int64_t staff_id,
			       const fc_redeem_result *out, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = record_prepare_insert(db,
					    "INSERT INTO redemptions(id, created_at, staff_id, card_id, "
					    "customer_id, points, value_fen, local_date) "
					    "VALUES(?,?,?,?,?,?,?,?)",
					    rec, staff_id, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 4, view->card_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, view->customer_id);
	sqlite3_bind_int64(st, 6, out->points);
	sqlite3_bind_int64(st, 7, out->value_fen);
	sqlite3_bind_text(st, 8, local_date, -1, SQLITE_STATIC);
	s = db_step_done(db, st, "saving the redemption", err);
	if (!s)
		s = lookup_points_add(db, rec, view->customer_id, -out->points, "redeem", err);
	if (s)
		return s;
	json_t *data = json_pack("{s:s, s:s, s:I, s:I, s:s}", "card", view->card_id,
				 "customer_code", view->customer_code, "points",
				 (json_int_t)out->points, "value_fen", (json_int_t)out->value_fen,
				 "local_date", local_date);
	char detail[128];
	snprintf(detail, sizeof detail, "redemption %.8s card %s %lld points = %lld fen", rec->id,
		 view->card_masked, (long long)out->points, (long long)out->value_fen);
	return record_save(db, rec, cfg->station_id, staff_id, data, "redemption", detail, err);
}

/* Inside the transaction: the checks that need the stored state. */
static fc_status redeem_check(sqlite3 *db, const fc_config *cfg, const fc_card_view *view,
			      int64_t points, const char *local_date, int64_t now_ms,
			      fc_error *err)
{
	if (!view->registered)
		return fc_error_set(err, FC_ERR_NOT_FOUND, FC_TR("card %s is not registered"),
				    view->card_masked);
	if (points > view->points)
		return fc_error_set(err, FC_ERR_LIMIT,
				    FC_TR("card %s has %lld points: cannot redeem %lld (never below zero)"),
				    view->card_masked, (long long)view->points, (long long)points);
	if (!lookup_points_offline(db, cfg, now_ms))
		return FC_OK;
	int64_t today = 0;
	fc_status s = redeem_points_today(db, view->customer_id, local_date, &today, err);
	if (s)
		return s;
	if (today + points > cfg->points_offline_daily_cap)
		return fc_error_set(err, FC_ERR_LIMIT,
				    FC_TR("offline: at most %d points a day per customer; %lld already "
					  "redeemed today, %lld left"),
				    cfg->points_offline_daily_cap, (long long)today,
				    (long long)(today < cfg->points_offline_daily_cap
							? cfg->points_offline_daily_cap - today
							: 0));
	return FC_OK;
}

fc_status redeem_points(sqlite3 *db, const fc_config *cfg, const char *card_id,
			int64_t points, int64_t staff_id, fc_redeem_result *out,
			fc_error *err)
{
	fc_card_view view;
	fc_record rec;
	char local_date[CLOCK_ISO_LEN], canonical[80];
	memset(out, 0, sizeof *out);
	if (points <= 0)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("points to redeem must be above zero"));
	if (points > 1000000000LL)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("at most 1000000000 points at once"));
	fc_status s = lookup_canonical_card(card_id, canonical, err);
	if (!s)
		s = record_begin(db, &rec, "redemption", err);
	if (s)
		return s;
	clock_local_date(rec.created_ms, local_date);
	out->points = points;
	out->value_fen = points * 100 / cfg->points_per_yuan;
	s = lookup_card(db, cfg, canonical, &view, err);
	if (!s && view.blocked) {
		s = visit_enqueue_blocked_seen(db, cfg, &view, "redeem", staff_id, NULL, err);
		s = db_finish(db, s, err);
		return s ? s
			 : fc_error_set(err, FC_ERR_BLOCKED, FC_TR("card %s is blocked: no benefits"),
					view.card_masked);
	}
	if (!s)
		s = redeem_check(db, cfg, &view, points, local_date, rec.created_ms, err);
	if (!s)
		s = redeem_insert(db, cfg, &rec, &view, local_date, staff_id, out, err);
	if (!s)
		s = lookup_points_balance(db, view.customer_id, &out->points_balance, err);
	s = db_finish(db, s, err);
	if (!s)
		memcpy(out->id, rec.id, UUID_STR_LEN);
	return s;
}
