/* cmd_complaint.c — `forecourt complaint add|list|resolve|escalate`: the
 * CLI twin of the complaint screens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_width.h"
#include "care/callback.h"
#include "care/complaint.h"
#include "care/workdays.h"
#include "cli/cli_auth.h"
#include "cli/commands.h"

/* "2d 4h left" / "overdue 1d 3h" into out. */
static void time_left_text(int64_t ms_left, bool closed, char *out, size_t n)
{
	if (closed) {
		snprintf(out, n, "-");
		return;
	}
	int64_t m = (ms_left < 0 ? -ms_left : ms_left) / 60000;
	long long d = (long long)(m / 1440), h = (long long)(m % 1440 / 60), mi = (long long)(m % 60);
	if (d)
		snprintf(out, n, "%s%lldd %lldh%s", ms_left <= 0 ? "OVERDUE " : "", d, h,
			 ms_left <= 0 ? "" : " left");
	else
		snprintf(out, n, "%s%lldh %lldm%s", ms_left <= 0 ? "OVERDUE " : "", h, mi,
			 ms_left <= 0 ? "" : " left");
}

/* --days N (a special complaint's working days, 1..99) and --approved-by
 * go with --severity special only: refused, never dropped, otherwise.
 * 0 with *days set (0: not given), else the exit code after the message. */
static int special_options(const char *severity, const char *days_text,
			   const char *approved_by, int *days)
{
	char why[CLI_WHY_LEN];
	long long n = 0;
	*days = 0;
	bool special = severity && strcmp(severity, "special") == 0;
	if ((days_text || approved_by) && !special)
		return cli_usage(&cmd_complaint, days_text
			? "--days is for a special complaint (--severity special); general and "
			  "major ones get [complaints] general_days and major_days"
			: "--approved-by is for a special complaint (--severity special)");
	if (days_text && !cli_parse_int("--days", days_text, 1, 99, &n, why))
		return cli_usage(&cmd_complaint, why);
	*days = (int)n;
	return 0;
}

static int complaint_print(const fc_complaint *c, const char *what)
{
	char left[48];
	time_left_text(c->ms_left, c->closed, left, sizeof left);
	printf("complaint %s %s: %s, due %s (end of day, %s)\n", complaint_short_id(c->id), what,
	       severity_key(c->severity), c->deadline, left);
	return 0;
}

static int complaint_cmd_list(fc_app *app, const char *which)
{
	fc_complaint_filter f = COMPLAINT_OPEN;
	fc_complaint *rows;
	size_t n;
	fc_error err;
	if (which && strcmp(which, "closed") == 0)
		f = COMPLAINT_CLOSED;
	else if (which && strcmp(which, "all") == 0)
		f = COMPLAINT_ALL;
	else if (which && strcmp(which, "open") != 0) {
		fprintf(stderr, "forecourt complaint list: open, closed or all\n");
		return 2;
	}
	fc_status st = complaint_list(app->db, f, clock_now_ms(), &rows, &n, &err);
	if (st)
		return cli_fail(st, &err);
	printf("%-8s %-8s %-10s %-18s %-6s %-16s %s\n", "id", "severity", "due", "time left",
	       "status", "customer", "content");
	for (size_t i = 0; i < n; i++) {
		char left[48], customer[80], content[256];
		time_left_text(rows[i].ms_left, rows[i].closed, left, sizeof left);
		/* the customer and content cut by display width, never inside a
		 * character; the customer column padded so the content lines up */
		text_width_fit(content, sizeof content, rows[i].content, 60, false);
		printf("%-8s %-8s %-10s %-18s %-6s %s %s\n",
		       complaint_short_id(rows[i].id), severity_key(rows[i].severity),
		       rows[i].deadline, left, rows[i].closed ? "closed" : "open",
		       text_width_cell(customer, sizeof customer, rows[i].customer_name, 16), content);
	}
	free(rows);
	return 0;
}

/* The options of `add` into in, before the PIN is asked for: 0, or the
 * exit code after the message.  o: as, channel, severity, approved-by,
 * days, customer, name, category, received. */
static int complaint_add_input(const char **o, int days, const char *content,
			       fc_complaint_input *in)
{
	*in = (fc_complaint_input){ .channel = CHANNEL_BOOK, .severity = SEVERITY_GENERAL,
				    .approved_by = o[3], .customer_name = o[6], .category = o[7],
				    .content = content, .special_days = days };
	if (o[1] && !channel_parse(o[1], &in->channel)) {
		fprintf(stderr, "forecourt complaint add: channel '%s' (accepted: book, in_person, "
				"phone, other)\n", o[1]);
		return 2;
	}
	if (o[2] && !severity_parse(o[2], &in->severity)) {
		fprintf(stderr, "forecourt complaint add: severity '%s' (accepted: general, major, "
				"special)\n", o[2]);
		return 2;
	}
	if (o[8] && !clock_parse_iso(o[8], &in->received_ms)) {
		fprintf(stderr, "forecourt complaint add: --received '%s' is not a time "
				"YYYY-MM-DDTHH:MM:SSZ (UTC) of a real day\n", o[8]);
		return 2;
	}
	return 0;
}

