/* uploader.c — the delivery loop (batches, backoff, master pulls), the
 * per-database lock and the kiosk's uploader thread. */
#include "sync/uploader.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/thread.h"
#include "store/db.h"
#include "store/outbox.h"
#include "sync/hq_client.h"
#include "sync/master.h"
#include "sync/uploader_delivery.h"

#define UPLOADER_IDLE_MS 1000              /* look for new records this often */
#define UPLOADER_MASTER_PAGE 20000         /* master lines asked for at once */
#define UPLOADER_MASTER_PAGES 100          /* pages in a row before the next interval */
#define UPLOADER_PRUNE_EVERY_MS 3600000    /* retention once an hour */

long uploader_backoff_ms(int base_ms, int cap_s, int n)
{
	int64_t cap = (int64_t)cap_s * 1000;
	int64_t limit = base_ms;
	for (int i = 0; i < n && limit < cap; i++)
		limit *= 2;
	if (limit > cap)
		limit = cap;
	if (limit <= 0)
		return 0;
	return (long)randombytes_uniform((uint32_t)limit + 1);
}

fc_status uploader_lock(const char *db_path, int stop_fd, FILE *log, atomic_int *waiting,
			int *fd_out, fc_error *err)
{
	char path[4096];
	*fd_out = -1;
	int w = snprintf(path, sizeof path, "%s.upload.lock", db_path);
	if (w < 0 || (size_t)w >= sizeof path)
		return fc_error_set(err, FC_ERR_INVALID, "%s: path too long", db_path);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return fc_error_set(err, FC_ERR_IO, "%s: cannot open the uploader lock: %s", path,
				    strerror(errno));
	bool said = false;
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int e = errno;
			close(fd);
			return fc_error_set(err, FC_ERR_IO, "%s: cannot lock: %s", path, strerror(e));
		}
		if (!said) {
			if (log)
				fprintf(log,
					"forecourt: another uploader is running on %s (lock %s); "
					"waiting for it to stop\n",
					db_path, path);
			if (waiting)
				atomic_store(waiting, 1);
			said = true;
		}
		if (clock_wait_fd(stop_fd, 200)) {
			close(fd);
			if (waiting)
				atomic_store(waiting, 0);
			return fc_error_set(err, FC_ERR_LOCKED,
					    "stopped while another uploader held %s", path);
		}
	}
	if (waiting)
		atomic_store(waiting, 0);
	if (said && log)
		fprintf(log, "forecourt: got the uploader lock of %s\n", db_path);
	*fd_out = fd;
	return FC_OK;
}

static void wake(int fd)
{
	if (fd < 0)
		return;
	uint64_t one = 1;
	ssize_t w = write(fd, &one, sizeof one);
	(void)w; /* a full pipe already wakes the reader */
}

/* The WAL checkpoint on a connection and thread of its own, so its two
 * fsyncs never stand between two requests: the loop only says when one is
 * due.  Without it (the thread did not start) the loop checkpoints itself. */
typedef struct checkpointer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	sqlite3 *db;
	bool due, stop, running;
} checkpointer;

static void *checkpointer_run(void *arg)
{
	checkpointer *c = arg;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->due && !c->stop)
			pthread_cond_wait(&c->cond, &c->lock);
		if (c->stop)
			break;
		c->due = false;
		pthread_mutex_unlock(&c->lock);
		sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

static void checkpointer_start(checkpointer *c, const char *db_path)
{
	memset(c, 0, sizeof *c);
	fc_error ignored;
	if (db_open(db_path, DB_OPEN_EXISTING, &c->db, &ignored) != FC_OK)
		return;
	/* as the uploader's connection: the checkpoint's syncs are the same */
	db_exec(c->db, "PRAGMA synchronous=NORMAL", "setting up the checkpoint", &ignored);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->running = pthread_create(&c->thread, NULL, checkpointer_run, c) == 0;
	if (!c->running) {
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->cond);
		db_close(c->db);
		c->db = NULL;
	}
}

/* Ask for a checkpoint; false when there is no thread to do it. */
static bool checkpointer_ask(checkpointer *c)
{
	if (!c->running)
		return false;
	pthread_mutex_lock(&c->lock);
	c->due = true;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return true;
}

/* Stop the thread (a checkpoint under way ends first) and close. */
static void checkpointer_stop(checkpointer *c)
{
	if (!c->running)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	db_close(c->db);
	c->running = false;
}

