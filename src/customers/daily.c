/* daily.c — the start-of-day thread of the kiosk (see daily.h): the daily
 * classification in chunks, resumed after a restart, shared by terminals. */
#include "customers/daily.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/thread.h"
#include "customers/classify.h"
#include "customers/search.h"
#include "customers/tiers.h"
#include "store/bulk.h"
#include "store/db.h"

#define DAILY_LOOK_EVERY_MS 60000L /* is today's run done? */
#define DAILY_PAUSE_MS 20L         /* between chunks: other writers go first */
#define DAILY_BULK_WAIT_MS 5000L   /* look again this soon while a bulk job runs */
#define DAILY_INDEX_MS 200         /* search entries made at most this long a turn */

struct daily {
	pthread_t thread;
	fc_config cfg;
	char db_path[CONFIG_STR];
	int stop_pipe[2];
};

static void *daily_thread(void *arg)
{
	thread_background(); /* the UI thread goes first */
	daily *d = arg;
	sqlite3 *db = NULL;
	fc_error err;
	fc_error_clear(&err);
	long wait_ms = 0;
	while (!clock_wait_fd(d->stop_pipe[0], wait_ms)) {
		wait_ms = DAILY_LOOK_EVERY_MS;
		if (!db && db_open(d->db_path, DB_OPEN_EXISTING, &db, &err) != FC_OK) {
			db = NULL;
			continue;
		}
		/* a bulk job (store/bulk.h) would have to copy every customer
		 * this touches again at its switch: wait for it to end */
		if (bulk_running(d->db_path)) {
			wait_ms = DAILY_BULK_WAIT_MS;
			continue;
		}
		bool more = false;
		/* the search entries a bulk job left to be made (a builder that
		 * stopped: store/bulk.h), a while at a time */
		fc_status s = search_index_pending(db, d->db_path, DAILY_INDEX_MS, NULL, &more, &err);
		if (!s)
			s = tiers_resume_records(db, &d->cfg, &err);
		bool classify_more = false;
		if (!s)
			s = classify_daily_step(db, &d->cfg, clock_now_ms(), &classify_more, &err);
		more |= classify_more;
		if (s) {
			fc_error ignored;
			db_meta_set(db, "last_classify_error", fc_error_text(&err), &ignored);
		} else {
			char was[8] = "";
			fc_error ignored;
			if (db_meta_get(db, "last_classify_error", was, sizeof was) && was[0])
				db_meta_set(db, "last_classify_error", "", &ignored); /* mended */
			if (more)
				wait_ms = DAILY_PAUSE_MS;
		}
	}
	db_close(db);
	return NULL;
}

fc_status daily_start(const fc_config *cfg, const char *db_path, daily **out, fc_error *err)
{
	*out = NULL;
	daily *d = calloc(1, sizeof *d);
	if (!d)
		return fc_error_set(err, FC_ERR_NOMEM, "starting the daily run");
	d->cfg = *cfg;
	snprintf(d->db_path, sizeof d->db_path, "%s", db_path);
	if (pipe2(d->stop_pipe, O_CLOEXEC) != 0) {
		free(d);
		return fc_error_set(err, FC_ERR_IO, "starting the daily run: %s", strerror(errno));
	}
	int rc = pthread_create(&d->thread, NULL, daily_thread, d);
	if (rc != 0) {
		close(d->stop_pipe[0]);
		close(d->stop_pipe[1]);
		free(d);
		return fc_error_set(err, FC_ERR_IO, "starting the daily run thread: %s", strerror(rc));
	}
	*out = d;
	return FC_OK;
}

void daily_stop(daily *d)
{
	if (!d)
		return;
	char byte = 1;
	ssize_t w = write(d->stop_pipe[1], &byte, 1);
	(void)w;
	pthread_join(d->thread, NULL);
	close(d->stop_pipe[0]);
	close(d->stop_pipe[1]);
	free(d);
}
