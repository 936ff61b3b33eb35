/* master.h — master data from head office, pulled as NDJSON and applied
 * whole: every data line is a row of an import kind (base/import_kind.h)
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

/* Apply an NDJSON master-data text in one transaction and set meta
 * 'master_version' (cfg gives the [fuel] grades prices must name).  Any
 * bad line rejects everything: FC_ERR_INVALID with
 * "master:LINE: column 'x': why" (as `forecourt import` names a row) and
 * nothing changed. */
fc_status master_apply(sqlite3 *db, const fc_config *cfg, const char *text, size_t len,
		       master_result *res, fc_error *err);

#endif
