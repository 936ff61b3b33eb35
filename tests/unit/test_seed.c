/* test_seed.c — the demo generator on real SQLite files: same seed, same
 * database; every class present; tiers and stability follow the visits. */
#include "testutil.h"

#include <sodium.h>

#include "base/clock.h"
#include "base/config.h"
#include "store/db.h"
#include "seeds/seed.h"
#include "care/workdays.h"

#define REFERENCE "2026-07-01T00:00:00Z"

static const char holidays_text[] =
	"# test calendar\n"
	"2026-06-19 holiday 端午节\n"
	"2026-06-20 holiday 端午节\n"
	"2026-06-21 holiday 端午节\n"
	"2026-06-27 workday 调休\n";

typedef struct fixture {
	char *dir;
	char holidays[4096];
	fc_config cfg;
} fixture;

static int fixture_setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = tu_tempdir();
	tu_write(f->holidays, f->dir, "holidays.conf", holidays_text);
	config_defaults(&f->cfg);
	*state = f;
	return 0;
}

static int fixture_teardown(void **state)
{
	fixture *f = *state;
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static void options_for(const fixture *f, seed_options *opt, uint64_t seed, long customers)
{
	seed_options_defaults(opt, &f->cfg);
	opt->seed = seed;
	opt->customers = customers;
	assert_true(clock_parse_iso(REFERENCE, &opt->reference_ms));
	opt->holidays_path = f->holidays;
}

/* Build a database named name in the fixture's directory; *out stays open. */
static void build(const fixture *f, const char *name, const seed_options *opt, sqlite3 **out)
{
	char path[4096];
	fc_error err;
	fc_error_clear(&err);
	tu_path(path, f->dir, name);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, out, &err), FC_OK);
	fc_status st = seed_generate(*out, opt, &err);
	if (st)
		fail_msg("seed_generate: %s", fc_error_text(&err));
}

static int64_t q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* BLAKE2b over every value of every row of the demo tables, in key order
 * (meta's class_history_since: when the file got its schema, not data). */
static void digest_database(sqlite3 *db, unsigned char out[32])
{
	static const char *const queries[] = {
		"SELECT * FROM customers ORDER BY id",
		"SELECT * FROM cards ORDER BY card_id",
		"SELECT * FROM visits ORDER BY id",
		"SELECT * FROM complaints ORDER BY id",
		"SELECT * FROM prices ORDER BY grade, tier, nature",
		"SELECT * FROM holidays ORDER BY date",
		"SELECT * FROM meta WHERE key <> 'class_history_since' ORDER BY key",
	};
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, 32);
	for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db, queries[q], -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *v = sqlite3_column_text(st, c);
				unsigned char tag = v ? 1 : 0;
				crypto_generichash_update(&h, &tag, 1);
				if (v)
					crypto_generichash_update(&h, v, strlen((const char *)v) + 1);
			}
		}
		sqlite3_finalize(st);
	}
	crypto_generichash_final(&h, out, 32);
}

