/* uploader.h — delivery of the outbox to head office: one request in flight,
 * full-jitter backoff, one uploader per database, as a kiosk thread or as
 * `forecourt sync`.
 *
 * FOR THE KIOSK: after initscr, call
 *     uploader *up; uploader_start(&app->cfg, app->db_path, wake_fd, &up, &err);
 * with wake_fd the write end of an eventfd(0, EFD_NONBLOCK) or a non-blocking
 * pipe that your poll() loop watches; read and discard what arrives (8 bytes
 * per attempt), then call outbox_status() (outbox.h) on your own connection
 * and redraw the status bar.  On exit call uploader_stop(up) (returns within
 * about a second even while a request hangs).  The thread opens its own
 * SQLite connections (and its short-lived helper threads use them); it
 * never touches yours. */
#ifndef FC_UPLOADER_H
#define FC_UPLOADER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/config.h"
#include "base/status.h"

/* How uploader_run behaves. */
typedef struct uploader_options {
	const fc_config *cfg;
	const char *db_path;
	int stop_fd;            /* readable = stop (pipe, eventfd, signalfd); -1 = none */
	int wake_fd;            /* written (8 bytes) after each attempt; -1 = none */
	const atomic_int *stop; /* non-zero aborts a request in flight; may be NULL */
	atomic_int *waiting;    /* set to 1 while waiting for another uploader's lock; may be NULL */
	bool once;              /* return when the backlog is empty, or at the first failure */
	FILE *log;              /* progress lines (stderr for the CLI), NULL = quiet */
} uploader_options;

/* Full-jitter backoff: a uniform random wait in [0, min(cap, base * 2^n)] ms. */
long uploader_backoff_ms(int base_ms, int cap_s, int n);

/* Take the lock "<db>.upload.lock" (flock).  When another uploader holds it,
 * says so once on log (and sets *waiting) and waits until it is free or
 * stop_fd becomes readable.  *fd_out is the lock's fd (close it to release);
 * FC_ERR_LOCKED when stopped before getting it. */
fc_status uploader_lock(const char *db_path, int stop_fd, FILE *log, atomic_int *waiting,
			int *fd_out, fc_error *err);

/* The delivery loop: lock, own connection, batches in seq order, replies
 * applied, a batch head office refuses as a whole narrowed down to the
 * record(s) it refuses (uploader_delivery.h), failures noted with backoff;
 * master data pulled at the start and every [upload] master_interval_s and
 * retention hourly, whatever the queue holds (with once: the pull at the end,
 * also after a failed delivery).  Upload failures, recoveries and dead
 * letters go to syslog (base/log.h), also from the kiosk's thread.  Returns
 * FC_OK when stopped or (once) when the backlog is delivered; with once the
 * first error, or a record head office refuses that is still held back. */
fc_status uploader_run(const uploader_options *opt, fc_error *err);

typedef struct uploader uploader;

/* Start the delivery loop in its own thread.  *out = NULL (and FC_OK) when
 * [upload] url is empty (upload off).  The config is copied. */
fc_status uploader_start(const fc_config *cfg, const char *db_path, int wake_fd, uploader **out,
			 fc_error *err);

/* True while the thread waits for another uploader (show "another uploader
 * is running; waiting").  NULL is fine. */
bool uploader_is_waiting(const uploader *up);

/* Stop the thread (aborting a request in flight), join it, free up.  NULL is fine. */
void uploader_stop(uploader *up);

#endif
