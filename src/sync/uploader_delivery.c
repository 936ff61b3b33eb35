/* uploader_delivery.c — one delivery step: post, apply, narrow a refused
 * batch down to the record(s) head office refuses, back off on failures,
 * and say so in syslog (see uploader_delivery.h). */
#include "sync/uploader_delivery.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/text_escape.h"
#include "store/outbox.h"
#include "sync/uploader.h"

#define DELIVERY_LOGGED_REJECTS 5 /* dead letters of one reply named in syslog */

void uploader_delivery_init(uploader_delivery *d, sqlite3 *db, hq_client *client,
			    const fc_config *cfg, FILE *log)
{
	memset(d, 0, sizeof *d);
	d->db = db;
	d->client = client;
	d->cfg = cfg;
	d->log = log;
	d->batch_limit = cfg->upload_batch_max;
}

/* "HTTP 400: body" (or "HTTP 400") into dst. */
static void reason_text(char *dst, size_t n, long http, const char *detail)
{
	snprintf(dst, n, "HTTP %ld%s%s", http, detail[0] ? ": " : "", detail);
}

/* meta 'upload_refused' names the first held record, or nothing. */
static fc_status note_held(uploader_delivery *d, fc_error *err)
{
	if (d->n_held == 0)
		return outbox_note_refused(d->db, 0, "", "", err);
	char code[32];
	snprintf(code, sizeof code, "http_%ld", d->held[0].http_status);
	return outbox_note_refused(d->db, d->held[0].seq, code, d->held[0].detail, err);
}

static fc_status held_drop(uploader_delivery *d, int at, fc_error *err)
{
	memmove(&d->held[at], &d->held[at + 1], (size_t)(d->n_held - at - 1) * sizeof d->held[0]);
	d->n_held--;
	return note_held(d, err);
}

fc_status uploader_delivery_held(const uploader_delivery *d, fc_error *err)
{
	if (d->n_held == 0)
		return FC_OK;
	char reason[HQ_DETAIL_MAX + 32];
	reason_text(reason, sizeof reason, d->held[0].http_status, d->held[0].detail);
	return fc_error_set(err, FC_ERR_PROTOCOL,
			    "head office refuses record %s (%s); it stays pending until head "
			    "office takes another record, then becomes a dead letter if refused "
			    "again",
			    d->held[0].id, reason);
}

/* A failed attempt in syslog: the first of an outage, then after 8, 16,
 * 32, ... attempts (a day offline is a handful of lines). */
static void log_failure(uploader_delivery *d, fc_status st, const char *why)
{
	int64_t n = ++d->failed_attempts;
	int priority = st == FC_ERR_AUTH ? LOG_ERR : LOG_WARNING;
	if (n == 1)
		log_msg(priority, "upload to head office failed: %s", why);
	else if (n >= 8 && (n & (n - 1)) == 0)
		log_msg(priority, "upload to head office still failing after %" PRId64
				  " attempts: %s",
			n, why);
}

/* Head office took records: a recovery when attempts had failed. */
static void log_recovery(uploader_delivery *d, int records)
{
	if (d->failed_attempts > 0)
		log_msg(LOG_NOTICE,
			"upload to head office works again: %d records taken after %" PRId64
			" failed attempts",
			records, d->failed_attempts);
	d->failed_attempts = 0;
}

/* Dead letters of a 200 reply in syslog (the first few, then a count). */
static void log_rejects(const outbox_batch *batch, const hq_reply *reply)
{
	size_t logged = 0, more = 0;
	for (size_t i = 0; i < reply->n_rejected; i++) {
		const outbox_reject *r = &reply->rejected[i];
		bool accepted = false;
		for (size_t k = 0; k < reply->n_accepted && !accepted; k++)
			accepted = strcmp(reply->accepted[k], r->id) == 0;
		int at = -1;
		for (int k = 0; k < batch->count && at < 0; k++)
			at = strcmp(batch->ids[k], r->id) == 0 ? k : -1;
		if (accepted || at < 0)
			continue; /* accepted wins; not ours */
		if (logged == DELIVERY_LOGGED_REJECTS) {
			more++;
			continue;
		}
		char code[OUTBOX_CODE_MAX], message[OUTBOX_MESSAGE_MAX];
		text_escape(code, sizeof code, r->code, strlen(r->code));
		text_escape(message, sizeof message, r->message, r->message ? strlen(r->message) : 0);
		log_msg(LOG_ERR,
			"record %s (seq %" PRId64 ") moved to the dead letters: head office "
			"rejected it (%s%s%s)",
			r->id, batch->seqs[at], code, message[0] ? ": " : "", message);
		logged++;
	}
	if (more)
		log_msg(LOG_ERR, "and %zu more records of the same batch moved to the dead letters",
			more);
}

