/* test_classify.c — stability at 29 and 31 days, swing, won-back, the
 * chain's last purchase (current at B, lost everywhere, won back), nature from
 * cards, tier thresholds at their boundaries, head office against local
 * tiers under [tiers] prefer, on a real database file. */
#include "testutil.h"

#include <time.h>

#include "customers/classify.h"
#include "store/db.h"
#include "customers/tiers.h"

#define DAY_MS 86400000LL

typedef struct fixture {
	char *dir;
	sqlite3 *db;
	fc_config cfg;
	int64_t now;
} fixture;

static char *text_of(sqlite3 *db, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *st;
	buf[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, n, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	char path[4096];
	fc_error err;
	setenv("TZ", "CST-8", 1);
	tzset();
	setenv("FORECOURT_NOW", "2026-07-01T02:00:00Z", 1); /* 10:00 local */
	fx->dir = tu_tempdir();
	config_defaults(&fx->cfg);
	assert_true(clock_parse_iso("2026-07-01T02:00:00Z", &fx->now));
	assert_int_equal(db_open(tu_path(path, fx->dir, "c.db"), DB_OPEN_CREATE, &fx->db, &err), FC_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	unsetenv("FORECOURT_NOW");
	db_close(fx->db);
	tu_rmdir(fx->dir);
	free(fx);
	return 0;
}

/* A visit of litres at now minus days (and hours). */
static void visit(fixture *fx, int customer, double days_ago, int64_t litres)
{
	char at[CLOCK_ISO_LEN], sql[512];
	static int n;
	clock_format_iso(fx->now - (int64_t)(days_ago * DAY_MS), at);
	snprintf(sql, sizeof sql,
		 "INSERT INTO visits(id, created_at, customer_id, pump, grade, volume_ml, amount_fen)"
		 " VALUES ('v%d', '%s', %d, 1, '92#', %lld, 0)", ++n, at, customer,
		 (long long)litres * 1000);
	tu_exec(fx->db, sql);
}

static void customer(fixture *fx, int id, const char *nature, const char *tier, const char *source)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "INSERT INTO customers(id, code, name, nature, tier, tier_source, created_at, updated_at)"
		 " VALUES (%d, 'C%03d', 'Name %d', '%s', '%s', '%s', 'x', 'x')", id, id, id, nature,
		 tier, source);
	tu_exec(fx->db, sql);
}

static const char *stability_of(fixture *fx, int id, char *buf)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT stability FROM customers WHERE id = %d", id);
	return text_of(fx->db, sql, buf, 32);
}

static void test_stability_rule(void **state)
{
	fixture *fx = *state;
	fc_config *c = &fx->cfg;
	int64_t now = fx->now;
	assert_int_equal(classify_stability(c, now, 0, 0, 0), STABILITY_POTENTIAL);
	assert_int_equal(classify_stability(c, now, now - 29 * DAY_MS, 50000, 0), STABILITY_CURRENT);
	assert_int_equal(classify_stability(c, now, now - 30 * DAY_MS, 50000, 0), STABILITY_CURRENT);
	assert_int_equal(classify_stability(c, now, now - 30 * DAY_MS - 1000, 0, 0), STABILITY_LOST);
	assert_int_equal(classify_stability(c, now, now - 31 * DAY_MS, 0, 0), STABILITY_LOST);
	/* 90 days before: 300 L = 100 L a month; 50 L is a 50 % drop, 51 L is not */
	assert_int_equal(classify_stability(c, now, now - DAY_MS, 50000, 300000), STABILITY_SWING);
	assert_int_equal(classify_stability(c, now, now - DAY_MS, 51000, 300000), STABILITY_CURRENT);
	c->lost_after_days = 45;
	assert_int_equal(classify_stability(c, now, now - 31 * DAY_MS, 50000, 0), STABILITY_CURRENT);
}

