/* test_rowfile.c — the import files' reader both importers share
 * (base/rowfile) and the checks of base/import_kind: rows arrive as
 * column texts in the kind's order, bad rows are named FILE:LINE: column,
 * a failing callback stops the reading. */
#include "testutil.h"

#include "base/import_kind.h"
#include "base/rowfile.h"

#define MAX_SEEN 8

/* What the row callback saw: "line|col0|col1|..." per row. */
typedef struct seen {
	rowfile_errors *errors;
	char rows[MAX_SEEN][256];
	int count;
	int fail_at; /* the callback fails on this row (1-based), 0: never */
} seen;

static fc_status note_row(void *user, const char *const *vals, fc_error *err)
{
	seen *s = user;
	if (s->count + 1 == s->fail_at)
		return fc_error_set(err, FC_ERR_DB_FULL, "disk full");
	assert_true(s->count < MAX_SEEN);
	char *out = s->rows[s->count++];
	int n = snprintf(out, 256, "%lld", (long long)s->errors->line);
	for (int i = 0; i < 4 && n < 256; i++) /* cut at 255 bytes */
		n += snprintf(out + n, 256 - (size_t)n, "|%s", vals[i] ? vals[i] : "-");
	return FC_OK;
}

/* Read text as file name (its ending decides CSV or NDJSON) as kind,
 * refusing a key given twice when unique. */
static fc_status read_file(const char *name, const char *text, import_kind kind, bool unique,
			   seen *s, rowfile_errors *e, int64_t *rows)
{
	char *dir = tu_tempdir(), path[4096];
	tu_write(path, dir, name, text);
	rowfile rf;
	fc_error err = { 0 };
	memset(e, 0, sizeof *e);
	s->errors = e;
	assert_int_equal(rowfile_open(&rf, path, &err), FC_OK);
	rf.unique_keys = unique;
	fc_status st = rowfile_read(&rf, kind, e, note_row, s, NULL, NULL, &err);
	rowfile_close(&rf);
	*rows = rf.rows;
	tu_rmdir(dir);
	return st;
}

static fc_status read_text(const char *name, const char *text, import_kind kind, seen *s,
			   rowfile_errors *e, int64_t *rows)
{
	return read_file(name, text, kind, false, s, e, rows);
}

static void csv_rows_in_the_kinds_column_order(void **state)
{
	(void)state;
	seen s = { 0 };
	rowfile_errors e;
	int64_t rows;
	/* a byte order mark, columns in another order, a quoted field over two lines */
	assert_int_equal(read_text("cards.csv",
				   "\xEF\xBB\xBFkind,card_id,customer_code\n"
				   "unit,00A1,C1\n"
				   "personal,00A2,\"C\n2\"\n"
				   "unit,00A3,\n",
				   IMPORT_CARDS, &s, &e, &rows),
			 FC_OK);
	assert_int_equal(rows, 3);
	assert_int_equal(e.total, 0);
	assert_int_equal(s.count, 3);
	assert_string_equal(s.rows[0], "2|00A1|C1|unit|-");
	assert_string_equal(s.rows[1], "3|00A2|C\n2|personal|-");
	assert_string_equal(s.rows[2], "5|00A3|-|unit|-");
}

static void bad_rows_named_and_skipped(void **state)
{
	(void)state;
	seen s = { 0 };
	rowfile_errors e;
	int64_t rows;
	assert_int_equal(read_text("b.csv",
				   "card_id,reason\n00A1,lost\n00A2\n00\xC3(,x\n00A4,ok\n",
				   IMPORT_BLOCKED, &s, &e, &rows),
			 FC_OK);
	assert_int_equal(rows, 4);
	assert_int_equal(s.count, 2); /* lines 2 and 5 */
	assert_int_equal(e.total, 2);
	assert_non_null(strstr(e.text[0], "b.csv:3: 1 fields, the header has 2"));
	assert_non_null(strstr(e.text[1], "b.csv:4: column 'card_id': not UTF-8 (byte 3"));

	memset(&s, 0, sizeof s);
	assert_int_equal(read_text("h.csv", "card_id,colour\n00A1,red\n", IMPORT_BLOCKED, &s, &e,
				   &rows),
			 FC_OK);
	assert_int_equal(s.count, 0);
	assert_non_null(strstr(e.text[0], "h.csv:1: column 'colour': unknown column for blocked"));

	memset(&s, 0, sizeof s);
	assert_int_equal(read_text("empty.csv", "", IMPORT_HOLIDAYS, &s, &e, &rows), FC_OK);
	assert_non_null(strstr(e.text[0], "empty.csv:1: empty file: a header row is needed"));
}

