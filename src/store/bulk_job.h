/* bulk_job.h — inside store/bulk.c and bulk_shadow.c: the state of one
 * bulk job and the helpers both use (not for other modules: bulk.h). */
#ifndef FC_BULK_JOB_H
#define FC_BULK_JOB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/bulk.h"

struct bulk_job {
	sqlite3 *db;
	int lock_fd;
	char lock_path[4200];
	bool attached;                       /* stage is attached */
	bool shadowed[BULK_TABLE_COUNT];
	int shadows;                         /* tables shadowed */
	bool search;                         /* customers' search entries listed as pending */
	bool switched;                       /* the shadows are in place */
	int64_t id_base;                     /* first id of the job's new customers */
	int64_t chunk_start_us, chunk_end_us, checkpoint_us;
	int saved_sync, saved_fk;            /* the connection's pragmas, restored at close */
	int step_rows;                       /* rows one copy or delete statement takes */
};

/* CLOCK_MONOTONIC in microseconds. */
int64_t bulk_now_us(void);

/* A statement of many rows runs whole once begun: after one that took
 * took_us, the rows the next one takes, so each stays a few milliseconds. */
int bulk_step_rows(bulk_job *j, int64_t took_us);

/* Run SQL on the job's connection (no rows). */
fc_status bulk_exec(bulk_job *j, const char *sql, fc_error *err);

/* The key of table name: "rowid", or the quoted primary-key columns of a
 * WITHOUT ROWID table, comma separated, into out[n]; *count columns. */
fc_status bulk_key_columns(sqlite3 *db, const char *name, char *out, size_t n, int *count,
			   fc_error *err);

/* The stored columns of table name (generated ones left out: they are
 * neither inserted nor copied), quoted and comma separated, in a string
 * from sqlite3_malloc (sqlite3_free it); NULL with err set on failure. */
char *bulk_stored_columns(sqlite3 *db, const char *name, fc_error *err);

/* Drop what a job left: the noting triggers and bulk_dirty, then every
 * "*__next" and "*__old" table (search indexes first), emptied in chunks. */
fc_status bulk_clear_leftovers(bulk_job *j, fc_error *err);

/* Before the switch (customers shadowed with search), in chunks: the
 * shadow's customers that are new or have another name, phone, plate or
 * code listed in search_pending, their live search entries removed
 * (bulk_search.c). */
fc_status bulk_search_mark(bulk_job *j, fc_error *err);

/* Inside the switch: the rows station actions changed while the job ran
 * (stage.touched; now as the shadow has them) indexed anew, but those
 * listed in search_pending. */
fc_status bulk_search_resync(bulk_job *j, fc_error *err);

#endif
