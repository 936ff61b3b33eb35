/* import.c — head office's rows into the live database as a bulk job
 * (store/bulk.h): every row read and checked into the job's staging
 * database first, rows the live tables already hold as they are left out;
 * then the staged rows applied in one short transaction, or, when many,
 * into shadow tables in chunks and put in place by a short switch. */
#include "import/import.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "customers/tiers.h"
#include "import/import_rows.h"
#include "store/db.h"

#define STAGE_COMMIT_ROWS 5000 /* staged rows per staging transaction */
#define PROGRESS_ROWS 4096

/* Rows of any kind, one at a time, inside the caller's transaction: each
 * kind's statements prepared when its first row comes. */
typedef struct import_session {
	import_result *res;
	import_ctx ctx[IMPORT_KIND_COUNT];
	bool open[IMPORT_KIND_COUNT];
} import_session;

struct import_run {
	sqlite3 *db;
	const fc_config *cfg;
	import_result *res;
	bulk_job *job;
	sqlite3_stmt *stage_insert;  /* a row into stage.rows */
	sqlite3_stmt *staged_key;    /* is a row of this key staged already */
	sqlite3_stmt *probe_customer, *probe_card_owner, *probe_card;
	sqlite3_stmt *owner_nature;  /* a customer's nature, staged or live */
	bool stage_open;             /* a staging transaction is open */
	int64_t stage_rows;          /* rows staged in it */
	int64_t staged;              /* rows staged in all */
	unsigned kinds;              /* 1 << kind of each kind staged */
	bool search;                 /* a staged customer is new or renamed (search) */
	bool tiers;                  /* a staged row may change a tier (history) */
	int64_t changed, inserted;   /* of the apply */
};

static void session_init(import_session *s, sqlite3 *db, const fc_config *cfg,
			 import_result *res, const bulk_job *job)
{
	memset(s, 0, sizeof *s);
	s->res = res;
	for (int k = 0; k < IMPORT_KIND_COUNT; k++) {
		s->ctx[k] = (import_ctx){ .db = db, .cfg = cfg, .kind = (import_kind)k,
					  .errors = &res->errors, .res = res, .job = job,
					  .defer_ledger = job && bulk_shadowed(job, BULK_CUSTOMERS) };
		clock_now_iso(s->ctx[k].now);
	}
}

/* Check and store one row of kind.  A bad row is noted; another failure
 * (disk full, I/O) is returned and ends the transaction. */
static fc_status session_row(import_session *s, import_kind kind, const char *const *vals,
			     fc_error *err)
{
	fc_status st = FC_OK;
	/* a card, tier or litres row finds the customers stored before it */
	if (kind != IMPORT_CUSTOMERS && s->open[IMPORT_CUSTOMERS])
		st = import_rows_flush(&s->ctx[IMPORT_CUSTOMERS], err);
	if (!st && !s->open[kind]) {
		st = import_rows_prepare(&s->ctx[kind], err);
		s->open[kind] = true; /* finished by session_end either way */
	}
	return st ? st : import_rows_apply(&s->ctx[kind], vals, err);
}

/* Store the rows still waiting (before the transaction ends). */
static fc_status session_flush(import_session *s, fc_error *err)
{
	fc_status st = FC_OK;
	for (int k = 0; k < IMPORT_KIND_COUNT && !st; k++)
		if (s->open[k])
			st = import_rows_flush(&s->ctx[k], err);
	return st;
}

static int64_t session_changed(const import_session *s)
{
	int64_t n = 0;
	for (int k = 0; k < IMPORT_KIND_COUNT; k++)
		n += s->ctx[k].changed;
	return n;
}

/* Rows in the tables of the kinds staged. */
static int64_t session_count(import_session *s, unsigned kinds)
{
	int64_t n = 0;
	for (int k = 0; k < IMPORT_KIND_COUNT; k++)
		if (kinds & (1u << k))
			n += import_rows_count_table(&s->ctx[k]);
	return n;
}

static void session_end(import_session *s)
{
	for (int k = 0; k < IMPORT_KIND_COUNT; k++)
		if (s->open[k])
			import_rows_finish(&s->ctx[k]);
}

