/* report_index.h — inside src/report: what the monthly analysis keeps per
 * customer while it reads (report.c's helpers, not for other modules). */
#ifndef FC_REPORT_INDEX_H
#define FC_REPORT_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

/* Every customer's stored tier by id, filled by the pass over the customers
 * and read by the pass over the month's visits (no lookup per visit): a
 * byte per id of [base, base + n) when the ids are dense (the usual case),
 * else the ids themselves, sorted (the scan gives them in order). */
typedef struct report_tiers {
	int64_t base;
	size_t n;            /* ids covered (dense) or stored (sparse) */
	signed char *tier;   /* fc_tier, -1 unreadable, -2 no such customer (dense) */
	int64_t *ids;        /* sparse: the ids, ascending; NULL when dense */
	size_t count, cap;   /* sparse: used and allocated */
} report_tiers;

/* A count per customer id: the month's callbacks (sorted array) or the
 * month's litres of its buyers (open addressing, filled by the visits). */
typedef struct report_count {
	int64_t id, n;
} report_count;

typedef struct report_counts {
	report_count *rows;
	size_t count, cap;   /* sorted: used; hash: slots (a power of two) */
} report_counts;

/* A hint to fetch the memory at p ahead of its use (rows read in sorted
 * order are scattered over the memory: each a cache miss otherwise). */
#if defined(__GNUC__)
#define REPORT_PREFETCH(p) __builtin_prefetch(p)
#else
#define REPORT_PREFETCH(p) ((void)(p))
#endif

/* Rows held to be sorted in memory (report_sink.rows_in_memory): in
 * blocks that never move, sorted through an array of pointers. */
typedef struct report_rows {
	size_t size;        /* of a row */
	char **blocks;      /* REPORT_ROWS_BLOCK rows each */
	size_t count, nblocks;
	void **sorted;      /* after report_rows_sort */
} report_rows;

#define REPORT_ROWS_BLOCK 4096 /* rows of a block of report_rows */

/* A map for the ids min..max of count customers (dense: a byte each). */
fc_status report_tiers_init(report_tiers *m, int64_t min, int64_t max, int64_t count);
/* Customer id's tier (fc_tier, -1 unreadable); ids come in ascending order. */
fc_status report_tiers_add(report_tiers *m, int64_t id, int tier);
/* The tier of customer id: fc_tier, -1 unreadable, -2 unknown customer. */
int report_tiers_find(const report_tiers *m, int64_t id);
void report_tiers_free(report_tiers *m);

/* The count of id in counts kept sorted by id (0 when absent). */
int64_t report_counts_find_sorted(const report_counts *c, int64_t id);
/* Add n to id's count in counts kept as a hash (ids > 0). */
fc_status report_counts_add(report_counts *c, int64_t id, int64_t n);
/* id's count in counts kept as a hash (0 when absent). */
int64_t report_counts_find(const report_counts *c, int64_t id);
/* REPORT_PREFETCH of where report_counts_find will look for id first. */
void report_counts_prefetch(const report_counts *c, int64_t id);

/* Keep a copy of row (b->size bytes). */
fc_status report_rows_add(report_rows *b, const void *row, fc_error *err);
/* Sort the rows (cmp: of two pointers to rows) into b->sorted. */
fc_status report_rows_sort(report_rows *b, int (*cmp)(const void *, const void *), fc_error *err);
/* Sort the rows by a code each has (code: its text, as cmp orders them:
 * strcmp of the codes) into b->sorted, faster when the codes come in
 * groups, each in order in the rows' order (customers' codes by id: a
 * station's codes per nature and industry, "S0001-B-LG-000001", are
 * given in turn): a group is the codes up to their last '-'; groups
 * whose codes are in order are kept as they are, the others sorted by
 * cmp, the groups put in order.  When one group's part is a prefix of
 * another's (their codes could interleave), or the groups are many, all
 * the rows are sorted by cmp (report_rows_sort). */
fc_status report_rows_sort_codes(report_rows *b, const char *(*code)(const void *row),
				 int (*cmp)(const void *, const void *), fc_error *err);
/* Sort the rows by key(row) ascending, then by code (as
 * report_rows_sort_codes: code and code_cmp) into b->sorted: the codes'
 * order first, then a stable radix sort of (key, place in it) pairs of 16
 * bytes rather than a sort of pointers to the rows through a comparison
 * of theirs. */
fc_status report_rows_sort_keyed(report_rows *b, const char *(*code)(const void *row),
				 int (*code_cmp)(const void *, const void *),
				 uint64_t (*key)(const void *row), fc_error *err);
void report_rows_free(report_rows *b);

#endif
