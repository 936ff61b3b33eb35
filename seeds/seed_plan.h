/* seed_plan.h — the demo generator's plan: per customer its classes, cards
 * and visit schedule, computed first so tiers follow the visits' litres. */
#ifndef FC_SEED_PLAN_H
#define FC_SEED_PLAN_H

#include <stdint.h>

#include "base/domain.h"
#include "seeds/seed.h"

#define SEED_DAY_MS 86400000LL

/* One customer of the plan (customer id = index + 1). */
typedef struct seed_customer {
	int64_t total_ml;     /* litres of all its visits, x1000 */
	int64_t first_ms, last_ms; /* first and last visit, 0 when none */
	uint32_t first_card;  /* index of its first card (cards are numbered in order) */
	int32_t base_ml;      /* volume of an average visit */
	int32_t a_start_s, a_span_s; /* visit segment A: starts this many s before the reference */
	int32_t b_start_s, b_span_s; /* segment B (swing customers' thin last month) */
	uint8_t na, nb;       /* visits in segment A and B */
	uint8_t ncards;       /* cards, blocked ones included */
	uint8_t old_card;     /* 1: the first card is an old blocked one */
	uint8_t nature, industry, stability, tier; /* fc_nature, ... (tier from total_ml) */
	uint8_t company;      /* big customer that is a unit (unit cards) */
	uint8_t grade;        /* preferred grade index in cfg->grades */
} seed_customer;

typedef struct seed_plan {
	seed_customer *customers; /* [count], malloc'd; freed by seed_plan_free */
	long count;
	long cards;               /* total cards */
	long visits;              /* total visit rows */
} seed_plan;

/* Plan opt->customers customers.  FC_ERR_NOMEM when memory runs out. */
fc_status seed_plan_make(const seed_options *opt, seed_plan *plan, fc_error *err);
void seed_plan_free(seed_plan *plan);

/* Time (UTC ms) and volume (ml) of visit k of customer index c. */
int64_t seed_visit_ms(const seed_options *opt, const seed_plan *plan, long c, int k);
int64_t seed_visit_ml(const seed_options *opt, const seed_plan *plan, long c, int k);

/* The tier of a nature for half-year litres (whole litres) under cfg. */
fc_tier seed_tier_for_litres(const fc_config *cfg, fc_nature nature, int64_t litres);

/* True when card j (0-based) of customer c is blocked. */
int seed_card_blocked(const seed_options *opt, const seed_plan *plan, long c, int j);

#endif