/* The key a staged row is found by again at the switch: a customers row's
 * code, a cards or blocked row's card, a tiers or litres row's customer, a
 * holidays row's date. */
static const char *stage_key(import_kind kind, const char *const *v)
{
	switch (kind) {
	case IMPORT_CUSTOMERS:
		return v[IMPORT_CU_CODE];
	case IMPORT_CARDS:
		return v[IMPORT_CA_ID];
	case IMPORT_BLOCKED:
		return v[IMPORT_BL_ID];
	case IMPORT_TIERS:
		return v[IMPORT_TI_CUSTOMER];
	case IMPORT_LITRES:
		return v[IMPORT_LI_CUSTOMER];
	case IMPORT_HOLIDAYS:
		return v[IMPORT_HO_DATE];
	default:
		return NULL;
	}
}

#define STAGE_COLUMNS                                                                 \
	"c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17," \
	" c18, c19, c20, c21, c22"
_Static_assert(IMPORT_CU_COUNT == 23 && IMPORT_MAX_COLS >= 23, "STAGE_COLUMNS");

fc_status import_run_open(sqlite3 *db, const fc_config *cfg, const char *source, bool wait,
			  import_result *res, import_run **out, fc_error *err)
{
	*out = NULL;
	memset(res, 0, sizeof *res);
	res->errors.path = source;
	import_run *r = calloc(1, sizeof *r);
	if (!r)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	r->db = db;
	r->cfg = cfg;
	r->res = res;
	const char *path = sqlite3_db_filename(db, "main");
	fc_status s = bulk_open(db, path ? path : "", wait, &r->job, err);
	if (!s)
		s = db_exec(db, "CREATE TABLE stage.rows (seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
				" line INTEGER NOT NULL, key TEXT, " STAGE_COLUMNS ");"
				"CREATE INDEX stage.rows_key ON rows(key, kind);"
				"CREATE TABLE stage.ledger_flip (id INTEGER PRIMARY KEY, synced INTEGER)",
			    "staging the import", err);
	if (!s)
		s = db_prepare(db, "INSERT INTO stage.rows(kind, line, key, " STAGE_COLUMNS ") VALUES"
				   " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
				   " ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
			       &r->stage_insert, err);
	if (!s)
		s = db_prepare(db, "SELECT 1 FROM stage.rows WHERE kind = ?1 AND key = ?2 LIMIT 1",
			       &r->staged_key, err);
	import_ctx live = { .db = db, .cfg = cfg, .kind = IMPORT_CUSTOMERS };
	if (!s)
		s = import_customers_prepare_probe(&live, &r->probe_customer, err);
	if (!s)
		s = db_prepare(db, "SELECT id FROM customers WHERE code = ?1", &r->probe_card_owner, err);
	if (!s)
		s = db_prepare(db, "SELECT (" IMPORT_CARD_CHANGED ") FROM cards WHERE card_id = ?1",
			       &r->probe_card, err);
	if (!s)
		s = db_prepare(db, "SELECT coalesce((SELECT c2 FROM stage.rows WHERE kind = ?2 AND"
				   " key = ?1 ORDER BY seq DESC LIMIT 1), (SELECT nature FROM customers"
				   " WHERE code = ?1))", &r->owner_nature, err);
	if (s) {
		import_run_close(r);
		return s;
	}
	*out = r;
	return FC_OK;
}

void import_run_close(import_run *r)
{
	if (!r)
		return;
	sqlite3_finalize(r->stage_insert);
	sqlite3_finalize(r->staged_key);
	sqlite3_finalize(r->probe_customer);
	sqlite3_finalize(r->probe_card_owner);
	sqlite3_finalize(r->probe_card);
	sqlite3_finalize(r->owner_nature);
	bulk_close(r->job);
	free(r);
}

/* Step a read-only probe to its first row: 1 a row, 0 none; <0 failure. */
static int probe_step(import_run *r, sqlite3_stmt *st, fc_error *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc == SQLITE_ROW;
	sqlite3_reset(st);
	db_fail(r->db, rc, "reading the live tables", err);
	return -1;
}

