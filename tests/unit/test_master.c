/* test_master.c — head office's master data on a real SQLite file: a pull
 * is applied whole or not at all; each hostile line is named
 * "master:LINE: column 'x': why" as the import names a row; plates, tier
 * history, litres and the chain's customer columns go the import's way;
 * a balance with points_seq counts every ledger movement exactly once. */
#include "pump_fixture.h"

#include "store/db.h"
#include "sync/master.h"

/* Apply text as a pull; returns its status, err and r filled. */
static fc_status pull(pump_fixture *fx, const char *text, master_result *r, fc_error *err)
{
	return master_apply(fx->db, &fx->cfg, text, strlen(text), r, err);
}

static int64_t count_of(sqlite3 *db, const char *sql)
{
	char out[256];
	return strtoll(pf_text(db, sql, out), NULL, 10);
}

/* The whole state a refused pull must leave as it was. */
static void snapshot(sqlite3 *db, char *out, size_t size)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT (SELECT group_concat(c, ';') FROM (SELECT code || ',' || name || ',' || tier"
		"  || ',' || points_synced || ',' || points_seq || ',' || coalesce(plate, '-') AS c"
		"  FROM customers ORDER BY id)),"
		" (SELECT count(*) FROM cards), (SELECT count(*) FROM prices),"
		" (SELECT count(*) FROM tier_history), (SELECT count(*) FROM chain_litres),"
		" (SELECT group_concat(synced) FROM points_ledger),"
		" (SELECT value FROM meta WHERE key = 'master_version')",
		-1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = 0;
	for (int i = 0; i < sqlite3_column_count(st); i++)
		n += snprintf(out + n, size - (size_t)n, "%s|",
			      sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i)
							 : "NULL");
	sqlite3_finalize(st);
}

static void a_pull_is_whole_or_nothing(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	master_result r;
	const char *good =
		"{\"kind\":\"customer\",\"code\":\"A1\",\"name\":\"A\",\"nature\":\"big\","
		"\"industry\":\"taxi\"}\n"
		"{\"kind\":\"card\",\"card_id\":\"0A1B\",\"customer_code\":\"A1\","
		"\"card_kind\":\"unit\"}\n"
		"{\"kind\":\"price\",\"grade\":\"95#\",\"tier\":\"gold\",\"nature\":\"big\","
		"\"discount_fen_per_litre\":12}\n"
		"{\"kind\":\"holiday\",\"date\":\"2026-10-01\",\"day_kind\":\"holiday\"}\n"
		"\r\n"
		"{\"kind\":\"blocked\",\"card_id\":\"FFFF\",\"reason\":\"elsewhere\"}\n"
		"{\"kind\":\"version\",\"version\":\"v1\"}\n";
	assert_int_equal(pull(fx, good, &r, &err), FC_OK);
	assert_int_equal(r.lines, 5);
	assert_int_equal(r.skipped, 1);
	assert_string_equal(r.version, "v1");
	char out[256];
	assert_string_equal(pf_text(fx->db, "SELECT c.code || kind FROM cards JOIN customers c"
				    " ON c.id = customer_id WHERE card_id = '0A1B'", out), "A1unit");
	char before[4096], after[4096];
	snapshot(fx->db, before, sizeof before);
	const char *bad = "{\"kind\":\"customer\",\"code\":\"A2\",\"name\":\"B\",\"nature\":\"big\","
			  "\"industry\":\"other\"}\n"
			  "{\"kind\":\"customer\",\"code\":\"A3\",\"name\":\"C\",\"nature\":\"big\","
			  "\"industry\":\"other\",\"colour\":\"red\"}\n"
			  "{\"kind\":\"version\",\"version\":\"v2\"}\n";
	assert_int_equal(pull(fx, bad, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "master:2: column 'colour': unknown column for customers"));
	snapshot(fx->db, after, sizeof after);
	assert_string_equal(before, after); /* A2 of the refused pull is not there */

	const char *truncated = "{\"kind\":\"customer\",\"code\":\"A2\",\"name\":\"B\","
				"\"nature\":\"big\",\"industry\":\"other\"}\n";
	assert_int_equal(pull(fx, truncated, &r, &err), FC_ERR_INVALID);
	assert_string_equal(err.msg, "master: no version line at the end after 1 lines "
				     "(truncated?): nothing applied");
	snapshot(fx->db, after, sizeof after);
	assert_string_equal(before, after);
}

/* Each line after a good customer line: its pull refused with exactly
 * this message, nothing changed. */
