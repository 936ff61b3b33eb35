/* lookup.c — the swipe decision: canonical card id, customer, tier, green
 * lane, points balance, discounts, owner and callback due (the F8 list's
 * function).  Read-only. */
#include "pump/lookup.h"
#include "pump/visit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "care/callback.h"
#include "customers/classify.h"
#include "store/db.h"
#include "store/stmt_cache.h"

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

/* seq: the record's, when it is already numbered (record_enqueue ran);
 * else NULL, and the outbox_ledger_seq trigger fills it in then. */
static const char points_insert_sql[] =
	"INSERT INTO points_ledger(record_id, customer_id, delta, reason, created_at, seq) "
	"VALUES(?, ?, ?, ?, ?, nullif(?, 0))";

fc_status lookup_points_add(sqlite3 *db, const fc_record *rec, int64_t customer_id,
			    int64_t delta, const char *reason, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, points_insert_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, rec->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, customer_id);
	sqlite3_bind_int64(st, 3, delta);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, rec->created_at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, rec->seq);
	int rc = sqlite3_step(st);
	stmt_cache_done(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "saving the points", err);
}

static const char balance_sql[] =
	"SELECT c.points_synced + coalesce((SELECT sum(delta) FROM points_ledger "
	"WHERE customer_id = c.id AND synced = 0), 0) FROM customers c WHERE c.id = ?";

fc_status lookup_points_balance(sqlite3 *db, int64_t customer_id, int64_t *balance,
				fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, balance_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, customer_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*balance = sqlite3_column_int64(st, 0);
	stmt_cache_done(st);
	if (rc == SQLITE_ROW)
		return FC_OK;
	if (rc == SQLITE_DONE)
		return fc_error_set(err, FC_ERR_NOT_FOUND, "no customer with id %lld",
				    (long long)customer_id);
	return db_fail(db, rc, "reading the points balance", err);
}

/* Stale when last (meta 'last_upload_ok_at', NULL or "" when absent) is
 * unreadable or older than [points] stale_after_minutes at now_ms. */
static bool points_stale_since(const fc_config *cfg, const char *last, int64_t now_ms)
{
	int64_t last_ms;
	if (!last || !last[0] || !clock_parse_iso(last, &last_ms))
		return true;
	return now_ms - last_ms > (int64_t)cfg->points_stale_after_minutes * 60000;
}

bool lookup_points_offline(sqlite3 *db, const fc_config *cfg, int64_t now_ms)
{
	char last[CLOCK_ISO_LEN];
	if (!db_meta_get(db, "last_upload_ok_at", last, sizeof last))
		return true;
	return points_stale_since(cfg, last, now_ms);
}

/* Approved discounts for the view's tier and nature, in [fuel] grades order. */
static const char discounts_sql[] =
	"SELECT grade, discount_fen_per_litre FROM prices WHERE tier = ? AND nature = ?";

static fc_status lookup_discounts(sqlite3 *db, const fc_config *cfg, fc_card_view *v,
				  fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, discounts_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, tier_key(v->tier), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, nature_key(v->nature), -1, SQLITE_STATIC);
	int found[CONFIG_MAX_LIST] = { 0 }, rc;
	bool have[CONFIG_MAX_LIST] = { false };
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *grade = (const char *)sqlite3_column_text(st, 0);
		for (int i = 0; grade && i < cfg->grade_count; i++)
			if (strcmp(cfg->grades[i], grade) == 0) {
				found[i] = sqlite3_column_int(st, 1);
				have[i] = true;
				break;
			}
	}
	stmt_cache_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the approved prices", err);
	v->discount_count = 0;
	for (int i = 0; i < cfg->grade_count; i++)
		if (have[i]) {
			fc_discount *d = &v->discounts[v->discount_count++];
			snprintf(d->grade, sizeof d->grade, "%s", cfg->grades[i]);
			d->fen_per_litre = found[i];
		}
	return FC_OK;
}

/* One statement, one read: the card, its customer, the points balance,
 * the last upload (for points_stale), the last purchase at any station
 * and the named owner. */
static const char card_sql[] =
	"SELECT k.status, coalesce(k.blocked_reason, ''), c.id, c.code, c.name, c.phone, "
	"c.plate, c.nature, c.industry, c.stability, c.tier, c.tier_source, c.last_visit_at, "
	"c.points_synced + coalesce((SELECT sum(delta) FROM points_ledger "
	"WHERE customer_id = c.id AND synced = 0), 0), "
	"(SELECT value FROM meta WHERE key = 'last_upload_ok_at'), "
	CLASSIFY_LAST_PURCHASE_SQL ", coalesce(c.home_station, ''), coalesce(c.owner_staff, 0), "
	"coalesce(c.owner_name, ''), c.tier_provisional "
	"FROM cards k JOIN customers c ON c.id = k.customer_id WHERE k.card_id = ?1";

