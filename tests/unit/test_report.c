/* test_report.c — the monthly analysis at its edges: month parsing and paging,
 * local month bounds, complaints closed exactly at the deadline's end, callbacks. */
#include "testutil.h"

#include <time.h>

#include "base/clock.h"
#include "customers/classify.h"
#include "store/db.h"
#include "report/report.h"
#include "report/report_index.h"

static void parse_months(void **state)
{
	(void)state;
	char m[REPORT_MONTH_LEN];
	fc_error err;
	assert_int_equal(report_parse_month("2026-06", m, &err), FC_OK);
	assert_string_equal(m, "2026-06");
	const char *bad[] = { "2026-13", "2026-00", "2026-6", "26-06", "2026/06", "", "2026-06x",
			      "1999-12" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fc_error_clear(&err);
		assert_int_equal(report_parse_month(bad[i], m, &err), FC_ERR_USAGE);
		assert_non_null(strstr(err.msg, "--month"));
	}
	report_month_step("2026-01", -1, m);
	assert_string_equal(m, "2025-12");
	report_month_step("2025-12", 1, m);
	assert_string_equal(m, "2026-01");
	report_month_step("2000-01", -1, m);
	assert_string_equal(m, "2000-01");
}

static void month_figures(void **state)
{
	(void)state;
	setenv("TZ", "CST-8", 1); /* the station's local time: UTC+8 */
	tzset();
	char *dir = tu_tempdir(), path[4096];
	sqlite3 *db;
	fc_error err;
	fc_config cfg;
	config_defaults(&cfg);
	cfg.callbacks_other = 1;
	cfg.callbacks_swing_extra = 2;
	assert_int_equal(db_open(tu_path(path, dir, "r.db"), DB_OPEN_CREATE, &db, &err), FC_OK);
	tu_exec(db,
	     "INSERT INTO customers(id, code, name, nature, tier, stability, created_at, updated_at) VALUES"
	     " (1, 'C1', 'Big diamond', 'big', 'diamond', 'current', 'x', 'x'),"
	     " (2, 'C2', 'Swing ordinary', 'individual', 'ordinary', 'swing', 'x', 'x'),"
	     " (3, 'C3', 'Lost silver', 'individual', 'silver', 'lost', 'x', 'x');"
	     /* June local = [05-31T16:00Z, 06-30T16:00Z) */
	     "INSERT INTO visits(id, created_at, customer_id, pump, grade, volume_ml, amount_fen, won_back) VALUES"
	     " ('v1', '2026-05-31T15:59:59Z', 1, 1, '92#', 1000, 0, 0),"
	     " ('v2', '2026-05-31T16:00:00Z', 1, 1, '92#', 2000, 0, 0),"
	     " ('v3', '2026-06-30T15:59:59Z', 2, 1, '95#', 3000, 0, 1),"
	     " ('v4', '2026-06-30T16:00:00Z', 2, 1, '95#', 4000, 0, 0),"
	     " ('v5', '2026-06-10T00:00:00Z', NULL, 1, '0#', 500, 0, 0),"
	     " ('v6', '2026-04-01T00:00:00Z', 3, 1, '0#', 700, 0, 0);"
	     "INSERT INTO callbacks(id, created_at, customer_id, method) VALUES"
	     " ('k1', '2026-06-01T00:00:00Z', 1, 'phone'), ('k2', '2026-06-02T00:00:00Z', 2, 'phone'),"
	     " ('k3', '2026-06-30T16:00:00Z', 2, 'phone'), ('k4', '2026-06-03T00:00:00Z', 3, 'sms');"
	     /* deadline 06-10 ends at 06-10T16:00Z (local midnight after it) */
	     "INSERT INTO complaints(id, created_at, received_at, channel, severity, content,"
	     " deadline, status, closed_at) VALUES"
	     " ('c1', 'x', '2026-06-09T02:00:00Z', 'book', 'general', 'a', '2026-06-10', 'closed', '2026-06-10T15:59:59Z'),"
	     " ('c2', 'x', '2026-06-09T02:00:00Z', 'book', 'general', 'b', '2026-06-10', 'closed', '2026-06-10T16:00:00Z'),"
	     " ('c3', 'x', '2026-06-29T02:00:00Z', 'book', 'general', 'c', '2026-06-30', 'open', NULL),"
	     " ('c4', 'x', '2026-06-30T02:00:00Z', 'book', 'major', 'd', '2026-07-03', 'open', NULL),"
	     " ('c5', 'x', '2026-06-30T16:00:00Z', 'book', 'general', 'e', '2026-07-02', 'open', NULL);");
	/* as a fuelling leaves them (classify_after_visit): the latest visit's
	 * time and volume on the customer */
	tu_exec(db, "UPDATE customers SET last_visit_at = (SELECT max(created_at) FROM visits v"
		    " WHERE v.customer_id = customers.id)");
	assert_int_equal(classify_rebuild_last_visit(db, &err), FC_OK);
	int64_t now;
	assert_true(clock_parse_iso("2026-06-30T16:00:00Z", &now)); /* c3's deadline ends now */
	report_monthly r;
	assert_int_equal(report_monthly_compute(db, &cfg, "2026-06", now, &r, &err), FC_OK);
	assert_string_equal(r.from, "2026-05-31T16:00:00Z");
	assert_string_equal(r.to, "2026-06-30T16:00:00Z");
	assert_int_equal(r.by_tier[TIER_BIG_DIAMOND], 1);
	assert_int_equal(r.by_stability[STABILITY_SWING], 1);
	assert_int_equal(r.visits, 3);
	assert_int_equal(r.total_ml, 5500);
	assert_int_equal(r.tier_ml[TIER_BIG_DIAMOND], 2000);
	assert_int_equal(r.tier_ml[TIER_IND_ORDINARY], 3000);
	assert_int_equal(r.anonymous_ml, 500);
	assert_int_equal(r.grade_count, 3);
	assert_int_equal(r.complaints_received, 4);
	assert_int_equal(r.complaints_in_time, 1);
	assert_int_equal(r.complaints_late, 1);
	assert_int_equal(r.complaints_overdue, 1);
	assert_int_equal(r.complaints_open, 1);
	/* maintained: C2 (ordinary individual, swing: 1 + 2) and C3 (silver individual) */
	assert_int_equal(r.callback_count, 2);
	assert_string_equal(r.callbacks[0].code, "C2");
	assert_int_equal(r.callbacks[0].required, 3);
	assert_int_equal(r.callbacks[0].done, 1);
	assert_int_equal(r.callbacks[1].done, 1);
	assert_int_equal(r.callbacks_required, 4);
	assert_int_equal(r.callbacks_met, 1);
	assert_int_equal(r.won_back.count, 1);
	assert_string_equal(r.won_back.rows[0].last_at, "2026-06-30T15:59:59Z");
	assert_int_equal(r.won_back.rows[0].month_ml, 3000);
	assert_int_equal(r.lost.count, 1);
	assert_string_equal(r.lost.rows[0].last_at, "2026-04-01T00:00:00Z");
	assert_int_equal(r.lost.rows[0].last_ml, 700);
	assert_int_equal(r.swing.count, 1);
	assert_string_equal(r.swing.rows[0].last_at, "2026-06-30T16:00:00Z");
	assert_int_equal(r.swing.rows[0].month_ml, 3000);
	report_monthly_free(&r);
	db_close(db);
	tu_rmdir(dir);
}