/* Whether the live tables hold row v of kind as it is (customers and
 * cards; other kinds are few and always staged); *search: a customer new
 * or with another name, phone or plate. */
static int probe_unchanged(import_run *r, import_kind kind, const char *const *v,
			   const int64_t *nums, bool *search, fc_error *err)
{
	*search = false;
	sqlite3_stmt *st = r->staged_key;
	/* a key already staged: this row goes after it, whatever the live row */
	sqlite3_bind_int(st, 1, kind);
	sqlite3_bind_text(st, 2, stage_key(kind, v), -1, SQLITE_STATIC);
	int got = probe_step(r, st, err);
	sqlite3_reset(st);
	if (got != 0) {
		*search = kind == IMPORT_CUSTOMERS;
		return got < 0 ? -1 : 0;
	}
	if (kind == IMPORT_CUSTOMERS) {
		st = r->probe_customer;
		import_customers_bind(st, v, nums);
		got = probe_step(r, st, err);
		int unchanged = got == 1 && !sqlite3_column_int(st, 3);
		*search = got == 0 || (got == 1 && sqlite3_column_int(st, 4));
		sqlite3_reset(st);
		return got < 0 ? -1 : unchanged;
	}
	if (kind != IMPORT_CARDS)
		return 0;
	st = r->probe_card_owner;
	sqlite3_bind_text(st, 1, v[IMPORT_CA_CUSTOMER], -1, SQLITE_STATIC);
	got = probe_step(r, st, err);
	int64_t owner = got == 1 ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (got <= 0)
		return got;
	st = r->probe_card;
	sqlite3_bind_text(st, 1, v[IMPORT_CA_ID], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, owner);
	sqlite3_bind_text(st, 3, v[IMPORT_CA_KIND], -1, SQLITE_STATIC);
	if (v[IMPORT_CA_STATUS])
		sqlite3_bind_text(st, 4, v[IMPORT_CA_STATUS], -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	got = probe_step(r, st, err);
	int unchanged = got == 1 && !sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return got < 0 ? -1 : unchanged;
}

/* A cards, tiers or litres row names a customer of the live table or of a
 * row staged before it; a tiers row's tier fits that customer's nature. */
static fc_status check_owner(import_run *r, import_kind kind, const char *const *v,
			     fc_error *err)
{
	const char *code = kind == IMPORT_CARDS ? v[IMPORT_CA_CUSTOMER]
			 : kind == IMPORT_TIERS ? v[IMPORT_TI_CUSTOMER]
			 : kind == IMPORT_LITRES ? v[IMPORT_LI_CUSTOMER] : NULL;
	if (!code)
		return FC_OK;
	sqlite3_stmt *st = r->owner_nature;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, IMPORT_CUSTOMERS);
	int got = probe_step(r, st, err);
	const char *nature = got == 1 ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (got >= 0 && !nature)
		import_rows_no_customer(&r->res->errors, code);
	else if (nature && kind == IMPORT_TIERS)
		import_kind_check_tier(v[IMPORT_TI_TIER], nature, &r->res->errors);
	sqlite3_reset(st);
	return got < 0 ? err->code : FC_OK;
}

static fc_status stage_commit(import_run *r, fc_error *err)
{
	if (!r->stage_open)
		return FC_OK;
	r->stage_open = false;
	r->stage_rows = 0;
	return db_exec(r->db, "COMMIT", "staging the import", err);
}

