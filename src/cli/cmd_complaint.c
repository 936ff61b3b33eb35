/* cmd_complaint.c — `forecourt complaint add|list|show|resolve|escalate|
 * approve|tell|close`: the CLI twin of the complaint screens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_width.h"
#include "care/callback.h"
#include "care/complaint.h"
#include "care/complaint_path.h"
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
	if (c->suggestion) {
		printf("suggestion %s %s (no deadline)\n", complaint_short_id(c->id), what);
		return 0;
	}
	time_left_text(c->ms_left, c->closed, left, sizeof left);
	printf("complaint %s %s: %s, due %s (end of day, %s)\n", complaint_short_id(c->id), what,
	       severity_key(c->severity), c->deadline, left);
	return 0;
}

/* Where c stands on its path: "closed", or the step it waits for:
 * "to handle", "to approve", "to approve 2/2", "to tell", "to close". */
static const char *stage_text(const fc_config *cfg, const fc_complaint *c, char *out, size_t n)
{
	int no;
	fc_complaint_step_kind next = complaint_path_next(cfg, c, &no);
	if (c->closed)
		snprintf(out, n, "closed");
	else if (next == COMPLAINT_STEP_LEVEL)
		snprintf(out, n, "to approve %d/%d", no, cfg->complaint_level_count);
	else
		snprintf(out, n, "%s", next == COMPLAINT_STEP_HANDLED	 ? "to handle"
				       : next == COMPLAINT_STEP_APPROVED ? "to approve"
				       : next == COMPLAINT_STEP_TOLD	 ? "to tell"
									 : "to close");
	return out;
}

/* `show ID`: the entry and its path, a line per step. */
static int complaint_cmd_show(fc_app *app, const char *id)
{
	fc_complaint c;
	fc_complaint_step steps[COMPLAINT_PATH_MAX];
	size_t n;
	fc_error err;
	char stage[32], left[48];
	fc_status st = complaint_find(app->db, id, clock_now_ms(), &c, &err);
	if (!st)
		st = complaint_path_steps(app->db, &app->cfg, &c, steps, &n, &err);
	if (st)
		return cli_fail(st, &err);
	time_left_text(c.ms_left, c.closed, left, sizeof left);
	printf("%s %s  %s\n", c.suggestion ? "suggestion" : "complaint", complaint_short_id(c.id),
	       c.id);
	if (c.suggestion)
		printf("kind:      suggestion (no deadline)\n");
	else
		printf("severity:  %s, due %s (end of day, %s)\n", severity_key(c.severity),
		       c.deadline, left);
	printf("customer:  %s\ncontent:   %s\nstage:     %s\n",
	       c.customer_name[0] ? c.customer_name : "-", c.content,
	       stage_text(&app->cfg, &c, stage, sizeof stage));
	if (c.remarks[0])
		printf("remarks:   %s\n", c.remarks);
	for (size_t i = 0; i < n; i++) {
		const fc_complaint_step *s = &steps[i];
		char what[64];
		if (s->kind == COMPLAINT_STEP_LEVEL)
			snprintf(what, sizeof what, "level %d %s", s->level_no, approver_key(s->level));
		else
			snprintf(what, sizeof what, "%s", complaint_path_step_key(s->kind));
		printf("  %-30s %-20s %s", what, s->done ? s->at : "pending", s->who);
		if (s->kind == COMPLAINT_STEP_TOLD && s->done)
			printf(" by %s", s->how);
		if (s->kind == COMPLAINT_STEP_LEVEL && s->done && s->entered_by[0])
			printf(" (entered by %s)", s->entered_by);
		if (s->kind == COMPLAINT_STEP_HANDLED && s->done)
			printf(": %s", c.result);
		printf("\n");
	}
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
	printf("%-8s %-10s %-10s %-18s %-6s %-16s %-14s %s\n", "id", "severity", "due",
	       "time left", "status", "customer", "stage", "content");
	for (size_t i = 0; i < n; i++) {
		const fc_complaint *c = &rows[i];
		char left[48], customer[80], content[256], stage[32];
		time_left_text(c->ms_left, c->closed, left, sizeof left);
		/* the customer and content cut by display width, never inside a
		 * character; the customer column padded so the content lines up */
		text_width_fit(content, sizeof content, c->content, 60, false);
		printf("%-8s %-10s %-10s %-18s %-6s %s %-14s %s\n", complaint_short_id(c->id),
		       c->suggestion ? "suggestion" : severity_key(c->severity),
		       c->suggestion ? "-" : c->deadline, c->suggestion ? "-" : left,
		       c->closed ? "closed" : "open",
		       text_width_cell(customer, sizeof customer, c->customer_name, 16),
		       stage_text(&app->cfg, c, stage, sizeof stage), content);
	}
	free(rows);
	return 0;
}

