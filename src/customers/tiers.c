/* tiers.c — half-year tier evaluation: litres per customer over the period,
 * thresholds of [tiers], precedence of head office, history and outbox. */
#include "customers/tiers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/bulk.h"
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

/* The outbox record 'tier_changed' of one change. */
static fc_status tier_record(sqlite3 *db, const fc_config *cfg, int64_t staff_id,
			     const char *code, const char *nature, const char *old_tier,
			     const char *new_tier, const char *period, int64_t volume_ml,
			     fc_error *err)
{
	fc_record rec;
	fc_status s = record_init(&rec, "tier_changed", err);
	if (s)
		return s;
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:s}", "customer_code",
				 code, "nature", nature, "old_tier", old_tier, "new_tier", new_tier,
				 "source", "local", "period", period, "volume_ml",
				 (json_int_t)volume_ml, "provisional", 0, "reason", "evaluated");
	if (!data)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	s = record_enqueue(db, &rec, cfg->station_id, staff_id, data, err);
	json_decref(data);
	return s;
}

/* The statements of the changes, on the tables as the job names them
 * (bulk_name: the shadows while it writes those). */
typedef struct change_writer {
	sqlite3_stmt *update, *history;
} change_writer;

static fc_status writer_prepare(sqlite3 *db, const bulk_job *job, change_writer *w,
				fc_error *err)
{
	memset(w, 0, sizeof *w);
	char *u = sqlite3_mprintf("UPDATE \"%w\" SET tier = ?2, tier_source = 'local',"
				  " tier_evaluated_at = ?3, tier_provisional = 0, updated_at = ?3"
				  " WHERE id = ?1",
				  bulk_name(job, BULK_CUSTOMERS));
	char *h = sqlite3_mprintf("INSERT INTO \"%w\"(customer_id, old_tier, new_tier, source,"
				  " period, changed_at) VALUES (?1, ?2, ?3, 'local', ?4, ?5)",
				  bulk_name(job, BULK_TIER_HISTORY));
	fc_status s = u && h ? db_prepare(db, u, &w->update, err)
			     : fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	if (!s)
		s = db_prepare(db, h, &w->history, err);
	sqlite3_free(u);
	sqlite3_free(h);
	return s;
}

static void writer_end(change_writer *w)
{
	sqlite3_finalize(w->update);
	sqlite3_finalize(w->history);
}

/* The customer's new tier and, unless history is false, its history row. */
static fc_status write_change(sqlite3 *db, change_writer *w, const tier_period *p,
			      const tier_change *c, const char *now, bool history, fc_error *err)
{
	sqlite3_bind_int64(w->update, 1, c->customer_id);
	sqlite3_bind_text(w->update, 2, tier_key(c->new_tier), -1, SQLITE_STATIC);
	sqlite3_bind_text(w->update, 3, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(w->update);
	sqlite3_reset(w->update);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "changing the tier", err);
	if (!history)
		return FC_OK;
	sqlite3_bind_int64(w->history, 1, c->customer_id);
	sqlite3_bind_text(w->history, 2, tier_key(c->old_tier), -1, SQLITE_STATIC);
	sqlite3_bind_text(w->history, 3, tier_key(c->new_tier), -1, SQLITE_STATIC);
	sqlite3_bind_text(w->history, 4, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->history, 5, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(w->history);
	sqlite3_reset(w->history);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "keeping the tier history", err);
}

/* Few changes: each with its history and record, in one short transaction. */
static fc_status apply_direct(sqlite3 *db, const fc_config *cfg, const tier_period *p,
			      int64_t staff_id, const tier_evaluation *ev, const char *now,
			      fc_error *err)
{
	change_writer w;
	fc_status s = writer_prepare(db, NULL, &w, err);
	if (!s)
		s = db_begin(db, err);
	for (size_t i = 0; !s && i < ev->count; i++) {
		const tier_change *c = &ev->changes[i];
		s = write_change(db, &w, p, c, now, true, err);
		if (!s)
			s = tier_record(db, cfg, staff_id, c->code, nature_key(tier_nature(c->new_tier)),
					tier_key(c->old_tier), tier_key(c->new_tier), p->name,
					c->volume_ml, err);
	}
	writer_end(&w);
	return db_finish(db, s, err);
}

