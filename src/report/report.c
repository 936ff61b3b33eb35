/* report.c — the monthly analysis: reads the archive's classes (brought up
 * to date with the chain's last purchase), the month's visits, callbacks
 * and complaints with the rules of classify/callback/workdays. */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care/callback.h"
#include "care/workdays.h"
#include "customers/classify.h"
#include "report/report_index.h"
#include "store/db.h"

#define REPORT_MMAP_BYTES ((int64_t)1 << 31) /* SQLite caps it at its own maximum */

fc_status report_parse_month(const char *text, char *out, fc_error *err)
{
	const char *t = text ? text : "";
	bool shape = strlen(t) == 7 && t[4] == '-';
	for (int i = 0; shape && i < 7; i++)
		if (i != 4 && (t[i] < '0' || t[i] > '9'))
			shape = false;
	if (!shape)
		return fc_error_set(err, FC_ERR_USAGE, "--month '%.40s': give the month as YYYY-MM, "
				    "e.g. 2026-06", t);
	int year = atoi(t), month = atoi(t + 5);
	if (year < 2000 || year > 2999)
		return fc_error_set(err, FC_ERR_USAGE, "--month '%s': year %d is out of 2000..2999",
				    t, year);
	if (month < 1 || month > 12)
		return fc_error_set(err, FC_ERR_USAGE, "--month '%s': month %02d is not 01..12", t,
				    month);
	snprintf(out, REPORT_MONTH_LEN, "%04d-%02d", year, month);
	return FC_OK;
}

void report_month_of(int64_t now_ms, char *out)
{
	char date[CLOCK_ISO_LEN];
	clock_local_date(now_ms, date);
	snprintf(out, REPORT_MONTH_LEN, "%.7s", date);
}

void report_month_step(const char *month, int delta, char *out)
{
	int index = atoi(month) * 12 + atoi(month + 5) - 1 + delta;
	if (index < 2000 * 12)
		index = 2000 * 12;
	if (index > 2999 * 12 + 11)
		index = 2999 * 12 + 11;
	snprintf(out, REPORT_MONTH_LEN, "%04d-%02d", index / 12, index % 12 + 1);
}

/* Local midnight at the start of the 1st of month, as UTC ISO into out. */
static fc_status month_start_iso(const char *month, char *out, fc_error *err)
{
	char first[WORKDAYS_DATE_LEN], before[WORKDAYS_DATE_LEN];
	int64_t ms;
	snprintf(first, sizeof first, "%.7s-01", month);
	fc_status s = workdays_shift_date(first, -1, before, err);
	if (!s)
		s = workdays_deadline_end_ms(before, &ms, err);
	if (!s)
		clock_format_iso(ms, out);
	return s;
}

/* Column i's text into out[n], cut to n - 1 bytes (a copy per row of a
 * million: no printf). */
static void copy_text(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	size_t len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
	if (len > n - 1)
		len = n - 1;
	memcpy(out, t ? t : "", len);
	out[len] = '\0';
}

/* Tier of columns nature (i) and tier (i + 1); false when unreadable. */
static bool column_tier(sqlite3_stmt *st, int i, fc_tier *tier)
{
	fc_nature nature;
	return nature_parse((const char *)sqlite3_column_text(st, i), &nature) &&
	       tier_parse((const char *)sqlite3_column_text(st, i + 1), nature, tier);
}

static fc_status grow(void **rows, size_t *cap, size_t count, size_t size)
{
	if (count < *cap)
		return FC_OK;
	size_t n = *cap ? *cap * 2 : 32;
	void *bigger = realloc(*rows, n * size);
	if (!bigger)
		return FC_ERR_NOMEM;
	*rows = bigger;
	*cap = n;
	return FC_OK;
}

/* classify_stability_seen in SQL, over c.stability and the last purchase
 * (CLASSIFY_LAST_PURCHASE_SQL), lost_since as ?5: the lists are filtered
 * and sorted by SQLite. */
#define SEEN_SQL                                                                  \
	"(CASE WHEN c.stability IN ('lost', 'potential') AND " CLASSIFY_LAST_PURCHASE_SQL \
	" <> '' THEN iif(" CLASSIFY_LAST_PURCHASE_SQL " < ?5, 'lost', 'current')"       \
	" ELSE c.stability END)"

/* Prepare sql and bind the month's bounds as ?1 and ?2 (and, when sql uses
 * them, the month as ?3, the station as ?4 and lost_since as ?5). */
