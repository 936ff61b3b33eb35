/* master.h — master data from head office (customers, cards, tiers, blocked
 * cards, approved prices, holidays), pulled as NDJSON and applied whole.
 *
 * Line format (one JSON object a line; keys as in the import CSV columns):
 *   {"kind":"customer","code","name","nature","industry"[,"tier","points",
 *     "phone","plate","contact","address","fuel_grades","yearly_litres",
 *     "refuel_cycle_days","other_channels","potential_needs",
 *     "person_in_charge","handler","special_needs"]}
 *   {"kind":"card","card_id","customer_code","card_kind"
 *     ("unit"|"personal")[,"status" ("active"|"blocked")]}
 *   {"kind":"blocked","card_id"[,"reason"]}
 *   {"kind":"tier","customer_code","tier"[,"period"]}
 *   {"kind":"price","grade","tier","nature","discount_fen_per_litre"}
 *   {"kind":"holiday","date","day_kind" ("holiday"|"workday")[,"name"]}
 *   {"kind":"version","version":"V"}        <- the last line, required
 * Text fields are JSON strings; number fields JSON integers or digit strings.
 * Unknown fields are refused.  ("kind" names the line, so the CSV column
 * 'kind' of cards and holidays is card_kind / day_kind here.)  "industry"
 * is optional (default other).  A customer line with "points" sets the last
 * synced balance (customers.points_synced) and marks synced the customer's
 * ledger rows whose records head office has acknowledged (not pending or
 * dead in the outbox): its balance includes exactly those. */
#ifndef FC_MASTER_H
#define FC_MASTER_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

typedef struct master_result {
	int64_t lines;        /* data lines applied */
	int64_t skipped;      /* blocked cards unknown here */
	char version[128];    /* the new meta 'master_version' */
} master_result;

/* Apply an NDJSON master-data text in one transaction and set meta
 * 'master_version'.  Any bad line rejects everything: FC_ERR_INVALID with
 * "SOURCE line N: why" and nothing changed. */
fc_status master_apply(sqlite3 *db, const char *text, size_t len, const char *source,
		       master_result *res, fc_error *err);

#endif