static void ndjson_numbers_become_text(void **state)
{
	(void)state;
	seen s = { 0 };
	rowfile_errors e;
	int64_t rows;
	assert_int_equal(read_text("p.ndjson",
				   "{\"grade\":\"92#\",\"tier\":\"gold\",\"nature\":\"big\","
				   "\"discount_fen_per_litre\":30}\n\n"
				   "{\"grade\":\"95#\",\"tier\":\"gold\",\"nature\":\"big\","
				   "\"discount_fen_per_litre\":1.5}\n"
				   "[1]\n",
				   IMPORT_PRICES, &s, &e, &rows),
			 FC_OK);
	assert_int_equal(rows, 3); /* the blank line is no row */
	assert_int_equal(s.count, 1);
	assert_string_equal(s.rows[0], "1|92#|gold|big|30");
	assert_int_equal(e.total, 2);
	assert_non_null(strstr(e.text[0],
			       "p.ndjson:3: column 'discount_fen_per_litre': must be a string"));
	assert_non_null(strstr(e.text[1], "p.ndjson:4: each line must be one JSON object"));
}

static void a_failing_callback_stops_the_reading(void **state)
{
	(void)state;
	seen s = { .fail_at = 2 };
	rowfile_errors e;
	int64_t rows;
	assert_int_equal(read_text("h.csv", "date,kind\n2026-10-01,holiday\n2026-10-02,holiday\n"
				   "2026-10-03,holiday\n",
				   IMPORT_HOLIDAYS, &s, &e, &rows),
			 FC_ERR_DB_FULL);
	assert_int_equal(s.count, 1);
	assert_int_equal(rows, 2);
}

static void checks_and_errors_in_line_order(void **state)
{
	(void)state;
	rowfile_errors e = { .path = "f.csv" };
	int64_t nums[IMPORT_MAX_COLS] = { 0 };
	const char *price[IMPORT_MAX_COLS] = { "93#", "diamond", "individual", "12" };
	fc_config cfg;
	config_defaults(&cfg);
	e.line = 7;
	assert_false(import_kind_check_row(IMPORT_PRICES, price, &cfg, nums, &e));
	assert_string_equal(e.text[0], "f.csv:7: column 'grade': '93#' is not a grade of [fuel] grades");
	/* head office (no config) takes any grade name a station could configure */
	e.line = 3;
	assert_false(import_kind_check_row(IMPORT_PRICES, price, NULL, nums, &e));
	assert_string_equal(e.text[1],
			    "f.csv:3: column 'tier': 'diamond' is not a tier of nature 'individual'");
	price[1] = "platinum";
	assert_true(import_kind_check_row(IMPORT_PRICES, price, NULL, nums, &e));
	assert_int_equal(nums[IMPORT_PR_DISCOUNT], 12);
	assert_null(import_kind_card_problem("00A1B2"));
	assert_non_null(import_kind_card_problem("0"));
	assert_non_null(import_kind_card_problem("00a1"));

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	rowfile_errors_print(&e, f);
	fclose(f);
	assert_string_equal(buf, "f.csv:3: column 'tier': 'diamond' is not a tier of nature 'individual'\n"
				 "f.csv:7: column 'grade': '93#' is not a grade of [fuel] grades\n");
	free(buf);
}

/* A master line (sync/master.c): "kind" names the line, the column 'kind'
 * comes under another key; the first problem by line is the earliest. */
