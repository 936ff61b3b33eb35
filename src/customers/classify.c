/* classify.c — stability from the visits and the chain's last purchase,
 * won-back, nature from the cards and the composite A/B/C score; the daily
 * run and the per-visit update. */
#include "customers/classify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "customers/tiers.h"
#include "store/db.h"
#include "store/record.h"
#include "store/schema.h"
#include "store/stmt_cache.h"

#define DAY_MS 86400000LL
#define PRIOR_DAYS 90

fc_stability classify_stability(const fc_config *cfg, int64_t now_ms, int64_t last_visit_ms,
				int64_t recent_ml, int64_t prior_ml)
{
	if (last_visit_ms <= 0)
		return STABILITY_POTENTIAL;
	if (now_ms - last_visit_ms > (int64_t)cfg->lost_after_days * DAY_MS)
		return STABILITY_LOST;
	/* recent <= average month of the 90 days before x (100 - drop) % */
	if (prior_ml > 0 && recent_ml * 100 * (PRIOR_DAYS / 30) <=
				    prior_ml * (100 - cfg->swing_drop_percent))
		return STABILITY_SWING;
	return STABILITY_CURRENT;
}

char *classify_lost_since(const fc_config *cfg, int64_t now_ms, char out[CLOCK_ISO_LEN])
{
	return clock_format_iso(now_ms - (int64_t)cfg->lost_after_days * DAY_MS, out);
}

fc_stability classify_stability_seen(fc_stability stored, const char *last,
				     const char *lost_since)
{
	if (stored != STABILITY_LOST && stored != STABILITY_POTENTIAL)
		return stored;
	if (!last || !*last)
		return stored;
	return strcmp(last, lost_since) < 0 ? STABILITY_LOST : STABILITY_CURRENT;
}

bool classify_won_back(fc_stability stored, const char *previous, const char *lost_since)
{
	if (!previous || !*previous)
		return stored == STABILITY_LOST;
	return strcmp(previous, lost_since) < 0;
}

int classify_composite_score(const fc_config *cfg, const composite_input *in)
{
	int sum = cfg->composite_w_scale + cfg->composite_w_credit + cfg->composite_w_volume +
		  cfg->composite_w_influence;
	if (sum <= 0)
		return 0;
	int total = cfg->composite_w_scale * in->scale + cfg->composite_w_credit * in->credit +
		    cfg->composite_w_volume * in->volume +
		    cfg->composite_w_influence * in->influence;
	return (total + sum / 2) / sum;
}

char classify_composite_class(const fc_config *cfg, int score)
{
	if (score > cfg->composite_a_above)
		return 'A';
	if (score < cfg->composite_c_below)
		return 'C';
	return 'B';
}

/* Stability of the customers with ids ?10..?11 in one statement, with the
 * same rule as classify_stability (ISO-8601 UTC text compares like time) on
 * the last purchase at any station: the later of the visits here (and
 * last_visit_at) and head office's chain_last_purchase_at.  When the chain
 * saw a later purchase than this station did, the customer buys elsewhere
 * now and this station's litres tell nothing of a drop: current, not swing. */
static const char stability_sql[] =
	"WITH agg AS (SELECT customer_id AS id, max(created_at) AS last,"
	"  sum(iif(created_at >= ?1, volume_ml, 0)) AS recent,"
	"  sum(iif(created_at >= ?2 AND created_at < ?1, volume_ml, 0)) AS prior"
	"  FROM visits WHERE customer_id BETWEEN ?10 AND ?11 AND created_at <= ?3"
	"  GROUP BY customer_id),"
	" seen AS (SELECT c.id AS id, a.recent AS recent, a.prior AS prior,"
	"  max(coalesce(a.last, ''), coalesce(c.last_visit_at, '')) AS here,"
	"  " CLASSIFY_LAST_PURCHASE_SQL " AS anywhere"
	"  FROM customers c LEFT JOIN agg a ON a.id = c.id WHERE c.id BETWEEN ?10 AND ?11),"
	" calc AS (SELECT id, CASE"
	"  WHEN max(here, anywhere) = '' THEN 'potential'"
	"  WHEN max(here, anywhere) < ?1 THEN 'lost'"
	"  WHEN anywhere > here THEN 'current'"
	"  WHEN coalesce(prior, 0) > 0 AND coalesce(recent, 0) * 100 * 3 <="
	"       prior * (100 - ?4) THEN 'swing'"
	"  ELSE 'current' END AS stability FROM seen)"
	" UPDATE customers SET stability = calc.stability, updated_at = ?3 FROM calc"
	" WHERE calc.id = customers.id AND customers.stability <> calc.stability";

