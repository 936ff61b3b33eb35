/* import_rows.h — inside the importer: the SQL that stores one checked row
 * of each file kind (import_rows.c; the columns and the checks that need no
 * database are base/import_kind.h). */
#ifndef FC_IMPORT_ROWS_H
#define FC_IMPORT_ROWS_H

#include <sqlite3.h>

#include "base/clock.h"
#include "import/import.h"
#include "store/bulk.h"

typedef struct import_batch import_batch; /* new customers (import_customers.c) */

/* One import in progress: where we are and the prepared statements. */
typedef struct import_ctx {
	sqlite3 *db;
	const fc_config *cfg;
	import_kind kind;
	rowfile_errors *errors;    /* bad rows, "FILE:LINE: ..." at errors->line */
	char now[CLOCK_ISO_LEN];   /* updated_at of every row */
	sqlite3_stmt *stmt[6];     /* kind-specific, finalized by import_rows_finish */
	int64_t changed;           /* rows inserted or updated */
	import_batch *batch;       /* customers waiting for a multi-row INSERT */
	const bulk_job *job;       /* tables written as bulk_name gives (NULL: live) */
	bool defer_ledger;         /* balances' ledger flags noted in stage.ledger_flip */
	bool history_written;      /* rows applied again: their tier history is written */
	char last_code[64];        /* cards: the customer looked up last ... */
	int64_t last_customer;     /* ... and its id (0: none) */
	import_result *res;
} import_ctx;

/* sql with each {customers}, {cards}, {prices}, {holidays}, {chain_litres},
 * {tier_history} replaced by the name the import writes that table as
 * (bulk_name of c->job), prepared into *st. */
fc_status import_rows_prepare_sql(import_ctx *c, const char *sql, sqlite3_stmt **st,
				  fc_error *err);

/* Prepare the statements of c->kind. */
fc_status import_rows_prepare(import_ctx *c, fc_error *err);
/* Store the rows still waiting in a batch (call before counting). */
fc_status import_rows_flush(import_ctx *c, fc_error *err);
/* Finalize them (rows still waiting are dropped). */
void import_rows_finish(import_ctx *c);

/* Step and reset a write; a constraint failure is a bad row (column col),
 * anything else stops the import. */
fc_status import_rows_step_write(import_ctx *c, sqlite3_stmt *st, const char *col, fc_error *err);

/* Customers (import_customers.c): statements, one checked row, flush, end. */
fc_status import_customers_prepare(import_ctx *c, fc_error *err);
fc_status import_customers_apply(import_ctx *c, const char *const *vals, const int64_t *nums,
				fc_error *err);
fc_status import_customers_flush(import_ctx *c, fc_error *err);
void import_customers_finish(import_ctx *c);

/* The probe of a customers row (bound by import_customers_bind): no row
 * when the code is new, else id, tier, tier_source, whether the row
 * changes anything, whether it changes what search indexes (name, phone,
 * plate). */
fc_status import_customers_prepare_probe(import_ctx *c, sqlite3_stmt **st, fc_error *err);
void import_customers_bind(sqlite3_stmt *st, const char *const *vals, const int64_t *nums);

/* The ledger flags of v's balance (v gives points): flipped to the balance
 * rule, or noted for the switch while the job writes shadows. */
fc_status import_customers_sync_ledger(import_ctx *c, const char *const *vals,
				      const int64_t *nums, fc_error *err);

/* Whether a cards row (?1 card_id, ?2 the customer's id, ?3 kind, ?4
 * status) changes the stored card: the upsert's condition, also the
 * import's first pass's. */
#define IMPORT_CARD_CHANGED                                                          \
	" customer_id IS NOT ?2 OR kind IS NOT ?3 OR (?4 IS NOT NULL AND status IS NOT ?4)"

/* Tier history of head office's tiers (customers and tiers rows): prepare
 * the insert into *st; then, with row a statement standing on the
 * customer's (id, tier, tier_source), a tier_history row (old -> tier,
 * source 'hq', period or NULL) when tier changes the tier or its source
 * (none when c->history_written). */
fc_status import_customers_prepare_history(import_ctx *c, sqlite3_stmt **st, fc_error *err);
fc_status import_customers_note_tier(import_ctx *c, sqlite3_stmt *history, sqlite3_stmt *row,
				    const char *tier, const char *period, fc_error *err);

/* Note that a row names customer code, which is not there. */
void import_rows_no_customer(rowfile_errors *errors, const char *code);

/* Rows currently in the kind's table (to tell inserted from updated). */
int64_t import_rows_count_table(import_ctx *c);

/* Check and store one row; vals[i] is column i's text or NULL when absent
 * or empty.  A bad value is noted with rowfile_bad and FC_OK returned;
 * a failure that must stop the import (disk full, I/O) is returned. */
fc_status import_rows_apply(import_ctx *c, const char *const *vals, fc_error *err);

#endif
