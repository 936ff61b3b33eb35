/* lookup.c — the swipe decision: canonical card id, customer, tier, green
 * lane, points balance, discounts, owner and callback due.  Read-only. */
#include "lookup.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "callback.h"
#include "clock.h"
#include "db.h"
#include "workdays.h"

fc_status lookup_canonical_card(const char *raw, char out[80], fc_error *err)
{
	out[0] = '\0';
	if (!raw)
		raw = "";
	while (*raw && isspace((unsigned char)*raw))
		raw++;
	size_t n = strlen(raw);
	while (n > 0 && isspace((unsigned char)raw[n - 1]))
		n--;
	if (n == 0)
		return fc_error_set(err, FC_ERR_INVALID, "card id is empty");
	if (n > LOOKUP_CARD_MAX)
		return fc_error_set(err, FC_ERR_INVALID,
				    "card id has %zu characters: at most %d hex digits", n,
				    LOOKUP_CARD_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (!isxdigit(c))
			return fc_error_set(err, FC_ERR_INVALID,
					    "card id: character %zu ('%c') is not a hex digit "
					    "(0-9, A-F)",
					    i + 1, isprint(c) ? c : '?');
		out[i] = (char)toupper(c);
	}
	out[n] = '\0';
	return FC_OK;
}

void lookup_mask_card(const char *card_id, char out[24])
{
	size_t n = card_id ? strlen(card_id) : 0;
	if (n <= 4)
		snprintf(out, 24, "****");
	else
		snprintf(out, 24, "****%s", card_id + n - 4);
}

const char *lookup_owner_key(fc_tier tier)
{
	switch (tier) {
	case TIER_BIG_DIAMOND: return "branch_manager";
	case TIER_BIG_GOLD: return "branch_retail_dept";
	case TIER_BIG_SILVER: return "business_dept_manager";
	case TIER_BIG_ORDINARY: return "station_head_or_attendant";
	case TIER_IND_PLATINUM: return "branch_retail_dept";
	case TIER_IND_GOLD: return "business_dept_manager";
	case TIER_IND_SILVER: return "station_head";
	case TIER_IND_ORDINARY: return "station_staff";
	default: return "station_staff";
	}
}

int64_t lookup_points_for(const fc_config *cfg, fc_tier tier, int64_t volume_ml)
{
	if (volume_ml <= 0 || (unsigned)tier >= TIER_COUNT)
		return 0;
	if (volume_ml > VISIT_MAX_ML)
		volume_ml = VISIT_MAX_ML;
	/* ml x milli-points/litre x milli-multiplier: at most 1e8 x 1e5 x 1e5 = 1e18 */
	int64_t scaled = volume_ml * (int64_t)cfg->points_per_litre_milli *
			 (int64_t)cfg->points_multiplier_milli[tier];
	return scaled / 1000000000LL;
}