/* The options of `add` into in, before the PIN is asked for: 0, or the
 * exit code after the message.  o: as, channel, severity, approved-by,
 * days, customer, name, category, received; kind. */
static int complaint_add_input(const char **o, const char *kind, int days, const char *content,
			       fc_complaint_input *in)
{
	*in = (fc_complaint_input){ .channel = CHANNEL_BOOK, .severity = SEVERITY_GENERAL,
				    .approved_by = o[3], .customer_name = o[6], .category = o[7],
				    .content = content, .special_days = days };
	if (kind && strcmp(kind, "suggestion") != 0 && strcmp(kind, "complaint") != 0) {
		fprintf(stderr, "forecourt complaint add: --kind '%s' (accepted: complaint, "
				"suggestion)\n", kind);
		return 2;
	}
	in->suggestion = kind && strcmp(kind, "suggestion") == 0;
	if (in->suggestion && o[2])
		return cli_usage(&cmd_complaint, "--severity is for a complaint: a suggestion has "
						 "no severity and no deadline");
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

/* The options of approve / tell checked before the PIN: --level (a key of
 * approval_levels or its number), --at (ISO time), --how (a callback
 * method).  0, or the exit code after the message. */
static int path_options(const fc_config *cfg, const char *level, const char *at,
			const char *how, int *level_no, int64_t *at_ms, fc_callback_method *method)
{
	char why[CLI_WHY_LEN + 200];
	*level_no = 0;
	*at_ms = 0;
	if (level) {
		fc_approver a;
		long long n = 0;
		for (int i = 0; approver_parse(level, &a) && i < cfg->complaint_level_count; i++)
			if (cfg->complaint_levels[i] == a)
				n = i + 1;
		if (!n && !cli_parse_int("--level", level, 1, cfg->complaint_level_count, &n, why)) {
			char list[160] = "";
			for (int i = 0; i < cfg->complaint_level_count; i++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%d %s",
					 i ? ", " : "", i + 1, approver_key(cfg->complaint_levels[i]));
			snprintf(why, sizeof why, "--level '%s' is not a level of [complaints] "
				 "approval_levels (%s)", level, list);
			return cli_usage(&cmd_complaint, why);
		}
		*level_no = (int)n;
	}
	if (at && !clock_parse_iso(at, at_ms)) {
		fprintf(stderr, "forecourt complaint: --at '%s' is not a time YYYY-MM-DDTHH:MM:SSZ "
				"(UTC) of a real day\n", at);
		return 2;
	}
	if (how && !callback_method_parse(how, method)) {
		fprintf(stderr, "forecourt complaint tell: --how '%s' (accepted: phone, sms, email, "
				"card, visit, forum)\n", how);
		return 2;
	}
	return 0;
}

/* resolve, approve, tell, close of pos by who: the exit code. */
static int complaint_cmd_step(fc_app *app, const char *verb, const char *id, const char **o,
			      const fc_staff *who, int level_no, int64_t at_ms,
			      fc_callback_method how)
{
	fc_error err;
	fc_status st;
	bool closed = false;
	fc_complaint c;
	if (strcmp(verb, "resolve") == 0)
		st = complaint_resolve(app->db, &app->cfg, id, o[9], o[10], o[11], who->id, &closed,
				       &err);
	else if (strcmp(verb, "approve") == 0)
		st = complaint_path_approve(app->db, &app->cfg, id, level_no, o[14], at_ms, who->id,
					    &err);
	else if (strcmp(verb, "tell") == 0)
		st = complaint_path_tell(app->db, &app->cfg, id, o[17] ? o[17] : who->name, how,
					 at_ms, who->id, &err);
	else
		st = complaint_path_close(app->db, &app->cfg, id, o[11], who->id, &err);
	if (!st)
		st = complaint_find(app->db, id, clock_now_ms(), &c, &err);
	if (st)
		return cli_fail(st, &err);
	char stage[32];
	stage_text(&app->cfg, &c, stage, sizeof stage);
	if (strcmp(verb, "resolve") == 0 && closed)
		printf("complaint %s resolved\n", id);
	else if (strcmp(verb, "resolve") == 0)
		printf("complaint %s: handling result recorded; next: %s\n", id, stage);
	else if (strcmp(verb, "close") == 0)
		printf("complaint %s closed\n", id);
	else
		printf("complaint %s: %s recorded; next: %s\n", id,
		       strcmp(verb, "tell") == 0 ? "customer told" : "approval", stage);
	return 0;
}

/* The options verb cannot do without (o as cmd_complaint_run's), each
 * named when missing: "forecourt complaint tell: --how is required (...)".
 * 0, or 2 after the message. */
static int complaint_required(const char *verb, const char **o)
{
	static const struct { const char *verbs; int option; const char *name, *what; } req[] = {
		{ "add resolve escalate approve tell close", 0, "--as", "the staff number of a head" },
		{ "resolve", 9, "--result", "how it was resolved" },
		{ "resolve", 10, "--handler", "who handled it" },
		{ "escalate", 2, "--severity", "major or special" },
		{ "escalate", 12, "--reason", "why it is raised" },
		{ "tell", 18, "--how", "phone, sms, email, card, visit, forum" },
	};
	for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
		const char *at = strstr(req[i].verbs, verb);
		size_t n = strlen(verb);
		if (!n || !at || (at != req[i].verbs && at[-1] != ' ') ||
		    (at[n] != ' ' && at[n] != '\0') || o[req[i].option])
			continue;
		fprintf(stderr, "forecourt complaint %s: %s is required (%s)\n", verb, req[i].name,
			req[i].what);
		return cli_usage(&cmd_complaint, NULL);
	}
	return 0;
}