static fc_status prepare_month(sqlite3 *db, const report_monthly *r, const char *sql,
			       sqlite3_stmt **st, fc_error *err)
{
	fc_status s = db_prepare(db, sql, st, err);
	if (s)
		return s;
	sqlite3_bind_text(*st, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 2, r->to, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(*st) >= 3)
		sqlite3_bind_text(*st, 3, r->month, -1, SQLITE_STATIC);
	return FC_OK;
}

static fc_status finish(sqlite3 *db, sqlite3_stmt *st, int rc, const char *doing, fc_error *err)
{
	sqlite3_finalize(st);
	if (rc == SQLITE_NOMEM)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory %s", doing);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, doing, err);
}

/* What one run of the analysis keeps beside its figures. */
typedef struct report_run {
	sqlite3 *db;
	const fc_config *cfg;
	const report_sink *sink;
	report_monthly *r;
	char lost_since[CLOCK_ISO_LEN];
	report_tiers tiers;      /* stored tier by customer id */
	report_counts done;      /* callbacks and visit reports in the month, by customer (sorted) */
	report_counts month_ml;  /* litres bought in the month, by customer (hash) */
	struct won_visits *won;
	int64_t list_count[REPORT_LIST_COUNT];
} report_run;

/* The month's callbacks (visit reports included: an in-person visit is a
 * callback way, domain.md; its report counts in the month of its
 * station-local visit date, as in the F8 list), counted per customer. */
static fc_status read_done(report_run *run, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = prepare_month(run->db, run->r,
		"SELECT customer_id, count(*) FROM (SELECT customer_id FROM callbacks"
		"   WHERE created_at >= ?1 AND created_at < ?2"
		" UNION ALL SELECT customer_id FROM visit_reports WHERE substr(report_date, 1, 7) = ?3)"
		" GROUP BY customer_id ORDER BY customer_id", &st, err);
	if (s)
		return s;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (grow((void **)&run->done.rows, &run->done.cap, run->done.count,
			 sizeof *run->done.rows)) {
			rc = SQLITE_NOMEM;
			break;
		}
		run->done.rows[run->done.count++] = (report_count){ sqlite3_column_int64(st, 0),
								 sqlite3_column_int64(st, 1) };
	}
	return finish(run->db, st, rc, "counting the month's callbacks", err);
}

/* One pass over every customer (table order): the counts by tier, class
 * (the stored stability brought up to date with the last purchase at any
 * station, classify_stability_seen), nature and composite class, the
 * lists' sizes, and the callbacks done in the month against
 * callback_required for the ones this station owes (callback_station_owes:
 * its tiers, its customers); the tier of every id kept for read_litres. */
static fc_status read_customers(report_run *run, fc_error *err)
{
	report_monthly *r = run->r;
	int64_t min = 0, max = 0, count = 0;
	sqlite3_stmt *st;
	fc_status s = db_prepare(run->db, "SELECT min(id), max(id), count(*) FROM customers", &st, err);
	if (s)
		return s;
	if (sqlite3_step(st) == SQLITE_ROW) {
		min = sqlite3_column_int64(st, 0);
		max = sqlite3_column_int64(st, 1);
		count = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (report_tiers_init(&run->tiers, min, max, count))
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory reading the customers");
	s = db_prepare(run->db,
		"SELECT c.id, c.nature, c.tier, c.stability, coalesce(c.composite_class, ''),"
		" coalesce(c.home_station, ''), " CLASSIFY_LAST_PURCHASE_SQL " FROM customers c",
		&st, err);
	if (s)
		return s;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fc_tier tier;
		fc_nature nature;
		fc_stability stab;
		int64_t id = sqlite3_column_int64(st, 0);
		bool stable = stability_parse((const char *)sqlite3_column_text(st, 3), &stab);
		bool tiered = column_tier(st, 1, &tier);
		if (stable)
			stab = classify_stability_seen(stab, (const char *)sqlite3_column_text(st, 6),
						       run->lost_since);
		const char *cls = (const char *)sqlite3_column_text(st, 4);
		r->customers++;
		if (tiered)
			r->by_tier[tier]++;
		if (nature_parse((const char *)sqlite3_column_text(st, 1), &nature))
			r->by_nature[nature]++;
		if (stable)
			r->by_stability[stab]++;
		r->by_composite[cls[0] >= 'A' && cls[0] <= 'C' ? cls[0] - 'A' : 3]++;
		if (report_tiers_add(&run->tiers, id, tiered ? (int)tier : -1)) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (tiered && stable && stab != STABILITY_CURRENT)
			run->list_count[stab == STABILITY_LOST ? REPORT_LIST_LOST
					: stab == STABILITY_SWING ? REPORT_LIST_SWING
								   : REPORT_LIST_POTENTIAL]++;
		if (!tiered ||
		    !callback_station_owes(run->cfg, tier, (const char *)sqlite3_column_text(st, 5)))
			continue;
		int required = callback_required(run->cfg, tier, stable ? stab : STABILITY_CURRENT);
		int64_t done = report_counts_find_sorted(&run->done, id);
		r->callback_count++;
		r->callbacks_required += required;
		r->callbacks_done += done;
		r->callbacks_met += done >= required;
	}
	return finish(run->db, st, rc, "reading the customers and their callbacks", err);
}