fc_status import_run_row(import_run *r, import_kind kind, const char *const *vals, fc_error *err)
{
	int64_t nums[IMPORT_MAX_COLS] = { 0 };
	if (!import_kind_check_row(kind, vals, r->cfg, nums, &r->res->errors))
		return FC_OK;
	fc_status s = FC_OK;
	/* a deferred transaction: it writes stage only, and reads the live
	 * tables without holding their write lock */
	if (!r->stage_open) {
		s = db_exec(r->db, "BEGIN", "staging the import", err);
		r->stage_open = !s;
	}
	int64_t bad = r->res->errors.total;
	if (!s)
		s = check_owner(r, kind, vals, err);
	if (s || r->res->errors.total > bad)
		return s;
	bool search = false;
	int unchanged = probe_unchanged(r, kind, vals, nums, &search, err);
	if (unchanged < 0)
		return err->code;
	if (unchanged) {
		r->res->unchanged++;
		return FC_OK;
	}
	sqlite3_stmt *st = r->stage_insert;
	sqlite3_bind_int(st, 1, kind);
	sqlite3_bind_int64(st, 2, r->res->errors.line);
	sqlite3_bind_text(st, 3, stage_key(kind, vals), -1, SQLITE_STATIC);
	for (int i = 0; i < IMPORT_CU_COUNT; i++) {
		if (i < import_kind_column_count(kind) && vals[i])
			sqlite3_bind_text(st, 4 + i, vals[i], -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 4 + i);
	}
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(r->db, rc, "staging the import", err);
	r->staged++;
	r->kinds |= 1u << kind;
	r->search |= search;
	r->tiers |= kind == IMPORT_TIERS || (kind == IMPORT_CUSTOMERS && vals[IMPORT_CU_TIER]);
	if (++r->stage_rows >= STAGE_COMMIT_ROWS)
		s = stage_commit(r, err);
	return s;
}

/* Apply the staged rows rows gives (?1: those of seq > *last) through
 * sess until the chunk is due (chunked) or all are applied; *last moves
 * on, *done when no row is left. */
static fc_status apply_staged(import_run *r, import_session *sess, sqlite3_stmt *rows,
			      bool chunked, int64_t *last, bool *done, int64_t *applied,
			      fc_error *err)
{
	fc_status s = FC_OK;
	const char *vals[IMPORT_MAX_COLS];
	sqlite3_bind_int64(rows, 1, *last);
	*done = true;
	int rc;
	while (!s && (rc = sqlite3_step(rows)) == SQLITE_ROW) {
		*last = sqlite3_column_int64(rows, 0);
		import_kind kind = (import_kind)sqlite3_column_int(rows, 1);
		r->res->errors.line = sqlite3_column_int64(rows, 2);
		for (int i = 0; i < IMPORT_CU_COUNT; i++)
			vals[i] = (const char *)sqlite3_column_text(rows, 3 + i);
		s = session_row(sess, kind, vals, err);
		(*applied)++;
		if (chunked && bulk_chunk_due(r->job)) {
			*done = false;
			break;
		}
	}
	if (!s && *done && rc != SQLITE_DONE)
		s = db_fail(r->db, rc, "reading the staged rows", err);
	sqlite3_reset(rows);
	if (!s)
		s = session_flush(sess, err);
	return s;
}

/* Shadow the tables the staged kinds write. */
static fc_status shadow_tables(import_run *r, fc_error *err)
{
	static const struct { unsigned kinds; bulk_table table; } uses[] = {
		{ 1u << IMPORT_CUSTOMERS | 1u << IMPORT_TIERS, BULK_CUSTOMERS },
		{ 1u << IMPORT_CARDS | 1u << IMPORT_BLOCKED, BULK_CARDS },
		{ 1u << IMPORT_LITRES, BULK_CHAIN_LITRES },
		{ 1u << IMPORT_PRICES, BULK_PRICES },
		{ 1u << IMPORT_HOLIDAYS, BULK_HOLIDAYS },
	};
	fc_status s = FC_OK;
	for (size_t i = 0; !s && i < sizeof uses / sizeof uses[0]; i++)
		if (r->kinds & uses[i].kinds)
			s = bulk_shadow(r->job, uses[i].table,
					uses[i].table == BULK_CUSTOMERS && r->search, err);
	if (!s && r->tiers)
		s = bulk_shadow(r->job, BULK_TIER_HISTORY, false, err);
	return s;
}

/* Before and at the switch: the staged rows of key (rows: of the kinds
 * that write its table) applied again on top of the live row station
 * actions changed while the job ran (the job wins, as if it had come after
 * them). */
static fc_status reapply_key(import_run *r, import_session *sess, sqlite3_stmt *rows,
			     const char *key, fc_error *err)
{
	sqlite3_bind_text(rows, 2, key, -1, SQLITE_STATIC);
	int64_t last = 0, applied = 0;
	bool done;
	return apply_staged(r, sess, rows, false, &last, &done, &applied, err);
}

