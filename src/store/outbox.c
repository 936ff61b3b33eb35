/* outbox.c — claiming batches in seq order, applying head office's replies,
 * dead letters, the status summary, sneakernet export and retention. */
#include "store/outbox.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomic_file.h"
#include "store/db.h"

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

fc_status outbox_claim_batch(sqlite3 *db, int max_records, size_t max_bytes,
			     outbox_batch *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	char key[UUID_STR_LEN];
	int64_t first = 0, last = INT64_MAX;
	int count = 0;
	bool have = remembered_batch(db, key, &first, &last, &count);

	/* Reading needs no write lock: only this uploader changes pending rows
	 * into anything else, and writers only append higher seqs. */
	int64_t limit_seq = INT64_MAX;
	sqlite3_stmt *st;
	fc_status s;
	if (have) {
		s = db_prepare(db, "SELECT min(seq) FROM outbox WHERE state = 'pending'", &st, err);
		if (s)
			return s;
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
		    sqlite3_column_int64(st, 0) == first)
			limit_seq = last; /* the remembered batch again: its key stays valid */
		sqlite3_finalize(st);
	}
	s = db_prepare(db,
		       "SELECT seq, id, payload FROM outbox WHERE state = 'pending' "
		       "AND seq <= ? ORDER BY seq LIMIT ?",
		       &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, limit_seq);
	sqlite3_bind_int(st, 2, max_records);
	size_t cap = 0, body_cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *payload = (const char *)sqlite3_column_text(st, 2);
		size_t len = (size_t)sqlite3_column_bytes(st, 2);
		if (out->count > 0 && out->body_len + len + 1 > max_bytes)
			break;
		if (!batch_push(out, &cap, &body_cap, sqlite3_column_int64(st, 0),
				(const char *)sqlite3_column_text(st, 1), payload, len)) {
			sqlite3_finalize(st);
			outbox_batch_free(out);
			return fc_error_set(err, FC_ERR_NOMEM, "claiming records for upload");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		outbox_batch_free(out);
		return db_fail(db, rc, "reading the outbox", err);
	}
	if (out->count == 0)
		return FC_OK;
	if (have && out->seqs[0] == first && out->seqs[out->count - 1] == last &&
	    out->count == count) {
		memcpy(out->key, key, UUID_STR_LEN);
		return FC_OK;
	}
	if (uuid_v7(clock_now_ms(), out->key) != 0) {
		outbox_batch_free(out);
		return fc_error_set(err, FC_ERR_IO, "no randomness for a batch key");
	}
	char buf[128];
	snprintf(buf, sizeof buf, "%s %" PRId64 " %" PRId64 " %d", out->key, out->seqs[0],
		 out->seqs[out->count - 1], out->count);
	s = db_meta_set(db, "upload_batch", buf, err); /* one statement: its own short write */
	if (s)
		outbox_batch_free(out);
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
	fc_status s = db_exec(db, "SAVEPOINT all_sent", "recording head office's reply", err);
	if (s)
		return s;
	sqlite3_stmt *st;
	s = db_prepare(db,
		       "UPDATE outbox SET state = 'sent', sent_at = ?1, last_error = NULL "
		       "WHERE seq BETWEEN ?2 AND ?3 AND state = 'pending'",
		       &st, err);
	int changed = 0;
	if (!s) {
		sqlite3_bind_text(st, 1, now_iso, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, batch->seqs[0]);
		sqlite3_bind_int64(st, 3, batch->seqs[batch->count - 1]);
		s = run_update(db, st, &changed, err);
		sqlite3_finalize(st);
	}
	if (!s && changed == batch->count) {
		*done = changed;
		return db_exec(db, "RELEASE all_sent", "recording head office's reply", err);
	}
	fc_error ignored;
	db_exec(db, "ROLLBACK TO all_sent", "recording head office's reply", &ignored);
	db_exec(db, "RELEASE all_sent", "recording head office's reply", &ignored);
	return s;
}

fc_status outbox_apply_reply(sqlite3 *db, const outbox_batch *batch,
			     const char *const *accepted, size_t n_accepted,
			     const outbox_reject *rejected, size_t n_rejected,
			     int *progress, fc_error *err)
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
		s = db_prepare(db,
			       "UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL "
			       "WHERE seq = ? AND state = 'pending'",
			       &up_sent, err);
	if (!s)
		s = db_prepare(db,
			       "UPDATE outbox SET state = 'dead', last_error = ? "
			       "WHERE seq = ? AND state = 'pending'",
			       &up_dead, err);
	if (!s)
		s = db_prepare(db,
			       "INSERT INTO dead_letters(seq, code, message, moved_at) "
			       "VALUES(?, ?, ?, ?) ON CONFLICT(seq) DO UPDATE SET "
			       "code = excluded.code, message = excluded.message, "
			       "moved_at = excluded.moved_at",
			       &ins_dead, err);
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
		char why[600];
		snprintf(why, sizeof why, "%s%s%s", r->code, r->message ? ": " : "",
			 r->message ? r->message : "");
		int before = dead;
		sqlite3_bind_text(up_dead, 1, why, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up_dead, 2, batch->seqs[at]);
		s = run_update(db, up_dead, &dead, err);
		if (s || dead == before)
			continue; /* no longer pending */
		int ignored = 0;
		sqlite3_bind_int64(ins_dead, 1, batch->seqs[at]);
		sqlite3_bind_text(ins_dead, 2, r->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_dead, 3, r->message ? r->message : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_dead, 4, now_iso, -1, SQLITE_STATIC);
		s = run_update(db, ins_dead, &ignored, err);
	}
	free(fate);
	free(ok);
	sqlite3_finalize(up_sent);
	sqlite3_finalize(up_dead);
	sqlite3_finalize(ins_dead);
	if (!s && sent > 0)
		s = add_sent_today(db, now, sent, err);
	if (!s)
		s = db_meta_set(db, "last_upload_ok_at", now_iso, err);
	if (!s)
		s = db_meta_set(db, "last_upload_error", "", err);
	if (!s)
		s = db_meta_set(db, "offline_since", "", err);
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
			       "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, "
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