static void test_classify_all(void **state)
{
	fixture *fx = *state;
	char buf[32];
	customer(fx, 1, "individual", "ordinary", "local");
	customer(fx, 2, "individual", "ordinary", "local");
	customer(fx, 3, "individual", "ordinary", "local");
	customer(fx, 4, "individual", "ordinary", "local");
	customer(fx, 5, "individual", "platinum", "local");
	visit(fx, 1, 29, 40);
	visit(fx, 2, 31, 40);
	visit(fx, 4, 2, 40);  /* 40 L now against 100 L a month before: swing */
	visit(fx, 4, 40, 100);
	visit(fx, 4, 70, 100);
	visit(fx, 4, 100, 100);
	tu_exec(fx->db, "INSERT INTO cards(card_id, customer_id, kind, status, blocked_reason, updated_at) VALUES ('AA01', 5, 'personal', 'active', NULL, 'x'),"
		     " ('AA02', 5, 'personal', 'active', NULL, 'x'), ('AA03', 1, 'personal', 'active', NULL, 'x')");
	classify_counts n;
	fc_error err;
	assert_int_equal(classify_all(fx->db, &fx->cfg, fx->now, &n, &err), FC_OK);
	assert_string_equal(stability_of(fx, 1, buf), "current");
	assert_string_equal(stability_of(fx, 2, buf), "lost");
	assert_string_equal(stability_of(fx, 3, buf), "potential");
	assert_string_equal(stability_of(fx, 4, buf), "swing");
	assert_int_equal(n.customers, 5);
	assert_int_equal(n.by_stability[STABILITY_LOST], 1);
	assert_int_equal(n.by_stability[STABILITY_SWING], 1);
	/* two personal cards: big; the tier is evaluated again against the big
	 * thresholds (no litres: ordinary), never carried over by rank */
	assert_string_equal(text_of(fx->db, "SELECT nature || ' ' || tier FROM customers WHERE id = 5",
				    buf, sizeof buf), "big ordinary");
	assert_string_equal(text_of(fx->db, "SELECT nature FROM customers WHERE id = 1", buf,
				    sizeof buf), "individual");
	assert_int_equal(n.nature_changed, 1);
	assert_string_equal(text_of(fx->db, "SELECT count(*) FROM customers WHERE composite_class"
				    " IN ('A','B','C')", buf, sizeof buf), "5");
	assert_int_equal(n.composite_evaluated, 5);
	assert_string_equal(text_of(fx->db, "SELECT count(*) FROM outbox WHERE type ="
				    " 'composite_evaluated'", buf, sizeof buf), "5");
}

/* The nature changes (a second card, head office's master data): the tier
 * is evaluated against the new nature's thresholds with the litres of the
 * last half year (the larger of the visits here and head office's
 * chain_litres), recorded like any tier change. */
static void test_nature_change(void **state)
{
	fixture *fx = *state;
	char buf[256];
	fc_error err;
	classify_counts n;
	/* individual gold at 1 500 L in 2026H1 gets a second card */
	customer(fx, 1, "individual", "gold", "hq");
	visit(fx, 1, 60, 1500);
	/* big diamond at 25 000 L keeps one personal card: individual platinum */
	customer(fx, 2, "big", "diamond", "local");
	visit(fx, 2, 60, 25000);
	/* 500 L here, 9 000 L at all stations (head office): big gold */
	customer(fx, 3, "individual", "silver", "local");
	visit(fx, 3, 60, 500);
	tu_exec(fx->db, "INSERT INTO chain_litres VALUES (3, '2026H1', 9000, 'x'), (3, '2025H2', 50000, 'x')");
	tu_exec(fx->db, "INSERT INTO cards(card_id, customer_id, kind, status, blocked_reason, updated_at) VALUES ('A1', 1, 'personal', 'active', NULL, 'x'),"
		     " ('A2', 1, 'personal', 'active', NULL, 'x'), ('B1', 2, 'personal', 'active', NULL, 'x'),"
		     " ('C1', 3, 'unit', 'active', NULL, 'x')");
	assert_int_equal(classify_all(fx->db, &fx->cfg, fx->now, &n, &err), FC_OK);
	assert_int_equal(n.nature_changed, 3);
	assert_string_equal(text_of(fx->db, "SELECT group_concat(nature || ' ' || tier || ' ' ||"
				    " tier_source || ' ' || tier_provisional, ', ') FROM (SELECT * FROM"
				    " customers ORDER BY id)", buf, sizeof buf),
			    "big ordinary local 0, individual platinum local 0, big gold local 0");
	/* not green lane any more: gold (big) was, ordinary (big) is not */
	assert_false(config_green_lane(&fx->cfg, TIER_BIG_ORDINARY));
	assert_string_equal(text_of(fx->db, "SELECT old_tier || '>' || new_tier || ' ' || period FROM"
				    " tier_history WHERE customer_id = 1", buf, sizeof buf),
			    "gold>ordinary 2026H1");
	assert_string_equal(text_of(fx->db, "SELECT group_concat(json_extract(payload, '$.data.old_nature')"
				    " || ' ' || json_extract(payload, '$.data.old_tier') || '>' ||"
				    " json_extract(payload, '$.data.nature') || ' ' ||"
				    " json_extract(payload, '$.data.new_tier') || ' ' ||"
				    " json_extract(payload, '$.data.volume_ml') || ' ' ||"
				    " json_extract(payload, '$.data.reason'), ', ') FROM (SELECT payload"
				    " FROM outbox WHERE type = 'tier_changed' ORDER BY seq)", buf, sizeof buf),
			    "individual gold>big ordinary 1500000 nature_changed, "
			    "big diamond>individual platinum 25000000 nature_changed, "
			    "individual silver>big gold 9000000 nature_changed");
	/* the next run changes nothing */
	assert_int_equal(classify_all(fx->db, &fx->cfg, fx->now, &n, &err), FC_OK);
	assert_int_equal(n.nature_changed, 0);
	assert_string_equal(text_of(fx->db, "SELECT count(*) FROM outbox WHERE type = 'tier_changed'",
				    buf, sizeof buf), "3");
	/* tiers_change_nature on its own: back to individual, 1 500 L is gold there */
	tier_grade g;
	assert_int_equal(db_begin(fx->db, &err), FC_OK);
	assert_int_equal(tiers_change_nature(fx->db, &fx->cfg, 1, NATURE_INDIVIDUAL, fx->now, 0, &g,
					     &err), FC_OK);
	assert_int_equal(db_finish(fx->db, FC_OK, &err), FC_OK);
	assert_true(g.changed);
	assert_int_equal(g.old_tier, TIER_BIG_ORDINARY);
	assert_int_equal(g.new_tier, TIER_IND_GOLD);
	assert_int_equal(g.volume_ml, 1500000);
	/* the same nature again: nothing */
	assert_int_equal(tiers_change_nature(fx->db, &fx->cfg, 1, NATURE_INDIVIDUAL, fx->now, 0, &g,
					     &err), FC_OK);
	assert_false(g.changed);
	/* an import changed the nature without head office's tier: ordinary and
	 * the old nature and tier noted, then evaluated for the new nature */
	tu_exec(fx->db, "UPDATE customers SET nature = 'individual', tier = 'ordinary',"
		     " tier_regrade = 'big gold' WHERE id = 3");
	int64_t done = 0;
	assert_int_equal(tiers_regrade_pending(fx->db, &fx->cfg, fx->now, &done, &err), FC_OK);
	assert_int_equal(done, 1);
	assert_string_equal(text_of(fx->db, "SELECT nature || ' ' || tier || ' ' || (tier_regrade IS NULL)"
				    " FROM customers WHERE id = 3", buf, sizeof buf), "individual platinum 1");
	assert_string_equal(text_of(fx->db, "SELECT json_extract(payload, '$.data.old_nature') || ' ' ||"
				    " json_extract(payload, '$.data.old_tier') || '>' ||"
				    " json_extract(payload, '$.data.new_tier') FROM outbox WHERE type ="
				    " 'tier_changed' ORDER BY seq DESC LIMIT 1", buf, sizeof buf),
			    "big gold>platinum");
	assert_int_equal(tiers_regrade_pending(fx->db, &fx->cfg, fx->now, &done, &err), FC_OK);
	assert_int_equal(done, 0);
}

