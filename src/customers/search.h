/* search.h — finding customers by name, phone, plate or code: any substring,
 * Chinese included, first page only, within a fixed time budget. */
#ifndef FC_SEARCH_H
#define FC_SEARCH_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"

#define SEARCH_PAGE 20        /* hits on the first page */
#define SEARCH_SCAN_BUDGET_MS 40 /* longest table scan for 1-2 ASCII character queries */

typedef struct search_hit {
	int64_t id;
	char code[32];
	char name[128];
	char phone[32];
	char plate[32];
	char nature[16], tier[16], stability[16]; /* stored keys */
	bool competitor;          /* buys from a competitor (archive flag) */
	char competitor_name[64]; /* whose, "" when not noted */
} search_hit;

typedef struct search_result {
	search_hit hits[SEARCH_PAGE];
	int count;
	bool partial; /* a 1-2 ASCII character query whose scan hit the time budget:
			 more matches may exist; type more characters */
} search_result;

/* Search query (UTF-8, trimmed by the caller; not empty).  A whole code,
 * phone or plate is found through its index first.  Otherwise three
 * characters or more: the FTS5 trigram index (customer_search), any
 * substring of name, phone, plate or code.  One or two characters with one
 * beyond ASCII (Chinese names, a plate's province): the grams index
 * (customer_grams, every such piece of a name or plate; phones and codes
 * are ASCII), complete.  One or two ASCII characters: names starting with
 * query through the name index, then a substring scan of at most
 * SEARCH_SCAN_BUDGET_MS (digits and code letters most customers share: the
 * page fills in the first rows).  A query that reads as a plate
 * (plate_like: "渝A·21978", "渝a 219") is searched in its stored form
 * "渝A21978".  A query that reads as a phone (digits and '-', ' ', '+',
 * '(', ')', '.'; 3 digits or more) is also looked for by its digits in
 * phone_digits: whole, at the start (its index), then anywhere (the
 * trigram index's phone_digits column), so "13800138000" finds
 * "138-0013-8000" and "138 0013" finds "13800138000".  The customers
 * listed in search_pending (a bulk job's, whose entries are not made yet)
 * are found by a scan of the list beside what the indexes find.
 * Read-only. */
fc_status search_customers(sqlite3 *db, const char *query, search_result *out, fc_error *err);

/* The competitor customers (archive flag competitor = 1), by code: all of
 * them (query "" or NULL) or those whose competitor's name, name or code
 * holds query.  First page, within SEARCH_SCAN_BUDGET_MS (partial past
 * it).  Read-only. */
fc_status search_competitors(sqlite3 *db, const char *query, search_result *out, fc_error *err);

/* customer_grams made anew from every customer, in one transaction of the
 * caller's or its own (a bulk load that dropped the triggers, like the demo
 * generator's, calls it after; about 4 s for 1 000 000 customers). */
fc_status search_rebuild_grams(sqlite3 *db, fc_error *err);

/* Make the search entries (customer_search, customer_grams) of the
 * customers listed in search_pending (a bulk job's new and renamed
 * customers, listed before its switch: store/bulk.h) and forget them in
 * the list, in short transactions paced like a bulk job's chunks, so a
 * fuelling never waits; an id without a customer is forgotten.  Search is
 * right meanwhile: it scans the listed customers.  db: the caller's
 * connection to db_path, no transaction open.  Each chunk holds the bulk
 * jobs' lock (store/bulk.h) for its moment: when a job holds it, returns
 * FC_OK with the rest still listed (the next import makes them; the job
 * lists what it changes itself).  budget_ms > 0: stops after about that
 * long, *more true when ids are left (0: until all are done).  *indexed:
 * the ids done; indexed and more may be NULL.  About 40 s of background work for
 * 1 000 000 customers (HACKING.md "Import"). */
fc_status search_index_pending(sqlite3 *db, const char *db_path, int64_t budget_ms,
			       int64_t *indexed, bool *more, fc_error *err);

#endif
