/* test_care.c — the complaint book (deadlines, overdue-first list, resolve,
 * escalate, outbox), callbacks due, visit-report scores and feedback, on a
 * real database file. */
#include "care_fixture.h"

#include "care/callback.h"
#include "care/complaint.h"
#include "care/complaint_path.h"
#include "care/feedback.h"
#include "care/visit_report.h"

static int setup(void **state)
{
	/* Thu 02-12 10:00 local */
	return care_fixture_setup(state, "2026-02-12T02:00:00Z",
	     "INSERT INTO holidays(date, kind, name) VALUES('2026-02-14','workday','调休');"
	     "WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 8) "
	     "INSERT INTO holidays(date, kind, name) SELECT date('2026-02-15', '+' || n || ' days'), 'holiday', '春节' "
	     "  FROM d;"
	     "INSERT INTO customers(id, code, name, nature, tier, stability, created_at, updated_at) VALUES"
	     " (1, 'B-ORD', 'Big ordinary', 'big', 'ordinary', 'current', 'x', 'x'),"
	     " (2, 'B-GOLD', 'Big gold', 'big', 'gold', 'current', 'x', 'x'),"
	     " (3, 'I-SIL', 'Ind silver', 'individual', 'silver', 'swing', 'x', 'x'),"
	     " (4, 'I-ORD', 'Ind ordinary', 'individual', 'ordinary', 'current', 'x', 'x'),"
	     " (5, 'I-PLAT', 'Ind platinum', 'individual', 'platinum', 'current', 'x', 'x');");
}

static void complaint_lifecycle(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_complaint c, old;
	int64_t ms;
	/* A general complaint received Tue 02-10 10:00 local: due Wed 02-11, overdue now. */
	assert_true(clock_parse_iso("2026-02-10T02:00:00Z", &ms));
	fc_complaint_input in = { .received_ms = ms, .channel = CHANNEL_BOOK, .customer_id = 1,
				  .severity = SEVERITY_GENERAL, .content = "slow pump 3",
				  .staff_id = fx->head };
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, &old, &err), FC_OK);
	assert_string_equal(old.deadline, "2026-02-11");
	assert_true(old.overdue);
	assert_string_equal(old.customer_name, "Big ordinary");
	/* A major one now (Thu 02-12): 13 Fri, 14 make-up Sat, 24 Tue. */
	in = (fc_complaint_input){ .channel = CHANNEL_PHONE, .customer_name = "Mr Sun",
				   .severity = SEVERITY_MAJOR, .content = "rude cashier",
				   .staff_id = fx->head };
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, &c, &err), FC_OK);
	assert_string_equal(c.deadline, "2026-02-24");
	assert_false(c.overdue);
	assert_true(c.ms_left > 0);
	assert_int_equal(complaint_count_overdue(fx->db, clock_now_ms()), 1);

	/* refusals: nothing stored */
	in.content = "  ";
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, NULL, &err), FC_ERR_INVALID);
	in.content = "x";
	in.severity = SEVERITY_SPECIAL;
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, NULL, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "approving supervisor"));
	in.approved_by = "Boss";
	in.special_days = 8;
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, NULL, &err), FC_ERR_INVALID);
	in.special_days = 7;
	in.staff_id = fx->attendant;
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, NULL, &err), FC_ERR_AUTH);
	in.staff_id = fx->head;
	in.customer_id = 99;
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, NULL, &err), FC_ERR_NOT_FOUND);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM complaints"), 2);

	/* list: the overdue one first, then by deadline */
	fc_complaint *rows;
	size_t n;
	assert_int_equal(complaint_list(fx->db, COMPLAINT_OPEN, clock_now_ms(), &rows, &n, &err), FC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, old.id);
	assert_true(rows[0].overdue);
	free(rows);

	/* escalate to special: deadline from the original receipt, 7 working days */
	assert_int_equal(complaint_escalate(fx->db, &fx->cfg, c.id, SEVERITY_SPECIAL, 7, "Boss",
					    "customer went to the press", fx->head, &c, &err), FC_OK);
	/* 13 (1), make-up 14 (2), 24 (3), 25 (4), 26 (5), 27 (6), Sat 28 is an
	 * ordinary Saturday in this calendar, Mon 03-02 (7) */
	assert_string_equal(c.deadline, "2026-03-02");
	assert_int_equal(complaint_escalate(fx->db, &fx->cfg, c.id, SEVERITY_MAJOR, 0, NULL, "x",
					    fx->head, NULL, &err), FC_ERR_CONFLICT);
	/* resolve by the short id */
	const char *prefix = complaint_short_id(old.id);
	assert_int_equal(complaint_resolve(fx->db, &fx->cfg, prefix, "", "Wang", NULL, fx->head, NULL, &err), FC_ERR_INVALID);
	assert_int_equal(complaint_resolve(fx->db, &fx->cfg, prefix, "pump fixed", "Wang", NULL, fx->head, NULL, &err), FC_OK);
	/* a general complaint: the result is the opinion; approved, the customer
	 * told, then closed (closing earlier refused, naming what is missing) */
	assert_int_equal(complaint_resolve(fx->db, &fx->cfg, prefix, "again", "Wang", NULL, fx->head, NULL, &err), FC_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "already has its handling result"));
	assert_int_equal(complaint_path_close(fx->db, &fx->cfg, prefix, NULL, fx->head, &err), FC_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "a head has not approved its handling opinion"));
	assert_int_equal(complaint_path_approve(fx->db, &fx->cfg, prefix, 0, NULL, 0, fx->head, &err), FC_OK);
	assert_int_equal(complaint_path_close(fx->db, &fx->cfg, prefix, NULL, fx->head, &err), FC_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "the customer has not been told"));
	assert_int_equal(complaint_path_tell(fx->db, &fx->cfg, prefix, "Wang", CALLBACK_SMS, 0, fx->head, &err), FC_OK);
	assert_int_equal(complaint_path_close(fx->db, &fx->cfg, prefix, NULL, fx->head, &err), FC_OK);
	assert_int_equal(complaint_resolve(fx->db, &fx->cfg, prefix, "again", "Wang", NULL, fx->head, NULL, &err), FC_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "already closed"));
	assert_int_equal(complaint_count_overdue(fx->db, clock_now_ms()), 0);
	assert_int_equal(complaint_list(fx->db, COMPLAINT_CLOSED, clock_now_ms(), &rows, &n, &err), FC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].result, "pump fixed");
	free(rows);

	/* every create and update is in the outbox, in one seq order */
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'complaint'"), 2);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'complaint_update'"), 5);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'complaint_update' "
					  "AND json_extract(payload, '$.data.kind') = 'resolve' "
					  "AND json_extract(payload, '$.data.result') = 'pump fixed'"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM audit WHERE action LIKE 'complaint_%'"), 7);
}

