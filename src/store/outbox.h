/* outbox.h — the station's queue of records for head office: batches claimed
 * in seq order, acknowledgements, dead letters, status, export and pruning.
 *
 * FOR THE KIOSK'S STATUS BAR: call outbox_status(db, &summary) on the UI's
 * own connection whenever the uploader's wake fd becomes readable (and on the
 * 1 s tick if you like: it is a few indexed lookups, well under 1 ms).  Show
 * summary.online ("在线"/"离线 since offline_since"), summary.pending
 * (backlog), summary.oldest_pending_age_s and summary.last_error.  The
 * uploader keeps these in meta: 'last_upload_ok_at', 'last_upload_error',
 * 'offline_since' (UTC ISO-8601; absent/empty when not applicable). */
#ifndef FC_OUTBOX_H
#define FC_OUTBOX_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/status.h"
#include "base/uuid.h"
#include "store/audit.h"

#define OUTBOX_CODE_MAX 64     /* a dead letter's code as stored, escaped */
#define OUTBOX_MESSAGE_MAX 512 /* a dead letter's message as stored, escaped */

/* One claimed batch: the NDJSON body and the records in it (seq order). */
typedef struct outbox_batch {
	char key[UUID_STR_LEN];   /* Idempotency-Key: a hash of the ordered ids (a UUID of
				     version 8): the same records, the same key; other
				     records, another key */
	int count;                /* records in the batch, 0 = nothing pending */
	int64_t *seqs;            /* count seqs, ascending */
	char (*ids)[UUID_STR_LEN]; /* count record ids, parallel to seqs */
	char *body;               /* NDJSON, one payload line each, '\n'-terminated */
	size_t body_len;
} outbox_batch;

/* What the status bar and `forecourt outbox status` show. */
typedef struct outbox_summary {
	int64_t pending;               /* records waiting for head office */
	int64_t oldest_pending_age_s;  /* age of the oldest pending record, 0 when none */
	char oldest_pending_at[CLOCK_ISO_LEN]; /* its created_at, "" when none */
	int64_t sent_today;            /* acknowledged since station-local midnight */
	int64_t dead;                  /* dead letters (rejected by head office) */
	bool tried;                    /* an upload was ever tried (a success, a failure
					  or an error recorded) */
	bool online;                   /* tried, and meta 'offline_since' not set */
	char last_ok_at[CLOCK_ISO_LEN];    /* last accepted upload, "" = never */
	char offline_since[CLOCK_ISO_LEN]; /* first failure of the current outage, "" */
	char last_error[512];          /* last upload error, "" when the last attempt worked */
	char master_version[128];      /* meta 'master_version': last applied pull, "" = none */
	char master_error[512];        /* meta 'last_master_error': last pull refused, "" = ok */
	char classified_day[32];       /* meta 'classified_day': last complete daily run */
	char classify_error[512];      /* meta 'last_classify_error': a failing chunk, "" = ok */
	/* The record head office refuses: the pending one the uploader has
	 * narrowed a refused batch down to (meta 'upload_refused'), else the
	 * newest dead letter.  refused_seq 0 = none. */
	int64_t refused_seq;
	char refused_id[UUID_STR_LEN];
	char refused_reason[OUTBOX_CODE_MAX + OUTBOX_MESSAGE_MAX + 8]; /* "HTTP 400: body" for a
					  batch refused whole, else "code: message"; escaped */
	bool refused_pending;          /* still pending, not yet a dead letter */
} outbox_summary;

/* Claim the first pending records in seq order: at most max_records and
 * max_bytes of body (a single larger record still goes alone).  The batch's
 * range is kept in meta 'upload_batch', so a retry - also after a restart -
 * sends the same records again, with the same Idempotency-Key.  count 0 =
 * nothing pending.  Free with outbox_batch_free. */
fc_status outbox_claim_batch(sqlite3 *db, int max_records, size_t max_bytes,
			     outbox_batch *out, fc_error *err);

/* outbox_claim_batch leaving out the n_skip records of skip (seqs; the
 * records the uploader holds back while head office refuses them). */
fc_status outbox_claim_batch_skipping(sqlite3 *db, int max_records, size_t max_bytes,
				      const int64_t *skip, int n_skip, outbox_batch *out,
				      fc_error *err);

/* The batch that follows one in flight: the first pending records after
 * after_seq in seq order, limited as outbox_claim_batch.  Reads only: no
 * batch is remembered (outbox_apply_reply_next remembers it once it is
 * sent).  count 0 = nothing pending there. */
