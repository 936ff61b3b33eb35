/* classify.h — the customer classifications of domain.md: purchase
 * stability from the visits here and the chain's last purchase (current,
 * lost, potential, swing), won-back, nature from the cards, and the
 * composite A/B/C evaluation. */
#ifndef FC_CLASSIFY_H
#define FC_CLASSIFY_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/domain.h"
#include "base/status.h"

/* The last purchase at any of our stations of customer row `c` (SQL, UTC
 * ISO text, '' when none): the later of this station's last visit and head
 * office's chain_last_purchase_at.  The one place the two are combined. */
#define CLASSIFY_LAST_PURCHASE_SQL \
	"max(coalesce(c.last_visit_at, ''), coalesce(c.chain_last_purchase_at, ''))"

/* Stability of one customer at now_ms ([stability] of cfg):
 *   potential  no purchase ever (last_visit_ms == 0);
 *   lost       the last purchase is more than lost_after_days days ago
 *              (exactly lost_after_days days ago still counts as current);
 *   swing      current, but the litres of the last lost_after_days days are
 *              at most (100 - swing_drop_percent) % of the average month of
 *              the 90 days before (prior_ml / 3), when that average is > 0;
 *   current    otherwise.
 * recent_ml: volume in [now - lost_after_days, now]; prior_ml: volume in
 * [now - lost_after_days - 90 days, now - lost_after_days). Pure. */
fc_stability classify_stability(const fc_config *cfg, int64_t now_ms, int64_t last_visit_ms,
				int64_t recent_ml, int64_t prior_ml);

/* The instant lost_after_days before now_ms as UTC ISO text into out: a
 * last purchase before it is lost (ISO text compares like time). */
char *classify_lost_since(const fc_config *cfg, int64_t now_ms, char out[CLOCK_ISO_LEN]);

/* The stored stability (the daily run's) brought up to date with the last
 * purchase at any station (last: CLASSIFY_LAST_PURCHASE_SQL's text, "" or
 * NULL when none; lost_since: classify_lost_since), for head office's
 * facts that arrived since the run: a stored lost or potential customer
 * with a purchase at or after lost_since is current, a stored potential
 * one with an older purchase is lost.  Current and swing stay as stored
 * (swing needs the litres; time passing is the daily run's).  What the
 * swipe (lost: won back when it buys) and the monthly lists show. */
fc_stability classify_stability_seen(fc_stability stored, const char *last,
				     const char *lost_since);

/* Whether a purchase now wins the customer back: its previous purchase at
 * any station (text as above, "" or NULL when none) is before lost_since
 * (even when the daily run has not said lost yet), or none is known and it
 * is stored as lost.  What a visit records. */
bool classify_won_back(fc_stability stored, const char *previous, const char *lost_since);

typedef struct classify_counts {
	int64_t customers;                 /* in the archive */
	int64_t changed;                   /* stability changed by this run */
	int64_t nature_changed;            /* nature changed from the cards (tier re-evaluated) */
	int64_t provisional_changed;       /* potential customers graded by declared demand */
	int64_t composite_evaluated;       /* composite results of this quarter made by this run */
	int64_t by_stability[STABILITY_COUNT];
	int64_t by_class[3];               /* composite A, B, C */
} classify_counts;

/* Customers per transaction of the daily run: short enough that a visit
 * saved on another terminal meanwhile waits a few ms, not the whole run. */
#define CLASSIFY_CHUNK 2000

/* The customers with ids lo..hi: stability (classify_stability on the last
 * purchase at any station: the later of the visits here and head office's
 * chain_last_purchase_at; potential = no purchase at any station; current,
 * not swing, when the chain saw a later purchase than this station did: its
 * litres here tell nothing of a drop), nature from the
 * active cards (a unit card or two cards or more: big; one personal card:
 * individual; the tier evaluated again against the new nature's
 * thresholds: tiers_change_nature), a potential customer's provisional
 * tier from its declared demand (tiers_grade_declared), and, once a
 * quarter (station-local; composite_quarter), the composite score and
 * class, each result a 'composite_evaluated' record.  Inside the caller's
 * transaction; adds to out's counts (by_class: every customer's class,
 * stored or new). */
fc_status classify_range(sqlite3 *db, const fc_config *cfg, int64_t now_ms, int64_t lo,
			 int64_t hi, classify_counts *out, fc_error *err);

