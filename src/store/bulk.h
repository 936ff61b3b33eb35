/* bulk.h — long writers (import, master data, tier evaluation) on the live
 * database without a long write lock (HACKING.md "Bulk jobs"): one bulk job
 * at a time per database, its writes in short chunks that other writers
 * (a fuelling) slip between, a private staging database, and for a big
 * change shadow copies of the tables it changes, put in place by a short
 * switch (renames), so readers see all of it or nothing.
 *
 * A job: bulk_open (the lock, leftovers of a job that died, the staging
 * database attached as "stage"), read its input into stage, then either
 * apply it in one short transaction of its own (a small change), or
 * bulk_shadow the tables it changes, write them through bulk_name in
 * chunks (bulk_chunk_begin / bulk_chunk_due / bulk_chunk_end) and
 * bulk_switch_begin / bulk_switch_end; bulk_close.  The connection is the
 * job's alone while the job is open. */
#ifndef FC_BULK_H
#define FC_BULK_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"

/* A bulk job changes at most this many rows in one short transaction;
 * more go through shadow tables. */
#define BULK_DIRECT_MAX 1000
/* Between shadow ids of the job's new customers and the live table's: room
 * for customers registered while the job runs. */
#define BULK_ID_GAP 10000

/* The tables a bulk job may shadow. */
typedef enum {
	BULK_CUSTOMERS,    /* its search entries made after the switch when asked */
	BULK_CARDS,
	BULK_TIER_HISTORY,
	BULK_CHAIN_LITRES,
	BULK_PRICES,
	BULK_HOLIDAYS,
	BULK_TABLE_COUNT
} bulk_table;

typedef struct bulk_job bulk_job;

/* Start a bulk job on db, the job's own connection to db_path (no
 * transaction open): take the lock "<db_path>.bulk.lock" (when another job
 * holds it: wait for it if wait, else FC_ERR_LOCKED after trying for 100 ms,
 * the longest a search builder's step holds it), finish what
 * a job that died left (shadow and old tables, in chunks), attach a private
 * temporary database as "stage".  *out is the caller's, to bulk_close. */
fc_status bulk_open(sqlite3 *db, const char *db_path, bool wait, bulk_job **out, fc_error *err);

/* End the job: a switch not made is undone (shadow tables dropped in
 * chunks), stage detached, the connection's pragmas restored, the lock
 * released.  NULL is fine. */
void bulk_close(bulk_job *j);

/* The lock of bulk jobs on db_path taken for a moment, not waiting: its
 * descriptor, or -1 when a job holds it.  For work between jobs done in
 * short steps (the search builder): a job that asks for the lock gets it
 * at the next step's end. */
int bulk_lock_try(const char *db_path);
void bulk_lock_release(int fd); /* -1 is fine */

/* Whether a bulk job holds db_path's lock now (background work that would
 * touch every customer waits for it to end). */
bool bulk_running(const char *db_path);

/* A write chunk: BEGIN IMMEDIATE, after a pause that lets a waiting
 * writer in when the previous chunk ended a moment ago. */
fc_status bulk_chunk_begin(bulk_job *j, fc_error *err);
/* The chunk has used its time: end it and begin the next. */
bool bulk_chunk_due(const bulk_job *j);
/* COMMIT when s is FC_OK (its failure returned), else ROLLBACK and s. */
fc_status bulk_chunk_end(bulk_job *j, fc_status s, fc_error *err);

/* Shadow table t: create "<t>__next" like t (columns, constraints,
 * indexes, the triggers that write other tables; never the search
 * indexes) and copy t's rows into it in chunks.  customers with search
 * (the job adds customers or changes names, phones, plates or codes):
 * before the switch, the customers it adds or changes that way are listed
 * in search_pending and their old search entries removed, in chunks
 * (search scans the listed ones); their entries are made after the switch
 * by search_index_pending (customers/search.h).  Rows that station actions change in t
 * meanwhile (customers, cards, holidays) are noted (bulk_dirty) and copied
 * again at the switch.  Call
 * before writing any shadow. */
fc_status bulk_shadow(bulk_job *j, bulk_table t, bool search, fc_error *err);
bool bulk_shadowed(const bulk_job *j, bulk_table t);
bool bulk_shadow_search(const bulk_job *j); /* customers shadowed with search */

/* The name the job writes t as: "<t>__next" when shadowed, else t's. */
const char *bulk_name(const bulk_job *j, bulk_table t);

/* Customer ids below this are the live table's (and registrations while
 * the job runs); the job's new customers get ids from here (0: customers
 * not shadowed). */
int64_t bulk_new_id_base(const bulk_job *j);

/* The job's own rows for keys (column 0 of each row of keys: a customer's
 * id, a card's id, a holiday's date) of shadowed table t applied again to the shadow, just
 * after the shadow took those rows as station actions left them: the job
 * wins, as if it came after them. */
typedef fc_status (*bulk_reapply_fn)(void *user, bulk_table t, sqlite3_stmt *keys,
				     fc_error *err);

/* The switch.  First, in chunks, the rows station actions changed while the
 * job ran are copied again from the live tables and reapply called for them,
 * until few are left; then BEGIN IMMEDIATE, those few the same way (a
 * conflict with the job's new rows fails the job).  The caller then makes
 * the small writes that go with the switch and calls bulk_switch_end. */
fc_status bulk_switch_begin(bulk_job *j, bulk_reapply_fn reapply, void *user, fc_error *err);

/* s FC_OK: put the shadows in place of the live tables (renames, the live
 * tables' triggers moved over) and COMMIT, then drop the old tables in
 * chunks; else ROLLBACK.  Returns s or the commit's failure. */
fc_status bulk_switch_end(bulk_job *j, fc_status s, fc_error *err);

#endif
