/* import.h — loading head office's files (customers, cards, blocked cards,
 * approved prices, holidays, tiers, litres; base/import_kind.h) read by
 * base/rowfile.h (CSV or NDJSON), whole or not at all: one transaction,
 * every bad row named, nothing changed on error.  Head office's master
 * pull (sync/master.c) feeds its lines through the same rows: an import
 * session. */
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
 * size (0 when unknown, e.g. a pipe).  bytes_done is -1 once when every
 * row is read and the indexes set aside are being built (can take long). */
typedef void (*import_progress_fn)(void *user, int64_t rows, int64_t bytes_done,
				   int64_t bytes_total);

/* Import path into db: NDJSON when the name ends in .ndjson or .jsonl,
 * CSV with a header row otherwise.  Text must be UTF-8.  In one BEGIN
 * IMMEDIATE transaction; when any row is bad (res->errors.total > 0) or the
 * file cannot be read, the transaction is rolled back, err says why
 * (FC_ERR_INVALID: the first bad line) and res->errors lists up to 20 lines.
 * A key given twice (import_kind_key) is a bad row naming both lines.
 * cfg gives the configured fuel grades and list prices (prices).  by (not
 * NULL) is who imports: the audit row "import" (kind, file, counts)
 * commits with the rows.  progress may be NULL. */
fc_status import_file(sqlite3 *db, const fc_config *cfg, import_kind kind, const char *path,
		      const fc_actor *by, import_progress_fn progress, void *user,
		      import_result *res, fc_error *err);

/* Rows of any kind, one at a time, inside the caller's transaction: the
 * same checks, stored forms (plates), tier history and search index as
 * import_file.  A customers row may wait in a batch until a row of
 * another kind or import_session_flush stores it. */
typedef struct import_session import_session;

/* Start a session on db (cfg gives the [fuel] grades).  res counts the
 * rows and collects the bad ones: res->errors.path = source (kept, not
 * copied), and the caller sets res->errors.line before each row.  On
 * success *out is the caller's, to import_session_close. */
fc_status import_session_open(sqlite3 *db, const fc_config *cfg, const char *source,
			      import_result *res, import_session **out, fc_error *err);

/* Check and store one row of kind (vals as rowfile_row_fn gives them).  A
 * bad row is noted in res->errors and FC_OK returned; another failure
 * (disk full, I/O) is returned and must end the transaction. */
fc_status import_session_row(import_session *s, import_kind kind, const char *const *vals,
			     fc_error *err);

/* Store the rows still waiting (before the caller commits). */
fc_status import_session_flush(import_session *s, fc_error *err);

/* Free the session (NULL is fine); rows still waiting are dropped. */
void import_session_close(import_session *s);

#endif
