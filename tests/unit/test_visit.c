/* test_visit.c — recording fuellings and redemptions on a real database:
 * one id across visit, ledger and outbox, discounts, won back, blocked and
 * unknown cards, bad input, disk full, redemption limits. */
#include "pump_fixture.h"

static void visit_with_discount_one_id_everywhere(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	fc_visit_result r;
	char buf[256], sql[512];
	int64_t audit_before = tu_int64(fx->db, "SELECT count(*) FROM audit");
	fc_visit_input in = { .card_id = " aa000002 ", .pump = 3, .grade = "95#", .volume_ml = 40000 };
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	/* 95# lists at 812 fen, gold big has 30 off: 782 x 40 L */
	assert_int_equal(r.price_fen_per_litre, 782);
	assert_int_equal(r.amount_fen, 31280);
	assert_int_equal(r.discount_fen, 1200);
	assert_int_equal(r.points_earned, 60); /* 40 x 1.5 */
	assert_int_equal(r.points_balance, 560);
	assert_false(r.won_back);

	snprintf(sql, sizeof sql, "SELECT count(*) FROM visits v JOIN points_ledger l ON "
		 "l.record_id = v.id JOIN outbox o ON o.id = v.id WHERE v.id = '%s' AND "
		 "o.type = 'visit' AND l.delta = 60 AND v.card_id = 'AA000002' AND v.pump = 3 AND "
		 "v.volume_ml = 40000 AND v.amount_fen = 31280 AND v.tier = 'gold'", r.id);
	assert_int_equal(tu_int64(fx->db, sql), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM visits"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM audit"), audit_before + 1);
	pf_text(fx->db, "SELECT detail FROM audit ORDER BY id DESC LIMIT 1", buf);
	assert_non_null(strstr(buf, "****0002"));
	assert_null(strstr(buf, "AA000002")); /* the full card number stays out of the log */
	pf_text(fx->db, "SELECT json_extract(payload, '$.data.card') FROM outbox", buf);
	assert_string_equal(buf, "AA000002");
	pf_text(fx->db, "SELECT last_visit_at FROM customers WHERE id = 2", buf);
	assert_string_equal(buf, "2026-03-10T02:00:00Z");

	/* by amount: 92# at 760 - 20 = 740 fen/L; 74.00 yuan is 10 L */
	in = (fc_visit_input){ .card_id = "AA000002", .pump = 1, .grade = "92#", .amount_fen = 7400 };
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_int_equal(r.volume_ml, 10000);
	assert_int_equal(r.points_earned, 15);
	assert_int_equal(r.points_balance, 575);
	/* no discount for diamond: list price */
	in = (fc_visit_input){ .card_id = "AA000001", .pump = 1, .grade = "95#", .volume_ml = 10500 };
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_int_equal(r.amount_fen, 8526); /* 812 x 10.5 */
	assert_int_equal(r.discount_fen, 0);
	assert_int_equal(r.points_earned, 21);
	assert_int_equal(tu_int64(fx->db, "SELECT count(DISTINCT seq) FROM outbox"), 3);
	/* what the three visits left: seqs 1..3 with no counter row in meta,
	 * each ledger row carrying its record's seq (written with it, issue
	 * 17), each line its audit row's id and hash */
	assert_int_equal(tu_int64(fx->db, "SELECT group_concat(seq, '') FROM "
					  "(SELECT seq FROM outbox ORDER BY seq)"), 123);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM meta WHERE key = 'next_seq'"), 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM points_ledger l JOIN outbox o "
					  "ON o.id = l.record_id AND o.seq = l.seq"), 3);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox_record r JOIN audit a ON "
					  "a.id = json_extract(r.payload, '$.audit.id') AND "
					  "a.hash = r.audit_hash AND a.action = 'visit'"), 3);
}

static void won_back_and_potential_become_current(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	fc_visit_result r;
	char buf[256];
	fc_visit_input in = { .card_id = "AA000003", .pump = 2, .grade = "92#", .volume_ml = 10999 };
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_true(r.won_back);
	assert_int_equal(r.points_earned, 13); /* floor(10.999 x 1.2) */
	assert_int_equal(r.points_balance, 113);
	assert_int_equal(tu_int64(fx->db, "SELECT won_back FROM visits"), 1);
	pf_text(fx->db, "SELECT stability || ' ' || first_visit_at FROM customers WHERE id = 3", buf);
	assert_string_equal(buf, "current 2026-03-10T02:00:00Z");
	assert_int_equal(tu_int64(fx->db, "SELECT json_extract(payload, '$.data.won_back') FROM outbox"), 1);
	/* the second visit is an ordinary one */
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_false(r.won_back);

	in.card_id = "AA000004";
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_false(r.won_back);
	assert_int_equal(r.points_earned, 10);
	pf_text(fx->db, "SELECT stability FROM customers WHERE id = 4", buf);
	assert_string_equal(buf, "current");
}

