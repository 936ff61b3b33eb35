/* hq_import.h — loading the chain's archive at head office: customers,
 * cards, blocked cards, prices, holidays, from the same CSV or NDJSON files
 * the station's `forecourt import` reads (same columns, same checks), whole
 * or not at all: one transaction, every bad row named "FILE:LINE: column
 * 'x': why", nothing changed when any row is bad.  Each stored row gets a
 * new master version, so stations pull it. */
#ifndef FC_HQ_IMPORT_H
#define FC_HQ_IMPORT_H

#include <libpq-fe.h>
#include <stdio.h>

#include "base/status.h"

/* kind: customers | cards | blocked | prices | holidays.  Prints a summary
 * (rows read, inserted, updated) to out; on bad rows prints up to 20 of them
 * to out and returns FC_ERR_INVALID. */
fc_status hq_import_file(PGconn *db, const char *kind, const char *path, FILE *out,
			 fc_error *err);

#endif
