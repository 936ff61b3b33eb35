/* test_archive.c — the one customer code generator (archive_next_code) that
 * archive_register and register_customer share, archive_update's checks,
 * and texts a record could not carry (not UTF-8, control characters,
 * blanks) refused whole: no field saved without its outbox and audit row. */
#include "pump_fixture.h"

#include "base/plate.h"
#include "customers/archive.h"
#include "customers/search.h"

static void code_scheme_and_numbering(void **state)
{
	pump_fixture *fx = *state;
	char code[32];
	fc_error err;
	archive_format_code("S0001", NATURE_BIG, INDUSTRY_LOGISTICS, 42, code, sizeof code);
	assert_string_equal(code, "S0001-B-LG-000042");
	archive_format_code("S0001", NATURE_INDIVIDUAL, INDUSTRY_INDUSTRIAL, 7, code, sizeof code);
	assert_string_equal(code, "S0001-I-IN-000007");

	assert_int_equal(archive_next_code(fx->db, "S0001", NATURE_BIG, INDUSTRY_LOGISTICS, code,
					   &err), FC_OK);
	assert_string_equal(code, "S0001-B-LG-000001");
	/* imported codes count; malformed ones of the same prefix and other
	 * prefixes do not */
	tu_exec(fx->db, "INSERT INTO customers(code, name, nature, created_at, updated_at) VALUES"
			" ('S0001-B-LG-000007', 'a', 'big', 'x', 'x'),"
			" ('S0001-B-LG-00009X', 'b', 'big', 'x', 'x'),"
			" ('S0001-B-LG-0000123', 'c', 'big', 'x', 'x'),"
			" ('S0001-I-LG-000500', 'd', 'individual', 'x', 'x'),"
			" ('S0002-B-LG-000900', 'e', 'big', 'x', 'x'),"
			" ('S0001-B-TX-999999', 'f', 'big', 'x', 'x');");
	assert_int_equal(archive_next_code(fx->db, "S0001", NATURE_BIG, INDUSTRY_LOGISTICS, code,
					   &err), FC_OK);
	assert_string_equal(code, "S0001-B-LG-000008");
	assert_int_equal(archive_next_code(fx->db, "S0001", NATURE_BIG, INDUSTRY_TAXI, code, &err),
			 FC_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "S0001-B-TX-999999"));

	/* both registrations take the next number of the same sequence */
	assert_int_equal(archive_register(fx->db, &fx->cfg, 0, "档案登记", NATURE_BIG,
					  INDUSTRY_LOGISTICS, NULL, 0, code, &err), FC_OK);
	assert_string_equal(code, "S0001-B-LG-000008");
	fc_customer_input in = { .card_id = "C0FFEE09", .name = "刷卡登记",
				 .nature = NATURE_BIG, .industry = INDUSTRY_LOGISTICS };
	fc_customer_result r;
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &r, &err), FC_OK);
	assert_string_equal(r.code, "S0001-B-LG-000009");
	assert_int_equal(archive_register(fx->db, &fx->cfg, 0, "再登记", NATURE_BIG,
					  INDUSTRY_LOGISTICS, NULL, 0, code, &err), FC_OK);
	assert_string_equal(code, "S0001-B-LG-000010");
}