static int cmd_complaint_run(fc_app *app, int argc, char **argv)
{
	const char *o[19];
	const cli_option opts[] = {
		{ "as", &o[0], "add resolve escalate approve tell close" },
		{ "channel", &o[1], "add" },
		{ "severity", &o[2], "add escalate" },   { "approved-by", &o[3], "add escalate" },
		{ "days", &o[4], "add escalate" },        { "customer", &o[5], "add" },
		{ "name", &o[6], "add" },                 { "category", &o[7], "add" },
		{ "received", &o[8], "add" },             { "result", &o[9], "resolve" },
		{ "handler", &o[10], "resolve" },         { "remarks", &o[11], "resolve close" },
		{ "reason", &o[12], "escalate" },         { "kind", &o[13], "add" },
		{ "approver", &o[14], "approve" },        { "level", &o[15], "approve" },
		{ "at", &o[16], "approve tell" },         { "by", &o[17], "tell" },
		{ "how", &o[18], "tell" },
	};
	char *pos[2];
	fc_error err;
	fc_error_clear(&err);
	int npos = cli_parse_options(argc, argv, opts, sizeof opts / sizeof opts[0], pos, 2);
	const char *verb = argc > 1 ? argv[1] : "";
	bool list = strcmp(verb, "list") == 0, add = strcmp(verb, "add") == 0,
	     show = strcmp(verb, "show") == 0, escalate = strcmp(verb, "escalate") == 0,
	     step = strcmp(verb, "resolve") == 0 || strcmp(verb, "approve") == 0 ||
		    strcmp(verb, "tell") == 0 || strcmp(verb, "close") == 0;
	if (!list && !add && !show && !escalate && !step) {
		fprintf(stderr, "forecourt complaint: %s%s%s (verbs: list, show, add, resolve, "
			"escalate, approve, tell, close)\n", *verb ? "unknown verb '" : "a verb is needed",
			verb, *verb ? "'" : "");
		return cli_usage(&cmd_complaint, NULL);
	}
	if (npos == 0 && (add || escalate || step || show)) {
		fprintf(stderr, "forecourt complaint %s: %s is required\n", verb,
			add ? "the text of the complaint" : "the complaint ID (of `complaint list`)");
		return cli_usage(&cmd_complaint, NULL);
	}
	if (npos < 0 || !((list && npos <= 1) || ((add || escalate || step || show) && npos == 1)))
		return cli_usage(&cmd_complaint, NULL);
	int rc = complaint_required(verb, o);
	if (rc)
		return rc;
	int days = 0;
	rc = (add || escalate) ? special_options(o[2], o[4], o[3], &days) : 0;
	fc_complaint_input in;
	int level_no = 0;
	int64_t at_ms = 0;
	fc_callback_method how = CALLBACK_PHONE;
	if (!rc && add)
		rc = complaint_add_input(o, o[13], days, pos[0], &in);
	if (!rc && step)
		rc = path_options(&app->cfg, o[15], o[16], o[18], &level_no, &at_ms, &how);
	if (rc)
		return rc;
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (st)
		return cli_fail(st, &err);
	if (list)
		return complaint_cmd_list(app, npos ? pos[0] : NULL);
	if (show)
		return complaint_cmd_show(app, pos[0]);
	fc_staff who;
	rc = cli_auth_login_as(app, o[0], ROLE_HEAD, &who);
	if (rc)
		return rc;
	if (add)
		return complaint_cmd_add(app, &in, o[5]);
	if (step)
		return complaint_cmd_step(app, verb, pos[0], o, &who, level_no, at_ms, how);
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
	.usage = "forecourt complaint list [open|closed|all] | show ID | add | resolve ID |\n"
		 "       escalate ID | approve ID | tell ID | close ID",
	.summary = "the complaint book: file, list, show, resolve, escalate, approve, tell, close",
	.help = "list      overdue first, then by deadline, with the time left and the stage\n"
		"          (default: open)\n"
		"show ID   the entry and its path: received, each approval level, handled,\n"
		"          approved, customer told, closed, with who and when\n"
		"add TEXT  --as HEAD [--kind complaint|suggestion] [--channel book|in_person|\n"
		"          phone|other] [--severity general|major|special] [--approved-by NAME]\n"
		"          [--days N] [--customer CODE] [--name NAME] [--category C]\n"
		"          [--received ISO-TIME]\n"
		"resolve   ID --as HEAD --result TEXT --handler NAME [--remarks TEXT]: the\n"
		"          handling result; it closes a suggestion or a major complaint\n"
		"escalate  ID --as HEAD --severity major|special --reason TEXT [--approved-by NAME]\n"
		"          [--days N]\n"
		"approve   ID --as HEAD: a general complaint's handling opinion, approved by HEAD\n"
		"          (no --approver: the head logged in approves); a special case: the\n"
		"          next level of [complaints] approval_levels: --approver NAME (the\n"
		"          supervisor, kept with HEAD who entered it) [--level KEY|N] [--at ISO]\n"
		"tell      ID --as HEAD --how phone|sms|email|card|visit|forum [--by NAME]\n"
		"          [--at ISO-TIME]: the customer was told the result (by HEAD by default)\n"
		"close     ID --as HEAD [--remarks TEXT]: only once approved and the customer told;\n"
		"          the remarks are added to those given with the result\n"
		"A suggestion has no severity and no deadline, and is never overdue.  A general\n"
		"complaint: resolve (the opinion), approve, tell, close; a special case: each\n"
		"level approves in order (level 1 is --approved-by when it is filed or\n"
		"escalated), resolve, tell, close; a major one is closed by resolve.\n"
		"--approved-by and --days (1-99 working days, at most [complaints]\n"
		"special_max_days) go with --severity special only; an option of another verb\n"
		"is refused.  Texts are UTF-8 without control characters, not only blanks.\n"
		"ID is the 8-character id of the list.  Deadlines count working days of the\n"
		"holiday calendar ([complaints] days; special needs the approving supervisor).\n"
		"The PIN of --as is read like for `staff`.\n",
};
