/* tiers.c — half-year tier evaluation: litres per customer over the period,
 * thresholds of [tiers], precedence of head office, history and outbox. */
#include "customers/tiers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/record.h"

/* Local midnight of year-month-01 as UTC ISO. */
static void local_month_start(int year, int month, char *out)
{
	struct tm tm = { .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = 1,
			 .tm_isdst = -1 };
	time_t t = mktime(&tm);
	clock_format_iso((int64_t)t * 1000, out);
}

static void period_fill(int year, int half, tier_period *out)
{
	snprintf(out->name, sizeof out->name, "%04dH%d", year % 10000, half);
	local_month_start(year, half == 1 ? 1 : 7, out->from);
	if (half == 1)
		local_month_start(year, 7, out->to);
	else
		local_month_start(year + 1, 1, out->to);
}

fc_status tiers_parse_period(const char *text, tier_period *out, fc_error *err)
{
	int year, half;
	char tail;
	if (strlen(text) != 6 || sscanf(text, "%4dH%1d%c", &year, &half, &tail) != 2 ||
	    year < 2000 || year > 2999 || (half != 1 && half != 2))
		return fc_error_set(err, FC_ERR_USAGE,
				    "period '%s': expected YEARH1 or YEARH2, e.g. 2026H2", text);
	period_fill(year, half, out);
	return FC_OK;
}

void tiers_last_period(int64_t now_ms, tier_period *out)
{
	time_t t = (time_t)(now_ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	int year = tm.tm_year + 1900;
	if (tm.tm_mon < 6)
		period_fill(year - 1, 2, out);
	else
		period_fill(year, 1, out);
}

fc_status tiers_check_period_ended(const tier_period *period, int64_t now_ms, fc_error *err)
{
	int64_t end_ms;
	char local[CLOCK_ISO_LEN];
	if (!clock_parse_iso(period->to, &end_ms))
		return fc_error_set(err, FC_ERR_INVALID, "period %s: bad end '%s'", period->name,
				    period->to);
	if (now_ms >= end_ms)
		return FC_OK;
	return fc_error_set(err, FC_ERR_INVALID, "period %s has not ended yet (it ends %s): "
			    "give a half year that is over", period->name,
			    clock_format_local(end_ms, local));
}

fc_tier tiers_for_volume(const fc_config *cfg, fc_nature nature, int64_t volume_ml)
{
	int64_t litres = volume_ml / 1000;
	if (nature == NATURE_BIG) {
		if (litres >= cfg->tier_big_diamond)
			return TIER_BIG_DIAMOND;
		if (litres >= cfg->tier_big_gold)
			return TIER_BIG_GOLD;
		if (litres >= cfg->tier_big_silver)
			return TIER_BIG_SILVER;
		return TIER_BIG_ORDINARY;
	}
	if (litres >= cfg->tier_ind_platinum)
		return TIER_IND_PLATINUM;
	if (litres >= cfg->tier_ind_gold)
		return TIER_IND_GOLD;
	if (litres >= cfg->tier_ind_silver)
		return TIER_IND_SILVER;
	return TIER_IND_ORDINARY;
}

static fc_status collect_changes(sqlite3 *db, const fc_config *cfg, const tier_period *p,
				 tier_evaluation *out, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
		"SELECT c.id, c.code, c.name, c.nature, c.tier, c.tier_source,"
		" coalesce((SELECT sum(volume_ml) FROM visits v WHERE v.customer_id = c.id"
		"   AND v.created_at >= ?1 AND v.created_at < ?2), 0)"
		" FROM customers c ORDER BY c.code", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, p->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->to, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fc_nature nature;
		fc_tier old;
		out->evaluated++;
		if (!nature_parse((const char *)sqlite3_column_text(st, 3), &nature) ||
		    !tier_parse((const char *)sqlite3_column_text(st, 4), nature, &old))
			continue;
		bool from_hq = strcmp((const char *)sqlite3_column_text(st, 5), "hq") == 0;
		if (from_hq && !cfg->tier_prefer_local) {
			out->kept_hq++;
			continue;
		}
		int64_t ml = sqlite3_column_int64(st, 6);
		fc_tier now = tiers_for_volume(cfg, nature, ml);
		if (now == old)
			continue;
		if (out->count == cap) {
			cap = cap ? cap * 2 : 64;
			tier_change *grown = realloc(out->changes, cap * sizeof *grown);
			if (!grown) {
				sqlite3_finalize(st);
				return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
			}
			out->changes = grown;
		}
		tier_change *c = &out->changes[out->count++];
		memset(c, 0, sizeof *c);
		c->customer_id = sqlite3_column_int64(st, 0);
		snprintf(c->code, sizeof c->code, "%s", sqlite3_column_text(st, 1));
		snprintf(c->name, sizeof c->name, "%s", sqlite3_column_text(st, 2));
		c->old_tier = old;
		c->new_tier = now;
		c->old_from_hq = from_hq;
		c->volume_ml = ml;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the half-year volumes", err);
	return FC_OK;
}

static int change_order(const void *a, const void *b)
{
	const tier_change *x = a, *y = b;
	if (x->new_tier != y->new_tier)
		return (int)x->new_tier - (int)y->new_tier;
	return strcmp(x->code, y->code);
}

static fc_status write_change(sqlite3 *db, const fc_config *cfg, const tier_period *p,
			      int64_t staff_id, const tier_change *c, const char *now,
			      fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
		"UPDATE customers SET tier = ?2, tier_source = 'local', tier_evaluated_at = ?3,"
		" updated_at = ?3 WHERE id = ?1;", &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, c->customer_id);
	sqlite3_bind_text(st, 2, tier_key(c->new_tier), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "changing the tier", err);
	s = db_prepare(db, "INSERT INTO tier_history(customer_id, old_tier, new_tier, source, period,"
			   " changed_at) VALUES (?1, ?2, ?3, 'local', ?4, ?5)", &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, c->customer_id);
	sqlite3_bind_text(st, 2, tier_key(c->old_tier), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, tier_key(c->new_tier), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "keeping the tier history", err);
	fc_record rec;
	s = record_init(&rec, "tier_changed", err);
	if (s)
		return s;
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "customer_code", c->code,
				 "nature", nature_key(tier_nature(c->new_tier)), "old_tier",
				 tier_key(c->old_tier), "new_tier", tier_key(c->new_tier),
				 "source", "local", "period", p->name, "volume_ml",
				 (json_int_t)c->volume_ml);
	if (!data)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	s = record_enqueue(db, &rec, cfg->station_id, staff_id, data, err);
	json_decref(data);
	return s;
}

fc_status tiers_evaluate(sqlite3 *db, const fc_config *cfg, const tier_period *period,
			 bool dry_run, int64_t staff_id, tier_evaluation *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	fc_status s = dry_run ? FC_OK : db_begin(db, err);
	if (!s)
		s = collect_changes(db, cfg, period, out, err);
	if (!s && out->count)
		qsort(out->changes, out->count, sizeof out->changes[0], change_order);
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	for (size_t i = 0; !s && !dry_run && i < out->count; i++)
		s = write_change(db, cfg, period, staff_id, &out->changes[i], now, err);
	if (dry_run)
		return s;
	return db_finish(db, s, err);
}

void tiers_evaluation_free(tier_evaluation *ev)
{
	free(ev->changes);
	ev->changes = NULL;
	ev->count = 0;
}
