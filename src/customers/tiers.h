/* tiers.h — the half-year tier evaluation of domain.md from the station's own
 * visits, the head-office/local precedence ([tiers] prefer) and its history. */
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

typedef struct tier_change {
	int64_t customer_id;
	char code[32];
	char name[128];
	fc_tier old_tier, new_tier;
	bool old_from_hq;
	int64_t volume_ml; /* in the period */
} tier_change;

typedef struct tier_evaluation {
	tier_change *changes; /* malloc'd, ordered by new tier then code; tiers_evaluation_free */
	size_t count;
	int64_t evaluated;    /* customers looked at */
	int64_t kept_hq;      /* head-office tiers that won ([tiers] prefer = hq) */
} tier_evaluation;

/* Evaluate every customer over period.  A tier from head office wins
 * unless [tiers] prefer = local.  Unless dry_run, each change updates the
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