/* The customers of ?10..?11 whose active cards say another nature (a unit
 * card or two cards or more: big; else individual). */
static const char nature_sql[] =
	"WITH k AS (SELECT customer_id AS id,"
	"  iif(max(kind = 'unit') OR count(*) >= 2, 'big', 'individual') AS nature"
	"  FROM cards WHERE status = 'active' AND customer_id BETWEEN ?10 AND ?11"
	"  GROUP BY customer_id)"
	" SELECT c.id, k.nature FROM customers c JOIN k ON k.id = c.id"
	" WHERE c.nature <> k.nature ORDER BY c.id";

/* The customers of ?10..?11 whose nature master data changed without a
 * tier (tiers_regrade_one). */
static const char regrade_sql[] =
	"SELECT id FROM customers WHERE id BETWEEN ?10 AND ?11 AND tier_regrade IS NOT NULL"
	" ORDER BY id";

/* The potential customers of ?10..?11 whose tier the declared demand may
 * set (tiers_grade_declared decides; an evaluation that found no litres
 * does not block it). */
static const char declared_sql[] =
	"SELECT id FROM customers WHERE id BETWEEN ?10 AND ?11 AND stability = 'potential'"
	" AND tier_source = 'local' AND (tier_provisional = 1 OR yearly_litres IS NOT NULL)"
	" ORDER BY id";

/* The composite indicators' raw inputs per customer, and what a head
 * rated (NULL: not rated). */
static const char composite_sql[] =
	"SELECT c.id, c.nature, coalesce(c.yearly_litres, 0), c.composite_score,"
	"  coalesce(k.cards, 0), coalesce(k.unit, 0), coalesce(k.blocked, 0),"
	"  coalesce(v.ml, 0), c.code, c.composite_quarter, c.composite_class,"
	"  c.rating_scale, c.rating_credit, c.rating_influence"
	" FROM customers c"
	" LEFT JOIN (SELECT customer_id, sum(status = 'active') AS cards,"
	"   max(kind = 'unit' AND status = 'active') AS unit, sum(status = 'blocked') AS blocked"
	"   FROM cards WHERE customer_id BETWEEN ?10 AND ?11 GROUP BY customer_id) k"
	"  ON k.customer_id = c.id"
	" LEFT JOIN (SELECT customer_id, sum(volume_ml) AS ml FROM visits"
	"   WHERE customer_id BETWEEN ?10 AND ?11 AND created_at >= ?1 AND created_at <= ?2"
	"   GROUP BY customer_id) v ON v.customer_id = c.id"
	" WHERE c.id BETWEEN ?10 AND ?11";

/* The id range ?10..?11 of a chunk (numbered: a named parameter would take
 * the next free number and collide with ?3, ?4 of the same statement). */
static void bind_range(sqlite3_stmt *st, int64_t lo, int64_t hi)
{
	sqlite3_bind_int64(st, 10, lo);
	sqlite3_bind_int64(st, 11, hi);
}

static int percent_of(int64_t value, int64_t full)
{
	if (full <= 0)
		return 0;
	int64_t p = value * 100 / full;
	return p > 100 ? 100 : (int)p;
}

void classify_quarter(int64_t now_ms, char out[CLASSIFY_QUARTER_LEN])
{
	char day[CLOCK_ISO_LEN];
	clock_local_date(now_ms, day);
	int month = (day[5] - '0') * 10 + (day[6] - '0');
	snprintf(out, CLASSIFY_QUARTER_LEN, "%.4sQ%d", day, month >= 1 && month <= 12
							  ? (month - 1) / 3 + 1 : 1);
}