static void callbacks_due_and_recorded(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_callback_due_list due;
	/* Thu 02-12: the holiday starts Sun 02-15, within 7 days. */
	assert_int_equal(callback_list_due(fx->db, &fx->cfg, clock_now_ms(), &due, &err), FC_OK);
	assert_string_equal(due.holiday_date, "2026-02-15");
	assert_int_equal(due.count, 3); /* B-ORD, I-SIL, I-ORD; not gold or platinum */
	assert_string_equal(due.rows[0].code, "I-SIL"); /* swing: 2 behind */
	assert_int_equal(due.rows[0].behind, 2);
	callback_due_free(&due);

	int64_t id;
	assert_int_equal(callback_customer_by_code(fx->db, "B-ORD", &id, &err), FC_OK);
	assert_int_equal(callback_record(fx->db, &fx->cfg, id, CALLBACK_PHONE, "Mr Qian", "all fine",
					 fx->attendant, NULL, &err), FC_ERR_AUTH);
	assert_int_equal(callback_record(fx->db, &fx->cfg, id, CALLBACK_PHONE, "Mr Qian", "all fine",
					 fx->head, NULL, &err), FC_OK);
	assert_int_equal(callback_record(fx->db, &fx->cfg, 999, CALLBACK_SMS, "", "", fx->head, NULL, &err),
			 FC_ERR_INVALID);
	assert_int_equal(callback_customer_by_code(fx->db, "NOPE", &id, &err), FC_ERR_NOT_FOUND);
	assert_int_equal(callback_list_due(fx->db, &fx->cfg, clock_now_ms(), &due, &err), FC_OK);
	assert_int_equal(due.count, 2);
	callback_due_free(&due);
	/* Without a holiday ahead (March), B-ORD has its one callback... of February only. */
	setenv("FORECOURT_NOW", "2026-03-05T02:00:00Z", 1);
	assert_int_equal(callback_list_due(fx->db, &fx->cfg, clock_now_ms(), &due, &err), FC_OK);
	assert_string_equal(due.holiday_date, "");
	assert_int_equal(due.count, 3);
	callback_due_free(&due);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'callback' AND "
					  "json_extract(payload, '$.data.method') = 'phone'"), 1);
}

