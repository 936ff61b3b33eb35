/* master.h — master data from head office, pulled as NDJSON, read as it
 * arrives and applied whole: every data line is a row of an import kind (base/import_kind.h)
 * and goes through the import's checks, stored forms, tier history and
 * search index (import/import.h), so a pulled line and the same row in a
 * file `forecourt import` reads end the same.
 *
 * Line format: one JSON object a line, "kind" naming the line's import
 * kind, the other keys that kind's column names (README "Import files"):
 *   customer -> customers   card -> cards (its column 'kind' as "card_kind")
 *   blocked -> blocked      price -> prices
 *   holiday -> holidays (its column 'kind' as "day_kind")
 *   tier -> tiers           litres -> litres
 *   {"kind":"version","version":"V"}        <- the last line, required
 * Values are JSON strings, whole numbers (their decimal text) or null (not
 * given); a key twice, an unknown key, another type or a line longer than
 * MASTER_LINE_MAX bytes is refused.  A customer line's points (and
 * points_seq) follow the balance rule of import_customers.c: with
 * points_seq S the balance includes exactly this station's ledger rows of
 * seq <= S. */
#ifndef FC_MASTER_H
#define FC_MASTER_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"

#define MASTER_LINE_MAX 65536 /* bytes of one line, its newline not counted */

typedef struct master_result {
	int64_t lines;        /* data lines applied */
	int64_t skipped;      /* blocked cards unknown here */
	char version[128];    /* the new meta 'master_version' */
} master_result;

/* A pull being read and applied: one or more pages of NDJSON (each ending
 * with its version line), read as they arrive into an import run
 * (import/import.h: checked and staged, memory bounded by one line), then
 * applied whole: every data line of every page, or nothing. */
typedef struct master_pull master_pull;

/* Start a pull on db (its own connection, no transaction open; cfg gives
 * the [fuel] grades prices must name).  FC_ERR_LOCKED when another bulk job
 * (an import, a tier evaluation) runs on the database: try later.  *out is
 * the caller's, to master_pull_close. */
fc_status master_pull_open(sqlite3 *db, const fc_config *cfg, master_pull **out, fc_error *err);

/* The next n bytes of the page being read.  A bad line ends the reading:
 * FC_ERR_INVALID with "master:LINE: column 'x': why" (as `forecourt
 * import` names a row); a line longer than MASTER_LINE_MAX is one. */
fc_status master_pull_feed(master_pull *p, const char *data, size_t n, fc_error *err);

/* The page's body has ended: it must have ended with its version line
 * (else FC_ERR_INVALID, "truncated?").  *lines gets its data lines and
 * version its version (the next page's since); line numbers start again. */
fc_status master_pull_page_end(master_pull *p, int64_t *lines, char *version, size_t n,
			       fc_error *err);

/* Apply every page read, all or nothing, and set meta 'master_version' to
 * the last page's version in the same transaction. */
fc_status master_pull_apply(master_pull *p, master_result *res, fc_error *err);

/* End the pull (NULL is fine); what was not applied is dropped. */
void master_pull_close(master_pull *p);

/* One page in memory, start to end (tests, small pulls): open, feed, page
 * end, apply, close. */
fc_status master_apply(sqlite3 *db, const fc_config *cfg, const char *text, size_t len,
		       master_result *res, fc_error *err);

#endif
