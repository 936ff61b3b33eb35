/* test_outbox.c — the outbox on a real SQLite file: batches by count and
 * bytes with a stable Idempotency-Key, replies, dead letters, failures,
 * retention, export; backoff bounds; token-file and URL rules (master data:
 * test_master.c). */
#include "testutil.h"

#include <dirent.h>
#include <sodium.h>
#include <sys/stat.h>

#include "store/db.h"
#include "sync/hq_client.h"
#include "store/outbox.h"
#include "store/record.h"
#include "sync/uploader.h"

typedef struct fixture {
	char *dir;
	char path[4096];
	sqlite3 *db;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	fc_error err;
	f->dir = tu_tempdir();
	tu_path(f->path, f->dir, "s.db");
	assert_int_equal(db_open(f->path, DB_OPEN_CREATE, &f->db, &err), FC_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	db_close(f->db);
	tu_rmdir(f->dir);
	free(f);
	unsetenv("FORECOURT_NOW");
	return 0;
}

/* n records of type "visit" with a payload padded to about pad bytes. */
static void add_records(sqlite3 *db, int n, int pad)
{
	fc_error err;
	char *filler = malloc((size_t)pad + 1);
	memset(filler, 'x', (size_t)pad);
	filler[pad] = '\0';
	assert_int_equal(db_begin(db, &err), FC_OK);
	for (int i = 0; i < n; i++) {
		fc_record rec;
		assert_int_equal(record_init(&rec, "visit", &err), FC_OK);
		json_t *data = json_pack("{s:s}", "pad", filler);
		assert_int_equal(record_enqueue(db, &rec, "S0001", 0, data, &err), FC_OK);
		json_decref(data);
	}
	assert_int_equal(db_commit(db, &err), FC_OK);
	free(filler);
}

static int64_t count_state(sqlite3 *db, const char *state)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM outbox WHERE state = ?", -1,
					    &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void claim_limits_order_and_stable_key(void **state)
{
	fixture *f = *state;
	fc_error err;
	outbox_batch b, again;
	add_records(f->db, 12, 100);
	assert_int_equal(outbox_claim_batch(f->db, 5, 1 << 20, &b, &err), FC_OK);
	assert_int_equal(b.count, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(b.seqs[i], i + 1);
	/* One NDJSON line per record, '\n'-terminated. */
	int lines = 0;
	for (size_t i = 0; i < b.body_len; i++)
		lines += b.body[i] == '\n';
	assert_int_equal(lines, 5);
	/* Claimed again without a reply: the same records and the same key. */
	assert_int_equal(outbox_claim_batch(f->db, 5, 1 << 20, &again, &err), FC_OK);
	assert_int_equal(again.count, 5);
	assert_string_equal(again.key, b.key);
	outbox_batch_free(&again);
	/* A byte limit smaller than three lines: two records go. */
	size_t line = b.body_len / 5;
	outbox_batch_free(&b);
	assert_int_equal(outbox_claim_batch(f->db, 500, line * 2 + 2, &b, &err), FC_OK);
	assert_int_equal(b.count, 2);
	outbox_batch_free(&b);
	/* A single record larger than the limit still goes, alone. */
	assert_int_equal(outbox_claim_batch(f->db, 500, 10, &b, &err), FC_OK);
	assert_int_equal(b.count, 1);
	outbox_batch_free(&b);
}

/* meta 'upload_batch' as the claim leaves it. */
static void meta_batch(sqlite3 *db, char *buf, size_t n)
{
	buf[0] = '\0';
	assert_true(db_meta_get(db, "upload_batch", buf, n));
}

/* The batch after the one in flight: read without writing anything;
 * remembered only with the reply of the batch before it. */
static void read_after_writes_nothing_until_sent(void **state)
{
	fixture *f = *state;
	fc_error err;
	outbox_batch b, next;
	add_records(f->db, 12, 100);
	assert_int_equal(outbox_claim_batch(f->db, 5, 1 << 20, &b, &err), FC_OK);
	char before[128], after[128];
	meta_batch(f->db, before, sizeof before);
	int changes = sqlite3_total_changes(f->db);
	assert_int_equal(outbox_read_after(f->db, b.seqs[4], 5, 1 << 20, &next, &err), FC_OK);
	assert_int_equal(sqlite3_total_changes(f->db), changes);
	assert_int_equal(next.count, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(next.seqs[i], i + 6);
	meta_batch(f->db, after, sizeof after);
	assert_string_equal(after, before); /* still the batch in flight */
	/* the same records as a claim would give once b is recorded: same key */
	const char *acc[5];
	for (int i = 0; i < 5; i++)
		acc[i] = b.ids[i];
	int progress;
	assert_int_equal(outbox_apply_reply_next(f->db, &b, acc, 5, NULL, 0, &next, &progress, &err),
			 FC_OK);
	assert_int_equal(progress, 5);
	char want[128];
	snprintf(want, sizeof want, "%s 6 10 5", next.key);
	meta_batch(f->db, after, sizeof after);
	assert_string_equal(after, want); /* remembered with the reply */
	outbox_batch again;
	assert_int_equal(outbox_claim_batch(f->db, 5, 1 << 20, &again, &err), FC_OK);
	assert_string_equal(again.key, next.key);
	outbox_batch_free(&again);
	/* nothing after the last record */
	outbox_batch last;
	assert_int_equal(outbox_read_after(f->db, 12, 5, 1 << 20, &last, &err), FC_OK);
	assert_int_equal(last.count, 0);
	outbox_batch_free(&next);
	outbox_batch_free(&b);
}

static void reply_sends_kills_and_keeps(void **state)
{
	fixture *f = *state;
	fc_error err;
	outbox_batch b;
	int progress;
	add_records(f->db, 4, 10);
	assert_int_equal(outbox_note_failure(f->db, NULL, "link down", 1000, &err), FC_OK);
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &b, &err), FC_OK);
	assert_int_equal(b.count, 4);
	char old_key[UUID_STR_LEN];
	memcpy(old_key, b.key, sizeof old_key);
	/* 1 accepted twice, 2 rejected, 3 both (accepted wins), 4 not named, one stranger. */
	const char *acc[] = { b.ids[0], b.ids[0], b.ids[2], "01900000-0000-7000-8000-000000000000" };
	outbox_reject rej[] = { { b.ids[1], "invalid_payload", "pump 0 does not exist" },
				{ b.ids[2], "invalid_payload", NULL } };
	assert_int_equal(outbox_apply_reply(f->db, &b, acc, 4, rej, 2, &progress, &err), FC_OK);
	assert_int_equal(progress, 3);
	assert_int_equal(count_state(f->db, "sent"), 2);
	assert_int_equal(count_state(f->db, "dead"), 1);
	assert_int_equal(count_state(f->db, "pending"), 1);
	outbox_summary s;
	assert_int_equal(outbox_status(f->db, &s, &err), FC_OK);
	assert_int_equal(s.pending, 1);
	assert_int_equal(s.dead, 1);
	assert_int_equal(s.sent_today, 2);
	assert_true(s.tried);
	assert_true(s.online);
	assert_string_equal(s.last_error, "");
	assert_true(s.last_ok_at[0] != '\0');
	outbox_batch_free(&b);
	/* The next batch is the remaining record, with a new key. */
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &b, &err), FC_OK);
	assert_int_equal(b.count, 1);
	assert_int_equal(b.seqs[0], 4);
	assert_string_not_equal(b.key, old_key);
	outbox_batch_free(&b);
	/* The dead letter keeps head office's reason, and can be retried. */
	int64_t n;
	assert_int_equal(outbox_retry_dead(f->db, "no-such-id", NULL, &n, &err), FC_ERR_NOT_FOUND);
	assert_int_equal(outbox_retry_dead(f->db, NULL, NULL, &n, &err), FC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(count_state(f->db, "pending"), 2);
}