/* Complaints received in the month: closed in time or late, open or overdue
 * at now_ms (the deadline ends at local midnight after its date). */
static fc_status read_complaints(sqlite3 *db, int64_t now_ms, report_monthly *r, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = prepare_month(db, r,
		"SELECT deadline, status, coalesce(closed_at, '') FROM complaints"
		" WHERE received_at >= ?1 AND received_at < ?2", &st, err);
	if (s)
		return s;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t end = 0, closed_ms = 0;
		const char *deadline = (const char *)sqlite3_column_text(st, 0);
		bool closed = strcmp((const char *)sqlite3_column_text(st, 1), "closed") == 0;
		r->complaints_received++;
		if (workdays_deadline_end_ms(deadline, &end, NULL) != FC_OK)
			end = 0; /* an unreadable deadline counts as ended */
		if (closed) {
			if (!clock_parse_iso((const char *)sqlite3_column_text(st, 2), &closed_ms))
				closed_ms = end;
			if (closed_ms < end)
				r->complaints_in_time++;
			else
				r->complaints_late++;
		} else if (now_ms >= end) {
			r->complaints_overdue++;
		} else {
			r->complaints_open++;
		}
	}
	return finish(db, st, rc, "counting the complaints", err);
}

static int grade_cmp(const void *a, const void *b)
{
	return strcmp(((const report_grade *)a)->grade, ((const report_grade *)b)->grade);
}

static report_grade *grade_find(report_monthly *r, size_t *cap, const char *grade)
{
	for (size_t g = 0; g < r->grade_count; g++)
		if (strcmp(r->grades[g].grade, grade) == 0)
			return &r->grades[g];
	if (grow((void **)&r->grades, cap, r->grade_count, sizeof *r->grades))
		return NULL;
	report_grade *g = &r->grades[r->grade_count++];
	memset(g, 0, sizeof *g);
	snprintf(g->grade, sizeof g->grade, "%s", grade);
	return g;
}

/* A won-back visit (classify_after_visit marks it) seen by read_litres. */
typedef struct won_visit {
	int64_t customer_id;
	char at[CLOCK_ISO_LEN];
	char id[48];
	int64_t ml;
} won_visit;

typedef struct won_visits {
	won_visit *rows;
	size_t count, cap;
} won_visits;

/* Litres by grade and by the customer's stored tier in one pass over the
 * month's visits (visits_created); on the way, each buyer's month litres
 * and the won-back visits. */
static fc_status read_litres(report_run *run, fc_error *err)
{
	report_monthly *r = run->r;
	sqlite3_stmt *st;
	fc_status s = prepare_month(run->db, r,
		"SELECT grade, customer_id, volume_ml, won_back, created_at, id FROM visits"
		" WHERE created_at >= ?1 AND created_at < ?2", &st, err);
	if (s)
		return s;
	size_t cap = 0;
	report_grade *g = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (!g || strcmp(g->grade, name ? name : "") != 0)
			g = grade_find(r, &cap, name ? name : "");
		if (!g) {
			rc = SQLITE_NOMEM;
			break;
		}
		int64_t ml = sqlite3_column_int64(st, 2);
		int64_t id = sqlite3_column_int64(st, 1);
		int tier = sqlite3_column_type(st, 1) == SQLITE_NULL ? -2 : report_tiers_find(&run->tiers, id);
		g->volume_ml += ml;
		g->visits++;
		r->total_ml += ml;
		r->visits++;
		if (tier >= 0)
			r->tier_ml[tier] += ml;
		else
			r->anonymous_ml += ml;
		if (tier == -2)
			continue; /* anonymous, or no such customer */
		if (report_counts_add(&run->month_ml, id, ml)) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (sqlite3_column_int(st, 3) == 1) {
			won_visits *wv = run->won;
			if (grow((void **)&wv->rows, &wv->cap, wv->count, sizeof *wv->rows)) {
				rc = SQLITE_NOMEM;
				break;
			}
			won_visit *w = &wv->rows[wv->count++];
			w->customer_id = id;
			w->ml = ml;
			copy_text(st, 4, w->at, sizeof w->at);
			copy_text(st, 5, w->id, sizeof w->id);
		}
	}
	if (rc == SQLITE_DONE && r->grade_count > 1)
		qsort(r->grades, r->grade_count, sizeof *r->grades, grade_cmp);
	return finish(run->db, st, rc, "adding up the litres by grade and tier", err);
}

