/* hq_chain.h — head office's chain-wide jobs: tiers evaluated from the
 * whole chain's litres of a half-year (with history, pushed as master
 * data), and records a station sent on a USB stick (`forecourt outbox
 * export`) loaded as if posted. */
#ifndef FC_HQ_CHAIN_H
#define FC_HQ_CHAIN_H

#include <libpq-fe.h>
#include <stdio.h>

#include "base/status.h"
#include "hq/hq_config.h"

/* Evaluate every customer's tier from its litres at all stations in period
 * ("2026H2"), by the [tiers] thresholds of its nature, in one transaction:
 * changed tiers get a tier row and history and a new master version; owners
 * follow the new tiers.  Prints the summary to out. */
fc_status hq_chain_evaluate_tiers(PGconn *db, const hq_config *cfg, const char *period,
				  FILE *out, fc_error *err);

/* Load an exported outbox file (NDJSON records of one or more stations):
 * each station's records in batches, with the same checks and effects as
 * POST /v1/records (a record already stored has no second effect). */
fc_status hq_chain_load_records(PGconn *db, const hq_config *cfg, const char *path, FILE *out,
				fc_error *err);

#endif
