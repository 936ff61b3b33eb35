/* report.c — the monthly analysis: reads the archive's classes (brought up
 * to date with the chain's last purchase), the month's visits, callbacks
 * and complaints with the rules of classify/callback/workdays. */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "care/callback.h"
#include "care/workdays.h"
#include "customers/class_history.h"
#include "customers/classify.h"
#include "report/report_index.h"
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

/* The current month: the latest visit here is the one at last_visit_at
 * (every fuelling moves it forward), its volume kept beside it
 * (last_visit_ml, migration 15): no visit read. */
#define LAST_AT_NOW CLASSIFY_LAST_PURCHASE_SQL
#define LAST_ML_NOW                                                                  \
	"coalesce(iif(c.last_visit_at >= coalesce(c.chain_last_purchase_at, ''),"       \
	" c.last_visit_ml, 0), 0)"

/* The monthly study's answers of each customer that answered again after
 * the month's end ?3 (customers.study_at >= ?3): its latest callback or
 * visit report with answers before ?3 (rn = 1); a back-dated visit report's
 * answers count from the local midnight starting its report_date
 * (visit_report_study_at, the customer's study_at).  Empty for the current
 * month; read through customers_study_at and the records' customer index. */
#define STUDY_COLS "loss_reason, loss_reason_text, current_channel, competitor_offer, measures," \
	" responsible"
#define STUDY_ANY "coalesce(" STUDY_COLS ") IS NOT NULL"
/* (always passed to snprintf as an argument, never as its format: one %) */
#define STUDY_LATER_SQL                                                                  \
	"WITH later AS (SELECT id FROM customers WHERE study_at >= ?3),"                   \
	" answers AS (SELECT customer_id, created_at, id, " STUDY_COLS ","                 \
	"  row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, id DESC) AS rn" \
	"  FROM (SELECT customer_id, created_at, id, " STUDY_COLS " FROM callbacks"         \
	"   WHERE customer_id IN later AND created_at < ?3 AND " STUDY_ANY                  \
	"   UNION ALL SELECT customer_id, at, id, " STUDY_COLS " FROM (SELECT *,"       \
	"    iif(date(created_at, 'localtime') > report_date,"                           \
	"     strftime('%Y-%m-%dT%H:%M:%SZ', report_date, 'utc'), created_at) AS at"  \
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
 * they were given, the competitor flag and name; the first seven read as
 * NULL unless answered.  false when out of memory. */