static void visit_report_scores_and_feedback(void **state)
{
	fixture *fx = *state;
	fc_error err;
	int points[3];
	/* every cell of domain.md's table */
	static const struct { fc_score_item item; const char *key; int points; } table[] = {
		{ SCORE_QUALITY, "very_excellent", 100 }, { SCORE_QUALITY, "excellent", 90 },
		{ SCORE_QUALITY, "good", 85 }, { SCORE_QUALITY, "fair", 80 },
		{ SCORE_QUALITY, "acceptable", 70 }, { SCORE_QUALITY, "unacceptable", 60 },
		{ SCORE_ATTITUDE, "very_excellent", 100 }, { SCORE_ATTITUDE, "excellent", 90 },
		{ SCORE_ATTITUDE, "good", 85 }, { SCORE_ATTITUDE, "fair", 80 },
		{ SCORE_ATTITUDE, "poor", 30 }, { SCORE_ATTITUDE, "abysmal", 0 },
		{ SCORE_RENOWN, "very_famous", 100 }, { SCORE_RENOWN, "famous", 90 },
		{ SCORE_RENOWN, "high", 85 }, { SCORE_RENOWN, "fairly_high", 80 },
		{ SCORE_RENOWN, "known", 70 }, { SCORE_RENOWN, "heard_of", 60 },
		{ SCORE_RENOWN, "unknown", 50 },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		assert_int_equal(visit_report_score_points(table[i].item, table[i].key), table[i].points);
	assert_int_equal(visit_report_score_points(SCORE_ATTITUDE, "acceptable"), -1);

	fc_visit_report_input in = { .customer_id = 4, .choice = { "good", "poor", "heard_of" },
				     .suggestions = "more car wash", .contact_name = "Ms Zhou",
				     .contact_title = "fleet manager", .contact_phone = "13800000000",
				     .staff_id = fx->head };
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, points, NULL, &err), FC_OK);
	assert_int_equal(points[0], 85);
	assert_int_equal(points[1], 30);
	assert_int_equal(points[2], 60);
	in.choice[1] = "excellentish";
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, NULL, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "attitude: 'excellentish' is not a choice"));
	in.choice[1] = "poor";
	in.customer_id = 999999;
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, NULL, &err), FC_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "no customer with id 999999"));
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM visit_reports"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'visit_report' AND "
					  "json_extract(payload, '$.data.attitude.points') = 30"), 1);

	assert_int_equal(feedback_record(fx->db, &fx->cfg, NULL, 6, NULL, 0, NULL, &err), FC_ERR_INVALID);
	assert_int_equal(feedback_record(fx->db, &fx->cfg, "no-such-visit", 4, NULL, 0, NULL, &err),
			 FC_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "no visit 'no-such-visit'"));
	assert_int_equal(feedback_record(fx->db, &fx->cfg, NULL, 5, "quick", fx->attendant, NULL, &err), FC_OK);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM feedback"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'feedback'"), 1);
}

/* A visit date after today (local) is refused naming the field; a
 * back-dated report's monthly-study answers are dated by its date (the
 * local midnight starting it), today's by when it is written. */
static void visit_report_dates(void **state)
{
	fixture *fx = *state;
	fc_error err;
	char at[CLOCK_ISO_LEN], day[WORKDAYS_DATE_LEN];
	study_answers study = { .value = { [STUDY_LOSS_REASON] = "price",
					   [STUDY_MEASURES] = "two jiao off" } };
	fc_visit_report_input in = { .customer_id = 3, .choice = { "good", "good", "known" },
				     .report_date = "2026-02-13", .staff_id = fx->head,
				     .study = &study };
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, NULL, &err), FC_ERR_INVALID);
	assert_string_equal(err.msg, "field 'date': '2026-02-13' is after today (2026-02-12)");
	assert_int_equal(visit_report_check_date("2026-02-12", day, &err), FC_OK);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM visit_reports"), 0);

	assert_int_equal(visit_report_study_at("2026-01-20", "2026-02-12T02:00:00Z", at, &err), FC_OK);
	assert_string_equal(at, "2026-01-19T16:00:00Z");
	assert_int_equal(visit_report_study_at("2026-02-12", "2026-02-12T02:00:00Z", at, &err), FC_OK);
	assert_string_equal(at, "2026-02-12T02:00:00Z");

	in.report_date = "2026-01-20";
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, NULL, &err), FC_OK);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM customers WHERE id = 3 AND study_at ="
					  " '2026-01-19T16:00:00Z' AND loss_reason = 'price'"), 1);
	/* an older back-dated report does not replace the newer answers */
	study.value[STUDY_LOSS_REASON] = "service";
	in.report_date = "2026-01-05";
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, NULL, &err), FC_OK);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM customers WHERE id = 3 AND study_at ="
					  " '2026-01-19T16:00:00Z' AND loss_reason = 'price'"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM visit_reports"), 2);
}