/* A whole batch accepted is marked sent in one go — but a dead letter
 * retried while the batch was in flight, inside its seq range, stays
 * pending: it was never sent. */
static void all_accepted_spares_a_retried_record(void **state)
{
	fixture *f = *state;
	fc_error err;
	outbox_batch b;
	int progress;
	add_records(f->db, 3, 10);
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &b, &err), FC_OK);
	outbox_reject rej[] = { { b.ids[1], "invalid_payload", "bad" } };
	const char *acc[] = { b.ids[0] };
	assert_int_equal(outbox_apply_reply(f->db, &b, acc, 1, rej, 1, &progress, &err), FC_OK);
	outbox_batch_free(&b);
	add_records(f->db, 2, 10); /* seqs 4, 5; pending now 3, 4, 5 */
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &b, &err), FC_OK);
	assert_int_equal(b.count, 3);
	assert_int_equal(b.seqs[0], 3);
	/* the whole batch accepted: 3 records sent in one statement */
	const char *all[] = { b.ids[0], b.ids[1], b.ids[2] };
	assert_int_equal(outbox_apply_reply(f->db, &b, all, 3, NULL, 0, &progress, &err), FC_OK);
	assert_int_equal(progress, 3);
	assert_int_equal(count_state(f->db, "sent"), 4);
	outbox_batch_free(&b);

	/* A batch of seqs 6 and 8 while 7 is pending too (a dead letter retried
	 * while the batch was in flight): 7 is not marked sent. */
	add_records(f->db, 3, 10); /* seqs 6, 7, 8 */
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &b, &err), FC_OK);
	assert_int_equal(b.count, 3);
	outbox_batch gap = { .count = 2 };
	int64_t seqs[2] = { b.seqs[0], b.seqs[2] };
	char ids[2][UUID_STR_LEN];
	memcpy(ids[0], b.ids[0], UUID_STR_LEN);
	memcpy(ids[1], b.ids[2], UUID_STR_LEN);
	gap.seqs = seqs;
	gap.ids = ids;
	const char *both[] = { ids[0], ids[1] };
	assert_int_equal(outbox_apply_reply(f->db, &gap, both, 2, NULL, 0, &progress, &err), FC_OK);
	assert_int_equal(progress, 2);
	assert_int_equal(count_state(f->db, "sent"), 6);
	assert_int_equal(count_state(f->db, "pending"), 1);
	char buf[32] = "";
	sqlite3_stmt *st;
	sqlite3_prepare_v2(f->db, "SELECT seq FROM outbox WHERE state = 'pending'", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_string_equal(buf, "7");
	outbox_batch_free(&b);
}

