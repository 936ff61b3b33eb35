/* outbox.c — claiming batches in seq order, applying head office's replies,
 * dead letters, sneakernet export and retention (the status summary and the
 * list of dead letters: outbox_status.c). */
#include "store/outbox.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>

#include "base/atomic_file.h"
#include "base/text_escape.h"
#include "store/db.h"
#include "store/stmt_cache.h"

void outbox_batch_free(outbox_batch *batch)
{
	free(batch->seqs);
	free(batch->ids);
	free(batch->body);
	memset(batch, 0, sizeof *batch);
}

/* Append one line to the batch arrays; false when out of memory. */
static bool batch_push(outbox_batch *b, size_t *cap, size_t *body_cap, int64_t seq,
		       const char *id, const char *payload, size_t len)
{
	if ((size_t)b->count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		int64_t *s = realloc(b->seqs, ncap * sizeof *s);
		if (!s)
			return false;
		b->seqs = s;
		char(*ids)[UUID_STR_LEN] = realloc(b->ids, ncap * sizeof *ids);
		if (!ids)
			return false;
		b->ids = ids;
		*cap = ncap;
	}
	if (b->body_len + len + 2 > *body_cap) {
		size_t ncap = (*body_cap ? *body_cap : 4096);
		while (ncap < b->body_len + len + 2)
			ncap *= 2;
		char *nb = realloc(b->body, ncap);
		if (!nb)
			return false;
		b->body = nb;
		*body_cap = ncap;
	}
	b->seqs[b->count] = seq;
	snprintf(b->ids[b->count], UUID_STR_LEN, "%s", id);
	memcpy(b->body + b->body_len, payload, len);
	b->body_len += len;
	b->body[b->body_len++] = '\n';
	b->body[b->body_len] = '\0';
	b->count++;
	return true;
}

/* The remembered batch: key, first and last seq, count (meta 'upload_batch'). */
static bool remembered_batch(sqlite3 *db, char key[UUID_STR_LEN], int64_t *first,
			     int64_t *last, int *count)
{
	char buf[128];
	if (!db_meta_get(db, "upload_batch", buf, sizeof buf))
		return false;
	char k[64];
	if (sscanf(buf, "%63s %" SCNd64 " %" SCNd64 " %d", k, first, last, count) != 4 ||
	    strlen(k) != UUID_STR_LEN - 1)
		return false;
	memcpy(key, k, UUID_STR_LEN);
	return true;
}

/* The Idempotency-Key of a batch: BLAKE2b-128 of its ids in order, each
 * followed by '\n', written as a UUID of version 8 (RFC 9562's layout for
 * a hash).  The same records give the same key, any other set another. */
static void batch_key(outbox_batch *b)
{
	unsigned char h[16];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	for (int i = 0; i < b->count; i++) {
		crypto_generichash_update(&st, (const unsigned char *)b->ids[i], strlen(b->ids[i]));
		crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
	}
	crypto_generichash_final(&st, h, sizeof h);
	h[6] = (unsigned char)(0x80 | (h[6] & 0x0f)); /* version 8 */
	h[8] = (unsigned char)(0x80 | (h[8] & 0x3f)); /* variant 10 */
	snprintf(b->key, sizeof b->key,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", h[0], h[1],
		 h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13], h[14],
		 h[15]);
}

/* Read the batch's rows from st (seq, id, payload; bound by the caller,
 * who also resets or finalizes it) up to max_bytes of body (a first larger
 * record still goes alone). */
static fc_status read_batch(sqlite3 *db, sqlite3_stmt *st, size_t max_bytes, outbox_batch *out,
			    fc_error *err)
{
	size_t cap = 0, body_cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *payload = (const char *)sqlite3_column_text(st, 2);
		size_t len = (size_t)sqlite3_column_bytes(st, 2);
		if (out->count > 0 && out->body_len + len + 1 > max_bytes)
			break;
		if (!batch_push(out, &cap, &body_cap, sqlite3_column_int64(st, 0),
				(const char *)sqlite3_column_text(st, 1), payload, len)) {
			outbox_batch_free(out);
			return fc_error_set(err, FC_ERR_NOMEM, "claiming records for upload");
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		outbox_batch_free(out);
		return db_fail(db, rc, "reading the outbox", err);
	}
	if (out->count > 0)
		batch_key(out);
	return FC_OK;
}

