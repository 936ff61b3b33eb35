/* test_complaint.c — escalating an overdue complaint keeps it overdue unless
 * a supervisor approves a special case; callbacks need what was said, and a
 * visit report counts as an in-person callback.  Real database file. */
#include "care_fixture.h"

#include "care/callback.h"
#include "care/complaint.h"
#include "care/complaint_path.h"
#include "care/visit_report.h"

static int setup(void **state)
{
	/* Thu 03-12 10:00 local */
	return care_fixture_setup(state, "2026-03-12T02:00:00Z",
	     "INSERT INTO customers(id, code, name, nature, tier, stability, created_at, updated_at) VALUES"
	     " (1, 'B-ORD', 'Big ordinary', 'big', 'ordinary', 'current', 'x', 'x'),"
	     " (2, 'I-ORD', 'Ind ordinary', 'individual', 'ordinary', 'current', 'x', 'x');");
}

/* A general complaint received Mon 03-09 10:00 local: due Tue 03-10. */
static void file_overdue(fixture *fx, fc_complaint *c)
{
	fc_error err;
	int64_t ms;
	assert_true(clock_parse_iso("2026-03-09T02:00:00Z", &ms));
	fc_complaint_input in = { .received_ms = ms, .channel = CHANNEL_BOOK, .customer_id = 1,
				  .severity = SEVERITY_GENERAL, .content = "slow pump 3",
				  .staff_id = fx->head };
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, c, &err), FC_OK);
	assert_string_equal(c->deadline, "2026-03-10");
	assert_true(c->overdue);
}

static void escalate_overdue_to_major_stays_overdue(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_complaint c, up;
	file_overdue(fx, &c);
	/* major would give 03-12 (3 working days) and hide the overdue: not so */
	assert_int_equal(complaint_escalate(fx->db, &fx->cfg, c.id, SEVERITY_MAJOR, 0, NULL,
					    "customer called again", fx->head, &up, &err), FC_OK);
	assert_int_equal(up.severity, SEVERITY_MAJOR);
	assert_string_equal(up.deadline, "2026-03-10");
	assert_true(up.overdue);
	assert_int_equal(complaint_count_overdue(fx->db, clock_now_ms()), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM complaint_updates WHERE "
					  "reason = 'customer called again (overdue since 2026-03-10)'"), 1);
	/* a special case needs the approver; with one, the deadline moves */
	assert_int_equal(complaint_escalate(fx->db, &fx->cfg, c.id, SEVERITY_SPECIAL, 5, "",
					    "press", fx->head, NULL, &err), FC_ERR_INVALID);
	assert_string_equal(up.deadline, "2026-03-10");
	assert_int_equal(complaint_escalate(fx->db, &fx->cfg, c.id, SEVERITY_SPECIAL, 5, "Boss",
					    "press", fx->head, &up, &err), FC_OK);
	assert_string_equal(up.deadline, "2026-03-16"); /* 10, 11, 12, 13, Mon 16 */
	assert_false(up.overdue);
	assert_string_equal(up.approved_by, "Boss");
	/* already special: refused, naming it */
	assert_int_equal(complaint_escalate(fx->db, &fx->cfg, c.id, SEVERITY_SPECIAL, 7, "Boss",
					    "x", fx->head, NULL, &err), FC_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "already special"));
}

static void escalate_in_time_counts_from_receipt(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_complaint c, up;
	fc_complaint_input in = { .channel = CHANNEL_PHONE, .customer_name = "Mr Sun",
				  .severity = SEVERITY_GENERAL, .content = "rude cashier",
				  .staff_id = fx->head };
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, &c, &err), FC_OK);
	assert_string_equal(c.deadline, "2026-03-13");
	assert_int_equal(complaint_escalate(fx->db, &fx->cfg, c.id, SEVERITY_MAJOR, 0, NULL,
					    "repeated", fx->head, &up, &err), FC_OK);
	assert_string_equal(up.deadline, "2026-03-17"); /* 13, 16, 17 */
	assert_false(up.overdue);
}