/* A sink that writes what it is given, in order, into a string. */
typedef struct trace {
	char text[4096];
	int summaries;
	const report_monthly *r; /* the summary's: the rows' study texts */
} trace;

static fc_status trace_summary(void *user, const report_monthly *r, fc_error *err)
{
	(void)err;
	trace *t = user;
	t->summaries++;
	t->r = r;
	snprintf(t->text + strlen(t->text), sizeof t->text - strlen(t->text), "S%zu/%zu/%zu/%zu ",
		 r->won_back.count, r->lost.count, r->swing.count, r->potential.count);
	return FC_OK;
}

static fc_status trace_callback(void *user, const report_callback *c, fc_error *err)
{
	(void)err;
	trace *t = user;
	snprintf(t->text + strlen(t->text), sizeof t->text - strlen(t->text), "k%s ", c->code);
	return FC_OK;
}

static fc_status trace_customer(void *user, report_list_kind list, const report_customer *c,
				fc_error *err)
{
	(void)err;
	trace *t = user;
	snprintf(t->text + strlen(t->text), sizeof t->text - strlen(t->text), "%d%s:%s:%lld ",
		 (int)list, c->code, c->last_at, (long long)c->last_ml);
	/* the study's answers and the competitor, when there are */
	if (c->study_at || c->competitor)
		snprintf(t->text + strlen(t->text), sizeof t->text - strlen(t->text),
			 "[%d %s %s %s %s] ", c->loss_reason,
			 report_text(t->r, c->study[STUDY_LOSS_REASON_TEXT]),
			 report_text(t->r, c->study_at), c->competitor ? "C" : "-",
			 report_text(t->r, c->competitor_name));
	return FC_OK;
}