static void update_checks_values(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	int changed = -1;
	const char *queued = "SELECT count(*) FROM outbox WHERE type = 'customer_changed'";
	int64_t outbox = tu_int64(fx->db, queued);
	archive_edit bad[] = { { "phone", "13811112222" }, { "yearly_litres", "lots" } };
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "C-BD", bad, 2, &changed, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'yearly_litres': 'lots' is not a whole number"));
	assert_int_equal(changed, 0);
	archive_edit good[] = { { "phone", "13800000001" }, { "yearly_litres", "3000" } };
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "C-BD", good, 2, &changed, &err),
			 FC_OK);
	assert_int_equal(changed, 2);
	assert_int_equal(tu_int64(fx->db, "SELECT yearly_litres FROM customers WHERE code = 'C-BD'"),
			 3000);
	assert_int_equal(tu_int64(fx->db, queued), outbox + 1);
	/* the same values again change nothing and queue nothing */
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "C-BD", good, 2, &changed, &err),
			 FC_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(tu_int64(fx->db, queued), outbox + 1);
	/* the nature follows the cards: never edited */
	archive_edit nature[] = { { "nature", "individual" } };
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "C-BG", nature, 1, &changed, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "nature follows the customer's cards"));
	/* ranges and the phone */
	archive_edit big[] = { { "yearly_litres", "161139999" } };
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "C-BD", big, 1, &changed, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'yearly_litres': 161139999 is out of range "
				      "0..100000000 litres"));
	assert_int_equal(archive_check_field("refuel_cycle_days", "0", &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'refuel_cycle_days': 0 is out of range 1..365"));
	assert_int_equal(archive_check_field("refuel_cycle_days", "365", &err), FC_OK);
	assert_int_equal(archive_check_field("refuel_cycle_days", "", &err), FC_OK);
	assert_int_equal(archive_check_phone("abc", &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'phone'"));
	assert_int_equal(archive_check_phone("+86 138-0000-0001", &err), FC_OK);
	assert_int_equal(archive_check_phone("", &err), FC_OK);
	assert_int_equal(tu_int64(fx->db, queued), outbox + 1);
	/* plates: one stored form */
	archive_edit plate[] = { { "plate", "渝a·21978" } };
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "C-BD", plate, 1, &changed, &err),
			 FC_OK);
	char got[256];
	pf_text(fx->db, "SELECT plate FROM customers WHERE code = 'C-BD'", got);
	assert_string_equal(got, "渝A21978");
}

static void texts_not_fit_for_a_record_are_refused_whole(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	int changed = -1;
	char code[32], before[256], after[256];
	const char *counts = "SELECT (SELECT count(*) FROM outbox) || '/' || "
			     "(SELECT count(*) FROM audit) || '/' || (SELECT count(*) FROM customers)";
	pf_text(fx->db, counts, before);
	/* a GBK terminal's 张三 (D5 C5 C8 FD): not UTF-8.  Before, the address
	 * was saved with no customer_changed record and no audit row. */
	archive_edit gbk[] = { { "phone", "13800000009" }, { "address", "\xd5\xc5\xc8\xfd" } };
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "C-BD", gbk, 2, &changed, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'address': not UTF-8 (byte 1"));
	assert_int_equal(changed, 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM customers WHERE code = 'C-BD' AND "
				      "(phone = '13800000009' OR address IS NOT NULL)"), 0);
	/* control characters and blanks only, with the field named */
	archive_edit tab[] = { { "name", "a\tb\nc" } };
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "C-BD", tab, 1, &changed, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'name': control characters"));
	archive_edit blank[] = { { "contact", " \xe3\x80\x80 " } }; /* U+3000 too */
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "C-BD", blank, 1, &changed, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'contact': only blanks"));
	archive_edit c1[] = { { "address", "路\xc2\x9b" "2J" } }; /* U+009B, the C1 escape */
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "C-BD", c1, 1, &changed, &err),
			 FC_ERR_INVALID);
	/* registrations: the kiosk's F4 and `register`, and the archive's */
	assert_int_equal(archive_register(fx->db, &fx->cfg, 0, "a\tb", NATURE_BIG,
					  INDUSTRY_LOGISTICS, NULL, 0, code, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'name'"));
	fc_customer_input in = { .card_id = "C0FFEE0A", .name = "   ",
				 .nature = NATURE_BIG, .industry = INDUSTRY_LOGISTICS };
	fc_customer_result r;
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'name': only blanks"));
	in.name = "\xd5\xc5\xc8\xfd";
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'name': not UTF-8"));
	in.name = "张三";
	in.plate = "\xd3\xe5" "A12345"; /* 渝 in GBK */
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &r, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'plate': not UTF-8"));
	pf_text(fx->db, counts, after);
	assert_string_equal(after, before);
}

static void plate_forms(void **state)
{
	(void)state;
	char out[64];
	const char *const same[] = { "渝A21978", "渝A·21978", "渝a 21978", "渝A-21978",
				     " 渝A\xE3\x83\xBB" "21978 " };
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		plate_normalise(same[i], out, sizeof out);
		assert_string_equal(out, "渝A21978");
	}
	plate_normalise("京A·1，沪b 2; 粤C-3", out, sizeof out);
	assert_string_equal(out, "京A1, 沪B2, 粤C3");
	assert_true(plate_like("渝A·2197"));
	assert_true(plate_like("渝a2197"));
	assert_false(plate_like("张三"));
	assert_false(plate_like("21978"));
	/* a plate is letters and digits: punctuation alone, or in it, is none */
	char canon[PLATE_LEN];
	static const char *const good[] = { "", "渝A·21978", "渝a 21978, 川B12345", "WJ-12345" };
	static const char *const bad[] = { "!!!", "渝A!21978", "……", "渝", "渝A21978, ???", "ＡＢ！" };
	fc_error err;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		plate_normalise(good[i], canon, sizeof canon);
		assert_true(plate_valid(canon));
		assert_int_equal(archive_check_plate(good[i], &err), FC_OK);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		plate_normalise(bad[i], canon, sizeof canon);
		assert_false(plate_valid(canon));
		assert_int_equal(archive_check_plate(bad[i], &err), FC_ERR_INVALID);
		assert_non_null(strstr(err.msg, "is not a plate"));
	}
	assert_int_equal(archive_check_field("plate", "!!!", &err), FC_ERR_INVALID);
}

