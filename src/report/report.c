/* report.c — the monthly analysis: reads the archive's classes (brought up
 * to date with the chain's last purchase), the month's visits, callbacks
 * and complaints with the rules of classify/callback/workdays. */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care/callback.h"
#include "care/workdays.h"
#include "customers/class_history.h"
#include "customers/classify.h"
#include "report/report_study.h"
#include "store/db.h"

#define REPORT_MMAP_BYTES ((int64_t)1 << 31) /* SQLite caps it at its own maximum */

/* A customer's nature, tier, stability and composite class ("" none): as
 * stored (the current month), or as they were at the month's end ?2 (a
 * past month: CLASS_HISTORY_JOIN_AS_OF's h, the stored ones for a customer
 * without history), and which customers count then. */
#define CLASSES_NOW "c.nature, c.tier, c.stability, coalesce(c.composite_class, '')"
#define CLASSES_THEN                                                                    \
	"coalesce(h.nature, c.nature), coalesce(h.tier, c.tier),"                        \
	" coalesce(h.stability, c.stability),"                                          \
	" coalesce(iif(h.id IS NULL, c.composite_class, h.composite_class), '')"
#define CLASSES_SQL(r) ((r)->classes_then ? CLASSES_THEN : CLASSES_NOW)
#define CLASSES_JOIN(r) ((r)->classes_then ? CLASS_HISTORY_JOIN_AS_OF("c", "?2") : "")
#define CLASSES_WHO(r) ((r)->history ? " AND c.created_at < ?2" : "")

/* The last purchase at any station before ?3 (the end of a past month, else
 * "9999": no bound), the archive's and head office's (read_lists joins the
 * latest visit here as v). */
#define LAST_PURCHASE_BEFORE                                                            \
	"max(coalesce(iif(c.last_visit_at < ?3, c.last_visit_at, NULL), ''),"            \
	" coalesce(iif(c.chain_last_purchase_at < ?3, c.chain_last_purchase_at, NULL), ''))"

/* The monthly study's answers of each customer that answered again after
 * the month's end ?3 (customers.study_at >= ?3): its latest callback or
 * visit report with answers before ?3 (rn = 1); a back-dated visit report's
 * answers count from the local midnight starting its report_date
 * (visit_report_study_at, the customer's study_at).  Empty for the current
 * month; read through customers_study_at and the records' customer index. */
#define STUDY_COLS "loss_reason, loss_reason_text, current_channel, competitor_offer, measures," \
	" responsible"
#define STUDY_ANY "coalesce(" STUDY_COLS ") IS NOT NULL"
/* (a format of snprintf: %% for %) */
#define STUDY_LATER_SQL                                                                  \
	"WITH later AS (SELECT id FROM customers WHERE study_at >= ?3),"                   \
	" answers AS (SELECT customer_id, created_at, id, " STUDY_COLS ","                 \
	"  row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, id DESC) AS rn" \
	"  FROM (SELECT customer_id, created_at, id, " STUDY_COLS " FROM callbacks"         \
	"   WHERE customer_id IN later AND created_at < ?3 AND " STUDY_ANY                  \
	"   UNION ALL SELECT customer_id, at, id, " STUDY_COLS " FROM (SELECT *,"       \
	"    iif(date(created_at, 'localtime') > report_date,"                           \
	"     strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', report_date, 'utc'), created_at) AS at"  \
	"    FROM visit_reports WHERE customer_id IN later)"                              \
	"   WHERE at < ?3 AND " STUDY_ANY "))"
/* Column X of the answers in force at ?3. */
#define STUDY_AT(X) " CASE WHEN c.study_at < ?3 THEN c." X " ELSE p." X " END"

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

fc_status report_month_start_iso(const char *month, char *out, fc_error *err)
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

