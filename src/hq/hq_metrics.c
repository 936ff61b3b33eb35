/* hq_metrics.c — counters and their Prometheus text. */
#include "hq/hq_metrics.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const path_names[HQ_PATH_COUNT] = { "/v1/records", "/v1/master",
						       "/v1/health", "/metrics", "other" };
static const int codes[] = { 200, 400, 401, 403, 404, 405, 413, 415, 500, 503 };
#define CODE_COUNT (sizeof codes / sizeof codes[0])
static const double buckets[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define BUCKET_COUNT (sizeof buckets / sizeof buckets[0])

static atomic_uint_fast64_t requests[HQ_PATH_COUNT][CODE_COUNT + 1]; /* last: other codes */
static atomic_uint_fast64_t records_accepted, records_duplicate, records_rejected;
static atomic_uint_fast64_t batch_bucket[BUCKET_COUNT + 1];
static atomic_uint_fast64_t batch_count, batch_micros, master_lines;

void hq_metrics_request(hq_metrics_path path, int status)
{
	size_t i = 0;
	while (i < CODE_COUNT && codes[i] != status)
		i++;
	atomic_fetch_add(&requests[path < HQ_PATH_COUNT ? path : HQ_PATH_OTHER][i], 1);
}

void hq_metrics_records(int64_t accepted, int64_t duplicates, int64_t rejected)
{
	atomic_fetch_add(&records_accepted, (uint_fast64_t)accepted);
	atomic_fetch_add(&records_duplicate, (uint_fast64_t)duplicates);
	atomic_fetch_add(&records_rejected, (uint_fast64_t)rejected);
}

void hq_metrics_batch(double seconds)
{
	size_t i = 0;
	while (i < BUCKET_COUNT && seconds > buckets[i])
		i++;
	atomic_fetch_add(&batch_bucket[i], 1);
	atomic_fetch_add(&batch_count, 1);
	atomic_fetch_add(&batch_micros, (uint_fast64_t)(seconds * 1e6));
}

void hq_metrics_master_lines(int64_t lines)
{
	atomic_fetch_add(&master_lines, (uint_fast64_t)lines);
}

typedef struct text {
	char *buf;
	size_t len, cap;
	bool failed;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
	if (t->failed)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = true;
			return;
		}
		if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap * 2 + (size_t)n;
		char *nb = realloc(t->buf, cap);
		if (!nb) {
			t->failed = true;
			return;
		}
		t->buf = nb;
		t->cap = cap;
	}
}

/* Label values: only letters, digits, '-' and '_' reach a label (station
 * ids are checked so), anything else becomes '_'. */
static void label_safe(const char *in, char *out, size_t n)
{
	size_t i = 0;
	for (; in[i] && i + 1 < n; i++) {
		char c = in[i];
		bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			  (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
		out[i] = ok ? c : '_';
	}
	out[i] = '\0';
}

static void render_stations(text *t, PGconn *db)
{
	PGresult *r = PQexec(db, "SELECT id, station_seq, max_seq, records, rejected, "
				 "coalesce(extract(epoch FROM last_post_at)::bigint, 0) FROM stations "
				 "ORDER BY id");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		put(t, "forecourt_hq_database_up 0\n");
		return;
	}
	put(t, "forecourt_hq_database_up 1\n");
	static const char *const names[] = { NULL, "station_seq", "station_max_seq",
					     "station_records", "station_rejected",
					     "station_last_post_seconds" };
	static const char *const helps[] = {
		NULL, "Highest contiguous seq received from the station",
		"Highest seq received from the station", "Records applied for the station",
		"Records refused for the station", "Unix time of the station's last post"
	};
	for (int col = 1; col <= 5; col++) {
		put(t, "# HELP forecourt_hq_%s %s\n# TYPE forecourt_hq_%s gauge\n", names[col],
		    helps[col], names[col]);
		for (int i = 0; i < PQntuples(r); i++) {
			char id[64];
			label_safe(PQgetvalue(r, i, 0), id, sizeof id);
			put(t, "forecourt_hq_%s{station=\"%s\"} %s\n", names[col], id,
			    PQgetvalue(r, i, col));
		}
	}
	put(t, "# HELP forecourt_hq_station_lag Seqs seen but not yet contiguous (a gap)\n"
	       "# TYPE forecourt_hq_station_lag gauge\n");
	for (int i = 0; i < PQntuples(r); i++) {
		char id[64];
		label_safe(PQgetvalue(r, i, 0), id, sizeof id);
		put(t, "forecourt_hq_station_lag{station=\"%s\"} %lld\n", id,
		    strtoll(PQgetvalue(r, i, 2), NULL, 10) - strtoll(PQgetvalue(r, i, 1), NULL, 10));
	}
	PQclear(r);
}