/* The codes of a search's hits, sorted (the indexes' order does not
 * matter), space-separated, into out. */
static const char *hit_codes(search_result *r, char *out, size_t n)
{
	out[0] = '\0';
	for (int a = 0; a < r->count; a++)
		for (int b = a + 1; b < r->count; b++)
			if (strcmp(r->hits[a].code, r->hits[b].code) > 0) {
				search_hit t = r->hits[a];
				r->hits[a] = r->hits[b];
				r->hits[b] = t;
			}
	for (int i = 0; i < r->count; i++) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%s", i ? " " : "", r->hits[i].code);
	}
	return out;
}

/* Phones keep their typed form and are found by their digits, typed with
 * or without separators (issue 18; migration 3's phone_digits). */
static void phone_found_typed_either_way(void **state)
{
	pump_fixture *fx = *state;
	search_result r;
	fc_error err;
	char codes[256];
	tu_exec(fx->db, "INSERT INTO customers(code, name, nature, phone, created_at, updated_at) VALUES"
			" ('P1', 'a', 'individual', '138-0013-8000', 'x', 'x'),"
			" ('P2', 'b', 'individual', '13900001111', 'x', 'x'),"
			" ('P3', 'c', 'individual', '+86 (023) 6123 4567', 'x', 'x');");
	static const struct { const char *query, *codes; } cases[] = {
		{ "13800138000", "P1" },   { "138-0013-8000", "P1" }, { "138 0013 8000", "P1" },
		{ "1380013", "P1" },       { "0013-8000", "P1" },     { "00138000", "P1" },
		{ "139-0000-1111", "P2" }, { "139 0000", "P2" },      { "1111", "P2" },
		{ "02361234567", "P3" },   { "(023) 6123", "P3" },    { "6123-4567", "P3" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(search_customers(fx->db, cases[i].query, &r, &err), FC_OK);
		if (strcmp(hit_codes(&r, codes, sizeof codes), cases[i].codes) != 0)
			fail_msg("'%s' found '%s', not '%s'", cases[i].query, codes, cases[i].codes);
	}
	/* the typed form is what is kept (and shown) */
	assert_int_equal(search_customers(fx->db, "13800138000", &r, &err), FC_OK);
	assert_string_equal(r.hits[0].phone, "138-0013-8000");
	/* an edit keeps the digits in step */
	archive_edit e = { "phone", "139 1234 5678" };
	int changed = 0;
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "P1", &e, 1, &changed, &err), FC_OK);
	assert_int_equal(search_customers(fx->db, "13912345678", &r, &err), FC_OK);
	assert_string_equal(hit_codes(&r, codes, sizeof codes), "P1");
	assert_string_equal(r.hits[0].phone, "139 1234 5678");
	assert_int_equal(search_customers(fx->db, "13800138000", &r, &err), FC_OK);
	assert_int_equal(r.count, 0);
}