void classify_composite_inputs(const fc_config *cfg, const composite_facts *f,
			       composite_input *out)
{
	int64_t top = 2 * (int64_t)(f->big ? cfg->tier_big_diamond : cfg->tier_ind_platinum);
	int64_t blocked = f->blocked_cards > 3 ? 4 : f->blocked_cards;
	out->scale = f->unit_card ? 100 : f->active_cards >= 3 ? 80 : f->active_cards == 2 ? 60
		     : f->active_cards == 1 ? 40 : 20;
	out->credit = 100 - 30 * (int)blocked;
	if (out->credit < 0)
		out->credit = 0;
	out->volume = percent_of(f->year_ml / 1000, top);
	out->influence = percent_of(f->yearly_litres, top);
	if (f->rating_scale >= 0)
		out->scale = f->rating_scale;
	if (f->rating_credit >= 0)
		out->credit = f->rating_credit;
	if (f->rating_influence >= 0)
		out->influence = f->rating_influence;
}

/* Queue the 'composite_evaluated' record of one result. */
static fc_status composite_record(sqlite3 *db, const fc_config *cfg, int64_t staff_id,
				  const char *code, const char *quarter, const composite_facts *f,
				  const composite_input *in, int score, char cls, fc_error *err)
{
	fc_record rec;
	fc_status s = record_init(&rec, "composite_evaluated", err);
	if (s)
		return s;
	char k[2] = { cls, '\0' };
	json_t *data = json_pack("{s:s, s:s, s:i, s:s, s:i, s:i, s:i, s:i, s:b, s:b, s:b}",
				 "customer_code", code, "quarter", quarter, "score", score, "class",
				 k, "scale", in->scale, "credit", in->credit, "volume", in->volume,
				 "influence", in->influence, "scale_rated", f->rating_scale >= 0,
				 "credit_rated", f->rating_credit >= 0, "influence_rated",
				 f->rating_influence >= 0);
	if (!data)
		return record_json_failed(rec.type, err);
	s = record_enqueue(db, &rec, cfg->station_id, staff_id, data, err);
	json_decref(data);
	return s;
}

static int column_rating(sqlite3_stmt *q, int col)
{
	return sqlite3_column_type(q, col) == SQLITE_NULL ? -1 : sqlite3_column_int(q, col);
}

/* The composite evaluation of the customers of lo..hi not yet evaluated in
 * the quarter of now_ms (all of them when force: a head's new rating),
 * each result stored with its quarter and queued for head office. */
