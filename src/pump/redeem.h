/* redeem.h — spending points at the pump (100 points = 1 yuan), never below
 * zero, capped per customer and day while offline. */
#ifndef FC_REDEEM_H
#define FC_REDEEM_H

#include <sqlite3.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "base/uuid.h"

typedef struct fc_redeem_result {
	char id[UUID_STR_LEN];
	int64_t points, value_fen, points_balance;
} fc_redeem_result;

/* Redeem points for card_id: never below zero; while offline
 * (lookup_points_offline) at most [points] offline_daily_cap per customer
 * per station-local day (both FC_ERR_LIMIT with the numbers).  Redemption
 * row, ledger row (-points), outbox record "redemption" and audit row share
 * one transaction and out->id.  Blocked: FC_ERR_BLOCKED plus a
 * blocked_card_seen record; unknown: FC_ERR_NOT_FOUND. */
fc_status redeem_points(sqlite3 *db, const fc_config *cfg, const char *card_id,
			int64_t points, int64_t staff_id, fc_redeem_result *out,
			fc_error *err);

#endif
