/* test_lookup_decision.c — the swipe decision from the card's row alone
 * (migration 14) on a real database: it agrees with the whole card view
 * for every kind of card; it follows the customer (provisional tier: no
 * green lane, a nature change, a card blocked after its customer changed,
 * a card moved or added, a copy not known); a fuelling writes no card;
 * head office's tier changes and blocks through a master pull, small and
 * through shadow tables; a bulk job's shadows carry the triggers, and a
 * tier evaluation through them keeps every card's decision right. */
#include "pump_fixture.h"

#include "customers/tiers.h"
#include "store/bulk.h"
#include "sync/master.h"

/* The decision of card, which must agree with lookup_card's view. */
static fc_card_view decide(pump_fixture *fx, const char *card)
{
	fc_card_view d, v;
	fc_error err;
	assert_int_equal(lookup_decision(fx->db, &fx->cfg, card, &d, &err), FC_OK);
	assert_int_equal(lookup_card(fx->db, &fx->cfg, card, &v, &err), FC_OK);
	assert_false(d.details);
	assert_true(v.details);
	assert_string_equal(d.card_id, v.card_id);
	assert_string_equal(d.card_masked, v.card_masked);
	assert_int_equal(d.registered, v.registered);
	assert_int_equal(d.blocked, v.blocked);
	assert_string_equal(d.blocked_reason, v.blocked_reason);
	assert_int_equal(d.customer_id, v.customer_id);
	assert_int_equal(d.nature, v.nature);
	assert_int_equal(d.tier, v.tier);
	assert_int_equal(d.tier_provisional, v.tier_provisional);
	assert_int_equal(d.green_lane, v.green_lane);
	assert_int_equal(d.pump_count, v.pump_count);
	assert_memory_equal(d.pumps, v.pumps, sizeof d.pumps);
	return d;
}

/* Cards whose copy of the decision columns differs from their customer's. */
static int64_t copies_off(sqlite3 *db)
{
	return tu_int64(db, "SELECT count(*) FROM cards k JOIN customers c ON c.id = k.customer_id"
			    " WHERE k.customer_nature IS NOT c.nature OR k.customer_tier IS NOT c.tier"
			    " OR k.customer_provisional IS NOT c.tier_provisional");
}

static void decision_agrees_with_the_view(void **state)
{
	pump_fixture *fx = *state;
	fc_card_view d = decide(fx, "aa000001");
	assert_true(d.registered && d.green_lane);
	assert_int_equal(d.tier, TIER_BIG_DIAMOND);
	assert_int_equal(d.customer_id, 1);
	assert_string_equal(d.name, ""); /* the rest is the view's */
	assert_int_equal(d.points, 0);
	d = decide(fx, "AA000002");
	assert_int_equal(d.tier, TIER_BIG_GOLD);
	d = decide(fx, "AA000003");
	assert_int_equal(d.nature, NATURE_INDIVIDUAL);
	assert_false(d.green_lane);
	d = decide(fx, "AA000005"); /* platinum, but blocked: the red warning, no benefits */
	assert_true(d.blocked);
	assert_string_equal(d.blocked_reason, "reported stolen");
	assert_false(d.green_lane);
	d = decide(fx, "0badcafe");
	assert_false(d.registered);
	assert_string_equal(d.card_id, "0BADCAFE");
	fc_error err;
	assert_int_equal(lookup_decision(fx->db, &fx->cfg, "nope", &d, &err), FC_ERR_INVALID);
	assert_int_equal(copies_off(fx->db), 0);
	/* a copy not known (cards loaded without the triggers): the customer's */
	tu_exec(fx->db, "UPDATE cards SET customer_nature = NULL, customer_tier = NULL,"
			" customer_provisional = NULL WHERE card_id = 'AA000002'");
	d = decide(fx, "AA000002");
	assert_int_equal(d.tier, TIER_BIG_GOLD);
	assert_true(d.green_lane);
	/* such a load makes the copies again after it (the demo generator) */
	assert_int_equal(lookup_decision_rebuild(fx->db, &err), FC_OK);
	assert_int_equal(copies_off(fx->db), 0);
	/* the decision writes nothing */
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox"), 0);
}

