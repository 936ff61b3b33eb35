/* cmd_callback.c — `forecourt callback due|add|report`: the CLI twin of
 * the callback screens (callbacks due, callbacks and visit reports). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_width.h"
#include "care/callback.h"
#include "care/visit_report.h"
#include "care/workdays.h"
#include "cli/cli_auth.h"
#include "cli/commands.h"

static int callback_cmd_due(fc_app *app)
{
	fc_callback_due_list due;
	fc_error err;
	fc_status st = callback_list_due(app->db, &app->cfg, clock_now_ms(), &due, &err);
	if (st)
		return cli_fail(st, &err);
	if (due.holiday_date[0])
		printf("holiday %s (%s) ahead: every maintained customer needs a callback\n",
		       due.holiday_date, due.holiday_name);
	/* widths: codes S0001-B-LG-000001, tiers up to "ordinary-individual" */
	printf("%-17s %-20s %-19s %-9s %-8s %-7s %s\n", "code", "name", "tier", "stability",
	       "done/req", "behind", "last callback");
	for (size_t i = 0; i < due.count; i++) {
		const fc_callback_due *r = &due.rows[i];
		char done[16], name[96];
		snprintf(done, sizeof done, "%d/%d", r->done, r->required);
		char special[64] = "";
		if (r->special)
			snprintf(special, sizeof special, "  (%s %s)", r->special_kind, r->special_date);
		printf("%-17s %s %-19s %-9s %-8s %-7d %s%s%s\n", r->code,
		       text_width_cell(name, sizeof name, r->name, 20),
		       tier_config_name(r->tier), stability_key(r->stability), done, r->behind,
		       r->last_at[0] ? r->last_at : "never", r->holiday ? "  (holiday)" : "",
		       special);
	}
	printf("%zu customers due\n", due.count);
	callback_due_free(&due);
	return 0;
}

static int cmd_callback_run(fc_app *app, int argc, char **argv)
{
	const char *o[22], *so[STUDY_FIELD_COUNT]; /* so: the study's, by study_field */
	const cli_option opts[] = {
		{ "as", &o[0], "add report" },        { "method", &o[1], "add" },
		{ "contact", &o[2], "add report" },   { "notes", &o[3], "add" },
		{ "quality", &o[4], "report" },       { "attitude", &o[5], "report" },
		{ "renown", &o[6], "report" },        { "date", &o[7], "report" },
		{ "suggestions", &o[8], "report" },   { "title", &o[9], "report" },
		{ "phone", &o[10], "report" },
		/* --- issue 16: the visit form's parties and content --- */
		{ "mobile", &o[11], "report" },           { "business", &o[12], "report" },
		{ "business-title", &o[13], "report" },   { "business-phone", &o[14], "report" },
		{ "business-mobile", &o[15], "report" },  { "legal-person", &o[16], "report" },
		{ "address", &o[17], "report" },          { "market", &o[18], "report" },
		{ "service-feedback", &o[19], "report" }, { "needs", &o[20], "report" },
		{ "signoff", &o[21], "report" },
		/* --- end of the visit form block --- */
		/* the monthly study's answers (care/study.h) */
		{ "loss-reason", &so[STUDY_LOSS_REASON], "add report" },
		{ "loss-reason-text", &so[STUDY_LOSS_REASON_TEXT], "add report" },
		{ "current-channel", &so[STUDY_CURRENT_CHANNEL], "add report" },
		{ "competitor-offer", &so[STUDY_COMPETITOR_OFFER], "add report" },
		{ "measures", &so[STUDY_MEASURES], "add report" },
		{ "responsible", &so[STUDY_RESPONSIBLE], "add report" },
	};
	char *pos[1];
	fc_error err;
	fc_error_clear(&err);
	int npos = cli_parse_options(argc, argv, opts, sizeof opts / sizeof opts[0], pos, 1);
	const char *verb = argc > 1 ? argv[1] : "";
	study_answers study;
	for (int f = 0; f < STUDY_FIELD_COUNT; f++)
		study.value[f] = npos < 0 ? NULL : so[f];
	bool due = strcmp(verb, "due") == 0, add = strcmp(verb, "add") == 0,
	     report = strcmp(verb, "report") == 0;
	if (npos < 0 || !((due && npos == 0) || ((add || report) && npos == 1 && o[0])) ||
	    (add && !o[1]))
		return cli_usage(&cmd_callback, NULL);
	fc_callback_method method = CALLBACK_PHONE;
	if (add && !callback_method_parse(o[1], &method)) {
		fprintf(stderr, "forecourt callback add: method '%s' (accepted: phone, sms, email, "
				"card, visit, forum)\n", o[1]);
		return 2;
	}
	char date[WORKDAYS_DATE_LEN];
	if ((add || report) && study_check(&study, NULL, &err) != FC_OK) { /* before the PIN */
		fprintf(stderr, "forecourt callback %s: %s\n", verb, fc_error_text(&err));
		return 2;
	}
	if (report && o[7] && visit_report_check_date(o[7], date, &err) != FC_OK)
		return cli_usage(&cmd_callback, fc_error_text(&err)); /* before the PIN */
	fc_visit_report_input in = { .report_date = o[7], .choice = { o[4], o[5], o[6] },
				     .suggestions = o[8], .contact_name = o[2],
				     .contact_title = o[9], .contact_phone = o[10] };
	if (report) { /* --- issue 16: the visit form, checked before the PIN --- */
		in.principal_mobile = o[11];
		in.business_name = o[12];
		in.business_title = o[13];
		in.business_phone = o[14];
		in.business_mobile = o[15];
		in.legal_person = o[16];
		in.unit_address = o[17];
		in.market = o[18];
		in.service_feedback = o[19];
		in.needs = o[20];
		if (o[21] && !visit_report_signoff_parse(o[21], &in.signoff)) {
			fprintf(stderr, "forecourt callback report: --signoff '%.40s' (accepted: none, "
					"signed, sealed, both)\n", o[21]);
			return 2;
		}
		if (visit_report_check_texts(&in, NULL, &err) != FC_OK)
			return cli_fail(FC_ERR_INVALID, &err);
	} /* --- end of the visit form block --- */
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (st)
		return cli_fail(st, &err);
	if (due)
		return callback_cmd_due(app);
	int64_t customer;
	st = callback_customer_by_code(app->db, pos[0], &customer, &err);
	if (st)
		return cli_fail(st, &err);
	fc_staff who;
	int rc = cli_auth_login_as(app, o[0], ROLE_HEAD, &who);
	if (rc)
		return rc;
	char id[UUID_STR_LEN];
	if (add) {
		st = callback_record_study(app->db, &app->cfg, customer, method, o[2], o[3], &study,
					   who.id, id, &err);
		if (st)
			return cli_fail(st, &err);
		printf("callback to %s by %s recorded (%s)\n", pos[0], o[1], id);
		return 0;
	}
	int points[SCORE_ITEM_COUNT];
	in.customer_id = customer;
	in.staff_id = who.id;
	in.study = &study;
	st = visit_report_record(app->db, &app->cfg, &in, points, id, &err);
	if (st)
		return cli_fail(st, &err);
	printf("visit report for %s recorded: quality %d, attitude %d, renown %d (%s)\n", pos[0],
	       points[0], points[1], points[2], id);
	return 0;
}