/* The history rows of a switched evaluation whose records are not yet in
 * the outbox: meta 'tier_records' = "AFTER LAST STAFF" (history ids). */
#define RECORDS_KEY "tier_records"
#define RECORDS_CHUNK 200

static int change_by_id(const void *a, const void *b)
{
	const tier_change *const *x = a, *const *y = b;
	return ((*x)->customer_id > (*y)->customer_id) - ((*x)->customer_id < (*y)->customer_id);
}

/* bulk's reapply: the changes of customers a fuelling changed meanwhile,
 * again (their history rows are written already). */
typedef struct reapply_ctx {
	sqlite3 *db;
	change_writer *w;
	const tier_period *p;
	const tier_change **by_id; /* the changes by customer id */
	size_t count;
	const char *now;
} reapply_ctx;

static fc_status reapply(void *user, bulk_table t, sqlite3_stmt *keys, fc_error *err)
{
	reapply_ctx *c = user;
	fc_status s = FC_OK;
	while (!s && t == BULK_CUSTOMERS && sqlite3_step(keys) == SQLITE_ROW) {
		tier_change key = { .customer_id = sqlite3_column_int64(keys, 0) };
		const tier_change *k = &key, **hit = bsearch(&k, c->by_id, c->count, sizeof *c->by_id,
							      change_by_id);
		if (hit)
			s = write_change(c->db, c->w, c->p, *hit, c->now, false, err);
	}
	return s;
}

/* Many changes: customers and tier_history shadowed, the changes written
 * there in chunks, the switch (customers a fuelling changed meanwhile get
 * their change again), and the history's records noted in meta to follow. */
static fc_status apply_shadow(sqlite3 *db, bulk_job *job, const tier_period *p, int64_t staff_id,
			      const tier_evaluation *ev, const char *now, fc_error *err)
{
	fc_status s = bulk_shadow(job, BULK_CUSTOMERS, false, err);
	if (!s)
		s = bulk_shadow(job, BULK_TIER_HISTORY, false, err);
	int64_t first = 0, last = 0;
	char *q = s ? NULL : sqlite3_mprintf("SELECT coalesce(max(id), 0) FROM \"%w\"",
					     bulk_name(job, BULK_TIER_HISTORY));
	if (!s)
		s = q ? db_query_int64(db, q, &first, err)
		      : fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	change_writer w = { 0 };
	if (!s)
		s = writer_prepare(db, job, &w, err);
	for (size_t i = 0; !s && i < ev->count;) {
		s = bulk_chunk_begin(job, err);
		while (!s && i < ev->count && !bulk_chunk_due(job))
			s = write_change(db, &w, p, &ev->changes[i++], now, true, err);
		s = bulk_chunk_end(job, s, err);
	}
	if (!s)
		s = db_query_int64(db, q, &last, err);
	sqlite3_free(q);
	const tier_change **by_id = s ? NULL : malloc(ev->count * sizeof *by_id);
	if (!s && !by_id)
		s = fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	for (size_t i = 0; by_id && i < ev->count; i++)
		by_id[i] = &ev->changes[i];
	if (by_id)
		qsort(by_id, ev->count, sizeof *by_id, change_by_id);
	reapply_ctx rc = { .db = db, .w = &w, .p = p, .by_id = by_id, .count = ev->count,
			   .now = now };
	if (!s)
		s = bulk_switch_begin(job, reapply, &rc, err);
	free(by_id);
	writer_end(&w);
	if (!s) {
		char journal[96];
		snprintf(journal, sizeof journal, "%lld %lld %lld", (long long)first, (long long)last,
			 (long long)staff_id);
		s = db_meta_set(db, RECORDS_KEY, journal, err);
	}
	return bulk_switch_end(job, s, err);
}

/* The records of a switched evaluation's history rows into the outbox, a
 * chunk at a time, the journal moving with them. */