char *hq_metrics_render(PGconn *db, size_t *len)
{
	text t = { .buf = malloc(8192), .cap = 8192 };
	if (!t.buf)
		return NULL;
	put(&t, "# HELP forecourt_hq_requests_total HTTP requests by path and status\n"
		"# TYPE forecourt_hq_requests_total counter\n");
	for (int p = 0; p < HQ_PATH_COUNT; p++)
		for (size_t c = 0; c <= CODE_COUNT; c++) {
			uint_fast64_t n = atomic_load(&requests[p][c]);
			if (!n)
				continue;
			if (c < CODE_COUNT)
				put(&t, "forecourt_hq_requests_total{path=\"%s\",code=\"%d\"} %" PRIuFAST64 "\n",
				    path_names[p], codes[c], n);
			else
				put(&t, "forecourt_hq_requests_total{path=\"%s\",code=\"other\"} %" PRIuFAST64 "\n",
				    path_names[p], n);
		}
	put(&t, "# HELP forecourt_hq_records_total Station records by result\n"
		"# TYPE forecourt_hq_records_total counter\n"
		"forecourt_hq_records_total{result=\"accepted\"} %" PRIuFAST64 "\n"
		"forecourt_hq_records_total{result=\"duplicate\"} %" PRIuFAST64 "\n"
		"forecourt_hq_records_total{result=\"rejected\"} %" PRIuFAST64 "\n",
	    atomic_load(&records_accepted), atomic_load(&records_duplicate),
	    atomic_load(&records_rejected));
	put(&t, "# HELP forecourt_hq_batch_seconds Time to apply one POST /v1/records\n"
		"# TYPE forecourt_hq_batch_seconds histogram\n");
	uint_fast64_t cum = 0;
	for (size_t i = 0; i < BUCKET_COUNT; i++) {
		cum += atomic_load(&batch_bucket[i]);
		put(&t, "forecourt_hq_batch_seconds_bucket{le=\"%g\"} %" PRIuFAST64 "\n", buckets[i],
		    cum);
	}
	cum += atomic_load(&batch_bucket[BUCKET_COUNT]);
	put(&t, "forecourt_hq_batch_seconds_bucket{le=\"+Inf\"} %" PRIuFAST64 "\n"
		"forecourt_hq_batch_seconds_sum %.6f\n"
		"forecourt_hq_batch_seconds_count %" PRIuFAST64 "\n",
	    cum, (double)atomic_load(&batch_micros) / 1e6, atomic_load(&batch_count));
	put(&t, "# HELP forecourt_hq_master_lines_total Master-data lines sent\n"
		"# TYPE forecourt_hq_master_lines_total counter\n"
		"forecourt_hq_master_lines_total %" PRIuFAST64 "\n",
	    atomic_load(&master_lines));
	put(&t, "# HELP forecourt_hq_database_up Whether the database answered this scrape\n"
		"# TYPE forecourt_hq_database_up gauge\n");
	if (db)
		render_stations(&t, db);
	else
		put(&t, "forecourt_hq_database_up 0\n");
	if (t.failed) {
		free(t.buf);
		return NULL;
	}
	*len = t.len;
	return t.buf;
}