static bool read_study(report_monthly *r, sqlite3_stmt *st, int i, bool answered,
		       report_customer *c)
{
	fc_loss_reason why;
	c->loss_reason = answered && loss_reason_parse((const char *)sqlite3_column_text(st, i), &why)
				 ? (int8_t)why : -1;
	for (int f = 0; f <= STUDY_FIELD_COUNT; f++) {
		uint32_t off = answered ? text_keep(r, (const char *)sqlite3_column_text(st, i + f)) : 0;
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
	/* The current month with the rows held in memory (the command): the
	 * callback, list and competitor rows are read in read_customers' pass
	 * (one pass over the customers instead of three), kept compact
	 * (kept_callback, kept_customer: their texts in strings), sorted and
	 * sent after the summary (emit_callbacks, emit_customers). */
	bool one_pass;
	report_rows callbacks, lists, competitors;
	arena strings;
	bool lists_keyed;        /* every list row's order key could be made */
	sqlite3_stmt *study_row; /* one_pass: STUDY_ROW_SQL, prepared when first needed */
} report_run;

/* one_pass: a callback row as read_customers keeps it until it is sent
 * (report_callback's texts in report_run.strings, as cut to its buffers):
 * 32 bytes and the texts instead of 176 for each of a million rows. */
typedef struct kept_callback {
	const char *code, *name;
	int required, done;
	uint8_t tier, stability; /* fc_tier, fc_stability */
} kept_callback;
/* a customer kept for both shares its texts (cut to the same sizes) */
_Static_assert(sizeof ((report_callback *)0)->code == sizeof ((report_customer *)0)->code &&
	       sizeof ((report_callback *)0)->name == sizeof ((report_customer *)0)->name,
	       "kept_callback and kept_customer share their code and name");

/* one_pass: a list or competitor row, as kept_callback (report_customer
 * but for its month litres, found when it is sent). */
typedef struct kept_customer {
	int64_t id, last_ml;
	uint64_t order;              /* list_order_key, when lists_keyed */
	const char *code, *name, *last_at;
	uint32_t study[STUDY_FIELD_COUNT];
	uint32_t study_at, competitor_name;
	int8_t loss_reason;
	bool competitor;
	uint8_t tier, stability;
} kept_customer;

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

/* read_customers' statement for the current month: the stored columns,
 * the expressions of the past months' (CLASSES_NOW's coalesce,
 * CLASSIFY_LAST_PURCHASE_SQL, the loss reason given) worked out by
 * read_customers in C (a million rows): 0 id, 1..4 the classes, 5 home
 * station, 6 last_visit_at, 7 competitor, 8 loss reason, 9 study_at, 10
 * chain_last_purchase_at; when one_pass (ONE_PASS_COLUMNS) what a row of
 * the callbacks and lists needs beside them for the current month
 * (keep_customer): 11 code, 12 name, 13 last_visit_ml (LAST_ML_NOW), 14
 * competitor_name.  The study's answers are read by keep_customer for the
 * few kept customers that have any (STUDY_ROW_SQL): every column of a
 * million rows costs (some 20 ns each), and most are NULL. */
#define CUSTOMERS_NOW_SQL                                                            \
	"SELECT c.id, c.nature, c.tier, c.stability, c.composite_class, c.home_station,"  \
	" c.last_visit_at, c.competitor, c.loss_reason, c.study_at, c.chain_last_purchase_at%s" \
	" FROM customers c ORDER BY c.id"
#define ONE_PASS_COLUMNS ", c.code, c.name, c.last_visit_ml, c.competitor_name"
/* read_study's columns of one customer ?1 (the current month's answers) */
#define STUDY_ROW_SQL \
	"SELECT " STUDY_COLS ", study_at, competitor, competitor_name FROM customers WHERE id = ?1"

/* The list of a drifting customer's stability. */
static report_list_kind list_of(fc_stability s)
{
	return s == STABILITY_LOST ? REPORT_LIST_LOST : s == STABILITY_SWING ? REPORT_LIST_SWING
									   : REPORT_LIST_POTENTIAL;
}

/* one_pass: column i's text cut to n - 1 bytes (copy_text into a buffer
 * of n) kept in run->strings; NULL when out of memory. */
static const char *keep_text(report_run *run, sqlite3_stmt *st, int i, size_t n)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	size_t len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
	/* (a NUL inside ends the text where it ended the buffer's) */
	return arena_text(&run->strings, t ? t : "", len < n - 1 ? len : n - 1);
}

/* The order of the lists (LIST_ORDER: lost, swing, potential, each most
 * recent purchase first) as a number: the list in the top bits, then the
 * last purchase's time ("" or an ISO time of 20 bytes,
 * "2026-12-07T03:14:20Z", whose digits compare as the text does)
 * counted down.  UINT64_MAX when the time has another shape: the rows are
 * then sorted by comparing their texts. */
static uint64_t list_order_key(fc_stability stab, const char *at)
{
	static const char shape[] = "0000-00-00T00:00:00Z";
	uint64_t t = 0; /* "": before every time */
	if (at[0]) {
		for (int i = 0; i < 20; i++) {
			if (shape[i] != '0' ? at[i] != shape[i] : at[i] < '0' || at[i] > '9')
				return UINT64_MAX;
			if (shape[i] == '0')
				t = t * 10 + (uint64_t)(at[i] - '0');
		}
		if (at[20])
			return UINT64_MAX;
		t++;
	}
	return (uint64_t)list_of(stab) << 48 | (((uint64_t)1 << 48) - 1 - t);
}

/* What read_customers' row has fetched (each column once: a call of
 * sqlite3_column_* costs, a million rows times each). */
typedef struct customer_row {
	int64_t id;                          /* column 0 */
	const char *visit, *chain, *study_at; /* columns 6, 10, 9; NULL when NULL */
	const char *last;                    /* the last purchase (LAST_AT_NOW) */
	int competitor;                      /* column 7 */
	const char *code, *name;             /* kept by keep_customer, else NULL */
} customer_row;

/* one_pass: the customer of read_customers' row st (its columns in row),
 * of a readable tier and stability (stab, as counted), kept for the lists
 * (listed: not current) and the competitor customers.  SQLITE_OK, else
 * SQLITE_NOMEM or the error reading its answers. */