/* skip as a JSON array for json_each ("[]" when none); malloc'd or NULL. */
static char *skip_json(const int64_t *skip, int n_skip)
{
	size_t n = 3 + (size_t)n_skip * 21;
	char *text = malloc(n);
	if (!text)
		return NULL;
	size_t used = (size_t)snprintf(text, n, "[");
	for (int i = 0; i < n_skip; i++)
		used += (size_t)snprintf(text + used, n - used, "%s%" PRId64, i ? "," : "", skip[i]);
	snprintf(text + used, n - used, "]");
	return text;
}

/* Kept prepared (stmt_cache): the uploader runs them for every batch. */
static const char first_pending_sql[] =
	"SELECT min(seq) FROM outbox_delivery WHERE state = 'pending' "
	"AND seq NOT IN (SELECT value FROM json_each(?))";
static const char claim_sql[] =
	"SELECT d.seq, r.id, r.payload FROM outbox_delivery d JOIN outbox_record r ON r.seq = d.seq "
	"WHERE d.state = 'pending' AND d.seq <= ? AND d.seq NOT IN (SELECT value FROM json_each(?)) "
	"ORDER BY d.seq LIMIT ?";
static const char claim_after_sql[] =
	"SELECT d.seq, r.id, r.payload FROM outbox_delivery d JOIN outbox_record r ON r.seq = d.seq "
	"WHERE d.state = 'pending' AND d.seq > ? ORDER BY d.seq LIMIT ?";
static const char pending_in_sql[] =
	"SELECT count(*) FROM outbox_delivery WHERE seq BETWEEN ?1 AND ?2 AND state = 'pending'";
static const char range_sent_sql[] =
	"UPDATE outbox_delivery SET state = 'sent', sent_at = ?1, last_error = NULL "
	"WHERE seq BETWEEN ?2 AND ?3 AND state = 'pending'";
static const char one_sent_sql[] =
	"UPDATE outbox_delivery SET state = 'sent', sent_at = ?, last_error = NULL "
	"WHERE seq = ? AND state = 'pending'";
static const char one_dead_sql[] =
	"UPDATE outbox_delivery SET state = 'dead', last_error = ? WHERE seq = ? AND state = 'pending'";
static const char dead_letter_sql[] =
	"INSERT INTO dead_letters(seq, code, message, moved_at) "
	"VALUES(?, ?, ?, ?) ON CONFLICT(seq) DO UPDATE SET "
	"code = excluded.code, message = excluded.message, moved_at = excluded.moved_at";

/* meta 'upload_batch' = the batch's key, first and last seq, count. */
static fc_status remember_batch(sqlite3 *db, const outbox_batch *b, fc_error *err)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s %" PRId64 " %" PRId64 " %d", b->key, b->seqs[0],
		 b->seqs[b->count - 1], b->count);
	return db_meta_set(db, "upload_batch", buf, err);
}

fc_status outbox_claim_batch(sqlite3 *db, int max_records, size_t max_bytes,
			     outbox_batch *out, fc_error *err)
{
	return outbox_claim_batch_skipping(db, max_records, max_bytes, NULL, 0, out, err);
}