const cli_command cmd_callback = {
	.name = "callback",
	.run = cmd_callback_run,
	.usage = "forecourt callback due | add CODE | report CODE",
	.summary = "callbacks due, recording callbacks and visit reports",
	.help = "due     the customers this station owes (the tiers it maintains, home station\n"
		"        here or unknown) behind on this month's callbacks and visit reports, or\n"
		"        without one in the [callbacks] holiday_window_days before a major\n"
		"        holiday, or in the special_date_days before a birthday or company\n"
		"        anniversary (a care call); the swipe's \"callback due\" is the same list\n"
		"add     CODE --as HEAD --method phone|sms|email|card|visit|forum [--contact NAME]\n"
		"        --notes TEXT (what was said: required)\n"
		"report  CODE --as HEAD --quality very_excellent|excellent|good|fair|acceptable|\n"
		"        unacceptable --attitude very_excellent|excellent|good|fair|poor|abysmal\n"
		"        --renown very_famous|famous|high|fairly_high|known|heard_of|unknown\n"
		"        [--date YYYY-MM-DD (today or before)] [--suggestions T]\n"
		"        the principal: [--contact NAME] [--title T] [--phone P] [--mobile P]\n"
		"        the business contact: [--business NAME] [--business-title T]\n"
		"        [--business-phone P] [--business-mobile P]\n"
		"        the unit: [--legal-person NAME] [--address T]; what was learned:\n"
		"        [--market T] [--service-feedback T] [--needs T]; the paper form\n"
		"        [--signoff none|signed|sealed|both] (signed or sealed by the customer)\n"
		"        Phones: digits, +, - and spaces, 3 to 20 characters.\n"
		"The monthly study, with add and report (all optional; the latest answers are\n"
		"kept on the customer and summed in `report monthly`):\n"
		"        [--loss-reason price|service|distance|competitor_offer|vehicle_sold|\n"
		"        business_closed|other] [--loss-reason-text T] (required with other)\n"
		"        [--current-channel WHERE] [--competitor-offer T] [--measures T]\n"
		"        [--responsible NAME]\n"
		"An option of another verb is refused; a bad value (a date like 2026-02-30, a\n"
		"text with control characters) exits 2.\n",
};
