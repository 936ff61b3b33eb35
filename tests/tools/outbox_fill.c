/* outbox_fill.c — make many real station records quickly for the upload
 * tests: customers, points-ledger rows and outbox rows through record_enqueue.
 *
 * usage: outbox_fill DB COUNT [--customers K] [--station S] [--per-tx N]
 *                    [--invalid-every M] [--start ISO --step-ms MS]
 *                    [--pace-ms P] [--real-visits]
 * Each record is a "visit" whose data is {"customer":"C00042","points":D,
 * "volume_ml":V} (plus "invalid":true every M-th record), with a ledger row of
 * the same delta; --start/--step-ms spread created_at (an outage's days).
 * --real-visits makes the station's real visit payload instead, the one
 * forecourt-hq accepts (pump, grade, volume_ml, amount_fen,
 * price_fen_per_litre, discount_fen, points_earned, won_back, card,
 * customer_code, tier, nature), with its visits row; customers C00001..CK
 * are ordinary individuals and each has the card CA000000 + k (hex): head
 * office needs the same customer codes.
 * --pace-ms waits P ms between transactions and prints the write latency
 * (BEGIN IMMEDIATE to COMMIT) a kiosk would see, to 0.01 ms:
 * "latency ms: max X p50 Y p99 Z" (make bench: write_drain). */
#include <jansson.h>
#include <poll.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/record.h"