/* Stored as current, but the previous purchase was 31 days ago (the daily
 * run has not yet said lost): this purchase wins the customer back; 29 days
 * ago does not. */
static void won_back_before_the_daily_run(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	fc_visit_result r;
	char buf[256];
	tu_exec(fx->db, "UPDATE customers SET stability = 'current', "
			"last_visit_at = '2026-02-07T02:00:00Z' WHERE id = 4");
	fc_visit_input in = { .card_id = "AA000004", .pump = 1, .grade = "92#", .volume_ml = 5000 };
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_true(r.won_back);
	assert_int_equal(tu_int64(fx->db, "SELECT won_back FROM visits WHERE customer_id = 4"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT json_extract(payload, '$.data.won_back') FROM outbox "
					"WHERE type = 'visit'"), 1);
	pf_text(fx->db, "SELECT stability || ' ' || last_visit_at FROM customers WHERE id = 4", buf);
	assert_string_equal(buf, "current 2026-03-10T02:00:00Z");

	tu_exec(fx->db, "DELETE FROM visits WHERE customer_id = 4");
	tu_exec(fx->db, "UPDATE customers SET last_visit_at = '2026-02-09T02:00:00Z' WHERE id = 4");
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_false(r.won_back);
}

static void blocked_unknown_and_anonymous(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	fc_visit_result r;
	char buf[256];
	fc_visit_input in = { .card_id = "AA000005", .pump = 1, .grade = "92#", .volume_ml = 30000 };
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_BLOCKED);
	assert_non_null(strstr(err.msg, "****0005"));
	assert_non_null(strstr(err.msg, "reported stolen"));
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM visits"), 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM points_ledger"), 0);
	pf_text(fx->db, "SELECT type || ' ' || json_extract(payload, '$.data.card') || ' ' || "
		"json_extract(payload, '$.data.where') FROM outbox", buf);
	assert_string_equal(buf, "blocked_card_seen AA000005 visit");
	pf_text(fx->db, "SELECT detail FROM audit WHERE action = 'blocked_card_seen'", buf);
	assert_non_null(strstr(buf, "****0005"));
	assert_null(strstr(buf, "AA000005"));
	char id[UUID_STR_LEN];
	assert_int_equal(visit_record_blocked_seen(fx->db, &fx->cfg, "aa000005", "swipe", 0, id, &err),
			 FC_OK);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'blocked_card_seen'"), 2);
	assert_int_equal(visit_record_blocked_seen(fx->db, &fx->cfg, "AA000001", "swipe", 0, id, &err),
			 FC_ERR_CONFLICT);

	in.card_id = "BEEF";
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "not registered"));
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox"), 2);

	in.card_id = NULL;
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_true(r.anonymous);
	assert_int_equal(r.points_earned, 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM visits WHERE card_id IS NULL AND "
				"customer_id IS NULL AND amount_fen = 22800"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM points_ledger"), 0);
	pf_text(fx->db, "SELECT o.type FROM outbox o JOIN visits v ON v.id = o.id", buf);
	assert_string_equal(buf, "visit");
}

static void bad_input_stores_nothing(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	fc_visit_result r;
	fc_visit_input in = { .card_id = "AA000001", .pump = 1, .grade = "93#", .volume_ml = 1000 };
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "'93#' is not configured (92#, 95#, 98#, 0#)"));
	in.grade = "92#";
	in.amount_fen = 100;
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "not both"));
	in.volume_ml = in.amount_fen = 0;
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "litres or amount"));
	in.volume_ml = -5;
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "above zero"));
	in.volume_ml = 1000;
	in.pump = 0;
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "pump 0"));
	in.pump = 1;
	in.card_id = "AA-01";
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "character 3"));
	/* an empty card id is a card left out, not an anonymous fuelling (NULL) */
	in.card_id = "";
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "card id is empty"));
	/* no list price: litres work, an amount cannot be converted */
	fx->cfg.grade_price_fen[0] = 0;
	in.card_id = "AA000001";
	in.volume_ml = 0;
	in.amount_fen = 5000;
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "enter litres"));
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM visits"), 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox"), 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM audit"), 0);
	in.volume_ml = 2000;
	in.amount_fen = 0;
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_int_equal(r.amount_fen, 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM visits WHERE price_fen_per_litre IS NULL"), 1);
}