/* The rows of table t's keys applied again (their tier history is written
 * already): of customer ids, their customers and tiers rows; of cards,
 * their cards and blocked rows; of holidays' dates, their holidays rows. */
static fc_status reapply_keys(import_run *r, import_session *sess, sqlite3_stmt *keys,
			      bulk_table t, fc_error *err)
{
	bool customers = t == BULK_CUSTOMERS;
	import_kind a = customers ? IMPORT_CUSTOMERS : t == BULK_CARDS ? IMPORT_CARDS : IMPORT_HOLIDAYS;
	import_kind b = customers ? IMPORT_TIERS : t == BULK_CARDS ? IMPORT_BLOCKED : IMPORT_HOLIDAYS;
	sqlite3_stmt *rows = NULL, *code = NULL;
	fc_status s = db_prepare(r->db, "SELECT seq, kind, line, " STAGE_COLUMNS " FROM stage.rows"
					" WHERE seq > ?1 AND key = ?2 AND kind IN (?3, ?4) ORDER BY seq",
				 &rows, err);
	if (!s && customers)
		s = db_prepare(r->db, "SELECT code FROM customers WHERE id = ?1", &code, err);
	if (!s) {
		sqlite3_bind_int(rows, 3, a);
		sqlite3_bind_int(rows, 4, b);
	}
	for (int k = 0; k < IMPORT_KIND_COUNT; k++)
		sess->ctx[k].history_written = true;
	while (!s && sqlite3_step(keys) == SQLITE_ROW) {
		if (!customers) {
			s = reapply_key(r, sess, rows, (const char *)sqlite3_column_text(keys, 0), err);
			continue;
		}
		sqlite3_bind_int64(code, 1, sqlite3_column_int64(keys, 0));
		if (sqlite3_step(code) == SQLITE_ROW)
			s = reapply_key(r, sess, rows, (const char *)sqlite3_column_text(code, 0), err);
		sqlite3_reset(code);
	}
	for (int k = 0; k < IMPORT_KIND_COUNT; k++)
		sess->ctx[k].history_written = false;
	sqlite3_finalize(rows);
	sqlite3_finalize(code);
	return s;
}

/* The ledger flags of the balances of customers whose ledger grew while the
 * job ran (a fuelling or redemption meanwhile): noted again for the staged
 * customers rows of theirs that bring a balance. */
static fc_status resync_ledger(import_run *r, import_session *sess, int64_t ledger_max,
			       fc_error *err)
{
	if (!sess->open[IMPORT_CUSTOMERS])
		return FC_OK;
	sqlite3_stmt *ids, *rows = NULL;
	fc_status s = db_prepare(r->db, "SELECT DISTINCT c.code FROM points_ledger l JOIN customers c"
					" ON c.id = l.customer_id WHERE l.id > ?1", &ids, err);
	if (!s)
		s = db_prepare(r->db, "SELECT line, " STAGE_COLUMNS " FROM stage.rows WHERE kind = ?1"
				      " AND key = ?2 ORDER BY seq", &rows, err);
	if (s) {
		sqlite3_finalize(ids);
		return s;
	}
	sqlite3_bind_int64(ids, 1, ledger_max);
	sqlite3_bind_int(rows, 1, IMPORT_CUSTOMERS);
	const char *vals[IMPORT_MAX_COLS];
	int64_t nums[IMPORT_MAX_COLS];
	while (!s && sqlite3_step(ids) == SQLITE_ROW) {
		sqlite3_bind_text(rows, 2, (const char *)sqlite3_column_text(ids, 0), -1,
				  SQLITE_TRANSIENT);
		while (!s && sqlite3_step(rows) == SQLITE_ROW) {
			r->res->errors.line = sqlite3_column_int64(rows, 0);
			for (int i = 0; i < IMPORT_CU_COUNT; i++)
				vals[i] = (const char *)sqlite3_column_text(rows, 1 + i);
			memset(nums, 0, sizeof nums);
			if (vals[IMPORT_CU_POINTS] &&
			    import_kind_check_row(IMPORT_CUSTOMERS, vals, r->cfg, nums, &r->res->errors))
				s = import_customers_sync_ledger(&sess->ctx[IMPORT_CUSTOMERS], vals, nums,
								 err);
		}
		sqlite3_reset(rows);
	}
	sqlite3_finalize(ids);
	sqlite3_finalize(rows);
	return s;
}

