/* test_lookup.c — the swipe decision on a real database: canonical card ids,
 * points per tier, balance, offline marking, discounts, green lane, owner,
 * callback due, blocked and unknown cards, registering a new customer. */
#include "pump_fixture.h"

#include "care/callback.h"

static void card_ids_are_canonical(void **state)
{
	(void)state;
	char out[80];
	char long_id[80];
	fc_error err;
	assert_int_equal(lookup_canonical_card(" \taa00f1e\r\n", out, &err), FC_OK);
	assert_string_equal(out, "AA00F1E");
	assert_int_equal(lookup_canonical_card("  ", out, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(lookup_canonical_card("12 34", out, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "character 3"));
	memset(long_id, 'F', 65);
	long_id[65] = '\0';
	assert_int_equal(lookup_canonical_card(long_id, out, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "at most 64"));
	long_id[64] = '\0';
	assert_int_equal(lookup_canonical_card(long_id, out, &err), FC_OK);

	lookup_mask_card("AA000001", out);
	assert_string_equal(out, "****0001");
	lookup_mask_card("AB", out);
	assert_string_equal(out, "****");
}

static void points_per_tier_in_integers(void **state)
{
	pump_fixture *fx = *state;
	fc_config *cfg = &fx->cfg;
	/* 10.5 L: diamond/platinum 2.0, gold 1.5, silver 1.2, ordinary 1.0, floored */
	assert_int_equal(lookup_points_for(cfg, TIER_BIG_DIAMOND, 10500), 21);
	assert_int_equal(lookup_points_for(cfg, TIER_IND_PLATINUM, 10500), 21);
	assert_int_equal(lookup_points_for(cfg, TIER_BIG_GOLD, 10500), 15);
	assert_int_equal(lookup_points_for(cfg, TIER_IND_GOLD, 10500), 15);
	assert_int_equal(lookup_points_for(cfg, TIER_BIG_SILVER, 10500), 12);
	assert_int_equal(lookup_points_for(cfg, TIER_IND_SILVER, 10500), 12);
	assert_int_equal(lookup_points_for(cfg, TIER_BIG_ORDINARY, 10500), 10);
	assert_int_equal(lookup_points_for(cfg, TIER_IND_ORDINARY, 999), 0);
	assert_int_equal(lookup_points_for(cfg, TIER_IND_ORDINARY, 0), 0);
	/* 1.5 points per litre x 1.5: 10.5 L = 23.625 */
	cfg->points_per_litre_milli = 1500;
	assert_int_equal(lookup_points_for(cfg, TIER_BIG_GOLD, 10500), 23);
	/* the largest visit does not overflow: 100 000 L x 100 x 100 */
	cfg->points_per_litre_milli = 100000;
	cfg->points_multiplier_milli[TIER_BIG_GOLD] = 100000;
	assert_int_equal(lookup_points_for(cfg, TIER_BIG_GOLD, VISIT_MAX_ML), 1000000000LL);
}

static void lookup_green_lane_discount_balance(void **state)
{
	pump_fixture *fx = *state;
	fc_card_view v;
	fc_error err;
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "aa000001", &v, &err), FC_OK);
	assert_true(v.registered);
	assert_false(v.blocked);
	assert_string_equal(v.card_id, "AA000001");
	assert_string_equal(v.card_masked, "****0001");
	assert_string_equal(v.customer_code, "C-BD");
	assert_string_equal(v.name, "大客户钻");
	assert_int_equal(v.tier, TIER_BIG_DIAMOND);
	assert_int_equal(v.industry, INDUSTRY_LOGISTICS);
	assert_true(v.green_lane);
	assert_int_equal(v.pump_count, 2);
	assert_int_equal(v.pumps[0], 1);
	assert_int_equal(v.pumps[1], 2);
	assert_string_equal(v.owner_key, "branch_manager");
	assert_int_equal(v.discount_count, 0);

	/* gold big: green lane, discounts for 92# and 95# only (not the individual one) */
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_true(v.green_lane);
	assert_int_equal(v.discount_count, 2);
	assert_string_equal(v.discounts[0].grade, "92#");
	assert_int_equal(v.discounts[0].fen_per_litre, 20);
	assert_string_equal(v.discounts[1].grade, "95#");
	assert_int_equal(v.discounts[1].fen_per_litre, 30);
	assert_string_equal(v.owner_key, "branch_retail_dept");
	/* balance = synced + unsynced ledger rows; synced rows are already in points_synced */
	assert_int_equal(v.points, 500);
	tu_exec(fx->db, "INSERT INTO points_ledger(record_id, customer_id, delta, reason, created_at, synced)"
			" VALUES ('r1', 2, 40, 'earn', 'x', 0), ('r2', 2, -15, 'redeem', 'x', 0),"
			" ('r0', 2, 1000, 'earn', 'x', 1)");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_int_equal(v.points, 525);
	assert_true(v.points_stale); /* never uploaded */
	tu_exec(fx->db, "INSERT INTO meta VALUES('last_upload_ok_at', '2026-03-10T01:30:00Z')");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_false(v.points_stale); /* 30 minutes ago, stale after 60 */
	fx->cfg.points_stale_after_minutes = 20;
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &v, &err), FC_OK);
	assert_true(v.points_stale);

	/* silver individual: no green lane, no pumps, lost -> won back */
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000003", &v, &err), FC_OK);
	assert_false(v.green_lane);
	assert_int_equal(v.pump_count, 0);
	assert_true(v.won_back);
	assert_string_equal(v.owner_key, "station_head");
	/* a tier made green by config */
	fx->cfg.green_lane[TIER_IND_SILVER] = true;
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000003", &v, &err), FC_OK);
	assert_true(v.green_lane);
}