static void same_seed_same_database(void **state)
{
	fixture *f = *state;
	seed_options opt;
	sqlite3 *a, *b, *c;
	unsigned char da[32], db_[32], dc[32];

	options_for(f, &opt, 7, 2000);
	opt.fresh_file = true; /* the fast path and the safe path agree */
	build(f, "a.db", &opt, &a);
	opt.fresh_file = false;
	build(f, "b.db", &opt, &b);
	options_for(f, &opt, 8, 2000);
	build(f, "c.db", &opt, &c);

	digest_database(a, da);
	digest_database(b, db_);
	digest_database(c, dc);
	assert_memory_equal(da, db_, sizeof da);
	assert_memory_not_equal(da, dc, sizeof da);
	assert_int_equal(q_int(a, "SELECT count(*) FROM customers"), 2000);
	assert_int_equal(q_int(a, "SELECT count(*) FROM visits"), q_int(b, "SELECT count(*) FROM visits"));
	assert_int_equal(q_int(a, "SELECT sum(volume_ml) FROM visits"),
			 q_int(b, "SELECT sum(volume_ml) FROM visits"));
	/* The fast path leaves the database as db_open makes it. */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(a, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(q_int(a, "PRAGMA foreign_keys"), 1);
	db_close(a);
	db_close(b);
	db_close(c);
}

/* Expected tier from whole litres, with the config's thresholds. */
static void check_tiers_follow_litres(sqlite3 *db, const fc_config *cfg)
{
	char sql[2048];
	snprintf(sql, sizeof sql,
		 "WITH l AS (SELECT c.id, c.nature, c.tier, "
		 "  coalesce((SELECT sum(volume_ml) FROM visits v WHERE v.customer_id = c.id), 0) "
		 "  / 1000 AS litres FROM customers c) "
		 "SELECT count(*) FROM l WHERE tier <> CASE WHEN nature = 'big' THEN "
		 "  CASE WHEN litres >= %d THEN 'diamond' WHEN litres >= %d THEN 'gold' "
		 "       WHEN litres >= %d THEN 'silver' ELSE 'ordinary' END "
		 "ELSE CASE WHEN litres >= %d THEN 'platinum' WHEN litres >= %d THEN 'gold' "
		 "       WHEN litres >= %d THEN 'silver' ELSE 'ordinary' END END",
		 cfg->tier_big_diamond, cfg->tier_big_gold, cfg->tier_big_silver,
		 cfg->tier_ind_platinum, cfg->tier_ind_gold, cfg->tier_ind_silver);
	assert_int_equal(q_int(db, sql), 0);
	/* Every visit lies in the six months before the reference. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM visits WHERE created_at >= '" REFERENCE
				   "' OR created_at < '2026-01-01'"),
			 0);
}

static void check_stability_follows_visits(sqlite3 *db, const fc_config *cfg)
{
	char sql[2048];
	/* potential: never bought; others: bought */
	assert_int_equal(q_int(db, "SELECT count(*) FROM customers WHERE (stability = 'potential') "
				   "= EXISTS (SELECT 1 FROM visits WHERE customer_id = customers.id)"),
			 0);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM customers c WHERE stability = 'lost' AND "
		 "(SELECT max(created_at) FROM visits WHERE customer_id = c.id) >= "
		 "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '" REFERENCE "', '-%d days')",
		 cfg->lost_after_days);
	assert_int_equal(q_int(db, sql), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM customers c WHERE stability IN "
				   "('current','swing') AND (SELECT max(created_at) FROM visits WHERE "
				   "customer_id = c.id) < strftime('%Y-%m-%dT%H:%M:%SZ', '" REFERENCE
				   "', '-30 days')"),
			 0);
	/* swing: the last 30 days' litres <= (100 - drop) % of the average
	 * month of the 90 days before. */
	snprintf(sql, sizeof sql,
		 "WITH w AS (SELECT c.id, "
		 " (SELECT coalesce(sum(volume_ml), 0) FROM visits v WHERE v.customer_id = c.id AND "
		 "  v.created_at >= strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '" REFERENCE "', '-30 days')) "
		 "  AS last30, "
		 " (SELECT coalesce(sum(volume_ml), 0) FROM visits v WHERE v.customer_id = c.id AND "
		 "  v.created_at >= strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '" REFERENCE "', '-120 days') "
		 "  AND v.created_at < strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '" REFERENCE
		 "', '-30 days')) AS before90 "
		 " FROM customers c WHERE stability IN ('swing','current')) "
		 "SELECT count(*) FROM w JOIN customers c USING (id) WHERE "
		 "(last30 * 100 * 3 <= (100 - %d) * before90 AND before90 > 0) <> "
		 "(c.stability = 'swing')",
		 cfg->swing_drop_percent);
	assert_int_equal(q_int(db, sql), 0);
}

