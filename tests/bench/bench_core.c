/* bench_core.c — in-process figures for `make bench`: swipe -> decision (and
 * the whole card view beside it) and
 * durable visit commit, each with its floor measured in the same run; search;
 * visit commits while a bulk job (another process) runs, against the same
 * visits before it.
 * Prints one JSON object per figure on stdout (times in microseconds). */
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/config.h"
#include "store/db.h"
#include "drivers/decoder.h"
#include "pump/lookup.h"
#include "pump/visit.h"
#include "customers/search.h"
#include "seeds/seed.h"
#include "tests/bench/bench_stats.h"

static void die(const char *what, const fc_error *err)
{
	fprintf(stderr, "bench_core: %s: %s\n", what, err ? fc_error_text(err) : strerror(errno));
	exit(1);
}

/* n random active card ids of the database (malloc'd array of 16-byte ids). */
static char (*pick_cards(sqlite3 *db, int n))[16]
{
	char (*ids)[16] = calloc((size_t)n, sizeof *ids);
	sqlite3_stmt *st;
	if (!ids || sqlite3_prepare_v2(db,
				       "SELECT card_id FROM cards WHERE status = 'active' AND "
				       "length(card_id) = 10 ORDER BY random() LIMIT ?",
				       -1, &st, NULL) != SQLITE_OK)
		die("picking cards", NULL);
	sqlite3_bind_int(st, 1, n);
	int got = 0;
	while (got < n && sqlite3_step(st) == SQLITE_ROW)
		snprintf(ids[got++], 16, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	for (int i = got; i < n; i++) /* fewer cards than asked: repeat */
		memcpy(ids[i], ids[i % (got ? got : 1)], 16);
	if (got == 0)
		die("no active cards in the database", NULL);
	return ids;
}

/* An em4100 frame for a 10-hex-digit id: STX, id, XOR checksum, ETX. */
static size_t em4100_frame(const char *id, uint8_t out[16])
{
	unsigned x = 0;
	for (int i = 0; i < 5; i++) {
		unsigned b;
		sscanf(id + 2 * i, "%2x", &b);
		x ^= b;
	}
	out[0] = 0x02;
	memcpy(out + 1, id, 10);
	snprintf((char *)out + 11, 3, "%02X", x);
	out[13] = 0x03;
	return 14;
}

/* The swipe decision (what the kiosk draws at once: decoder, then
 * lookup_decision, the card's row alone) against the bare indexed SELECT
 * of the card; beside it, not hidden, the whole card view the kiosk reads
 * right after in the same loop turn (decoder, then lookup_card: customer,
 * points, callbacks, discounts) and the card+customer join.  The four
 * alternate, each on another random card, so all see the same load. */
static void bench_swipe(const char *path, int n)
{
	sqlite3 *db;
	fc_error err;
	fc_config cfg;
	config_defaults(&cfg);
	if (db_open(path, DB_OPEN_EXISTING, &db, &err))
		die(path, &err);
	char(*ids)[16] = pick_cards(db, n);
	double *t = calloc((size_t)n, sizeof *t), *f = calloc((size_t)n, sizeof *f);
	double *j = calloc((size_t)n, sizeof *j), *v = calloc((size_t)n, sizeof *v);
	decoder dec;
	if (decoder_init(&dec, "em4100", 100, 1500, false) != READER_OK)
		die("decoder", NULL);
	sqlite3_stmt *fl, *jn;
	if (!t || !f || !j || !v ||
	    sqlite3_prepare_v2(db, "SELECT * FROM cards WHERE card_id = ?", -1, &fl, NULL) ||
	    sqlite3_prepare_v2(db,
			       "SELECT * FROM cards k JOIN customers c ON c.id = k.customer_id "
			       "WHERE k.card_id = ?",
			       -1, &jn, NULL))
		die("floor queries", NULL);
	int64_t fake_ms = 1000000;
	long bad = 0, disagree = 0;
	for (int i = 0; i < n; i++) {
		uint8_t frame[16];
		size_t len = em4100_frame(ids[i], frame), used;
		decoder_output out;
		fake_ms += 2000; /* past the debounce window: every swipe counts */
		double t0 = bench_now_us();
		decode_result r = decoder_feed(&dec, frame, len, &used, fake_ms, &out);
		fc_card_view decision, view;
		if (r != DECODE_FRAME || lookup_decision(db, &cfg, out.card_id, &decision, &err))
			bad++;
		t[i] = bench_now_us() - t0;

		t0 = bench_now_us();
		sqlite3_bind_text(fl, 1, ids[(i + n / 3) % n], -1, SQLITE_STATIC);
		while (sqlite3_step(fl) == SQLITE_ROW)
			;
		sqlite3_reset(fl);
		f[i] = bench_now_us() - t0;

		len = em4100_frame(ids[(i + n / 2) % n], frame);
		fake_ms += 2000;
		t0 = bench_now_us();
		r = decoder_feed(&dec, frame, len, &used, fake_ms, &out);
		if (r != DECODE_FRAME || lookup_card(db, &cfg, out.card_id, &view, &err))
			bad++;
		v[i] = bench_now_us() - t0;

		t0 = bench_now_us();
		sqlite3_bind_text(jn, 1, ids[(i + 2 * n / 3) % n], -1, SQLITE_STATIC);
		while (sqlite3_step(jn) == SQLITE_ROW)
			;
		sqlite3_reset(jn);
		j[i] = bench_now_us() - t0;

		/* not timed: the decision drawn first is the one the view shows */
		if (i % 16 == 0 && lookup_decision(db, &cfg, out.card_id, &decision, &err) == FC_OK &&
		    (decision.blocked != view.blocked || decision.tier != view.tier ||
		     decision.green_lane != view.green_lane ||
		     decision.tier_provisional != view.tier_provisional))
			disagree++;
	}
	sqlite3_finalize(fl);
	sqlite3_finalize(jn);
	double p50 = bench_quantile(t, n, 0.5), p99 = bench_quantile(t, n, 0.99);
	double f50 = bench_quantile(f, n, 0.5), f99 = bench_quantile(f, n, 0.99), j50 = bench_quantile(j, n, 0.5);
	double v50 = bench_quantile(v, n, 0.5), v99 = bench_quantile(v, n, 0.99);
	printf("{\"name\":\"swipe_decision\",\"unit\":\"us\",\"median\":%.1f,\"p99\":%.1f,"
	       "\"floor\":%.1f,\"floor_p99\":%.1f,\"card_view\":%.1f,\"card_view_p99\":%.1f,"
	       "\"card_customer_join\":%.1f,\"n\":%d,\"errors\":%ld,\"disagree\":%ld}\n",
	       p50, p99, f50, f99, v50, v99, j50, n, bad, disagree);
	free(t);
	free(f);
	free(j);
	free(v);
	free(ids);
	db_close(db);
}

/* Microseconds from a to b (CLOCK_THREAD_CPUTIME_ID readings). */
static double span_us(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e6 + (double)(b->tv_nsec - a->tv_nsec) / 1e3;
}

/* n durable visits of random cards of the database at use (a copy the
 * bench may write to), or without one of a new 2 000-customer database in
 * dir; the floor's file is in dir. */
static void bench_visit(const char *dir, int n, const char *use)
{
	char path[4096], floor_path[4096];
	snprintf(path, sizeof path, "%s/visit-bench.db", dir);
	snprintf(floor_path, sizeof floor_path, "%s/floor.bin", dir);
	sqlite3 *db;
	fc_error err;
	fc_config cfg;
	config_defaults(&cfg);
	if (use) {
		if (db_open(use, DB_OPEN_EXISTING, &db, &err))
			die(use, &err);
	} else {
		unlink(path);
		if (db_open(path, DB_OPEN_CREATE, &db, &err))
			die(path, &err);
		seed_options opt;
		seed_options_defaults(&opt, &cfg);
		opt.customers = 2000;
		if (seed_generate(db, &opt, &err))
			die("seeding", &err);
	}
	char(*ids)[16] = pick_cards(db, n);
	double *t = calloc((size_t)n, sizeof *t), *f = calloc((size_t)n, sizeof *f);
	long bad = 0;
	/* Floor: the bytes of a visit's outbox record appended and fdatasync'd
	 * in the same directory.  Visit and floor alternate, so both see the
	 * same disk and machine load. */
	char payload[4096];
	memset(payload, 'x', 400);
	size_t plen = 400;
	int fd = open(floor_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die(floor_path, NULL);
	sqlite3_stmt *st;
	/* Not the figure, for the notes: the pages a commit wrote to the WAL
	 * (SQLite's count of cache pages written) and the thread's CPU time
	 * (user + system, which a loaded machine does not stretch). */
	double *cpu = calloc((size_t)n, sizeof *cpu), *fcpu = calloc((size_t)n, sizeof *fcpu);
	int pages0 = 0, pages1 = 0, hi;
	sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_WRITE, &pages0, &hi, 0);
	for (int i = 0; i < n; i++) {
		fc_visit_input in = { .card_id = ids[i], .pump = 3, .grade = "92#",
				      .volume_ml = 35000 + i, .staff_id = 0 };
		fc_visit_result res;
		struct timespec c0, c1;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
		double t0 = bench_now_us();
		if (visit_record(db, &cfg, &in, &res, &err))
			bad++;
		t[i] = bench_now_us() - t0;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
		cpu[i] = span_us(&c0, &c1);
		if (i == 0 && sqlite3_prepare_v2(db, "SELECT payload FROM outbox ORDER BY seq DESC "
						     "LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				plen = (size_t)snprintf(payload, sizeof payload, "%s",
							(const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
			if (plen >= sizeof payload)
				plen = sizeof payload - 1;
		}
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
		t0 = bench_now_us();
		if (write(fd, payload, plen) != (ssize_t)plen || fdatasync(fd) != 0)
			die("floor write", NULL);
		f[i] = bench_now_us() - t0;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
		fcpu[i] = span_us(&c0, &c1);
	}
	close(fd);
	unlink(floor_path);
	sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_WRITE, &pages1, &hi, 0);
	double p50 = bench_quantile(t, n, 0.5), p99 = bench_quantile(t, n, 0.99);
	double f50 = bench_quantile(f, n, 0.5), f99 = bench_quantile(f, n, 0.99);
	double cpu50 = bench_quantile(cpu, n, 0.5), fcpu50 = bench_quantile(fcpu, n, 0.5);
	printf("{\"name\":\"visit_commit\",\"unit\":\"us\",\"median\":%.1f,\"p99\":%.1f,"
	       "\"floor\":%.1f,\"floor_p99\":%.1f,\"n\":%d,\"errors\":%ld,"
	       "\"wal_frames\":%.2f,\"cpu_us\":%.1f,\"floor_cpu_us\":%.1f,\"floor_bytes\":%zu}\n",
	       p50, p99, f50, f99, n, bad, (double)(pages1 - pages0) / n, cpu50, fcpu50, plen);
	free(cpu);
	free(fcpu);
	free(t);
	free(f);
	free(ids);
	db_close(db);
	if (!use)
		unlink(path);
}

/* n substring queries taken from real rows, in turn of eight shapes: 3
 * characters of a name, 4 of a plate, 6 of a phone, and the short ones
 * (issue 17): 1 and 2 characters of a name, a plate's province and its
 * letter, 2 digits of a phone, 1 of a plate.  The p99 of all and of the
 * 1-2 character ones; partial pages (a scan that ran out of time) counted. */
static void bench_search(const char *path, int n)
{
	sqlite3 *db;
	fc_error err;
	if (db_open(path, DB_OPEN_EXISTING, &db, &err))
		die(path, &err);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
			       "SELECT substr(name, 2, 3), substr(plate, 4, 4), substr(phone, 4, 6),"
			       " substr(name, 2, 1), substr(name, 1, 2), substr(plate, 1, 2),"
			       " substr(phone, 6, 2), substr(plate, 5, 1)"
			       " FROM customers ORDER BY random() LIMIT ?",
			       -1, &st, NULL))
		die("picking queries", NULL);
	sqlite3_bind_int(st, 1, n);
	/* cpu: the thread's CPU time, which a loaded machine does not stretch */
	double *t = calloc((size_t)n, sizeof *t), *ts = calloc((size_t)n, sizeof *ts);
	double *cpu = calloc((size_t)n, sizeof *cpu);
	int i = 0, shorts = 0;
	long bad = 0, partial = 0;
	while (i < n && sqlite3_step(st) == SQLITE_ROW) {
		const char *q = (const char *)sqlite3_column_text(st, i % 8);
		char query[64];
		snprintf(query, sizeof query, "%s", q && *q ? q : "1");
		search_result res;
		struct timespec c0, c1;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
		double t0 = bench_now_us();
		if (search_customers(db, query, &res, &err))
			bad++;
		t[i] = (bench_now_us() - t0) / 1000.0;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
		cpu[i] = (double)(c1.tv_sec - c0.tv_sec) * 1e3 + (double)(c1.tv_nsec - c0.tv_nsec) / 1e6;
		partial += res.partial;
		if (i % 8 >= 3)
			ts[shorts++] = t[i];
		i++;
	}
	sqlite3_finalize(st);
	double p99s = shorts ? bench_quantile(ts, shorts, 0.99) : 0;
	double cpu99 = bench_quantile(cpu, i, 0.99);
	double p50 = bench_quantile(t, i, 0.5), p99 = bench_quantile(t, i, 0.99), worst = bench_quantile(t, i, 1.0);
	printf("{\"name\":\"search\",\"unit\":\"ms\",\"median\":%.2f,\"p99\":%.2f,"
	       "\"worst\":%.2f,\"p99_short\":%.2f,\"cpu_p99\":%.2f,\"partial\":%ld,\"n\":%d,"
	       "\"errors\":%ld}\n",
	       p50, p99, worst, p99s, cpu99, partial, i, bad);
	free(t);
	free(cpu);
	free(ts);
	db_close(db);
}