static void copy_text(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	snprintf(out, n, "%s", t ? t : "");
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

/* Every customer's stored tier by id, read in the pass over the customers
 * and searched by the pass over the month's visits (no lookup per visit). */
typedef struct tier_entry {
	int64_t id;
	int64_t month_ml; /* bought in the month (read_litres) */
	int tier;         /* fc_tier, or -1 when unreadable */
	int stability;    /* fc_stability as counted (read_customers), -1 when unreadable */
} tier_entry;

typedef struct tier_index {
	tier_entry *rows;
	size_t count, cap;
} tier_index;

static int tier_entry_cmp(const void *a, const void *b)
{
	int64_t x = ((const tier_entry *)a)->id, y = ((const tier_entry *)b)->id;
	return (x > y) - (x < y);
}

/* The entry of customer id; NULL for an unknown customer. */
static tier_entry *tier_index_find(const tier_index *ix, int64_t id)
{
	if (ix->count == 0 || id < ix->rows[0].id)
		return NULL;
	/* Ids without gaps (the usual case): the entry is where its id says. */
	uint64_t guess = (uint64_t)id - (uint64_t)ix->rows[0].id;
	if (guess < ix->count && ix->rows[guess].id == id)
		return &ix->rows[guess];
	size_t lo = 0, hi = ix->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->rows[mid].id < id)
			lo = mid + 1;
		else if (ix->rows[mid].id > id)
			hi = mid;
		else
			return &ix->rows[mid];
	}
	return NULL;
}

/* Prepare sql and bind the month's bounds as ?1 and ?2. */
static fc_status prepare_month(sqlite3 *db, const report_monthly *r, const char *sql,
			       sqlite3_stmt **st, fc_error *err)
{
	fc_status s = db_prepare(db, sql, st, err);
	if (s)
		return s;
	sqlite3_bind_text(*st, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 2, r->to, -1, SQLITE_STATIC);
	return FC_OK;
}

static fc_status finish(sqlite3 *db, sqlite3_stmt *st, int rc, const char *doing, fc_error *err)
{
	sqlite3_finalize(st);
	if (rc == SQLITE_NOMEM)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory %s", doing);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, doing, err);
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(((const report_customer *)a)->code, ((const report_customer *)b)->code);
}

/* Most recent purchase first, then by code. */
static int list_cmp(const void *a, const void *b)
{
	const report_customer *x = a, *y = b;
	int c = strcmp(y->last_at, x->last_at);
	return c ? c : strcmp(x->code, y->code);
}

/* Keep text t in r->texts: its offset, 0 for NULL or "", UINT32_MAX when
 * out of memory (or past 4 GiB of texts). */
static uint32_t text_keep(report_monthly *r, const char *t)
{
	if (!t || !*t)
		return 0;
	size_t len = strlen(t);
	if ((size_t)r->texts_len + len + 2 >= UINT32_MAX)
		return UINT32_MAX;
	if (r->texts_len + len + 2 > r->texts_cap) {
		size_t n = r->texts_cap ? (size_t)r->texts_cap * 2 : 4096;
		while (n < r->texts_len + len + 2)
			n *= 2;
		n = n < UINT32_MAX ? n : UINT32_MAX - 1;
		char *bigger = realloc(r->texts, n);
		if (!bigger)
			return UINT32_MAX;
		r->texts = bigger;
		r->texts_cap = (uint32_t)n;
	}
	if (r->texts_len == 0) /* offset 0 is "" */
		r->texts[r->texts_len++] = '\0';
	uint32_t off = r->texts_len;
	memcpy(r->texts + off, t, len + 1);
	r->texts_len += (uint32_t)len + 1;
	return off;
}

const char *report_text(const report_monthly *r, uint32_t off)
{
	return off && off < r->texts_len ? r->texts + off : "";
}

/* The study columns of a list row from column i on: the six answers, when
 * they were given, the competitor flag and name.  false when out of memory. */
static bool read_study(report_monthly *r, sqlite3_stmt *st, int i, report_customer *c)
{
	fc_loss_reason why;
	c->loss_reason = loss_reason_parse((const char *)sqlite3_column_text(st, i), &why)
				 ? (int8_t)why : -1;
	for (int f = 0; f <= STUDY_FIELD_COUNT; f++) {
		uint32_t off = text_keep(r, (const char *)sqlite3_column_text(st, i + f));
		if (off == UINT32_MAX)
			return false;
		if (f < STUDY_FIELD_COUNT)
			c->study[f] = off;
		else
			c->study_at = off;
	}
	c->competitor = sqlite3_column_int(st, i + STUDY_FIELD_COUNT + 1) == 1;
	c->competitor_name = text_keep(r, (const char *)sqlite3_column_text(st, i + STUDY_FIELD_COUNT + 2));
	return c->competitor_name != UINT32_MAX;
}

typedef enum { LISTS_DRIFTING, LISTS_COMPETITORS } list_kind;

