/* import.h — loading head office's files (customers, cards, blocked cards,
 * approved prices, holidays; base/import_kind.h) read by base/rowfile.h
 * (CSV or NDJSON), whole or not at all: one transaction, every bad row
 * named, nothing changed on error. */
#ifndef FC_IMPORT_H
#define FC_IMPORT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/import_kind.h"
#include "base/rowfile.h"
#include "base/status.h"

typedef struct import_result {
	int64_t rows;      /* data rows read */
	int64_t inserted;  /* new rows */
	int64_t updated;   /* existing rows that changed */
	int64_t unchanged; /* existing rows already equal to the file */
	int64_t skipped;   /* blocked cards unknown at this station */
	rowfile_errors errors; /* the bad rows: errors.total > 0 when any */
} import_result;

/* Called every few thousand rows and at the end; bytes_total is the file
 * size (0 when unknown, e.g. a pipe).  bytes_done is -1 once when every
 * row is read and the indexes set aside are being built (can take long). */
typedef void (*import_progress_fn)(void *user, int64_t rows, int64_t bytes_done,
				   int64_t bytes_total);

/* Import path into db: NDJSON when the name ends in .ndjson or .jsonl,
 * CSV with a header row otherwise.  Text must be UTF-8.  In one BEGIN
 * IMMEDIATE transaction; when any row is bad (res->errors.total > 0) or the
 * file cannot be read, the transaction is rolled back, err says why
 * (FC_ERR_INVALID: the first bad line) and res->errors lists up to 20 lines.
 * cfg gives the configured fuel grades (prices).  progress may be NULL. */
fc_status import_file(sqlite3 *db, const fc_config *cfg, import_kind kind, const char *path,
		      import_progress_fn progress, void *user, import_result *res,
		      fc_error *err);

#endif
