/* hq_admin.h — head office's operator commands on master data and its
 * figures: block a card for every station, and the stats report. */
#ifndef FC_HQ_ADMIN_H
#define FC_HQ_ADMIN_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/status.h"

/* Block card_id (uppercase hex) for the whole chain with reason: a new
 * master version every station pulls.  FC_ERR_INVALID on a bad card id or
 * an empty reason. */
fc_status hq_admin_block(PGconn *db, const char *card_id, const char *reason, FILE *out,
			 fc_error *err);

/* Counts of stations, records by type, rejected records, master data, and
 * per station its contiguous seq, gap and last post; JSON when json. */
fc_status hq_admin_stats(PGconn *db, bool json, FILE *out, fc_error *err);

#endif