static void json_rows_with_other_keys(void **state)
{
	(void)state;
	seen s = { 0 };
	rowfile_errors e = { .path = "master", .line = 4 };
	s.errors = &e;
	fc_error err = { 0 };
	const char *line = "{\"kind\":\"card\",\"card_id\":\"00A1\",\"customer_code\":\"C1\","
			   "\"card_kind\":\"unit\",\"status\":null}";
	json_t *obj = rowfile_json_parse(line, strlen(line), &e);
	assert_non_null(obj);
	rowfile_keys keys = { .skip = "kind", .kind_column = "card_kind" };
	assert_int_equal(rowfile_json_row(obj, IMPORT_CARDS, &keys, &e, note_row, &s, &err), FC_OK);
	json_decref(obj);
	assert_int_equal(s.count, 1);
	assert_string_equal(s.rows[0], "4|00A1|C1|unit|-");
	/* read as a file's line, "kind" is the column and card_kind unknown */
	obj = rowfile_json_parse(line, strlen(line), &e);
	assert_int_equal(rowfile_json_row(obj, IMPORT_CARDS, NULL, &e, note_row, &s, &err), FC_OK);
	json_decref(obj);
	assert_int_equal(s.count, 1);
	assert_string_equal(rowfile_errors_first(&e),
			    "master:4: column 'card_kind': unknown column for cards (accepted: "
			    "card_id, customer_code, kind, status)");
	e.line = 2;
	assert_null(rowfile_json_parse("{\"a\":1,\"a\":2}", 13, &e));
	assert_string_equal(rowfile_errors_first(&e),
			    "master:2: not a JSON object: duplicate object key near '\"a\"' "
			    "(column 10)");
}

/* The chain's columns: a UTC time in its one form, a staff number >= 1, a
 * station id, a half-year, a code of at most 31 bytes. */