static int die(const char *what, const fc_error *err)
{
	fprintf(stderr, "outbox_fill: %s: %s\n", what, fc_error_text(err));
	return 1;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Monotonic microseconds: a write takes well under a millisecond. */
static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static fc_status ensure_customers(sqlite3 *db, int k, bool cards, fc_error *err)
{
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	sqlite3_stmt *st;
	fc_status s = db_begin(db, err);
	if (!s)
		s = db_prepare(db,
			       "INSERT OR IGNORE INTO customers(code, name, nature, created_at, "
			       "updated_at) VALUES(printf('C%05d', ?1), printf('Customer %d', ?1), "
			       "'individual', ?2, ?2)",
			       &st, err);
	for (int i = 1; !s && i <= k; i++) {
		sqlite3_bind_int(st, 1, i);
		sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = db_fail(db, sqlite3_errcode(db), "adding customers", err);
		sqlite3_reset(st);
	}
	if (!s)
		sqlite3_finalize(st);
	if (!s && cards)
		s = db_exec(db,
			    "INSERT OR IGNORE INTO cards(card_id, customer_id, kind, status, updated_at) "
			    "SELECT printf('%08X', 3388997632 + CAST(substr(code, 2) AS INTEGER)), id, "
			    "'personal', 'active', created_at FROM customers "
			    "WHERE code GLOB 'C[0-9][0-9][0-9][0-9][0-9]'",
			    "adding cards", err);
	if (!s)
		return db_commit(db, err);
	db_rollback(db);
	return s;
}

/* The data of a real visit of customer k (1-based), as visit.c makes it;
 * its visits row through *visit (prepared on db). */
static json_t *real_visit(sqlite3 *db, sqlite3_stmt **visit, const fc_record *rec, long k,
			  int64_t *points, fc_status *s, fc_error *err)
{
	static const char *const grades[] = { "92#", "95#", "98#", "0#" };
	static const int64_t prices[] = { 760, 812, 900, 735 };
	uint32_t g = randombytes_uniform(4);
	int pump = 1 + (int)randombytes_uniform(12);
	int64_t ml = 10 * (500 + (int64_t)randombytes_uniform(7500)); /* 5..80 L */
	int64_t fen = (ml * prices[g] + 500) / 1000;
	char code[16], card[16];
	snprintf(code, sizeof code, "C%05ld", k);
	snprintf(card, sizeof card, "%08lX", 0xCA000000L + k);
	*points = ml / 1000;
	if (!*visit &&
	    (*s = db_prepare(db,
			     "INSERT INTO visits(id, created_at, card_id, customer_id, pump, grade, "
			     "volume_ml, amount_fen, price_fen_per_litre, discount_fen, tier, "
			     "points_earned, won_back) VALUES(?1, ?2, ?3, (SELECT id FROM customers "
			     "WHERE code = ?4), ?5, ?6, ?7, ?8, ?9, 0, 'ordinary', ?10, 0)",
			     visit, err)))
		return NULL;
	sqlite3_bind_text(*visit, 1, rec->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(*visit, 2, rec->created_at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(*visit, 3, card, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(*visit, 4, code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(*visit, 5, pump);
	sqlite3_bind_text(*visit, 6, grades[g], -1, SQLITE_STATIC);
	sqlite3_bind_int64(*visit, 7, ml);
	sqlite3_bind_int64(*visit, 8, fen);
	sqlite3_bind_int64(*visit, 9, prices[g]);
	sqlite3_bind_int64(*visit, 10, *points);
	if (sqlite3_step(*visit) != SQLITE_DONE) {
		*s = db_fail(db, sqlite3_errcode(db), "adding a visit row", err);
		return NULL;
	}
	sqlite3_reset(*visit);
	return json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:I, s:b, s:s, s:s, s:s, s:s}", "pump",
			 pump, "grade", grades[g], "volume_ml", (json_int_t)ml, "amount_fen",
			 (json_int_t)fen, "price_fen_per_litre", (json_int_t)prices[g],
			 "discount_fen", (json_int_t)0, "points_earned", (json_int_t)*points,
			 "won_back", 0, "card", card, "customer_code", code, "tier", "ordinary",
			 "nature", "individual");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: outbox_fill DB COUNT [--customers K] [--station S] "
				"[--per-tx N] [--invalid-every M] [--start ISO --step-ms MS] "
				"[--pace-ms P] [--real-visits]\n");
		return 2;
	}
	const char *path = argv[1], *station = "S0001";
	long count = atol(argv[2]), per_tx = 500, invalid_every = 0, customers = 50;
	int64_t start_ms = 0, step_ms = 0, pace_ms = -1;
	bool real = false;
	for (int i = 3; i < argc; i += 2) {
		if (strcmp(argv[i], "--real-visits") == 0) {
			real = true;
			i--;
		} else if (i + 1 >= argc)
			return 2;
		else if (strcmp(argv[i], "--customers") == 0)
			customers = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--station") == 0)
			station = argv[i + 1];
		else if (strcmp(argv[i], "--per-tx") == 0)
			per_tx = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--invalid-every") == 0)
			invalid_every = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--start") == 0 && !clock_parse_iso(argv[i + 1], &start_ms))
			return 2;
		else if (strcmp(argv[i], "--step-ms") == 0)
			step_ms = atoll(argv[i + 1]);
		else if (strcmp(argv[i], "--pace-ms") == 0)
			pace_ms = atoll(argv[i + 1]);
	}
	if (sodium_init() < 0 || customers < 1 || per_tx < 1)
		return 2;
	sqlite3 *db;
	fc_error err;
	fc_error_clear(&err);
	if (db_open(path, DB_OPEN_CREATE, &db, &err))
		return die(path, &err);
	if (ensure_customers(db, (int)customers, real, &err))
		return die("customers", &err);
	sqlite3_stmt *ledger = NULL, *visit = NULL;
	fc_status s = FC_OK;
	int64_t *lat = calloc((size_t)count / (size_t)per_tx + 2, sizeof *lat);
	size_t n_lat = 0;
	if (!lat)
		return 1;
	for (long done = 0; !s && done < count;) {
		if (pace_ms >= 0 && done > 0) {
			struct pollfd none;
			poll(&none, 0, (int)pace_ms);
		}
		int64_t t0 = mono_us();
		s = db_begin(db, &err);
		if (!s)
			s = db_prepare(db,
				       "INSERT INTO points_ledger(record_id, customer_id, delta, reason, "
				       "created_at) VALUES(?, (SELECT id FROM customers WHERE code = ?), "
				       "?, 'earn', ?)",
				       &ledger, &err);
		for (long j = 0; !s && j < per_tx && done < count; j++, done++) {
			fc_record rec;
			char code[16];
			s = record_init(&rec, "visit", &err);
			if (s)
				break;
			if (start_ms) {
				rec.created_ms = start_ms + done * step_ms;
				clock_format_iso(rec.created_ms, rec.created_at);
				uuid_v7(rec.created_ms, rec.id);
			}
			long k = 1 + (long)randombytes_uniform((uint32_t)customers);
			snprintf(code, sizeof code, "C%05ld", k);
			int64_t delta = 1 + randombytes_uniform(200);
			json_t *data = real ? real_visit(db, &visit, &rec, k, &delta, &s, &err)
					    : json_pack("{s:s, s:I, s:I}", "customer", code, "points",
							(json_int_t)delta, "volume_ml",
							(json_int_t)(delta * 1000));
			if (!s && !data)
				s = fc_error_set(&err, FC_ERR_NOMEM, "building a record");
			if (s)
				break;
			if (invalid_every > 0 && (done + 1) % invalid_every == 0)
				json_object_set_new(data, "invalid", json_true());
			s = record_enqueue(db, &rec, station, 0, data, &err);
			json_decref(data);
			if (s)
				break;
			sqlite3_bind_text(ledger, 1, rec.id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ledger, 2, code, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(ledger, 3, delta);
			sqlite3_bind_text(ledger, 4, rec.created_at, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(ledger) != SQLITE_DONE)
				s = db_fail(db, sqlite3_errcode(db), "adding a ledger row", &err);
			sqlite3_reset(ledger);
		}
		sqlite3_finalize(ledger);
		sqlite3_finalize(visit);
		ledger = visit = NULL;
		if (!s)
			s = db_commit(db, &err);
		else
			db_rollback(db);
		lat[n_lat++] = mono_us() - t0;
		if (pace_ms >= 0 && lat[n_lat - 1] > 100000)
			fprintf(stderr, "outbox_fill: transaction %zu took %.2f ms\n", n_lat,
				(double)lat[n_lat - 1] / 1000.0);
	}
	db_close(db);
	if (s) {
		free(lat);
		return die("records", &err);
	}
	printf("%ld records\n", count);
	if (pace_ms >= 0 && n_lat > 0) {
		qsort(lat, n_lat, sizeof *lat, cmp_i64);
		printf("latency ms: max %.2f p50 %.2f p99 %.2f\n", (double)lat[n_lat - 1] / 1000.0,
		       (double)lat[n_lat / 2] / 1000.0, (double)lat[n_lat * 99 / 100] / 1000.0);
	}
	free(lat);
	return 0;
}
