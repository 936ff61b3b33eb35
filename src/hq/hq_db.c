/* hq_db.c — libpq connection, statements and migrations. */
#include "hq/hq_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hq/hq_schema.h"

/* libpq's message without its trailing newline. */
static const char *pq_message(PGconn *db, const PGresult *res)
{
	static _Thread_local char buf[400];
	const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!m || !*m)
		m = PQerrorMessage(db);
	snprintf(buf, sizeof buf, "%s", m && *m ? m : "unknown error");
	char *nl = strchr(buf, '\n');
	if (nl && nl[1])
		*nl = '\0'; /* the first line says it; the rest points into the SQL */
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return buf;
}

fc_status hq_db_connect(const char *conninfo, PGconn **out, fc_error *err)
{
	*out = NULL;
	PGconn *db = PQconnectdb(conninfo);
	if (!db)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory connecting to PostgreSQL");
	if (PQstatus(db) != CONNECTION_OK) {
		fc_status s = fc_error_set(err, FC_ERR_DB, "cannot connect to PostgreSQL (%s): %s",
					   conninfo, pq_message(db, NULL));
		PQfinish(db);
		return s;
	}
	PGresult *r = PQexec(db, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	PQclear(r);
	*out = db;
	return FC_OK;
}

static fc_status result_status(PGconn *db, PGresult *res, const char *doing, fc_error *err)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN ||
	    st == PGRES_COPY_OUT)
		return FC_OK;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	fc_status code = FC_ERR_DB;
	if (PQstatus(db) != CONNECTION_OK || (state && strncmp(state, "08", 2) == 0) ||
	    (state && strncmp(state, "57P", 3) == 0))
		code = FC_ERR_NET;
	else if (state && strcmp(state, "23505") == 0)
		code = FC_ERR_EXISTS;
	else if (state && (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0))
		code = FC_ERR_INVALID;
	return fc_error_set(err, code, "%s: %s", doing, pq_message(db, res));
}

fc_status hq_db_exec(PGconn *db, const char *sql, fc_error *err)
{
	PGresult *r = PQexec(db, sql);
	fc_status s = result_status(db, r, "running SQL", err);
	PQclear(r);
	return s;
}

fc_status hq_db_query(PGconn *db, const char *doing, const char *sql, int n,
		      const char *const *params, PGresult **out, fc_error *err)
{
	if (out)
		*out = NULL;
	PGresult *r = PQexecParams(db, sql, n, NULL, params, NULL, NULL, 0);
	fc_status s = result_status(db, r, doing, err);
	if (s || !out)
		PQclear(r);
	else
		*out = r;
	return s;
}

fc_status hq_db_value(PGconn *db, const char *doing, const char *sql, int n,
		      const char *const *params, char *buf, size_t size, fc_error *err)
{
	PGresult *r;
	buf[0] = '\0';
	fc_status s = hq_db_query(db, doing, sql, n, params, &r, err);
	if (s)
		return s;
	if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		snprintf(buf, size, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return FC_OK;
}

fc_status hq_db_master_lock(PGconn *db, fc_error *err)
{
	char lock[64];
	snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%d)", HQ_MASTER_LOCK);
	return hq_db_query(db, "taking the master lock", lock, 0, NULL, NULL, err);
}

fc_status hq_db_begin(PGconn *db, fc_error *err)
{
	return hq_db_exec(db, "BEGIN", err);
}

fc_status hq_db_finish(PGconn *db, fc_status s, fc_error *err)
{
	if (s) {
		PGresult *r = PQexec(db, "ROLLBACK");
		PQclear(r);
		return s;
	}
	return hq_db_exec(db, "COMMIT", err);
}

/* The i-th statement of hq_db_finish_locked's pipeline: the lock (when
 * taken), the caller's statements, COMMIT. */
static hq_db_stmt pipeline_stmt(bool lock, const char *lock_sql, const hq_db_stmt *stmts,
				size_t total, size_t i)
{
	if (lock && i == 0)
		return (hq_db_stmt){ "taking the master lock", lock_sql, 0, NULL };
	if (i == total - 1)
		return (hq_db_stmt){ "committing", "COMMIT", 0, NULL };
	return stmts[i - (lock ? 1 : 0)];
}