static void hostile_lines_are_named(void **state)
{
	pump_fixture *fx = *state;
	static const struct {
		const char *line, *message;
	} cases[] = {
		{ "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"nature\":\"big\","
		  "\"industry\":\"other\",\"points\":-5}",
		  "master:2: column 'points': '-5' is not a whole number >= 0" },
		{ "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"nature\":\"big\","
		  "\"industry\":\"other\",\"yearly_litres\":-1}",
		  "master:2: column 'yearly_litres': '-1' is not a whole number >= 0" },
		{ "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"nature\":\"big\","
		  "\"industry\":\"other\",\"tier\":\"platinum\"}",
		  "master:2: column 'tier': 'platinum' is not a tier of nature 'big'" },
		{ "{\"kind\":\"customer\",\"code\":\"S0001-B-LG-0000000000000000000001\","
		  "\"name\":\"x\",\"nature\":\"big\",\"industry\":\"other\"}",
		  "master:2: column 'code': 'S0001-B-LG-0000000000000000000001' is longer than 31 "
		  "bytes" },
		{ "{\"kind\":\"card\",\"card_id\":\"0A\",\"customer_code\":"
		  "\"S0001-B-LG-0000000000000000000001\",\"card_kind\":\"unit\"}",
		  "master:2: column 'customer_code': 'S0001-B-LG-0000000000000000000001' is longer "
		  "than 31 bytes" },
		{ "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"name\":\"y\","
		  "\"nature\":\"big\",\"industry\":\"other\"}",
		  "master:2: not a JSON object: duplicate object key near '\"name\"' (column 48)" },
		{ "{\"kind\":\"price\",\"grade\":\"93#\",\"tier\":\"gold\",\"nature\":\"big\","
		  "\"discount_fen_per_litre\":10}",
		  "master:2: column 'grade': '93#' is not a grade of [fuel] grades" },
		{ "{\"kind\":\"tier\",\"customer_code\":\"C-BG\",\"tier\":\"platinum\","
		  "\"period\":\"2026H1\"}",
		  "master:2: column 'tier': 'platinum' is not a tier of nature 'big'" },
		{ "{\"kind\":\"tier\",\"customer_code\":\"C-BG\",\"tier\":\"gold\","
		  "\"period\":\"2026H3\"}",
		  "master:2: column 'period': '2026H3' is not a half-year YYYYH1 or YYYYH2 (e.g. "
		  "2026H2)" },
		{ "{\"kind\":\"litres\",\"customer_code\":\"NOPE\",\"period\":\"2026H1\","
		  "\"litres\":5}",
		  "master:2: column 'customer_code': no customer 'NOPE' (import the customers "
		  "first)" },
		{ "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"nature\":\"big\","
		  "\"industry\":\"other\",\"points_seq\":3}",
		  "master:2: column 'points_seq': given without points (it says how far this "
		  "station's records are in that balance)" },
		{ "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"nature\":\"big\","
		  "\"industry\":\"other\",\"owner_staff\":0}",
		  "master:2: column 'owner_staff': '0' is not a staff number (a whole number >= 1)" },
		{ "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"nature\":\"big\","
		  "\"industry\":\"other\",\"last_purchase_at\":\"2026-07-01 08:00:00\"}",
		  "master:2: column 'last_purchase_at': '2026-07-01 08:00:00' is not a UTC time "
		  "YYYY-MM-DDTHH:MM:SSZ" },
		{ "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"nature\":\"big\","
		  "\"industry\":\"other\",\"home_station\":\"S 1\"}",
		  "master:2: column 'home_station': 'S 1' is not a station id (1-32 letters, "
		  "digits, '-' or '_')" },
		{ "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"nature\":\"big\","
		  "\"industry\":\"other\",\"points\":1.5}",
		  "master:2: column 'points': must be a string or a whole number" },
		{ "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"nature\":\"big\"}",
		  "master:2: column 'industry': required, but empty" },
		{ "{\"kind\":\"card\",\"card_id\":\"0a1b\",\"customer_code\":\"C-BG\","
		  "\"card_kind\":\"unit\"}",
		  "master:2: column 'card_id': '0a1b': hex digits must be uppercase (canonical form)" },
		{ "{\"kind\":\"holiday\",\"date\":\"2026-02-30\",\"day_kind\":\"holiday\"}",
		  "master:2: column 'date': '2026-02-30' is not a date YYYY-MM-DD" },
		{ "{\"kind\":\"coupon\",\"code\":\"x\"}",
		  "master:2: column 'kind': 'coupon' is not customer, card, blocked, tier, price, "
		  "holiday, litres or version" },
		{ "[1,2]", "master:2: each line must be one JSON object" },
		{ "{\"kind\":\"version\",\"version\":\"v0\"}\n"
		  "{\"kind\":\"customer\",\"code\":\"H1\",\"name\":\"x\",\"nature\":\"big\","
		  "\"industry\":\"other\"}",
		  "master:3: data after the version line" },
	};
	char before[4096], after[4096], text[1024];
	snapshot(fx->db, before, sizeof before);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text,
			 "{\"kind\":\"customer\",\"code\":\"OK1\",\"name\":\"fine\",\"nature\":\"big\","
			 "\"industry\":\"other\",\"points\":7}\n%s\n"
			 "{\"kind\":\"version\",\"version\":\"v9\"}\n",
			 cases[i].line);
		fc_error err;
		master_result r;
		assert_int_equal(pull(fx, text, &r, &err), FC_ERR_INVALID);
		if (strcmp(err.msg, cases[i].message) != 0)
			fail_msg("case %zu: got \"%s\"", i, err.msg);
		snapshot(fx->db, after, sizeof after);
		assert_string_equal(before, after);
	}
	/* a line longer than MASTER_LINE_MAX */
	size_t n = MASTER_LINE_MAX + 200;
	char *big = malloc(n + 64);
	int k = snprintf(big, n, "{\"kind\":\"customer\",\"code\":\"H2\",\"name\":\"");
	memset(big + k, 'x', n - (size_t)k);
	strcpy(big + n - 80, "\",\"nature\":\"big\",\"industry\":\"other\"}\n"
			     "{\"kind\":\"version\",\"version\":\"v9\"}\n");
	fc_error err;
	master_result r;
	assert_int_equal(master_apply(fx->db, &fx->cfg, big, strlen(big), &r, &err), FC_ERR_INVALID);
	assert_string_equal(err.msg, "master:1: longer than 65536 bytes");
	free(big);
	snapshot(fx->db, after, sizeof after);
	assert_string_equal(before, after);
}