/* A batch of some records of b (positions pos[0..n-1]) for a reply. */
typedef struct sub_batch {
	outbox_batch b;
	int64_t seqs[8];
	char ids[8][UUID_STR_LEN];
} sub_batch;

static void sub_of(sub_batch *sb, const outbox_batch *b, const int *pos, int n)
{
	memset(sb, 0, sizeof *sb);
	for (int i = 0; i < n; i++) {
		sb->seqs[i] = b->seqs[pos[i]];
		memcpy(sb->ids[i], b->ids[pos[i]], UUID_STR_LEN);
	}
	sb->b.count = n;
	sb->b.seqs = sb->seqs;
	sb->b.ids = sb->ids;
}

/* The Idempotency-Key names the exact set: {1,2,4} and {1,3,4} have the
 * same first, last and count, and different keys; the same set again has
 * the same key. */
static void key_identifies_the_exact_set(void **state)
{
	fixture *f = *state;
	fc_error err;
	outbox_batch b, a, a2, c;
	int progress;
	add_records(f->db, 4, 10);
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &b, &err), FC_OK);
	assert_int_equal(b.count, 4);
	assert_int_equal(b.key[14], '8'); /* a UUID of version 8: a hash */
	outbox_reject rej[] = { { b.ids[2], "invalid_payload", "bad" } };
	assert_int_equal(outbox_apply_reply(f->db, &b, NULL, 0, rej, 1, &progress, &err), FC_OK);
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &a, &err), FC_OK);
	assert_int_equal(a.count, 3); /* {1, 2, 4} */
	assert_int_equal(a.seqs[1], 2);
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &a2, &err), FC_OK);
	assert_string_equal(a2.key, a.key); /* the same records: the same key */
	/* 2 acknowledged, 3 retried: {1, 3, 4}, same first, last and count */
	sub_batch two;
	sub_of(&two, &a, (int[]){ 1 }, 1);
	const char *acc[] = { two.ids[0] };
	assert_int_equal(outbox_apply_reply(f->db, &two.b, acc, 1, NULL, 0, &progress, &err), FC_OK);
	int64_t n;
	assert_int_equal(outbox_retry_dead(f->db, NULL, NULL, &n, &err), FC_OK);
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &c, &err), FC_OK);
	assert_int_equal(c.count, 3);
	assert_int_equal(c.seqs[0], a.seqs[0]);
	assert_int_equal(c.seqs[2], a.seqs[2]);
	assert_int_equal(c.seqs[1], 3);
	assert_string_not_equal(c.key, a.key);
	assert_string_not_equal(c.key, b.key);
	outbox_batch_free(&b);
	outbox_batch_free(&a);
	outbox_batch_free(&a2);
	outbox_batch_free(&c);
}