/* HTTP 413: send smaller batches from now on; a single record head office
 * finds too large becomes a dead letter (kept, retryable) instead of
 * blocking the queue. */
static fc_status too_large(uploader_delivery *d, const outbox_batch *batch, fc_error *err)
{
	if (batch->count > 1) {
		d->batch_limit = batch->count / 2;
		if (d->narrow_limit > d->batch_limit)
			d->narrow_limit = d->batch_limit;
		if (d->log)
			fprintf(d->log,
				"forecourt: head office found %d records too large (HTTP 413); "
				"sending at most %d at a time\n",
				batch->count, d->batch_limit);
		return FC_OK;
	}
	char msg[160];
	snprintf(msg, sizeof msg, "head office refused this %zu-byte record as too large (HTTP 413)",
		 batch->body_len);
	outbox_reject rej = { batch->ids[0], "payload_too_large", msg };
	int progress;
	fc_status st = outbox_apply_reply(d->db, batch, NULL, 0, &rej, 1, &progress, err);
	if (st)
		return st;
	log_msg(LOG_ERR, "record %s (seq %" PRId64 ") moved to the dead letters: %s",
		batch->ids[0], batch->seqs[0], msg);
	if (d->log)
		fprintf(d->log, "forecourt: record seq %" PRId64 " moved to dead letters: %s\n",
			batch->seqs[0], msg);
	return FC_OK;
}

/* Does this failed answer refuse the batch as a whole?  A 4xx that is not
 * about the token (401/403), time (408), the key (409), the size (413) or
 * the rate (429) does.  A 5xx does once it persists, or at once while
 * narrowing (not for a held record's second try: that one makes a dead
 * letter) - but not 502, 503 and 504: those say head office (or the proxy
 * before it) is unavailable, an outage retried as such. */
static bool refuses_whole(uploader_delivery *d, const outbox_batch *batch, long http,
			  bool narrowing)
{
	if (http >= 500 && http <= 599 && http != 502 && http != 503 && http != 504) {
		if (strcmp(d->key_5xx, batch->key) != 0) {
			memcpy(d->key_5xx, batch->key, sizeof d->key_5xx);
			d->n_5xx = 0;
		}
		d->n_5xx++;
		return narrowing || d->n_5xx >= UPLOADER_SERVER_ERROR_TRIES;
	}
	if (http > 0)
		d->n_5xx = 0; /* another answer: the run of 5xx is over */
	return http >= 400 && http <= 499 && http != 401 && http != 403 && http != 408 &&
	       http != 409 && http != 413 && http != 429;
}

/* A refused batch: narrow it down, hold back a record refused alone, or
 * make a held record refused again a dead letter.  held_at: the held record
 * this batch tried again (-1 = none).  FC_ERR_PROTOCOL when head office
 * refuses every record (an outage, not a record's fault). */
