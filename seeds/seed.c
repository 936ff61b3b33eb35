/* seed.c — writes the demo plan into the database: customers, cards, visits
 * in key order through reused statements in one transaction, then extras. */
#include "seeds/seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "care/workdays.h"
#include "customers/class_history.h"
#include "customers/classify.h"
#include "seeds/seed_extra.h"
#include "seeds/seed_plan.h"
#include "seeds/seed_rng.h"
#include "seeds/seed_text.h"
#include "store/db.h"

#define TEXT_SALT 0x74657874ULL /* "text" */
#define VISIT_SALT 0x76697369ULL
#define PROGRESS_EVERY 65536
#define MAX_INDEXES 32
#define VISIT_BATCH 32 /* visit rows per INSERT statement */
#define CUSTOMER_BATCH 16 /* customer rows per INSERT statement */
#define CUSTOMER_COLUMNS 28 /* parameters per customer row */
#define CUSTOMER_INSERT                                                                    \
	"INSERT INTO customers(id, code, name, nature, industry, stability, tier, "         \
	"tier_source, tier_evaluated_at, points_synced, points_synced_at, phone, plate, "  \
	"contact, address, fuel_grades, yearly_litres, refuel_cycle_days, other_channels, " \
	"potential_needs, person_in_charge, handler, special_needs, composite_score, "       \
	"composite_class, first_visit_at, last_visit_at, created_at, updated_at) VALUES "
#define VISIT_INSERT                                                                       \
	"INSERT INTO visits(id, created_at, card_id, customer_id, pump, grade, volume_ml, " \
	"amount_fen, price_fen_per_litre, discount_fen, tier, points_earned) VALUES "

void seed_options_defaults(seed_options *opt, const fc_config *cfg)
{
	memset(opt, 0, sizeof *opt);
	opt->seed = 1;
	opt->customers = SEED_DEFAULT_CUSTOMERS;
	opt->reference_ms = clock_now_ms();
	opt->max_visits = SEED_DEFAULT_MAX_VISITS;
	opt->cfg = cfg;
}

static void seed_progress(const seed_options *opt, const char *phase, long done, long total)
{
	if (opt->progress)
		opt->progress(opt->progress_ctx, phase, done, total);
}

/* Bind helpers: NULL for an empty string keeps optional columns NULL.
 * Text is bound SQLITE_STATIC: every buffer lives until the row's step. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static fc_status step_reset(sqlite3 *db, sqlite3_stmt *st, const char *doing, fc_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, doing, err);
}

/* Secondary indexes and triggers of the bulk tables are dropped while
 * inserting and made afterwards from their own schema text (a sort beats
 * random inserts); full-text tables fed by those triggers are rebuilt. */
typedef struct seed_indexes {
	char *sql[MAX_INDEXES];
	int count;
} seed_indexes;

static fc_status indexes_drop(sqlite3 *db, seed_indexes *ix, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT type, name, sql FROM sqlite_master WHERE type IN "
				 "('index','trigger') AND sql IS NOT NULL AND "
				 "tbl_name IN ('customers','cards','visits') AND "
				 /* rows arrive in these indexes' order: appending is cheap;
				  * visits_customer is grown as a station grows it (visits in
				  * time order, customers at random), so its leaves keep the
				  * room a station's have: a CREATE INDEX packs them full and
				  * the bench's first visits would split them */
				 "name NOT IN ('visits_created','cards_customer','visits_customer') "
				 "ORDER BY type, name",
				 &st, err);
	if (s)
		return s;
	char drop[MAX_INDEXES][160];
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW && n < MAX_INDEXES) {
		snprintf(drop[n], sizeof drop[n], "DROP %s \"%s\"",
			 strcmp((const char *)sqlite3_column_text(st, 0), "index") == 0 ? "INDEX"
											: "TRIGGER",
			 (const char *)sqlite3_column_text(st, 1));
		ix->sql[n] = strdup((const char *)sqlite3_column_text(st, 2));
		if (!ix->sql[n]) {
			sqlite3_finalize(st);
			return fc_error_set(err, FC_ERR_NOMEM, "no memory for the index list");
		}
		ix->count = ++n;
	}
	sqlite3_finalize(st);
	for (int i = 0; i < n; i++) {
		s = db_exec(db, drop[i], "dropping an index for the bulk load", err);
		if (s)
			return s;
	}
	return FC_OK;
}

