/* audit.h — audited events (logins, lockouts, head/admin actions) that are
 * also uploaded as records, and the verifier of the audit hash chain. */
#ifndef FC_AUDIT_H
#define FC_AUDIT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"

/* Append a row to the hash-chained audit log (inside the transaction):
 * hash = SHA-256(prev_hash | created_at | staff | action | detail), hex. */
fc_status audit_append(sqlite3 *db, int64_t staff_id, const char *action,
		       const char *detail, fc_error *err);

/* Hex SHA-256 of one audit row's content chained to prev_hash, into
 * out[65].  Shared by audit_append and the verifier. */
void audit_row_hash(const char *prev_hash, const char *created_at, int64_t staff_id,
		    const char *action, const char *detail, char out[65]);

/* Append an audit row (audit_append) and queue the same event for upload
 * as a record of type "audit" with data {action, detail, audit_id, hash}.
 * Must run inside the caller's write transaction.  detail is plain text
 * for people: never a PIN, the pepper or a PIN hash. */
fc_status audit_record_event(sqlite3 *db, const char *station_id, int64_t staff_id,
			     const char *action, const char *detail, fc_error *err);

/* The same in a transaction of its own (db_begin .. db_commit). */
fc_status audit_record_event_now(sqlite3 *db, const char *station_id, int64_t staff_id,
				 const char *action, const char *detail, fc_error *err);

/* Config changes: when the SHA-256 of the config file at path ("" = the
 * built-in defaults) differs from the one noted at the last start (meta
 * 'config_sha256'), audit "config_change" with the path and the new hash
 * and note it; the first start only notes it.  Call once at start-up;
 * *changed (may be NULL) says whether a row was written. */
fc_status audit_note_config(sqlite3 *db, const char *station_id, const char *path,
			    bool *changed, fc_error *err);

typedef struct fc_audit_check {
	int64_t rows;         /* rows read */
	int64_t bad_id;       /* id of the first altered row, 0 when the chain holds */
	char reason[160];     /* what is wrong with it, "" when the chain holds */
} fc_audit_check;

/* Recompute the chain in id order with audit_row_hash: every row's
 * prev_hash must be the hash of the row before it (or "" for the first,
 * ids without gaps) and its hash must match its content.  FC_OK with
 * out->bad_id = 0 when it holds; FC_OK with bad_id and reason when not;
 * another status only when the table cannot be read. */
fc_status audit_verify_chain(sqlite3 *db, fc_audit_check *out, fc_error *err);

#endif