static void lookup_blocked_unknown(void **state)
{
	pump_fixture *fx = *state;
	fc_card_view v;
	fc_error err;
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000005", &v, &err), FC_OK);
	assert_true(v.registered);
	assert_true(v.blocked);
	assert_string_equal(v.blocked_reason, "reported stolen");
	assert_false(v.green_lane); /* platinum, but blocked: no benefits */
	tu_exec(fx->db, "UPDATE customers SET stability = 'lost' WHERE id = 5");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000005", &v, &err), FC_OK);
	assert_false(v.won_back); /* a blocked card wins no one back */
	assert_int_equal(v.pump_count, 0);
	assert_int_equal(v.discount_count, 0);
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "0badcafe", &v, &err), FC_OK);
	assert_false(v.registered);
	assert_string_equal(v.card_id, "0BADCAFE");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "nope", &v, &err), FC_ERR_INVALID);
	/* lookups write nothing */
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox"), 0);
}

static void callback_due_this_month(void **state)
{
	pump_fixture *fx = *state;
	fc_card_view v;
	fc_error err;
	/* diamond needs 2 a month; 03-01 00:30 local is 02-28 16:30 UTC (this month),
	 * 02-28 23:00 local is last month.  The branch manager maintains a diamond
	 * customer: the station counts its callbacks but owes none. */
	tu_exec(fx->db, "INSERT INTO callbacks(id, created_at, customer_id, method) VALUES"
			" ('k1', '2026-02-28T15:00:00Z', 1, 'phone'),"
			" ('k2', '2026-02-28T16:30:00Z', 1, 'sms')");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000001", &v, &err), FC_OK);
	assert_int_equal(v.callbacks_required, 2);
	assert_int_equal(v.callbacks_done, 1);
	assert_false(v.callback_owed);
	assert_false(v.callback_due);
	/* a swing platinum needs 2 + 1; ordinary individual 1, owed here */
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000005", &v, &err), FC_OK);
	assert_int_equal(v.callbacks_required, 3);
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000004", &v, &err), FC_OK);
	assert_int_equal(v.callbacks_required, 1);
	assert_true(v.callback_owed);
	assert_true(v.callback_due);
	/* a visit report counts like a callback, on its report date */
	tu_exec(fx->db, "INSERT INTO visit_reports(id, created_at, customer_id, report_date, "
			"quality, attitude, renown) VALUES ('r1', '2026-03-09T01:00:00Z', 4, "
			"'2026-03-09', 90, 90, 90)");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000004", &v, &err), FC_OK);
	assert_int_equal(v.callbacks_done, 1);
	assert_false(v.callback_due);
	/* a holiday 7 days ahead: a callback in the week before it (from 03-10) is
	 * mandatory, the report of 03-09 is too early */
	tu_exec(fx->db, "INSERT INTO holidays(date, kind, name) VALUES ('2026-03-17', 'holiday', 'test day')");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000004", &v, &err), FC_OK);
	assert_true(v.callback_due);
	assert_true(v.callback_holiday);
	tu_exec(fx->db, "DELETE FROM holidays; DELETE FROM visit_reports");
	/* the owner's station owes the callbacks: another home station, none here */
	tu_exec(fx->db, "UPDATE customers SET home_station = 'S0002' WHERE id = 4");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000004", &v, &err), FC_OK);
	assert_false(v.callback_owed);
	assert_false(v.callback_due);
	tu_exec(fx->db, "UPDATE customers SET home_station = 'S0001' WHERE id = 4"); /* this one */
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000004", &v, &err), FC_OK);
	assert_true(v.callback_due);
}

/* The swipe's "callback due" and the F8 list are one function: for every
 * card, due on the swipe exactly when the customer is on the list. */
