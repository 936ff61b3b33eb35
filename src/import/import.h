/* import.h — loading head office's files (customers, cards, blocked cards,
 * approved prices, holidays, tiers, litres; base/import_kind.h) read by
 * base/rowfile.h (CSV or NDJSON), whole or not at all, as a bulk job
 * (store/bulk.h) that never holds the write lock long: every row is read
 * and checked into a staging database first (every bad row named, nothing
 * changed on error), then applied in one short transaction or, when many,
 * through shadow tables and a short switch.  Head office's master pull
 * (sync/master.c) feeds its lines through the same run. */
#ifndef FC_IMPORT_H
#define FC_IMPORT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/import_kind.h"
#include "base/rowfile.h"
#include "base/status.h"
#include "store/audit.h"

typedef struct import_result {
	int64_t rows;      /* data rows read */
	int64_t inserted;  /* new rows */
	int64_t updated;   /* existing rows that changed */
	int64_t unchanged; /* existing rows already equal to the file */
	int64_t skipped;   /* blocked cards unknown at this station */
	rowfile_errors errors; /* the bad rows: errors.total > 0 when any */
} import_result;

/* Called every few thousand rows and at the end; bytes_total is the file
 * size (0 when unknown, e.g. a pipe).  While the rows are applied: rows and
 * bytes_done the rows applied, bytes_total the rows to apply.  bytes_done
 * is -2 once when the import waits for another bulk job to end. */
typedef void (*import_progress_fn)(void *user, int64_t rows, int64_t bytes_done,
				   int64_t bytes_total);

/* Import path into db (a connection the import has to itself while it
 * runs): NDJSON when the name ends in .ndjson or .jsonl, CSV with a header
 * row otherwise.  Text must be UTF-8.  When any row is bad
 * (res->errors.total > 0) or the file cannot be read, nothing is changed,
 * err says why (FC_ERR_INVALID: the first bad line) and res->errors lists
 * up to 20 lines.  A key given twice (import_kind_key) is a bad row naming
 * both lines.  Waits while another bulk job runs on the database.  cfg
 * gives the configured fuel grades and list prices (prices).  by (not
 * NULL) is who imports: the audit row "import" (kind, file, counts)
 * commits with the rows.  progress may be NULL. */
fc_status import_file(sqlite3 *db, const fc_config *cfg, import_kind kind, const char *path,
		      const fc_actor *by, import_progress_fn progress, void *user,
		      import_result *res, fc_error *err);

/* Rows of any kind from any source, staged one at a time and applied
 * together, all or nothing: an import run. */
typedef struct import_run import_run;

/* Start a run on db (its own connection, no transaction open; cfg gives
 * the [fuel] grades): the bulk job's lock (wait for another job, or
 * FC_ERR_LOCKED at once), its staging tables.  res counts and collects the
 * bad rows: res->errors.path = source (kept, not copied); the caller sets
 * res->errors.line before each row.  *out is the caller's, to
 * import_run_close. */
fc_status import_run_open(sqlite3 *db, const fc_config *cfg, const char *source, bool wait,
			  import_result *res, import_run **out, fc_error *err);

/* Check one row of kind (vals as rowfile_row_fn gives them) and stage it,
 * unless the live tables already hold it as it is.  A bad row is noted in
 * res->errors and FC_OK returned; another failure is returned. */
fc_status import_run_row(import_run *r, import_kind kind, const char *const *vals,
			 fc_error *err);

/* The caller's writes that go with the rows, in the same transaction (the
 * last chunk or the switch): e.g. master data's version. */
typedef fc_status (*import_finish_fn)(void *user, sqlite3 *db, fc_error *err);

/* Apply the staged rows, all or nothing, then finish (may be NULL) in the
 * same transaction.  A bad row found only now (refused by the database, an
 * unknown customer) fails it all: FC_ERR_INVALID with the first bad line.
 * progress (may be NULL) follows the rows applied. */
fc_status import_run_apply(import_run *r, import_finish_fn finish, void *user,
			   import_progress_fn progress, void *puser, fc_error *err);

/* After import_run_apply: rows inserted or changed, and inserted, in the
 * tables of the kinds applied. */
int64_t import_run_changed(const import_run *r);
int64_t import_run_inserted(const import_run *r);

/* End the run (NULL is fine): what was not applied is dropped, the lock
 * released. */
void import_run_close(import_run *r);

#endif
