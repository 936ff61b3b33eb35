/* lookup.h — the swipe decision and the pump-side records: card -> customer
 * -> tier, green lane, points, discounts; recording a visit, a redemption,
 * a new customer.  One code path for the kiosk and the headless commands
 * (lookup, visit, redeem). */
#ifndef FC_LOOKUP_H
#define FC_LOOKUP_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "domain.h"
#include "status.h"
#include "uuid.h"

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
} fc_card_view;

/* Look a card up.  An unknown card is FC_OK with registered = false;
 * a blocked card is FC_OK with blocked = true.  Read-only. */
fc_status lookup_card(sqlite3 *db, const fc_config *cfg, const char *card_id,
		      fc_card_view *out, fc_error *err);

typedef struct fc_visit_input {
	const char *card_id;   /* NULL or "" for an anonymous visit */
	int pump;
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
} fc_visit_result;

/* Record a fuelling: visit row, points ledger, outbox and audit in one
 * BEGIN IMMEDIATE transaction.  A blocked card: FC_ERR_BLOCKED, nothing
 * stored but a blocked_card_seen record.  Unknown card: FC_ERR_NOT_FOUND. */
fc_status visit_record(sqlite3 *db, const fc_config *cfg, const fc_visit_input *in,
		       fc_visit_result *out, fc_error *err);

typedef struct fc_redeem_result {
	char id[UUID_STR_LEN];
	int64_t points, value_fen, points_balance;
} fc_redeem_result;

/* Redeem points for card_id: never below zero; while offline at most
 * [points] offline_daily_cap per customer per station day (FC_ERR_LIMIT). */
fc_status redeem_points(sqlite3 *db, const fc_config *cfg, const char *card_id,
			int64_t points, int64_t staff_id, fc_redeem_result *out,
			fc_error *err);

#endif
