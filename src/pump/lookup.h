/* lookup.h — the swipe decision: card -> customer -> tier, green lane,
 * points, discounts.  One code path for the kiosk and `forecourt lookup`.
 * The pump's records are pump/visit.h, pump/redeem.h, pump/register.h. */
#ifndef FC_LOOKUP_H
#define FC_LOOKUP_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/domain.h"
#include "base/status.h"
#include "base/uuid.h"
#include "store/record.h"

typedef struct fc_discount {
	char grade[16];
	int fen_per_litre; /* approved discount from head office */
} fc_discount;

/* Everything the swipe screen shows, filled by lookup_card. */
typedef struct fc_card_view {
	char card_id[80];          /* canonical id */
	char card_masked[24];      /* "****1234" */
	bool details;              /* true: every field (lookup_card); false: only the
				      decision's (lookup_decision, see there) */
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
	fc_stability stability;    /* stored, brought up to date with the last purchase anywhere */
	bool won_back;             /* lost customer (as shown) swiping again */
	fc_tier tier;
	bool tier_from_hq;
	bool tier_provisional;     /* from the declared yearly demand (no half-year litres yet):
				      owner and callbacks follow it, the green lane does not */
	bool green_lane;
	int pumps[CONFIG_MAX_LIST]; /* dedicated pumps, when green_lane */
	int pump_count;
	int64_t points;            /* last synced balance + local movements */
	bool points_stale;         /* last sync older than [points] stale_after */
	fc_discount discounts[CONFIG_MAX_LIST];
	int discount_count;
	const char *owner_key;     /* who maintains: "branch_manager", ... (static) */
	int64_t owner_staff;       /* the named owner's staff number at the home station, 0 unknown */
	char owner_name[128];      /* "" unknown */
	char home_station[32];     /* the owner's station, "" unknown (treated as this one) */
	bool callback_owed;        /* this station owes the callbacks (callback_station_owes) */
	bool callback_due;         /* owed and behind: the customer is on the F8 list */
	bool callback_holiday;     /* due for the holiday ahead */
	char callback_special[16]; /* due for a care call: "birthday" or "anniversary", "" not */
	char callback_special_date[11]; /* that day, YYYY-MM-DD */
	char last_visit_at[32];    /* the last visit here (or as the archive had it) */
	char last_purchase_at[32]; /* at any station: the later of it and head office's */
	int callbacks_done;        /* callbacks and visit reports, this station-local month */
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

/* Add the points_ledger row of rec: delta points (negative for a
 * redemption) for customer_id, reason "earn" or "redeem", at
 * rec->created_at.  Inside the caller's write transaction.  Its seq is
 * rec->seq when rec is already queued (record_save ran before: the
 * visit, no trigger rewrites the row), else the trigger on the outbox
 * row fills it in. */
fc_status lookup_points_add(sqlite3 *db, const fc_record *rec, int64_t customer_id,
			    int64_t delta, const char *reason, fc_error *err);

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

/* The at-a-glance decision of a card, from the card's row alone (one
 * indexed read; migration 14 keeps the customer's nature, tier and
 * provisional flag on it): card_id, card_masked, registered, blocked and
 * blocked_reason, customer_id, nature, tier, tier_provisional, green_lane
 * and pumps, decided as lookup_card decides them; every other field zero
 * and details false.  What the swipe screen draws at once; lookup_card
 * then reads the rest (and the decision again, in its own snapshot: what
 * it finds replaces this).  An unknown card is FC_OK with registered =
 * false.  Read-only, outside or inside a transaction. */
fc_status lookup_decision(sqlite3 *db, const fc_config *cfg, const char *card_id,
			  fc_card_view *out, fc_error *err);

/* Every card's copy of its customer's decision columns made again from
 * the customers (migration 14's triggers keep it; a load made without
 * them, the demo generator's, calls this after).  One transaction. */
fc_status lookup_decision_rebuild(sqlite3 *db, fc_error *err);

/* Some card of the database, cheaply (two index seeks, whatever the size):
 * the first card of the customer at or after position pick modulo the
 * highest customer id with a card; the demo reader's F2 passes a random
 * pick.  card_id gets the canonical id.  FC_ERR_NOT_FOUND when there are
 * no cards.  Read-only. */
fc_status lookup_pick_card(sqlite3 *db, uint64_t pick, char card_id[80], fc_error *err);

#endif