static int keep_customer(report_run *run, sqlite3_stmt *st, customer_row *row,
			 fc_tier tier, fc_stability stab, bool listed, bool competitor)
{
	if (!listed && !competitor)
		return SQLITE_OK;
	int64_t id = row->id;
	const char *last = row->last;
	kept_customer k = { .id = id, .tier = (uint8_t)tier, .stability = (uint8_t)stab,
			    .loss_reason = -1 };
	k.code = keep_text(run, st, 11, sizeof ((report_customer *)0)->code);
	k.name = keep_text(run, st, 12, sizeof ((report_customer *)0)->name);
	k.last_at = arena_text(&run->strings, last, /* LAST_AT_NOW */
				       strnlen(last, CLOCK_ISO_LEN - 1));
	if (!k.code || !k.name || !k.last_at)
		return SQLITE_NOMEM;
	row->code = k.code; /* for its callback row (the same buffers' sizes) */
	row->name = k.name;
	k.order = list_order_key(stab, k.last_at);
	if (listed && k.order == UINT64_MAX)
		run->lists_keyed = false;
	if (row->visit && strcmp(row->visit, row->chain ? row->chain : "") >= 0) /* LAST_ML_NOW */
		k.last_ml = sqlite3_column_int64(st, 13);
	bool answered = row->study_at && strcmp(row->study_at, "9999") < 0;
	if (answered || competitor || sqlite3_column_type(st, 14) != SQLITE_NULL) {
		/* its answers, competitor flag and name: read_study's columns */
		int rc = run->study_row ? SQLITE_OK
			 : sqlite3_prepare_v2(run->db, STUDY_ROW_SQL, -1, &run->study_row, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_reset(run->study_row);
			sqlite3_bind_int64(run->study_row, 1, id);
			rc = sqlite3_step(run->study_row);
		}
		if (rc != SQLITE_ROW)
			return rc == SQLITE_OK || rc == SQLITE_DONE ? SQLITE_CORRUPT : rc;
		report_customer c;
		if (!read_study(run->r, run->study_row, 0, answered, &c))
			return SQLITE_NOMEM;
		memcpy(k.study, c.study, sizeof k.study);
		k.study_at = c.study_at;
		k.competitor_name = c.competitor_name;
		k.loss_reason = c.loss_reason;
		k.competitor = c.competitor;
	} /* else read_study of NULL answers, no competitor: as k is */
	return (!listed || !report_rows_add(&run->lists, &k, NULL)) &&
	       (!competitor || !report_rows_add(&run->competitors, &k, NULL)) ? SQLITE_OK
									  : SQLITE_NOMEM;
}

