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

typedef struct fc_record {
	char id[UUID_STR_LEN];             /* UUIDv7, made at creation */
	int64_t seq;                       /* gap-free per-station, set by record_enqueue */
	int64_t created_ms;                /* clock_now_ms() at creation */
	char created_at[CLOCK_ISO_LEN];    /* the same as UTC ISO-8601 */
	char type[32];                     /* "visit", "redemption", "complaint", ... */
} fc_record;

/* Give rec a new id and creation time for a record of type. */
fc_status record_init(fc_record *rec, const char *type, fc_error *err);

/* Take the next seq (meta 'next_seq') and insert the outbox row whose
 * payload is the NDJSON line {"id","type","station","seq","created_at",
 * "staff","data"}.  data is borrowed (not freed); staff_id 0 = none.
 * Must run inside a write transaction. */
fc_status record_enqueue(sqlite3 *db, fc_record *rec, const char *station_id,
			 int64_t staff_id, json_t *data, fc_error *err);

#endif
