/* record.h — identity of every record made at the station and its outbox
 * row.  Call inside the caller's write transaction (db_begin), so the domain
 * row, the outbox row and the audit row commit together or not at all. */
#ifndef FC_RECORD_H
#define FC_RECORD_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/status.h"
#include "base/uuid.h"
#include "store/audit.h"

typedef struct fc_record {
	char id[UUID_STR_LEN];             /* UUIDv7, made at creation */
	int64_t seq;                       /* gap-free per-station, set by record_enqueue */
	int64_t created_ms;                /* clock_now_ms() at creation */
	char created_at[CLOCK_ISO_LEN];    /* the same as UTC ISO-8601 */
	char type[32];                     /* "visit", "redemption", "complaint", ... */
} fc_record;

/* Give rec a new id and creation time for a record of type. */
fc_status record_init(fc_record *rec, const char *type, fc_error *err);

/* Take the next seq (one past the newest outbox row, at least meta
 * 'next_seq') and insert the outbox row whose
 * payload is the NDJSON line {"id","type","station","seq","created_at",
 * "staff","data"}.  data is borrowed (not freed); staff_id 0 = none.
 * Must run inside a write transaction. */
fc_status record_enqueue(sqlite3 *db, fc_record *rec, const char *station_id,
			 int64_t staff_id, json_t *data, fc_error *err);

/* record_enqueue for a record that has an audit row (audit_append): its
 * line also carries "audit":{"id","action","hash"}, so head office keeps
 * every audit row's hash (audit_hashes) and the station notes the last
 * one head office acknowledged (meta 'audit_acked': schema.c's trigger
 * on outbox).  audit NULL = record_enqueue. */
fc_status record_enqueue_audited(sqlite3 *db, fc_record *rec, const char *station_id,
				 int64_t staff_id, json_t *data, const char *action,
				 const fc_audit_row *audit, fc_error *err);

/* A record's data that could not be built (json_pack, json_string or
 * json_array_append_new failed: a text not UTF-8, or no memory):
 * FC_ERR_INVALID saying so and that nothing was saved; the caller rolls
 * its transaction back.  type names the record ("customer_changed"). */
fc_status record_json_failed(const char *type, fc_error *err);

/* Start a user action that makes a record of type: record_init(rec)
 * then db_begin.  End it with db_finish. */
fc_status record_begin(sqlite3 *db, fc_record *rec, const char *type, fc_error *err);

/* Prepare the INSERT of rec's domain row: the first three parameters of
 * sql are bound to rec->id, rec->created_at and staff_id (NULL for 0, no
 * acting staff), the caller binds the rest.  Run it with db_step_done. */
fc_status record_prepare_insert(sqlite3 *db, const char *sql, const fc_record *rec,
				int64_t staff_id, sqlite3_stmt **st, fc_error *err);

/* Bind parameters 1..3 of st as record_prepare_insert does (for a
 * statement from stmt_cache). */
void record_bind(sqlite3_stmt *st, const fc_record *rec, int64_t staff_id);

/* The customer code of customers.id (a JSON string), JSON null when there
 * is no such customer: head office knows customers by code, not by this
 * station's row ids. */
json_t *record_customer_code(sqlite3 *db, int64_t customer_id);

/* The end of a user action's writes, inside its transaction: when action
 * is not NULL, append the audit row action/detail (audit_append); then
 * queue rec for upload with data, carrying that row's id and hash
 * (record_enqueue_audited).  data is taken over and freed here; NULL data
 * (a failed json_pack: a text not UTF-8, or no memory) is
 * record_json_failed: the caller's db_finish rolls back. */
fc_status record_save(sqlite3 *db, fc_record *rec, const char *station_id, int64_t staff_id,
		      json_t *data, const char *action, const char *detail, fc_error *err);

#endif