fc_status outbox_claim_batch_skipping(sqlite3 *db, int max_records, size_t max_bytes,
				      const int64_t *skip, int n_skip, outbox_batch *out,
				      fc_error *err)
{
	memset(out, 0, sizeof *out);
	char key[UUID_STR_LEN];
	int64_t first = 0, last = INT64_MAX;
	int count = 0;
	bool have = remembered_batch(db, key, &first, &last, &count);
	char *skipped = skip_json(skip, n_skip);
	if (!skipped)
		return fc_error_set(err, FC_ERR_NOMEM, "claiming records for upload");

	/* Reading needs no write lock: only this uploader changes pending rows
	 * into anything else, and writers only append higher seqs. */
	int64_t limit_seq = INT64_MAX;
	sqlite3_stmt *st;
	fc_status s;
	if (have) {
		s = stmt_cache_get(db, first_pending_sql, &st, err);
		if (s) {
			free(skipped);
			return s;
		}
		sqlite3_bind_text(st, 1, skipped, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
		    sqlite3_column_int64(st, 0) == first)
			limit_seq = last; /* the remembered batch again: the same records */
		stmt_cache_done(st);
	}
	s = stmt_cache_get(db, claim_sql, &st, err);
	if (s) {
		free(skipped);
		return s;
	}
	sqlite3_bind_int64(st, 1, limit_seq);
	sqlite3_bind_text(st, 2, skipped, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, max_records);
	s = read_batch(db, st, max_bytes, out, err);
	stmt_cache_done(st);
	free(skipped);
	if (s || out->count == 0)
		return s;
	if (have && strcmp(out->key, key) == 0)
		return FC_OK;
	s = remember_batch(db, out, err); /* one statement: its own short write */
	if (s)
		outbox_batch_free(out);
	return s;
}

fc_status outbox_read_after(sqlite3 *db, int64_t after_seq, int max_records, size_t max_bytes,
			    outbox_batch *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, claim_after_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, after_seq);
	sqlite3_bind_int(st, 2, max_records);
	s = read_batch(db, st, max_bytes, out, err);
	stmt_cache_done(st);
	return s;
}

fc_status outbox_claim_record(sqlite3 *db, int64_t seq, outbox_batch *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT seq, id, payload FROM outbox WHERE state = 'pending' "
				 "AND seq = ?",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, seq);
	s = read_batch(db, st, SIZE_MAX, out, err);
	sqlite3_finalize(st);
	return s;
}

/* Batch positions sorted by id, for lookups of the ids in a reply. */
typedef struct id_index {
	const outbox_batch *batch;
	int *order; /* count positions, ordered by ids[pos] */
} id_index;

static int cmp_pos(const void *a, const void *b, void *ctx)
{
	const outbox_batch *bt = ctx;
	return strcmp(bt->ids[*(const int *)a], bt->ids[*(const int *)b]);
}

static int batch_find(const id_index *ix, const char *id)
{
	int lo = 0, hi = ix->batch->count - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int c = strcmp(ix->batch->ids[ix->order[mid]], id);
		if (c == 0)
			return ix->order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* meta 'sent_today' = "YYYY-MM-DD N" in station-local days. */
static fc_status add_sent_today(sqlite3 *db, int64_t now_ms, int n, fc_error *err)
{
	char today[CLOCK_ISO_LEN], buf[64], day[CLOCK_ISO_LEN] = "";
	int64_t count = 0;
	clock_local_date(now_ms, today);
	if (db_meta_get(db, "sent_today", buf, sizeof buf) &&
	    sscanf(buf, "%31s %" SCNd64, day, &count) == 2 && strcmp(day, today) != 0)
		count = 0;
	snprintf(buf, sizeof buf, "%s %" PRId64, today, count + n);
	return db_meta_set(db, "sent_today", buf, err);
}

static fc_status run_update(sqlite3 *db, sqlite3_stmt *st, int *changed, fc_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "recording head office's reply", err);
	*changed += sqlite3_changes(db);
	return FC_OK;
}

/* Mark the whole batch sent with one statement inside the caller's
 * transaction; *done = the records marked, or 0 (nothing changed) when the
 * seq range holds pending records outside the batch. */
static fc_status apply_all_sent(sqlite3 *db, const outbox_batch *batch, const char *now_iso,
				int *done, fc_error *err)
{
	*done = 0;
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, pending_in_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, batch->seqs[0]);
	sqlite3_bind_int64(st, 2, batch->seqs[batch->count - 1]);
	int rc = sqlite3_step(st);
	int64_t pending = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	stmt_cache_done(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "recording head office's reply", err);
	if (pending != batch->count)
		return FC_OK; /* record by record */
	s = stmt_cache_get(db, range_sent_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, now_iso, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, batch->seqs[0]);
	sqlite3_bind_int64(st, 3, batch->seqs[batch->count - 1]);
	s = run_update(db, st, done, err);
	stmt_cache_done(st);
	return s;
}

