/* audit.c — audited events queued for upload, and the audit chain check.
 * The chain itself (audit_append, audit_row_hash) lives in record.c. */
#include "audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "record.h"

fc_status audit_record_event(sqlite3 *db, const char *station_id, int64_t staff_id,
			     const char *action, const char *detail, fc_error *err)
{
	fc_status s = audit_append(db, staff_id, action, detail, err);
	if (s)
		return s;
	sqlite3_stmt *st;
	s = db_prepare(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &st, err);
	if (s)
		return s;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(db, rc, "reading the audit log", err);
	}
	fc_record rec;
	json_t *data = json_pack("{s:s, s:s, s:I, s:s}", "action", action, "detail",
				 detail ? detail : "", "audit_id",
				 (json_int_t)sqlite3_column_int64(st, 0), "hash",
				 (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	if (!data)
		return fc_error_set(err, FC_ERR_NOMEM, "building the audit record");
	s = record_init(&rec, "audit", err);
	if (!s)
		s = record_enqueue(db, &rec, station_id, staff_id, data, err);
	json_decref(data);
	return s;
}

fc_status audit_record_event_now(sqlite3 *db, const char *station_id, int64_t staff_id,
				 const char *action, const char *detail, fc_error *err)
{
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	s = audit_record_event(db, station_id, staff_id, action, detail, err);
	if (s) {
		db_rollback(db);
		return s;
	}
	return db_commit(db, err);
}

static const char *column_text(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

fc_status audit_verify_chain(sqlite3 *db, fc_audit_check *out, fc_error *err)
{
	sqlite3_stmt *st;
	memset(out, 0, sizeof *out);
	fc_status s = db_prepare(db,
				 "SELECT id, created_at, staff_id, action, detail, prev_hash, hash "
				 "FROM audit ORDER BY id",
				 &st, err);
	if (s)
		return s;
	char prev[65] = "";
	int64_t prev_id = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		char want[65];
		out->rows++;
		audit_row_hash(prev, column_text(st, 1), sqlite3_column_int64(st, 2),
			       column_text(st, 3), column_text(st, 4), want);
		if (prev_id && id != prev_id + 1)
			snprintf(out->reason, sizeof out->reason,
				 "rows %" PRId64 "..%" PRId64 " are missing", prev_id + 1, id - 1);
		else if (strcmp(column_text(st, 5), prev) != 0)
			snprintf(out->reason, sizeof out->reason,
				 "its prev_hash does not match the row before it");
		else if (strcmp(column_text(st, 6), want) != 0)
			snprintf(out->reason, sizeof out->reason,
				 "its content does not match its hash");
		if (out->reason[0]) {
			out->bad_id = id;
			break;
		}
		snprintf(prev, sizeof prev, "%s", column_text(st, 6));
		prev_id = id;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the audit log", err);
	return FC_OK;
}