/* Claims that leave out held records, and the claim of one record. */
static void claim_skipping_and_one_record(void **state)
{
	fixture *f = *state;
	fc_error err;
	outbox_batch b;
	add_records(f->db, 5, 10);
	int64_t skip[] = { 2, 3 };
	assert_int_equal(outbox_claim_batch_skipping(f->db, 10, 1 << 20, skip, 2, &b, &err), FC_OK);
	assert_int_equal(b.count, 3);
	assert_int_equal(b.seqs[0], 1);
	assert_int_equal(b.seqs[1], 4);
	assert_int_equal(b.seqs[2], 5);
	outbox_batch_free(&b);
	assert_int_equal(outbox_claim_record(f->db, 3, &b, &err), FC_OK);
	assert_int_equal(b.count, 1);
	assert_int_equal(b.seqs[0], 3);
	assert_non_null(strstr(b.body, b.ids[0]));
	outbox_batch_free(&b);
	assert_int_equal(outbox_claim_record(f->db, 99, &b, &err), FC_OK);
	assert_int_equal(b.count, 0);
	outbox_batch_free(&b);
}

/* The record head office refuses, in the status: held back pending, then a
 * dead letter; head office's words stored escaped and bounded. */
static void status_names_the_refused_record(void **state)
{
	fixture *f = *state;
	fc_error err;
	outbox_batch b;
	outbox_summary s;
	int progress;
	add_records(f->db, 3, 10);
	assert_int_equal(outbox_status(f->db, &s, &err), FC_OK);
	assert_int_equal(s.refused_seq, 0);
	assert_int_equal(outbox_note_refused(f->db, 2, "http_400", "{\"error\":\"no\"}\x1b[2J", &err),
			 FC_OK);
	assert_int_equal(outbox_status(f->db, &s, &err), FC_OK);
	assert_int_equal(s.refused_seq, 2);
	assert_true(s.refused_pending);
	assert_string_equal(s.refused_reason, "HTTP 400: {\"error\":\"no\"}\\x1B[2J");
	assert_int_equal(outbox_claim_record(f->db, 2, &b, &err), FC_OK);
	assert_string_equal(s.refused_id, b.ids[0]);
	/* a dead letter: code and message from head office, escaped, cut */
	char body[2000];
	memset(body, 'b', sizeof body - 1);
	body[sizeof body - 1] = '\0';
	body[3] = '\n';
	outbox_reject rej = { b.ids[0], "http_400", body };
	assert_int_equal(outbox_apply_reply(f->db, &b, NULL, 0, &rej, 1, &progress, &err), FC_OK);
	assert_int_equal(outbox_note_refused(f->db, 0, "", "", &err), FC_OK);
	assert_int_equal(outbox_status(f->db, &s, &err), FC_OK);
	assert_int_equal(s.refused_seq, 2);
	assert_false(s.refused_pending);
	assert_memory_equal(s.refused_reason, "HTTP 400: bbb\\nbbb", 17);
	assert_true(strlen(s.refused_reason) < 9 + OUTBOX_MESSAGE_MAX + 2);
	assert_string_equal(s.refused_reason + strlen(s.refused_reason) - 3, "...");
	outbox_batch_free(&b);
	/* meta naming a record no longer pending is not shown as pending */
	assert_int_equal(outbox_note_refused(f->db, 2, "http_400", "x", &err), FC_OK);
	assert_int_equal(outbox_status(f->db, &s, &err), FC_OK);
	assert_false(s.refused_pending);
}

/* Before any upload the state is "never tried": neither online nor offline. */
static void never_tried_is_not_online(void **state)
{
	fixture *f = *state;
	outbox_summary s;
	fc_error err;
	add_records(f->db, 1, 10);
	assert_int_equal(outbox_status(f->db, &s, &err), FC_OK);
	assert_false(s.tried);
	assert_false(s.online);
	assert_string_equal(s.last_ok_at, "");
	assert_string_equal(s.offline_since, "");
}

