/* record.c — record ids, gap-free seq, outbox rows and the audit chain. */
#include "store/record.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Kept prepared per connection (stmt_cache): every visit runs them. */
static const char next_seq_sql[] =
	"INSERT INTO meta(key, value) VALUES('next_seq', '2') "
	"ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 "
	"RETURNING CAST(value AS INTEGER) - 1";
static const char outbox_insert_sql[] =
	"INSERT INTO outbox(seq, id, type, created_at, payload, next_attempt_at) "
	"VALUES(?, ?, ?, ?, ?, ?)";
static const char audit_last_sql[] = "SELECT hash FROM audit ORDER BY id DESC LIMIT 1";
static const char audit_insert_sql[] =
	"INSERT INTO audit(created_at, staff_id, action, detail, prev_hash, hash) "
	"VALUES(?, ?, ?, ?, ?, ?)";

/* Reserve the next seq inside the transaction: rolled back with it, so
 * committed seqs never have gaps. */
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
	fc_status s = next_seq(db, &rec->seq, err);
	if (s)
		return s;
	json_t *line = json_pack("{s:s, s:s, s:s, s:I, s:s, s:O}", "id", rec->id, "type",
				 rec->type, "station", station_id, "seq", (json_int_t)rec->seq,
				 "created_at", rec->created_at, "data", data);
	if (!line)
		return fc_error_set(err, FC_ERR_NOMEM, "building the upload record");
	if (staff_id > 0)
		json_object_set_new(line, "staff", json_integer(staff_id));
	char *payload = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(line);
	if (!payload)
		return fc_error_set(err, FC_ERR_NOMEM, "building the upload record");

	sqlite3_stmt *st;
	s = stmt_cache_get(db, outbox_insert_sql, &st, err);
	if (!s) {
		sqlite3_bind_int64(st, 1, rec->seq);
		sqlite3_bind_text(st, 2, rec->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rec->type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, rec->created_at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, payload, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, rec->created_at, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		stmt_cache_done(st);
		if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "queueing the record for upload", err);
	}
	free(payload);
	return s;
}

void audit_row_hash(const char *prev_hash, const char *created_at, int64_t staff_id,
		    const char *action, const char *detail, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char staff[24];
	const unsigned char sep = 0x1f; /* unit separator: fields cannot run together */

	snprintf(staff, sizeof staff, "%" PRId64, staff_id);
	crypto_hash_sha256_init(&h);
	const char *parts[] = { prev_hash, created_at, staff, action, detail };
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		crypto_hash_sha256_update(&h, (const unsigned char *)parts[i], strlen(parts[i]));
		crypto_hash_sha256_update(&h, &sep, 1);
	}
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

fc_status audit_append(sqlite3 *db, int64_t staff_id, const char *action,
		       const char *detail, fc_error *err)
{
	char prev[65] = "";
	char now[CLOCK_ISO_LEN];
	char hash[65];
	sqlite3_stmt *st;

	fc_status s = stmt_cache_get(db, audit_last_sql, &st, err);
	if (s)
		return s;
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(st, 0));
	stmt_cache_done(st);

	clock_now_iso(now);
	audit_row_hash(prev, now, staff_id, action, detail ? detail : "", hash);
	s = stmt_cache_get(db, audit_insert_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	if (staff_id > 0)
		sqlite3_bind_int64(st, 2, staff_id);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, detail ? detail : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	stmt_cache_done(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "writing the audit log", err);
}
