/* seed.h — the deterministic demo data generator behind `forecourt demo`
 * and the benchmarks: same options and seed, same database contents. */
#ifndef FC_SEED_H
#define FC_SEED_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"

#define SEED_DEFAULT_CUSTOMERS 10000
#define SEED_MAX_CUSTOMERS 1500000 /* keeps every code group under 999999 */
#define SEED_DEFAULT_MAX_VISITS 6 /* visit rows per customer over six months */

/* Called between batches: phase is "customers", "cards", "visits", ...;
 * done of total rows of that phase. */
typedef void seed_progress_fn(void *ctx, const char *phase, long done, long total);

typedef struct seed_options {
	uint64_t seed;          /* --seed; the only source of randomness */
	long customers;         /* 1..SEED_MAX_CUSTOMERS */
	int64_t reference_ms;   /* the data's "now": six months of visits end here */
	int max_visits;         /* visit rows per customer, 4..200; heavy users'
				   fuellings are aggregated (a fleet's session) */
	const fc_config *cfg;   /* tier thresholds, prices, pumps, station id */
	const char *holidays_path; /* loaded into holidays; NULL = none */
	bool fresh_file;        /* the file is new and disposable: journal and
				   fsync off while generating (fast, not crash-safe) */
	seed_progress_fn *progress; /* may be NULL */
	void *progress_ctx;
} seed_options;

/* Defaults: seed 1, SEED_DEFAULT_CUSTOMERS, reference = clock_now_ms(),
 * SEED_DEFAULT_MAX_VISITS, no holidays, not fresh. */
void seed_options_defaults(seed_options *opt, const fc_config *cfg);

/* Fill an empty, migrated database in one transaction: customers of every
 * tier x nature, industry and stability class (tiers computed from their
 * visits' litres against cfg's thresholds), customer codes, cards (some
 * blocked, with reasons), six months of visits with points, synced points
 * balances, approved discounts in prices, the holidays file, a few
 * complaints (open ones, one overdue), and meta demo_* keys ending with
 * demo_complete.  Nothing goes to the outbox: demo rows are master data.
 * A database that already has customers is refused (FC_ERR_EXISTS).  The
 * holidays file is loaded first, all or nothing (workdays_load_file); the
 * rest is one transaction: on an error none of it is committed (with
 * fresh_file the file is not crash-safe meanwhile: discard it). */
fc_status seed_generate(sqlite3 *db, const seed_options *opt, fc_error *err);

/* What a demo database holds, for `forecourt demo` to say. */
typedef struct seed_counts {
	int64_t customers;
	int64_t cards;
	int64_t blocked; /* cards with status 'blocked' */
	int64_t visits;
} seed_counts;

/* Count the rows of db into *out (read-only). */
fc_status seed_count(sqlite3 *db, seed_counts *out, fc_error *err);

/* The demo_* meta keys seed_generate wrote, "" each when absent. */
typedef struct seed_demo_info {
	char complete[64];  /* demo_complete: when the build finished; "" = not a demo */
	char seed[32];      /* demo_seed */
	char customers[32]; /* demo_customers */
} seed_demo_info;

/* Read the demo_* keys of the database file at path through a read-only
 * connection (no pragmas, no migration: the file may be a station's real
 * database, or no database at all: then every field is ""). */
void seed_demo_peek(const char *path, seed_demo_info *out);

#endif