/* The daily run ("start of day", `forecourt classify`): classify_range over
 * every customer, CLASSIFY_CHUNK ids per BEGIN IMMEDIATE transaction, then
 * the counts by stability.  out may be NULL. */
fc_status classify_all(sqlite3 *db, const fc_config *cfg, int64_t now_ms, classify_counts *out,
		       fc_error *err);

/* The kiosk's share of the daily run, for a background connection: when
 * meta 'classified_day' is not today (station-local date of now_ms), one
 * chunk after meta 'classify_cursor' in one transaction that also moves the
 * cursor, so terminals sharing the database share the work and a restart
 * resumes; after the last chunk 'classified_day' becomes today.  *more is
 * true while chunks remain.  Call again until *more is false. */
fc_status classify_daily_step(sqlite3 *db, const fc_config *cfg, int64_t now_ms, bool *more,
			      fc_error *err);

typedef struct classify_visit {
	fc_stability before, after;
	bool won_back; /* lost before this visit, buying again */
} classify_visit;

/* On each visit: call inside the visit's transaction, after the visit row
 * is stored, with the visit's time.  Recomputes the customer's stability,
 * last_visit_at and first_visit_at, and sets updated_at to the visit's time
 * (one write of the customer row per visit); won_back as classify_won_back
 * with the previous purchase at any station (the latest visit here before
 * this one, last_visit_at, chain_last_purchase_at).  The caller records
 * won_back on the visit. */
fc_status classify_after_visit(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			       int64_t visit_ms, classify_visit *out, fc_error *err);

/* customers.last_visit_ml (migration 15) made anew from the visits for
 * every customer with a last_visit_at: for a bulk load that writes
 * last_visit_at and the visits itself, like the demo generator's (the
 * fuelling keeps it in classify_after_visit).  One statement. */
fc_status classify_rebuild_last_visit(sqlite3 *db, fc_error *err);

/* The four composite indicators of one customer, each 0..100.  Scale,
 * credit and influence are a head's judgement (rating_* on the archive);
 * until one is entered its stand-in counts: */
typedef struct composite_input {
	int scale;     /* cards: a unit card 100, 3+ cards 80, 2 cards 60, 1 card 40, none 20 */
	int credit;    /* 100 minus 30 per blocked card, at least 0 */
	int volume;    /* litres of the last 365 days against twice the top tier's threshold */
	int influence; /* declared yearly demand (archive) against the same */
} composite_input;

/* What the indicators are made of: the stand-ins (cards, blocked cards,
 * the year's litres, declared demand) and a head's ratings, -1 when not
 * rated (then the stand-in counts). */
typedef struct composite_facts {
	bool big;              /* nature big: the top tier's threshold is diamond's */
	bool unit_card;        /* an active unit card */
	int64_t active_cards, blocked_cards;
	int64_t year_ml;       /* litres of the last 365 days, ml */
	int64_t yearly_litres; /* declared yearly demand (archive) */
	int rating_scale, rating_credit, rating_influence; /* 0..100, -1: not rated */
} composite_facts;

/* The four indicators of f: scale, credit and influence are a head's
 * ratings when entered, else the stand-ins of composite_input; volume
 * always from the litres.  Pure. */
void classify_composite_inputs(const fc_config *cfg, const composite_facts *f,
			       composite_input *out);

#define CLASSIFY_QUARTER_LEN 8
/* The station-local quarter of now_ms: "2026Q4". */
void classify_quarter(int64_t now_ms, char out[CLASSIFY_QUARTER_LEN]);

/* Evaluate customer customer_id's composite class now (a head entered a
 * rating): stored with the quarter of now_ms and queued as a
 * 'composite_evaluated' record {customer_code, quarter, score, class,
 * scale, credit, volume, influence, scale_rated, credit_rated,
 * influence_rated} by staff_id.  Inside the caller's transaction. */
fc_status classify_composite_customer(sqlite3 *db, const fc_config *cfg, int64_t now_ms,
				      int64_t customer_id, int64_t staff_id, fc_error *err);

/* Weighted score 0..100 with the [composite] weights (divided by their
 * sum; 0 when all weights are 0). */
int classify_composite_score(const fc_config *cfg, const composite_input *in);
/* 'A' above class_a_above, 'C' below class_c_below, else 'B'. */
char classify_composite_class(const fc_config *cfg, int score);

#endif