fc_status outbox_read_after(sqlite3 *db, int64_t after_seq, int max_records, size_t max_bytes,
			    outbox_batch *out, fc_error *err);

/* A batch of the one record seq, when it is pending (count 0 when not). */
fc_status outbox_claim_record(sqlite3 *db, int64_t seq, outbox_batch *out, fc_error *err);

/* Free what outbox_claim_batch allocated; the struct may be reused. */
void outbox_batch_free(outbox_batch *batch);

/* One record's fate in a head-office reply. */
typedef struct outbox_reject {
	const char *id;      /* borrowed */
	const char *code;    /* "invalid_payload", ... */
	const char *message; /* may be NULL */
} outbox_reject;

/* Apply a reply in one transaction: accepted ids -> sent (and the daily
 * counter), rejected -> dead letters with code and message (control
 * characters escaped, cut to OUTBOX_CODE_MAX / OUTBOX_MESSAGE_MAX); ids not
 * in the batch are ignored; a record both accepted and rejected counts as
 * accepted.
 * Records of the batch named in neither stay pending.  Records meta
 * 'last_upload_ok_at' and clears the error and 'offline_since'.
 * *progress receives how many records left the pending state. */
fc_status outbox_apply_reply(sqlite3 *db, const outbox_batch *batch,
			     const char *const *accepted, size_t n_accepted,
			     const outbox_reject *rejected, size_t n_rejected,
			     int *progress, fc_error *err);

/* outbox_apply_reply that also, in the same transaction, remembers next
 * (not NULL, count > 0) as the batch in meta 'upload_batch', as
 * outbox_claim_batch does: the batch sent while this reply was applied. */
fc_status outbox_apply_reply_next(sqlite3 *db, const outbox_batch *batch,
				  const char *const *accepted, size_t n_accepted,
				  const outbox_reject *rejected, size_t n_rejected,
				  const outbox_batch *next, int *progress, fc_error *err);

/* A failed attempt: bump attempts, set next_attempt_at (now + wait_ms) and
 * last_error on the batch's records; meta 'last_upload_error' = message and
 * 'offline_since' when not yet set. */
fc_status outbox_note_failure(sqlite3 *db, const outbox_batch *batch, const char *message,
			      int64_t wait_ms, fc_error *err);

/* The record head office refuses while it is still pending (the uploader
 * narrowed a refused batch down to it): meta 'upload_refused' = seq, code
 * ("http_400") and message (escaped and cut here).  seq 0 clears it. */
fc_status outbox_note_refused(sqlite3 *db, int64_t seq, const char *code, const char *message,
			      fc_error *err);

/* Fill *out (see outbox_summary).  Read-only. */
fc_status outbox_status(sqlite3 *db, outbox_summary *out, fc_error *err);

/* Callback for each dead letter: seq, id, type, created_at, code, message
 * (may be ""), moved_at, payload.  Code and message come from head office:
 * print them through text_escape (base/text_escape.h).  Return false to
 * stop. */
typedef bool (*outbox_dead_fn)(void *ctx, int64_t seq, const char *id, const char *type,
			       const char *created_at, const char *code, const char *message,
			       const char *moved_at, const char *payload);

/* List dead letters in seq order. */
fc_status outbox_list_dead(sqlite3 *db, outbox_dead_fn fn, void *ctx, fc_error *err);

/* Put a dead letter back in the queue (id = record id, or NULL for all).
 * FC_ERR_NOT_FOUND when id is not a dead letter.  *count = records
 * requeued.  by (not NULL) is who asked: the audit row "outbox_retry"
 * commits with the change. */
fc_status outbox_retry_dead(sqlite3 *db, const char *id, const fc_actor *by, int64_t *count,
			    fc_error *err);

/* Write every pending record as NDJSON to DIR/outbox-STATION-FIRST-LAST.ndjson
 * atomically (base/atomic_file.h).  path_out (size n) receives the
 * file name; *count the records written (0: no file written). */
fc_status outbox_export_pending(sqlite3 *db, const char *dir, const char *station,
				char *path_out, size_t n, int64_t *count, fc_error *err);

/* Delete records acknowledged more than retention_days ago (never pending or
 * dead ones).  *count = rows deleted.  by (not NULL) is who asked: the
 * audit row "outbox_prune" commits with the deletion. */
fc_status outbox_prune_sent_by(sqlite3 *db, int retention_days, const fc_actor *by,
			       int64_t *count, fc_error *err);

/* outbox_prune_sent_by with no audit row: the uploader's own pruning. */
fc_status outbox_prune_sent(sqlite3 *db, int retention_days, int64_t *count, fc_error *err);

#endif