static fc_status indexes_build(sqlite3 *db, seed_indexes *ix, fc_error *err)
{
	for (int i = 0; i < ix->count; i++) {
		fc_status s = db_exec(db, ix->sql[i], "building an index", err);
		if (s)
			return s;
	}
	/* External-content FTS5 tables over the bulk tables missed the rows
	 * their (dropped) triggers would have added. */
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT name FROM sqlite_master WHERE type = 'table' AND "
				 "sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' AND "
				 "(sql LIKE '%content=''customers''%' OR sql LIKE '%content=''cards''%' "
				 "OR sql LIKE '%content=''visits''%')",
				 &st, err);
	while (!s && sqlite3_step(st) == SQLITE_ROW) {
		char sql[256];
		const char *name = (const char *)sqlite3_column_text(st, 0);
		snprintf(sql, sizeof sql, "INSERT INTO \"%s\"(\"%s\") VALUES ('rebuild')", name, name);
		s = db_exec(db, sql, "building the search index", err);
	}
	sqlite3_finalize(st);
	return s;
}

static void indexes_free(seed_indexes *ix)
{
	for (int i = 0; i < ix->count; i++)
		free(ix->sql[i]);
	ix->count = 0;
}

/* Everything a customer row says beyond its plan: names and archive text. */
/* The text of one customer row; bound SQLITE_STATIC, so it must live
 * until the statement's step. */
typedef struct customer_text {
	char name[SEED_TEXT_MAX], contact[SEED_TEXT_MAX], phone[32], plate[48];
	char address[SEED_TEXT_MAX], code[64], person[SEED_TEXT_MAX * 3];
	char handler[SEED_TEXT_MAX * 3], grades[64], needs[96], want[96];
	char iso_first[CLOCK_ISO_LEN], iso_last[CLOCK_ISO_LEN], iso_ref[CLOCK_ISO_LEN];
	char iso_created[CLOCK_ISO_LEN];
} customer_text;

/* value as a percentage of full, 0..100 (classify's rounding). */
static int seed_percent_of(int64_t value, int64_t full)
{
	if (full <= 0)
		return 0;
	int64_t pc = value * 100 / full;
	return pc > 100 ? 100 : (int)pc;
}

/* The composite score of customer c as `forecourt classify` computes it
 * (classify_composite_score/_class over the same four indicators: its
 * cards, blocked cards, the litres of its visits — all within the last 365
 * days of the reference — and yearly demand), so classify right after the
 * demo changes no composite class.  cls receives the class. */
static int seed_composite(const fc_config *cfg, const seed_options *opt, const seed_plan *plan,
			  long c, int64_t yearly, char cls[2])
{
	const seed_customer *p = &plan->customers[c];
	int blocked = 0;
	for (int j = 0; j < p->ncards; j++)
		blocked += seed_card_blocked(opt, plan, c, j) != 0;
	int active = p->ncards - blocked;
	int64_t top = 2 * (int64_t)(p->nature == NATURE_BIG ? cfg->tier_big_diamond
							     : cfg->tier_ind_platinum);
	composite_input in = {
		.scale = p->company && active > 0 ? 100 : active >= 3 ? 80 : active == 2 ? 60
			 : active == 1 ? 40 : 20,
		.credit = 100 - 30 * (blocked > 3 ? 4 : blocked),
		.volume = seed_percent_of(p->total_ml / 1000, top),
		.influence = seed_percent_of(yearly, top),
	};
	if (in.credit < 0)
		in.credit = 0;
	int score = classify_composite_score(cfg, &in);
	cls[0] = classify_composite_class(cfg, score);
	cls[1] = '\0';
	return score;
}

/* Bind customer c's CUSTOMER_COLUMNS values after parameter `base` of st;
 * number is its number within its nature and industry (the code's end). */