static int callback_ptr_cmp(const void *a, const void *b)
{
	return strcmp((*(const report_callback *const *)a)->code,
		      (*(const report_callback *const *)b)->code);
}

/* The customers this station owes callbacks, by code, each with its
 * callbacks done and required, to the sink (sorted as stream_lists'). */
static fc_status stream_callbacks(report_run *run, fc_error *err)
{
	char tiers[512] = "";
	for (int t = 0; t < TIER_COUNT; t++)
		if (callback_station_maintains((fc_tier)t))
			snprintf(tiers + strlen(tiers), sizeof tiers - strlen(tiers),
				 "%s(c.nature = '%s' AND c.tier = '%s')", tiers[0] ? " OR " : "",
				 nature_key(tier_nature((fc_tier)t)), tier_key((fc_tier)t));
	char sql[1536];
	bool memory = run->sink->rows_in_memory;
	snprintf(sql, sizeof sql,
		 "SELECT c.id, c.code, c.name, c.nature, c.tier, c.stability,"
		 " coalesce(c.home_station, ''), " CLASSIFY_LAST_PURCHASE_SQL
		 " FROM customers c WHERE (%s)%s",
		 tiers[0] ? tiers : "0", memory ? "" : " ORDER BY c.code");
	sqlite3_stmt *st;
	fc_status s = db_prepare(run->db, sql, &st, err);
	if (s)
		return s;
	report_rows rows = { .size = sizeof(report_callback) };
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		report_callback c = { .done = 0 };
		if (!column_tier(st, 3, &c.tier) ||
		    !callback_station_owes(run->cfg, c.tier, (const char *)sqlite3_column_text(st, 6)))
			continue;
		if (stability_parse((const char *)sqlite3_column_text(st, 5), &c.stability))
			c.stability = classify_stability_seen(
				c.stability, (const char *)sqlite3_column_text(st, 7), run->lost_since);
		else
			c.stability = STABILITY_CURRENT;
		c.required = callback_required(run->cfg, c.tier, c.stability);
		c.done = (int)report_counts_find_sorted(&run->done, sqlite3_column_int64(st, 0));
		copy_text(st, 1, c.code, sizeof c.code);
		copy_text(st, 2, c.name, sizeof c.name);
		s = memory ? report_rows_add(&rows, &c, err) : run->sink->callback(run->sink->user, &c, err);
		if (s)
			break;
	}
	sqlite3_finalize(st);
	if (!s && rc == SQLITE_DONE && memory) {
		s = report_rows_sort(&rows, callback_ptr_cmp, err);
		for (size_t i = 0; !s && i < rows.count; i++)
			s = run->sink->callback(run->sink->user, rows.sorted[i], err);
	}
	report_rows_free(&rows);
	if (s)
		return s;
	if (rc == SQLITE_NOMEM)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory listing the callbacks");
	return rc == SQLITE_DONE ? FC_OK : db_fail(run->db, rc, "listing the callbacks", err);
}

/* By customer, then time and visit id: a customer's first visit leads. */
static int won_visit_cmp(const void *a, const void *b)
{
	const won_visit *x = a, *y = b;
	if (x->customer_id != y->customer_id)
		return (x->customer_id > y->customer_id) - (x->customer_id < y->customer_id);
	int c = strcmp(x->at, y->at);
	return c ? c : strcmp(x->id, y->id);
}