static void decision_follows_the_customer(void **state)
{
	pump_fixture *fx = *state;
	/* a provisional tier (declared demand): no green lane yet */
	tu_exec(fx->db, "UPDATE customers SET tier_provisional = 1 WHERE id = 1");
	fc_card_view d = decide(fx, "AA000001");
	assert_true(d.tier_provisional);
	assert_false(d.green_lane);
	tu_exec(fx->db, "UPDATE customers SET tier_provisional = 0 WHERE id = 1");
	assert_true(decide(fx, "AA000001").green_lane);
	/* a nature change: the tier of the other nature */
	tu_exec(fx->db, "UPDATE customers SET nature = 'individual', tier = 'platinum' WHERE id = 2");
	d = decide(fx, "AA000002");
	assert_int_equal(d.nature, NATURE_INDIVIDUAL);
	assert_int_equal(d.tier, TIER_IND_PLATINUM);
	/* the customer changed, then the card blocked a second later */
	tu_exec(fx->db, "UPDATE customers SET tier = 'silver', updated_at = 'y' WHERE id = 2;"
			"UPDATE cards SET status = 'blocked', blocked_reason = 'lost' WHERE card_id = 'AA000002'");
	d = decide(fx, "AA000002");
	assert_true(d.blocked);
	assert_string_equal(d.blocked_reason, "lost");
	assert_int_equal(d.tier, TIER_IND_SILVER);
	assert_false(d.green_lane);
	/* a card moved to another customer, a card added */
	tu_exec(fx->db, "UPDATE cards SET customer_id = 3 WHERE card_id = 'AA000001';"
			"INSERT INTO cards(card_id, customer_id, kind, updated_at)"
			" VALUES ('AA000009', 1, 'unit', 'x')");
	d = decide(fx, "AA000001");
	assert_int_equal(d.customer_id, 3);
	assert_int_equal(d.tier, TIER_IND_SILVER);
	assert_int_equal(decide(fx, "AA000009").tier, TIER_BIG_DIAMOND);
	assert_int_equal(copies_off(fx->db), 0);
}

static void a_fuelling_writes_no_card(void **state)
{
	pump_fixture *fx = *state;
	tu_exec(fx->db, "CREATE TEMP TABLE card_writes (n INTEGER);"
			"CREATE TEMP TRIGGER count_card_writes AFTER UPDATE ON main.cards BEGIN"
			" INSERT INTO card_writes VALUES (1); END");
	fc_visit_input in = { .card_id = "AA000003", .pump = 1, .grade = "92#",
			      .volume_ml = 40000 };
	fc_visit_result res;
	fc_error err;
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &res, &err), FC_OK);
	/* the customer's row changed (a lost customer won back), its card did not */
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM customers WHERE id = 3 AND"
					  " last_visit_at IS NOT NULL"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM card_writes"), 0);
	assert_int_equal(decide(fx, "AA000003").tier, TIER_IND_SILVER);
}

