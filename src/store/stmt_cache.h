/* stmt_cache.h — prepared statements kept per connection for the hot paths
 * (the swipe lookup): prepared once, reused, finalized when the connection closes. */
#ifndef FC_STMT_CACHE_H
#define FC_STMT_CACHE_H

#include <sqlite3.h>

#include "base/status.h"

#define STMT_CACHE_MAX 32 /* statements kept per connection */

/* The statement for sql on db, prepared on first use with
 * SQLITE_PREPARE_PERSISTENT and kept until db is closed.  sql must have
 * static storage: its address is the key.  Comes back reset with its
 * bindings cleared.  Finish with stmt_cache_done (ends the read).
 * When the connection already keeps STMT_CACHE_MAX statements, a new sql
 * is prepared plainly instead (not kept): stmt_cache_done finalizes it, so
 * callers work the same either way.
 * Closing: the cache finalizes its statements from the connection's
 * SQLITE_TRACE_CLOSE callback (sqlite3_trace_v2), so a connection that
 * uses the cache must not set a trace callback of its own.  Thread-safe
 * (one registry, one mutex); a connection is used by one thread at a time. */
fc_status stmt_cache_get(sqlite3 *db, const char *sql, sqlite3_stmt **out, fc_error *err);

/* Reset st (NULL is fine) so it holds no read transaction open; a
 * statement the cache did not keep (it was full) is finalized. */
void stmt_cache_done(sqlite3_stmt *st);

/* Finalize and forget db's kept statements and remove the close hook: call
 * before sqlite3_close (db_close does), so a close that fails with
 * SQLITE_BUSY leaves nothing dangling.  No-op for a db without a cache. */
void stmt_cache_release(sqlite3 *db);

/* Statements cached for db (tests). */
int stmt_cache_count(sqlite3 *db);

#endif