/* By the won-back visit's time, then code. */
static int won_back_cmp(const void *a, const void *b)
{
	const report_customer *x = a, *y = b;
	int c = strcmp(x->last_at, y->last_at);
	return c ? c : strcmp(x->code, y->code);
}

/* Customers with a won-back visit in the month (from read_litres: few),
 * with the first such visit and their month litres, to the sink. */
static fc_status stream_won_back(report_run *run, fc_error *err)
{
	won_visits *wv = run->won;
	if (wv->count == 0)
		return FC_OK;
	qsort(wv->rows, wv->count, sizeof *wv->rows, won_visit_cmp);
	sqlite3_stmt *st;
	fc_status s = db_prepare(run->db, "SELECT code, name, nature, tier, stability FROM customers"
				 " WHERE id = ?1", &st, err);
	if (s)
		return s;
	report_customer *rows = NULL;
	size_t count = 0, cap = 0;
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < wv->count && rc == SQLITE_DONE; i++) {
		const won_visit *w = &wv->rows[i];
		if (i > 0 && w->customer_id == wv->rows[i - 1].customer_id)
			continue; /* not the customer's first */
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, w->customer_id);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			if (rc == SQLITE_DONE)
				continue; /* no such customer */
			break;
		}
		rc = SQLITE_DONE;
		report_customer c = { .id = w->customer_id, .last_ml = w->ml };
		if (!column_tier(st, 2, &c.tier))
			continue;
		stability_parse((const char *)sqlite3_column_text(st, 4), &c.stability);
		copy_text(st, 0, c.code, sizeof c.code);
		copy_text(st, 1, c.name, sizeof c.name);
		snprintf(c.last_at, sizeof c.last_at, "%s", w->at);
		c.month_ml = report_counts_find(&run->month_ml, c.id);
		if (grow((void **)&rows, &cap, count, sizeof c)) {
			rc = SQLITE_NOMEM;
			break;
		}
		rows[count++] = c;
	}
	s = finish(run->db, st, rc, "listing the won-back customers", err);
	if (!s && count > 1)
		qsort(rows, count, sizeof *rows, won_back_cmp);
	run->r->won_back.count = count; /* the summary said the visits' customers */
	for (size_t i = 0; !s && i < count; i++)
		s = run->sink->customer(run->sink->user, REPORT_LIST_WON_BACK, &rows[i], err);
	free(rows);
	return s;
}

/* The won-back customers' count for the summary: the customers of the
 * won-back visits that stream_won_back lists. */
static fc_status count_won_back(report_run *run, fc_error *err)
{
	won_visits *wv = run->won;
	if (wv->count > 1)
		qsort(wv->rows, wv->count, sizeof *wv->rows, won_visit_cmp);
	sqlite3_stmt *st;
	fc_status s = db_prepare(run->db, "SELECT nature, tier FROM customers WHERE id = ?1", &st, err);
	if (s)
		return s;
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < wv->count; i++) {
		if (i > 0 && wv->rows[i].customer_id == wv->rows[i - 1].customer_id)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, wv->rows[i].customer_id);
		rc = sqlite3_step(st);
		fc_tier t;
		if (rc == SQLITE_ROW && column_tier(st, 0, &t))
			run->list_count[REPORT_LIST_WON_BACK]++;
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			break;
		rc = SQLITE_DONE;
	}
	return finish(run->db, st, rc, "counting the won-back customers", err);
}

/* The lost, swing and potential customers (see stream_lists), and their order. */
#define LIST_SQL                                                                    \
	"SELECT id, code, name, nature, tier, seen, last_at, last_ml FROM ("           \
	" SELECT c.id, c.code, c.name, c.nature, c.tier, " SEEN_SQL " AS seen,"        \
	"  max(coalesce(v.created_at, ''), " CLASSIFY_LAST_PURCHASE_SQL ") AS last_at,"  \
	"  iif(v.created_at >= " CLASSIFY_LAST_PURCHASE_SQL ", v.volume_ml, 0) AS last_ml" \
	" FROM customers c LEFT JOIN visits v ON v.id = (SELECT l.id FROM visits l"     \
	"   WHERE l.customer_id = c.id ORDER BY l.created_at DESC, l.id DESC LIMIT 1)"   \
	" WHERE c.stability IN ('lost', 'swing', 'potential'))"                         \
	" WHERE seen <> 'current'"
#define LIST_ORDER \
	" ORDER BY CASE seen WHEN 'lost' THEN 0 WHEN 'swing' THEN 1 ELSE 2 END, last_at DESC, code"

