/* tiers_grade.c — one customer's tier outside the half-year evaluation:
 * the provisional tier of a potential customer's declared demand, and the
 * tier evaluated again when the nature changes (cards, master data). */
#include "customers/tiers.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/record.h"

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
	bool from_hq, provisional, potential, declared;
	int64_t yearly_litres;
	char regrade[40]; /* tier_regrade: "individual gold", "" when none */
} grade_row;

static fc_status grade_read(sqlite3 *db, int64_t id, grade_row *row, fc_error *err)
{
	sqlite3_stmt *st;
	memset(row, 0, sizeof *row);
	fc_status s = db_prepare(db, "SELECT code, nature, tier, tier_source, tier_provisional,"
				     " stability, yearly_litres, tier_regrade FROM customers"
				     " WHERE id = ?1", &st, err);
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
		row->potential = strcmp((const char *)sqlite3_column_text(st, 5), "potential") == 0;
		row->declared = sqlite3_column_type(st, 6) != SQLITE_NULL;
		row->yearly_litres = sqlite3_column_int64(st, 6);
		db_column_copy(st, 7, row->regrade, sizeof row->regrade);
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
				     " tier_regrade = NULL, updated_at = ?6 WHERE id = ?1", &st, err);
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

/* Read customer_id's row and start out as "no change" from it. */
static fc_status grade_start(sqlite3 *db, int64_t customer_id, grade_row *row, tier_grade *out,
			     fc_error *err)
{
	memset(out, 0, sizeof *out);
	fc_status s = grade_read(db, customer_id, row, err);
	if (s)
		return s;
	out->old_tier = out->new_tier = row->tier;
	out->old_nature = out->new_nature = row->nature;
	out->old_provisional = out->provisional = row->provisional;
	return FC_OK;
}

fc_status tiers_grade_declared(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			       int64_t now_ms, int64_t staff_id, tier_grade *out, fc_error *err)
{
	tier_grade local;
	grade_row row;
	if (!out)
		out = &local;
	fc_status s = grade_start(db, customer_id, &row, out, err);
	if (s)
		return s;
	snprintf(out->period, sizeof out->period, "declared");
	if (!row.potential || row.from_hq)
		return FC_OK;
	/* litres of the last half year (here or chain-wide) grade it, not the
	 * declaration; an evaluation that found none does not block it */
	tier_period p;
	int64_t ml;
	tiers_last_period(now_ms, &p);
	s = period_volume(db, customer_id, &p, &ml, err);
	if (s || ml > 0)
		return s;
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

/* The tier of row (its nature the new one) evaluated again: by the litres
 * of the last half year that ended at now_ms, or the declared demand of a
 * potential customer (provisional), else ordinary; written with old_* as
 * the record's old side. */
static fc_status regrade(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			 const grade_row *row, fc_nature old_nature, fc_tier old_tier,
			 int64_t now_ms, int64_t staff_id, tier_grade *out, fc_error *err)
{
	tier_period p;
	out->old_tier = old_tier;
	out->old_nature = old_nature;
	out->old_provisional = row->provisional;
	out->new_nature = row->nature;
	out->provisional = false;
	tiers_last_period(now_ms, &p);
	fc_status s = period_volume(db, customer_id, &p, &out->volume_ml, err);
	if (s)
		return s;
	snprintf(out->period, sizeof out->period, "%s", p.name);
	bool from_litres = out->volume_ml > 0;
	if (from_litres) {
		out->new_tier = tiers_for_volume(cfg, row->nature, out->volume_ml);
	} else if (row->potential && row->declared) {
		out->new_tier = tiers_provisional(cfg, row->nature, row->yearly_litres);
		out->provisional = true;
		out->volume_ml = row->yearly_litres * 500;
		snprintf(out->period, sizeof out->period, "declared");
	} else {
		out->new_tier = ordinary_of(row->nature);
	}
	out->changed = true;
	return grade_write(db, cfg, customer_id, row->code, out, from_litres, "nature_changed",
			   now_ms, staff_id, err);
}

fc_status tiers_change_nature(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			      fc_nature nature, int64_t now_ms, int64_t staff_id, tier_grade *out,
			      fc_error *err)
{
	tier_grade local;
	grade_row row;
	if (!out)
		out = &local;
	fc_status s = grade_start(db, customer_id, &row, out, err);
	if (s)
		return s;
	if (row.nature == nature)
		return FC_OK;
	fc_nature old_nature = row.nature;
	fc_tier old_tier = row.tier;
	row.nature = nature;
	return regrade(db, cfg, customer_id, &row, old_nature, old_tier, now_ms, staff_id, out, err);
}

fc_status tiers_regrade_one(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			    int64_t now_ms, int64_t staff_id, tier_grade *out, fc_error *err)
{
	tier_grade local;
	grade_row row;
	if (!out)
		out = &local;
	fc_status s = grade_start(db, customer_id, &row, out, err);
	if (s || !row.regrade[0])
		return s;
	/* "individual gold": the nature and tier before the change */
	char nature_text[16] = "", tier_text[16] = "";
	fc_nature old_nature = row.nature == NATURE_BIG ? NATURE_INDIVIDUAL : NATURE_BIG;
	fc_tier old_tier = ordinary_of(old_nature);
	if (sscanf(row.regrade, "%15s %15s", nature_text, tier_text) == 2 &&
	    nature_parse(nature_text, &old_nature))
		tier_parse(tier_text, old_nature, &old_tier);
	return regrade(db, cfg, customer_id, &row, old_nature, old_tier, now_ms, staff_id, out, err);
}

#define REGRADE_CHUNK 200 /* customers per transaction of tiers_regrade_pending */

fc_status tiers_regrade_pending(sqlite3 *db, const fc_config *cfg, int64_t now_ms, int64_t *done,
				fc_error *err)
{
	int64_t ids[REGRADE_CHUNK], n = 0, total = 0;
	fc_status s = FC_OK;
	do {
		sqlite3_stmt *st;
		s = db_begin(db, err);
		if (!s)
			s = db_prepare(db, "SELECT id FROM customers WHERE tier_regrade IS NOT NULL"
					   " ORDER BY id LIMIT ?1", &st, err);
		n = 0;
		if (!s) {
			sqlite3_bind_int(st, 1, REGRADE_CHUNK);
			int rc;
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				ids[n++] = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
			if (rc != SQLITE_DONE)
				s = db_fail(db, rc, "reading the tiers to evaluate", err);
		}
		for (int64_t i = 0; !s && i < n; i++)
			s = tiers_regrade_one(db, cfg, ids[i], now_ms, 0, NULL, err);
		s = db_finish(db, s, err);
		total += s ? 0 : n;
	} while (!s && n == REGRADE_CHUNK);
	if (done)
		*done = total;
	return s;
}