/* Loop state shared by the steps below. */
typedef struct loop_state {
	const uploader_options *opt;
	sqlite3 *db;
	hq_client *client;
	uploader_delivery delivery; /* batches, narrowing, backoff */
	int64_t next_deliver_ms, next_master_ms, next_prune_ms;
	int wal_pages; /* frames in the WAL after our last commit (wal hook) */
	checkpointer checkpoint;
} loop_state;

/* Checkpoint once the WAL holds this many pages: well before SQLite's
 * automatic 1 000, so the kiosk's commits rarely pay for one, but not after
 * every batch (each checkpoint is an fsync of the database). */
#define UPLOADER_CHECKPOINT_PAGES 400

static int note_wal_pages(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)db;
	(void)name;
	((loop_state *)arg)->wal_pages = pages;
	return SQLITE_OK;
}

/* Checkpoint for the uploader (by the checkpointer's thread, else here), so
 * the WAL stays small and the kiosk's commits rarely pay for an automatic
 * checkpoint. */
static void maybe_checkpoint(loop_state *ls)
{
	if (ls->wal_pages < UPLOADER_CHECKPOINT_PAGES)
		return;
	if (!checkpointer_ask(&ls->checkpoint))
		sqlite3_wal_checkpoint_v2(ls->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	ls->wal_pages = 0;
}

/* The delivery's hook: a checkpoint asked for while a request is out
 * rather than between two requests. */
static void checkpoint_in_flight(void *ctx)
{
	maybe_checkpoint(ctx);
}

/* hq_client's body callback: the bytes into the pull. */
static fc_status feed_master(void *pull, const char *data, size_t n, fc_error *err)
{
	return master_pull_feed(pull, data, n, err);
}

/* GET /v1/master?since=<meta master_version>, page after page while they
 * come full (a new station's first pull), each read into one pull as it
 * arrives, then applied together. */
static fc_status uploader_pull_master(sqlite3 *db, const fc_config *cfg, hq_client *client,
				      master_result *res, fc_error *err)
{
	char since[128] = "";
	memset(res, 0, sizeof *res);
	db_meta_get(db, "master_version", since, sizeof since);
	master_pull *pull;
	fc_status s = master_pull_open(db, cfg, &pull, err);
	int64_t lines = 0;
	for (int pages = 0; !s && (pages == 0 || (lines >= UPLOADER_MASTER_PAGE &&
						  pages < UPLOADER_MASTER_PAGES)); pages++) {
		char *esc = hq_client_escape(client, since);
		if (!esc) {
			s = fc_error_set(err, FC_ERR_NOMEM, "building the master-data request");
			break;
		}
		char path[512];
		snprintf(path, sizeof path, "/v1/master?since=%s&limit=%d", esc, UPLOADER_MASTER_PAGE);
		free(esc);
		s = hq_client_get_stream(client, path, feed_master, pull, err);
		if (!s)
			s = master_pull_page_end(pull, &lines, since, sizeof since, err);
	}
	if (!s)
		s = master_pull_apply(pull, res, err);
	master_pull_close(pull);
	return s;
}

/* Master data when due (or forced) and retention when due.  Returns the
 * master pull's status (FC_OK when not due); err receives its reason. */
static fc_status housekeeping(loop_state *ls, bool force_master, fc_error *err)
{
	int64_t now = clock_mono_ms();
	fc_status st = FC_OK;
	bool pull = force_master || now >= ls->next_master_ms;
	bool prune = now >= ls->next_prune_ms;
	if (pull || prune) {
		/* a clean reply not yet recorded goes in first: a long first pull
		 * must not leave delivered records shown as pending */
		fc_error flush_err;
		if (uploader_delivery_flush(&ls->delivery, &flush_err))
			log_msg(LOG_ERR, "upload: a delivered batch not recorded yet: %s",
				fc_error_text(&flush_err));
	}
	if (pull) {
		master_result res;
		st = uploader_pull_master(ls->db, ls->opt->cfg, ls->client, &res, err);
		fc_error ignored;
		db_meta_set(ls->db, "last_master_error", st ? fc_error_text(err) : "", &ignored);
		if (ls->opt->log) {
			if (st)
				fprintf(ls->opt->log, "forecourt: master data not applied: %s\n",
					fc_error_text(err));
			else
				fprintf(ls->opt->log,
					"forecourt: master data version %s (%" PRId64 " lines)\n",
					res.version, res.lines);
		}
		ls->next_master_ms = now + (int64_t)ls->opt->cfg->upload_master_interval_s * 1000;
	}
	if (prune) {
		int64_t n = 0;
		fc_error e;
		if (outbox_prune_sent(ls->db, ls->opt->cfg->upload_retention_days, &n, &e) == FC_OK &&
		    n > 0 && ls->opt->log)
			fprintf(ls->opt->log, "forecourt: pruned %" PRId64 " sent records\n", n);
		ls->next_prune_ms = now + UPLOADER_PRUNE_EVERY_MS;
	}
	return st;
}

/* Open the client, retrying slowly (unless once) while the token or URL is
 * wrong: the station head may fix the file while we wait. */
static fc_status open_client(loop_state *ls, fc_error *err)
{
	const uploader_options *opt = ls->opt;
	char said[sizeof err->msg] = "";
	for (;;) {
		fc_status st = hq_client_open(opt->cfg, opt->stop, &ls->client, err);
		if (!st && said[0])
			log_msg(LOG_NOTICE, "upload to head office starts now (it could not: %s)",
				said);
		if (!st || opt->once)
			return st;
		if (strcmp(said, fc_error_text(err)) != 0) { /* once per reason, not per retry */
			snprintf(said, sizeof said, "%s", fc_error_text(err));
			log_msg(LOG_ERR, "upload to head office cannot start: %s", said);
		}
		fc_error ignored;
		outbox_note_failure(ls->db, NULL, fc_error_text(err), 0, &ignored);
		wake(opt->wake_fd);
		if (opt->log)
			fprintf(opt->log, "forecourt: %s\n", fc_error_text(err));
		if (clock_wait_fd(opt->stop_fd, (long)opt->cfg->upload_backoff_cap_s * 1000))
			return FC_OK;
	}
}

fc_status uploader_run(const uploader_options *opt, fc_error *err)
{
	int lock_fd;
	fc_status st = uploader_lock(opt->db_path, opt->stop_fd, opt->log, opt->waiting, &lock_fd,
				     err);
	if (st == FC_ERR_LOCKED)
		return FC_OK;
	if (st)
		return st;
	loop_state ls = { .opt = opt };
	st = db_open(opt->db_path, DB_OPEN_EXISTING, &ls.db, err);
	if (!st) {
		/* The uploader's own writes (batch key, acknowledgements) need not
		 * reach the disk at each commit: one lost to a power cut means a
		 * batch sent again, which head office deduplicates by record id.
		 * The kiosk's connections stay synchronous=FULL, and their commits
		 * sync the shared WAL, ours included. */
		st = db_exec(ls.db, "PRAGMA synchronous=NORMAL", "setting up the uploader", err);
		sqlite3_wal_hook(ls.db, note_wal_pages, &ls);
		checkpointer_start(&ls.checkpoint, opt->db_path);
	}
	if (!st)
		st = open_client(&ls, err);
	if (st || !ls.client)
		goto out;
	uploader_delivery_init(&ls.delivery, ls.db, ls.client, opt->cfg, opt->log);
	ls.delivery.in_flight = checkpoint_in_flight;
	ls.delivery.in_flight_ctx = &ls;
	ls.next_master_ms = clock_mono_ms();
	ls.next_prune_ms = ls.next_master_ms;
	ls.next_deliver_ms = ls.next_master_ms;
	bool stopped = false, db_failing = false;
	for (;;) {
		/* Master data and retention on their own schedule, whatever the
		 * queue holds: a refused or undeliverable record must not keep a
		 * blocked card from the station. */
		if (!opt->once) {
			fc_error ignored;
			housekeeping(&ls, false, &ignored);
		}
		if (opt->stop && atomic_load(opt->stop)) {
			stopped = true;
			break;
		}
		if (clock_mono_ms() >= ls.next_deliver_ms) {
			bool empty;
			long wait_ms;
			st = uploader_delivery_step(&ls.delivery, &empty, &wait_ms, err);
			if (!empty)
				wake(opt->wake_fd);
			if (opt->once && (st || empty))
				break;
			if (st && st != FC_ERR_AUTH && st != FC_ERR_NET && st != FC_ERR_PROTOCOL) {
				/* the database: say so and try again later */
				fc_error ignored;
				outbox_note_failure(ls.db, NULL, fc_error_text(err), 0, &ignored);
				wait_ms = (long)opt->cfg->upload_backoff_cap_s * 1000;
				/* in syslog too: on a full disk the note above fails as
				 * well; once per run of failures */
				if (!db_failing)
					log_msg(LOG_ERR, "upload paused: the station's database: %s",
						fc_error_text(err));
				db_failing = true;
			} else if (!st) {
				db_failing = false;
			}
			if (empty)
				wait_ms = UPLOADER_IDLE_MS;
			ls.next_deliver_ms = clock_mono_ms() + wait_ms;
			st = FC_OK;
		}
		/* every turn, also while head office is away: our own commits
		 * (failures noted, pulls, prunes) must not grow the WAL unchecked */
		maybe_checkpoint(&ls);
		int64_t next = ls.next_deliver_ms;
		if (!opt->once && ls.next_master_ms < next)
			next = ls.next_master_ms;
		if (!opt->once && ls.next_prune_ms < next)
			next = ls.next_prune_ms;
		int64_t now = clock_mono_ms();
		if (clock_wait_fd(opt->stop_fd, next > now ? (long)(next - now) : 0)) {
			stopped = true;
			break;
		}
	}
	/* a clean reply the step left for the next one to record, recorded now
	 * (one batch's transaction); the batch read after it dropped */
	fc_error flush_err;
	fc_status flushed = uploader_delivery_flush(&ls.delivery, &flush_err);
	if (flushed && !st) {
		st = flushed;
		*err = flush_err;
	}
	if (opt->once && !st && stopped)
		st = fc_error_set(err, FC_ERR_IO, "stopped before the backlog was delivered");
	else if (opt->once && !st)
		st = uploader_delivery_held(&ls.delivery, err);
	if (opt->once && !stopped) {
		/* the pull also after a failed delivery; delivery's error first */
		fc_error pull_err;
		fc_error_clear(&pull_err);
		fc_status pulled = housekeeping(&ls, true, &pull_err);
		if (!st && pulled) {
			st = pulled;
			*err = pull_err;
		}
		wake(opt->wake_fd);
	}
out:
	hq_client_close(ls.client);
	checkpointer_stop(&ls.checkpoint);
	db_close(ls.db);
	close(lock_fd);
	return st;
}

struct uploader {
	pthread_t thread;
	fc_config cfg;
	char db_path[CONFIG_STR];
	int wake_fd;
	int stop_pipe[2];
	atomic_int stop;
	atomic_int waiting;
};

static void *uploader_thread(void *arg)
{
	thread_background(); /* the UI thread goes first */
	uploader *up = arg;
	uploader_options opt = {
		.cfg = &up->cfg,
		.db_path = up->db_path,
		.stop_fd = up->stop_pipe[0],
		.wake_fd = up->wake_fd,
		.stop = &up->stop,
		.waiting = &up->waiting,
	};
	fc_error err;
	fc_error_clear(&err);
	if (uploader_run(&opt, &err) != FC_OK) {
		log_msg(LOG_ERR, "the kiosk's uploader stopped: %s", fc_error_text(&err));
		/* Leave the reason where the status bar reads it. */
		sqlite3 *db;
		fc_error ignored;
		if (db_open(up->db_path, DB_OPEN_EXISTING, &db, &ignored) == FC_OK) {
			db_meta_set(db, "last_upload_error", fc_error_text(&err), &ignored);
			db_close(db);
		}
		wake(up->wake_fd);
	}
	return NULL;
}

fc_status uploader_start(const fc_config *cfg, const char *db_path, int wake_fd, uploader **out,
			 fc_error *err)
{
	*out = NULL;
	if (!cfg->upload_url[0])
		return FC_OK;
	uploader *up = calloc(1, sizeof *up);
	if (!up)
		return fc_error_set(err, FC_ERR_NOMEM, "starting the uploader");
	up->cfg = *cfg;
	snprintf(up->db_path, sizeof up->db_path, "%s", db_path);
	up->wake_fd = wake_fd;
	if (pipe2(up->stop_pipe, O_CLOEXEC) != 0) {
		free(up);
		return fc_error_set(err, FC_ERR_IO, "starting the uploader: %s", strerror(errno));
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		close(up->stop_pipe[0]);
		close(up->stop_pipe[1]);
		free(up);
		return fc_error_set(err, FC_ERR_IO, "starting the uploader: libcurl did not start");
	}
	int rc = pthread_create(&up->thread, NULL, uploader_thread, up);
	if (rc != 0) {
		curl_global_cleanup();
		close(up->stop_pipe[0]);
		close(up->stop_pipe[1]);
		free(up);
		return fc_error_set(err, FC_ERR_IO, "starting the uploader thread: %s", strerror(rc));
	}
	*out = up;
	return FC_OK;
}

bool uploader_is_waiting(const uploader *up)
{
	return up && atomic_load(&up->waiting);
}

void uploader_stop(uploader *up)
{
	if (!up)
		return;
	atomic_store(&up->stop, 1);
	char byte = 1;
	ssize_t w = write(up->stop_pipe[1], &byte, 1);
	(void)w;
	pthread_join(up->thread, NULL);
	close(up->stop_pipe[0]);
	close(up->stop_pipe[1]);
	curl_global_cleanup();
	free(up);
}