/* A potential customer gets a provisional tier from its declared yearly
 * demand (half of it against the half-year thresholds); evaluated litres
 * replace it. */
static void test_provisional_tier(void **state)
{
	fixture *fx = *state;
	char buf[256];
	fc_error err;
	classify_counts n;
	const fc_config *c = &fx->cfg;
	assert_int_equal(tiers_provisional(c, NATURE_INDIVIDUAL, 1199), TIER_IND_ORDINARY);
	assert_int_equal(tiers_provisional(c, NATURE_INDIVIDUAL, 1200), TIER_IND_SILVER);
	assert_int_equal(tiers_provisional(c, NATURE_INDIVIDUAL, 3000), TIER_IND_GOLD);
	assert_int_equal(tiers_provisional(c, NATURE_INDIVIDUAL, 6000), TIER_IND_PLATINUM);
	assert_int_equal(tiers_provisional(c, NATURE_BIG, 39999), TIER_BIG_GOLD);
	assert_int_equal(tiers_provisional(c, NATURE_BIG, 40000), TIER_BIG_DIAMOND);
	assert_int_equal(tiers_provisional(c, NATURE_BIG, -5), TIER_BIG_ORDINARY);

	customer(fx, 1, "individual", "ordinary", "local"); /* declares 3 000 L a year */
	customer(fx, 2, "big", "ordinary", "local");        /* declares 40 000 L */
	customer(fx, 3, "individual", "ordinary", "hq");     /* head office's tier stays */
	customer(fx, 4, "individual", "ordinary", "local"); /* declares nothing */
	customer(fx, 5, "big", "ordinary", "local");        /* bought: not potential */
	visit(fx, 5, 3, 10);
	tu_exec(fx->db, "UPDATE customers SET yearly_litres = CASE id WHEN 1 THEN 3000 WHEN 2 THEN"
		     " 40000 WHEN 3 THEN 9000 WHEN 5 THEN 90000 END");
	assert_int_equal(classify_all(fx->db, &fx->cfg, fx->now, &n, &err), FC_OK);
	assert_int_equal(n.provisional_changed, 2);
	assert_string_equal(text_of(fx->db, "SELECT group_concat(stability || ' ' || tier || ' ' ||"
				    " tier_provisional, ', ') FROM (SELECT * FROM customers ORDER BY id)",
				    buf, sizeof buf),
			    "potential gold 1, potential diamond 1, potential ordinary 0, "
			    "potential ordinary 0, current ordinary 0");
	assert_string_equal(text_of(fx->db, "SELECT json_extract(payload, '$.data.new_tier') || ' ' ||"
				    " json_extract(payload, '$.data.provisional') || ' ' ||"
				    " json_extract(payload, '$.data.period') || ' ' ||"
				    " json_extract(payload, '$.data.volume_ml') FROM outbox WHERE type ="
				    " 'tier_changed' AND json_extract(payload, '$.data.customer_code') ="
				    " 'C001'", buf, sizeof buf), "gold 1 declared 1500000");
	/* the declaration changes: graded again (platinum); cleared: ordinary */
	tier_grade g;
	tu_exec(fx->db, "UPDATE customers SET yearly_litres = 6000 WHERE id = 1");
	assert_int_equal(tiers_grade_declared(fx->db, &fx->cfg, 1, fx->now, 0, &g, &err), FC_OK);
	assert_true(g.changed && g.provisional && g.new_tier == TIER_IND_PLATINUM);
	tu_exec(fx->db, "UPDATE customers SET yearly_litres = NULL WHERE id = 2");
	assert_int_equal(tiers_grade_declared(fx->db, &fx->cfg, 2, fx->now, 0, &g, &err), FC_OK);
	assert_true(g.changed && !g.provisional && g.new_tier == TIER_BIG_ORDINARY);
	/* and graded again once declared (it was never evaluated from litres) */
	tu_exec(fx->db, "UPDATE customers SET yearly_litres = 5000 WHERE id = 2");
	assert_int_equal(tiers_grade_declared(fx->db, &fx->cfg, 2, fx->now, 0, &g, &err), FC_OK);
	assert_true(g.changed && g.provisional && g.new_tier == TIER_BIG_SILVER);

	/* the half-year evaluation: without litres the provisional tier stays;
	 * with litres the evaluated tier replaces it, even the same one */
	customer(fx, 6, "individual", "silver", "local");
	tu_exec(fx->db, "UPDATE customers SET tier_provisional = 1, yearly_litres = 1500 WHERE id = 6");
	visit(fx, 6, 60, 700); /* 700 L in 2026H1: silver */
	tier_period p;
	tier_evaluation ev;
	tiers_last_period(fx->now, &p);
	assert_int_equal(tiers_evaluate(fx->db, &fx->cfg, &p, false, 0, &ev, &err), FC_OK);
	assert_int_equal(ev.count, 1); /* C006 only: C001, C002 have no litres */
	tiers_evaluation_free(&ev);
	assert_string_equal(text_of(fx->db, "SELECT group_concat(id || ' ' || tier || ' ' ||"
				    " tier_provisional, ', ') FROM (SELECT * FROM customers WHERE id IN"
				    " (1, 2, 6) ORDER BY id)", buf, sizeof buf),
			    "1 platinum 1, 2 silver 1, 6 silver 0");
	assert_string_equal(text_of(fx->db, "SELECT json_extract(payload, '$.data.old_tier') || '>' ||"
				    " json_extract(payload, '$.data.new_tier') || ' ' ||"
				    " json_extract(payload, '$.data.reason') FROM outbox WHERE type ="
				    " 'tier_changed' AND json_extract(payload, '$.data.customer_code') ="
				    " 'C006'", buf, sizeof buf), "silver>silver evaluated");
	/* evaluated with no litres (evaluate-tiers, the demo, migration 11 set
	 * tier_evaluated_at): still potential, the declaration grades it; with
	 * chain-wide litres of the last half year it does not */
	customer(fx, 7, "individual", "ordinary", "local");
	customer(fx, 8, "big", "ordinary", "local");
	tu_exec(fx->db, "UPDATE customers SET tier_evaluated_at = '2026-01-01T00:00:00Z',"
		     " yearly_litres = 3000 WHERE id IN (7, 8)");
	tu_exec(fx->db, "INSERT INTO chain_litres(customer_id, period, litres, updated_at) VALUES (8, '2026H1', 900, 'x')");
	assert_int_equal(classify_all(fx->db, &fx->cfg, fx->now, &n, &err), FC_OK);
	assert_string_equal(text_of(fx->db, "SELECT group_concat(id || ' ' || stability || ' ' ||"
				    " tier || ' ' || tier_provisional, ', ') FROM (SELECT * FROM"
				    " customers WHERE id IN (7, 8) ORDER BY id)", buf, sizeof buf),
			    "7 potential gold 1, 8 potential ordinary 0");

	/* evaluated now: the declaration no longer grades it */
	tu_exec(fx->db, "UPDATE customers SET stability = 'potential', yearly_litres = 90000 WHERE id = 6");
	assert_int_equal(tiers_grade_declared(fx->db, &fx->cfg, 6, fx->now, 0, &g, &err), FC_OK);
	assert_false(g.changed);
}

