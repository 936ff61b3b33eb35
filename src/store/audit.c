/* audit.c — audited events queued for upload, and the audit chain check.
 * The chain: audit_append writes a row, audit_row_hash links it to the last;
 * the verifier also holds it against the last row head office acknowledged. */
#include "store/audit.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "store/db.h"
#include "store/record.h"
#include "store/stmt_cache.h"

static const char audit_last_sql[] = "SELECT hash FROM audit ORDER BY id DESC LIMIT 1";
static const char audit_insert_sql[] =
	"INSERT INTO audit(created_at, staff_id, action, detail, prev_hash, hash) "
	"VALUES(?, ?, ?, ?, ?, ?)";

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
		       const char *detail, fc_audit_row *row, fc_error *err)
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
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "writing the audit log", err);
	if (row) {
		row->id = sqlite3_last_insert_rowid(db);
		memcpy(row->hash, hash, sizeof row->hash);
	}
	return FC_OK;
}

char *audit_by(int64_t staff_id, const char *via, char *buf, size_t n)
{
	if (n)
		buf[0] = '\0';
	if (staff_id <= 0 && via && *via)
		snprintf(buf, n, " (by %s)", via);
	return buf;
}

fc_status audit_record_event(sqlite3 *db, const char *station_id, int64_t staff_id,
			     const char *action, const char *detail, fc_error *err)
{
	fc_audit_row row;
	fc_status s = audit_append(db, staff_id, action, detail, &row, err);
	if (s)
		return s;
	fc_record rec;
	json_t *data = json_pack("{s:s, s:s, s:I, s:s}", "action", action, "detail",
				 detail ? detail : "", "audit_id", (json_int_t)row.id, "hash",
				 row.hash);
	if (!data)
		return fc_error_set(err, FC_ERR_NOMEM, "building the audit record");
	s = record_init(&rec, "audit", err);
	if (!s)
		s = record_enqueue_audited(db, &rec, station_id, staff_id, data, action, &row, err);
	json_decref(data);
	return s;
}

fc_status audit_record_by(sqlite3 *db, const fc_actor *by, const char *action,
			  const char *detail, fc_error *err)
{
	char by_text[48], text[1024];
	snprintf(text, sizeof text, "%s%s", detail ? detail : "",
		 audit_by(by->staff_id, by->via, by_text, sizeof by_text));
	return audit_record_event(db, by->station_id, by->staff_id, action, text, err);
}

fc_status audit_record_event_now(sqlite3 *db, const char *station_id, int64_t staff_id,
				 const char *action, const char *detail, fc_error *err)
{
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	s = audit_record_event(db, station_id, staff_id, action, detail, err);
	return db_finish(db, s, err);
}

/* Hex SHA-256 of a file's content (at most 1 MiB) into out[65]. */
static fc_status file_sha256(const char *path, char out[65], fc_error *err)
{
	crypto_hash_sha256_state h;
	unsigned char buf[4096], digest[crypto_hash_sha256_BYTES];
	size_t n, total = 0;
	crypto_hash_sha256_init(&h);
	if (path && *path) {
		FILE *f = fopen(path, "rb");
		if (!f)
			return fc_error_set(err, FC_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
		while ((n = fread(buf, 1, sizeof buf, f)) > 0 && total < (1u << 20)) {
			crypto_hash_sha256_update(&h, buf, n);
			total += n;
		}
		fclose(f);
	}
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
	return FC_OK;
}

fc_status audit_note_config(sqlite3 *db, const char *station_id, const char *path,
			    bool *changed, fc_error *err)
{
	char hash[65], seen[65] = "", detail[512];
	if (changed)
		*changed = false;
	fc_status s = file_sha256(path, hash, err);
	if (!s)
		s = db_begin(db, err);
	if (s)
		return s;
	bool first = !db_meta_get(db, "config_sha256", seen, sizeof seen);
	if (!first && strcmp(seen, hash) == 0) {
		db_rollback(db);
		return FC_OK;
	}
	snprintf(detail, sizeof detail, "%s: sha256 %s", path && *path ? path : "(built-in defaults)",
		 hash);
	if (!first) /* the first start only notes the file: nothing to compare with */
		s = audit_record_event(db, station_id, 0, "config_change", detail, err);
	if (!s)
		s = db_meta_set(db, "config_sha256", hash, err);
	s = db_finish(db, s, err);
	if (!s && changed)
		*changed = !first;
	return s;
}

/* The last audit row head office acknowledged (meta 'audit_acked'): id
 * 0 when none yet. */
static fc_status audit_acked(sqlite3 *db, int64_t *id, char hash[65], fc_error *err)
{
	sqlite3_stmt *st;
	*id = 0;
	hash[0] = '\0';
	fc_status s = db_prepare(db,
				 "SELECT json_extract(value, '$.id'), json_extract(value, '$.hash') "
				 "FROM meta WHERE key = 'audit_acked'",
				 &st, err);
	if (s)
		return s;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(hash, 65, "%s", db_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? FC_OK
						     : db_fail(db, rc, "reading the audit log", err);
}

fc_status audit_verify_chain(sqlite3 *db, fc_audit_check *out, fc_error *err)
{
	sqlite3_stmt *st;
	char acked_hash[65], acked_seen[65] = "";
	memset(out, 0, sizeof *out);
	fc_status s = audit_acked(db, &out->acked_id, acked_hash, err);
	if (s)
		return s;
	s = db_prepare(db,
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
		audit_row_hash(prev, db_column_text(st, 1), sqlite3_column_int64(st, 2),
			       db_column_text(st, 3), db_column_text(st, 4), want);
		if (prev_id && id != prev_id + 1)
			snprintf(out->reason, sizeof out->reason,
				 "rows %" PRId64 "..%" PRId64 " are missing", prev_id + 1, id - 1);
		else if (strcmp(db_column_text(st, 5), prev) != 0)
			snprintf(out->reason, sizeof out->reason,
				 "its prev_hash does not match the row before it");
		else if (strcmp(db_column_text(st, 6), want) != 0)
			snprintf(out->reason, sizeof out->reason,
				 "its content does not match its hash");
		if (out->reason[0]) {
			out->bad_id = id;
			break;
		}
		snprintf(prev, sizeof prev, "%s", db_column_text(st, 6));
		if (id == out->acked_id)
			memcpy(acked_seen, prev, sizeof acked_seen);
		prev_id = id;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the audit log", err);
	if (out->bad_id || out->acked_id <= 0)
		return FC_OK;
	if (prev_id < out->acked_id) {
		out->bad_id = prev_id + 1;
		snprintf(out->reason, sizeof out->reason,
			 "rows %" PRId64 "..%" PRId64 " are missing from the end (head office "
			 "acknowledged row %" PRId64 ")",
			 prev_id + 1, out->acked_id, out->acked_id);
	} else if (strcmp(acked_seen, acked_hash) != 0) {
		out->bad_id = out->acked_id;
		snprintf(out->reason, sizeof out->reason,
			 "its hash is not the one head office acknowledged");
	}
	return FC_OK;
}
