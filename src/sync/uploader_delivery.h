/* uploader_delivery.h — one delivery step of the uploader (uploader.c):
 * a batch claimed, posted and head office's answer applied; a batch head
 * office refuses as a whole narrowed down to the record(s) it refuses, which
 * become dead letters while the rest flows; failures with backoff; the log
 * lines of all that (syslog, with the station id in the ident).
 *
 * REFUSED AS A WHOLE: HTTP 4xx other than 401/403 (the token), 408 and 429
 * (time, rate: retried), 409 (not an acknowledgement: the records go again)
 * and 413 (too large: smaller batches); or a 5xx that persists:
 * UPLOADER_SERVER_ERROR_TRIES answers 5xx in a row for the same batch (the
 * same records, the same Idempotency-Key; a timeout or reset in between is
 * no answer and does not break the run); once narrowing has begun, one 5xx
 * answer counts.  502, 503 and 504 never refuse: they say head office or its
 * proxy is unavailable - an outage, retried with backoff, never narrowed, so
 * an outage keeps the records in seq order.
 *
 * NARROWING: a refused batch of n records is sent again as its first n/2,
 * and so on in batches of that size until one is refused again (halved
 * again) or the refused batch's range is passed (narrowing over).  A record
 * refused alone is held back (skipped by the next claims; meta
 * 'upload_refused', shown by `outbox status` and the kiosk) and the records
 * after it go on: the first alone, then, once it is taken, in full
 * batches.  Once head office has taken another record, the held one is
 * sent alone once more: refused again, it becomes a dead letter with head
 * office's status and body ("http_400", the body escaped and cut); taken,
 * it was a passing fault.  So a head office that refuses everything (a wrong
 * URL, an outage answering 500) makes no dead letters: when one more record
 * is refused alone while UPLOADER_HELD_MAX are held and nothing was taken,
 * they are released and the attempt fails as an outage does (backoff; the
 * narrowing goes on at each attempt, its log lines are left out until head
 * office takes a record again).
 *
 * OVERLAP: while the uploader's thread posts a batch (it alone touches the
 * CURL handle), a helper thread, to which the uploader's connection and
 * this state belong until it is joined, records the previous batch's reply
 * and reads the batch after the one in flight.  That read-ahead batch goes
 * out only after a clean success (HTTP 2xx naming every record of the
 * batch as accepted, in order, nothing rejected), so still one request in
 * flight and seq order; on anything else (a failure, a refusal, a partial
 * reply, 413, narrowing, a held record) it is thrown away, nothing written
 * for it, and the answer is handled as it always was.  A clean reply is
 * recorded during the next step (with the next batch remembered as the one
 * sent, the same transaction), or by uploader_delivery_flush when no batch
 * follows. */
#ifndef FC_UPLOADER_DELIVERY_H
#define FC_UPLOADER_DELIVERY_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/config.h"
#include "base/status.h"
#include "base/uuid.h"
#include "sync/hq_client.h"

#define UPLOADER_SERVER_ERROR_TRIES 3 /* 5xx answers in a row for one batch = persistent */
#define UPLOADER_HELD_MAX 8           /* records refused alone, held back at once */

/* A record head office refused alone, held back until it has taken another. */
typedef struct uploader_held {
	int64_t seq;
	char id[UUID_STR_LEN];
	long http_status;           /* head office's answer to it alone */
	char detail[HQ_DETAIL_MAX]; /* its body, escaped */
	bool confirm;               /* head office took other records since: try it once more */
} uploader_held;

/* The delivery state kept between steps. */
typedef struct uploader_delivery {
	sqlite3 *db;          /* the uploader's own connection (borrowed) */
	hq_client *client;    /* borrowed */
	const fc_config *cfg; /* borrowed */
	FILE *log;            /* progress lines (stderr for the CLI), NULL = none */
	int failures;         /* consecutive failed attempts: the backoff exponent */
	int batch_limit;      /* records per batch; halved for good on HTTP 413 */
	int narrow_limit;     /* records per batch while narrowing down, 0 = not narrowing */
	int64_t narrow_end;   /* last seq of the batch refused as a whole */
	uploader_held held[UPLOADER_HELD_MAX];
	int n_held;
	char key_5xx[UUID_STR_LEN]; /* the batch of the last 5xx answers */
	int n_5xx;                  /* how many in a row */
	int64_t failed_attempts;    /* failed attempts since the last success (the logs) */
	bool refusing_all;          /* head office refused every record since the last
				       success: narrowing goes on, its log lines do not */
	outbox_batch acked;         /* taken whole by head office, not yet recorded
				       (count 0 = none) */
	hq_reply acked_reply;       /* its reply */
	outbox_batch ahead;         /* the batch after acked, read while acked was in
				       flight (count 0 = none) */
	void (*in_flight)(void *ctx); /* more of this thread's own work done while a
					 request is out (the WAL checkpoint); NULL = none */
	void *in_flight_ctx;
} uploader_delivery;

/* Start with nothing held, batches of [upload] batch_max. */
void uploader_delivery_init(uploader_delivery *d, sqlite3 *db, hq_client *client,
			    const fc_config *cfg, FILE *log);

/* One step: claim (a held record due for its second try, else the next
 * batch without the held ones), post, apply.  *empty = nothing to send;
 * *wait_ms = how long to wait before the next step.  FC_OK when head office
 * took records or the step narrowed a refusal down; FC_ERR_AUTH, FC_ERR_NET
 * or FC_ERR_PROTOCOL when the attempt failed (noted on the records and in
 * meta, backoff in *wait_ms); another status: the database. */
fc_status uploader_delivery_step(uploader_delivery *d, bool *empty, long *wait_ms,
				 fc_error *err);

/* Record a clean reply not yet recorded and drop the batch read ahead:
 * before the uploader stops (or leaves the delivery for a while).  Safe to
 * call at any time; a database error leaves the records pending (sent
 * again, head office deduplicates). */
fc_status uploader_delivery_flush(uploader_delivery *d, fc_error *err);

/* FC_OK when no record is held back, else FC_ERR_PROTOCOL naming the first
 * (what `forecourt sync --once` ends with). */
fc_status uploader_delivery_held(const uploader_delivery *d, fc_error *err);

#endif
