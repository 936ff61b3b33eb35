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

fc_tier tiers_provisional(const fc_config *cfg, fc_nature nature, int64_t yearly_litres)
{
	if (yearly_litres < 0)
		yearly_litres = 0;
	return tiers_for_volume(cfg, nature, yearly_litres * 500); /* half a year, in ml */
}

/* One customer as tiers_grade_declared and tiers_change_nature read it. */
typedef struct grade_row {
	char code[32];
	fc_nature nature;
	fc_tier tier;
	bool from_hq, provisional, evaluated, potential, declared;
	int64_t yearly_litres;
} grade_row;

static fc_status grade_read(sqlite3 *db, int64_t id, grade_row *row, fc_error *err)
{
	sqlite3_stmt *st;
	memset(row, 0, sizeof *row);
	fc_status s = db_prepare(db, "SELECT code, nature, tier, tier_source, tier_provisional,"
				     " tier_evaluated_at IS NOT NULL, stability, yearly_litres"
				     " FROM customers WHERE id = ?1", &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_copy(st, 0, row->code, sizeof row->code);
		if (!nature_parse((const char *)sqlite3_column_text(st, 1), &row->nature) ||
		    !tier_parse((const char *)sqlite3_column_text(st, 2), row->nature, &row->tier))
			row->tier = row->nature == NATURE_BIG ? TIER_BIG_ORDINARY : TIER_IND_ORDINARY;
		row->from_hq = strcmp((const char *)sqlite3_column_text(st, 3), "hq") == 0;
		row->provisional = sqlite3_column_int(st, 4) != 0;
		row->evaluated = sqlite3_column_int(st, 5) != 0;
		row->potential = strcmp((const char *)sqlite3_column_text(st, 6), "potential") == 0;
		row->declared = sqlite3_column_type(st, 7) != SQLITE_NULL;
		row->yearly_litres = sqlite3_column_int64(st, 7);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return fc_error_set(err, FC_ERR_NOT_FOUND, "no customer with id %lld", (long long)id);
	return rc == SQLITE_ROW ? FC_OK : db_fail(db, rc, "reading the customer's tier", err);
}

/* The litres of period: the larger of the visits here and head office's
 * chain_litres (which include this station's once counted there). */
static fc_status period_volume(sqlite3 *db, int64_t id, const tier_period *p, int64_t *ml,
			       fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT max(coalesce((SELECT sum(volume_ml) FROM visits"
				     " WHERE customer_id = ?1 AND created_at >= ?2 AND created_at < ?3),"
				     " 0), coalesce((SELECT litres * 1000 FROM chain_litres"
				     " WHERE customer_id = ?1 AND period = ?4), 0))", &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, p->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*ml = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? FC_OK : db_fail(db, rc, "reading the half-year litres", err);
}

/* Write g for customer id: nature and tier in one statement (the CHECK
 * pairs them), the history row and the 'tier_changed' record. */
static fc_status grade_write(sqlite3 *db, const fc_config *cfg, int64_t id, const char *code,
			     const tier_grade *g, bool from_litres, const char *reason,
			     int64_t now_ms, int64_t staff_id, fc_error *err)
{
	char now[CLOCK_ISO_LEN];
	clock_format_iso(now_ms, now);
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "UPDATE customers SET nature = ?2, tier = ?3, tier_source = 'local',"
				     " tier_provisional = ?4, tier_evaluated_at = iif(?5, ?6, NULL),"
				     " updated_at = ?6 WHERE id = ?1", &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, nature_key(g->new_nature), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, tier_key(g->new_tier), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, g->provisional);
	sqlite3_bind_int(st, 5, from_litres || g->provisional);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	s = db_step_done(db, st, "changing the tier", err);
	if (!s)
		s = db_prepare(db, "INSERT INTO tier_history(customer_id, old_tier, new_tier, source,"
				   " period, changed_at) VALUES (?1, ?2, ?3, 'local', ?4, ?5)", &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, tier_key(g->old_tier), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, tier_key(g->new_tier), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, g->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	s = db_step_done(db, st, "keeping the tier history", err);
	if (s)
		return s;
	fc_record rec;
	s = record_init(&rec, "tier_changed", err);
	if (s)
		return s;
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:s}",
				 "customer_code", code, "nature", nature_key(g->new_nature),
				 "old_nature", nature_key(g->old_nature), "old_tier",
				 tier_key(g->old_tier), "new_tier", tier_key(g->new_tier), "source",
				 "local", "period", g->period, "volume_ml", (json_int_t)g->volume_ml,
				 "provisional", (int)g->provisional, "reason", reason);
	if (!data)
		return record_json_failed(rec.type, err);
	s = record_enqueue(db, &rec, cfg->station_id, staff_id, data, err);
	json_decref(data);
	return s;
}

static fc_tier ordinary_of(fc_nature nature)
{
	return nature == NATURE_BIG ? TIER_BIG_ORDINARY : TIER_IND_ORDINARY;
}

fc_status tiers_grade_declared(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			       int64_t now_ms, int64_t staff_id, tier_grade *out, fc_error *err)
{
	tier_grade local;
	grade_row row;
	if (!out)
		out = &local;
	memset(out, 0, sizeof *out);
	fc_status s = grade_read(db, customer_id, &row, err);
	if (s)
		return s;
	out->old_tier = out->new_tier = row.tier;
	out->old_nature = out->new_nature = row.nature;
	out->old_provisional = out->provisional = row.provisional;
	snprintf(out->period, sizeof out->period, "declared");
	if (!row.potential || row.from_hq || (row.evaluated && !row.provisional))
		return FC_OK;
	out->provisional = row.declared;
	out->new_tier = row.declared ? tiers_provisional(cfg, row.nature, row.yearly_litres)
				     : ordinary_of(row.nature);
	out->volume_ml = row.declared ? row.yearly_litres * 500 : 0;
	if (out->new_tier == out->old_tier && out->provisional == out->old_provisional)
		return FC_OK;
	out->changed = true;
	return grade_write(db, cfg, customer_id, row.code, out, false, "declared", now_ms,
			   staff_id, err);
}

fc_status tiers_change_nature(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			      fc_nature nature, int64_t now_ms, int64_t staff_id, tier_grade *out,
			      fc_error *err)
{
	tier_grade local;
	grade_row row;
	tier_period p;
	if (!out)
		out = &local;
	memset(out, 0, sizeof *out);
	fc_status s = grade_read(db, customer_id, &row, err);
	if (s)
		return s;
	out->old_tier = out->new_tier = row.tier;
	out->old_nature = out->new_nature = row.nature;
	out->old_provisional = out->provisional = row.provisional;
	if (row.nature == nature)
		return FC_OK;
	tiers_last_period(now_ms, &p);
	s = period_volume(db, customer_id, &p, &out->volume_ml, err);
	if (s)
		return s;
	out->new_nature = nature;
	out->provisional = false;
	snprintf(out->period, sizeof out->period, "%s", p.name);
	bool from_litres = out->volume_ml > 0;
	if (from_litres) {
		out->new_tier = tiers_for_volume(cfg, nature, out->volume_ml);
	} else if (row.potential && row.declared) {
		out->new_tier = tiers_provisional(cfg, nature, row.yearly_litres);
		out->provisional = true;
		out->volume_ml = row.yearly_litres * 500;
		snprintf(out->period, sizeof out->period, "declared");
	} else {
		out->new_tier = ordinary_of(nature);
	}
	out->changed = true;
	return grade_write(db, cfg, customer_id, row.code, out, from_litres, "nature_changed",
			   now_ms, staff_id, err);
}

static fc_status collect_changes(sqlite3 *db, const fc_config *cfg, const tier_period *p,
				 tier_evaluation *out, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
		"SELECT c.id, c.code, c.name, c.nature, c.tier, c.tier_source,"
		" coalesce((SELECT sum(volume_ml) FROM visits v WHERE v.customer_id = c.id"
		"   AND v.created_at >= ?1 AND v.created_at < ?2), 0), c.tier_provisional"
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
		bool provisional = sqlite3_column_int(st, 7) != 0;
		if (provisional && ml == 0)
			continue; /* declared demand until litres exist */
		fc_tier now = tiers_for_volume(cfg, nature, ml);
		if (now == old && !provisional)
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
		c->old_provisional = provisional;
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
		" tier_provisional = 0, updated_at = ?3 WHERE id = ?1;", &st, err);
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
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:s}", "customer_code",
				 c->code, "nature", nature_key(tier_nature(c->new_tier)), "old_tier",
				 tier_key(c->old_tier), "new_tier", tier_key(c->new_tier),
				 "source", "local", "period", p->name, "volume_ml",
				 (json_int_t)c->volume_ml, "provisional", 0, "reason", "evaluated");
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