/* A dotted plate, a tier line, litres and the chain's customer columns. */
static void lines_go_the_import_way(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	master_result r;
	const char *text =
		"{\"kind\":\"customer\",\"code\":\"P1\",\"name\":\"渝客\",\"nature\":\"individual\","
		"\"industry\":\"taxi\",\"plate\":\"渝a·21978\",\"last_purchase_at\":"
		"\"2026-03-09T07:30:00Z\",\"home_station\":\"S0002\",\"owner_staff\":\"7\","
		"\"owner_name\":\"王站长\",\"points\":40,\"points_seq\":0}\n"
		"{\"kind\":\"tier\",\"customer_code\":\"C-IS\",\"tier\":\"gold\",\"period\":\"2026H1\"}\n"
		"{\"kind\":\"litres\",\"customer_code\":\"C-BD\",\"period\":\"2026H1\",\"litres\":12000}\n"
		"{\"kind\":\"version\",\"version\":\"v1\"}\n";
	assert_int_equal(pull(fx, text, &r, &err), FC_OK);
	char out[256];
	assert_string_equal(pf_text(fx->db, "SELECT plate || '|' || chain_last_purchase_at || '|' ||"
				    " home_station || '|' || owner_staff || '|' || owner_name || '|'"
				    " || points_synced || '|' || points_seq FROM customers"
				    " WHERE code = 'P1'", out),
			    "渝A21978|2026-03-09T07:30:00Z|S0002|7|王站长|40|0");
	assert_int_equal(count_of(fx->db, "SELECT count(*) FROM customer_search WHERE"
				  " customer_search MATCH '\"渝A21978\"'"), 1);
	assert_string_equal(pf_text(fx->db, "SELECT tier || tier_source FROM customers"
				    " WHERE code = 'C-IS'", out), "goldhq");
	assert_string_equal(pf_text(fx->db, "SELECT old_tier || '>' || new_tier || '|' || source ||"
				    " '|' || period FROM tier_history", out),
			    "silver>gold|hq|2026H1");
	assert_string_equal(pf_text(fx->db, "SELECT litres || period FROM chain_litres"
				    " WHERE customer_id = 1", out), "120002026H1");
	/* the same lines again change nothing: no second history row */
	assert_int_equal(pull(fx, text, &r, &err), FC_OK);
	assert_int_equal(count_of(fx->db, "SELECT count(*) FROM tier_history"), 1);
}

/* A visit of 40 litres on customer 2 (C-BG, card AA000002): its seq and points. */
static int64_t fuel(pump_fixture *fx, int64_t *points)
{
	fc_visit_input in = { .card_id = "AA000002", .pump = 1, .grade = "95#", .volume_ml = 40000 };
	fc_visit_result v;
	fc_error err;
	assert_int_equal(visit_record(fx->db, &fx->cfg, &in, &v, &err), FC_OK);
	*points = v.points_earned;
	return v.seq;
}

