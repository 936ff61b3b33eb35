/* visit.h — a fuelling: the one input check for the CLI and the kiosk, and
 * the visit row, points ledger, outbox record and audit row in one
 * transaction; the record of a blocked card presented at the pump. */
#ifndef FC_VISIT_H
#define FC_VISIT_H

#include <sqlite3.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "base/uuid.h"
#include "pump/lookup.h"

#define VISIT_MAX_ML 100000000LL    /* points arithmetic bound (lookup_points_for) */
#define VISIT_FUEL_MAX_ML 2000000LL /* 2 000 litres at most in one fuelling */
#define VISIT_MAX_FEN 10000000000LL /* 100 million yuan */
#define VISIT_PUMP_MAX 99           /* pumps are numbered 1..99 */

typedef struct fc_visit_input {
	const char *card_id;   /* NULL for an anonymous visit ("" is refused) */
	int pump;              /* >= 1 */
	const char *grade;     /* one of cfg->grades */
	int64_t volume_ml;     /* one of volume_ml / amount_fen > 0, the other 0 */
	int64_t amount_fen;    /* the missing one comes from the price table */
	int64_t staff_id;      /* 0 = none */
	const char *via;       /* "cli": named in the audit row when staff_id is 0 (audit_by) */
} fc_visit_input;

typedef struct fc_visit_result {
	char id[UUID_STR_LEN];  /* the visit id = outbox id = ledger record_id */
	int64_t seq;
	int64_t volume_ml, amount_fen, discount_fen;
	int64_t points_earned;
	int64_t points_balance;  /* after the visit */
	bool won_back;
	int64_t price_fen_per_litre; /* list price - discount; 0 = no price configured */
	fc_tier tier;            /* the tier at the visit (not for anonymous) */
	bool anonymous;
} fc_visit_result;

/* The one check of a fuelling's input, for the CLI and the kiosk alike:
 * grade configured (*grade_index receives its index), pump 1..VISIT_PUMP_MAX,
 * exactly one of volume_ml / amount_fen above zero, volume at most
 * VISIT_FUEL_MAX_ML, amount at most VISIT_MAX_FEN.  FC_ERR_INVALID naming the
 * field.  visit_record calls it too (and checks the litres an amount buys). */
fc_status visit_check_input(const fc_config *cfg, const fc_visit_input *in, int *grade_index,
			    fc_error *err);

/* Record a fuelling: visit row, points ledger, outbox and audit in one
 * BEGIN IMMEDIATE transaction.  A blocked card: FC_ERR_BLOCKED, nothing
 * stored but a blocked_card_seen record.  Unknown card: FC_ERR_NOT_FOUND.
 * Bad input (grade not in [fuel] grades, both or neither of volume/amount,
 * pump < 1, malformed card id, an amount for a grade without a price):
 * FC_ERR_INVALID with the reason.  Disk full: FC_ERR_DB_FULL and nothing
 * stored, the same input can be retried.  A lost customer is won back
 * (out->won_back, visit won_back = 1); lost or potential become current.
 * out is complete only on FC_OK. */
fc_status visit_record(sqlite3 *db, const fc_config *cfg, const fc_visit_input *in,
		       fc_visit_result *out, fc_error *err);

/* Record that a blocked card was presented (record type
 * "blocked_card_seen", data {card, customer_code, where}, with an audit row
 * naming only the masked card) in a transaction of its own.  where says
 * what happened: "swipe", "visit", "redeem", "lookup".  id_out may be NULL. */
fc_status visit_record_blocked_seen(sqlite3 *db, const fc_config *cfg, const char *card_id,
				    const char *where, int64_t staff_id, char *id_out,
				    fc_error *err);

/* The same inside the caller's write transaction (for visit and redeem). */
fc_status visit_enqueue_blocked_seen(sqlite3 *db, const fc_config *cfg,
				     const fc_card_view *view, const char *where,
				     int64_t staff_id, char *id_out, fc_error *err);

/* The pump a terminal used last ("ui_last_pump:" + terminal in meta), so
 * its next fuelling starts there: 1 when none is kept or it is out of
 * 1..VISIT_PUMP_MAX. */
int visit_pump_last(sqlite3 *db, const char *terminal);

/* Keep pump as the terminal's last pump (a write of its own). */
fc_status visit_pump_remember(sqlite3 *db, const char *terminal, int pump, fc_error *err);

/* True for a pump number 1..VISIT_PUMP_MAX, the pumps visit_check_input
 * takes (the kiosk checks its pump field alone with it). */
bool visit_pump_valid(int pump);

#endif