/* One or two characters (issue 17): a Chinese piece of a name or plate is
 * found through customer_grams, every match and nothing else, never a
 * partial page; after an edit, the new name's; after a bulk load without
 * the triggers, search_rebuild_grams makes them again. */
static void short_queries_found_whole(void **state)
{
	pump_fixture *fx = *state;
	search_result r;
	fc_error err;
	char codes[256];
	tu_exec(fx->db, "INSERT INTO customers(code, name, nature, plate, created_at, updated_at) VALUES"
			" ('G1', '王小明', 'individual', '渝A21978', 'x', 'x'),"
			" ('G2', '李明', 'individual', '川B12345', 'x', 'x'),"
			" ('G3', '重庆明达物流', 'big', '渝B88888', 'x', 'x'),"
			" ('G4', 'Ming', 'individual', NULL, 'x', 'x');");
	static const struct { const char *query, *codes; } cases[] = {
		{ "明", "G1 G2 G3" }, { "小明", "G1" }, { "明达", "G3" }, { "渝", "G1 G3" },
		{ "渝B", "G3" },     { "川", "G2" },   { "庆", "G3" },   { "王李", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(search_customers(fx->db, cases[i].query, &r, &err), FC_OK);
		assert_false(r.partial);
		if (strcmp(hit_codes(&r, codes, sizeof codes), cases[i].codes) != 0)
			fail_msg("'%s' found '%s', not '%s'", cases[i].query, codes, cases[i].codes);
	}
	archive_edit e = { "name", "王晓" };
	int changed = 0;
	assert_int_equal(archive_update(fx->db, &fx->cfg, 0, "G1", &e, 1, &changed, &err), FC_OK);
	assert_int_equal(search_customers(fx->db, "小明", &r, &err), FC_OK);
	assert_int_equal(r.count, 0);
	assert_int_equal(search_customers(fx->db, "晓", &r, &err), FC_OK);
	assert_string_equal(hit_codes(&r, codes, sizeof codes), "G1");
	tu_exec(fx->db, "INSERT INTO customer_grams(customer_grams) VALUES ('delete-all')");
	assert_int_equal(search_rebuild_grams(fx->db, &err), FC_OK);
	assert_int_equal(search_customers(fx->db, "明", &r, &err), FC_OK);
	assert_string_equal(hit_codes(&r, codes, sizeof codes), "G2 G3");
}

/* "!!!" is no plate: the archive edit and the registration at the pump
 * refuse it, nothing is stored. */
static void plate_of_punctuation_refused(void **state)
{
	pump_fixture *fx = *state;
	fc_error err;
	char code[32];
	archive_edit e = { "plate", "!!!" };
	assert_int_equal(archive_register(fx->db, &fx->cfg, 0, "x", NATURE_INDIVIDUAL, INDUSTRY_OTHER,
					  &e, 1, code, &err), FC_ERR_INVALID);
	fc_customer_input in = { .card_id = "C0FFEE0A", .name = "y", .plate = "!!!",
				 .nature = NATURE_INDIVIDUAL, .industry = INDUSTRY_OTHER };
	fc_customer_result res;
	assert_int_equal(register_customer(fx->db, &fx->cfg, &in, &res, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "is not a plate"));
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM customers WHERE name IN ('x', 'y')"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(code_scheme_and_numbering, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(update_checks_values, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(texts_not_fit_for_a_record_are_refused_whole, pf_setup,
						pf_teardown),
		cmocka_unit_test(plate_forms),
		cmocka_unit_test_setup_teardown(phone_found_typed_either_way, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(short_queries_found_whole, pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(plate_of_punctuation_refused, pf_setup, pf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