/* A JSON array of customer ids being built (for json_each: one statement
 * reads them all). */
typedef struct id_list {
	char *text; /* malloc'd, "[1,2,3" while open */
	size_t len, cap;
} id_list;

static bool id_list_add(id_list *l, int64_t id)
{
	if (l->len + 24 > l->cap) {
		size_t n = l->cap ? l->cap * 2 : 256;
		char *bigger = realloc(l->text, n);
		if (!bigger)
			return false;
		l->text = bigger;
		l->cap = n;
	}
	l->len += (size_t)snprintf(l->text + l->len, l->cap - l->len, "%s%lld",
				   l->len ? "," : "[", (long long)id);
	return true;
}

/* Close the array ("[]" when empty); false when out of memory (l freed). */
static bool id_list_close(id_list *l)
{
	if (l->len + 3 > l->cap) {
		char *bigger = realloc(l->text, l->len + 3);
		if (!bigger) {
			free(l->text);
			return false;
		}
		l->text = bigger;
		l->cap = l->len + 3;
	}
	if (!l->len)
		l->text[l->len++] = '[';
	l->text[l->len++] = ']';
	l->text[l->len] = '\0';
	return true;
}

/* The ids of the customers read_customers counted lost, swing or potential
 * into *json (malloc'd); FC_ERR_NOMEM when out of memory. */
static fc_status drifting_ids(const tier_index *ix, char **json)
{
	id_list l = { 0 };
	for (size_t i = 0; i < ix->count; i++) {
		int k = ix->rows[i].stability;
		if ((k == STABILITY_LOST || k == STABILITY_SWING || k == STABILITY_POTENTIAL) &&
		    !id_list_add(&l, ix->rows[i].id)) {
			free(l.text);
			return FC_ERR_NOMEM;
		}
	}
	if (!id_list_close(&l))
		return FC_ERR_NOMEM;
	*json = l.text;
	return FC_OK;
}

/* The lost, swing and potential customers (LISTS_DRIFTING: those
 * read_customers counted so, by their ids), or the archive's competitor
 * customers (LISTS_COMPETITORS, through the customers_competitor index;
 * for a past month those created before its end), with the tier and
 * stability read_customers gave them (ix: stored, or as they were at a past
 * month's end), their last purchase at any station (the latest visit here,
 * the archive's last_visit_at or head office's chain_last_purchase_at,
 * whichever is later, before a past month's end; its volume when it was a
 * visit here), month litres (ix, after read_litres) and the monthly study's
 * answers in force at the month's end.  The drifting customers' reasons are
 * summed by tier.  Sorted here rather than by SQLite. */