/* Streamed (issue 17): the figures first, then the callbacks by code, then
 * each list in its order, the same whether SQLite sorts the rows (the
 * kiosk) or they are sorted in memory (the command); a sink's failure
 * stops the stream with its status. */
static void stream_orders_rows_either_way(void **state)
{
	(void)state;
	setenv("TZ", "CST-8", 1);
	tzset();
	char *dir = tu_tempdir(), path[4096];
	sqlite3 *db;
	fc_error err;
	fc_config cfg;
	config_defaults(&cfg);
	assert_int_equal(db_open(tu_path(path, dir, "s.db"), DB_OPEN_CREATE, &db, &err), FC_OK);
	tu_exec(db,
	     "INSERT INTO customers(id, code, name, nature, tier, stability, last_visit_at,"
	     " chain_last_purchase_at, created_at, updated_at) VALUES"
	     " (1, 'L2', 'a', 'individual', 'ordinary', 'lost', '2026-03-01T00:00:00Z', NULL, 'x', 'x'),"
	     " (2, 'L1', 'b', 'individual', 'ordinary', 'lost', '2026-03-01T00:00:00Z', NULL, 'x', 'x'),"
	     " (3, 'L0', 'c', 'individual', 'silver', 'lost', '2026-04-01T00:00:00Z', NULL, 'x', 'x'),"
	     " (4, 'P1', 'd', 'big', 'ordinary', 'potential', NULL, NULL, 'x', 'x'),"
	     " (5, 'S1', 'e', 'individual', 'ordinary', 'swing', '2026-06-20T00:00:00Z', NULL, 'x', 'x'),"
	     /* bought at another station since the daily run: current, in no list */
	     " (6, 'P0', 'f', 'individual', 'ordinary', 'potential', NULL, '2026-06-25T00:00:00Z', 'x', 'x'),"
	     " (7, 'D1', 'g', 'big', 'diamond', 'current', NULL, NULL, 'x', 'x');"
	     /* the study (issue 16): L1's answers, given in May; D1 buys from a competitor */
	     "UPDATE customers SET loss_reason = 'price', loss_reason_text = 'cheaper',"
	     " study_at = '2026-05-10T00:00:00Z' WHERE id = 2;"
	     "UPDATE customers SET competitor = 1, competitor_name = 'Shell' WHERE id = 7;"
	     "INSERT INTO visits(id, created_at, customer_id, pump, grade, volume_ml, amount_fen) VALUES"
	     " ('v1', '2026-04-01T00:00:00Z', 3, 1, '92#', 1500, 0);");
	assert_int_equal(classify_rebuild_last_visit(db, &err), FC_OK); /* as the fuelling keeps it */
	int64_t now;
	assert_true(clock_parse_iso("2026-06-30T08:00:00Z", &now));
	const char *want = "S0/3/1/1 kL0 kL1 kL2 kP0 kP1 kS1 "
			   "1L0:2026-04-01T00:00:00Z:1500 1L1:2026-03-01T00:00:00Z:0 "
			   "[0 cheaper 2026-05-10T00:00:00Z - ] "
			   "1L2:2026-03-01T00:00:00Z:0 2S1:2026-06-20T00:00:00Z:0 3P1::0 "
			   "4D1::0 [-1   C Shell] ";
	for (int memory = 0; memory < 2; memory++) {
		trace t = { .summaries = 0 };
		report_monthly r;
		report_sink sink = { .user = &t, .rows_in_memory = memory, .summary = trace_summary,
				     .callback = trace_callback, .customer = trace_customer };
		assert_int_equal(report_monthly_stream(db, &cfg, "2026-06", now, &sink, &r, &err), FC_OK);
		assert_int_equal(t.summaries, 1);
		assert_null(r.lost.rows);
		assert_string_equal(t.text, want);
		assert_int_equal(r.reasons[TIER_IND_ORDINARY][LOSS_REASON_PRICE], 1);
		assert_int_equal(r.reason_kinds[TIER_IND_ORDINARY][LOSS_KIND_SUBJECTIVE], 1);
		assert_int_equal(r.reason_kinds[TIER_IND_ORDINARY][LOSS_KIND_OBJECTIVE], 0);
		assert_int_equal(r.competitors.count, 1);
		report_monthly_free(&r);
	}
	/* a past month (the classes at its end, class_history, kept since
	 * before it ended): the same either way; P0's purchase and S1's visit
	 * came after it */
	tu_exec(db, "UPDATE customers SET created_at = '2026-01-01T00:00:00Z';"
		    "UPDATE meta SET value = '2026-01-01T00:00:00Z' WHERE key = 'class_history_since'");
	trace past[2];
	for (int memory = 0; memory < 2; memory++) {
		report_monthly r;
		past[memory] = (trace){ .summaries = 0 };
		report_sink sink = { .user = &past[memory], .rows_in_memory = memory,
				     .summary = trace_summary, .callback = trace_callback,
				     .customer = trace_customer };
		assert_int_equal(report_monthly_stream(db, &cfg, "2026-05", now, &sink, &r, &err), FC_OK);
		assert_true(r.history);
		assert_true(r.classes_then);
		report_monthly_free(&r);
	}
	assert_string_equal(past[0].text, past[1].text);
	assert_non_null(strstr(past[0].text, "S0/3/1/2 "));
	assert_non_null(strstr(past[0].text, "2S1::0 3P0::0 3P1::0 "));
	assert_non_null(strstr(past[0].text, "[0 cheaper 2026-05-10T00:00:00Z - ]"));
	/* a past month that ended before the class history began: today's
	 * classes (P0 current again, as in June), the same either way */
	tu_exec(db, "UPDATE meta SET value = '2026-06-10T00:00:00Z' WHERE key = 'class_history_since'");
	for (int memory = 0; memory < 2; memory++) {
		report_monthly r;
		past[memory] = (trace){ .summaries = 0 };
		report_sink sink = { .user = &past[memory], .rows_in_memory = memory,
				     .summary = trace_summary, .callback = trace_callback,
				     .customer = trace_customer };
		assert_int_equal(report_monthly_stream(db, &cfg, "2026-05", now, &sink, &r, &err), FC_OK);
		assert_true(r.history);
		assert_false(r.classes_then);
		assert_string_equal(r.history_since, "2026-06-10T00:00:00Z");
		report_monthly_free(&r);
	}
	assert_string_equal(past[0].text, past[1].text);
	assert_string_equal(past[0].text,
			    "S0/3/1/1 kL0 kL1 kL2 kP0 kP1 kS1 "
			    "1L0:2026-04-01T00:00:00Z:1500 1L1:2026-03-01T00:00:00Z:0 "
			    "[0 cheaper 2026-05-10T00:00:00Z - ] "
			    "1L2:2026-03-01T00:00:00Z:0 2S1::0 3P1::0 4D1::0 [-1   C Shell] ");
	/* the current month in memory sorts the lists by a number made of the
	 * last purchase's time; one of another shape (milliseconds, which sort
	 * before the same second's "Z" as text) makes it compare the texts:
	 * the same order either way */
	tu_exec(db, "UPDATE customers SET last_visit_at = '2026-03-01T00:00:00.500Z' WHERE id = 1");
	for (int memory = 0; memory < 2; memory++) {
		report_monthly r;
		past[memory] = (trace){ .summaries = 0 };
		report_sink sink = { .user = &past[memory], .rows_in_memory = memory,
				     .summary = trace_summary, .callback = trace_callback,
				     .customer = trace_customer };
		assert_int_equal(report_monthly_stream(db, &cfg, "2026-06", now, &sink, &r, &err), FC_OK);
		report_monthly_free(&r);
	}
	assert_string_equal(past[0].text, past[1].text);
	assert_non_null(strstr(past[1].text, "1L0:2026-04-01T00:00:00Z:1500 1L1:2026-03-01T00:00:00Z:0 "
					      "[0 cheaper 2026-05-10T00:00:00Z - ] "
					      "1L2:2026-03-01T00:00:00.500Z:0 2S1:"));
	report_monthly r;
	assert_int_equal(report_monthly_compute(db, &cfg, "2026-06", now, &r, &err), FC_OK);
	assert_int_equal(r.lost.count, 3);
	assert_string_equal(r.lost.rows[0].code, "L0");
	assert_int_equal(r.callback_count, 6);
	assert_int_equal(r.competitors.count, 1);
	assert_string_equal(report_text(&r, r.competitors.rows[0].competitor_name), "Shell");
	assert_string_equal(report_text(&r, r.lost.rows[1].study[STUDY_LOSS_REASON_TEXT]), "cheaper");
	report_monthly_free(&r);
	db_close(db);
	tu_rmdir(dir);
}

