/* stmt_cache.c — per-connection cache of persistent prepared statements;
 * one registry of connections, each entry dropped when SQLite closes it. */
#include "store/stmt_cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "store/db.h"

typedef struct cache_entry {
	sqlite3 *db;
	int n;
	const char *sql[STMT_CACHE_MAX];
	sqlite3_stmt *st[STMT_CACHE_MAX];
	struct cache_entry *next;
} cache_entry;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry *registry;

static cache_entry *entry_find(sqlite3 *db)
{
	for (cache_entry *e = registry; e; e = e->next)
		if (e->db == db)
			return e;
	return NULL;
}

/* Unregister and free mine after finalizing its statements. */
static void entry_drop(cache_entry *mine)
{
	pthread_mutex_lock(&registry_lock);
	for (cache_entry **at = &registry; *at; at = &(*at)->next)
		if (*at == mine) {
			*at = mine->next;
			break;
		}
	pthread_mutex_unlock(&registry_lock);
	for (int i = 0; i < mine->n; i++)
		sqlite3_finalize(mine->st[i]);
	free(mine);
}

/* SQLITE_TRACE_CLOSE comes before SQLite checks for unfinalized statements:
 * finalizing ours here lets a plain sqlite3_close go through.  (It also
 * comes before the vtab statements close, so "only ours are open" cannot
 * be told here: a close that then fails would leave this callback pointing
 * at a freed entry — db_close calls stmt_cache_release first.) */
static int on_close(unsigned type, void *ctx, void *p, void *x)
{
	(void)p;
	(void)x;
	if (type == SQLITE_TRACE_CLOSE)
		entry_drop(ctx);
	return 0;
}

void stmt_cache_release(sqlite3 *db)
{
	pthread_mutex_lock(&registry_lock);
	cache_entry *e = entry_find(db);
	pthread_mutex_unlock(&registry_lock);
	if (!e)
		return;
	sqlite3_trace_v2(db, 0, NULL, NULL);
	entry_drop(e);
}

/* The entry of db, registered (with its close hook) on first use. */
static cache_entry *entry_get(sqlite3 *db, fc_error *err)
{
	pthread_mutex_lock(&registry_lock);
	cache_entry *e = entry_find(db);
	if (!e && (e = calloc(1, sizeof *e)) != NULL) {
		e->db = db;
		e->next = registry;
		registry = e;
	}
	pthread_mutex_unlock(&registry_lock);
	if (!e) {
		fc_error_set(err, FC_ERR_NOMEM, "no memory for the statement cache");
		return NULL;
	}
	if (e->n == 0) /* (again) harmless: the same callback and context */
		sqlite3_trace_v2(db, SQLITE_TRACE_CLOSE, on_close, e);
	return e;
}

fc_status stmt_cache_get(sqlite3 *db, const char *sql, sqlite3_stmt **out, fc_error *err)
{
	*out = NULL;
	cache_entry *e = entry_get(db, err);
	if (!e)
		return FC_ERR_NOMEM;
	for (int i = 0; i < e->n; i++)
		if (e->sql[i] == sql) {
			sqlite3_reset(e->st[i]);
			sqlite3_clear_bindings(e->st[i]);
			*out = e->st[i];
			return FC_OK;
		}
	bool keep = e->n < STMT_CACHE_MAX; /* full: a plain statement, finalized when done */
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v3(db, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(db, rc, "preparing a query", err);
	if (!keep) {
		*out = st;
		return FC_OK;
	}
	e->sql[e->n] = sql;
	e->st[e->n++] = st;
	*out = st;
	return FC_OK;
}

/* Whether st is one of the statements kept for its connection. */
static bool entry_keeps(sqlite3_stmt *st)
{
	bool kept = false;
	pthread_mutex_lock(&registry_lock);
	cache_entry *e = entry_find(sqlite3_db_handle(st));
	for (int i = 0; e && !kept && i < e->n; i++)
		kept = e->st[i] == st;
	pthread_mutex_unlock(&registry_lock);
	return kept;
}

void stmt_cache_done(sqlite3_stmt *st)
{
	if (!st)
		return;
	if (entry_keeps(st))
		sqlite3_reset(st);
	else
		sqlite3_finalize(st);
}

int stmt_cache_count(sqlite3 *db)
{
	pthread_mutex_lock(&registry_lock);
	cache_entry *e = entry_find(db);
	int n = e ? e->n : 0;
	pthread_mutex_unlock(&registry_lock);
	return n;
}