static void bind_customer(sqlite3_stmt *st, int base, const seed_options *opt,
			  const seed_plan *plan, long c, long number, customer_text *t)
{
	const seed_customer *p = &plan->customers[c];
	const fc_config *cfg = opt->cfg;
	fc_nature nature = (fc_nature)p->nature;
	fc_tier tier = (fc_tier)p->tier;
	seed_rng r;
	char *name = t->name, *contact = t->contact, *phone = t->phone, *plate = t->plate;
	char *address = t->address, *code = t->code, *person = t->person, *handler = t->handler;
	char *grades = t->grades, *needs = t->needs, *want = t->want;
	char *iso_first = t->iso_first, *iso_last = t->iso_last, *iso_ref = t->iso_ref;
	char *iso_created = t->iso_created;
	int visits = p->na + p->nb;

	seed_rng_init(&r, opt->seed ^ TEXT_SALT, (uint64_t)c);
	seed_text_person(&r, contact, sizeof t->contact);
	if (p->company)
		seed_text_company(&r, (fc_industry)p->industry, name, sizeof t->name);
	else
		snprintf(name, sizeof t->name, "%s", contact);
	seed_text_phone(&r, phone, sizeof t->phone);
	seed_text_plate(&r, plate, sizeof t->plate);
	seed_text_address(&r, address, sizeof t->address);
	seed_text_code(cfg->station_id, (fc_industry)p->industry, nature, number, code, sizeof t->code);
	person[0] = handler[0] = needs[0] = '\0';
	if (p->company) {
		char who[SEED_TEXT_MAX], tel[32];
		seed_text_person(&r, who, sizeof who);
		seed_text_phone(&r, tel, sizeof tel);
		snprintf(person, sizeof t->person, "%s（%s）%s", who, seed_text_title(&r), tel);
		snprintf(handler, sizeof t->handler, "%s（%s）%s", contact, seed_text_title(&r), phone);
	}
	if (seed_rng_chance(&r, 15)) {
		static const char *const special[] = { "需开具增值税专用发票", "夜间加油",
						       "月结对账", "车队统一结算", "需要洗车服务" };
		snprintf(needs, sizeof t->needs, "%s", special[seed_rng_next(&r) % 5]);
	}
	snprintf(grades, sizeof t->grades, "%s", cfg->grades[p->grade]);
	int64_t yearly = visits ? p->total_ml * 2 / 1000 : seed_rng_range(&r, 500, 20000);
	char cls[2] = "";
	int score = seed_composite(cfg, opt, plan, c, yearly, cls);
	int64_t window_start = opt->reference_ms - 180 * SEED_DAY_MS;
	int64_t created = (p->first_ms ? p->first_ms : opt->reference_ms) -
			  seed_rng_range(&r, 1, 3 * 365) * SEED_DAY_MS;
	if (p->stability == STABILITY_POTENTIAL)
		created = window_start + seed_rng_range(&r, 0, 179) * SEED_DAY_MS;
	clock_format_iso(opt->reference_ms, iso_ref);
	clock_format_iso(created, iso_created);

	int i = base + 1;
	sqlite3_bind_int64(st, i++, c + 1);
	sqlite3_bind_text(st, i++, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, nature_key(nature), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, industry_key((fc_industry)p->industry), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, stability_key((fc_stability)p->stability), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, tier_key(tier), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, iso_ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, i++, seed_extra_points_balance(opt, plan, c));
	sqlite3_bind_text(st, i++, iso_ref, -1, SQLITE_STATIC);
	bind_text(st, i++, phone);
	bind_text(st, i++, plate);
	bind_text(st, i++, p->company ? contact : NULL);
	bind_text(st, i++, address);
	bind_text(st, i++, grades);
	sqlite3_bind_int64(st, i++, yearly);
	if (visits)
		sqlite3_bind_int(st, i++, 180 / visits > 0 ? 180 / visits : 1);
	else
		sqlite3_bind_null(st, i++);
	bind_text(st, i++, seed_text_channel(&r));
	if (p->stability == STABILITY_POTENTIAL) {
		snprintf(want, sizeof t->want, "预计每月用油约%d升", (int)seed_rng_range(&r, 50, 3000));
		bind_text(st, i++, want);
	} else {
		sqlite3_bind_null(st, i++);
	}
	bind_text(st, i++, person);
	bind_text(st, i++, handler);
	bind_text(st, i++, needs);
	sqlite3_bind_int(st, i++, score);
	sqlite3_bind_text(st, i++, cls, -1, SQLITE_TRANSIENT); /* cls is local */
	bind_text(st, i++, p->first_ms ? clock_format_iso(p->first_ms, iso_first) : NULL);
	bind_text(st, i++, p->last_ms ? clock_format_iso(p->last_ms, iso_last) : NULL);
	sqlite3_bind_text(st, i++, iso_created, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, iso_ref, -1, SQLITE_STATIC);
}