/* A/B/C once a quarter: a head's ratings replace the stand-ins; each
 * result is a record for head office. */
static void test_composite_quarterly(void **state)
{
	fixture *fx = *state;
	char buf[256];
	fc_error err;
	classify_counts n;
	composite_input in;
	composite_facts f = { .big = true, .unit_card = true, .active_cards = 1, .blocked_cards = 2,
			      .year_ml = 10000000, .yearly_litres = 20000, .rating_scale = -1,
			      .rating_credit = -1, .rating_influence = -1 };
	classify_composite_inputs(&fx->cfg, &f, &in);
	assert_int_equal(in.scale, 100);
	assert_int_equal(in.credit, 40);
	assert_int_equal(in.volume, 25);
	assert_int_equal(in.influence, 50);
	f.rating_scale = 30, f.rating_credit = 95, f.rating_influence = 0;
	classify_composite_inputs(&fx->cfg, &f, &in);
	assert_int_equal(in.scale, 30);
	assert_int_equal(in.credit, 95);
	assert_int_equal(in.volume, 25);
	assert_int_equal(in.influence, 0);
	char q[CLASSIFY_QUARTER_LEN];
	classify_quarter(fx->now, q);
	assert_string_equal(q, "2026Q3");

	customer(fx, 1, "big", "ordinary", "local");
	customer(fx, 2, "big", "ordinary", "local");
	tu_exec(fx->db, "UPDATE customers SET rating_scale = 100, rating_credit = 100,"
		     " rating_influence = 100 WHERE id = 2");
	assert_int_equal(classify_all(fx->db, &fx->cfg, fx->now, &n, &err), FC_OK);
	assert_int_equal(n.composite_evaluated, 2);
	assert_string_equal(text_of(fx->db, "SELECT group_concat(composite_score || composite_class ||"
				    " composite_quarter, ' ') FROM (SELECT * FROM customers ORDER BY id)",
				    buf, sizeof buf), "26C2026Q3 70B2026Q3");
	assert_string_equal(text_of(fx->db, "SELECT json_extract(payload, '$.data.scale') || ' ' ||"
				    " json_extract(payload, '$.data.scale_rated') || ' ' ||"
				    " json_extract(payload, '$.data.class') || ' ' ||"
				    " json_extract(payload, '$.data.quarter') FROM outbox WHERE type ="
				    " 'composite_evaluated' AND json_extract(payload, '$.data.customer_code')"
				    " = 'C002'", buf, sizeof buf), "100 1 B 2026Q3");
	/* the same quarter: nothing evaluated again, the classes still counted */
	assert_int_equal(classify_all(fx->db, &fx->cfg, fx->now, &n, &err), FC_OK);
	assert_int_equal(n.composite_evaluated, 0);
	assert_int_equal(n.by_class[1] + n.by_class[2], 2);
	/* the next quarter: again, each result a record */
	assert_int_equal(classify_all(fx->db, &fx->cfg, fx->now + 95 * DAY_MS, &n, &err), FC_OK);
	assert_int_equal(n.composite_evaluated, 2);
	assert_string_equal(text_of(fx->db, "SELECT count(*) FROM outbox WHERE type ="
				    " 'composite_evaluated'", buf, sizeof buf), "4");
	/* a head's new rating: evaluated at once */
	tu_exec(fx->db, "UPDATE customers SET rating_scale = 0 WHERE id = 2");
	assert_int_equal(db_begin(fx->db, &err), FC_OK);
	assert_int_equal(classify_composite_customer(fx->db, &fx->cfg, fx->now, 2, 0, &err), FC_OK);
	assert_int_equal(db_finish(fx->db, FC_OK, &err), FC_OK);
	assert_string_equal(text_of(fx->db, "SELECT composite_score || composite_class FROM customers"
				    " WHERE id = 2", buf, sizeof buf), "40C");
}