/* The card's row and its customer; FC_ERR_NOT_FOUND when unknown.  The
 * stability shown is the stored one brought up to date with the last
 * purchase at any station (classify_stability_seen: a customer lost here
 * who bought at another station since is current, not won back). */
static fc_status lookup_customer(sqlite3 *db, const fc_config *cfg, int64_t now_ms,
				 fc_card_view *v, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, card_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, v->card_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		stmt_cache_done(st);
		return rc == SQLITE_DONE ? FC_ERR_NOT_FOUND
					 : db_fail(db, rc, "looking the card up", err);
	}
	v->blocked = strcmp((const char *)sqlite3_column_text(st, 0), "blocked") == 0;
	db_column_copy(st, 1, v->blocked_reason, sizeof v->blocked_reason);
	v->customer_id = sqlite3_column_int64(st, 2);
	db_column_copy(st, 3, v->customer_code, sizeof v->customer_code);
	db_column_copy(st, 4, v->name, sizeof v->name);
	db_column_copy(st, 5, v->phone, sizeof v->phone);
	db_column_copy(st, 6, v->plate, sizeof v->plate);
	fc_stability stored = STABILITY_POTENTIAL;
	bool ok = nature_parse((const char *)sqlite3_column_text(st, 7), &v->nature) &&
		  industry_parse((const char *)sqlite3_column_text(st, 8), &v->industry) &&
		  stability_parse((const char *)sqlite3_column_text(st, 9), &stored) &&
		  tier_parse((const char *)sqlite3_column_text(st, 10), v->nature, &v->tier);
	v->tier_from_hq = strcmp((const char *)sqlite3_column_text(st, 11), "hq") == 0;
	db_column_copy(st, 12, v->last_visit_at, sizeof v->last_visit_at);
	v->points = sqlite3_column_int64(st, 13);
	v->points_stale =
		points_stale_since(cfg, (const char *)sqlite3_column_text(st, 14), now_ms);
	db_column_copy(st, 15, v->last_purchase_at, sizeof v->last_purchase_at);
	db_column_copy(st, 16, v->home_station, sizeof v->home_station);
	v->owner_staff = sqlite3_column_int64(st, 17);
	db_column_copy(st, 18, v->owner_name, sizeof v->owner_name);
	v->tier_provisional = sqlite3_column_int(st, 19) != 0;
	stmt_cache_done(st);
	if (!ok)
		return fc_error_set(err, FC_ERR_DB_CORRUPT,
				    "customer %s has an unknown nature, industry, stability or tier",
				    v->customer_code);
	char lost_since[CLOCK_ISO_LEN];
	classify_lost_since(cfg, now_ms, lost_since);
	v->stability = classify_stability_seen(stored, v->last_purchase_at, lost_since);
	v->won_back = !v->blocked && v->stability == STABILITY_LOST;
	return FC_OK;
}

/* The green lane and its pumps of a decided view: none for a blocked card
 * (no benefits); a provisional tier (declared demand) names the owner and
 * the callbacks, but the green lane waits for litres that earn it. */
static void lookup_green_lane(const fc_config *cfg, fc_card_view *v)
{
	v->green_lane = !v->blocked && !v->tier_provisional && config_green_lane(cfg, v->tier);
	if (v->green_lane) {
		v->pump_count = cfg->pump_count;
		memcpy(v->pumps, cfg->pumps, sizeof v->pumps);
	}
}

/* Step a cached statement that returns no rows (BEGIN, COMMIT). */
static fc_status exec_cached(sqlite3 *db, const char *sql, const char *doing, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, sql, &st, err);
	if (s)
		return s;
	int rc = sqlite3_step(st);
	stmt_cache_done(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, doing, err);
}

static const char begin_sql[] = "BEGIN";
static const char commit_sql[] = "COMMIT";

/* The view of a registered card (out->card_id set); an unknown card is FC_OK. */
static fc_status lookup_view(sqlite3 *db, const fc_config *cfg, fc_card_view *out,
			     fc_error *err)
{
	int64_t now_ms = clock_now_ms();
	fc_status s = lookup_customer(db, cfg, now_ms, out, err);
	if (s == FC_ERR_NOT_FOUND)
		return FC_OK; /* registered = false */
	if (s)
		return s;
	out->registered = true;
	out->owner_key = lookup_owner_key(out->tier);
	/* the F8 list's own function: the swipe and the list agree */
	fc_callback_due due;
	s = callback_customer_due(db, cfg, now_ms, out->customer_id, &due, err);
	if (s)
		return s;
	out->callbacks_done = due.done;
	out->callbacks_required = due.required;
	out->callback_owed = due.owed;
	out->callback_due = due.owed && due.behind > 0;
	out->callback_holiday = due.holiday;
	if (due.special) {
		snprintf(out->callback_special, sizeof out->callback_special, "%s", due.special_kind);
		snprintf(out->callback_special_date, sizeof out->callback_special_date, "%s",
			 due.special_date);
	}
	lookup_green_lane(cfg, out);
	if (out->blocked)
		return FC_OK; /* a blocked card gets no benefits */
	return lookup_discounts(db, cfg, out, err);
}

