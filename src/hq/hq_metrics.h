/* hq_metrics.h — forecourt-hq's counters for GET /metrics (Prometheus text
 * format): requests by path and status, records accepted, duplicate and
 * rejected, batch latency histogram; per-station seq and lag are read from
 * the database when scraped.  Counters are atomics: any thread may count. */
#ifndef FC_HQ_METRICS_H
#define FC_HQ_METRICS_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	HQ_PATH_RECORDS,
	HQ_PATH_MASTER,
	HQ_PATH_HEALTH,
	HQ_PATH_METRICS,
	HQ_PATH_OTHER,
	HQ_PATH_COUNT
} hq_metrics_path;

void hq_metrics_request(hq_metrics_path path, int status);
void hq_metrics_records(int64_t accepted, int64_t duplicates, int64_t rejected);
void hq_metrics_batch(double seconds);
void hq_metrics_master_lines(int64_t lines);

/* The whole text (malloc'd, *len bytes); db (may be NULL) gives the
 * per-station figures.  NULL when out of memory. */
char *hq_metrics_render(PGconn *db, size_t *len);

#endif