static fc_status update_composite(sqlite3 *db, const fc_config *cfg, int64_t now_ms,
				  int64_t lo, int64_t hi, bool force, int64_t staff_id,
				  classify_counts *out, fc_error *err)
{
	char from[CLOCK_ISO_LEN], now[CLOCK_ISO_LEN], quarter[CLASSIFY_QUARTER_LEN];
	clock_format_iso(now_ms - 365 * DAY_MS, from);
	clock_format_iso(now_ms, now);
	classify_quarter(now_ms, quarter);
	sqlite3_stmt *q, *u;
	fc_status s = db_prepare(db, composite_sql, &q, err);
	if (s)
		return s;
	s = db_prepare(db, "UPDATE customers SET composite_score = ?2, composite_class = ?3,"
			   " composite_quarter = ?4, updated_at = ?5 WHERE id = ?1", &u, err); /* ?5: class_history's date */
	if (s) {
		sqlite3_finalize(q);
		return s;
	}
	sqlite3_bind_text(q, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
	bind_range(q, lo, hi);
	int rc;
	while (!s && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *done = (const char *)sqlite3_column_text(q, 9);
		const char *stored = (const char *)sqlite3_column_text(q, 10);
		if (!force && done && strcmp(done, quarter) == 0) {
			if (out && stored && stored[0] >= 'A' && stored[0] <= 'C')
				out->by_class[stored[0] - 'A']++;
			continue;
		}
		composite_facts f = {
			.big = strcmp((const char *)sqlite3_column_text(q, 1), "big") == 0,
			.yearly_litres = sqlite3_column_int64(q, 2),
			.active_cards = sqlite3_column_int64(q, 4),
			.unit_card = sqlite3_column_int(q, 5) != 0,
			.blocked_cards = sqlite3_column_int64(q, 6),
			.year_ml = sqlite3_column_int64(q, 7),
			.rating_scale = column_rating(q, 11),
			.rating_credit = column_rating(q, 12),
			.rating_influence = column_rating(q, 13),
		};
		composite_input in;
		classify_composite_inputs(cfg, &f, &in);
		int score = classify_composite_score(cfg, &in);
		char cls[2] = { classify_composite_class(cfg, score), '\0' };
		if (out)
			out->by_class[cls[0] - 'A']++;
		char code[32];
		db_column_copy(q, 8, code, sizeof code);
		sqlite3_bind_int64(u, 1, sqlite3_column_int64(q, 0));
		sqlite3_bind_int(u, 2, score);
		sqlite3_bind_text(u, 3, cls, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(u, 4, quarter, -1, SQLITE_STATIC);
		sqlite3_bind_text(u, 5, now, -1, SQLITE_STATIC);
		int urc = sqlite3_step(u);
		sqlite3_reset(u);
		if (urc != SQLITE_DONE)
			s = db_fail(db, urc, "storing the composite evaluation", err);
		if (!s)
			s = composite_record(db, cfg, staff_id, code, quarter, &f, &in, score, cls[0],
					     err);
		if (!s && out)
			out->composite_evaluated++;
	}
	if (!s && rc != SQLITE_DONE)
		s = db_fail(db, rc, "reading the composite evaluation", err);
	sqlite3_finalize(q);
	sqlite3_finalize(u);
	return s;
}

fc_status classify_composite_customer(sqlite3 *db, const fc_config *cfg, int64_t now_ms,
				      int64_t customer_id, int64_t staff_id, fc_error *err)
{
	return update_composite(db, cfg, now_ms, customer_id, customer_id, true, staff_id, NULL,
				err);
}

/* The ids of st's rows (column 0), malloc'd into *ids. */
static fc_status collect_ids(sqlite3 *db, sqlite3_stmt *st, int64_t **ids, char (*natures)[16],
			     size_t max, size_t *n, fc_error *err)
{
	int rc;
	*n = 0;
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		(*ids)[*n] = sqlite3_column_int64(st, 0);
		if (natures)
			db_column_copy(st, 1, natures[*n], sizeof natures[0]);
		(*n)++;
	}
	if (*n < max && rc != SQLITE_DONE)
		return db_fail(db, rc, "classifying the customers", err);
	return FC_OK;
}

/* The nature changes of the chunk, each re-evaluating the tier
 * (tiers_change_nature), then the declared demand of its potential
 * customers (tiers_grade_declared). */
static fc_status update_natures(sqlite3 *db, const fc_config *cfg, int64_t now_ms, int64_t lo,
				int64_t hi, classify_counts *out, fc_error *err)
{
	size_t max = (size_t)(hi - lo + 1), n = 0;
	int64_t *ids = malloc(max * sizeof *ids);
	char(*natures)[16] = malloc(max * sizeof *natures);
	sqlite3_stmt *st = NULL;
	fc_status s = ids && natures ? db_prepare(db, nature_sql, &st, err)
				     : fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	if (!s) {
		bind_range(st, lo, hi);
		s = collect_ids(db, st, &ids, natures, max, &n, err);
		sqlite3_finalize(st);
	}
	for (size_t i = 0; !s && i < n; i++) {
		fc_nature nature;
		if (!nature_parse(natures[i], &nature))
			continue;
		s = tiers_change_nature(db, cfg, ids[i], nature, now_ms, 0, NULL, err);
		out->nature_changed += !s;
	}
	if (!s)
		s = db_prepare(db, regrade_sql, &st, err);
	if (!s) {
		bind_range(st, lo, hi);
		s = collect_ids(db, st, &ids, NULL, max, &n, err);
		sqlite3_finalize(st);
	}
	for (size_t i = 0; !s && i < n; i++) {
		s = tiers_regrade_one(db, cfg, ids[i], now_ms, 0, NULL, err);
		out->nature_changed += !s;
	}
	if (!s)
		s = db_prepare(db, declared_sql, &st, err);
	if (!s) {
		bind_range(st, lo, hi);
		s = collect_ids(db, st, &ids, NULL, max, &n, err);
		sqlite3_finalize(st);
	}
	for (size_t i = 0; !s && i < n; i++) {
		tier_grade g;
		s = tiers_grade_declared(db, cfg, ids[i], now_ms, 0, &g, err);
		out->provisional_changed += !s && g.changed;
	}
	free(ids);
	free(natures);
	return s;
}

static fc_status run_update(sqlite3 *db, const char *sql, const char *const *texts, int ntexts,
			    int number, int64_t lo, int64_t hi, int64_t *changed, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, sql, &st, err);
	if (s)
		return s;
	for (int i = 0; i < ntexts; i++)
		sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_STATIC);
	if (number >= 0)
		sqlite3_bind_int(st, ntexts + 1, number);
	bind_range(st, lo, hi);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "classifying the customers", err);
	*changed += sqlite3_changes(db);
	return FC_OK;
}

