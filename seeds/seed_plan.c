/* seed_plan.c — who the demo customers are and when they fuel: classes by
 * weighted draws, visit schedules per stability class, tiers from litres. */
#include "seeds/seed_plan.h"

#include "customers/tiers.h"

#include <stdio.h>
#include <stdlib.h>

#include "seeds/seed_rng.h"

#define PLAN_SALT 0x706c616eULL   /* "plan" */
#define TIME_SALT 0x74696d65ULL   /* "time" */
#define VOL_SALT 0x766f6cULL      /* "vol" */
#define CARD_SALT 0x63617264ULL   /* "card" */
#define WINDOW_DAYS 180           /* six months of visits, kept inside the half year */
#define DAY_S 86400

/* Weighted draw over a small table of percent weights summing to 100. */
static int plan_draw(seed_rng *r, const int *weights, int count)
{
	int x = (int)(seed_rng_next(r) % 100);
	for (int i = 0; i < count; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return count - 1;
}

static const int big_industry_w[INDUSTRY_COUNT] = { 15, 30, 10, 12, 15, 8, 10 };
static const int ind_industry_w[INDUSTRY_COUNT] = { 3, 12, 15, 2, 3, 10, 55 };
static const int stability_w[STABILITY_COUNT] = { 58, 17, 17, 8 }; /* current lost potential swing */
static const int big_tier_w[4] = { 10, 20, 35, 35 };  /* diamond gold silver ordinary */
static const int ind_tier_w[4] = { 4, 10, 26, 60 };   /* platinum gold silver ordinary */

/* Litres of one visit row: a car's fill for individuals, a fleet's session
 * (several vehicles on one unit card) for big customers. */
static int plan_fill_litres(fc_nature nature, fc_industry industry)
{
	static const int big[INDUSTRY_COUNT] = { 400, 600, 300, 150, 300, 200, 200 };
	static const int ind[INDUSTRY_COUNT] = { 60, 150, 50, 50, 60, 80, 45 };
	return nature == NATURE_BIG ? big[industry] : ind[industry];
}

fc_tier seed_tier_for_litres(const fc_config *cfg, fc_nature nature, int64_t litres)
{
	/* The same rule evaluate-tiers applies, so demo tiers agree with it. */
	return tiers_for_volume(cfg, nature, litres * 1000);
}

/* Target half-year litres for a drawn tier band (0 = top .. 3 = ordinary). */
static int64_t plan_target_litres(seed_rng *r, const fc_config *cfg, fc_nature nature, int band)
{
	int t[3];
	if (nature == NATURE_BIG) {
		t[0] = cfg->tier_big_diamond, t[1] = cfg->tier_big_gold, t[2] = cfg->tier_big_silver;
	} else {
		t[0] = cfg->tier_ind_platinum, t[1] = cfg->tier_ind_gold, t[2] = cfg->tier_ind_silver;
	}
	switch (band) {
	case 0:
		return seed_rng_range(r, t[0], (int64_t)t[0] * 2);
	case 1:
		return seed_rng_range(r, t[1], t[0] > t[1] ? t[0] - 1 : t[1]);
	case 2:
		return seed_rng_range(r, t[2], t[1] > t[2] ? t[1] - 1 : t[2]);
	default:
		return seed_rng_range(r, 20, t[2] > 21 ? t[2] - 1 : 21);
	}
}

static int plan_grade(const fc_config *cfg, const char *name, int fallback)
{
	int g = config_grade_index(cfg, name);
	return g >= 0 ? g : (fallback < cfg->grade_count ? fallback : 0);
}

/* Visit segments by stability class; see domain.md for the definitions. */
static void plan_schedule(seed_rng *r, const seed_options *opt, seed_customer *p, int n)
{
	int lost_after = opt->cfg->lost_after_days;
	int slot_max = lost_after - 2 < 28 ? lost_after - 2 : 28;
	if (slot_max < 1)
		slot_max = 1;
	p->nb = 0;
	p->b_start_s = p->b_span_s = 0;
	switch ((fc_stability)p->stability) {
	case STABILITY_POTENTIAL:
		p->na = 0;
		p->a_start_s = p->a_span_s = 0;
		return;
	case STABILITY_CURRENT: {
		/* Evenly spread up to the reference, at most slot_max days apart:
		 * the last visit is always recent. */
		int span = n * (int)seed_rng_range(r, 7, slot_max > 7 ? slot_max : 7);
		if (span > WINDOW_DAYS)
			span = WINDOW_DAYS;
		if (span > n * slot_max)
			span = n * slot_max;
		if (span < 1)
			span = 1;
		p->na = (uint8_t)n;
		p->a_start_s = span * DAY_S;
		p->a_span_s = span * DAY_S;
		return;
	}
	case STABILITY_LOST: {
		/* Stopped more than lost_after_days (+2 for the opening-hours shift) ago. */
		int end = lost_after + 2 + (int)seed_rng_range(r, 0, 60);
		if (end > WINDOW_DAYS - 7)
			end = WINDOW_DAYS - 7;
		int span = n * (int)seed_rng_range(r, 7, 28);
		if (span > WINDOW_DAYS - end)
			span = WINDOW_DAYS - end;
		p->na = (uint8_t)n;
		p->a_start_s = (end + span) * DAY_S;
		p->a_span_s = span * DAY_S;
		return;
	}
	case STABILITY_SWING:
	default:
		/* Regular in the 90 days before the last 30, then a thin month:
		 * fewer visits of smaller volume (seed_visit_ml), so the last 30
		 * days' litres fall by at least swing_drop_percent. */
		p->na = (uint8_t)(n < 3 ? 3 : n > opt->max_visits - 1 ? opt->max_visits - 1 : n);
		p->nb = (uint8_t)(p->na / 6 > 1 ? p->na / 6 : 1);
		p->a_start_s = 119 * DAY_S; /* days 119..31 before: inside the 90 */
		p->a_span_s = 88 * DAY_S;
		p->b_start_s = 29 * DAY_S;  /* days 29..1 before: the last 30 */
		p->b_span_s = 28 * DAY_S;
		return;
	}
}

static void plan_one(const seed_options *opt, seed_customer *p, long c, long *next_card)
{
	const fc_config *cfg = opt->cfg;
	seed_rng r;
	seed_rng_init(&r, opt->seed ^ PLAN_SALT, (uint64_t)c);

	p->nature = seed_rng_chance(&r, 18) ? NATURE_BIG : NATURE_INDIVIDUAL;
	fc_nature nature = (fc_nature)p->nature;
	p->industry = (uint8_t)plan_draw(&r, nature == NATURE_BIG ? big_industry_w : ind_industry_w,
					 INDUSTRY_COUNT);
	p->stability = (uint8_t)plan_draw(&r, stability_w, STABILITY_COUNT);
	int band = plan_draw(&r, nature == NATURE_BIG ? big_tier_w : ind_tier_w, 4);
	int64_t target = plan_target_litres(&r, cfg, nature, band);
	int fill = plan_fill_litres(nature, (fc_industry)p->industry);
	int n = (int)((target + fill / 2) / fill);
	if (n < 1)
		n = 1;
	if (n > opt->max_visits)
		n = opt->max_visits;
	plan_schedule(&r, opt, p, n);
	int visits = p->na + p->nb;
	if (target < visits * 10)
		target = visits * 10; /* at least 10 litres a visit */
	p->base_ml = visits ? (int32_t)(target * 1000 / visits) : 0;

	/* Cards: a company fleet gets 2-13 unit cards, a big private customer
	 * 2-4 personal ones, an individual one (a few also an old, blocked one):
	 * about 2 cards a customer, as the bench's 1M customers / 2M cards. */
	p->company = nature == NATURE_BIG && seed_rng_chance(&r, 75);
	if (nature == NATURE_BIG)
		p->ncards = (uint8_t)(p->company ? seed_rng_range(&r, 2, 13) : seed_rng_range(&r, 2, 4));
	else
		p->ncards = 1;
	p->old_card = nature == NATURE_INDIVIDUAL && seed_rng_chance(&r, 6);
	p->ncards += p->old_card;
	p->first_card = (uint32_t)*next_card;
	*next_card += p->ncards;

	fc_industry ind = (fc_industry)p->industry;
	int diesel = ind == INDUSTRY_LOGISTICS || ind == INDUSTRY_INDUSTRIAL || ind == INDUSTRY_AGRI ||
		     (ind == INDUSTRY_PASSENGER && nature == NATURE_BIG);
	int x = (int)seed_rng_range(&r, 0, 99);
	p->grade = (uint8_t)(diesel ? plan_grade(cfg, "0#", 3)
			     : x < 65 ? plan_grade(cfg, "92#", 0)
			     : x < 95 ? plan_grade(cfg, "95#", 1)
				      : plan_grade(cfg, "98#", 2));
}

/* Opening hours 06:00-22:00 China time (UTC+8) on the day of t, never at or
 * after the reference; moves t by less than a day. */
static int64_t plan_opening_hours(int64_t t, int64_t ref, uint64_t h)
{
	int64_t day = t >= 0 ? t / SEED_DAY_MS : (t - SEED_DAY_MS + 1) / SEED_DAY_MS;
	int64_t tod_s = (22 * 3600 + (int64_t)(h % (16 * 3600))) % DAY_S;
	int64_t out = day * SEED_DAY_MS + tod_s * 1000 + (int64_t)((h >> 20) % 1000);
	if (out >= ref)
		out -= SEED_DAY_MS;
	return out;
}

int64_t seed_visit_ms(const seed_options *opt, const seed_plan *plan, long c, int k)
{
	const seed_customer *p = &plan->customers[c];
	int64_t start, span;
	int idx, cnt;
	if (k < p->na) {
		start = opt->reference_ms - (int64_t)p->a_start_s * 1000;
		span = (int64_t)p->a_span_s * 1000;
		idx = k, cnt = p->na;
	} else {
		start = opt->reference_ms - (int64_t)p->b_start_s * 1000;
		span = (int64_t)p->b_span_s * 1000;
		idx = k - p->na, cnt = p->nb;
	}
	int64_t slot = span / cnt;
	uint64_t h = seed_hash(opt->seed, (uint64_t)c, (uint64_t)k, TIME_SALT);
	int64_t t = start + idx * slot + (int64_t)(h % (uint64_t)(slot > 0 ? slot : 1));
	return plan_opening_hours(t, opt->reference_ms, seed_mix(h));
}

int64_t seed_visit_ml(const seed_options *opt, const seed_plan *plan, long c, int k)
{
	const seed_customer *p = &plan->customers[c];
	uint64_t h = seed_hash(opt->seed, (uint64_t)c, (uint64_t)k, VOL_SALT);
	int64_t ml = (int64_t)p->base_ml * (90 + (int64_t)(h % 21)) / 100;
	if (k >= p->na) {
		/* The swing month: each visit's volume x 3/4 of what is kept, so
		 * with at most a sixth (or one) of the visits and +-10 % jitter
		 * the month stays under (100 - drop) % of the earlier average. */
		ml = ml * (100 - opt->cfg->swing_drop_percent) * 3 / 400;
	}
	ml = ml / 10 * 10; /* dispensers count in centilitres */
	return ml < 1000 ? 1000 : ml;
}

int seed_card_blocked(const seed_options *opt, const seed_plan *plan, long c, int j)
{
	const seed_customer *p = &plan->customers[c];
	if (p->old_card)
		return j == 0;
	if (j == 0 || !p->company)
		return 0; /* every customer keeps a working card; a big private
			     customer keeps all (several cards make him big) */
	return seed_hash(opt->seed, (uint64_t)(p->first_card + (uint32_t)j), 0, CARD_SALT) % 100 < 6;
}

fc_status seed_plan_make(const seed_options *opt, seed_plan *plan, fc_error *err)
{
	plan->count = opt->customers;
	plan->cards = plan->visits = 0;
	plan->customers = calloc((size_t)opt->customers, sizeof *plan->customers);
	if (!plan->customers)
		return fc_error_set(err, FC_ERR_NOMEM, "no memory to plan %ld customers",
				    opt->customers);
	long next_card = 0;
	for (long c = 0; c < opt->customers; c++) {
		seed_customer *p = &plan->customers[c];
		plan_one(opt, p, c, &next_card);
		int n = p->na + p->nb;
		int64_t recent = 0, prior = 0; /* ml in the last 30 days, the 90 before */
		int64_t recent_from = opt->reference_ms - 30 * SEED_DAY_MS;
		for (int k = 0; k < n; k++) {
			int64_t t = seed_visit_ms(opt, plan, c, k), ml = seed_visit_ml(opt, plan, c, k);
			p->total_ml += ml;
			if (t >= recent_from)
				recent += ml;
			else if (t >= recent_from - 90 * SEED_DAY_MS)
				prior += ml;
			if (!p->first_ms || t < p->first_ms)
				p->first_ms = t;
			if (t > p->last_ms)
				p->last_ms = t;
		}
		/* A current customer whose visits happen to bunch before the last
		 * month meets the swing rule: call him what he is. */
		if (p->stability == STABILITY_CURRENT && prior > 0 &&
		    recent * 300 <= prior * (100 - opt->cfg->swing_drop_percent))
			p->stability = STABILITY_SWING;
		p->tier = (uint8_t)seed_tier_for_litres(opt->cfg, (fc_nature)p->nature,
							p->total_ml / 1000);
		plan->visits += n;
	}
	plan->cards = next_card;
	return FC_OK;
}

void seed_plan_free(seed_plan *plan)
{
	free(plan->customers);
	plan->customers = NULL;
}