fc_status hq_db_finish_locked(PGconn *db, bool lock, const hq_db_stmt *stmts, size_t n,
			      fc_error *err)
{
	char lock_sql[64];
	snprintf(lock_sql, sizeof lock_sql, "SELECT pg_advisory_xact_lock(%d)", HQ_MASTER_LOCK);
	if (!PQenterPipelineMode(db))
		return fc_error_set(err, FC_ERR_DB, "finishing a batch: %s", pq_message(db, NULL));
	/* sent: the lock, the statements, COMMIT, then the sync */
	size_t sent = 0, total = (lock ? 1 : 0) + n + 1;
	bool ok = true;
	for (size_t i = 0; ok && i < total; i++) {
		hq_db_stmt q = pipeline_stmt(lock, lock_sql, stmts, total, i);
		ok = PQsendQueryParams(db, q.sql, q.n, NULL, q.params, NULL, NULL, 0);
		sent += ok;
	}
	fc_status s = FC_OK;
	if (!ok)
		s = fc_error_set(err, FC_ERR_NET, "finishing a batch: %s", pq_message(db, NULL));
	if (!PQpipelineSync(db) && !s)
		s = fc_error_set(err, FC_ERR_NET, "finishing a batch: %s", pq_message(db, NULL));
	/* each statement's results up to its NULL, then the sync's */
	for (size_t i = 0; i < sent; i++) {
		PGresult *r;
		const char *doing = pipeline_stmt(lock, lock_sql, stmts, total, i).doing;
		while ((r = PQgetResult(db))) {
			if (!s && PQresultStatus(r) != PGRES_PIPELINE_ABORTED)
				s = result_status(db, r, doing, err);
			PQclear(r);
		}
	}
	PGresult *r;
	while ((r = PQgetResult(db))) { /* PGRES_PIPELINE_SYNC */
		bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
		PQclear(r);
		if (sync)
			break;
	}
	if (!PQexitPipelineMode(db) && !s)
		s = fc_error_set(err, FC_ERR_NET, "finishing a batch: %s", pq_message(db, NULL));
	if (s && PQstatus(db) == CONNECTION_OK &&
	    PQtransactionStatus(db) != PQTRANS_IDLE) {
		r = PQexec(db, "ROLLBACK");
		PQclear(r);
	}
	return s;
}

int hq_db_schema_latest(void)
{
	return hq_schema_count();
}

fc_status hq_db_schema_version(PGconn *db, int *version, fc_error *err)
{
	char buf[32];
	*version = 0;
	fc_status s = hq_db_value(db, "reading the schema version",
				  "SELECT to_regclass('meta') IS NOT NULL", 0, NULL, buf, sizeof buf,
				  err);
	if (s || strcmp(buf, "t") != 0)
		return s;
	s = hq_db_value(db, "reading the schema version",
			"SELECT value FROM meta WHERE key = 'schema_version'", 0, NULL, buf,
			sizeof buf, err);
	if (!s && buf[0])
		*version = atoi(buf);
	return s;
}

static fc_status apply_from(PGconn *db, int from, int *applied, fc_error *err)
{
	int latest = hq_schema_count();
	for (int v = from + 1; v <= latest; v++) {
		fc_status s = hq_db_begin(db, err);
		if (!s)
			s = hq_db_exec(db, hq_schema_step(v), err);
		char ver[16];
		snprintf(ver, sizeof ver, "%d", v);
		const char *p[] = { ver };
		if (!s)
			s = hq_db_query(db, "recording the schema version",
					"INSERT INTO meta(key, value) VALUES('schema_version', $1) "
					"ON CONFLICT(key) DO UPDATE SET value = EXCLUDED.value",
					1, p, NULL, err);
		s = hq_db_finish(db, s, err);
		if (s)
			return fc_error_set(err, s, "migration %d: %s", v, fc_error_text(err));
		if (applied)
			(*applied)++;
	}
	return FC_OK;
}

/* The database's schema version; FC_ERR_DB_NEWER when this program is older. */
static fc_status version_not_newer(PGconn *db, int *v, fc_error *err)
{
	fc_status s = hq_db_schema_version(db, v, err);
	if (!s && *v > hq_schema_count())
		s = fc_error_set(err, FC_ERR_DB_NEWER,
				 "the database has schema %d, newer than this program (%d)", *v,
				 hq_schema_count());
	return s;
}

fc_status hq_db_init(PGconn *db, fc_error *err)
{
	int v;
	fc_status s = version_not_newer(db, &v, err);
	if (s)
		return s;
	if (v > 0)
		return fc_error_set(err, FC_ERR_EXISTS,
				    "the database already has the schema (version %d); use migrate",
				    v);
	return apply_from(db, 0, NULL, err);
}

fc_status hq_db_migrate(PGconn *db, int *applied, fc_error *err)
{
	int v;
	*applied = 0;
	fc_status s = version_not_newer(db, &v, err);
	return s ? s : apply_from(db, v, applied, err);
}

fc_status hq_db_check_schema(PGconn *db, fc_error *err)
{
	int v;
	fc_status s = version_not_newer(db, &v, err);
	if (s)
		return s;
	if (v == 0)
		return fc_error_set(err, FC_ERR_DB, "the database has no schema: run forecourt-hq init");
	if (v < hq_schema_count())
		return fc_error_set(err, FC_ERR_DB,
				    "the database has schema %d, this program needs %d: run "
				    "forecourt-hq migrate",
				    v, hq_schema_count());
	return FC_OK;
}