static fc_status enqueue_records(sqlite3 *db, const fc_config *cfg, bulk_job *job, fc_error *err)
{
	char journal[96];
	long long after, last, staff;
	if (!db_meta_get(db, RECORDS_KEY, journal, sizeof journal))
		return FC_OK;
	if (sscanf(journal, "%lld %lld %lld", &after, &last, &staff) != 3)
		return fc_error_set(err, FC_ERR_DB, "meta '%s' is '%s'", RECORDS_KEY, journal);
	sqlite3_stmt *rows, *volume = NULL;
	fc_status s = db_prepare(db, "SELECT h.id, c.code, c.nature, h.old_tier, h.new_tier, h.period,"
				     " c.id FROM tier_history h JOIN customers c ON c.id = h.customer_id"
				     " WHERE h.id > ?1 AND h.id <= ?2 ORDER BY h.id LIMIT ?3",
				 &rows, err);
	if (!s)
		s = db_prepare(db, "SELECT coalesce(sum(volume_ml), 0) FROM visits WHERE"
				   " customer_id = ?1 AND created_at >= ?2 AND created_at < ?3",
			       &volume, err);
	while (!s && after < last) {
		s = bulk_chunk_begin(job, err);
		sqlite3_bind_int64(rows, 1, after);
		sqlite3_bind_int64(rows, 2, last);
		sqlite3_bind_int(rows, 3, RECORDS_CHUNK);
		int64_t done = after;
		while (!s && sqlite3_step(rows) == SQLITE_ROW) {
			tier_period p;
			const char *period = (const char *)sqlite3_column_text(rows, 5);
			s = tiers_parse_period(period ? period : "", &p, err);
			sqlite3_bind_int64(volume, 1, sqlite3_column_int64(rows, 6));
			sqlite3_bind_text(volume, 2, p.from, -1, SQLITE_STATIC);
			sqlite3_bind_text(volume, 3, p.to, -1, SQLITE_STATIC);
			int64_t ml = !s && sqlite3_step(volume) == SQLITE_ROW
					     ? sqlite3_column_int64(volume, 0) : 0;
			sqlite3_reset(volume);
			if (!s)
				s = tier_record(db, cfg, staff, (const char *)sqlite3_column_text(rows, 1),
						(const char *)sqlite3_column_text(rows, 2),
						(const char *)sqlite3_column_text(rows, 3),
						(const char *)sqlite3_column_text(rows, 4), p.name, ml,
						err);
			done = sqlite3_column_int64(rows, 0);
		}
		sqlite3_reset(rows);
		if (done == after) /* none left below last */
			done = last;
		snprintf(journal, sizeof journal, "%lld %lld %lld", (long long)done, last, staff);
		if (!s)
			s = done < last ? db_meta_set(db, RECORDS_KEY, journal, err)
					: db_exec(db, "DELETE FROM meta WHERE key = '" RECORDS_KEY "'",
						  "queueing the tier records", err);
		s = bulk_chunk_end(job, s, err);
		after = done;
	}
	sqlite3_finalize(rows);
	sqlite3_finalize(volume);
	return s;
}

fc_status tiers_resume_records(sqlite3 *db, const fc_config *cfg, fc_error *err)
{
	char journal[96];
	if (!db_meta_get(db, RECORDS_KEY, journal, sizeof journal))
		return FC_OK;
	bulk_job *job;
	const char *path = sqlite3_db_filename(db, "main");
	fc_status s = bulk_open(db, path ? path : "", false, &job, err);
	if (s == FC_ERR_LOCKED)
		return FC_OK; /* the job that runs finishes them */
	if (!s)
		s = enqueue_records(db, cfg, job, err);
	bulk_close(job);
	return s;
}

fc_status tiers_evaluate(sqlite3 *db, const fc_config *cfg, const tier_period *period,
			 bool dry_run, int64_t staff_id, tier_evaluation *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	bulk_job *job = NULL;
	const char *path = sqlite3_db_filename(db, "main");
	fc_status s = dry_run ? FC_OK : bulk_open(db, path ? path : "", true, &job, err);
	if (!s && job) /* a run a crash interrupted: its records first */
		s = enqueue_records(db, cfg, job, err);
	if (!s)
		s = collect_changes(db, cfg, period, out, err);
	if (!s && out->count)
		qsort(out->changes, out->count, sizeof out->changes[0], change_order);
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	if (!s && job && out->count <= BULK_DIRECT_MAX)
		s = apply_direct(db, cfg, period, staff_id, out, now, err);
	else if (!s && job)
		s = apply_shadow(db, job, period, staff_id, out, now, err);
	if (!s && job)
		s = enqueue_records(db, cfg, job, err);
	bulk_close(job);
	return s;
}
void tiers_evaluation_free(tier_evaluation *ev)
{
	free(ev->changes);
	ev->changes = NULL;
	ev->count = 0;
}