static fc_status insert_customers(sqlite3 *db, const seed_options *opt, const seed_plan *plan,
				  fc_error *err)
{
	/* CUSTOMER_BATCH rows per statement, then single rows for the rest. */
	static const char row[] = "(?,?,?,?,?,?,?,'local',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	char sql[CUSTOMER_BATCH * sizeof row + 512];
	int len = snprintf(sql, sizeof sql, "%s", CUSTOMER_INSERT);
	for (int r = 0; r < CUSTOMER_BATCH; r++)
		len += snprintf(sql + len, sizeof sql - (size_t)len, "%s%s", r ? "," : "", row);
	sqlite3_stmt *batch = NULL, *single = NULL;
	fc_status s = db_prepare(db, sql, &batch, err);
	if (!s)
		s = db_prepare(db, CUSTOMER_INSERT "(?,?,?,?,?,?,?,'local',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       &single, err);
	customer_text *text = malloc(CUSTOMER_BATCH * sizeof *text);
	long numbers[NATURE_COUNT][INDUSTRY_COUNT] = { { 0 } }; /* SEED_MAX_CUSTOMERS keeps
								   each under 999999 */
	if (!s && !text)
		s = fc_error_set(err, FC_ERR_NOMEM, "no memory for customer rows");
	for (long c = 0; !s && c < plan->count;) {
		int rows = plan->count - c >= CUSTOMER_BATCH ? CUSTOMER_BATCH : 1;
		sqlite3_stmt *st = rows > 1 ? batch : single;
		for (int r = 0; r < rows; r++, c++) {
			const seed_customer *p = &plan->customers[c];
			long number = ++numbers[p->nature][p->industry];
			bind_customer(st, r * CUSTOMER_COLUMNS, opt, plan, c, number, &text[r]);
			if ((c + 1) % PROGRESS_EVERY == 0 || c + 1 == plan->count)
				seed_progress(opt, "customers", c + 1, plan->count);
		}
		s = step_reset(db, st, "storing demo customers", err);
	}
	free(text);
	sqlite3_finalize(batch);
	sqlite3_finalize(single);
	return s;
}

static fc_status insert_cards(sqlite3 *db, const seed_options *opt, const seed_plan *plan,
			      fc_error *err)
{
	static const char *const reasons[] = { "挂失", "被盗", "注销", "车辆报废", "司机离职",
					       "卡片损坏已换新卡" };
	sqlite3_stmt *st;
	char iso_ref[CLOCK_ISO_LEN], card[16];
	long done = 0;
	clock_format_iso(opt->reference_ms, iso_ref);
	fc_status s = db_prepare(db,
				 "INSERT INTO cards(card_id, customer_id, kind, status, blocked_reason, "
				 "updated_at) VALUES (?,?,?,?,?,?)",
				 &st, err);
	for (long c = 0; !s && c < plan->count; c++) {
		const seed_customer *p = &plan->customers[c];
		for (int j = 0; !s && j < p->ncards; j++) {
			int blocked = seed_card_blocked(opt, plan, c, j);
			seed_card_id(opt, (long)p->first_card + j, card);
			sqlite3_bind_text(st, 1, card, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, c + 1);
			sqlite3_bind_text(st, 3, p->company ? "unit" : "personal", -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, blocked ? "blocked" : "active", -1, SQLITE_STATIC);
			if (blocked)
				sqlite3_bind_text(st, 5,
						  reasons[p->old_card ? (c % 2 ? 0 : 5)
							  : seed_hash(opt->seed, (uint64_t)c, (uint64_t)j, 7) % 5],
						  -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 6, iso_ref, -1, SQLITE_STATIC);
			s = step_reset(db, st, "storing a demo card", err);
			if (++done % PROGRESS_EVERY == 0 || done == plan->cards)
				seed_progress(opt, "cards", done, plan->cards);
		}
	}
	sqlite3_finalize(st);
	return s;
}

/* A visit to write: sorted by time so the UUIDv7 keys arrive in order. */
typedef struct visit_ref {
	int64_t ms;
	uint32_t customer;
	uint32_t k;
} visit_ref;

static int visit_ref_cmp(const void *a, const void *b)
{
	const visit_ref *x = a, *y = b;
	if (x->ms != y->ms)
		return x->ms < y->ms ? -1 : 1;
	if (x->customer != y->customer)
		return x->customer < y->customer ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

static fc_status insert_visits(sqlite3 *db, const seed_options *opt, const seed_plan *plan,
			       fc_error *err)
{
	const fc_config *cfg = opt->cfg;
	visit_ref *refs = malloc((size_t)(plan->visits ? plan->visits : 1) * sizeof *refs);
	if (!refs)
		return fc_error_set(err, FC_ERR_NOMEM, "no memory for %ld visits", plan->visits);
	long n = 0;
	for (long c = 0; c < plan->count; c++) {
		const seed_customer *p = &plan->customers[c];
		for (int k = 0; k < p->na + p->nb; k++)
			refs[n++] = (visit_ref){ seed_visit_ms(opt, plan, c, k), (uint32_t)c,
						 (uint32_t)k };
	}
	qsort(refs, (size_t)n, sizeof *refs, visit_ref_cmp);

	/* VISIT_BATCH rows per statement (fewer statement runs), then single
	 * rows for the rest; the text buffers of a batch live until its step. */
	sqlite3_stmt *batch = NULL, *single = NULL;
	char sql[VISIT_BATCH * 28 + 256];
	int len = snprintf(sql, sizeof sql, "%s", VISIT_INSERT);
	for (int r = 0; r < VISIT_BATCH; r++)
		len += snprintf(sql + len, sizeof sql - (size_t)len, "%s(?,?,?,?,?,?,?,?,?,?,?,?)",
				r ? "," : "");
	fc_status s = db_prepare(db, sql, &batch, err);
	if (!s)
		s = db_prepare(db, VISIT_INSERT "(?,?,?,?,?,?,?,?,?,?,?,?)", &single, err);
	struct {
		char id[SEED_UUID_LEN], iso[CLOCK_ISO_LEN], card[16];
	} text[VISIT_BATCH];
	for (long i = 0; !s && i < n;) {
		int rows = n - i >= VISIT_BATCH ? VISIT_BATCH : 1;
		sqlite3_stmt *st = rows > 1 ? batch : single;
		for (int r = 0; r < rows; r++, i++) {
			long c = refs[i].customer;
			int k = (int)refs[i].k;
			const seed_customer *p = &plan->customers[c];
			seed_visit_row v;
			int b = r * 12;
			uint64_t h = seed_hash(opt->seed, (uint64_t)c, (uint64_t)k, VISIT_SALT);
			seed_extra_visit_row(opt, plan, c, k, &v);
			seed_uuid(refs[i].ms, h, text[r].id);
			seed_card_id(opt, (long)p->first_card + v.card_index, text[r].card);
			clock_format_iso(refs[i].ms, text[r].iso);
			sqlite3_bind_text(st, b + 1, text[r].id, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, b + 2, text[r].iso, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, b + 3, text[r].card, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, b + 4, c + 1);
			sqlite3_bind_int(st, b + 5, v.pump);
			sqlite3_bind_text(st, b + 6, cfg->grades[v.grade], -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, b + 7, v.volume_ml);
			sqlite3_bind_int64(st, b + 8, v.amount_fen);
			sqlite3_bind_int(st, b + 9, v.price_fen);
			sqlite3_bind_int64(st, b + 10, v.discount_fen);
			sqlite3_bind_text(st, b + 11, tier_key((fc_tier)p->tier), -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, b + 12, v.points);
			if ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == n)
				seed_progress(opt, "visits", i + 1, n);
		}
		s = step_reset(db, st, "storing demo visits", err);
	}
	sqlite3_finalize(batch);
	sqlite3_finalize(single);
	free(refs);
	return s;
}

static fc_status seed_check_empty(sqlite3 *db, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT EXISTS (SELECT 1 FROM customers)", &st, err);
	if (s)
		return s;
	int rc = sqlite3_step(st);
	int any = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "checking the database is empty", err);
	if (any)
		return fc_error_set(err, FC_ERR_EXISTS,
				    "the database already has customers: demo data goes only "
				    "into an empty database");
	return FC_OK;
}