static void callback_due_agrees_with_the_list(void **state)
{
	pump_fixture *fx = *state;
	fc_card_view v;
	fc_error err;
	tu_exec(fx->db, "UPDATE customers SET tier = 'ordinary' WHERE id IN (1, 3);"
			"UPDATE customers SET home_station = 'S0002' WHERE id = 1;"
			"INSERT INTO callbacks(id, created_at, customer_id, method) VALUES"
			" ('k1', '2026-03-02T01:00:00Z', 3, 'phone');"
			"INSERT INTO holidays(date, kind, name) VALUES ('2026-03-14', 'holiday', 'test day')");
	for (int round = 0; round < 2; round++) {
		fc_callback_due_list due;
		assert_int_equal(callback_list_due(fx->db, &fx->cfg, clock_now_ms(), &due, &err),
				 FC_OK);
		int listed = 0;
		for (int id = 1; id <= 5; id++) {
			char card[32];
			snprintf(card, sizeof card, "AA00000%d", id % 10);
			assert_int_equal(lookup_card(fx->db, &fx->cfg, card, &v, &err), FC_OK);
			bool on_list = false;
			for (size_t i = 0; i < due.count; i++)
				on_list |= due.rows[i].customer_id == id;
			assert_int_equal(v.callback_due, on_list);
			listed += on_list;
		}
		/* 3 (called back this month, but not in the holiday's week) and 4;
		 * not 1 (S0002's), 2 (gold: not the station's tier), 5 (platinum) */
		assert_int_equal(listed, round == 0 ? 2 : 1);
		assert_int_equal((int)due.count, listed);
		callback_due_free(&due);
		/* a callback in the holiday's week takes 3 off both */
		if (round == 0)
			tu_exec(fx->db, "INSERT INTO callbacks(id, created_at, customer_id, method) VALUES"
					" ('k2', '2026-03-09T01:00:00Z', 3, 'sms')");
	}
}

static void register_new_customer(void **state)
{
	pump_fixture *fx = *state;
	fc_customer_result r;
	fc_card_view v;
	fc_error err;
	char buf[256];
	fc_customer_input in = { .card_id = " c0ffee01 ", .name = "张师傅", .phone = "13800000000",
				 .plate = "京A12345", .nature = NATURE_INDIVIDUAL,
				 .industry = INDUSTRY_TAXI };
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_string_equal(r.code, "S0001-I-TX-000001");
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "C0FFEE01", &v, &err), FC_OK);
	assert_true(v.registered);
	assert_int_equal(v.stability, STABILITY_POTENTIAL);
	assert_int_equal(v.tier, TIER_IND_ORDINARY);
	assert_string_equal(v.plate, "京A12345");
	pf_text(fx->db, "SELECT type || ' ' || json_extract(payload, '$.data.code') || ' ' || "
			"json_extract(payload, '$.data.card') FROM outbox", buf);
	assert_string_equal(buf, "customer_registered S0001-I-TX-000001 C0FFEE01");
	pf_text(fx->db, "SELECT detail FROM audit", buf);
	assert_non_null(strstr(buf, "****EE01"));
	assert_null(strstr(buf, "C0FFEE01"));

	in.card_id = "C0FFEE02";
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_string_equal(r.code, "S0001-I-TX-000002");
	in.card_id = "C0FFEE03";
	in.nature = NATURE_BIG;
	in.industry = INDUSTRY_LOGISTICS;
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_string_equal(r.code, "S0001-B-LG-000001");
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM cards WHERE card_id = 'C0FFEE03' AND kind = 'unit'"), 1);

	/* refusals store nothing */
	int64_t before = tu_int64(fx->db, "SELECT count(*) FROM customers");
	in.card_id = "AA000001";
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_EXISTS);
	assert_non_null(strstr(err.msg, "****0001"));
	in.card_id = "C0FFEE04";
	in.name = "";
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "name"));
	in.name = "x";
	in.card_id = "G1";
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM customers"), before);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox"), 3);
}

/* The demo reader's F2: any pick gives a card, by index seeks only. */
static void pick_card_by_seeks(void **state)
{
	pump_fixture *fx = *state;
	char id[80], plan[512];
	fc_error err;
	assert_int_equal(lookup_pick_card(fx->db, 0, id, &err), FC_OK);
	assert_string_equal(id, "AA000001");
	assert_int_equal(lookup_pick_card(fx->db, 3, id, &err), FC_OK);
	assert_string_equal(id, "AA000004");
	assert_int_equal(lookup_pick_card(fx->db, UINT64_MAX, id, &err), FC_OK);
	assert_int_equal(strncmp(id, "AA00000", 7), 0);
	/* customer 4 has no card: the pick moves on to the next customer's */
	tu_exec(fx->db, "DELETE FROM cards WHERE customer_id = 4");
	assert_int_equal(lookup_pick_card(fx->db, 3, id, &err), FC_OK);
	assert_string_equal(id, "AA000005");
	/* no full scan of cards (a station may hold millions) */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(fx->db,
					    "EXPLAIN QUERY PLAN SELECT card_id FROM cards WHERE "
					    "customer_id >= (SELECT 7 % max(customer_id) FROM cards) "
					    "+ 1 ORDER BY customer_id LIMIT 1",
					    -1, &st, NULL),
			 SQLITE_OK);
	plan[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW)
		snprintf(plan + strlen(plan), sizeof plan - strlen(plan), "%s; ",
			 (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	assert_null(strstr(plan, "SCAN"));
	tu_exec(fx->db, "DELETE FROM cards");
	assert_int_equal(lookup_pick_card(fx->db, 3, id, &err), FC_ERR_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(card_ids_are_canonical),
		cmocka_unit_test_setup_teardown(points_per_tier_in_integers, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(lookup_green_lane_discount_balance, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(lookup_blocked_unknown, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(callback_due_this_month, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(callback_due_agrees_with_the_list, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(register_new_customer, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(pick_card_by_seeks, pf_setup, pf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