/* The kiosk's daily run: 4 500 customers in chunks of CLASSIFY_CHUNK, the
 * cursor in meta, done once a day; a customer in every chunk is lost. */
static void test_daily_steps(void **state)
{
	fixture *fx = *state;
	char buf[64];
	tu_exec(fx->db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4500)"
		     " INSERT INTO customers(id, code, name, nature, tier, tier_source, stability,"
		     " created_at, updated_at) SELECT i, 'C' || i, 'N', 'individual', 'ordinary',"
		     " 'local', 'current', 'x', 'x' FROM n");
	visit(fx, 10, 31, 40);
	visit(fx, 2500, 31, 40);
	visit(fx, 4500, 31, 40);
	visit(fx, 11, 29, 40);
	bool more = false;
	fc_error err;
	assert_int_equal(classify_daily_step(fx->db, &fx->cfg, fx->now, &more, &err), FC_OK);
	assert_true(more);
	assert_string_equal(text_of(fx->db, "SELECT value FROM meta WHERE key = 'classify_cursor'",
				    buf, sizeof buf), "2026-07-01 1999");
	assert_string_equal(stability_of(fx, 10, buf), "lost");
	assert_string_equal(stability_of(fx, 2500, buf), "current"); /* not reached yet */
	assert_int_equal(classify_daily_step(fx->db, &fx->cfg, fx->now, &more, &err), FC_OK);
	assert_true(more);
	assert_int_equal(classify_daily_step(fx->db, &fx->cfg, fx->now, &more, &err), FC_OK);
	assert_false(more);
	assert_string_equal(text_of(fx->db, "SELECT value FROM meta WHERE key = 'classified_day'",
				    buf, sizeof buf), "2026-07-01");
	assert_string_equal(stability_of(fx, 2500, buf), "lost");
	assert_string_equal(stability_of(fx, 4500, buf), "lost");
	assert_string_equal(stability_of(fx, 11, buf), "current");
	assert_string_equal(stability_of(fx, 12, buf), "potential");
	/* done for today: a further step changes nothing */
	tu_exec(fx->db, "UPDATE customers SET stability = 'current' WHERE id = 10");
	assert_int_equal(classify_daily_step(fx->db, &fx->cfg, fx->now, &more, &err), FC_OK);
	assert_false(more);
	assert_string_equal(stability_of(fx, 10, buf), "current");
	/* the next day (station time) starts again from the first customer */
	assert_int_equal(classify_daily_step(fx->db, &fx->cfg, fx->now + DAY_MS, &more, &err), FC_OK);
	assert_true(more);
	assert_string_equal(stability_of(fx, 10, buf), "lost");
}

