/* record.c — record ids, gap-free seq, outbox rows, and the domain row,
 * outbox row and audit row that every user action writes. */
#include "store/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/db.h"
#include "store/stmt_cache.h"

fc_status record_init(fc_record *rec, const char *type, fc_error *err)
{
	memset(rec, 0, sizeof *rec);
	rec->created_ms = clock_now_ms();
	clock_format_iso(rec->created_ms, rec->created_at);
	snprintf(rec->type, sizeof rec->type, "%s", type);
	if (uuid_v7(rec->created_ms, rec->id) != 0)
		return fc_error_set(err, FC_ERR_IO, "no randomness for a record id");
	return FC_OK;
}

/* Kept prepared per connection (stmt_cache): every visit runs them.
 * The next seq is one past the newest outbox row: read, not written, so a
 * record costs no page of its own for its number (issue 17).  meta
 * 'next_seq' is a floor for when the newest rows are gone: outbox_prune
 * raises it before it deletes (and databases before this kept it as the
 * counter itself). */
static const char next_seq_sql[] =
	"SELECT max(coalesce((SELECT max(seq) FROM outbox_record), 0) + 1, "
	"coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'next_seq'), 1))";
static const char outbox_insert_sql[] =
	"INSERT INTO outbox_record(seq, id, type, created_at, payload, audit_hash) "
	"VALUES(?, ?, ?, ?, ?, ?)";
static const char delivery_insert_sql[] =
	"INSERT INTO outbox_delivery(seq, next_attempt_at, audit_id) VALUES(?, ?, ?)";

/* The next seq inside the write transaction (BEGIN IMMEDIATE: no other
 * writer between this read and the outbox row's insert): rolled back
 * with it, so committed seqs never have gaps. */
static fc_status next_seq(sqlite3 *db, int64_t *seq, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, next_seq_sql, &st, err);
	if (s)
		return s;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int64(st, 0);
	stmt_cache_done(st);
	return rc == SQLITE_ROW ? FC_OK : db_fail(db, rc, "numbering the record", err);
}

fc_status record_enqueue(sqlite3 *db, fc_record *rec, const char *station_id,
			 int64_t staff_id, json_t *data, fc_error *err)
{
	return record_enqueue_audited(db, rec, station_id, staff_id, data, NULL, NULL, err);
}

fc_status record_enqueue_audited(sqlite3 *db, fc_record *rec, const char *station_id,
				 int64_t staff_id, json_t *data, const char *action,
				 const fc_audit_row *audit, fc_error *err)
{
	fc_status s = next_seq(db, &rec->seq, err);
	if (s)
		return s;
	json_t *line = json_pack("{s:s, s:s, s:s, s:I, s:s, s:O}", "id", rec->id, "type",
				 rec->type, "station", station_id, "seq", (json_int_t)rec->seq,
				 "created_at", rec->created_at, "data", data);
	if (!line)
		return record_json_failed(rec->type, err);
	if (staff_id > 0)
		json_object_set_new(line, "staff", json_integer(staff_id));
	if (audit &&
	    json_object_set_new(line, "audit",
				json_pack("{s:I, s:s, s:s}", "id", (json_int_t)audit->id,
					  "action", action ? action : "", "hash", audit->hash))) {
		json_decref(line);
		return fc_error_set(err, FC_ERR_NOMEM, "building the upload record");
	}
	char *payload = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(line);
	if (!payload)
		return record_json_failed(rec->type, err);

	sqlite3_stmt *st;
	s = stmt_cache_get(db, outbox_insert_sql, &st, err);
	if (!s) {
		sqlite3_bind_int64(st, 1, rec->seq);
		sqlite3_bind_text(st, 2, rec->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rec->type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, rec->created_at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, payload, -1, SQLITE_STATIC);
		if (audit)
			sqlite3_bind_text(st, 6, audit->hash, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		stmt_cache_done(st);
		if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "queueing the record for upload", err);
	}
	if (!s)
		s = stmt_cache_get(db, delivery_insert_sql, &st, err);
	if (!s) {
		sqlite3_bind_int64(st, 1, rec->seq);
		sqlite3_bind_text(st, 2, rec->created_at, -1, SQLITE_STATIC);
		if (audit)
			sqlite3_bind_int64(st, 3, audit->id);
		int rc = sqlite3_step(st);
		stmt_cache_done(st);
		if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "queueing the record for upload", err);
	}
	free(payload);
	return s;
}

fc_status record_begin(sqlite3 *db, fc_record *rec, const char *type, fc_error *err)
{
	fc_status s = record_init(rec, type, err);
	return s ? s : db_begin(db, err);
}

void record_bind(sqlite3_stmt *st, const fc_record *rec, int64_t staff_id)
{
	sqlite3_bind_text(st, 1, rec->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rec->created_at, -1, SQLITE_STATIC);
	if (staff_id > 0)
		sqlite3_bind_int64(st, 3, staff_id);
	else
		sqlite3_bind_null(st, 3);
}

fc_status record_prepare_insert(sqlite3 *db, const char *sql, const fc_record *rec,
				int64_t staff_id, sqlite3_stmt **st, fc_error *err)
{
	fc_status s = db_prepare(db, sql, st, err);
	if (!s)
		record_bind(*st, rec, staff_id);
	return s;
}

fc_status record_json_failed(const char *type, fc_error *err)
{
	return fc_error_set(err, FC_ERR_INVALID,
			    "the %s record for head office could not be built (a text that is not "
			    "UTF-8, or no memory): nothing was saved", type);
}

fc_status record_save(sqlite3 *db, fc_record *rec, const char *station_id, int64_t staff_id,
		      json_t *data, const char *action, const char *detail, fc_error *err)
{
	if (!data)
		return record_json_failed(rec->type, err);
	fc_audit_row row;
	fc_status s = action ? audit_append(db, staff_id, action, detail, &row, err) : FC_OK;
	if (!s)
		s = record_enqueue_audited(db, rec, station_id, staff_id, data, action,
					   action ? &row : NULL, err);
	json_decref(data);
	return s;
}

json_t *record_customer_code(sqlite3 *db, int64_t customer_id)
{
	sqlite3_stmt *st;
	json_t *code = NULL;
	fc_error ignored;
	if (customer_id > 0 &&
	    !stmt_cache_get(db, "SELECT code FROM customers WHERE id = ?", &st, &ignored)) {
		sqlite3_bind_int64(st, 1, customer_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			code = json_string((const char *)sqlite3_column_text(st, 0));
		stmt_cache_done(st);
	}
	return code ? code : json_null();
}