static void head_office_changes_through_master(void **state)
{
	pump_fixture *fx = *state;
	master_result r;
	fc_error err;
	const char *pull = "{\"kind\":\"tier\",\"customer_code\":\"C-BG\",\"tier\":\"diamond\","
			   "\"period\":\"2026H1\"}\n"
			   "{\"kind\":\"blocked\",\"card_id\":\"AA000003\",\"reason\":\"elsewhere\"}\n"
			   "{\"kind\":\"version\",\"version\":\"v1\"}\n";
	assert_int_equal(master_apply(fx->db, &fx->cfg, pull, strlen(pull), &r, &err), FC_OK);
	fc_card_view d0 = decide(fx, "AA000002");
	assert_int_equal(d0.tier, TIER_BIG_DIAMOND);
	d0 = decide(fx, "AA000003");
	assert_true(d0.blocked);
	assert_string_equal(d0.blocked_reason, "elsewhere");

	/* a pull of more than BULK_DIRECT_MAX changes goes through shadow
	 * tables: every card shows its customer's new tier after the switch */
	tu_exec(fx->db,
		"WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 1299)"
		" INSERT INTO customers(id, code, name, nature, tier, created_at, updated_at)"
		" SELECT i, 'M' || i, 'Fleet ' || i, 'big', 'ordinary', 'x', 'x' FROM n;"
		"INSERT INTO cards(card_id, customer_id, kind, updated_at)"
		" SELECT printf('B%07d', id), id, 'unit', 'x' FROM customers WHERE id >= 100");
	sqlite3_str *big = sqlite3_str_new(NULL);
	for (int i = 100; i < 1300; i++)
		sqlite3_str_appendf(big, "{\"kind\":\"tier\",\"customer_code\":\"M%d\",\"tier\":\"%s\","
				    "\"period\":\"2026H1\"}\n", i, i % 2 ? "gold" : "silver");
	sqlite3_str_appendf(big, "{\"kind\":\"version\",\"version\":\"v2\"}\n");
	char *text = sqlite3_str_finish(big);
	assert_non_null(text);
	assert_int_equal(master_apply(fx->db, &fx->cfg, text, strlen(text), &r, &err), FC_OK);
	sqlite3_free(text);
	assert_int_equal(r.lines, 1200);
	assert_int_equal(copies_off(fx->db), 0);
	assert_int_equal(decide(fx, "B0000101").tier, TIER_BIG_GOLD);
	assert_int_equal(decide(fx, "B0000102").tier, TIER_BIG_SILVER);
	assert_true(decide(fx, "AA000003").blocked);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM sqlite_master WHERE name LIKE"
					  " '%\\_\\_next' ESCAPE '\\' OR name LIKE '%\\_\\_old' ESCAPE '\\'"), 0);
	/* the triggers are back on the live tables */
	tu_exec(fx->db, "UPDATE customers SET tier = 'diamond' WHERE id = 101");
	assert_int_equal(decide(fx, "B0000101").tier, TIER_BIG_DIAMOND);

	/* new customers and their new cards in one shadowed pull: the cards'
	 * shadow reads the customers' shadow for its copies */
	big = sqlite3_str_new(NULL);
	for (int i = 0; i < 600; i++)
		sqlite3_str_appendf(big, "{\"kind\":\"customer\",\"code\":\"N%d\",\"name\":\"New %d\","
				    "\"nature\":\"individual\",\"industry\":\"taxi\",\"tier\":\"%s\"}\n"
				    "{\"kind\":\"card\",\"card_id\":\"C%07d\",\"customer_code\":\"N%d\","
				    "\"card_kind\":\"personal\"}\n", i, i, i % 2 ? "platinum" : "silver", i, i);
	sqlite3_str_appendf(big, "{\"kind\":\"version\",\"version\":\"v3\"}\n");
	text = sqlite3_str_finish(big);
	assert_non_null(text);
	assert_int_equal(master_apply(fx->db, &fx->cfg, text, strlen(text), &r, &err), FC_OK);
	sqlite3_free(text);
	assert_int_equal(r.lines, 1200);
	assert_int_equal(copies_off(fx->db), 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM cards WHERE card_id LIKE 'C%'"
					  " AND customer_tier IS NOT NULL"), 600);
	fc_card_view d = decide(fx, "C0000001");
	assert_int_equal(d.tier, TIER_IND_PLATINUM);
	assert_int_equal(d.nature, NATURE_INDIVIDUAL);
	assert_int_equal(decide(fx, "C0000002").tier, TIER_IND_SILVER);
}

/* The job's reapply: customer 2 gets the job's tier again. */
static fc_status reapply(void *user, bulk_table t, sqlite3_stmt *keys, fc_error *err)
{
	sqlite3 *job = user;
	while (t == BULK_CUSTOMERS && sqlite3_step(keys) == SQLITE_ROW)
		if (sqlite3_column_int64(keys, 0) == 2 &&
		    sqlite3_exec(job, "UPDATE customers__next SET tier = 'silver' WHERE id = 2", NULL,
				 NULL, NULL) != SQLITE_OK)
			return fc_error_set(err, FC_ERR_DB, "reapply");
	return FC_OK;
}