static void test_won_back(void **state)
{
	fixture *fx = *state;
	customer(fx, 1, "individual", "ordinary", "local");
	customer(fx, 2, "individual", "ordinary", "local");
	visit(fx, 1, 31, 40);
	visit(fx, 2, 29, 40);
	visit(fx, 1, 0, 30); /* the visit being recorded now */
	visit(fx, 2, 0, 30);
	classify_visit r;
	fc_error err;
	assert_int_equal(classify_after_visit(fx->db, &fx->cfg, 1, fx->now, &r, &err), FC_OK);
	assert_true(r.won_back);
	assert_int_equal(r.after, STABILITY_CURRENT);
	assert_int_equal(classify_after_visit(fx->db, &fx->cfg, 2, fx->now, &r, &err), FC_OK);
	assert_false(r.won_back);
	char buf[32];
	assert_string_equal(text_of(fx->db, "SELECT last_visit_at FROM customers WHERE id = 1", buf,
				    sizeof buf), "2026-07-01T02:00:00Z");
	/* the volume of the latest visit here comes beside its time (the
	 * monthly lists read it); a back-dated visit leaves both */
	assert_int_equal(tu_int64(fx->db, "SELECT last_visit_ml FROM customers WHERE id = 1"), 30000);
	visit(fx, 1, 2, 50);
	assert_int_equal(classify_after_visit(fx->db, &fx->cfg, 1, fx->now - 2 * DAY_MS, &r, &err),
			 FC_OK);
	assert_int_equal(tu_int64(fx->db, "SELECT last_visit_ml FROM customers WHERE id = 1"), 30000);
	assert_string_equal(text_of(fx->db, "SELECT last_visit_at FROM customers WHERE id = 1", buf,
				    sizeof buf), "2026-07-01T02:00:00Z");
	fx->now += DAY_MS;
	visit(fx, 1, 0, 12);
	assert_int_equal(classify_after_visit(fx->db, &fx->cfg, 1, fx->now, &r, &err), FC_OK);
	assert_int_equal(tu_int64(fx->db, "SELECT last_visit_ml FROM customers WHERE id = 1"), 12000);
}

/* Head office's last purchase at any station (chain_last_purchase_at) at
 * now minus days. */
static void chain_purchase(fixture *fx, int customer, double days_ago)
{
	char at[CLOCK_ISO_LEN], sql[256];
	clock_format_iso(fx->now - (int64_t)(days_ago * DAY_MS), at);
	snprintf(sql, sizeof sql, "UPDATE customers SET chain_last_purchase_at = '%s' WHERE id = %d",
		 at, customer);
	tu_exec(fx->db, sql);
}

/* The chain's rules: stability from the later of this station's visits and
 * the last purchase at any station; potential only without either. */