static fc_status on_refused(uploader_delivery *d, const outbox_batch *batch, const hq_reply *reply,
			    int held_at, fc_error *err)
{
	char reason[HQ_DETAIL_MAX + 32];
	reason_text(reason, sizeof reason, reply->http_status, reply->detail);
	if (held_at >= 0) {
		/* refused alone, head office took others meanwhile, refused again */
		char code[32];
		snprintf(code, sizeof code, "http_%ld", reply->http_status);
		outbox_reject rej = { batch->ids[0], code, reply->detail };
		int progress;
		fc_status st = outbox_apply_reply(d->db, batch, NULL, 0, &rej, 1, &progress, err);
		if (st)
			return st;
		log_msg(LOG_ERR,
			"record %s (seq %" PRId64 ") moved to the dead letters: head office refuses "
			"it (%s)",
			batch->ids[0], batch->seqs[0], reason);
		if (d->log)
			fprintf(d->log,
				"forecourt: record seq %" PRId64 " moved to dead letters: head "
				"office refuses record %s (%s)\n",
				batch->seqs[0], batch->ids[0], reason);
		return held_drop(d, held_at, err);
	}
	if (batch->count > 1) {
		if (!d->narrow_limit) {
			d->narrow_end = batch->seqs[batch->count - 1];
			if (!d->refusing_all)
				log_msg(LOG_WARNING,
					"head office refuses a batch of %d records (seq %" PRId64
					"..%" PRId64 ") as a whole (%s); narrowing it down to the "
					"record(s) it refuses",
					batch->count, batch->seqs[0], batch->seqs[batch->count - 1],
					reason);
		}
		d->narrow_limit = batch->count / 2;
		if (d->log)
			fprintf(d->log,
				"forecourt: head office refuses %d records as a whole (%s); "
				"sending %d at a time\n",
				batch->count, reason, d->narrow_limit);
		return FC_OK;
	}
	if (d->n_held == UPLOADER_HELD_MAX) {
		/* nothing taken, only refusals: head office's trouble, not a record's */
		d->n_held = 0;
		d->narrow_limit = 0;
		d->refusing_all = true;
		fc_status st = note_held(d, err);
		if (st)
			return st;
		return fc_error_set(err, FC_ERR_PROTOCOL,
				    "head office refuses every record it is sent (%s)", reason);
	}
	uploader_held *h = &d->held[d->n_held++];
	h->seq = batch->seqs[0];
	memcpy(h->id, batch->ids[0], sizeof h->id);
	h->http_status = reply->http_status;
	snprintf(h->detail, sizeof h->detail, "%s", reply->detail);
	h->confirm = false;
	/* the next record alone shows whether head office takes others; taken,
	 * the rest goes in full batches again */
	d->narrow_limit = 1;
	d->narrow_end = h->seq;
	if (!d->refusing_all)
		log_msg(LOG_WARNING,
			"head office refuses record %s (seq %" PRId64 ") (%s); holding it back "
			"until head office takes another record",
			h->id, h->seq, reason);
	if (d->log)
		fprintf(d->log, "forecourt: head office refuses record %s (%s); holding it back\n",
			h->id, reason);
	return d->n_held == 1 ? note_held(d, err) : FC_OK;
}

/* Head office took records of the batch. */
static fc_status on_taken(uploader_delivery *d, const outbox_batch *batch, int progress,
			  int held_at, fc_error *err)
{
	d->failures = 0;
	d->n_5xx = 0;
	d->refusing_all = false;
	log_recovery(d, progress);
	if (d->narrow_limit && batch->seqs[batch->count - 1] >= d->narrow_end)
		d->narrow_limit = 0; /* past the refused batch: nothing refused in it */
	if (held_at >= 0)
		return held_drop(d, held_at, err); /* a passing fault: it went */
	for (int i = 0; i < d->n_held; i++)
		d->held[i].confirm = true;
	return FC_OK;
}

/* A failed attempt: backoff, noted on the records and in meta, logged. */
static void on_failure(uploader_delivery *d, const outbox_batch *batch, fc_status st,
		       long *wait_ms, const fc_error *err)
{
	const fc_config *cfg = d->cfg;
	if (st == FC_ERR_AUTH)
		*wait_ms = (long)cfg->upload_backoff_cap_s * 1000; /* slowly */
	else
		*wait_ms = uploader_backoff_ms(cfg->upload_backoff_base_ms, cfg->upload_backoff_cap_s,
					       d->failures);
	d->failures++;
	fc_error ignored;
	outbox_note_failure(d->db, batch, fc_error_text(err), *wait_ms, &ignored);
	log_failure(d, st, fc_error_text(err));
	if (d->log)
		fprintf(d->log, "forecourt: upload failed: %s (retry in %ld ms)\n",
			fc_error_text(err), *wait_ms);
}