fc_status outbox_apply_reply(sqlite3 *db, const outbox_batch *batch,
			     const char *const *accepted, size_t n_accepted,
			     const outbox_reject *rejected, size_t n_rejected,
			     int *progress, fc_error *err)
{
	return outbox_apply_reply_next(db, batch, accepted, n_accepted, rejected, n_rejected,
				       NULL, progress, err);
}

fc_status outbox_apply_reply_next(sqlite3 *db, const outbox_batch *batch,
				  const char *const *accepted, size_t n_accepted,
				  const outbox_reject *rejected, size_t n_rejected,
				  const outbox_batch *next, int *progress, fc_error *err)
{
	int64_t now = clock_now_ms();
	char now_iso[CLOCK_ISO_LEN];
	clock_format_iso(now, now_iso);
	int sent = 0, dead = 0;
	*progress = 0;

	/* Work out each record's fate before taking the write lock, so the
	 * kiosk's writes wait as little as possible.  Accepted wins. */
	int *order = malloc((size_t)batch->count * sizeof *order);
	const outbox_reject **fate = calloc((size_t)batch->count, sizeof *fate);
	bool *ok = calloc((size_t)batch->count, sizeof *ok);
	if (!order || !fate || !ok) {
		free(order);
		free(fate);
		free(ok);
		return fc_error_set(err, FC_ERR_NOMEM, "recording head office's reply");
	}
	for (int i = 0; i < batch->count; i++)
		order[i] = i;
	qsort_r(order, (size_t)batch->count, sizeof *order, cmp_pos, (void *)batch);
	id_index ix = { batch, order };
	for (size_t i = 0; i < n_accepted; i++) {
		int at = batch_find(&ix, accepted[i]);
		if (at >= 0)
			ok[at] = true;
	}
	for (size_t i = 0; i < n_rejected; i++) {
		int at = batch_find(&ix, rejected[i].id);
		if (at >= 0 && !ok[at])
			fate[at] = &rejected[i];
	}
	free(order);

	fc_status s = db_begin(db, err);
	sqlite3_stmt *up_sent = NULL, *up_dead = NULL, *ins_dead = NULL;
	if (!s)
		s = stmt_cache_get(db, one_sent_sql, &up_sent, err);
	if (!s)
		s = stmt_cache_get(db, one_dead_sql, &up_dead, err);
	if (!s)
		s = stmt_cache_get(db, dead_letter_sql, &ins_dead, err);
	/* The usual reply, every record accepted: one range update instead of
	 * one per record — unless the range also holds a record that is not in
	 * the batch (a dead letter retried meanwhile), then record by record. */
	bool all_ok = true;
	for (int at = 0; at < batch->count && all_ok; at++)
		all_ok = ok[at];
	int ranged = 0;
	if (!s && all_ok && batch->count > 1)
		s = apply_all_sent(db, batch, now_iso, &ranged, err);
	if (ranged) {
		sent = ranged;
		memset(ok, 0, (size_t)batch->count * sizeof *ok); /* done */
	}
	for (int at = 0; !s && at < batch->count; at++) {
		if (ok[at]) {
			sqlite3_bind_text(up_sent, 1, now_iso, -1, SQLITE_STATIC);
			sqlite3_bind_int64(up_sent, 2, batch->seqs[at]);
			s = run_update(db, up_sent, &sent, err);
			continue;
		}
		const outbox_reject *r = fate[at];
		if (!r)
			continue; /* named in neither list: stays pending */
		/* head office's words, kept safe to print and bounded */
		char code[OUTBOX_CODE_MAX], message[OUTBOX_MESSAGE_MAX];
		char why[sizeof code + sizeof message + 2];
		text_escape(code, sizeof code, r->code, strlen(r->code));
		text_escape(message, sizeof message, r->message, r->message ? strlen(r->message) : 0);
		snprintf(why, sizeof why, "%s%s%s", code, message[0] ? ": " : "", message);
		int before = dead;
		sqlite3_bind_text(up_dead, 1, why, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up_dead, 2, batch->seqs[at]);
		s = run_update(db, up_dead, &dead, err);
		if (s || dead == before)
			continue; /* no longer pending */
		int ignored = 0;
		sqlite3_bind_int64(ins_dead, 1, batch->seqs[at]);
		sqlite3_bind_text(ins_dead, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_dead, 3, message, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_dead, 4, now_iso, -1, SQLITE_STATIC);
		s = run_update(db, ins_dead, &ignored, err);
	}
	free(fate);
	free(ok);
	stmt_cache_done(up_sent);
	stmt_cache_done(up_dead);
	stmt_cache_done(ins_dead);
	if (!s && sent > 0)
		s = add_sent_today(db, now, sent, err);
	if (!s)
		s = db_meta_set(db, "last_upload_ok_at", now_iso, err);
	if (!s)
		s = db_meta_set(db, "last_upload_error", "", err);
	if (!s)
		s = db_meta_set(db, "offline_since", "", err);
	if (!s && next && next->count > 0)
		s = remember_batch(db, next, err);
	s = db_finish(db, s, err);
	if (!s)
		*progress = sent + dead;
	return s;
}