static report_list_kind list_of(fc_stability s)
{
	return s == STABILITY_LOST ? REPORT_LIST_LOST : s == STABILITY_SWING ? REPORT_LIST_SWING
									   : REPORT_LIST_POTENTIAL;
}

/* LIST_ORDER, for rows sorted in memory. */
static int list_ptr_cmp(const void *a, const void *b)
{
	const report_customer *x = *(const report_customer *const *)a;
	const report_customer *y = *(const report_customer *const *)b;
	int kx = list_of(x->stability), ky = list_of(y->stability);
	if (kx != ky)
		return kx - ky;
	int c = strcmp(y->last_at, x->last_at);
	return c ? c : strcmp(x->code, y->code);
}

/* The lost, swing and potential customers, in that order, each most recent
 * purchase first, then by code, to the sink: their last purchase at any
 * station (the latest visit here, the archive's last_visit_at or head
 * office's chain_last_purchase_at, whichever is later; its volume when it
 * was a visit here), the stored stability brought up to date with it
 * (SEEN_SQL, as read_customers counts it) and their month litres.  One
 * pass, sorted by SQLite (which spills to temporary files) or, when the
 * sink allows it, in memory (a third of the time). */
static fc_status stream_lists(report_run *run, fc_error *err)
{
	bool memory = run->sink->rows_in_memory;
	sqlite3_stmt *st;
	fc_status s = prepare_month(run->db, run->r, memory ? LIST_SQL : LIST_SQL LIST_ORDER, &st, err);
	if (s)
		return s;
	report_rows rows = { .size = sizeof(report_customer) };
	sqlite3_bind_text(st, 5, run->lost_since, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		report_customer c = { .id = sqlite3_column_int64(st, 0) };
		if (!column_tier(st, 3, &c.tier) ||
		    !stability_parse((const char *)sqlite3_column_text(st, 5), &c.stability))
			continue;
		copy_text(st, 1, c.code, sizeof c.code);
		copy_text(st, 2, c.name, sizeof c.name);
		copy_text(st, 6, c.last_at, sizeof c.last_at);
		c.last_ml = sqlite3_column_int64(st, 7);
		c.month_ml = report_counts_find(&run->month_ml, c.id);
		s = memory ? report_rows_add(&rows, &c, err)
			   : run->sink->customer(run->sink->user, list_of(c.stability), &c, err);
		if (s)
			break;
	}
	sqlite3_finalize(st);
	if (!s && rc == SQLITE_DONE && memory) {
		s = report_rows_sort(&rows, list_ptr_cmp, err);
		for (size_t i = 0; !s && i < rows.count; i++) {
			const report_customer *c = rows.sorted[i];
			s = run->sink->customer(run->sink->user, list_of(c->stability), c, err);
		}
	}
	report_rows_free(&rows);
	if (s)
		return s;
	if (rc == SQLITE_NOMEM)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory listing the customers");
	return rc == SQLITE_DONE ? FC_OK
				 : db_fail(run->db, rc, "listing the lost, swing and potential customers",
					   err);
}

static fc_status no_callback(void *user, const report_callback *c, fc_error *err)
{
	(void)user, (void)c, (void)err;
	return FC_OK;
}

static fc_status no_customer(void *user, report_list_kind list, const report_customer *c,
			     fc_error *err)
{
	(void)user, (void)list, (void)c, (void)err;
	return FC_OK;
}