static void test_stability_across_the_chain(void **state)
{
	fixture *fx = *state;
	char buf[32];
	fc_error err;
	for (int id = 1; id <= 6; id++)
		customer(fx, id, "individual", "ordinary", "local");
	chain_purchase(fx, 1, 1);   /* fuels only at station A: current here too */
	chain_purchase(fx, 2, 31);  /* nowhere for 31 days: lost */
	visit(fx, 3, 40, 300);      /* bought here 300 L a month, now 10 L: swing ... */
	visit(fx, 3, 70, 300);
	visit(fx, 3, 100, 300);
	visit(fx, 3, 5, 10);
	visit(fx, 4, 40, 300);      /* ... but this one buys at another station now */
	visit(fx, 4, 70, 300);
	visit(fx, 4, 100, 300);
	visit(fx, 4, 5, 10);
	chain_purchase(fx, 4, 2);
	visit(fx, 5, 35, 40);       /* lost here, bought at A 3 days ago: current */
	chain_purchase(fx, 5, 3);
	/* 6: no purchase at any station: potential */
	classify_counts counts;
	assert_int_equal(classify_all(fx->db, &fx->cfg, fx->now, &counts, &err), FC_OK);
	assert_string_equal(stability_of(fx, 1, buf), "current");
	assert_string_equal(stability_of(fx, 2, buf), "lost");
	assert_string_equal(stability_of(fx, 3, buf), "swing");
	assert_string_equal(stability_of(fx, 4, buf), "current");
	assert_string_equal(stability_of(fx, 5, buf), "current");
	assert_string_equal(stability_of(fx, 6, buf), "potential");
	assert_int_equal(counts.by_stability[STABILITY_POTENTIAL], 1);

	/* 31 days later, nobody bought anywhere: lost everywhere ... */
	fx->now += 31 * DAY_MS;
	assert_int_equal(classify_all(fx->db, &fx->cfg, fx->now, &counts, &err), FC_OK);
	for (int id = 1; id <= 5; id++)
		assert_string_equal(stability_of(fx, id, buf), "lost");
	/* ... a purchase here wins customer 1 back: its previous one, at A, was 32
	 * days ago (also before the daily run says lost: stored current) */
	tu_exec(fx->db, "UPDATE customers SET stability = 'current' WHERE id = 1");
	visit(fx, 1, 0, 30);
	classify_visit r;
	assert_int_equal(classify_after_visit(fx->db, &fx->cfg, 1, fx->now, &r, &err), FC_OK);
	assert_true(r.won_back);
	assert_int_equal(r.after, STABILITY_CURRENT);
	/* customer 2 bought at A yesterday (head office says), then here: not won back */
	chain_purchase(fx, 2, 1);
	visit(fx, 2, 0, 30);
	assert_int_equal(classify_after_visit(fx->db, &fx->cfg, 2, fx->now, &r, &err), FC_OK);
	assert_false(r.won_back);
	assert_int_equal(r.after, STABILITY_CURRENT);
}

static void test_stability_seen(void **state)
{
	fixture *fx = *state;
	char since[CLOCK_ISO_LEN];
	assert_string_equal(classify_lost_since(&fx->cfg, fx->now, since), "2026-06-01T02:00:00Z");
	/* head office's facts after the daily run: lost or potential become current */
	assert_int_equal(classify_stability_seen(STABILITY_LOST, "2026-06-30T00:00:00Z", since),
			 STABILITY_CURRENT);
	assert_int_equal(classify_stability_seen(STABILITY_POTENTIAL, "2026-06-01T02:00:00Z", since),
			 STABILITY_CURRENT);
	assert_int_equal(classify_stability_seen(STABILITY_POTENTIAL, "2026-05-01T00:00:00Z", since),
			 STABILITY_LOST);
	assert_int_equal(classify_stability_seen(STABILITY_LOST, "", since), STABILITY_LOST);
	assert_int_equal(classify_stability_seen(STABILITY_POTENTIAL, NULL, since),
			 STABILITY_POTENTIAL);
	/* current and swing are the daily run's (litres, time passing) */
	assert_int_equal(classify_stability_seen(STABILITY_SWING, "2026-01-01T00:00:00Z", since),
			 STABILITY_SWING);
	assert_int_equal(classify_won_back(STABILITY_CURRENT, "2026-05-31T00:00:00Z", since), true);
	assert_int_equal(classify_won_back(STABILITY_LOST, "2026-06-02T00:00:00Z", since), false);
	assert_int_equal(classify_won_back(STABILITY_LOST, "", since), true);
	assert_int_equal(classify_won_back(STABILITY_POTENTIAL, NULL, since), false);
}

static void test_tier_thresholds(void **state)
{
	fixture *fx = *state;
	const fc_config *c = &fx->cfg;
	assert_int_equal(tiers_for_volume(c, NATURE_BIG, 1999999), TIER_BIG_ORDINARY);
	assert_int_equal(tiers_for_volume(c, NATURE_BIG, 2000000), TIER_BIG_SILVER);
	assert_int_equal(tiers_for_volume(c, NATURE_BIG, 7999999), TIER_BIG_SILVER);
	assert_int_equal(tiers_for_volume(c, NATURE_BIG, 8000000), TIER_BIG_GOLD);
	assert_int_equal(tiers_for_volume(c, NATURE_BIG, 19999999), TIER_BIG_GOLD);
	assert_int_equal(tiers_for_volume(c, NATURE_BIG, 20000000), TIER_BIG_DIAMOND);
	assert_int_equal(tiers_for_volume(c, NATURE_INDIVIDUAL, 599000), TIER_IND_ORDINARY);
	assert_int_equal(tiers_for_volume(c, NATURE_INDIVIDUAL, 600000), TIER_IND_SILVER);
	assert_int_equal(tiers_for_volume(c, NATURE_INDIVIDUAL, 3000000), TIER_IND_PLATINUM);
}