/* bulk's reapply: the staged rows of the customers or cards station
 * actions changed while the job ran, again. */
typedef struct reapply_ctx {
	import_run *run;
	import_session *sess;
} reapply_ctx;

static fc_status reapply(void *user, bulk_table t, sqlite3_stmt *keys, fc_error *err)
{
	reapply_ctx *c = user;
	return reapply_keys(c->run, c->sess, keys, t, err);
}

/* Inside the switch: the ledger flags of the balances, then the caller's
 * part. */
static fc_status switch_work(import_run *r, import_session *sess, int64_t ledger_max,
			     import_finish_fn finish, void *user, fc_error *err)
{
	fc_status s = session_flush(sess, err);
	if (!s)
		s = resync_ledger(r, sess, ledger_max, err);
	if (!s)
		s = db_exec(r->db, "UPDATE points_ledger SET synced = f.synced FROM stage.ledger_flip f"
				   " WHERE points_ledger.id = f.id AND points_ledger.synced IS NOT f.synced",
			    "the balances' ledger", err);
	if (!s && r->res->errors.total)
		s = fc_error_set(err, FC_ERR_INVALID, "%s", rowfile_errors_first(&r->res->errors));
	if (!s && finish)
		s = finish(user, r->db, err);
	return s;
}

fc_status import_run_apply(import_run *r, import_finish_fn finish, void *user,
			   import_progress_fn progress, void *puser, fc_error *err)
{
	import_result *res = r->res;
	fc_status s = stage_commit(r, err);
	if (!s && res->errors.total)
		return fc_error_set(err, FC_ERR_INVALID, "%s", rowfile_errors_first(&res->errors));
	if (s)
		return s;
	bool shadow = r->staged > BULK_DIRECT_MAX;
	int64_t ledger_max = 0;
	if (shadow)
		s = shadow_tables(r, err);
	if (!s)
		s = db_query_int64(r->db, "SELECT coalesce(max(id), 0) FROM points_ledger",
				   &ledger_max, err);
	if (s)
		return s;
	import_session sess;
	session_init(&sess, r->db, r->cfg, res, shadow ? r->job : NULL);
	sqlite3_stmt *rows = NULL;
	s = db_prepare(r->db, "SELECT seq, kind, line, " STAGE_COLUMNS " FROM stage.rows"
			      " WHERE seq > ?1 ORDER BY seq", &rows, err);
	int64_t before = s ? 0 : session_count(&sess, r->kinds), last = 0, applied = 0;
	bool done = false;
	if (!s && !shadow) { /* one short transaction */
		s = db_begin(r->db, err);
		if (!s)
			s = apply_staged(r, &sess, rows, false, &last, &done, &applied, err);
		r->inserted = s ? 0 : session_count(&sess, r->kinds) - before;
		r->changed = session_changed(&sess); /* for finish */
		if (!s && res->errors.total)
			s = fc_error_set(err, FC_ERR_INVALID, "%s", rowfile_errors_first(&res->errors));
		if (!s && finish)
			s = finish(user, r->db, err);
		s = db_finish(r->db, s, err);
	}
	while (!s && shadow && !done) {
		s = bulk_chunk_begin(r->job, err);
		if (!s)
			s = apply_staged(r, &sess, rows, true, &last, &done, &applied, err);
		if (!s && res->errors.total) /* nothing applied: the shadows go */
			s = fc_error_set(err, FC_ERR_INVALID, "%s", rowfile_errors_first(&res->errors));
		s = bulk_chunk_end(r->job, s, err);
		if (progress && !s)
			progress(puser, applied, applied, r->staged);
	}
	if (!s && shadow) {
		r->inserted = session_count(&sess, r->kinds) - before;
		r->changed = session_changed(&sess); /* rows applied again below are not new */
		reapply_ctx rc = { .run = r, .sess = &sess };
		s = bulk_switch_begin(r->job, reapply, &rc, err);
		if (!s)
			s = switch_work(r, &sess, ledger_max, finish, user, err);
		s = bulk_switch_end(r->job, s, err);
	}
	sqlite3_finalize(rows);
	if (!shadow)
		r->changed = session_changed(&sess);
	session_end(&sess);
	/* natures changed without head office's tier: evaluated for the new
	 * nature now, in short transactions of their own; the import stands
	 * when this fails (the daily run evaluates them) */
	fc_error later;
	fc_error_clear(&later);
	if (!s && tiers_regrade_pending(r->db, r->cfg, clock_now_ms(), NULL, &later))
		log_msg(LOG_WARNING, "tiers of changed natures left to the daily run: %s",
			fc_error_text(&later));
	return s;
}