static void chain_columns_checked(void **state)
{
	(void)state;
	rowfile_errors e = { .path = "f", .line = 2 };
	int64_t nums[IMPORT_MAX_COLS] = { 0 };
	const char *cu[IMPORT_MAX_COLS] = { "C1", "n", "big", "other" };
	cu[IMPORT_CU_LAST_PURCHASE_AT] = "2026-07-01T08:00:00Z";
	cu[IMPORT_CU_HOME_STATION] = "S-0002_b";
	cu[IMPORT_CU_OWNER_STAFF] = "7";
	cu[IMPORT_CU_POINTS] = "0";
	cu[IMPORT_CU_POINTS_SEQ] = "41";
	assert_true(import_kind_check_row(IMPORT_CUSTOMERS, cu, NULL, nums, &e));
	assert_int_equal(nums[IMPORT_CU_OWNER_STAFF], 7);
	assert_int_equal(nums[IMPORT_CU_POINTS_SEQ], 41);
	static const struct {
		int col;
		const char *value, *why;
	} bad[] = {
		{ IMPORT_CU_LAST_PURCHASE_AT, "2026-07-01T08:00:00.000Z", "is not a UTC time" },
		{ IMPORT_CU_LAST_PURCHASE_AT, "2026-02-30T08:00:00Z", "is not a UTC time" },
		{ IMPORT_CU_HOME_STATION, "S1/2", "is not a station id" },
		{ IMPORT_CU_HOME_STATION, "S00000000000000000000000000000001", "is not a station id" },
		{ IMPORT_CU_OWNER_STAFF, "0", "is not a staff number" },
		{ IMPORT_CU_CODE, "C0000000000000000000000000000001", "is longer than 31 bytes" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *keep = cu[bad[i].col];
		cu[bad[i].col] = bad[i].value;
		e.listed = 0;
		assert_false(import_kind_check_row(IMPORT_CUSTOMERS, cu, NULL, nums, &e));
		if (!strstr(e.text[0], bad[i].why) ||
		    !strstr(e.text[0], import_kind_column_name(IMPORT_CUSTOMERS, bad[i].col)))
			fail_msg("case %zu: %s", i, e.text[0]);
		cu[bad[i].col] = keep;
	}
	const char *ti[IMPORT_MAX_COLS] = { "C1", "gold", "2026H0" };
	e.listed = 0;
	assert_false(import_kind_check_row(IMPORT_TIERS, ti, NULL, nums, &e));
	assert_string_equal(e.text[0], "f:2: column 'period': '2026H0' is not a half-year YYYYH1 or "
				       "YYYYH2 (e.g. 2026H2)");
	ti[2] = "2026H2";
	assert_true(import_kind_check_row(IMPORT_TIERS, ti, NULL, nums, &e));
	const char *li[IMPORT_MAX_COLS] = { "C1", "2026H1", "12000" };
	assert_true(import_kind_check_row(IMPORT_LITRES, li, NULL, nums, &e));
	assert_int_equal(nums[IMPORT_LI_LITRES], 12000);
}

/* A key twice in one file: the later line refused naming the earlier. */
static void a_key_twice_names_both_lines(void **state)
{
	(void)state;
	seen s = { 0 };
	rowfile_errors e;
	int64_t rows;
	assert_int_equal(read_file("c.csv", "card_id,customer_code,kind\n00A1,C1,unit\n"
				   "00A2,C1,unit\n00A1,C2,personal\n",
				   IMPORT_CARDS, true, &s, &e, &rows),
			 FC_OK);
	assert_int_equal(s.count, 2);
	assert_int_equal(e.total, 1);
	assert_string_equal(rowfile_errors_first(&e) + strlen(rowfile_errors_first(&e)) -
				    strlen("c.csv:4: card_id '00A1' is given twice, on line 2 and "
					   "here: each card_id once in a file"),
			    "c.csv:4: card_id '00A1' is given twice, on line 2 and here: each "
			    "card_id once in a file");
	/* a composite key (NDJSON): grade, tier and nature together */
	memset(&s, 0, sizeof s);
	assert_int_equal(read_file("p.ndjson",
				   "{\"grade\":\"92#\",\"tier\":\"gold\",\"nature\":\"big\","
				   "\"discount_fen_per_litre\":30}\n"
				   "{\"grade\":\"92#\",\"tier\":\"gold\",\"nature\":\"individual\","
				   "\"discount_fen_per_litre\":30}\n"
				   "{\"grade\":\"92#\",\"tier\":\"gold\",\"nature\":\"big\","
				   "\"discount_fen_per_litre\":40}\n",
				   IMPORT_PRICES, true, &s, &e, &rows),
			 FC_OK);
	assert_int_equal(s.count, 2);
	assert_non_null(strstr(rowfile_errors_first(&e),
			       "p.ndjson:3: grade, tier, nature '92#/gold/big' is given twice, on "
			       "line 1 and here"));
	/* without unique_keys (head office's import stores both) nothing is said */
	memset(&s, 0, sizeof s);
	assert_int_equal(read_file("c.csv", "card_id,customer_code,kind\n00A1,C1,unit\n"
				   "00A1,C2,personal\n",
				   IMPORT_CARDS, false, &s, &e, &rows),
			 FC_OK);
	assert_int_equal(s.count, 2);
	assert_int_equal(e.total, 0);
}

/* An NDJSON file may start with a byte order mark, like a CSV one. */
static void ndjson_with_a_byte_order_mark(void **state)
{
	(void)state;
	seen s = { 0 };
	rowfile_errors e;
	int64_t rows;
	assert_int_equal(read_text("h.ndjson",
				   "\xEF\xBB\xBF{\"date\":\"2026-10-01\",\"kind\":\"holiday\"}\r\n"
				   "{\"date\":\"2026-10-02\",\"kind\":\"holiday\"}\r\n",
				   IMPORT_HOLIDAYS, &s, &e, &rows),
			 FC_OK);
	assert_int_equal(e.total, 0);
	assert_int_equal(s.count, 2);
	assert_string_equal(s.rows[0], "1|2026-10-01|holiday|-|-");
}

/* A line over ROWFILE_LINE_MAX bytes is refused with its number, never
 * held whole; the lines around it read on (NDJSON) or the file stops (CSV). */
static void a_line_over_the_limit_is_named(void **state)
{
	(void)state;
	seen s = { 0 };
	rowfile_errors e;
	int64_t rows;
	size_t big = 3 * ROWFILE_LINE_MAX;
	char *text = malloc(big + 256);
	assert_non_null(text);
	int n = snprintf(text, 256, "{\"date\":\"2026-10-01\",\"kind\":\"holiday\"}\n"
			 "{\"date\":\"2026-10-02\",\"kind\":\"holiday\",\"name\":\"");
	memset(text + n, 'x', big);
	snprintf(text + n + big, 256, "\"}\n{\"date\":\"2026-10-03\",\"kind\":\"holiday\"}\n");
	assert_int_equal(read_text("h.ndjson", text, IMPORT_HOLIDAYS, &s, &e, &rows), FC_OK);
	assert_int_equal(s.count, 2);
	assert_int_equal(e.total, 1);
	assert_non_null(strstr(rowfile_errors_first(&e), "h.ndjson:2: line longer than 65536 bytes"));
	/* a line of exactly the limit is fine */
	memset(&s, 0, sizeof s);
	size_t at = (size_t)snprintf(text, 256, "date,kind,name\n2026-10-01,holiday,");
	memset(text + at, 'y', ROWFILE_LINE_MAX - 19); /* line 2: the limit exactly */
	at += ROWFILE_LINE_MAX - 19;
	at += (size_t)snprintf(text + at, 256, "\n2026-10-02,holiday,");
	memset(text + at, 'z', ROWFILE_LINE_MAX); /* line 3: over it */
	at += ROWFILE_LINE_MAX;
	snprintf(text + at, 256, "\n2026-10-03,holiday,\n");
	assert_int_equal(read_text("h.csv", text, IMPORT_HOLIDAYS, &s, &e, &rows), FC_OK);
	assert_int_equal(s.count, 1);
	assert_int_equal(e.total, 1);
	assert_non_null(strstr(rowfile_errors_first(&e), "h.csv:3: line longer than 65536 bytes"));
	free(text);
}

/* A price's discount must stay below the grade's list price ([fuel]
 * price_fen): at or above it the fuel would be free. */
static void discount_below_the_list_price(void **state)
{
	(void)state;
	rowfile_errors e = { .path = "p.csv", .line = 5 };
	int64_t nums[IMPORT_MAX_COLS] = { 0 };
	const char *price[IMPORT_MAX_COLS] = { "92#", "gold", "big", "759" };
	fc_config cfg;
	config_defaults(&cfg); /* 92# at 760 fen */
	assert_true(import_kind_check_row(IMPORT_PRICES, price, &cfg, nums, &e));
	price[IMPORT_PR_DISCOUNT] = "760";
	assert_false(import_kind_check_row(IMPORT_PRICES, price, &cfg, nums, &e));
	price[IMPORT_PR_DISCOUNT] = "900";
	assert_false(import_kind_check_row(IMPORT_PRICES, price, &cfg, nums, &e));
	assert_string_equal(e.text[1], "p.csv:5: column 'discount_fen_per_litre': 900 fen is not "
				       "below the list price of 92# (760 fen per litre, [fuel] "
				       "price_fen): the fuel would be free");
	/* head office (no config) knows no station's prices; a grade without a
	 * price (0) has nothing to compare with */
	assert_true(import_kind_check_row(IMPORT_PRICES, price, NULL, nums, &e));
	cfg.grade_price_fen[0] = 0;
	assert_true(import_kind_check_row(IMPORT_PRICES, price, &cfg, nums, &e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_rows_in_the_kinds_column_order),
		cmocka_unit_test(bad_rows_named_and_skipped),
		cmocka_unit_test(ndjson_numbers_become_text),
		cmocka_unit_test(a_failing_callback_stops_the_reading),
		cmocka_unit_test(checks_and_errors_in_line_order),
		cmocka_unit_test(json_rows_with_other_keys),
		cmocka_unit_test(chain_columns_checked),
		cmocka_unit_test(a_key_twice_names_both_lines),
		cmocka_unit_test(ndjson_with_a_byte_order_mark),
		cmocka_unit_test(a_line_over_the_limit_is_named),
		cmocka_unit_test(discount_below_the_list_price),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