fc_status outbox_note_failure(sqlite3 *db, const outbox_batch *batch, const char *message,
			      int64_t wait_ms, fc_error *err)
{
	int64_t now = clock_now_ms();
	char now_iso[CLOCK_ISO_LEN], next_iso[CLOCK_ISO_LEN], since[CLOCK_ISO_LEN] = "";
	clock_format_iso(now, now_iso);
	clock_format_iso(now + wait_ms, next_iso);

	fc_status s = db_begin(db, err);
	if (s)
		return s;
	if (batch && batch->count > 0) {
		sqlite3_stmt *st;
		s = db_prepare(db,
			       "UPDATE outbox_delivery SET attempts = attempts + 1, next_attempt_at = ?, "
			       "last_error = ? WHERE seq BETWEEN ? AND ? AND state = 'pending'",
			       &st, err);
		if (!s) {
			sqlite3_bind_text(st, 1, next_iso, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, message, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, batch->seqs[0]);
			sqlite3_bind_int64(st, 4, batch->seqs[batch->count - 1]);
			int rc = sqlite3_step(st);
			sqlite3_finalize(st);
			if (rc != SQLITE_DONE)
				s = db_fail(db, rc, "noting the failed upload", err);
		}
	}
	if (!s)
		s = db_meta_set(db, "last_upload_error", message, err);
	if (!s && (!db_meta_get(db, "offline_since", since, sizeof since) || !since[0]))
		s = db_meta_set(db, "offline_since", now_iso, err);
	return db_finish(db, s, err);
}

fc_status outbox_retry_dead(sqlite3 *db, const char *id, const fc_actor *by, int64_t *count,
			    fc_error *err)
{
	*count = 0;
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	sqlite3_stmt *st;
	s = db_prepare(db,
		       "UPDATE outbox_delivery SET state = 'pending', attempts = 0, last_error = NULL, "
		       "next_attempt_at = NULL WHERE state = 'dead' AND (?1 IS NULL OR "
		       "seq = (SELECT seq FROM outbox_record WHERE id = ?1))",
		       &st, err);
	if (!s) {
		if (id)
			sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "requeueing dead letters", err);
		else
			*count = sqlite3_changes(db);
	}
	if (!s)
		s = db_exec(db,
			    "DELETE FROM dead_letters WHERE seq NOT IN "
			    "(SELECT seq FROM outbox_delivery WHERE state = 'dead')",
			    "requeueing dead letters", err);
	if (!s && id && *count == 0)
		s = fc_error_set(err, FC_ERR_NOT_FOUND, "%s: no dead letter with this id", id);
	if (!s && by) {
		char detail[160];
		snprintf(detail, sizeof detail, "%.60s: %" PRId64 " dead letters queued again",
			 id ? id : "all", *count);
		s = audit_record_by(db, by, "outbox_retry", detail, err);
	}
	return db_finish(db, s, err);
}