static fc_status count_stability(sqlite3 *db, classify_counts *out, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT stability, count(*) FROM customers GROUP BY 1", &st, err);
	if (s)
		return s;
	while (sqlite3_step(st) == SQLITE_ROW) {
		fc_stability k;
		if (stability_parse((const char *)sqlite3_column_text(st, 0), &k)) {
			out->by_stability[k] = sqlite3_column_int64(st, 1);
			out->customers += out->by_stability[k];
		}
	}
	sqlite3_finalize(st);
	return FC_OK;
}

fc_status classify_range(sqlite3 *db, const fc_config *cfg, int64_t now_ms, int64_t lo,
			 int64_t hi, classify_counts *out, fc_error *err)
{
	char recent[CLOCK_ISO_LEN], prior[CLOCK_ISO_LEN], now[CLOCK_ISO_LEN];
	classify_lost_since(cfg, now_ms, recent);
	clock_format_iso(now_ms - (int64_t)(cfg->lost_after_days + PRIOR_DAYS) * DAY_MS, prior);
	clock_format_iso(now_ms, now);
	const char *texts[] = { recent, prior, now };
	fc_status s = run_update(db, stability_sql, texts, 3, cfg->swing_drop_percent, lo, hi,
				 &out->changed, err);
	if (!s)
		s = update_natures(db, cfg, now_ms, lo, hi, out, err);
	if (!s)
		s = update_composite(db, cfg, now_ms, lo, hi, false, 0, out, err);
	return s;
}

fc_status classify_all(sqlite3 *db, const fc_config *cfg, int64_t now_ms, classify_counts *out,
		       fc_error *err)
{
	classify_counts local;
	if (!out)
		out = &local;
	memset(out, 0, sizeof *out);
	int64_t lo = 0, max_id = 0;
	fc_status s = FC_OK;
	for (;;) {
		s = db_begin(db, err);
		if (s)
			return s;
		if (!max_id)
			s = db_query_int64(db, "SELECT coalesce(max(id), 0) FROM customers", &max_id,
					   err);
		int64_t hi = lo + CLASSIFY_CHUNK - 1;
		if (!s)
			s = classify_range(db, cfg, now_ms, lo, hi, out, err);
		s = db_finish(db, s, err);
		if (s || hi >= max_id)
			break;
		lo = hi + 1;
	}
	if (!s)
		s = count_stability(db, out, err);
	if (!s) {
		char today[CLOCK_ISO_LEN];
		s = db_meta_set(db, "classified_day", clock_local_date(now_ms, today), err);
	}
	return s;
}

/* Whether meta 'classified_day' is today. */
static bool classified_today(sqlite3 *db, const char *today)
{
	char day[CLOCK_ISO_LEN];
	return db_meta_get(db, "classified_day", day, sizeof day) && strcmp(day, today) == 0;
}

fc_status classify_daily_step(sqlite3 *db, const fc_config *cfg, int64_t now_ms, bool *more,
			      fc_error *err)
{
	*more = false;
	char today[CLOCK_ISO_LEN];
	clock_local_date(now_ms, today);
	if (classified_today(db, today)) /* the cheap look, without a lock */
		return FC_OK;
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	if (classified_today(db, today)) { /* another terminal finished meanwhile */
		db_rollback(db);
		return FC_OK;
	}
	/* 'classify_cursor' = "DAY LAST-ID": where today's run has got to */
	char cursor[64], day[CLOCK_ISO_LEN];
	long long last;
	int64_t lo = 0, max_id = 0;
	if (db_meta_get(db, "classify_cursor", cursor, sizeof cursor) &&
	    sscanf(cursor, "%31s %lld", day, &last) == 2 && strcmp(day, today) == 0)
		lo = (int64_t)last + 1;
	int64_t hi = lo + CLASSIFY_CHUNK - 1;
	classify_counts counts;
	memset(&counts, 0, sizeof counts);
	s = db_query_int64(db, "SELECT coalesce(max(id), 0) FROM customers", &max_id, err);
	if (!s)
		s = classify_range(db, cfg, now_ms, lo, hi, &counts, err);
	if (!s) {
		snprintf(cursor, sizeof cursor, "%s %lld", today, (long long)hi);
		s = db_meta_set(db, "classify_cursor", cursor, err);
	}
	if (!s && hi >= max_id)
		s = db_meta_set(db, "classified_day", today, err);
	s = db_finish(db, s, err);
	*more = !s && hi < max_id;
	return s;
}