static void shadows_keep_card_decisions(void **state)
{
	pump_fixture *fx = *state;
	char path[4096];
	fc_error err;
	sqlite3 *job;
	bulk_job *j;
	assert_int_equal(db_open(tu_path(path, fx->dir, "p.db"), DB_OPEN_EXISTING, &job, &err), FC_OK);
	assert_int_equal(bulk_open(job, path, false, &j, &err), FC_OK);
	assert_int_equal(bulk_shadow(j, BULK_CUSTOMERS, false, &err), FC_OK);
	/* the cards are shadowed with the customers; the triggers copied onto
	 * the shadows write and read the shadows */
	assert_true(bulk_shadowed(j, BULK_CARDS));
	char out[256];
	assert_int_equal(tu_int64(job, "SELECT instr(sql, '\"cards__next\"') > 0 FROM sqlite_master"
				       " WHERE name = 'customers_decision_update__next'"), 1);
	assert_int_equal(tu_int64(job, "SELECT instr(sql, '\"customers__next\"') > 0 FROM"
				       " sqlite_master WHERE name = 'cards_decision_insert__next'"), 1);
	assert_string_equal(pf_text(job, "SELECT tbl_name FROM sqlite_master WHERE name ="
					 " 'cards_decision_move__next'", out), "cards__next");
	/* the job: customer 2 to silver, a new card of it */
	assert_int_equal(bulk_chunk_begin(j, &err), FC_OK);
	tu_exec(job, "UPDATE customers__next SET tier = 'silver' WHERE id = 2;"
		     "INSERT INTO cards__next(card_id, customer_id, kind, updated_at)"
		     " VALUES ('AA000010', 2, 'unit', 'x')");
	assert_int_equal(bulk_chunk_end(j, FC_OK, &err), FC_OK);
	assert_string_equal(pf_text(job, "SELECT customer_tier FROM cards__next WHERE card_id ="
					 " 'AA000010'", out), "silver");
	/* readers see none of it; meanwhile the station changes customers 1
	 * and 2 and blocks 2's card */
	assert_int_equal(decide(fx, "AA000002").tier, TIER_BIG_GOLD);
	tu_exec(fx->db, "UPDATE customers SET tier = 'ordinary' WHERE id = 1;"
			"UPDATE customers SET tier = 'diamond' WHERE id = 2;"
			"UPDATE cards SET status = 'blocked', blocked_reason = 'lost' WHERE card_id = 'AA000002'");
	assert_int_equal(decide(fx, "AA000002").tier, TIER_BIG_DIAMOND);
	assert_int_equal(bulk_switch_begin(j, reapply, job, &err), FC_OK);
	assert_int_equal(bulk_switch_end(j, FC_OK, &err), FC_OK);
	bulk_close(j);
	db_close(job);
	/* the job wins on its customer, the station's block and change stay */
	fc_card_view d = decide(fx, "AA000002");
	assert_true(d.blocked);
	assert_int_equal(d.tier, TIER_BIG_SILVER);
	assert_int_equal(decide(fx, "AA000010").tier, TIER_BIG_SILVER);
	d = decide(fx, "AA000001");
	assert_int_equal(d.tier, TIER_BIG_ORDINARY);
	assert_false(d.green_lane);
	assert_int_equal(copies_off(fx->db), 0);
	/* the live tables have their triggers again */
	tu_exec(fx->db, "UPDATE customers SET tier = 'gold' WHERE id = 1");
	assert_int_equal(decide(fx, "AA000001").tier, TIER_BIG_GOLD);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
					  " AND name LIKE '%decision%'"), 3);
}

static void tier_evaluation_through_shadows(void **state)
{
	pump_fixture *fx = *state;
	/* 1 200 big customers, ordinary, 5 000 L each in 2025H2: silver, more
	 * changes than one short transaction takes */
	tu_exec(fx->db,
		"WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 1299)"
		" INSERT INTO customers(id, code, name, nature, tier, created_at, updated_at)"
		" SELECT i, 'E' || i, 'Fleet ' || i, 'big', 'ordinary', 'x', 'x' FROM n;"
		"INSERT INTO cards(card_id, customer_id, kind, updated_at)"
		" SELECT printf('E%07d', id), id, 'unit', 'x' FROM customers WHERE id >= 100;"
		"INSERT INTO visits(id, created_at, customer_id, pump, grade, volume_ml, amount_fen)"
		" SELECT 'v' || id, '2025-10-01T02:00:00Z', id, 1, '92#', 5000000, 0 FROM customers"
		" WHERE id >= 100");
	tier_period p;
	tier_evaluation ev;
	fc_error err;
	assert_int_equal(tiers_parse_period("2025H2", &p, &err), FC_OK);
	assert_int_equal(tiers_evaluate(fx->db, &fx->cfg, &p, false, 0, &ev, &err), FC_OK);
	assert_true(ev.count > BULK_DIRECT_MAX);
	tiers_evaluation_free(&ev);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM cards WHERE customer_tier = 'silver'"
					  " AND card_id LIKE 'E%'"), 1200);
	assert_int_equal(copies_off(fx->db), 0);
	fc_card_view d = decide(fx, "E0000500");
	assert_int_equal(d.tier, TIER_BIG_SILVER);
	assert_true(d.green_lane == config_green_lane(&fx->cfg, TIER_BIG_SILVER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(decision_agrees_with_the_view, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(decision_follows_the_customer, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(a_fuelling_writes_no_card, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(head_office_changes_through_master, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(shadows_keep_card_decisions, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(tier_evaluation_through_shadows, pf_setup, pf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