/* The visit-report form (issue 16): both contacts, the unit, what was
 * learned and the sign-off reach the row and the record; a bad phone or a
 * blank-only text is refused naming the field, and nothing is stored. */
static void visit_report_form_both_contacts(void **state)
{
	fixture *fx = *state;
	fc_error err;
	char id[UUID_STR_LEN], sql[512];
	fc_visit_report_input in = {
		.customer_id = 4, .choice = { "good", "good", "known" },
		.contact_name = "张总", .contact_title = "总经理", .contact_phone = "023-6123 4567",
		.principal_mobile = "13800000001", .business_name = "李主办",
		.business_title = "车队调度", .business_phone = "023 6123 0000",
		.business_mobile = "+86 139-0000-0002", .legal_person = "张法人",
		.unit_address = "重庆市渝北区 1 号", .market = "fleet grows by 5 trucks",
		.service_feedback = "slow invoices", .needs = "monthly statement",
		.signoff = VISIT_SIGNOFF_BOTH, .staff_id = fx->head,
	};
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, id, &err), FC_OK);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM visit_reports WHERE id = '%s' AND contact_name = '张总' AND "
		 "principal_mobile = '13800000001' AND business_name = '李主办' AND business_title = "
		 "'车队调度' AND business_phone = '023 6123 0000' AND business_mobile = "
		 "'+86 139-0000-0002' AND legal_person = '张法人' AND market IS NOT NULL AND "
		 "needs = 'monthly statement' AND signoff = 'both'", id);
	assert_int_equal(tu_int64(fx->db, sql), 1);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM outbox WHERE id = '%s' AND json_extract(payload, "
		 "'$.data.contact_name') = '张总' AND json_extract(payload, '$.data.business_mobile') "
		 "= '+86 139-0000-0002' AND json_extract(payload, '$.data.unit_address') = "
		 "'重庆市渝北区 1 号' AND json_extract(payload, '$.data.service_feedback') = "
		 "'slow invoices' AND json_extract(payload, '$.data.signoff') = 'both'", id);
	assert_int_equal(tu_int64(fx->db, sql), 1);

	int64_t before = tu_int64(fx->db, "SELECT count(*) FROM visit_reports");
	int field;
	in.business_mobile = "139-abc";
	assert_int_equal(visit_report_check_texts(&in, &field, &err), FC_ERR_INVALID);
	assert_int_equal(field, VRF_BUSINESS_MOBILE);
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, NULL, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'business-mobile': '139-abc' is not a phone number"));
	in.business_mobile = NULL;
	in.principal_mobile = "12";
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, NULL, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'mobile'"));
	in.principal_mobile = NULL;
	in.market = "   ";
	assert_int_equal(visit_report_check_texts(&in, &field, &err), FC_ERR_INVALID);
	assert_int_equal(field, VRF_MARKET);
	assert_non_null(strstr(err.msg, "field 'market'"));
	in.market = "line\nbreak";
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, NULL, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "field 'market'"));
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM visit_reports"), before);

	char longname[VISIT_REPORT_NAME_MAX + 2];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	in.market = "ok";
	in.business_name = longname;
	assert_int_equal(visit_report_check_texts(&in, &field, &err), FC_ERR_INVALID);
	assert_int_equal(field, VRF_BUSINESS);
	assert_non_null(strstr(err.msg, "field 'business': at most 200 bytes"));
	in.business_name = "李主办";

	fc_visit_signoff so;
	assert_true(visit_report_signoff_parse("sealed", &so));
	assert_int_equal(so, VISIT_SIGNOFF_SEALED);
	assert_false(visit_report_signoff_parse("stamped", &so));
	assert_null(visit_report_signoff_key(VISIT_SIGNOFF_UNSET));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(complaint_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(callbacks_due_and_recorded, setup, teardown),
		cmocka_unit_test_setup_teardown(visit_report_scores_and_feedback, setup, teardown),
		cmocka_unit_test_setup_teardown(visit_report_form_both_contacts, setup, teardown),
		cmocka_unit_test_setup_teardown(visit_report_dates, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
