/* audit.h — the hash-chained audit log: every row reaches head office (in
 * its record's line or as a record of type "audit"), and the verifier. */
#ifndef FC_AUDIT_H
#define FC_AUDIT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

/* One audit row as written. */
typedef struct fc_audit_row {
	int64_t id;     /* audit.id */
	char hash[65];  /* hex SHA-256 chained to the row before */
} fc_audit_row;

/* Who did an audited action: a staff member, or, when no one logged in,
 * the program it came through. */
typedef struct fc_actor {
	const char *station_id; /* [station] id: the station of the audit record */
	int64_t staff_id;       /* the acting staff member, 0 = none */
	const char *via;        /* "cli" (a command without --as), "kiosk", ...: named
				 * in the detail when staff_id is 0; NULL = not named */
} fc_actor;

/* Append a row to the hash-chained audit log (inside the transaction):
 * hash = SHA-256(prev_hash | created_at | staff | action | detail), hex.
 * Its id and hash into *row when row is not NULL.  Every audit row must
 * reach head office: write it through record_save (the record's line
 * carries it) or audit_record_event (a record of its own), not alone. */
fc_status audit_append(sqlite3 *db, int64_t staff_id, const char *action,
		       const char *detail, fc_audit_row *row, fc_error *err);

/* The actor as an audit detail names it: " (by VIA)" when staff_id is 0
 * and via is set, else "" (the row's staff_id says who).  Into buf (n >=
 * 40 is enough for the known names); returns buf. */
char *audit_by(int64_t staff_id, const char *via, char *buf, size_t n);

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

/* audit_record_event for an actor: by's station and staff, and the
 * detail followed by audit_by's words. */
fc_status audit_record_by(sqlite3 *db, const fc_actor *by, const char *action,
			  const char *detail, fc_error *err);

/* The same as audit_record_event in a transaction of its own. */
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
	int64_t acked_id;     /* the last row head office acknowledged, 0 = none yet */
} fc_audit_check;

/* Recompute the chain in id order with audit_row_hash: every row's
 * prev_hash must be the hash of the row before it (or "" for the first,
 * ids without gaps) and its hash must match its content.  Then the last
 * row head office acknowledged (meta 'audit_acked', {"id","hash"}, noted
 * by a trigger when its record is marked sent) must still be there with
 * that hash: rows deleted from the end up to it are found, rows after it
 * only by head office (audit_hashes).  FC_OK with out->bad_id = 0 when it
 * holds; FC_OK with bad_id and reason when not; another status only when
 * the table cannot be read. */
fc_status audit_verify_chain(sqlite3 *db, fc_audit_check *out, fc_error *err);

#endif