fc_status outbox_export_pending(sqlite3 *db, const char *dir, const char *station,
				char *path_out, size_t n, int64_t *count, fc_error *err)
{
	char hidden[4096]; /* the temporary is .outbox-export.tmpXXXXXX: no *.ndjson until whole */
	*count = 0;
	path_out[0] = '\0';
	int w = snprintf(hidden, sizeof hidden, "%s/.outbox-export", dir);
	if (w < 0 || (size_t)w >= sizeof hidden)
		return fc_error_set(err, FC_ERR_INVALID, "%s: path too long", dir);
	atomic_file f;
	fc_status s = atomic_file_open(&f, hidden, 0600, err);
	if (s)
		return s;
	sqlite3_stmt *st = NULL;
	s = db_prepare(db, "SELECT seq, payload FROM outbox WHERE state = 'pending' ORDER BY seq",
		       &st, err);
	int64_t first = 0, last = 0;
	int rc = SQLITE_DONE;
	while (!s && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		last = sqlite3_column_int64(st, 0);
		if (*count == 0)
			first = last;
		s = atomic_file_write(&f, sqlite3_column_text(st, 1),
				      (size_t)sqlite3_column_bytes(st, 1), err);
		if (!s)
			s = atomic_file_write(&f, "\n", 1, err);
		(*count)++;
	}
	if (!s) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "reading the outbox", err);
	} else if (st) {
		sqlite3_finalize(st);
	}
	if (!s && *count > 0) {
		w = snprintf(path_out, n, "%s/outbox-%s-%09" PRId64 "-%09" PRId64 ".ndjson", dir,
			     station, first, last);
		if (w < 0 || (size_t)w >= n)
			s = fc_error_set(err, FC_ERR_INVALID, "%s: path too long", dir);
	}
	if (!s && *count > 0)
		s = atomic_file_commit(&f, path_out, err);
	else
		atomic_file_abort(&f);
	if (s)
		path_out[0] = '\0';
	return s;
}

fc_status outbox_prune_sent(sqlite3 *db, int retention_days, int64_t *count, fc_error *err)
{
	return outbox_prune_sent_by(db, retention_days, NULL, count, err);
}

fc_status outbox_prune_sent_by(sqlite3 *db, int retention_days, const fc_actor *by,
			       int64_t *count, fc_error *err)
{
	char cutoff[CLOCK_ISO_LEN];
	clock_format_iso(clock_now_ms() - (int64_t)retention_days * 86400 * 1000, cutoff);
	*count = 0;
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	sqlite3_stmt *st;
	/* The next seq is one past the newest outbox row (record.c): before
	 * the newest may go, meta 'next_seq' keeps the number past it. */
	s = db_exec(db,
		    "INSERT INTO meta(key, value) SELECT 'next_seq', CAST(m + 1 AS TEXT) "
		    "FROM (SELECT max(seq) AS m FROM outbox_record) WHERE m IS NOT NULL "
		    "ON CONFLICT(key) DO UPDATE SET value = excluded.value "
		    "WHERE CAST(excluded.value AS INTEGER) > CAST(value AS INTEGER)",
		    "pruning sent records", err);
	/* the delivery rows go with them (ON DELETE CASCADE) */
	if (!s)
		s = db_prepare(db,
			       "DELETE FROM outbox_record WHERE seq IN (SELECT seq FROM "
			       "outbox_delivery WHERE state = 'sent' AND sent_at < ?)",
			       &st, err);
	if (!s) {
		sqlite3_bind_text(st, 1, cutoff, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "pruning sent records", err);
		else
			*count = sqlite3_changes(db);
	}
	if (!s && by) {
		char detail[160];
		snprintf(detail, sizeof detail,
			 "%" PRId64 " sent records acknowledged before %s removed", *count, cutoff);
		s = audit_record_by(db, by, "outbox_prune", detail, err);
	}
	return db_finish(db, s, err);
}