static void classes_cards_and_extras_are_all_there(void **state)
{
	fixture *f = *state;
	seed_options opt;
	sqlite3 *db;
	options_for(f, &opt, 1, 10000);
	opt.fresh_file = true;
	build(f, "demo.db", &opt, &db);

	assert_int_equal(q_int(db, "SELECT count(*) FROM customers"), 10000);
	assert_int_equal(q_int(db, "SELECT count(DISTINCT nature || '/' || tier) FROM customers"), 8);
	assert_int_equal(q_int(db, "SELECT count(DISTINCT industry) FROM customers"), 7);
	assert_int_equal(q_int(db, "SELECT count(DISTINCT stability) FROM customers"), 4);
	/* every industry for both natures */
	assert_int_equal(q_int(db, "SELECT count(DISTINCT nature || industry) FROM customers"), 14);

	assert_true(q_int(db, "SELECT count(*) FROM cards") >= 15000);
	assert_true(q_int(db, "SELECT count(*) FROM cards WHERE status = 'blocked' AND "
			      "blocked_reason <> ''") > 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM cards WHERE status = 'blocked' AND "
				   "blocked_reason IS NULL"),
			 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 "
				   "FROM cards WHERE customer_id = c.id AND status = 'active')"),
			 0);
	assert_true(q_int(db, "SELECT count(*) FROM cards WHERE kind = 'unit'") > 0);
	/* individuals hold one working card; big customers several */
	assert_int_equal(q_int(db, "SELECT count(*) FROM customers c WHERE nature = 'individual' "
				   "AND (SELECT count(*) FROM cards WHERE customer_id = c.id AND "
				   "status = 'active') <> 1"),
			 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM customers c WHERE nature = 'big' AND "
				   "NOT EXISTS (SELECT 1 FROM cards WHERE customer_id = c.id AND "
				   "kind = 'unit' AND status = 'active') AND (SELECT count(*) FROM cards "
				   "WHERE customer_id = c.id AND status = 'active') < 2"),
			 0);
	/* visits only on working cards of their own customer */
	assert_int_equal(q_int(db, "SELECT count(*) FROM visits v LEFT JOIN cards k ON "
				   "k.card_id = v.card_id WHERE k.customer_id IS NOT v.customer_id OR "
				   "k.status <> 'active'"),
			 0);

	check_tiers_follow_litres(db, &f->cfg);
	check_stability_follows_visits(db, &f->cfg);

	/* text looks real */
	assert_int_equal(q_int(db, "SELECT count(*) FROM customers WHERE phone NOT GLOB "
				   "'1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'"),
			 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM customers WHERE plate NOT GLOB "
				   "'?[A-H][0-9A-Z][0-9A-Z][0-9][0-9][0-9]'"),
			 0);
	assert_true(q_int(db, "SELECT count(*) FROM customers WHERE plate GLOB '渝A*'") > 0);
	assert_true(q_int(db, "SELECT count(*) FROM customers WHERE nature = 'big' AND "
			      "name LIKE '%有限公司'") > 0);
	/* code: STATION-<B|I>-<industry letters>-<number within that class> */
	assert_int_equal(q_int(db, "SELECT count(*) FROM (SELECT code, printf('S0001-%s-%s-%06d', "
				   "CASE nature WHEN 'big' THEN 'B' ELSE 'I' END, CASE industry WHEN "
				   "'passenger' THEN 'PT' WHEN 'logistics' THEN 'LG' WHEN 'taxi' THEN "
				   "'TX' WHEN 'official' THEN 'OF' WHEN 'industrial' THEN 'IN' WHEN "
				   "'agri' THEN 'AG' ELSE 'OT' END, row_number() OVER (PARTITION BY "
				   "nature, industry ORDER BY id)) AS want FROM customers) "
				   "WHERE code <> want"),
			 0);
	/* points: litres x multiplier; balances never negative nor above earned */
	assert_int_equal(q_int(db, "SELECT count(*) FROM visits WHERE points_earned <> volume_ml * "
				   "CASE tier WHEN 'diamond' THEN 2000 WHEN 'platinum' THEN 2000 WHEN "
				   "'gold' THEN 1500 WHEN 'silver' THEN 1200 ELSE 1000 END / 1000000"),
			 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM customers c WHERE points_synced < 0 OR "
				   "points_synced > (SELECT coalesce(sum(points_earned), 0) FROM "
				   "visits WHERE customer_id = c.id)"),
			 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM visits WHERE amount_fen + discount_fen <> "
				   "(price_fen_per_litre * volume_ml + 500) / 1000"),
			 0);

	/* extras: discounts, holidays, complaints (one overdue), nothing queued */
	assert_true(q_int(db, "SELECT count(*) FROM prices") > 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM holidays"), 4);
	assert_true(q_int(db, "SELECT count(*) FROM complaints WHERE status = 'open'") >= 3);
	assert_int_equal(q_int(db, "SELECT count(*) FROM outbox"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM points_ledger"), 0);
	sqlite3_stmt *st;
	int overdue = 0;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT deadline FROM complaints WHERE status = 'open'",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t end;
		fc_error err;
		assert_int_equal(workdays_deadline_end_ms((const char *)sqlite3_column_text(st, 0), &end,
							  &err),
				 FC_OK);
		overdue += end < opt.reference_ms;
	}
	sqlite3_finalize(st);
	assert_int_equal(overdue, 1);

	char v[64];
	assert_true(db_meta_get(db, "demo_complete", v, sizeof v));
	assert_string_equal(v, REFERENCE);
	assert_int_equal(q_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	char report[256];
	fc_error err;
	assert_int_equal(db_quick_check(db, report, sizeof report, &err), FC_OK);
	assert_string_equal(report, "ok");
	db_close(db);
}

static void refuses_a_database_with_customers(void **state)
{
	fixture *f = *state;
	seed_options opt;
	sqlite3 *db;
	fc_error err;
	options_for(f, &opt, 3, 50);
	build(f, "twice.db", &opt, &db);
	int64_t visits = q_int(db, "SELECT count(*) FROM visits");
	fc_error_clear(&err);
	assert_int_equal(seed_generate(db, &opt, &err), FC_ERR_EXISTS);
	assert_non_null(strstr(err.msg, "already has customers"));
	assert_int_equal(q_int(db, "SELECT count(*) FROM customers"), 50);
	assert_int_equal(q_int(db, "SELECT count(*) FROM visits"), visits);
	db_close(db);
}

static void bad_holidays_file_stores_nothing(void **state)
{
	fixture *f = *state;
	seed_options opt;
	sqlite3 *db;
	fc_error err;
	char bad[4096], path[4096];
	options_for(f, &opt, 3, 50);
	opt.holidays_path = tu_write(bad, f->dir, "bad.conf", "2026-10-01 holiday 国庆节\n2026-13-01 holiday x\n");
	tu_path(path, f->dir, "bad.db");
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), FC_OK);
	fc_error_clear(&err);
	assert_int_not_equal(seed_generate(db, &opt, &err), FC_OK);
	assert_non_null(strstr(err.msg, "bad.conf:2"));
	assert_int_equal(q_int(db, "SELECT count(*) FROM customers"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM holidays"), 0);
	/* and a customer count out of range is a usage error naming the range */
	opt.holidays_path = NULL;
	opt.customers = 0;
	assert_int_equal(seed_generate(db, &opt, &err), FC_ERR_USAGE);
	assert_non_null(strstr(err.msg, "1..1500000"));
	db_close(db);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(same_seed_same_database, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(classes_cards_and_extras_are_all_there,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(refuses_a_database_with_customers, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(bad_holidays_file_stores_nothing, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
