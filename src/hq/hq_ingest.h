/* hq_ingest.h — one POST /v1/records batch: parse the NDJSON body (bounded
 * lines and records), check every record, and apply the good ones with
 * their effects in one PostgreSQL transaction.  A record id already stored
 * is accepted with no second effect; a bad record is rejected with a code
 * and a message (never the whole batch); the station's contiguous seq
 * advances over every seq it has sent (applied or refused). */
#ifndef FC_HQ_INGEST_H
#define FC_HQ_INGEST_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

typedef struct hq_ingest_limits {
	size_t line_max;  /* bytes of one line */
	size_t batch_max; /* records of one body */
	const char *timezone; /* the stations' local time ([chain] timezone) */
} hq_ingest_limits;

typedef struct hq_ingest_result {
	int http_status;    /* 200, or 400/413 for a body refused whole */
	json_t *reply;      /* the JSON to send back (caller json_decref's it) */
	int64_t accepted;   /* newly applied */
	int64_t duplicates; /* already stored: accepted again, no effect */
	int64_t rejected;
	int64_t station_seq; /* the station's contiguous seq after the batch */
	int64_t max_seq;     /* the highest seq it has sent */
} hq_ingest_result;

/* Ingest body (len bytes) posted as station.  FC_OK with res filled (also
 * for a 400/413, whose reply says why: "line N: ..."); FC_ERR_DB/FC_ERR_NET
 * when the database failed (nothing applied: the station retries). */
fc_status hq_ingest_batch(PGconn *db, const char *station, const char *body, size_t len,
			  const hq_ingest_limits *lim, hq_ingest_result *res, fc_error *err);

/* Name an owner for the customers of station (NULL: every station) that
 * have none, or whose owner left, by the tiers' maintenance rule (inside
 * the caller's transaction, under the master lock). */
fc_status hq_ingest_assign_owners(PGconn *db, const char *station, fc_error *err);

#endif