static int64_t shown(pump_fixture *fx)
{
	int64_t b = -1;
	fc_error err;
	assert_int_equal(lookup_points_balance(fx->db, 2, &b, &err), FC_OK);
	fc_card_view view;
	assert_int_equal(lookup_card(fx->db, &fx->cfg, "AA000002", &view, &err), FC_OK);
	assert_int_equal(view.points, b); /* the swipe and redemption see the same figure */
	return b;
}

/* C-BG's balance from head office, with or without points_seq. */
static void balance(pump_fixture *fx, int64_t points, int64_t seq)
{
	char text[512];
	char seq_text[48] = "";
	if (seq >= 0)
		snprintf(seq_text, sizeof seq_text, ",\"points_seq\":%lld", (long long)seq);
	snprintf(text, sizeof text,
		 "{\"kind\":\"customer\",\"code\":\"C-BG\",\"name\":\"Big gold\",\"nature\":\"big\","
		 "\"industry\":\"taxi\",\"points\":%lld%s}\n{\"kind\":\"version\",\"version\":\"v\"}\n",
		 (long long)points, seq_text);
	fc_error err;
	master_result r;
	assert_int_equal(pull(fx, text, &r, &err), FC_OK);
}

static void a_balance_counts_each_movement_once(void **state)
{
	pump_fixture *fx = *state;
	int64_t e1, e2, e3;
	/* a movement from before schema 3 whose record was sent and pruned:
	 * no seq, long in head office's balance */
	tu_exec(fx->db, "INSERT INTO points_ledger(record_id, customer_id, delta, reason,"
			" created_at) VALUES ('pruned', 2, 70, 'earn', 'x')");
	assert_int_equal(shown(fx), 570);
	int64_t s1 = fuel(fx, &e1), s2 = fuel(fx, &e2);
	assert_int_equal(shown(fx), 570 + e1 + e2);
	/* head office counted record 1 (its seq): record 2 is added on top */
	balance(fx, 500 + e1, s1);
	assert_int_equal(shown(fx), 500 + e1 + e2);
	/* record 2 reached head office by USB while still pending here */
	balance(fx, 500 + e1 + e2, s2);
	assert_int_equal(shown(fx), 500 + e1 + e2);
	/* its acknowledgement arrives later: still once */
	tu_exec(fx->db, "UPDATE outbox SET state = 'sent'");
	assert_int_equal(shown(fx), 500 + e1 + e2);
	/* a new record, pending; then head office's balance including it */
	int64_t s3 = fuel(fx, &e3);
	assert_int_equal(shown(fx), 500 + e1 + e2 + e3);
	balance(fx, 500 + e1 + e2 + e3, s3);
	assert_int_equal(shown(fx), 500 + e1 + e2 + e3);
	char out[256];
	assert_string_equal(pf_text(fx->db, "SELECT group_concat(synced, '') FROM"
				    " (SELECT synced FROM points_ledger ORDER BY seq)", out), "1111");
	/* a balance that includes less (another station's older view): the
	 * rows above its seq count again */
	balance(fx, 500 + e1, s1);
	assert_int_equal(shown(fx), 500 + e1 + e2 + e3);
	assert_string_equal(pf_text(fx->db, "SELECT points_seq FROM customers WHERE id = 2", out),
			    "1");
	/* redemption: the same figure caps it */
	fc_redeem_result red;
	fc_error err;
	assert_int_equal(redeem_points(fx->db, &fx->cfg, "AA000002", shown(fx) + 1, 0, &red, &err),
			 FC_ERR_LIMIT);
}

/* Without points_seq the old rule: what head office acknowledged. */
static void a_balance_without_seq_counts_the_acknowledged(void **state)
{
	pump_fixture *fx = *state;
	int64_t e1, e2;
	int64_t s1 = fuel(fx, &e1);
	fuel(fx, &e2);
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE outbox SET state = 'sent' WHERE seq = %lld", (long long)s1);
	tu_exec(fx->db, sql);
	balance(fx, 1000, -1);
	assert_int_equal(shown(fx), 1000 + e2);
	char out[256];
	assert_string_equal(pf_text(fx->db, "SELECT points_seq FROM customers WHERE id = 2", out),
			    "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_pull_is_whole_or_nothing, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(hostile_lines_are_named, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(lines_go_the_import_way, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(a_balance_counts_each_movement_once, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(a_balance_without_seq_counts_the_acknowledged,
						pf_setup, pf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