static fc_status read_lists(sqlite3 *db, const tier_index *ix, list_kind kind, report_monthly *r,
			    fc_error *err)
{
	char *ids = NULL;
	if (kind == LISTS_DRIFTING && drifting_ids(ix, &ids))
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory listing the customers");
	sqlite3_stmt *st;
	char sql[8192];
	snprintf(sql, sizeof sql,
		STUDY_LATER_SQL
		" SELECT c.id, c.code, c.name,"
		" max(coalesce(v.created_at, ''), " LAST_PURCHASE_BEFORE "),"
		" iif(v.created_at >= " LAST_PURCHASE_BEFORE ", v.volume_ml, 0),"
		STUDY_AT("loss_reason") "," STUDY_AT("loss_reason_text") ","
		STUDY_AT("current_channel") "," STUDY_AT("competitor_offer") ","
		STUDY_AT("measures") "," STUDY_AT("responsible") ","
		" CASE WHEN c.study_at < ?3 THEN c.study_at ELSE p.created_at END,"
		" c.competitor, c.competitor_name"
		" FROM customers c"
		" LEFT JOIN visits v ON v.id = (SELECT l.id FROM visits l"
		"   WHERE l.customer_id = c.id AND l.created_at < ?3"
		"   ORDER BY l.created_at DESC, l.id DESC LIMIT 1)"
		" LEFT JOIN answers p ON p.customer_id = c.id AND p.rn = 1"
		" WHERE %s", kind == LISTS_COMPETITORS ? "c.competitor = 1"
		: "c.id IN (SELECT value FROM json_each(?1))");
	fc_status s = db_prepare(db, sql, &st, err);
	if (s) {
		free(ids);
		return s;
	}
	if (ids)
		sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
	/* the purchases and answers of a past month end with it; the current
	 * month's are every one there is */
	sqlite3_bind_text(st, 3, r->history ? r->to : "9999", -1, SQLITE_STATIC);
	size_t cap[STABILITY_COUNT + 1] = { 0 };
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		report_customer c = { .id = sqlite3_column_int64(st, 0) };
		const tier_entry *e = tier_index_find(ix, c.id);
		if (!e || e->tier < 0 || e->stability < 0)
			continue; /* unreadable classes, or made after a past month */
		c.tier = (fc_tier)e->tier;
		c.stability = (fc_stability)e->stability;
		c.month_ml = e->month_ml;
		copy_text(st, 1, c.code, sizeof c.code);
		copy_text(st, 2, c.name, sizeof c.name);
		copy_text(st, 3, c.last_at, sizeof c.last_at);
		c.last_ml = sqlite3_column_int64(st, 4);
		if (!read_study(r, st, 5, &c)) {
			rc = SQLITE_NOMEM;
			break;
		}
		report_list *list = kind == LISTS_COMPETITORS	     ? &r->competitors
				    : c.stability == STABILITY_LOST  ? &r->lost
				    : c.stability == STABILITY_SWING ? &r->swing
								     : &r->potential;
		size_t *lcap = kind == LISTS_COMPETITORS ? &cap[STABILITY_COUNT] : &cap[c.stability];
		if (grow((void **)&list->rows, lcap, list->count, sizeof c)) {
			rc = SQLITE_NOMEM;
			break;
		}
		list->rows[list->count++] = c;
		if (kind == LISTS_DRIFTING)
			r->reasons[c.tier][c.loss_reason >= 0 ? c.loss_reason : LOSS_REASON_COUNT]++;
		if (kind == LISTS_DRIFTING && c.loss_reason >= 0)
			r->reason_kinds[c.tier][loss_reason_kind((fc_loss_reason)c.loss_reason)]++;
	}
	if (rc == SQLITE_DONE) {
		report_list *lists[] = { &r->lost, &r->swing, &r->potential };
		for (size_t i = 0; kind == LISTS_DRIFTING && i < sizeof lists / sizeof lists[0]; i++)
			if (lists[i]->count > 1)
				qsort(lists[i]->rows, lists[i]->count, sizeof *lists[i]->rows,
				      list_cmp);
		if (kind == LISTS_COMPETITORS && r->competitors.count > 1)
			qsort(r->competitors.rows, r->competitors.count, sizeof *r->competitors.rows,
			      code_cmp);
	}
	s = finish(db, st, rc, kind == LISTS_COMPETITORS ? "listing the competitor customers"
		   : "listing the lost, swing and potential customers", err);
	free(ids);
	return s;
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

/* Customers with a won-back visit in the month (wv, from read_litres), with
 * the first such visit and their month litres (ix). */
static fc_status read_won_back(sqlite3 *db, const tier_index *ix, won_visits *wv,
			       report_monthly *r, fc_error *err)
{
	if (wv->count == 0)
		return FC_OK;
	qsort(wv->rows, wv->count, sizeof *wv->rows, won_visit_cmp);
	size_t n = 0; /* keep each customer's first won-back visit, by customer id */
	for (size_t i = 0; i < wv->count; i++)
		if (n == 0 || wv->rows[i].customer_id != wv->rows[n - 1].customer_id)
			wv->rows[n++] = wv->rows[i];
	wv->count = n;
	id_list ids = { 0 };
	for (size_t i = 0; i < n; i++)
		if (!id_list_add(&ids, wv->rows[i].customer_id)) {
			free(ids.text);
			return fc_error_set(err, FC_ERR_NOMEM, "out of memory listing the won-back customers");
		}
	if (!id_list_close(&ids))
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory listing the won-back customers");
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT id, code, name FROM customers"
				 " WHERE id IN (SELECT value FROM json_each(?1))", &st, err);
	if (s) {
		free(ids.text);
		return s;
	}
	sqlite3_bind_text(st, 1, ids.text, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const tier_entry *e = tier_index_find(ix, id);
		size_t lo = 0, hi = n; /* its first won-back visit */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (wv->rows[mid].customer_id < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!e || e->tier < 0 || lo == n || wv->rows[lo].customer_id != id)
			continue; /* unreadable tier */
		const won_visit *w = &wv->rows[lo];
		/* the classes read_customers counted: at a past month's end, or now */
		report_customer c = { .id = id, .last_ml = w->ml, .loss_reason = -1,
				      .tier = (fc_tier)e->tier, .month_ml = e->month_ml,
				      .stability = e->stability >= 0 ? (fc_stability)e->stability
								     : STABILITY_CURRENT };
		copy_text(st, 1, c.code, sizeof c.code);
		copy_text(st, 2, c.name, sizeof c.name);
		snprintf(c.last_at, sizeof c.last_at, "%s", w->at);
		if (grow((void **)&r->won_back.rows, &cap, r->won_back.count, sizeof c)) {
			rc = SQLITE_NOMEM;
			break;
		}
		r->won_back.rows[r->won_back.count++] = c;
	}
	if (rc == SQLITE_DONE && r->won_back.count > 1)
		qsort(r->won_back.rows, r->won_back.count, sizeof *r->won_back.rows, won_back_cmp);
	s = finish(db, st, rc, "listing the won-back customers", err);
	free(ids.text);
	return s;
}

