/* hq_db.h — head office's PostgreSQL store (libpq): connecting, running
 * statements with parameters, and the schema with its ordered migrations
 * (hq_schema.c).  One connection per thread; never shared. */
#ifndef FC_HQ_DB_H
#define FC_HQ_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"

/* Advisory lock key every transaction that changes master data takes
 * (pg_advisory_xact_lock) before it draws versions, so versions become
 * visible in order and a pull never skips a change committed late. */
#define HQ_MASTER_LOCK 4242001

/* Take HQ_MASTER_LOCK for the rest of the caller's transaction. */
fc_status hq_db_master_lock(PGconn *db, fc_error *err);

/* Connect with conninfo (libpq keywords or a URI).  FC_ERR_DB with libpq's
 * message when the server cannot be reached or refuses. */
fc_status hq_db_connect(const char *conninfo, PGconn **out, fc_error *err);

/* Run sql (no parameters; may hold several statements). */
fc_status hq_db_exec(PGconn *db, const char *sql, fc_error *err);

/* Run sql with n text parameters (NULL = SQL NULL).  *out receives the
 * result (PQclear it) when out is not NULL.  A unique violation is
 * FC_ERR_EXISTS, a lost connection FC_ERR_NET, anything else FC_ERR_DB;
 * doing names the action for the message ("adding station S0001"). */
fc_status hq_db_query(PGconn *db, const char *doing, const char *sql, int n,
		      const char *const *params, PGresult **out, fc_error *err);

/* One text value of a one-row, one-column query into buf ("" when no
 * row or NULL). */
fc_status hq_db_value(PGconn *db, const char *doing, const char *sql, int n,
		      const char *const *params, char *buf, size_t size, fc_error *err);

/* BEGIN ... then COMMIT when s is FC_OK, else ROLLBACK; returns the status. */
fc_status hq_db_begin(PGconn *db, fc_error *err);
fc_status hq_db_finish(PGconn *db, fc_status s, fc_error *err);

/* One statement of hq_db_finish_locked: its parameters as hq_db_query's. */
typedef struct hq_db_stmt {
	const char *doing; /* for the message, as hq_db_query's */
	const char *sql;
	int n;
	const char *const *params;
} hq_db_stmt;

/* The end of a transaction begun with hq_db_begin, in one round trip
 * (libpq's pipeline mode): HQ_MASTER_LOCK when lock is true, the n
 * statements (results not kept), COMMIT.  On the first failure the rest
 * is not run and the transaction is rolled back; its status is returned.
 * So the master lock is held only while the server runs them, never while
 * the client is scheduled between two round trips. */
fc_status hq_db_finish_locked(PGconn *db, bool lock, const hq_db_stmt *stmts, size_t n,
			      fc_error *err);

/* The schema version this program knows, and the database's (0: empty). */
int hq_db_schema_latest(void);
fc_status hq_db_schema_version(PGconn *db, int *version, fc_error *err);

/* init: create the schema in an empty database (FC_ERR_EXISTS when it has
 * one).  migrate: apply the migrations it lacks, each in a transaction;
 * *applied counts them.  A database newer than this program is
 * FC_ERR_DB_NEWER for both. */
fc_status hq_db_init(PGconn *db, fc_error *err);
fc_status hq_db_migrate(PGconn *db, int *applied, fc_error *err);

/* For serve: FC_OK when the schema is current, else why (run migrate,
 * run init, or upgrade the program). */
fc_status hq_db_check_schema(PGconn *db, fc_error *err);

#endif