static int complaint_cmd_add(fc_app *app, fc_complaint_input *in, const char *customer)
{
	fc_error err;
	fc_complaint c;
	fc_status st = FC_OK;
	in->staff_id = app->staff_id;
	if (customer)
		st = callback_customer_by_code(app->db, customer, &in->customer_id, &err);
	if (!st)
		st = complaint_create(app->db, &app->cfg, in, &c, &err);
	if (st)
		return cli_fail(st, &err);
	if (workdays_count_entries(app->db) == 0)
		fprintf(stderr, "forecourt: warning: no holiday calendar loaded, only weekends "
				"were skipped ('forecourt holidays load')\n");
	return complaint_print(&c, "filed");
}

static int cmd_complaint_run(fc_app *app, int argc, char **argv)
{
	const char *o[13];
	const cli_option opts[] = {
		{ "as", &o[0], "add resolve escalate" }, { "channel", &o[1], "add" },
		{ "severity", &o[2], "add escalate" },   { "approved-by", &o[3], "add escalate" },
		{ "days", &o[4], "add escalate" },        { "customer", &o[5], "add" },
		{ "name", &o[6], "add" },                 { "category", &o[7], "add" },
		{ "received", &o[8], "add" },             { "result", &o[9], "resolve" },
		{ "handler", &o[10], "resolve" },         { "remarks", &o[11], "resolve" },
		{ "reason", &o[12], "escalate" },
	};
	char *pos[2];
	fc_error err;
	fc_error_clear(&err);
	int npos = cli_parse_options(argc, argv, opts, sizeof opts / sizeof opts[0], pos, 2);
	const char *verb = argc > 1 ? argv[1] : "";
	bool list = strcmp(verb, "list") == 0, add = strcmp(verb, "add") == 0,
	     resolve = strcmp(verb, "resolve") == 0, escalate = strcmp(verb, "escalate") == 0;
	if (npos < 0 || !((list && npos <= 1) || ((add || resolve || escalate) && npos == 1)) ||
	    (!list && !o[0]) || (escalate && (!o[2] || !o[12])))
		return cli_usage(&cmd_complaint, NULL);
	int days = 0, rc = (add || escalate) ? special_options(o[2], o[4], o[3], &days) : 0;
	fc_complaint_input in;
	if (!rc && add)
		rc = complaint_add_input(o, days, pos[0], &in);
	if (rc)
		return rc;
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (st)
		return cli_fail(st, &err);
	if (list)
		return complaint_cmd_list(app, npos ? pos[0] : NULL);
	fc_staff who;
	rc = cli_auth_login_as(app, o[0], ROLE_HEAD, &who);
	if (rc)
		return rc;
	if (add)
		return complaint_cmd_add(app, &in, o[5]);
	if (resolve) {
		st = complaint_resolve(app->db, &app->cfg, pos[0], o[9], o[10], o[11], who.id, &err);
		if (st)
			return cli_fail(st, &err);
		printf("complaint %s resolved\n", pos[0]);
		return 0;
	}
	fc_severity sev;
	fc_complaint c;
	if (!severity_parse(o[2], &sev)) {
		fprintf(stderr, "forecourt complaint escalate: severity '%s' (accepted: major, "
				"special)\n", o[2]);
		return 2;
	}
	st = complaint_escalate(app->db, &app->cfg, pos[0], sev, days, o[3],
				o[12], who.id, &c, &err);
	return st ? cli_fail(st, &err) : complaint_print(&c, "escalated");
}

const cli_command cmd_complaint = {
	.name = "complaint",
	.run = cmd_complaint_run,
	.usage = "forecourt complaint list [open|closed|all] | add | resolve ID | escalate ID",
	.summary = "the complaint book: file, list, resolve, escalate",
	.help = "list      overdue first, then by deadline, with the time left (default: open)\n"
		"add TEXT  --as HEAD [--channel book|in_person|phone|other]\n"
		"          [--severity general|major|special] [--approved-by NAME] [--days N]\n"
		"          [--customer CODE] [--name NAME] [--category C] [--received ISO-TIME]\n"
		"resolve   ID --as HEAD --result TEXT --handler NAME [--remarks TEXT]\n"
		"escalate  ID --as HEAD --severity major|special --reason TEXT [--approved-by NAME]\n"
		"          [--days N]\n"
		"--approved-by and --days (1-99 working days, at most [complaints]\n"
		"special_max_days) go with --severity special only; an option of another verb\n"
		"is refused.  Texts are UTF-8 without control characters, not only blanks.\n"
		"ID is the 8-character id of the list.  Deadlines count working days of the\n"
		"holiday calendar ([complaints] days; special needs the approving supervisor).\n"
		"The PIN of --as is read like for `staff`.\n",
};