static void failure_marks_offline_once(void **state)
{
	fixture *f = *state;
	fc_error err;
	outbox_batch b;
	outbox_summary s;
	add_records(f->db, 2, 10);
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &b, &err), FC_OK);
	setenv("FORECOURT_NOW", "2026-07-01T08:00:00Z", 1);
	assert_int_equal(outbox_note_failure(f->db, &b, "HTTP 503", 500, &err), FC_OK);
	setenv("FORECOURT_NOW", "2026-07-01T09:00:00Z", 1);
	assert_int_equal(outbox_note_failure(f->db, &b, "timed out", 500, &err), FC_OK);
	assert_int_equal(outbox_status(f->db, &s, &err), FC_OK);
	assert_true(s.tried);
	assert_false(s.online);
	assert_string_equal(s.offline_since, "2026-07-01T08:00:00Z");
	assert_string_equal(s.last_error, "timed out");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT min(attempts) FROM outbox", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	outbox_batch_free(&b);
}

static void prune_never_pending_or_dead(void **state)
{
	fixture *f = *state;
	fc_error err;
	outbox_batch b;
	int progress;
	int64_t n;
	setenv("FORECOURT_NOW", "2026-01-01T00:00:00Z", 1);
	add_records(f->db, 6, 10);
	assert_int_equal(outbox_claim_batch(f->db, 4, 1 << 20, &b, &err), FC_OK);
	const char *acc[] = { b.ids[0], b.ids[1], b.ids[2] };
	outbox_reject rej[] = { { b.ids[3], "invalid", NULL } };
	assert_int_equal(outbox_apply_reply(f->db, &b, acc, 3, rej, 1, &progress, &err), FC_OK);
	outbox_batch_free(&b);
	setenv("FORECOURT_NOW", "2026-03-31T00:00:00Z", 1); /* 89 days later */
	assert_int_equal(outbox_prune_sent(f->db, 90, &n, &err), FC_OK);
	assert_int_equal(n, 0);
	setenv("FORECOURT_NOW", "2027-01-01T00:00:00Z", 1);
	assert_int_equal(outbox_prune_sent(f->db, 90, &n, &err), FC_OK);
	assert_int_equal(n, 3);
	assert_int_equal(count_state(f->db, "pending"), 2);
	assert_int_equal(count_state(f->db, "dead"), 1);
}

/* The next seq is one past the newest outbox row (no counter row written
 * per record, issue 17): a prune that takes every record, the newest
 * included, leaves the numbering where it was. */
