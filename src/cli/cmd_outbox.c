/* cmd_outbox.c — `forecourt outbox status [--json] | dead [--json] |
 * retry ID|--all | export DIR | prune`: the backlog for head office. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_escape.h"
#include "cli/commands.h"
#include "store/outbox.h"

static void print_age(char *buf, size_t n, int64_t s)
{
	if (s >= 86400)
		snprintf(buf, n, "%" PRId64 "d %" PRId64 "h", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, n, "%" PRId64 "h %" PRId64 "m", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, n, "%" PRId64 "m %" PRId64 "s", s / 60, s % 60);
}

static int outbox_status_cmd(fc_app *app, bool json)
{
	outbox_summary s;
	fc_error err;
	fc_error_clear(&err);
	fc_status st = outbox_status(app->db, &s, &err);
	if (st)
		return cli_fail(st, &err);
	if (json) {
		json_t *refused = json_null();
		if (s.refused_seq)
			refused = json_pack("{s:I, s:s, s:s, s:b}", "seq", (json_int_t)s.refused_seq,
					    "id", s.refused_id, "reason", s.refused_reason,
					    "pending", s.refused_pending);
		json_t *o = json_pack("{s:I, s:s, s:I, s:I, s:I, s:b, s:b, s:s, s:s, s:s, s:s, s:s, s:s, "
				      "s:s, s:o*}",
				      "pending",
				      (json_int_t)s.pending, "oldest_pending_at", s.oldest_pending_at,
				      "oldest_pending_age_s", (json_int_t)s.oldest_pending_age_s,
				      "sent_today", (json_int_t)s.sent_today, "dead",
				      (json_int_t)s.dead, "tried", s.tried, "online", s.online,
				      "last_ok_at",
				      s.last_ok_at, "offline_since", s.offline_since, "last_error",
				      s.last_error, "master_version", s.master_version, "master_error",
				      s.master_error, "classified_day", s.classified_day,
				      "classify_error", s.classify_error, "refused", refused);
		char *text = o ? json_dumps(o, JSON_PRESERVE_ORDER) : NULL;
		if (text)
			puts(text);
		free(text);
		json_decref(o);
		return text ? 0 : 1;
	}
	char age[64] = "";
	print_age(age, sizeof age, s.oldest_pending_age_s);
	printf("pending:       %" PRId64, s.pending);
	if (s.pending > 0)
		printf(" (oldest %s, %s ago)", s.oldest_pending_at, age);
	printf("\nsent today:    %" PRId64 "\n", s.sent_today);
	printf("dead letters:  %" PRId64 "%s\n", s.dead,
	       s.dead ? " (forecourt outbox dead lists them)" : "");
	printf("last success:  %s\n", s.last_ok_at[0] ? s.last_ok_at : "never");
	if (!app->cfg.upload_url[0])
		printf("state:         upload off (no [upload] url in the config)\n");
	else if (!s.tried) /* not "online": nothing has reached head office yet */
		printf("state:         never tried (no upload yet)\n");
	else
		printf("state:         %s%s\n", s.online ? "online" : "offline since ",
		       s.online ? "" : s.offline_since);
	printf("last error:    %s\n", s.last_error[0] ? s.last_error : "-");
	if (s.refused_seq && s.refused_pending)
		printf("refused:       head office refuses record %s (%s); seq %" PRId64
		       " is held back until head office takes another record\n",
		       s.refused_id, s.refused_reason, s.refused_seq);
	else if (s.refused_seq)
		printf("refused:       head office refuses record %s (%s); seq %" PRId64
		       " is a dead letter (forecourt outbox retry %s)\n",
		       s.refused_id, s.refused_reason, s.refused_seq, s.refused_id);
	printf("master data:   %s%s\n", s.master_version[0] ? "version " : "none yet",
	       s.master_version);
	if (s.master_error[0])
		printf("master error:  %s\n", s.master_error);
	printf("classified:    %s\n", s.classified_day[0] ? s.classified_day : "not yet");
	if (s.classify_error[0])
		printf("classify error: %s\n", s.classify_error);
	return 0;
}

typedef struct dead_print {
	bool json;
	int64_t n;
} dead_print;