static void callback_needs_what_was_said(void **state)
{
	fixture *fx = *state;
	fc_error err;
	assert_int_equal(callback_record(fx->db, &fx->cfg, 1, CALLBACK_PHONE, "", "", fx->head,
					 NULL, &err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "notes"));
	assert_int_equal(callback_record(fx->db, &fx->cfg, 1, CALLBACK_PHONE, "Mr Qian", " \t ",
					 fx->head, NULL, &err), FC_ERR_INVALID);
	assert_int_equal(callback_record(fx->db, &fx->cfg, 1, CALLBACK_PHONE, "Mr Qian", NULL,
					 fx->head, NULL, &err), FC_ERR_INVALID);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM callbacks"), 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'callback'"), 0);
	assert_int_equal(callback_record(fx->db, &fx->cfg, 1, CALLBACK_PHONE, "Mr Qian", "all fine",
					 fx->head, NULL, &err), FC_OK);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM callbacks WHERE notes = 'all fine'"), 1);
}

static void visit_report_counts_as_callback(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_callback_due_list due;
	assert_int_equal(callback_list_due(fx->db, &fx->cfg, clock_now_ms(), &due, &err), FC_OK);
	assert_int_equal(due.count, 2);
	callback_due_free(&due);
	/* a report dated last month does not count for March */
	fc_visit_report_input in = { .customer_id = 2, .report_date = "2026-02-27",
				     .choice = { "good", "good", "known" }, .staff_id = fx->head };
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, NULL, &err), FC_OK);
	assert_int_equal(callback_list_due(fx->db, &fx->cfg, clock_now_ms(), &due, &err), FC_OK);
	assert_int_equal(due.count, 2);
	callback_due_free(&due);
	in.report_date = "2026-03-11";
	assert_int_equal(visit_report_record(fx->db, &fx->cfg, &in, NULL, NULL, &err), FC_OK);
	assert_int_equal(callback_list_due(fx->db, &fx->cfg, clock_now_ms(), &due, &err), FC_OK);
	assert_int_equal(due.count, 1);
	assert_string_equal(due.rows[0].code, "B-ORD");
	callback_due_free(&due);
}

/* An overdue complaint escalated to a special case: level 1 is its
 * approver, the next level of approval_levels follows in order with its
 * name and time, then the result, the customer told and closing; the path
 * lists each step done with who and when. */
static void special_case_path_in_order(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_complaint c;
	fc_complaint_step steps[COMPLAINT_PATH_MAX];
	size_t n;
	int no;
	file_overdue(fx, &c);
	assert_int_equal(complaint_path_next(&fx->cfg, &c, NULL), COMPLAINT_STEP_HANDLED);
	assert_int_equal(complaint_escalate(fx->db, &fx->cfg, c.id, SEVERITY_SPECIAL, 5, "Sun",
					    "to the press", fx->head, &c, &err), FC_OK);
	assert_int_equal(c.levels_done, 1);
	assert_int_equal(complaint_path_next(&fx->cfg, &c, &no), COMPLAINT_STEP_LEVEL);
	assert_int_equal(no, 2);
	assert_int_equal(complaint_path_approve(fx->db, &fx->cfg, c.id, 1, "X", 0, fx->head, &err),
			 FC_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "level 1 (station_head) has already approved it"));
	assert_int_equal(complaint_path_approve(fx->db, &fx->cfg, c.id, 2, "", 0, fx->head, &err),
			 FC_ERR_INVALID);
	assert_int_equal(complaint_path_tell(fx->db, &fx->cfg, c.id, "Wang", CALLBACK_PHONE, 0,
					     fx->head, &err), FC_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "level 2 of 2 (branch_retail_manager) has not approved it"));
	/* the result waits for every level: refused, naming the next one */
	assert_int_equal(complaint_resolve(fx->db, &fx->cfg, c.id, "tested", "Wang", NULL, fx->head,
					   NULL, &err), FC_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "level 2/2 (branch_retail_manager) has not approved yet"));
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM complaints WHERE handled_at IS NOT "
					  "NULL"), 0);
	assert_int_equal(complaint_path_approve(fx->db, &fx->cfg, c.id, 0, "Qian", 0, fx->head, &err),
			 FC_OK);
	assert_int_equal(complaint_path_approve(fx->db, &fx->cfg, c.id, 3, "Zhao", 0, fx->head, &err),
			 FC_ERR_INVALID);
	assert_int_equal(complaint_resolve(fx->db, &fx->cfg, c.id, "tested", "Wang", NULL, fx->head,
					   NULL, &err), FC_OK);
	assert_int_equal(complaint_path_tell(fx->db, &fx->cfg, c.id, "Wang", CALLBACK_VISIT, 0,
					     fx->head, &err), FC_OK);
	assert_int_equal(complaint_path_close(fx->db, &fx->cfg, c.id, "done", fx->head, &err), FC_OK);
	assert_int_equal(complaint_find(fx->db, c.id, clock_now_ms(), &c, &err), FC_OK);
	assert_true(c.closed);
	assert_int_equal(complaint_path_steps(fx->db, &fx->cfg, &c, steps, &n, &err), FC_OK);
	assert_int_equal(n, 6); /* received, level 1, level 2, handled, told, closed */
	for (size_t i = 0; i < n; i++)
		assert_true(steps[i].done);
	assert_int_equal(steps[1].kind, COMPLAINT_STEP_LEVEL);
	assert_string_equal(steps[1].who, "Sun");
	assert_int_equal(steps[2].level, APPROVER_BRANCH_RETAIL_MANAGER);
	assert_string_equal(steps[2].who, "Qian");
	assert_string_equal(steps[4].how, "visit");
	assert_int_equal(complaint_path_close(fx->db, &fx->cfg, c.id, NULL, fx->head, &err),
			 FC_ERR_CONFLICT);
}

