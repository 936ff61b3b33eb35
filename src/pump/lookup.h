/* lookup.h — the swipe decision and the pump-side records: card -> customer
 * -> tier, green lane, points, discounts; recording a visit, a redemption,
 * a new customer.  One code path for the kiosk and the headless commands
 * (lookup, visit, redeem). */
#ifndef FC_LOOKUP_H
#define FC_LOOKUP_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/domain.h"
#include "base/status.h"
#include "base/uuid.h"

typedef struct fc_discount {
	char grade[16];
	int fen_per_litre; /* approved discount from head office */
} fc_discount;

/* Everything the swipe screen shows, filled by lookup_card. */
typedef struct fc_card_view {
	char card_id[80];          /* canonical id */
	char card_masked[24];      /* "****1234" */
	bool registered;           /* false: unknown card, nothing else is set */
	bool blocked;              /* true: show the red warning, no benefits */
	char blocked_reason[128];
	int64_t customer_id;
	char customer_code[32];
	char name[128];
	char phone[32];
	char plate[32];
	fc_nature nature;
	fc_industry industry;
	fc_stability stability;
	bool won_back;             /* lost customer swiping again */
	fc_tier tier;
	bool tier_from_hq;
	bool green_lane;
	int pumps[CONFIG_MAX_LIST]; /* dedicated pumps, when green_lane */
	int pump_count;
	int64_t points;            /* last synced balance + local movements */
	bool points_stale;         /* last sync older than [points] stale_after */
	fc_discount discounts[CONFIG_MAX_LIST];
	int discount_count;
	const char *owner_key;     /* who maintains: "branch_manager", ... (static) */
	bool callback_due;
	char last_visit_at[32];
	int callbacks_done;        /* this station-local month */
	int callbacks_required;    /* [callbacks] for the tier (+ swing extra) */
} fc_card_view;

#define LOOKUP_CARD_MAX 64 /* hex digits of a canonical card id */

/* Canonical card id: surrounding blanks trimmed, hex letters uppercased;
 * 1..LOOKUP_CARD_MAX hex digits, else FC_ERR_INVALID saying what is wrong.
 * out has room for LOOKUP_CARD_MAX + 1 bytes (fc_card_view.card_id). */
fc_status lookup_canonical_card(const char *raw, char out[80], fc_error *err);

/* "****1234" (last 4 only; shorter ids are all stars) into out[24]. */
void lookup_mask_card(const char *card_id, char out[24]);

/* Who maintains a tier (domain.md): "branch_manager", "branch_retail_dept",
 * "business_dept_manager", "station_head_or_attendant", "station_head",
 * "station_staff".  Static storage. */
const char *lookup_owner_key(fc_tier tier);

/* Points a visit earns: floor(litres x [points] per_litre x multiplier of
 * tier), integer arithmetic; volume_ml <= VISIT_MAX_ML. */
int64_t lookup_points_for(const fc_config *cfg, fc_tier tier, int64_t volume_ml);

/* Balance = customers.points_synced + unsynced points_ledger deltas. */
fc_status lookup_points_balance(sqlite3 *db, int64_t customer_id, int64_t *balance,
				fc_error *err);

/* True when the balance may be out of date: meta 'last_upload_ok_at' (UTC
 * ISO-8601, written by the uploader after each successful delivery) is
 * absent or older than [points] stale_after_minutes at now_ms. */
bool lookup_points_offline(sqlite3 *db, const fc_config *cfg, int64_t now_ms);

/* Look a card up.  An unknown card is FC_OK with registered = false;
 * a blocked card is FC_OK with blocked = true.  Read-only. */
fc_status lookup_card(sqlite3 *db, const fc_config *cfg, const char *card_id,
		      fc_card_view *out, fc_error *err);

#define VISIT_MAX_ML 100000000LL    /* points arithmetic bound (lookup_points_for) */
#define VISIT_FUEL_MAX_ML 2000000LL /* 2 000 litres at most in one fuelling */
#define VISIT_MAX_FEN 10000000000LL /* 100 million yuan */
#define VISIT_PUMP_MAX 99           /* pumps are numbered 1..99 */

typedef struct fc_visit_input {
	const char *card_id;   /* NULL or "" for an anonymous visit */
	int pump;              /* >= 1 */
	const char *grade;     /* one of cfg->grades */
	int64_t volume_ml;     /* one of volume_ml / amount_fen > 0, the other 0 */
	int64_t amount_fen;    /* the missing one comes from the price table */
	int64_t staff_id;      /* 0 = none */
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

typedef struct fc_customer_input {
	const char *card_id;   /* the unknown card to link (canonicalised here) */
	const char *name;      /* required */
	const char *phone, *plate; /* optional ("" or NULL) */
	fc_nature nature;
	fc_industry industry;
	int64_t staff_id;      /* 0 = none */
} fc_customer_input;

typedef struct fc_customer_result {
	char id[UUID_STR_LEN];  /* the customer_registered record id */
	int64_t customer_id;
	char code[32];          /* generated: STATION-N-II-NNNNNN */
} fc_customer_result;

/* Register a new customer from an unknown card on the spot: stability
 * 'potential', tier 'ordinary' (local), a generated customer code that
 * sorts by station, nature and industry ("S0001-B-LG-000001"), the card
 * linked ('unit' for big, 'personal' for individual), the outbox record
 * "customer_registered" and an audit row, in one transaction.
 * A card already known: FC_ERR_EXISTS. */
fc_status customer_register(sqlite3 *db, const fc_config *cfg, const fc_customer_input *in,
			    fc_customer_result *out, fc_error *err);

#endif