/* One pass over every customer (in id order): the counts by tier, class
 * (the current month: the stored stability brought up to date with the last
 * purchase at any station, classify_stability_seen; a past month: the
 * classes at its end, class_history, of the customers made before it; a
 * past month that ended before the class history began: today's classes,
 * as the current month's, of the customers made before its end), nature
 * and composite class, the lists' sizes, the drifting customers' loss
 * reasons by tier and by kind (the study's answer in force at the month's
 * end),
 * and the callbacks done in the month against callback_required for the
 * ones this station owes (callback_station_owes: its tiers, its customers);
 * the tier of every id kept for read_litres. */
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
	/* the loss reason in force at a past month's end: the stored one when
	 * given before it, else the latest answer before it (few customers
	 * answered since); the current month: the stored one */
	char sql[4096];
	if (r->history)
		snprintf(sql, sizeof sql,
			 "%s SELECT c.id, %s, coalesce(c.home_station, ''), " CLASSIFY_LAST_PURCHASE_SQL
			 ", c.competitor, " STUDY_AT("loss_reason") " FROM customers c%s"
			 " LEFT JOIN answers p ON p.customer_id = c.id AND p.rn = 1 WHERE 1%s"
			 " ORDER BY c.id", STUDY_LATER_SQL, CLASSES_SQL(r), CLASSES_JOIN(r),
			 CLASSES_WHO(r));
	else
		snprintf(sql, sizeof sql, CUSTOMERS_NOW_SQL, run->one_pass ? ONE_PASS_COLUMNS : "");
	s = prepare_month(run->db, r, sql, &st, err);
	if (s)
		return s;
	if (r->history)
		sqlite3_bind_text(st, 3, r->to, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fc_tier tier;
		fc_nature nature;
		fc_stability stab;
		customer_row row = { .id = sqlite3_column_int64(st, 0),
				     .competitor = sqlite3_column_int(st, 7) };
		int64_t id = row.id;
		bool stable = stability_parse((const char *)sqlite3_column_text(st, 3), &stab);
		bool natured = nature_parse((const char *)sqlite3_column_text(st, 1), &nature);
		bool tiered = natured && tier_parse((const char *)sqlite3_column_text(st, 2), nature,
						    &tier); /* column_tier */
		const char *last = (const char *)sqlite3_column_text(st, 6);
		const char *cls = (const char *)sqlite3_column_text(st, 4);
		const char *loss = (const char *)sqlite3_column_text(st, 8);
		if (!r->history) { /* CUSTOMERS_NOW_SQL: the expressions of the other */
			row.visit = last;
			row.chain = (const char *)sqlite3_column_text(st, 10);
			row.study_at = (const char *)sqlite3_column_text(st, 9);
			last = last ? last : "";
			last = row.chain && strcmp(row.chain, last) > 0 ? row.chain : last;
			cls = cls ? cls : "";
			loss = row.study_at ? loss : NULL;
		}
		row.last = last;
		if (stable && !r->classes_then)
			stab = classify_stability_seen(stab, last, run->lost_since);
		r->customers++;
		if (tiered)
			r->by_tier[tier]++;
		if (natured)
			r->by_nature[nature]++;
		if (stable)
			r->by_stability[stab]++;
		r->by_composite[cls[0] >= 'A' && cls[0] <= 'C' ? cls[0] - 'A' : 3]++;
		if (report_tiers_add(&run->tiers, id, tiered ? (int)tier : -1)) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (tiered && stable && row.competitor == 1)
			run->list_count[REPORT_LIST_COMPETITORS]++;
		if (tiered && stable && stab != STABILITY_CURRENT) {
			fc_loss_reason why;
			bool given = loss_reason_parse(loss, &why);
			run->list_count[stab == STABILITY_LOST ? REPORT_LIST_LOST
					: stab == STABILITY_SWING ? REPORT_LIST_SWING
								   : REPORT_LIST_POTENTIAL]++;
			r->reasons[tier][given ? (int)why : LOSS_REASON_COUNT]++;
			if (given)
				r->reason_kinds[tier][loss_reason_kind(why)]++;
		}
		if (run->one_pass && tiered && stable &&
		    (rc = keep_customer(run, st, &row, tier, stab, stab != STABILITY_CURRENT,
					row.competitor == 1)) != SQLITE_OK)
			break;
		if (!tiered ||
		    !callback_station_owes(run->cfg, tier, (const char *)sqlite3_column_text(st, 5)))
			continue;
		int required = callback_required(run->cfg, tier, stable ? stab : STABILITY_CURRENT);
		int64_t done = report_counts_find_sorted(&run->done, id);
		r->callback_count++;
		r->callbacks_required += required;
		r->callbacks_done += done;
		r->callbacks_met += done >= required;
		if (run->one_pass) { /* as stream_callbacks reads it */
			kept_callback c = { .tier = (uint8_t)tier, .required = required, .done = (int)done,
					    .stability = (uint8_t)(stable ? stab : STABILITY_CURRENT) };
			c.code = row.code ? row.code
				 : keep_text(run, st, 11, sizeof ((report_callback *)0)->code);
			c.name = row.name ? row.name
				 : keep_text(run, st, 12, sizeof ((report_callback *)0)->name);
			if (!c.code || !c.name || report_rows_add(&run->callbacks, &c, NULL)) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
	}
	sqlite3_finalize(run->study_row);
	run->study_row = NULL;
	return finish(run->db, st, rc, "reading the customers and their callbacks", err);
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
 * month's visits (visits_created, which holds the columns read: migration
 * 17, no seek into visits); on the way, each buyer's month litres
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
 * callbacks done and required, to the sink (sorted as stream_lists'), with
 * the classes read_customers counted (a past month's as at its end). */
static fc_status stream_callbacks(report_run *run, fc_error *err)
{
	const report_monthly *r = run->r;
	char tiers[512] = "";
	for (int t = 0; t < TIER_COUNT && !r->classes_then; t++)
		if (callback_station_maintains((fc_tier)t))
			snprintf(tiers + strlen(tiers), sizeof tiers - strlen(tiers),
				 "%s(c.nature = '%s' AND c.tier = '%s')", tiers[0] ? " OR " : "",
				 nature_key(tier_nature((fc_tier)t)), tier_key((fc_tier)t));
	char sql[3072];
	bool memory = run->sink->rows_in_memory;
	/* a past month with its class history: the tiers as they were, checked
	 * below (one before it: today's, as the current month's) */
	snprintf(sql, sizeof sql,
		 "SELECT c.id, c.code, c.name, %s,"
		 " coalesce(c.home_station, ''), " CLASSIFY_LAST_PURCHASE_SQL
		 " FROM customers c%s WHERE (%s)%s%s", CLASSES_SQL(r), CLASSES_JOIN(r),
		 r->classes_then ? "1" : tiers[0] ? tiers : "0", CLASSES_WHO(r),
		 memory ? "" : " ORDER BY c.code");
	sqlite3_stmt *st;
	fc_status s = prepare_month(run->db, r, sql, &st, err);
	if (s)
		return s;
	report_rows rows = { .size = sizeof(report_callback) };
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		report_callback c = { .done = 0 };
		if (!column_tier(st, 3, &c.tier) ||
		    !callback_station_owes(run->cfg, c.tier, (const char *)sqlite3_column_text(st, 7)))
			continue;
		if (!stability_parse((const char *)sqlite3_column_text(st, 5), &c.stability))
			c.stability = STABILITY_CURRENT;
		else if (!r->classes_then)
			c.stability = classify_stability_seen(
				c.stability, (const char *)sqlite3_column_text(st, 8), run->lost_since);
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

/* The won-back visits (read_litres) sorted by customer, then time: each
 * customer's first leads; the won-back customers' count for the summary
 * (those of a readable tier, as stream_won_back lists them). */
static void count_won_back(report_run *run)
{
	won_visits *wv = run->won;
	if (wv->count > 1)
		qsort(wv->rows, wv->count, sizeof *wv->rows, won_visit_cmp);
	for (size_t i = 0; i < wv->count; i++)
		if ((i == 0 || wv->rows[i].customer_id != wv->rows[i - 1].customer_id) &&
		    report_tiers_find(&run->tiers, wv->rows[i].customer_id) >= 0)
			run->list_count[REPORT_LIST_WON_BACK]++;
}

/* Customers with a won-back visit in the month (from read_litres: few),
 * with the first such visit, their month litres and the classes
 * read_customers counted (a past month's as at its end), to the sink: one
 * statement for them all (json_each of their ids). */
static fc_status stream_won_back(report_run *run, fc_error *err)
{
	won_visits *wv = run->won;
	const report_monthly *r = run->r;
	if (wv->count == 0)
		return FC_OK;
	size_t n = 0; /* each customer's first won-back visit, by customer id (sorted) */
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
	char sql[2048];
	snprintf(sql, sizeof sql,
		 "SELECT c.id, c.code, c.name, %s, " CLASSIFY_LAST_PURCHASE_SQL " FROM customers c%s"
		 " WHERE c.id IN (SELECT value FROM json_each(?1))%s", CLASSES_SQL(r), CLASSES_JOIN(r),
		 CLASSES_WHO(r));
	sqlite3_stmt *st;
	fc_status s = prepare_month(run->db, r, sql, &st, err);
	if (s) {
		free(ids.text);
		return s;
	}
	sqlite3_bind_text(st, 1, ids.text, -1, SQLITE_STATIC);
	report_customer *rows = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		size_t lo = 0, hi = n; /* its first won-back visit */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (wv->rows[mid].customer_id < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		report_customer c = { .id = id, .loss_reason = -1 };
		if (lo == n || wv->rows[lo].customer_id != id || !column_tier(st, 3, &c.tier))
			continue; /* unreadable tier */
		const won_visit *w = &wv->rows[lo];
		if (!stability_parse((const char *)sqlite3_column_text(st, 5), &c.stability))
			c.stability = STABILITY_CURRENT;
		else if (!r->classes_then)
			c.stability = classify_stability_seen(
				c.stability, (const char *)sqlite3_column_text(st, 7), run->lost_since);
		c.last_ml = w->ml;
		copy_text(st, 1, c.code, sizeof c.code);
		copy_text(st, 2, c.name, sizeof c.name);
		snprintf(c.last_at, sizeof c.last_at, "%s", w->at);
		c.month_ml = report_counts_find(&run->month_ml, c.id);
		if (grow((void **)&rows, &cap, count, sizeof c)) {
			rc = SQLITE_NOMEM;
			break;
		}
		rows[count++] = c;
	}
	s = finish(run->db, st, rc, "listing the won-back customers", err);
	free(ids.text);
	if (!s && count > 1)
		qsort(rows, count, sizeof *rows, won_back_cmp);
	run->r->won_back.count = count; /* the summary said the visits' customers */
	for (size_t i = 0; !s && i < count; i++)
		s = run->sink->customer(run->sink->user, REPORT_LIST_WON_BACK, &rows[i], err);
	free(rows);
	return s;
}

/* The lost, swing and potential customers (see stream_lists), or the
 * competitor customers: a row's columns, then those read_study reads from
 * column 8 on.  %s: STUDY_LATER_SQL; the nature, tier and class as counted
 * (seen); the class-history join; which customers. */
#define LIST_SQL                                                                     \
	"%s SELECT id, code, name, nature, tier, seen, last_at, last_ml, s1, s2, s3, s4, s5, s6," \
	" study_at, competitor, competitor_name FROM ("                                  \
	" SELECT c.id, c.code, c.name, %s AS nature, %s AS tier, %s AS seen,"            \
	"  %s AS last_at, %s AS last_ml,"                                                \
	STUDY_AT("loss_reason") " AS s1," STUDY_AT("loss_reason_text") " AS s2,"         \
	STUDY_AT("current_channel") " AS s3," STUDY_AT("competitor_offer") " AS s4,"     \
	STUDY_AT("measures") " AS s5," STUDY_AT("responsible") " AS s6,"                 \
	"  CASE WHEN c.study_at < ?3 THEN c.study_at ELSE p.created_at END AS study_at,"  \
	"  c.competitor, c.competitor_name"                                              \
	" FROM customers c%s%s"                                                          \
	" LEFT JOIN answers p ON p.customer_id = c.id AND p.rn = 1"                      \
	" WHERE %s%s)"
/* The last purchase and its volume (a visit here's, else 0).  A past
 * month: the latest visit here before its end ?3, joined as v (two seeks a
 * customer), against the archive's and head office's dates before it. */
#define LAST_VISIT_THEN                                                              \
	" LEFT JOIN visits v ON v.id = (SELECT l.id FROM visits l"                       \
	"   WHERE l.customer_id = c.id AND l.created_at < ?3"                            \
	"   ORDER BY l.created_at DESC, l.id DESC LIMIT 1)"
#define LAST_AT_THEN "max(coalesce(v.created_at, ''), " LAST_PURCHASE_BEFORE ")"
#define LAST_ML_THEN "iif(v.created_at >= " LAST_PURCHASE_BEFORE ", v.volume_ml, 0)"
#define LIST_ORDER \
	" WHERE seen <> 'current'" \
	" ORDER BY CASE seen WHEN 'lost' THEN 0 WHEN 'swing' THEN 1 ELSE 2 END, last_at DESC, code"
#define HISTORY_SEEN "coalesce(h.stability, c.stability)"

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

/* By code (the competitor customers). */
static int code_ptr_cmp(const void *a, const void *b)
{
	return strcmp((*(const report_customer *const *)a)->code,
		      (*(const report_customer *const *)b)->code);
}

/* The lost, swing and potential customers (competitors false), in that
 * order, each most recent purchase first, then by code, or the archive's
 * competitor customers by code, to the sink: their last purchase at any
 * station (the latest visit here, the archive's last_visit_at or head
 * office's chain_last_purchase_at, whichever is later, before a past
 * month's end; its volume when it was a visit here), the class
 * read_customers counted (the stored stability brought up to date with it,
 * SEEN_SQL; a past month's as at its end), their month litres and the
 * monthly study's answers in force at the month's end (a past month's
 * answers given after it set aside: STUDY_LATER_SQL, the few customers who
 * answered since).  One pass, sorted by SQLite (which spills to temporary
 * files) or, when the sink allows it, in memory (a third of the time).
 * Streamed, a row's texts are dropped once the sink has it. */
static fc_status stream_lists(report_run *run, bool competitors, fc_error *err)
{
	report_monthly *r = run->r;
	bool memory = run->sink->rows_in_memory;
	const char *who = competitors ? "c.competitor = 1"
			  : r->classes_then ? HISTORY_SEEN " IN ('lost', 'swing', 'potential')"
				       : "c.stability IN ('lost', 'swing', 'potential')";
	char sql[8192];
	int n = snprintf(sql, sizeof sql, LIST_SQL "%s", STUDY_LATER_SQL,
			 r->classes_then ? "coalesce(h.nature, c.nature)" : "c.nature",
			 r->classes_then ? "coalesce(h.tier, c.tier)" : "c.tier",
			 r->classes_then ? HISTORY_SEEN : SEEN_SQL,
			 r->history ? LAST_AT_THEN : LAST_AT_NOW, r->history ? LAST_ML_THEN : LAST_ML_NOW,
			 CLASSES_JOIN(r), r->history ? LAST_VISIT_THEN : "", who, CLASSES_WHO(r),
			 competitors ? (memory ? "" : " ORDER BY code")
				     : (memory ? " WHERE seen <> 'current'" : LIST_ORDER));
	if (n < 0 || (size_t)n >= sizeof sql)
		return fc_error_set(err, FC_ERR_NOMEM, "the list's query is too long");
	sqlite3_stmt *st;
	fc_status s = prepare_month(run->db, r, sql, &st, err);
	if (s)
		return s;
	report_rows rows = { .size = sizeof(report_customer) };
	/* the purchases and answers of a past month end with it; the current
	 * month's are every one there is */
	sqlite3_bind_text(st, 3, r->history ? r->to : "9999", -1, SQLITE_STATIC);
	if (!r->classes_then)
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
		if (!read_study(r, st, 8, true, &c)) {
			rc = SQLITE_NOMEM;
			break;
		}
		report_list_kind list = competitors ? REPORT_LIST_COMPETITORS : list_of(c.stability);
		s = memory ? report_rows_add(&rows, &c, err)
			   : run->sink->customer(run->sink->user, list, &c, err);
		if (!memory)
			r->texts_len = 0; /* the sink has had them */
		if (s)
			break;
	}
	sqlite3_finalize(st);
	if (!s && rc == SQLITE_DONE && memory) {
		s = report_rows_sort(&rows, competitors ? code_ptr_cmp : list_ptr_cmp, err);
		for (size_t i = 0; !s && i < rows.count; i++) {
			const report_customer *c = rows.sorted[i];
			s = run->sink->customer(run->sink->user,
						competitors ? REPORT_LIST_COMPETITORS
							    : list_of(c->stability), c, err);
		}
	}
	report_rows_free(&rows);
	if (s)
		return s;
	if (rc == SQLITE_NOMEM)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory listing the customers");
	return rc == SQLITE_DONE ? FC_OK
				 : db_fail(run->db, rc, competitors ? "listing the competitor customers"
						: "listing the lost, swing and potential customers", err);
}

static const char *kept_callback_code(const void *row)
{
	return ((const kept_callback *)row)->code;
}

static int kept_callback_cmp(const void *a, const void *b)
{
	return strcmp((*(const kept_callback *const *)a)->code,
		      (*(const kept_callback *const *)b)->code);
}

/* one_pass: the callback rows read_customers kept, by code, to the sink
 * (as stream_callbacks sends them); freed after. */
static fc_status emit_callbacks(report_run *run, fc_error *err)
{
	/* kept in id order: each group of codes is in order already */
	fc_status s = report_rows_sort_codes(&run->callbacks, kept_callback_code, kept_callback_cmp,
					     err);
	for (size_t i = 0; !s && i < run->callbacks.count; i++) {
		if (i + 8 < run->callbacks.count) {
			const kept_callback *ahead = run->callbacks.sorted[i + 8];
			REPORT_PREFETCH(ahead->code);
			if (i + 16 < run->callbacks.count)
				REPORT_PREFETCH(run->callbacks.sorted[i + 16]);
		}
		const kept_callback *k = run->callbacks.sorted[i];
		report_callback c = { .tier = (fc_tier)k->tier, .stability = (fc_stability)k->stability,
				      .required = k->required, .done = k->done };
		memcpy(c.code, k->code, strlen(k->code) + 1);
		memcpy(c.name, k->name, strlen(k->name) + 1);
		s = run->sink->callback(run->sink->user, &c, err);
	}
	report_rows_free(&run->callbacks);
	return s;
}

static const char *kept_customer_code(const void *row)
{
	return ((const kept_customer *)row)->code;
}

static uint64_t kept_customer_order(const void *row)
{
	return ((const kept_customer *)row)->order;
}

/* By code (the competitor customers). */
static int kept_code_cmp(const void *a, const void *b)
{
	return strcmp((*(const kept_customer *const *)a)->code,
		      (*(const kept_customer *const *)b)->code);
}

/* LIST_ORDER, for rows whose keys could not all be made. */
static int kept_list_cmp(const void *a, const void *b)
{
	const kept_customer *x = *(const kept_customer *const *)a;
	const kept_customer *y = *(const kept_customer *const *)b;
	int kx = list_of((fc_stability)x->stability), ky = list_of((fc_stability)y->stability);
	if (kx != ky)
		return kx - ky;
	int c = strcmp(y->last_at, x->last_at);
	return c ? c : strcmp(x->code, y->code);
}

/* one_pass: the list rows (or the competitor customers) read_customers
 * kept, with their month litres, in stream_lists' order, to the sink. */
static fc_status emit_customers(report_run *run, bool competitors, fc_error *err)
{
	report_rows *rows = competitors ? &run->competitors : &run->lists;
	fc_status s = competitors ? report_rows_sort_codes(rows, kept_customer_code, kept_code_cmp, err)
		      : run->lists_keyed ? report_rows_sort_keyed(rows, kept_customer_code, kept_code_cmp,
								  kept_customer_order, err)
					 : report_rows_sort(rows, kept_list_cmp, err);
	for (size_t i = 0; !s && i < rows->count; i++) {
		if (i + 8 < rows->count) {
			const kept_customer *ahead = rows->sorted[i + 8];
			REPORT_PREFETCH(ahead->code);
			REPORT_PREFETCH(ahead->last_at);
			report_counts_prefetch(&run->month_ml, ahead->id);
			if (i + 16 < rows->count)
				REPORT_PREFETCH(rows->sorted[i + 16]);
		}
		const kept_customer *k = rows->sorted[i];
		report_customer c = { .id = k->id, .tier = (fc_tier)k->tier,
				      .stability = (fc_stability)k->stability, .last_ml = k->last_ml,
				      .study_at = k->study_at, .competitor_name = k->competitor_name,
				      .loss_reason = k->loss_reason, .competitor = k->competitor };
		memcpy(c.code, k->code, strlen(k->code) + 1);
		memcpy(c.name, k->name, strlen(k->name) + 1);
		memcpy(c.last_at, k->last_at, strlen(k->last_at) + 1);
		memcpy(c.study, k->study, sizeof c.study);
		c.month_ml = report_counts_find(&run->month_ml, c.id);
		s = run->sink->customer(run->sink->user,
					competitors ? REPORT_LIST_COMPETITORS : list_of(c.stability), &c,
					err);
	}
	report_rows_free(rows);
	return s;
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
	report_run run = { .db = db, .cfg = cfg, .sink = &hooks, .r = out, .won = &wv,
			   .one_pass = hooks.rows_in_memory && !out->history,
			   .callbacks = { .size = sizeof(kept_callback) },
			   .lists = { .size = sizeof(kept_customer) },
			   .competitors = { .size = sizeof(kept_customer) }, .lists_keyed = true };
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
		count_won_back(&run);
	if (!s)
		s = read_complaints(db, now_ms, out, err);
	if (!s)
		s = report_study_read_ratings(db, out, err);
	if (!s)
		s = report_study_read_visits(db, out, err);
	if (!s) {
		out->won_back.count = (size_t)run.list_count[REPORT_LIST_WON_BACK];
		out->lost.count = (size_t)run.list_count[REPORT_LIST_LOST];
		out->swing.count = (size_t)run.list_count[REPORT_LIST_SWING];
		out->potential.count = (size_t)run.list_count[REPORT_LIST_POTENTIAL];
		out->competitors.count = (size_t)run.list_count[REPORT_LIST_COMPETITORS];
		report_tiers_free(&run.tiers); /* the visits are read */
	}
	if (!s && hooks.summary)
		s = hooks.summary(hooks.user, out, err);
	if (!s)
		s = run.one_pass ? emit_callbacks(&run, err) : stream_callbacks(&run, err);
	if (!s)
		s = stream_won_back(&run, err);
	if (!s)
		s = run.one_pass ? emit_customers(&run, false, err) : stream_lists(&run, false, err);
	if (!s)
		s = run.one_pass ? emit_customers(&run, true, err) : stream_lists(&run, true, err);
	report_tiers_free(&run.tiers);
	report_rows_free(&run.callbacks);
	report_rows_free(&run.lists);
	report_rows_free(&run.competitors);
	arena_free(&run.strings);
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
						  &out->potential, &out->competitors };
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