/* A general complaint's opinion is approved by the head logged in: a typed
 * name is refused, the stored approver is the head's name. */
static void general_approved_by_head_logged_in(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_complaint c;
	fc_complaint_input in = { .channel = CHANNEL_BOOK, .severity = SEVERITY_GENERAL,
				  .content = "rude", .staff_id = fx->head };
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, &c, &err), FC_OK);
	assert_int_equal(complaint_resolve(fx->db, &fx->cfg, c.id, "apologised", "Wang", NULL,
					   fx->head, NULL, &err), FC_OK);
	assert_int_equal(complaint_path_approve(fx->db, &fx->cfg, c.id, 0, "Zhang", 0, fx->head,
						&err), FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "approved by the head logged in, not by a typed name"));
	assert_int_equal(complaint_path_approve(fx->db, &fx->cfg, c.id, 0, NULL, 0, fx->attendant,
						&err), FC_ERR_AUTH);
	assert_int_equal(complaint_path_approve(fx->db, &fx->cfg, c.id, 0, NULL, 0, fx->head, &err),
			 FC_OK);
	assert_int_equal(complaint_find(fx->db, c.id, clock_now_ms(), &c, &err), FC_OK);
	assert_string_equal(c.approver, "Wang");
}

/* A suggestion: no deadline, never overdue (not even long after), not in
 * the overdue count; no approval; its answer closes it. */
static void suggestion_has_no_deadline(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_complaint c;
	fc_complaint_input in = { .suggestion = true, .channel = CHANNEL_BOOK,
				  .content = "car wash please", .staff_id = fx->head };
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, &c, &err), FC_OK);
	assert_true(c.suggestion);
	assert_string_equal(c.deadline, "");
	assert_int_equal(complaint_find(fx->db, c.id, clock_now_ms() + 400LL * 86400000, &c, &err),
			 FC_OK);
	assert_false(c.overdue);
	assert_int_equal(complaint_count_overdue(fx->db, clock_now_ms() + 400LL * 86400000), 0);
	in.special_days = 3;
	assert_int_equal(complaint_create(fx->db, &fx->cfg, &in, NULL, &err), FC_ERR_INVALID);
	assert_int_equal(complaint_path_approve(fx->db, &fx->cfg, c.id, 0, NULL, 0, fx->head, &err),
			 FC_ERR_CONFLICT);
	bool closed = false;
	assert_int_equal(complaint_resolve(fx->db, &fx->cfg, c.id, "noted", "Wang", NULL, fx->head,
					   &closed, &err), FC_OK);
	assert_true(closed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(escalate_overdue_to_major_stays_overdue, setup, teardown),
		cmocka_unit_test_setup_teardown(escalate_in_time_counts_from_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(callback_needs_what_was_said, setup, teardown),
		cmocka_unit_test_setup_teardown(visit_report_counts_as_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(special_case_path_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(suggestion_has_no_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(general_approved_by_head_logged_in, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