static fc_status seed_fill(sqlite3 *db, const seed_options *opt, const seed_plan *plan,
			   fc_error *err)
{
	seed_indexes ix = { .count = 0 };
	fc_status s = indexes_drop(db, &ix, err);
	if (!s)
		s = insert_customers(db, opt, plan, err);
	if (!s)
		s = insert_cards(db, opt, plan, err);
	if (!s)
		s = insert_visits(db, opt, plan, err);
	if (!s) {
		seed_progress(opt, "indexes", 0, ix.count);
		s = indexes_build(db, &ix, err);
		seed_progress(opt, "indexes", ix.count, ix.count);
	}
	indexes_free(&ix);
	if (!s) /* the customers' first classes: their trigger was dropped for the load */
		s = class_history_fill(db, err);
	if (!s)
		s = seed_extra_prices(db, opt, err);
	if (!s)
		s = seed_extra_complaints(db, opt, plan, err);
	if (!s)
		s = seed_extra_meta(db, opt, plan, err);
	return s;
}

fc_status seed_generate(sqlite3 *db, const seed_options *opt, fc_error *err)
{
	if (opt->customers < 1 || opt->customers > SEED_MAX_CUSTOMERS)
		return fc_error_set(err, FC_ERR_USAGE, "customers must be 1..%d, not %ld",
				    SEED_MAX_CUSTOMERS, opt->customers);
	if (opt->max_visits < 4 || opt->max_visits > 200)
		return fc_error_set(err, FC_ERR_USAGE, "max visits must be 4..200, not %d",
				    opt->max_visits);
	fc_status s = seed_check_empty(db, err);
	if (s)
		return s;
	if (opt->holidays_path) {
		int loaded = 0;
		s = workdays_load_file(db, opt->holidays_path, NULL, &loaded, err);
		if (s)
			return s;
		seed_progress(opt, "holidays", loaded, loaded);
	}
	seed_plan plan;
	s = seed_plan_make(opt, &plan, err);
	if (s)
		return s;
	seed_progress(opt, "plan", plan.count, plan.count);
	/* A fresh file keeps the page size `forecourt init` gives a station
	 * (SQLite's 4 KiB): the bench measures the pages a station writes. */
	if (opt->fresh_file)
		s = db_exec(db,
			    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
			    "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY; PRAGMA threads=2;",
			    "preparing the bulk load", err);
	if (!s)
		s = db_exec(db, "PRAGMA foreign_keys=OFF", "preparing the bulk load", err);
	if (!s)
		s = db_begin(db, err);
	if (!s)
		s = db_finish(db, seed_fill(db, opt, &plan, err), err);
	seed_plan_free(&plan);
	fc_error keep = { .code = FC_OK };
	fc_error *e = s ? &keep : err; /* restoring must not hide the first error */
	fc_status r = db_exec(db, "PRAGMA foreign_keys=ON", "restoring the pragmas", e);
	if (!r && opt->fresh_file)
		r = db_exec(db,
			    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			    "PRAGMA cache_size=-2000; PRAGMA threads=0;",
			    "restoring the pragmas", e);
	return s ? s : r;
}

fc_status seed_count(sqlite3 *db, seed_counts *out, fc_error *err)
{
	static const char *const sql[] = {
		"SELECT count(*) FROM customers",
		"SELECT count(*) FROM cards",
		"SELECT count(*) FROM cards WHERE status = 'blocked'",
		"SELECT count(*) FROM visits",
	};
	int64_t *counts[] = { &out->customers, &out->cards, &out->blocked, &out->visits };
	fc_status s = FC_OK;
	for (size_t i = 0; i < sizeof sql / sizeof sql[0] && !s; i++)
		s = db_query_int64(db, sql[i], counts[i], err);
	return s;
}

void seed_demo_peek(const char *path, seed_demo_info *out)
{
	sqlite3 *db = NULL;
	memset(out, 0, sizeof *out);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		db_meta_get(db, "demo_complete", out->complete, sizeof out->complete);
		db_meta_get(db, "demo_seed", out->seed, sizeof out->seed);
		db_meta_get(db, "demo_customers", out->customers, sizeof out->customers);
	}
	sqlite3_close(db);
}