/* Big customers with 1 999 .. 20 000 L in 2026H1; C007 and C008 have
 * head-office tiers. */
static void tier_fixture(fixture *fx)
{
	static const int64_t litres[] = { 1999, 2000, 7999, 8000, 19999, 20000 };
	for (int i = 0; i < 6; i++) {
		customer(fx, i + 1, "big", "ordinary", "local");
		visit(fx, i + 1, 60, litres[i]);
	}
	customer(fx, 7, "big", "diamond", "hq"); /* 100 L here: locally ordinary */
	visit(fx, 7, 60, 100);
	customer(fx, 8, "big", "silver", "hq");
	visit(fx, 8, 200, 9000); /* before the period: does not count */
}

static void test_tiers_evaluate(void **state)
{
	fixture *fx = *state;
	char buf[64];
	tier_period p;
	tier_evaluation ev;
	fc_error err;
	tier_fixture(fx);
	assert_int_equal(tiers_parse_period("2026H1", &p, &err), FC_OK);
	assert_string_equal(p.from, "2025-12-31T16:00:00Z");
	assert_string_equal(p.to, "2026-06-30T16:00:00Z");
	assert_int_equal(tiers_parse_period("2026H3", &p, &err), FC_ERR_USAGE);
	tiers_last_period(fx->now, &p);
	assert_string_equal(p.name, "2026H1");

	/* dry run: the changes, nothing written */
	assert_int_equal(tiers_evaluate(fx->db, &fx->cfg, &p, true, 0, &ev, &err), FC_OK);
	assert_int_equal(ev.count, 5);
	assert_int_equal(ev.kept_hq, 2);
	assert_string_equal(ev.changes[0].code, "C006");
	assert_int_equal(ev.changes[0].new_tier, TIER_BIG_DIAMOND);
	tiers_evaluation_free(&ev);
	assert_string_equal(text_of(fx->db, "SELECT count(*) FROM tier_history", buf, sizeof buf), "0");
	assert_string_equal(text_of(fx->db, "SELECT count(*) FROM outbox", buf, sizeof buf), "0");

	/* prefer = hq: head office's diamond and silver win */
	assert_int_equal(tiers_evaluate(fx->db, &fx->cfg, &p, false, 0, &ev, &err), FC_OK);
	tiers_evaluation_free(&ev);
	assert_string_equal(text_of(fx->db, "SELECT group_concat(tier, ',') FROM (SELECT tier FROM"
				    " customers ORDER BY id)", buf, sizeof buf),
			    "ordinary,silver,silver,gold,gold,diamond,diamond,silver");
	assert_string_equal(text_of(fx->db, "SELECT count(*) FROM tier_history WHERE source = 'local'"
				    " AND period = '2026H1'", buf, sizeof buf), "5");
	assert_string_equal(text_of(fx->db, "SELECT old_tier || '>' || new_tier FROM tier_history"
				    " WHERE customer_id = 6", buf, sizeof buf), "ordinary>diamond");
	assert_string_equal(text_of(fx->db, "SELECT count(*) FROM outbox WHERE type = 'tier_changed'",
				    buf, sizeof buf), "5");
	assert_string_equal(text_of(fx->db, "SELECT json_extract(payload, '$.data.new_tier') FROM"
				    " outbox WHERE json_extract(payload, '$.data.customer_code') = 'C004'",
				    buf, sizeof buf), "gold");

	/* prefer = local: the station's own volumes beat head office */
	fx->cfg.tier_prefer_local = true;
	assert_int_equal(tiers_evaluate(fx->db, &fx->cfg, &p, false, 0, &ev, &err), FC_OK);
	assert_int_equal(ev.count, 2);
	tiers_evaluation_free(&ev);
	assert_string_equal(text_of(fx->db, "SELECT tier || ' ' || tier_source FROM customers WHERE id = 7",
				    buf, sizeof buf), "ordinary local");
	assert_string_equal(text_of(fx->db, "SELECT tier FROM customers WHERE id = 8", buf, sizeof buf),
			    "ordinary");
	/* evaluated again: nothing left to change */
	assert_int_equal(tiers_evaluate(fx->db, &fx->cfg, &p, false, 0, &ev, &err), FC_OK);
	assert_int_equal(ev.count, 0);
	tiers_evaluation_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stability_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_classify_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daily_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_won_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stability_across_the_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stability_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tier_thresholds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tiers_evaluate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nature_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_provisional_tier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_composite_quarterly, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
