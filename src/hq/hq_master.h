/* hq_master.h — GET /v1/master as a stream: every master change (customers,
 * cards, blocked cards, tiers, prices, holidays) with a version above since,
 * in version order, at most limit lines, read from one REPEATABLE READ
 * snapshot through a cursor (bounded memory whatever the size), then the
 * line {"kind":"version","version":"V"} with the version to ask since next.
 * The lines are those the station's master pull and `forecourt import`
 * read. */
#ifndef FC_HQ_MASTER_H
#define FC_HQ_MASTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/status.h"

typedef struct hq_master_stream hq_master_stream;

/* Open a stream for station on its own connection (conninfo): it lives as
 * long as the response and must not share a worker's connection.  Customer
 * lines carry the balance as station must see it: head office's, with
 * station's own movements included up to points_seq (its contiguous seq). */
fc_status hq_master_open(const char *conninfo, const char *station, int64_t since,
			 int64_t limit, hq_master_stream **out, fc_error *err);

/* Up to max bytes of the reply into buf: the count, 0 at the end, -1 when
 * the database failed (the reply is cut short: the station sees no version
 * line and applies nothing). */
ssize_t hq_master_read(hq_master_stream *m, char *buf, size_t max);

/* Lines sent so far (without the version line). */
int64_t hq_master_lines(const hq_master_stream *m);

void hq_master_close(hq_master_stream *m);

/* Parse the since= value: "" or digits (a version this service gave). */
bool hq_master_parse_version(const char *text, int64_t *out);

#endif
