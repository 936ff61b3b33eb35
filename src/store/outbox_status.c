/* outbox_status.c — what the station sees of its queue (outbox.h): the
 * status summary with the record head office refuses, and the dead letters. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/text_escape.h"
#include "store/db.h"
#include "store/outbox.h"

fc_status outbox_note_refused(sqlite3 *db, int64_t seq, const char *code, const char *message,
			      fc_error *err)
{
	if (seq <= 0)
		return db_meta_set(db, "upload_refused", "", err);
	char c[OUTBOX_CODE_MAX], m[OUTBOX_MESSAGE_MAX], buf[sizeof c + sizeof m + 32];
	text_escape(c, sizeof c, code, strlen(code));
	text_escape(m, sizeof m, message, message ? strlen(message) : 0);
	for (char *p = c; *p; p++)
		if (*p == ' ')
			*p = '_'; /* one word: the message follows the first space */
	snprintf(buf, sizeof buf, "%" PRId64 " %s %s", seq, c, m);
	return db_meta_set(db, "upload_refused", buf, err);
}

/* "HTTP 400: body" for code http_400, else "code: message" (or the code). */
static void refused_reason(char *dst, size_t n, const char *code, const char *message)
{
	const char *status = strncmp(code, "http_", 5) == 0 ? code + 5 : NULL;
	snprintf(dst, n, "%s%s%s%s", status ? "HTTP " : "", status ? status : code,
		 message[0] ? ": " : "", message);
}

/* The record head office refuses (see outbox_summary): the pending one of
 * meta 'upload_refused' when it is still pending, else the newest dead letter. */
static fc_status status_refused(sqlite3 *db, outbox_summary *out, fc_error *err)
{
	char buf[OUTBOX_CODE_MAX + OUTBOX_MESSAGE_MAX + 32], code[OUTBOX_CODE_MAX] = "";
	int64_t seq = 0;
	int at = 0;
	sqlite3_stmt *st;
	if (db_meta_get(db, "upload_refused", buf, sizeof buf) &&
	    sscanf(buf, "%" SCNd64 " %63s %n", &seq, code, &at) == 2 && at > 0) {
		fc_status s = db_prepare(db,
					 "SELECT id FROM outbox WHERE seq = ? AND state = 'pending'",
					 &st, err);
		if (s)
			return s;
		sqlite3_bind_int64(st, 1, seq);
		if (sqlite3_step(st) == SQLITE_ROW) {
			out->refused_seq = seq;
			out->refused_pending = true;
			snprintf(out->refused_id, sizeof out->refused_id, "%s",
				 (const char *)sqlite3_column_text(st, 0));
			refused_reason(out->refused_reason, sizeof out->refused_reason, code,
				       buf + at);
		}
		sqlite3_finalize(st);
		if (out->refused_seq)
			return FC_OK;
	}
	fc_status s = db_prepare(db,
				 "SELECT d.seq, o.id, d.code, coalesce(d.message, '') "
				 "FROM dead_letters d JOIN outbox o ON o.seq = d.seq "
				 "WHERE o.state = 'dead' ORDER BY d.moved_at DESC, d.seq DESC LIMIT 1",
				 &st, err);
	if (s)
		return s;
	if (sqlite3_step(st) == SQLITE_ROW) {
		char c[OUTBOX_CODE_MAX], m[OUTBOX_MESSAGE_MAX];
		out->refused_seq = sqlite3_column_int64(st, 0);
		snprintf(out->refused_id, sizeof out->refused_id, "%s",
			 (const char *)sqlite3_column_text(st, 1));
		/* rows from before escaping at storage: escaped here */
		text_escape(c, sizeof c, (const char *)sqlite3_column_text(st, 2),
			    (size_t)sqlite3_column_bytes(st, 2));
		text_escape(m, sizeof m, (const char *)sqlite3_column_text(st, 3),
			    (size_t)sqlite3_column_bytes(st, 3));
		refused_reason(out->refused_reason, sizeof out->refused_reason, c, m);
	}
	sqlite3_finalize(st);
	return FC_OK;
}

fc_status outbox_status(sqlite3 *db, outbox_summary *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	int64_t now = clock_now_ms();
	fc_status s = db_query_int64(db, "SELECT count(*) FROM outbox_delivery WHERE state = 'pending'",
				  &out->pending, err);
	if (!s)
		s = db_query_int64(db, "SELECT count(*) FROM outbox_delivery WHERE state = 'dead'", &out->dead,
				err);
	if (s)
		return s;
	sqlite3_stmt *st;
	s = db_prepare(db,
		       "SELECT created_at FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1",
		       &st, err);
	if (s)
		return s;
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t ms;
		const char *at = (const char *)sqlite3_column_text(st, 0);
		snprintf(out->oldest_pending_at, sizeof out->oldest_pending_at, "%s", at);
		if (clock_parse_iso(at, &ms) && now > ms)
			out->oldest_pending_age_s = (now - ms) / 1000;
	}
	sqlite3_finalize(st);

	char buf[64], day[CLOCK_ISO_LEN], today[CLOCK_ISO_LEN];
	int64_t n;
	clock_local_date(now, today);
	if (db_meta_get(db, "sent_today", buf, sizeof buf) &&
	    sscanf(buf, "%31s %" SCNd64, day, &n) == 2 && strcmp(day, today) == 0)
		out->sent_today = n;
	db_meta_get(db, "last_upload_ok_at", out->last_ok_at, sizeof out->last_ok_at);
	db_meta_get(db, "offline_since", out->offline_since, sizeof out->offline_since);
	db_meta_get(db, "last_upload_error", out->last_error, sizeof out->last_error);
	db_meta_get(db, "master_version", out->master_version, sizeof out->master_version);
	db_meta_get(db, "last_master_error", out->master_error, sizeof out->master_error);
	db_meta_get(db, "classified_day", out->classified_day, sizeof out->classified_day);
	db_meta_get(db, "last_classify_error", out->classify_error, sizeof out->classify_error);
	out->tried = out->last_ok_at[0] || out->offline_since[0] || out->last_error[0];
	out->online = out->tried && out->offline_since[0] == '\0';
	return status_refused(db, out, err);
}

fc_status outbox_list_dead(sqlite3 *db, outbox_dead_fn fn, void *ctx, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT o.seq, o.id, o.type, o.created_at, d.code, "
				 "coalesce(d.message, ''), d.moved_at, o.payload "
				 "FROM dead_letters d JOIN outbox o ON o.seq = d.seq "
				 "WHERE o.state = 'dead' ORDER BY o.seq",
				 &st, err);
	if (s)
		return s;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col[7];
		for (int i = 0; i < 7; i++)
			col[i] = (const char *)sqlite3_column_text(st, i + 1);
		if (!fn(ctx, sqlite3_column_int64(st, 0), col[0], col[1], col[2], col[3], col[4],
			col[5], col[6]))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? FC_OK
						     : db_fail(db, rc, "listing dead letters", err);
}