static int callback_cmp(const void *a, const void *b)
{
	return strcmp(((const report_callback *)a)->code, ((const report_callback *)b)->code);
}

/* One pass over every customer (table order): the counts by tier, class
 * (the stored stability brought up to date with the last purchase at any
 * station, classify_stability_seen), nature and composite class, and the
 * callbacks done in the month (visit reports included) against
 * callback_required for the ones this station owes (callback_station_owes:
 * its tiers, its customers).  The month's callbacks are counted once per
 * customer beforehand, not looked up per customer. */
static fc_status read_customers(sqlite3 *db, const fc_config *cfg, const char *lost_since,
				report_monthly *r, tier_index *ix, fc_error *err)
{
	sqlite3_stmt *st;
	char sql[2048];
	snprintf(sql, sizeof sql,
		"SELECT c.code, c.name, %s, coalesce(k.n, 0) + coalesce(v.n, 0), c.id,"
		" coalesce(c.home_station, ''), " CLASSIFY_LAST_PURCHASE_SQL
		" FROM customers c%s LEFT JOIN (SELECT customer_id, count(*) AS n FROM callbacks"
		"   WHERE created_at >= ?1 AND created_at < ?2 GROUP BY customer_id) k"
		"   ON k.customer_id = c.id"
		/* an in-person visit is a callback way (domain.md): its report counts,
		 * in the month of its (station-local) visit date, as in the F8 list */
		" LEFT JOIN (SELECT customer_id, count(*) AS n FROM visit_reports"
		"   WHERE substr(report_date, 1, 7) = ?3 GROUP BY customer_id) v"
		"   ON v.customer_id = c.id WHERE 1%s", /* in table order: sorted below */
		CLASSES_SQL(r), CLASSES_JOIN(r), CLASSES_WHO(r));
	fc_status s = prepare_month(db, r, sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 3, r->month, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		report_callback c = { .done = sqlite3_column_int(st, 6) };
		fc_nature nature;
		bool stable = stability_parse((const char *)sqlite3_column_text(st, 4), &c.stability);
		bool tiered = column_tier(st, 2, &c.tier);
		if (stable && !r->classes_then)
			c.stability = classify_stability_seen(
				c.stability, (const char *)sqlite3_column_text(st, 9), lost_since);
		const char *cls = (const char *)sqlite3_column_text(st, 5);
		r->customers++;
		if (tiered)
			r->by_tier[c.tier]++;
		if (nature_parse((const char *)sqlite3_column_text(st, 2), &nature))
			r->by_nature[nature]++;
		if (stable)
			r->by_stability[c.stability]++;
		r->by_composite[cls[0] >= 'A' && cls[0] <= 'C' ? cls[0] - 'A' : 3]++;
		if (grow((void **)&ix->rows, &ix->cap, ix->count, sizeof *ix->rows)) {
			rc = SQLITE_NOMEM;
			break;
		}
		ix->rows[ix->count++] = (tier_entry){ .id = sqlite3_column_int64(st, 7),
						      .tier = tiered ? (int)c.tier : -1,
						      .stability = stable ? (int)c.stability : -1 };
		if (!tiered ||
		    !callback_station_owes(cfg, c.tier, (const char *)sqlite3_column_text(st, 8)))
			continue;
		if (!stable)
			c.stability = STABILITY_CURRENT;
		c.required = callback_required(cfg, c.tier, c.stability);
		copy_text(st, 0, c.code, sizeof c.code);
		copy_text(st, 1, c.name, sizeof c.name);
		if (grow((void **)&r->callbacks, &cap, r->callback_count, sizeof c)) {
			rc = SQLITE_NOMEM;
			break;
		}
		r->callbacks[r->callback_count++] = c;
		r->callbacks_required += c.required;
		r->callbacks_done += c.done;
		r->callbacks_met += c.done >= c.required;
	}
	if (rc == SQLITE_DONE) {
		if (ix->count) /* qsort(NULL, 0, ...) is undefined: no customers yet */
			qsort(ix->rows, ix->count, sizeof *ix->rows, tier_entry_cmp);
		if (r->callback_count)
			qsort(r->callbacks, r->callback_count, sizeof *r->callbacks, callback_cmp);
	}
	return finish(db, st, rc, "reading the customers and their callbacks", err);
}