fc_status lookup_points_balance(sqlite3 *db, int64_t customer_id, int64_t *balance,
				fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT c.points_synced + coalesce((SELECT sum(delta) FROM "
				 "points_ledger WHERE customer_id = c.id AND synced = 0), 0) "
				 "FROM customers c WHERE c.id = ?",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, customer_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*balance = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return FC_OK;
	if (rc == SQLITE_DONE)
		return fc_error_set(err, FC_ERR_NOT_FOUND, "no customer with id %lld",
				    (long long)customer_id);
	return db_fail(db, rc, "reading the points balance", err);
}

bool lookup_points_offline(sqlite3 *db, const fc_config *cfg, int64_t now_ms)
{
	char last[CLOCK_ISO_LEN];
	int64_t last_ms;
	if (!db_meta_get(db, "last_upload_ok_at", last, sizeof last) || !last[0] ||
	    !clock_parse_iso(last, &last_ms))
		return true;
	return now_ms - last_ms > (int64_t)cfg->points_stale_after_minutes * 60000;
}

/* UTC ISO-8601 instant of the first local midnight of this local month. */
static fc_status month_start_iso(int64_t now_ms, char *out, fc_error *err)
{
	char today[CLOCK_ISO_LEN], first[WORKDAYS_DATE_LEN], before[WORKDAYS_DATE_LEN];
	int64_t ms;
	clock_local_date(now_ms, today);
	snprintf(first, sizeof first, "%.8s01", today);
	fc_status s = workdays_shift_date(first, -1, before, err);
	if (!s)
		s = workdays_deadline_end_ms(before, &ms, err);
	if (!s)
		clock_format_iso(ms, out);
	return s;
}

static fc_status lookup_discounts(sqlite3 *db, const fc_config *cfg, fc_card_view *v,
				  fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT discount_fen_per_litre FROM prices WHERE grade = ? AND "
				 "tier = ? AND nature = ?",
				 &st, err);
	if (s)
		return s;
	v->discount_count = 0;
	for (int i = 0; i < cfg->grade_count; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, cfg->grades[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, tier_key(v->tier), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, nature_key(v->nature), -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			fc_discount *d = &v->discounts[v->discount_count++];
			snprintf(d->grade, sizeof d->grade, "%s", cfg->grades[i]);
			d->fen_per_litre = sqlite3_column_int(st, 0);
		} else if (rc != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_fail(db, rc, "reading the approved prices", err);
		}
	}
	sqlite3_finalize(st);
	return FC_OK;
}

static fc_status lookup_callbacks(sqlite3 *db, const fc_config *cfg, fc_card_view *v,
				  fc_error *err)
{
	char since[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	fc_status s = month_start_iso(clock_now_ms(), since, err);
	if (!s)
		s = db_prepare(db,
			       "SELECT count(*) FROM callbacks WHERE customer_id = ? AND "
			       "created_at >= ?",
			       &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, v->customer_id);
	sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v->callbacks_done = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "counting the callbacks", err);
	v->callbacks_required = callback_required(cfg, v->tier, v->stability);
	v->callback_due = v->callbacks_done < v->callbacks_required;
	return FC_OK;
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(dst, n, "%s", t ? (const char *)t : "");
}

/* The card's row and its customer; FC_ERR_NOT_FOUND when unknown. */
static fc_status lookup_customer(sqlite3 *db, fc_card_view *v, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT k.status, coalesce(k.blocked_reason, ''), c.id, c.code, "
				 "c.name, c.phone, c.plate, c.nature, c.industry, c.stability, "
				 "c.tier, c.tier_source, c.last_visit_at "
				 "FROM cards k JOIN customers c ON c.id = k.customer_id "
				 "WHERE k.card_id = ?",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, v->card_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? FC_ERR_NOT_FOUND
					 : db_fail(db, rc, "looking the card up", err);
	}
	v->blocked = strcmp((const char *)sqlite3_column_text(st, 0), "blocked") == 0;
	copy_col(st, 1, v->blocked_reason, sizeof v->blocked_reason);
	v->customer_id = sqlite3_column_int64(st, 2);
	copy_col(st, 3, v->customer_code, sizeof v->customer_code);
	copy_col(st, 4, v->name, sizeof v->name);
	copy_col(st, 5, v->phone, sizeof v->phone);
	copy_col(st, 6, v->plate, sizeof v->plate);
	bool ok = nature_parse((const char *)sqlite3_column_text(st, 7), &v->nature) &&
		  industry_parse((const char *)sqlite3_column_text(st, 8), &v->industry) &&
		  stability_parse((const char *)sqlite3_column_text(st, 9), &v->stability) &&
		  tier_parse((const char *)sqlite3_column_text(st, 10), v->nature, &v->tier);
	v->tier_from_hq = strcmp((const char *)sqlite3_column_text(st, 11), "hq") == 0;
	copy_col(st, 12, v->last_visit_at, sizeof v->last_visit_at);
	sqlite3_finalize(st);
	if (!ok)
		return fc_error_set(err, FC_ERR_DB_CORRUPT,
				    "customer %s has an unknown nature, industry, stability or tier",
				    v->customer_code);
	return FC_OK;
}

fc_status lookup_card(sqlite3 *db, const fc_config *cfg, const char *card_id,
		      fc_card_view *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	fc_status s = lookup_canonical_card(card_id, out->card_id, err);
	if (s)
		return s;
	lookup_mask_card(out->card_id, out->card_masked);
	s = lookup_customer(db, out, err);
	if (s == FC_ERR_NOT_FOUND)
		return FC_OK; /* registered = false */
	if (s)
		return s;
	out->registered = true;
	out->won_back = out->stability == STABILITY_LOST && !out->blocked;
	out->owner_key = lookup_owner_key(out->tier);
	out->points_stale = lookup_points_offline(db, cfg, clock_now_ms());
	s = lookup_points_balance(db, out->customer_id, &out->points, err);
	if (!s)
		s = lookup_callbacks(db, cfg, out, err);
	if (s || out->blocked)
		return s; /* a blocked card gets no benefits */
	out->green_lane = config_green_lane(cfg, out->tier);
	if (out->green_lane) {
		out->pump_count = cfg->pump_count;
		memcpy(out->pumps, cfg->pumps, sizeof out->pumps);
	}
	return lookup_discounts(db, cfg, out, err);
}
