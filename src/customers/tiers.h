/* tiers.h — the half-year tier evaluation of domain.md from the station's own
 * visits, the head-office/local precedence ([tiers] prefer) and its history
 * (tiers.c); one customer's provisional tier and its tier after a nature
 * change (tiers_grade.c). */
#ifndef FC_TIERS_H
#define FC_TIERS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/domain.h"
#include "base/status.h"

typedef struct tier_period {
	char name[8];            /* "2026H2" */
	char from[CLOCK_ISO_LEN]; /* first instant (UTC ISO), local midnight of Jan 1 / Jul 1 */
	char to[CLOCK_ISO_LEN];   /* first instant after the period */
} tier_period;

/* Parse "2026H1" / "2026H2" (station-local half years); FC_ERR_USAGE with
 * the accepted form otherwise. */
fc_status tiers_parse_period(const char *text, tier_period *out, fc_error *err);
/* The last half year that ended at or before now_ms. */
void tiers_last_period(int64_t now_ms, tier_period *out);

/* FC_OK when period has ended at now_ms; FC_ERR_INVALID naming when it
 * ends otherwise (a half year still running, or to come, has no litres
 * to judge a tier by: every customer would drop to ordinary). */
fc_status tiers_check_period_ended(const tier_period *period, int64_t now_ms, fc_error *err);

/* The tier that volume_ml earns with nature's thresholds of [tiers]
 * (whole litres: 1 999.999 L is 1 999 L). */
fc_tier tiers_for_volume(const fc_config *cfg, fc_nature nature, int64_t volume_ml);

/* The provisional tier of declared demand: yearly_litres (whole litres a
 * year, the archive's yearly_litres) judged as half of it a half year
 * against nature's thresholds of [tiers] (tiers_for_volume).  Pure. */
fc_tier tiers_provisional(const fc_config *cfg, fc_nature nature, int64_t yearly_litres);

/* What tiers_grade / tiers_change_nature decided for one customer. */
typedef struct tier_grade {
	fc_tier old_tier, new_tier;
	fc_nature old_nature, new_nature;
	bool old_provisional, provisional;
	int64_t volume_ml;   /* litres of the last half year that ended, in ml (max of the
				visits here and head office's chain_litres) */
	char period[12];     /* that half year, "2026H1", or "declared" */
	bool changed;        /* a row was written (and a 'tier_changed' record queued) */
} tier_grade;

/* Grade a potential customer by its declared demand (domain.md "a
 * provisional tier"): when customer_id is potential, its tier is the
 * station's (tier_source local) and the last half year holds no litres
 * of it (visits here, chain_litres; an evaluation that found none does not
 * count: tier_evaluated_at is not looked at), its tier becomes
 * tiers_provisional of yearly_litres and tier_provisional 1 (no declared
 * demand: the ordinary tier of its nature, not provisional).  Anything
 * else is left alone.  A change writes the tier, a tier_history row
 * (period "declared") and a 'tier_changed' record {customer_code, nature,
 * old_tier, new_tier, source "local", period "declared", volume_ml (half the
 * declared year), provisional true, reason "declared"}.  Inside the caller's
 * transaction; staff_id 0 = none.  out may be NULL. */
fc_status tiers_grade_declared(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			       int64_t now_ms, int64_t staff_id, tier_grade *out, fc_error *err);

/* Customer customer_id's nature becomes nature (the cards, head office's
 * master data): nature and tier change in one write, the tier evaluated
 * again against the NEW nature's thresholds, never carried over by rank:
 * by the litres of the last half year that ended at now_ms (the larger of
 * the visits here and head office's chain_litres), or, with none, by the
 * declared demand of a potential customer (provisional), else ordinary.
 * The tier becomes the station's (source local) until head office sends
 * its own.  Writes a tier_history row and a 'tier_changed' record
 * {customer_code, nature, old_nature, old_tier, new_tier, source "local",
 * period, volume_ml, provisional, reason "nature_changed"}.  Nothing
 * when the nature is already nature.  Inside the caller's transaction;
 * staff_id 0 = none.  out may be NULL. */
fc_status tiers_change_nature(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			      fc_nature nature, int64_t now_ms, int64_t staff_id, tier_grade *out,
			      fc_error *err);

/* A customer whose nature head office's master data changed without a
 * tier (tier_regrade holds the old "nature tier"; the import set the
 * ordinary tier of the new nature meanwhile): its tier evaluated as
 * tiers_change_nature does, recorded with the old nature and tier, the
 * marker cleared.  Nothing without the marker.  Inside the caller's
 * transaction; out may be NULL. */
fc_status tiers_regrade_one(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			    int64_t now_ms, int64_t staff_id, tier_grade *out, fc_error *err);

/* tiers_regrade_one for every marked customer, REGRADE_CHUNK a short
 * transaction of its own (after an import or a master pull; the daily run
 * does it for its chunk too).  *done (may be NULL): how many. */
fc_status tiers_regrade_pending(sqlite3 *db, const fc_config *cfg, int64_t now_ms, int64_t *done,
				fc_error *err);

typedef struct tier_change {
	int64_t customer_id;
	char code[32];
	char name[128];
	fc_tier old_tier, new_tier;
	bool old_from_hq;
	bool old_provisional; /* the old tier was provisional (declared demand) */
	int64_t volume_ml; /* in the period */
} tier_change;

typedef struct tier_evaluation {
	tier_change *changes; /* malloc'd, ordered by new tier then code; tiers_evaluation_free */
	size_t count;
	int64_t evaluated;    /* customers looked at */
	int64_t kept_hq;      /* head-office tiers that won ([tiers] prefer = hq) */
} tier_evaluation;

/* Evaluate every customer over period.  A tier from head office wins
 * unless [tiers] prefer = local.  A provisional tier (declared demand)
 * with no litres in the period stays; with litres, the evaluated tier
 * replaces it even when it is the same tier (a change, old_provisional).
 * Unless dry_run, each change updates the
 * customer (source local) and adds a tier_history row (old, new, local,
 * period, when) and an outbox record 'tier_changed'.  A bulk job
 * (store/bulk.h: waits for another to end): all changes or none, with
 * their records in the same transaction when few; when many, through
 * shadow tables and a short switch, the records (made from the history
 * rows) following in chunks right after it, resumed by
 * tiers_resume_records after a crash.  staff_id 0 = none. */
fc_status tiers_evaluate(sqlite3 *db, const fc_config *cfg, const tier_period *period,
			 bool dry_run, int64_t staff_id, tier_evaluation *out, fc_error *err);

void tiers_evaluation_free(tier_evaluation *ev);

/* The records of an evaluation switched in but not all queued (the
 * program stopped): queued now, unless another bulk job runs (it does
 * that first).  FC_OK when there are none. */
fc_status tiers_resume_records(sqlite3 *db, const fc_config *cfg, fc_error *err);

#endif