/* The handler's line of r->handlers (a new one when first seen); NULL when
 * out of memory.  Complaints of a month are few: a look along the lines. */
static report_handler *handler_find(report_monthly *r, size_t *cap, const char *handler)
{
	for (size_t i = 0; i < r->handler_count; i++)
		if (strcmp(r->handlers[i].handler, handler) == 0)
			return &r->handlers[i];
	if (grow((void **)&r->handlers, cap, r->handler_count, sizeof *r->handlers))
		return NULL;
	report_handler *h = &r->handlers[r->handler_count++];
	memset(h, 0, sizeof *h);
	snprintf(h->handler, sizeof h->handler, "%s", handler);
	return h;
}

static int handler_cmp(const void *a, const void *b)
{
	return strcmp(((const report_handler *)a)->handler, ((const report_handler *)b)->handler);
}

/* Complaints received in the month (complaints_received): closed in time
 * or late, open or overdue at now_ms (the deadline ends at local midnight
 * after its date), in total and by handler.  A suggestion has no deadline
 * and is no complaint: not counted. */
static fc_status read_complaints(sqlite3 *db, int64_t now_ms, report_monthly *r, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = prepare_month(db, r,
		"SELECT deadline, status, coalesce(closed_at, ''), coalesce(handler, '')"
		" FROM complaints WHERE kind = 'complaint' AND received_at >= ?1 AND received_at < ?2",
		&st, err);
	if (s)
		return s;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t end = 0, closed_ms = 0;
		const char *deadline = (const char *)sqlite3_column_text(st, 0);
		bool closed = strcmp((const char *)sqlite3_column_text(st, 1), "closed") == 0;
		report_handler *h = handler_find(r, &cap, (const char *)sqlite3_column_text(st, 3));
		if (!h) {
			rc = SQLITE_NOMEM;
			break;
		}
		r->complaints_received++;
		h->received++;
		if (workdays_deadline_end_ms(deadline, &end, NULL) != FC_OK)
			end = 0; /* an unreadable deadline counts as ended */
		if (closed) {
			if (!clock_parse_iso((const char *)sqlite3_column_text(st, 2), &closed_ms))
				closed_ms = end;
			if (closed_ms < end) {
				r->complaints_in_time++;
				h->in_time++;
			} else {
				r->complaints_late++;
				h->late++;
			}
		} else if (now_ms >= end) {
			r->complaints_overdue++;
			h->overdue++;
		} else {
			r->complaints_open++;
			h->open++;
		}
	}
	if (rc == SQLITE_DONE && r->handler_count > 1)
		qsort(r->handlers, r->handler_count, sizeof *r->handlers, handler_cmp);
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

/* Litres by grade and by the customer's stored tier (ix) in one pass over
 * the month's visits (visits_created); on the way, each customer's month
 * litres (ix) and the won-back visits (wv). */