fc_status report_monthly_stream(sqlite3 *db, const fc_config *cfg, const char *month,
				int64_t now_ms, const report_sink *sink, report_monthly *out,
				fc_error *err)
{
	memset(out, 0, sizeof *out);
	fc_status s = report_parse_month(month, out->month, err);
	char next[REPORT_MONTH_LEN];
	if (s)
		return s;
	report_month_step(out->month, 1, next);
	clock_format_iso(now_ms, out->as_of);
	s = month_start_iso(out->month, out->from, err);
	if (!s)
		s = month_start_iso(next, out->to, err);
	if (s)
		return s;
	report_sink hooks = *sink;
	if (!hooks.callback)
		hooks.callback = no_callback;
	if (!hooks.customer)
		hooks.customer = no_customer;
	/* The report reads most of the file: through a memory map (when the
	 * sink allows it) rather than one pread() per page into the small page
	 * cache.  The connection's own setting is put back afterwards. */
	int64_t mmap_was = 0;
	char pragma[64];
	db_query_int64(db, "PRAGMA mmap_size", &mmap_was, NULL);
	snprintf(pragma, sizeof pragma, "PRAGMA mmap_size=%lld", (long long)hooks.mmap_bytes);
	sqlite3_exec(db, pragma, NULL, NULL, NULL);
	won_visits wv = { 0 };
	report_run run = { .db = db, .cfg = cfg, .sink = &hooks, .r = out, .won = &wv };
	classify_lost_since(cfg, now_ms, run.lost_since);
	int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL); /* one consistent read */
	if (rc != SQLITE_OK)
		s = db_fail(db, rc, "starting the report", err);
	if (!s)
		s = read_done(&run, err);
	if (!s)
		s = read_customers(&run, err);
	if (!s)
		s = read_litres(&run, err);
	if (!s)
		s = count_won_back(&run, err);
	if (!s)
		s = read_complaints(db, now_ms, out, err);
	if (!s) {
		out->won_back.count = (size_t)run.list_count[REPORT_LIST_WON_BACK];
		out->lost.count = (size_t)run.list_count[REPORT_LIST_LOST];
		out->swing.count = (size_t)run.list_count[REPORT_LIST_SWING];
		out->potential.count = (size_t)run.list_count[REPORT_LIST_POTENTIAL];
		report_tiers_free(&run.tiers); /* the visits are read */
	}
	if (!s && hooks.summary)
		s = hooks.summary(hooks.user, out, err);
	if (!s)
		s = stream_callbacks(&run, err);
	if (!s)
		s = stream_won_back(&run, err);
	if (!s)
		s = stream_lists(&run, err);
	report_tiers_free(&run.tiers);
	free(run.done.rows);
	free(run.month_ml.rows);
	free(wv.rows);
	if (rc == SQLITE_OK)
		sqlite3_exec(db, s ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	snprintf(pragma, sizeof pragma, "PRAGMA mmap_size=%lld", (long long)mmap_was);
	sqlite3_exec(db, pragma, NULL, NULL, NULL);
	return s;
}

/* report_monthly_compute's sink: every row kept in the report. */
typedef struct collect {
	report_monthly *r;
	size_t callbacks_cap, cap[REPORT_LIST_COUNT];
	size_t callbacks, count[REPORT_LIST_COUNT];
	report_customer *rows[REPORT_LIST_COUNT];
	report_callback *callback_rows;
} collect;

static fc_status collect_callback(void *user, const report_callback *c, fc_error *err)
{
	collect *k = user;
	if (grow((void **)&k->callback_rows, &k->callbacks_cap, k->callbacks, sizeof *c))
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory listing the callbacks");
	k->callback_rows[k->callbacks++] = *c;
	return FC_OK;
}

static fc_status collect_customer(void *user, report_list_kind list, const report_customer *c,
				  fc_error *err)
{
	collect *k = user;
	if (grow((void **)&k->rows[list], &k->cap[list], k->count[list], sizeof *c))
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory listing the customers");
	k->rows[list][k->count[list]++] = *c;
	return FC_OK;
}

fc_status report_monthly_compute(sqlite3 *db, const fc_config *cfg, const char *month,
				 int64_t now_ms, report_monthly *out, fc_error *err)
{
	collect k = { .r = out };
	report_sink sink = { .user = &k, .mmap_bytes = REPORT_MMAP_BYTES, .rows_in_memory = true,
			     .callback = collect_callback, .customer = collect_customer };
	fc_status s = report_monthly_stream(db, cfg, month, now_ms, &sink, out, err);
	out->callbacks = k.callback_rows;
	out->callback_count = k.callbacks;
	report_list *lists[REPORT_LIST_COUNT] = { &out->won_back, &out->lost, &out->swing,
						  &out->potential };
	for (int i = 0; i < REPORT_LIST_COUNT; i++) {
		lists[i]->rows = k.rows[i];
		lists[i]->count = k.count[i];
	}
	return s;
}

static void list_free(report_list *l)
{
	free(l->rows);
	l->rows = NULL;
	l->count = 0;
}

void report_monthly_free(report_monthly *r)
{
	list_free(&r->lost);
	list_free(&r->swing);
	list_free(&r->potential);
	list_free(&r->won_back);
	free(r->callbacks);
	r->callbacks = NULL;
	r->callback_count = 0;
	free(r->grades);
	r->grades = NULL;
	r->grade_count = 0;
}