static bool print_dead(void *ctx, int64_t seq, const char *id, const char *type,
		       const char *created_at, const char *code, const char *message,
		       const char *moved_at, const char *payload)
{
	dead_print *d = ctx;
	d->n++;
	/* head office's words: no control character reaches the terminal */
	char c[OUTBOX_CODE_MAX], m[OUTBOX_MESSAGE_MAX];
	text_escape(c, sizeof c, code, strlen(code));
	text_escape(m, sizeof m, message, strlen(message));
	if (!d->json) {
		printf("%-8" PRId64 " %s %-12s %s  %s%s%s\n", seq, id, type, created_at, c,
		       m[0] ? ": " : "", m);
		return true;
	}
	json_error_t je;
	json_t *rec = json_loads(payload, 0, &je);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o*}", "seq", (json_int_t)seq,
			      "id", id, "type", type, "created_at", created_at, "code", c,
			      "message", m, "moved_at", moved_at, "record", rec);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (text)
		puts(text);
	free(text);
	json_decref(o);
	return true;
}

static int cmd_outbox_run(fc_app *app, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	bool ok = (strcmp(sub, "status") == 0 &&
		   (argc == 2 || (argc == 3 && strcmp(argv[2], "--json") == 0))) ||
		  (strcmp(sub, "dead") == 0 &&
		   (argc == 2 || (argc == 3 && strcmp(argv[2], "--json") == 0))) ||
		  (strcmp(sub, "retry") == 0 && argc == 3) ||
		  (strcmp(sub, "export") == 0 && argc == 3) ||
		  (strcmp(sub, "prune") == 0 && argc == 2);
	if (!ok) {
		char why[CLI_WHY_LEN] = "";
		for (int i = 2; i < argc && !why[0]; i++)
			if (argv[i][0] == '-' && strcmp(argv[i], "--json") != 0 &&
			    strcmp(argv[i], "--all") != 0)
				snprintf(why, sizeof why, "unknown option '%.60s'", argv[i]);
		return cli_usage(&cmd_outbox, why[0] ? why : NULL);
	}
	fc_error err;
	fc_error_clear(&err);
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (st)
		return cli_fail(st, &err);
	if (strcmp(sub, "status") == 0)
		return outbox_status_cmd(app, argc == 3);
	if (strcmp(sub, "dead") == 0) {
		dead_print d = { .json = argc == 3 };
		st = outbox_list_dead(app->db, print_dead, &d, &err);
		if (st)
			return cli_fail(st, &err);
		if (!d.json)
			printf("%" PRId64 " dead letter%s\n", d.n, d.n == 1 ? "" : "s");
		return 0;
	}
	int64_t n = 0;
	fc_actor by = cli_actor(app);
	if (strcmp(sub, "retry") == 0) {
		bool all = strcmp(argv[2], "--all") == 0;
		st = outbox_retry_dead(app->db, all ? NULL : argv[2], &by, &n, &err);
		if (st)
			return cli_fail(st, &err);
		printf("%" PRId64 " record%s queued again for upload\n", n, n == 1 ? "" : "s");
		return 0;
	}
	if (strcmp(sub, "prune") == 0) {
		st = outbox_prune_sent_by(app->db, app->cfg.upload_retention_days, &by, &n, &err);
		if (st)
			return cli_fail(st, &err);
		printf("%" PRId64 " sent record%s older than %d days removed\n", n, n == 1 ? "" : "s",
		       app->cfg.upload_retention_days);
		return 0;
	}
	char path[4096];
	st = outbox_export_pending(app->db, argv[2], app->cfg.station_id, path, sizeof path, &n,
				   &err);
	if (st)
		return cli_fail(st, &err);
	if (n == 0)
		printf("nothing pending: no file written\n");
	else
		printf("%" PRId64 " pending record%s written to %s\n", n, n == 1 ? "" : "s", path);
	return 0;
}

const cli_command cmd_outbox = {
	.name = "outbox",
	.run = cmd_outbox_run,
	.usage = "forecourt outbox status [--json] | dead [--json] | retry ID|--all | export DIR | prune",
	.summary = "backlog for head office: status, dead letters, USB export",
	.help = "status  pending, age of the oldest, sent today, dead letters, last success/error\n"
		"dead    records head office rejected, with its reason, control characters\n"
		"        escaped (--json: NDJSON)\n"
		"retry   queue a dead letter (or --all) for upload again\n"
		"export  write the pending records as NDJSON into DIR (for a USB stick);\n"
		"        head office deduplicates by id, so a later upload is harmless\n"
		"prune   remove sent records older than [upload] retention_days now\n",
};