/* report_rows_sort_codes: codes by their group (up to the last '-')
 * in the order they were added; a group out of order is sorted; groups
 * whose parts could interleave ("A-" and "A-B-") sort every row. */
typedef struct coded {
	char code[16];
} coded;

static const char *coded_code(const void *row)
{
	return ((const coded *)row)->code;
}

static int coded_cmp(const void *a, const void *b)
{
	return strcmp((*(const coded *const *)a)->code, (*(const coded *const *)b)->code);
}

static void sorted_codes(const char *const *codes, char *out, size_t n)
{
	report_rows rows = { .size = sizeof(coded) };
	fc_error err;
	for (size_t i = 0; codes[i]; i++) {
		coded c = { { 0 } };
		snprintf(c.code, sizeof c.code, "%s", codes[i]);
		assert_int_equal(report_rows_add(&rows, &c, &err), FC_OK);
	}
	assert_int_equal(report_rows_sort_codes(&rows, coded_code, coded_cmp, &err), FC_OK);
	out[0] = '\0';
	for (size_t i = 0; i < rows.count; i++)
		snprintf(out + strlen(out), n - strlen(out), "%s ",
			 ((const coded *)rows.sorted[i])->code);
	report_rows_free(&rows);
}

static void rows_sort_by_code_groups(void **state)
{
	(void)state;
	char out[256];
	static const char *const groups[] = { "S1-I-OT-01", "S1-B-LG-01", "S1-I-OT-02", "S1-B-AG-07",
					      "S1-B-LG-02", "S1-B-AG-03", "S1-I-OT-10", "S2-B-LG-01",
					      "X", NULL };
	sorted_codes(groups + 8, out, sizeof out);
	assert_string_equal(out, "X ");
	static const char *const some[] = { "S1-I-OT-01", "S1-B-LG-01", "S1-I-OT-02", "S1-B-AG-07",
					    "S1-B-LG-02", "S1-B-AG-03", "S1-I-OT-10", "S2-B-LG-01", NULL };
	sorted_codes(some, out, sizeof out);
	assert_string_equal(out, "S1-B-AG-03 S1-B-AG-07 S1-B-LG-01 S1-B-LG-02 S1-I-OT-01 S1-I-OT-02 "
				 "S1-I-OT-10 S2-B-LG-01 ");
	sorted_codes(groups, out, sizeof out); /* "X": its part "" is every part's prefix */
	assert_string_equal(out, "S1-B-AG-03 S1-B-AG-07 S1-B-LG-01 S1-B-LG-02 S1-I-OT-01 S1-I-OT-02 "
				 "S1-I-OT-10 S2-B-LG-01 X ");
	static const char *const nested[] = { "A-9", "A-B-1", "A-0", "A-C", NULL };
	sorted_codes(nested, out, sizeof out);
	assert_string_equal(out, "A-0 A-9 A-B-1 A-C ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_months),
		cmocka_unit_test(month_figures),
		cmocka_unit_test(stream_orders_rows_either_way),
		cmocka_unit_test(rows_sort_by_code_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