static fc_status read_litres(sqlite3 *db, tier_index *ix, won_visits *wv, report_monthly *r,
			    fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = prepare_month(db, r,
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
		tier_entry *e = sqlite3_column_type(st, 1) == SQLITE_NULL
					? NULL
					: tier_index_find(ix, sqlite3_column_int64(st, 1));
		g->volume_ml += ml;
		g->visits++;
		r->total_ml += ml;
		r->visits++;
		if (e)
			e->month_ml += ml;
		if (e && e->tier >= 0)
			r->tier_ml[e->tier] += ml;
		else
			r->anonymous_ml += ml;
		if (e && sqlite3_column_int(st, 3) == 1) {
			if (grow((void **)&wv->rows, &wv->cap, wv->count, sizeof *wv->rows)) {
				rc = SQLITE_NOMEM;
				break;
			}
			won_visit *w = &wv->rows[wv->count++];
			w->customer_id = e->id;
			w->ml = ml;
			copy_text(st, 4, w->at, sizeof w->at);
			copy_text(st, 5, w->id, sizeof w->id);
		}
	}
	if (rc == SQLITE_DONE && r->grade_count > 1)
		qsort(r->grades, r->grade_count, sizeof *r->grades, grade_cmp);
	return finish(db, st, rc, "adding up the litres by grade and tier", err);
}

fc_status report_monthly_compute(sqlite3 *db, const fc_config *cfg, const char *month,
				 int64_t now_ms, report_monthly *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	fc_status s = report_parse_month(month, out->month, err);
	char next[REPORT_MONTH_LEN];
	if (s)
		return s;
	report_month_step(out->month, 1, next);
	clock_format_iso(now_ms, out->as_of);
	s = report_month_start_iso(out->month, out->from, err);
	if (!s)
		s = report_month_start_iso(next, out->to, err);
	if (s)
		return s;
	out->history = strcmp(out->to, out->as_of) < 0; /* the month has ended */
	/* its classes are known when the class history had begun by its end (a
	 * database without the mark: migrated before it was kept, trusted) */
	sqlite3_stmt *since;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'class_history_since'", -1,
			       &since, NULL) == SQLITE_OK && sqlite3_step(since) == SQLITE_ROW)
		copy_text(since, 0, out->history_since, sizeof out->history_since);
	sqlite3_finalize(since);
	out->classes_then = out->history && strcmp(out->to, out->history_since) > 0;
	/* The report reads most of the file: through a memory map rather than
	 * one pread() per page into the small page cache (3x less time on 1M
	 * customers).  The connection's own setting is put back afterwards. */
	int64_t mmap_was = 0;
	char pragma[64];
	db_query_int64(db, "PRAGMA mmap_size", &mmap_was, NULL);
	snprintf(pragma, sizeof pragma, "PRAGMA mmap_size=%lld", (long long)REPORT_MMAP_BYTES);
	sqlite3_exec(db, pragma, NULL, NULL, NULL);
	tier_index ix = { 0 };
	won_visits wv = { 0 };
	char lost_since[CLOCK_ISO_LEN];
	classify_lost_since(cfg, now_ms, lost_since);
	int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL); /* one consistent read */
	if (rc != SQLITE_OK)
		s = db_fail(db, rc, "starting the report", err);
	if (!s)
		s = read_customers(db, cfg, lost_since, out, &ix, err);
	if (!s)
		s = read_litres(db, &ix, &wv, out, err);
	if (!s)
		s = read_lists(db, &ix, LISTS_DRIFTING, out, err);
	if (!s)
		s = read_lists(db, &ix, LISTS_COMPETITORS, out, err);
	if (!s)
		s = read_won_back(db, &ix, &wv, out, err);
	if (!s)
		s = read_complaints(db, now_ms, out, err);
	if (!s)
		s = report_study_read_ratings(db, out, err);
	if (!s)
		s = report_study_read_visits(db, out, err);
	free(ix.rows);
	free(wv.rows);
	if (rc == SQLITE_OK)
		sqlite3_exec(db, s ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	snprintf(pragma, sizeof pragma, "PRAGMA mmap_size=%lld", (long long)mmap_was);
	sqlite3_exec(db, pragma, NULL, NULL, NULL);
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
	list_free(&r->competitors);
	free(r->texts);
	r->texts = NULL;
	r->texts_len = r->texts_cap = 0;
	free(r->visit_reports);
	r->visit_reports = NULL;
	r->visit_report_count = 0;
	free(r->handlers);
	r->handlers = NULL;
	r->handler_count = 0;
	free(r->callbacks);
	r->callbacks = NULL;
	r->callback_count = 0;
	free(r->grades);
	r->grades = NULL;
	r->grade_count = 0;
}