/* A view emptied and given the card's canonical id and its mask. */
static fc_status lookup_start(const char *card_id, fc_card_view *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	fc_status s = lookup_canonical_card(card_id, out->card_id, err);
	if (!s)
		lookup_mask_card(out->card_id, out->card_masked);
	return s;
}

fc_status lookup_card(sqlite3 *db, const fc_config *cfg, const char *card_id,
		      fc_card_view *out, fc_error *err)
{
	fc_status s = lookup_start(card_id, out, err);
	if (s)
		return s;
	/* Outside a caller's transaction: the reads share one read transaction
	 * (one snapshot, one lock instead of one per statement). */
	if (!sqlite3_get_autocommit(db)) {
		s = lookup_view(db, cfg, out, err);
		out->details = s == FC_OK;
		return s;
	}
	s = exec_cached(db, begin_sql, "starting a read", err);
	if (s)
		return s;
	s = lookup_view(db, cfg, out, err);
	out->details = s == FC_OK;
	fc_error end_err;
	if (exec_cached(db, commit_sql, "ending a read", &end_err) != FC_OK) {
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		if (!s) {
			s = end_err.code;
			if (err)
				*err = end_err;
		}
	}
	return s;
}

/* The card's row alone: its status and the copy of its customer's
 * decision columns (migration 14).  A copy not known (NULL: cards loaded
 * without the triggers) is read from the customer instead. */
static const char decision_sql[] =
	"SELECT k.status, coalesce(k.blocked_reason, ''), k.customer_id, "
	"coalesce(k.customer_nature, (SELECT nature FROM customers WHERE id = k.customer_id)), "
	"coalesce(k.customer_tier, (SELECT tier FROM customers WHERE id = k.customer_id)), "
	"coalesce(k.customer_provisional, "
	"(SELECT tier_provisional FROM customers WHERE id = k.customer_id)) "
	"FROM cards k WHERE k.card_id = ?1";

fc_status lookup_decision(sqlite3 *db, const fc_config *cfg, const char *card_id,
			  fc_card_view *out, fc_error *err)
{
	fc_status s = lookup_start(card_id, out, err);
	if (s)
		return s;
	sqlite3_stmt *st;
	s = stmt_cache_get(db, decision_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, out->card_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		stmt_cache_done(st);
		return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "looking the card up", err);
	}
	out->registered = true;
	out->blocked = strcmp((const char *)sqlite3_column_text(st, 0), "blocked") == 0;
	db_column_copy(st, 1, out->blocked_reason, sizeof out->blocked_reason);
	out->customer_id = sqlite3_column_int64(st, 2);
	bool ok = nature_parse((const char *)sqlite3_column_text(st, 3), &out->nature) &&
		  tier_parse((const char *)sqlite3_column_text(st, 4), out->nature, &out->tier);
	out->tier_provisional = sqlite3_column_int(st, 5) != 0;
	stmt_cache_done(st);
	if (!ok)
		return fc_error_set(err, FC_ERR_DB_CORRUPT,
				    "the card's customer has an unknown nature or tier");
	lookup_green_lane(cfg, out);
	return FC_OK;
}

fc_status lookup_decision_rebuild(sqlite3 *db, fc_error *err)
{
	return db_exec(db, "UPDATE cards SET (customer_nature, customer_tier, customer_provisional) ="
			   " (SELECT c.nature, c.tier, c.tier_provisional FROM customers c"
			   " WHERE c.id = cards.customer_id)",
		       "copying the customers' tiers onto their cards", err);
}

fc_status lookup_pick_card(sqlite3 *db, uint64_t pick, char card_id[80], fc_error *err)
{
	/* Two seeks on cards_customer: the highest customer id, then the first
	 * card at or after pick's place below it (never a scan of the table). */
	static const char sql[] =
		"SELECT card_id FROM cards WHERE customer_id >= "
		"(SELECT ?1 % max(customer_id) FROM cards) + 1 ORDER BY customer_id LIMIT 1";
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(pick & INT64_MAX));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, card_id, 80);
	else if (rc == SQLITE_DONE)
		s = fc_error_set(err, FC_ERR_NOT_FOUND, "there are no cards");
	else
		s = db_fail(db, rc, "picking a card", err);
	sqlite3_finalize(st);
	return s;
}