/* Customer ?1 at a visit at ?2: its stored stability; the previous
 * purchase at any station (the latest visit here before ?2, or
 * last_visit_at, or head office's chain_last_purchase_at, when before ?2);
 * the litres of [?3, ?2] and of [?4, ?3) in one range of the
 * visits_customer index.  Kept prepared (stmt_cache): every visit runs it. */
static const char after_visit_sql[] =
	"SELECT c.stability, max(coalesce(p.last, ''),"
	"  coalesce(iif(c.last_visit_at < ?2, c.last_visit_at, NULL), ''),"
	"  coalesce(iif(c.chain_last_purchase_at < ?2, c.chain_last_purchase_at, NULL), '')),"
	" coalesce(v.recent, 0), coalesce(v.prior, 0)"
	" FROM customers c,"
	" (SELECT max(created_at) AS last FROM visits"
	"   WHERE customer_id = ?1 AND created_at < ?2) p,"
	" (SELECT sum(iif(created_at >= ?3, volume_ml, 0)) AS recent,"
	"   sum(iif(created_at < ?3, volume_ml, 0)) AS prior FROM visits"
	"   WHERE customer_id = ?1 AND created_at >= ?4 AND created_at <= ?2) v"
	" WHERE c.id = ?1";
/* last_visit_ml (migration 15): the volume of the latest visit here, this
 * one's unless it is back-dated (the visit row is stored: read back from
 * the index page it was just written to; no write of its own). */
static const char after_visit_update_sql[] =
	"UPDATE customers SET stability = ?2, last_visit_ml = iif(?3 >= coalesce(last_visit_at, ''),"
	" (SELECT v.volume_ml FROM visits v WHERE v.customer_id = ?1 AND v.created_at = ?3"
	"  ORDER BY v.id DESC LIMIT 1), last_visit_ml),"
	" last_visit_at = max(coalesce(last_visit_at, ''), ?3),"
	" first_visit_at = coalesce(first_visit_at, ?3), updated_at = ?3 WHERE id = ?1";

fc_status classify_rebuild_last_visit(sqlite3 *db, fc_error *err)
{
	return db_exec(db, "UPDATE customers SET last_visit_ml = " SCHEMA_LAST_VISIT_ML("customers")
			   " WHERE last_visit_at IS NOT NULL", "noting the customers' last visits", err);
}

fc_status classify_after_visit(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			       int64_t visit_ms, classify_visit *out, fc_error *err)
{
	char now[CLOCK_ISO_LEN], recent[CLOCK_ISO_LEN], prior[CLOCK_ISO_LEN];
	clock_format_iso(visit_ms, now);
	classify_lost_since(cfg, visit_ms, recent);
	clock_format_iso(visit_ms - (int64_t)(cfg->lost_after_days + PRIOR_DAYS) * DAY_MS, prior);
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, after_visit_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, customer_id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, recent, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, prior, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		stmt_cache_done(st);
		return rc == SQLITE_DONE ? fc_error_set(err, FC_ERR_NOT_FOUND, "no customer %lld",
							(long long)customer_id)
					 : db_fail(db, rc, "classifying the customer", err);
	}
	memset(out, 0, sizeof *out);
	stability_parse((const char *)sqlite3_column_text(st, 0), &out->before);
	out->won_back = classify_won_back(out->before, (const char *)sqlite3_column_text(st, 1),
					  recent);
	int64_t recent_ml = sqlite3_column_int64(st, 2), prior_ml = sqlite3_column_int64(st, 3);
	stmt_cache_done(st);
	out->after = classify_stability(cfg, visit_ms, visit_ms, recent_ml, prior_ml);
	s = stmt_cache_get(db, after_visit_update_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, customer_id);
	sqlite3_bind_text(st, 2, stability_key(out->after), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	stmt_cache_done(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "classifying the customer", err);
}