/* Apply a 2xx answer; *progress = records that left the pending state.
 * next (may be NULL): the batch sent meanwhile, remembered with it. */
static fc_status apply_answer(uploader_delivery *d, const outbox_batch *batch,
			      const hq_reply *reply, const outbox_batch *next, int *progress,
			      fc_error *err)
{
	fc_status st = outbox_apply_reply_next(d->db, batch, reply->accepted, reply->n_accepted,
					       reply->rejected, reply->n_rejected, next, progress,
					       err);
	if (st)
		return st;
	if (reply->n_rejected)
		log_rejects(batch, reply);
	if (*progress == 0)
		return fc_error_set(err, FC_ERR_PROTOCOL,
				    "head office took none of the %d records sent (HTTP %ld)",
				    batch->count, reply->http_status);
	if (d->log)
		fprintf(d->log, "forecourt: delivered %d of %d records (seq %" PRId64 "..%" PRId64
				")\n",
			*progress, batch->count, batch->seqs[0], batch->seqs[batch->count - 1]);
	return FC_OK;
}

/* A clean success: head office took every record of the batch, named in
 * order, and refused none.  Anything else is handled at once, step by step. */
static bool taken_whole(const outbox_batch *batch, const hq_reply *reply)
{
	if (reply->n_rejected != 0 || reply->n_accepted != (size_t)batch->count)
		return false;
	for (int i = 0; i < batch->count; i++)
		if (strcmp(reply->accepted[i], batch->ids[i]) != 0)
			return false;
	return true;
}

/* Record d->acked's reply as the serial step would have, next (may be
 * NULL) remembered as the batch sent; acked is released either way. */
static fc_status record_acked(uploader_delivery *d, const outbox_batch *next, long *wait_ms,
			      fc_error *err)
{
	int progress = 0;
	fc_status st = apply_answer(d, &d->acked, &d->acked_reply, next, &progress, err);
	if (!st)
		st = on_taken(d, &d->acked, progress, -1, err);
	else if (st == FC_ERR_PROTOCOL)
		on_failure(d, &d->acked, st, wait_ms, err);
	hq_reply_free(&d->acked_reply);
	outbox_batch_free(&d->acked);
	return st;
}

static fc_status flush(uploader_delivery *d, long *wait_ms, fc_error *err)
{
	outbox_batch_free(&d->ahead); /* nothing was written for it */
	if (d->acked.count == 0)
		return FC_OK;
	return record_acked(d, NULL, wait_ms, err);
}

/* The database work done while a batch is in flight: the previous clean
 * reply recorded (the batch in flight remembered with it), the batch after
 * the one in flight read (nothing written for it), the in_flight hook.
 * Run by a helper thread: the connection and d are its alone until the
 * uploader's thread joins it, which touches neither meanwhile. */
typedef struct db_job {
	uploader_delivery *d;
	const outbox_batch *batch; /* in flight */
	fc_status st;              /* recording the previous reply */
	long wait_ms;
	fc_error err;
} db_job;

static void *db_run(void *arg)
{
	db_job *j = arg;
	uploader_delivery *d = j->d;
	if (d->acked.count > 0)
		j->st = record_acked(d, j->batch, &j->wait_ms, &j->err);
	if (j->st)
		return NULL;
	fc_error ignored;
	if (outbox_read_after(d->db, j->batch->seqs[j->batch->count - 1], d->batch_limit,
			      (size_t)d->cfg->upload_batch_bytes, &d->ahead, &ignored) != FC_OK)
		memset(&d->ahead, 0, sizeof d->ahead); /* claimed the usual way then */
	if (d->in_flight)
		d->in_flight(d->in_flight_ctx);
	return NULL;
}

fc_status uploader_delivery_flush(uploader_delivery *d, fc_error *err)
{
	long wait_ms = 0;
	return flush(d, &wait_ms, err);
}