/* One durable visit of card id; its time in microseconds into *us. */
static bool timed_visit(sqlite3 *db, const fc_config *cfg, const char *card, int i, double *us)
{
	fc_visit_input in = { .card_id = card, .pump = 3, .grade = "92#",
			      .volume_ml = 35000 + i, .staff_id = 0 };
	fc_visit_result res;
	fc_error err;
	double t0 = bench_now_us();
	bool ok = visit_record(db, cfg, &in, &res, &err) == FC_OK;
	*us = bench_now_us() - t0;
	if (!ok)
		fprintf(stderr, "bench_core: visit: %s\n", fc_error_text(&err));
	return ok;
}

/* Visits of the database's cards every interval_ms: floor_n of them first
 * (the floor), then as many as fit while cmd (a bulk job on the same
 * database, its output to cmd.log beside the database) runs. */
static void bench_visit_during(const char *name, const char *path, int interval_ms, int floor_n,
			       char **cmd)
{
	sqlite3 *db;
	fc_error err;
	fc_config cfg;
	config_defaults(&cfg);
	if (db_open(path, DB_OPEN_EXISTING, &db, &err))
		die(path, &err);
	int cap = 1 << 16;
	char(*ids)[16] = pick_cards(db, 4096);
	double *t = calloc((size_t)cap, sizeof *t), *f = calloc((size_t)floor_n, sizeof *f);
	long bad = 0;
	for (int i = 0; i < floor_n; i++) {
		bad += !timed_visit(db, &cfg, ids[i % 4096], i, &f[i]);
		usleep((useconds_t)interval_ms * 1000);
	}
	char log[4200];
	snprintf(log, sizeof log, "%s.job.log", path);
	double j0 = bench_now_us();
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (pid < 0)
		die("fork", NULL);
	int n = 0, status = 0;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (n < cap) {
			bad += !timed_visit(db, &cfg, ids[n % 4096], floor_n + n, &t[n]);
			n++;
		}
		usleep((useconds_t)interval_ms * 1000);
	}
	double job_s = (bench_now_us() - j0) / 1e6;
	int job_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (!job_ok)
		fprintf(stderr, "bench_core: the job failed (see %s)\n", log);
	double worst = n ? bench_quantile(t, n, 1.0) : 0;
	double p50 = n ? bench_quantile(t, n, 0.5) : 0, p99 = n ? bench_quantile(t, n, 0.99) : 0;
	double f50 = bench_quantile(f, floor_n, 0.5), f99 = bench_quantile(f, floor_n, 0.99);
	printf("{\"name\":\"%s\",\"unit\":\"us\",\"median\":%.1f,\"p99\":%.1f,"
	       "\"worst\":%.1f,\"floor\":%.1f,\"floor_p99\":%.1f,\"n\":%d,\"errors\":%ld,"
	       "\"job_s\":%.1f,\"job_ok\":%s}\n",
	       name, p50, p99, worst, f50, f99, n, bad, job_s, job_ok ? "true" : "false");
	free(t);
	free(f);
	free(ids);
	db_close(db);
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 1;
	if (argc == 4 && strcmp(argv[1], "swipe") == 0)
		bench_swipe(argv[2], atoi(argv[3]));
	else if (argc == 4 && strcmp(argv[1], "search") == 0)
		bench_search(argv[2], atoi(argv[3]));
	else if ((argc == 4 || argc == 5) && strcmp(argv[1], "visit") == 0)
		bench_visit(argv[2], atoi(argv[3]), argc == 5 ? argv[4] : NULL);
	else if (argc >= 8 && strcmp(argv[1], "visit-during") == 0 && strcmp(argv[6], "--") == 0)
		bench_visit_during(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]), argv + 7);
	else {
		fprintf(stderr, "usage: bench_core swipe DB N | visit DIR N [DB] | search DB N |\n"
				"       visit-during NAME DB INTERVAL_MS FLOOR_N -- JOB...\n");
		return 2;
	}
	return 0;
}
