/* seed_extra.h — the demo generator's smaller parts: each visit's money and
 * points, points balances, approved discounts, complaints and meta keys. */
#ifndef FC_SEED_EXTRA_H
#define FC_SEED_EXTRA_H

#include <sqlite3.h>
#include <stdint.h>

#include "seeds/seed.h"
#include "seeds/seed_plan.h"

#define SEED_UUID_LEN 37

/* What visit k of customer c was: card, pump, grade, litres, money, points. */
typedef struct seed_visit_row {
	int card_index;     /* among the customer's cards; never a blocked one */
	int pump;
	int grade;          /* index in cfg->grades */
	int64_t volume_ml;
	int price_fen;      /* list price per litre */
	int64_t discount_fen, amount_fen; /* amount = list price x volume - discount */
	int64_t points;     /* litres x per_litre x the tier's multiplier */
} seed_visit_row;

void seed_extra_visit_row(const seed_options *opt, const seed_plan *plan, long c, int k,
			  seed_visit_row *out);

/* Synced points balance of customer c: earned minus what was redeemed. */
int64_t seed_extra_points_balance(const seed_options *opt, const seed_plan *plan, long c);

/* Approved discount in fen per litre for a tier (0: none). */
int seed_extra_discount(fc_tier tier);

/* A UUIDv7 for instant ms whose random part comes from bits. */
void seed_uuid(int64_t ms, uint64_t bits, char out[SEED_UUID_LEN]);

/* Canonical card id (10 uppercase hex digits, EM4100 style) of card index i;
 * ids grow with i, so cards are inserted in key order. */
void seed_card_id(const seed_options *opt, long i, char out[16]);

/* The prices rows: every configured grade for the tiers with a discount. */
fc_status seed_extra_prices(sqlite3 *db, const seed_options *opt, fc_error *err);

/* Six complaints: four open (one overdue), two closed. */
fc_status seed_extra_complaints(sqlite3 *db, const seed_options *opt, const seed_plan *plan,
				fc_error *err);

/* meta demo_seed, demo_customers, demo_reference and, last, demo_complete. */
fc_status seed_extra_meta(sqlite3 *db, const seed_options *opt, const seed_plan *plan,
			  fc_error *err);

#endif