fc_status uploader_delivery_step(uploader_delivery *d, bool *empty, long *wait_ms, fc_error *err)
{
	*empty = false;
	*wait_ms = 0;
	int held_at = -1;
	outbox_batch batch;
	fc_status st;
	if (d->ahead.count > 0) {
		/* read while the clean batch before it was in flight: nothing held,
		 * not narrowing (the state a clean success leaves) */
		batch = d->ahead;
		memset(&d->ahead, 0, sizeof d->ahead);
	} else {
		st = flush(d, wait_ms, err); /* the claim reads what it recorded */
		if (st)
			return st;
		for (int i = 0; i < d->n_held && held_at < 0; i++)
			held_at = d->held[i].confirm ? i : -1;
		if (held_at >= 0) {
			st = outbox_claim_record(d->db, d->held[held_at].seq, &batch, err);
			if (!st && batch.count == 0)
				return held_drop(d, held_at, err); /* no longer pending */
		} else {
			int64_t skip[UPLOADER_HELD_MAX];
			for (int i = 0; i < d->n_held; i++)
				skip[i] = d->held[i].seq;
			st = outbox_claim_batch_skipping(d->db, d->narrow_limit ? d->narrow_limit
										: d->batch_limit,
							 (size_t)d->cfg->upload_batch_bytes, skip,
							 d->n_held, &batch, err);
		}
		if (st)
			return st;
		if (batch.count == 0) {
			*empty = true;
			return FC_OK;
		}
	}
	bool narrowing = (d->narrow_limit > 0 || d->n_held > 0) && held_at < 0;
	bool plain = held_at < 0 && d->n_held == 0 && d->narrow_limit == 0;
	db_job work = { .d = d, .batch = &batch };
	pthread_t helper;
	hq_reply reply = { 0 };
	st = FC_OK;
	/* the POST goes out at once from this thread (it alone touches the CURL
	 * handle); the database work of the batch before it and the read of
	 * the batch after it meanwhile */
	bool overlap = plain && pthread_create(&helper, NULL, db_run, &work) == 0;
	if (overlap) {
		st = hq_client_post_records(d->client, &batch, &reply, err);
		pthread_join(helper, NULL);
	} else {
		if (d->acked.count > 0) /* no helper: recorded before the POST */
			work.st = record_acked(d, &batch, &work.wait_ms, &work.err);
		if (!work.st)
			st = hq_client_post_records(d->client, &batch, &reply, err);
	}
	if (work.st) {
		/* the reply before was not recorded: this one is not used either;
		 * its records stay pending and go again (head office deduplicates) */
		*err = work.err;
		*wait_ms = work.wait_ms;
		outbox_batch_free(&d->ahead);
		hq_reply_free(&reply);
		outbox_batch_free(&batch);
		return work.st;
	}
	if (!st && overlap && taken_whole(&batch, &reply)) {
		d->acked = batch; /* recorded while the next batch is in flight */
		d->acked_reply = reply;
		return FC_OK;
	}
	outbox_batch_free(&d->ahead); /* thrown away: nothing was written for it */
	int progress = 0;
	if (!st)
		st = apply_answer(d, &batch, &reply, NULL, &progress, err);
	if (!st)
		st = on_taken(d, &batch, progress, held_at, err);
	else if (st == FC_ERR_PROTOCOL && reply.http_status == 413)
		st = too_large(d, &batch, err);
	else if (st == FC_ERR_PROTOCOL && refuses_whole(d, &batch, reply.http_status, narrowing)) {
		int was_held = d->n_held;
		st = on_refused(d, &batch, &reply, held_at, err);
		/* splitting server errors down: gently; a record just held back:
		 * its canary at once, so it is held for as short a time as can be */
		if (!st && reply.http_status >= 500 && d->n_held == was_held && held_at < 0)
			*wait_ms = uploader_backoff_ms(d->cfg->upload_backoff_base_ms,
						       d->cfg->upload_backoff_cap_s, d->failures++);
	}
	if (st == FC_ERR_AUTH || st == FC_ERR_NET || st == FC_ERR_PROTOCOL)
		on_failure(d, &batch, st, wait_ms, err);
	hq_reply_free(&reply);
	outbox_batch_free(&batch);
	return st;
}