/* One integer from a query with an optional text parameter. */
fc_status outbox_status(sqlite3 *db, outbox_summary *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	int64_t now = clock_now_ms();
	fc_status s = db_query_int64(db, "SELECT count(*) FROM outbox WHERE state = 'pending'",
				  &out->pending, err);
	if (!s)
		s = db_query_int64(db, "SELECT count(*) FROM outbox WHERE state = 'dead'", &out->dead,
				err);
	if (s)
		return s;
	sqlite3_stmt *st;
	s = db_prepare(db,
		       "SELECT created_at FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1",
		       &st, err);
	if (s)
		return s;
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t ms;
		const char *at = (const char *)sqlite3_column_text(st, 0);
		snprintf(out->oldest_pending_at, sizeof out->oldest_pending_at, "%s", at);
		if (clock_parse_iso(at, &ms) && now > ms)
			out->oldest_pending_age_s = (now - ms) / 1000;
	}
	sqlite3_finalize(st);

	char buf[64], day[CLOCK_ISO_LEN], today[CLOCK_ISO_LEN];
	int64_t n;
	clock_local_date(now, today);
	if (db_meta_get(db, "sent_today", buf, sizeof buf) &&
	    sscanf(buf, "%31s %" SCNd64, day, &n) == 2 && strcmp(day, today) == 0)
		out->sent_today = n;
	db_meta_get(db, "last_upload_ok_at", out->last_ok_at, sizeof out->last_ok_at);
	db_meta_get(db, "offline_since", out->offline_since, sizeof out->offline_since);
	db_meta_get(db, "last_upload_error", out->last_error, sizeof out->last_error);
	db_meta_get(db, "master_version", out->master_version, sizeof out->master_version);
	db_meta_get(db, "last_master_error", out->master_error, sizeof out->master_error);
	db_meta_get(db, "classified_day", out->classified_day, sizeof out->classified_day);
	db_meta_get(db, "last_classify_error", out->classify_error, sizeof out->classify_error);
	out->tried = out->last_ok_at[0] || out->offline_since[0] || out->last_error[0];
	out->online = out->tried && out->offline_since[0] == '\0';
	return FC_OK;
}

fc_status outbox_list_dead(sqlite3 *db, outbox_dead_fn fn, void *ctx, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT o.seq, o.id, o.type, o.created_at, d.code, "
				 "coalesce(d.message, ''), d.moved_at, o.payload "
				 "FROM dead_letters d JOIN outbox o ON o.seq = d.seq "
				 "WHERE o.state = 'dead' ORDER BY o.seq",
				 &st, err);
	if (s)
		return s;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col[7];
		for (int i = 0; i < 7; i++)
			col[i] = (const char *)sqlite3_column_text(st, i + 1);
		if (!fn(ctx, sqlite3_column_int64(st, 0), col[0], col[1], col[2], col[3], col[4],
			col[5], col[6]))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? FC_OK
						     : db_fail(db, rc, "listing dead letters", err);
}

fc_status outbox_retry_dead(sqlite3 *db, const char *id, int64_t *count, fc_error *err)
{
	*count = 0;
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	sqlite3_stmt *st;
	s = db_prepare(db,
		       "UPDATE outbox SET state = 'pending', attempts = 0, last_error = NULL, "
		       "next_attempt_at = NULL WHERE state = 'dead' AND (?1 IS NULL OR id = ?1)",
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
			    "DELETE FROM dead_letters WHERE seq IN "
			    "(SELECT seq FROM outbox WHERE state <> 'dead')",
			    "requeueing dead letters", err);
	if (!s && id && *count == 0)
		s = fc_error_set(err, FC_ERR_NOT_FOUND, "%s: no dead letter with this id", id);
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
	char cutoff[CLOCK_ISO_LEN];
	clock_format_iso(clock_now_ms() - (int64_t)retention_days * 86400 * 1000, cutoff);
	*count = 0;
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	sqlite3_stmt *st;
	s = db_prepare(db, "DELETE FROM outbox WHERE state = 'sent' AND sent_at < ?", &st, err);
	if (!s) {
		sqlite3_bind_text(st, 1, cutoff, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "pruning sent records", err);
		else
			*count = sqlite3_changes(db);
	}
	return db_finish(db, s, err);
}