static void prune_all_keeps_the_numbering(void **state)
{
	fixture *f = *state;
	fc_error err;
	outbox_batch b;
	int progress;
	int64_t n;
	setenv("FORECOURT_NOW", "2026-01-01T00:00:00Z", 1);
	add_records(f->db, 3, 10);
	assert_int_equal(outbox_claim_batch(f->db, 10, 1 << 20, &b, &err), FC_OK);
	assert_int_equal(b.count, 3);
	const char *acc[] = { b.ids[0], b.ids[1], b.ids[2] };
	assert_int_equal(outbox_apply_reply(f->db, &b, acc, 3, NULL, 0, &progress, &err), FC_OK);
	outbox_batch_free(&b);
	setenv("FORECOURT_NOW", "2027-01-01T00:00:00Z", 1);
	assert_int_equal(outbox_prune_sent(f->db, 90, &n, &err), FC_OK);
	assert_int_equal(n, 3);
	assert_int_equal(count_state(f->db, "sent"), 0);
	add_records(f->db, 2, 10);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT group_concat(seq) FROM (SELECT seq "
						   "FROM outbox ORDER BY seq)", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "4,5");
	sqlite3_finalize(st);
	/* a second prune with nothing newer to take keeps the floor */
	assert_int_equal(outbox_prune_sent(f->db, 90, &n, &err), FC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(count_state(f->db, "pending"), 2);
}

static void export_is_atomic_ndjson(void **state)
{
	fixture *f = *state;
	fc_error err;
	char out[4096];
	int64_t n;
	add_records(f->db, 3, 10);
	assert_int_equal(outbox_export_pending(f->db, f->dir, "S0001", out, sizeof out, &n, &err),
			 FC_OK);
	assert_int_equal(n, 3);
	assert_non_null(strstr(out, "/outbox-S0001-000000001-000000003.ndjson"));
	FILE *fp = fopen(out, "r");
	assert_non_null(fp);
	char line[1024];
	int lines = 0;
	while (fgets(line, sizeof line, fp)) {
		json_error_t je;
		json_t *o = json_loads(line, 0, &je);
		assert_non_null(o);
		assert_int_equal(json_integer_value(json_object_get(o, "seq")), ++lines);
		json_decref(o);
	}
	fclose(fp);
	assert_int_equal(lines, 3);
	DIR *d = opendir(f->dir);
	struct dirent *e;
	while ((e = readdir(d)))
		assert_null(strstr(e->d_name, ".outbox-export")); /* no temporary left */
	closedir(d);
	assert_int_equal(count_state(f->db, "pending"), 3);
	assert_int_equal(outbox_export_pending(f->db, "/nonexistent/dir", "S0001", out, sizeof out,
					       &n, &err),
			 FC_ERR_IO);
	assert_non_null(strstr(err.msg, "/nonexistent/dir"));
}

static void backoff_is_full_jitter_within_cap(void **state)
{
	(void)state;
	long max_seen = 0, min_seen = 1L << 30;
	for (int i = 0; i < 2000; i++) {
		long w = uploader_backoff_ms(1000, 300, 3);
		assert_true(w >= 0 && w <= 8000);
		if (w > max_seen)
			max_seen = w;
		if (w < min_seen)
			min_seen = w;
	}
	assert_true(max_seen > 6000 && min_seen < 2000); /* spread over the whole range */
	for (int i = 0; i < 200; i++)
		assert_true(uploader_backoff_ms(1000, 300, 40) <= 300000);
	assert_true(uploader_backoff_ms(1000, 300, 0) <= 1000);
}

static void token_file_mode_and_url_rules(void **state)
{
	fixture *f = *state;
	fc_error err;
	char path[4096], tok[256];
	tu_write(path, f->dir, "token", "s3cret-token\n");
	chmod(path, 0644);
	assert_int_equal(hq_client_read_token(path, tok, sizeof tok, &err), FC_ERR_AUTH);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "mode 0644"));
	assert_null(strstr(err.msg, "s3cret"));
	chmod(path, 0600);
	assert_int_equal(hq_client_read_token(path, tok, sizeof tok, &err), FC_OK);
	assert_string_equal(tok, "s3cret-token");
	tu_write(path, f->dir, "empty", "\n");
	chmod(path, 0600);
	assert_int_equal(hq_client_read_token(path, tok, sizeof tok, &err), FC_ERR_INVALID);

	assert_int_equal(hq_client_check_url("https://hq.example.com/api", false, &err), FC_OK);
	assert_int_equal(hq_client_check_url("http://127.0.0.1:8080", false, &err), FC_OK);
	assert_int_equal(hq_client_check_url("http://[::1]:8080", false, &err), FC_OK);
	assert_int_equal(hq_client_check_url("http://hq.example.com", false, &err), FC_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "loopback"));
	assert_int_equal(hq_client_check_url("http://hq.example.com", true, &err), FC_OK);
	assert_int_equal(hq_client_check_url("ftp://hq.example.com", true, &err), FC_ERR_CONFIG);
	assert_int_equal(hq_client_check_url("not a url", false, &err), FC_ERR_CONFIG);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(claim_limits_order_and_stable_key, setup, teardown),
		cmocka_unit_test_setup_teardown(read_after_writes_nothing_until_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(reply_sends_kills_and_keeps, setup, teardown),
		cmocka_unit_test_setup_teardown(all_accepted_spares_a_retried_record, setup, teardown),
		cmocka_unit_test_setup_teardown(key_identifies_the_exact_set, setup, teardown),
		cmocka_unit_test_setup_teardown(claim_skipping_and_one_record, setup, teardown),
		cmocka_unit_test_setup_teardown(status_names_the_refused_record, setup, teardown),
		cmocka_unit_test_setup_teardown(never_tried_is_not_online, setup, teardown),
		cmocka_unit_test_setup_teardown(failure_marks_offline_once, setup, teardown),
		cmocka_unit_test_setup_teardown(prune_never_pending_or_dead, setup, teardown),
		cmocka_unit_test_setup_teardown(prune_all_keeps_the_numbering, setup, teardown),
		cmocka_unit_test_setup_teardown(export_is_atomic_ndjson, setup, teardown),
		cmocka_unit_test_setup_teardown(token_file_mode_and_url_rules, setup, teardown),
		cmocka_unit_test(backoff_is_full_jitter_within_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