int64_t import_run_changed(const import_run *r)
{
	return r->changed;
}

int64_t import_run_inserted(const import_run *r)
{
	return r->inserted;
}

/* rowfile's row callback: check and stage one row of the file's kind. */
typedef struct file_ctx {
	import_run *run;
	import_kind kind;
} file_ctx;

static fc_status file_row(void *user, const char *const *vals, fc_error *err)
{
	file_ctx *f = user;
	return import_run_row(f->run, f->kind, vals, err);
}

/* The audit row of a whole import, inside its transaction (the finish of
 * its run: the last chunk or the switch). */
typedef struct import_audit_ctx {
	const fc_actor *by;
	import_kind kind;
	const char *path;
	const import_run *run;
	const import_result *res;
} import_audit_ctx;

static fc_status import_audit(void *user, sqlite3 *db, fc_error *err)
{
	const import_audit_ctx *a = user;
	const import_result *res = a->res;
	int64_t changed = import_run_changed(a->run), inserted = import_run_inserted(a->run);
	if (a->kind == IMPORT_BLOCKED)
		changed = inserted = 0;
	char detail[700];
	snprintf(detail, sizeof detail,
		 "%s %.500s: %" PRId64 " rows, %" PRId64 " inserted, %" PRId64 " updated, %" PRId64
		 " unchanged, %" PRId64 " skipped",
		 import_kind_name(a->kind), a->path, res->rows, inserted, changed - inserted,
		 res->rows - changed, res->skipped);
	return audit_record_by(db, a->by, "import", detail, err);
}

fc_status import_file(sqlite3 *db, const fc_config *cfg, import_kind kind, const char *path,
		      const fc_actor *by, import_progress_fn progress, void *user,
		      import_result *res, fc_error *err)
{
	memset(res, 0, sizeof *res);
	res->errors.path = path;
	rowfile rf;
	fc_status st = rowfile_open(&rf, path, err);
	if (st)
		return st;
	rf.unique_keys = true; /* a key twice is refused, naming both lines */
	/* A big file touches many index pages: keep them in memory (256 MiB at
	 * most) instead of reading them again and again. */
	int64_t cache = -2000;
	fc_error ignored;
	db_query_int64(db, "PRAGMA cache_size", &cache, &ignored);
	sqlite3_exec(db, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
	import_run *run = NULL;
	st = import_run_open(db, cfg, path, false, res, &run, err);
	if (st == FC_ERR_LOCKED) {
		if (progress)
			progress(user, 0, -2, 0);
		st = import_run_open(db, cfg, path, true, res, &run, err);
	}
	file_ctx f = { .run = run, .kind = kind };
	if (!st)
		st = rowfile_read(&rf, kind, &res->errors, file_row, &f, progress, user, err);
	rowfile_close(&rf);
	res->rows = rf.rows;
	import_audit_ctx a = { .by = by, .kind = kind, .path = path, .run = run, .res = res };
	if (!st)
		st = import_run_apply(run, by ? import_audit : NULL, &a, progress, user, err);
	if (!st && kind != IMPORT_BLOCKED) {
		res->inserted = import_run_inserted(run);
		res->updated = import_run_changed(run) - res->inserted;
		res->unchanged = res->rows - import_run_changed(run);
	}
	import_run_close(run);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)cache);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	return st;
}