static int64_t counts(sqlite3 *db)
{
	return tu_int64(db, "SELECT (SELECT count(*) FROM visits) * 1000000 + "
			  "(SELECT count(*) FROM points_ledger) * 10000 + "
			  "(SELECT count(*) FROM outbox) * 100 + (SELECT count(*) FROM audit) % 100");
}

static void disk_full_leaves_nothing_then_succeeds(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	fc_visit_result r;
	fc_visit_input in = { .card_id = "AA000001", .pump = 1, .grade = "92#", .volume_ml = 5000 };
	int64_t pages = tu_int64(fx->db, "PRAGMA page_count");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
	tu_exec(fx->db, sql);
	fc_status s = FC_OK;
	int64_t before = 0, tries = 0;
	while (s == FC_OK && tries++ < 1000) {
		before = counts(fx->db);
		s = visit_record(fx->db, &fx->cfg, &in, &r, &err);
	}
	assert_int_equal(s, FC_ERR_DB_FULL);
	assert_non_null(strstr(err.msg, "disk full"));
	assert_int_equal(counts(fx->db), before); /* nothing partial */
	assert_true(sqlite3_get_autocommit(fx->db));
	int64_t balance_before = tu_int64(fx->db, "SELECT sum(delta) FROM points_ledger");
	tu_exec(fx->db, "PRAGMA max_page_count = 1000000");
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_int_equal(tu_int64(fx->db, "SELECT sum(delta) FROM points_ledger"), balance_before + 10);
	assert_int_equal(counts(fx->db), before + 1010101);
}

static void redeem_never_below_zero_and_offline_cap(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	fc_redeem_result r, r2;
	char sql[512];
	/* customer 2 has 500 synced points; offline (never uploaded); cap 300 */
	fx->cfg.points_offline_daily_cap = 300;
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000002", 501, 0, &r, &err), FC_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "has 500 points"));
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000002", 0, 0, &r, &err), FC_ERR_INVALID);
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000002", 200, 0, &r, &err), FC_OK);
	assert_int_equal(r.value_fen, 200);
	assert_int_equal(r.points_balance, 300);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM redemptions d JOIN points_ledger l ON "
		 "l.record_id = d.id AND l.delta = -200 JOIN outbox o ON o.id = d.id AND "
		 "o.type = 'redemption' WHERE d.id = '%s' AND d.local_date = '2026-03-10'", r.id);
	assert_int_equal(tu_int64(fx->db, sql), 1);
	/* the redemption's ledger row, written before its outbox row, gets
	 * its seq from the trigger */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM points_ledger l JOIN outbox o ON "
		 "o.id = l.record_id AND o.seq = l.seq WHERE l.record_id = '%s'", r.id);
	assert_int_equal(tu_int64(fx->db, sql), 1);
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000002", 101, 0, &r2, &err), FC_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "100 left"));
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000002", 100, 0, &r2, &err), FC_OK);
	assert_string_not_equal(r.id, r2.id);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM redemptions"), 2);

	/* online (last upload 10 minutes ago): no cap, still never below zero */
	tu_exec(fx->db, "INSERT INTO meta VALUES('last_upload_ok_at', '2026-03-10T01:50:00Z')");
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000002", 201, 0, &r, &err), FC_ERR_LIMIT);
	fx->cfg.points_offline_daily_cap = 0;
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000002", 200, 0, &r, &err), FC_OK);
	assert_int_equal(r.points_balance, 0);
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000002", 1, 0, &r, &err), FC_ERR_LIMIT);

	/* the next local day, offline again (stale after 60 minutes): a new day's cap */
	fx->cfg.points_offline_daily_cap = 50;
	setenv("FORECOURT_NOW", "2026-03-10T16:30:00Z", 1); /* 03-11 00:30 local */
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000003", 50, 0, &r, &err), FC_OK);
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000003", 1, 0, &r, &err), FC_ERR_LIMIT);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM redemptions WHERE local_date = '2026-03-11'"), 1);

	/* blocked and unknown cards */
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000005", 10, 0, &r, &err), FC_ERR_BLOCKED);
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AB", 10, 0, &r, &err), FC_ERR_NOT_FOUND);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM redemptions"), 4);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'blocked_card_seen'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(visit_with_discount_one_id_everywhere, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(won_back_and_potential_become_current, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(won_back_before_the_daily_run, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(blocked_unknown_and_anonymous, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(bad_input_stores_nothing, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(disk_full_leaves_nothing_then_succeeds, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(redeem_never_below_zero_and_offline_cap, pf_setup, pf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
