/* hq_http.c — the HTTP service on libmicrohttpd.
 *
 * A pool of worker threads (MHD's thread pool, epoll); each worker keeps
 * one PostgreSQL connection (a pthread key, closed when the thread ends)
 * and reconnects after a failure.  A master pull streams from a connection
 * of its own, at most [limits] master_streams at once.  Every bound is
 * checked before the body is read where it can be: Content-Type (415),
 * Content-Length (413), token (401/403); a body that grows past body_max
 * is drained and answered 413; clients silent for [http] timeout_s are
 * dropped; connections beyond connection_limit are refused. */
#include "hq/hq_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "hq/hq_db.h"
#include "hq/hq_ingest.h"
#include "hq/hq_master.h"
#include "hq/hq_metrics.h"
#include "hq/hq_station.h"

#define HQ_SERVER_VERSION "forecourt-hq 1"

typedef struct server {
	const hq_config *cfg;
	atomic_int master_streams;
} server;

typedef struct request {
	hq_metrics_path path;
	bool answered;    /* a response was queued on the first call */
	bool too_big;     /* the body outgrew body_max: drained, then 413 */
	char station[40];
	char *body;
	size_t len, cap;
	struct timespec start;
} request;

static pthread_key_t db_key;

static void log_line(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* syslog (journald) and stderr: the service's log. */
static void log_line(int priority, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_msg(priority, "%s", msg);
	fprintf(stderr, "forecourt-hq: %s\n", msg);
}

static void close_db(void *p)
{
	PQfinish(p);
}

/* This worker's connection, made when missing or broken; NULL with err. */
static PGconn *worker_db(const server *srv, fc_error *err)
{
	PGconn *db = pthread_getspecific(db_key);
	if (db && PQstatus(db) == CONNECTION_OK)
		return db;
	if (db) {
		PQfinish(db);
		pthread_setspecific(db_key, NULL);
	}
	if (hq_db_connect(srv->cfg->conninfo, &db, err))
		return NULL;
	pthread_setspecific(db_key, db);
	return db;
}

/* After FC_ERR_NET: drop the connection, the next request makes a new one. */
static void worker_db_drop(void)
{
	PGconn *db = pthread_getspecific(db_key);
	if (db) {
		PQfinish(db);
		pthread_setspecific(db_key, NULL);
	}
}

static enum MHD_Result send_text(struct MHD_Connection *c, request *r, int status,
				 const char *type, char *text, size_t len)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (status == 503)
		MHD_add_response_header(resp, "Retry-After", "5");
	if (status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
	if (status == 405) /* required with a 405 (RFC 9110 15.5.6) */
		MHD_add_response_header(resp, "Allow",
					r->path == HQ_PATH_RECORDS ? "POST" : "GET");
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	hq_metrics_request(r->path, status);
	r->answered = true;
	return ok;
}

static enum MHD_Result send_json(struct MHD_Connection *c, request *r, int status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!text)
		return MHD_NO;
	size_t n = strlen(text);
	return send_text(c, r, status, "application/json", text, n);
}

static enum MHD_Result send_error(struct MHD_Connection *c, request *r, int status,
				  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum MHD_Result send_error(struct MHD_Connection *c, request *r, int status,
				  const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return send_json(c, r, status, json_pack("{s:s}", "error", msg));
}

/* Bearer token and X-Station-Id: 0 when allowed, else the status sent. */
static int authorise(const server *srv, struct MHD_Connection *c, request *r)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *station = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Station-Id");
	const char *token = auth && strncmp(auth, "Bearer ", 7) == 0 ? auth + 7 : NULL;
	if (!token || !station || strlen(station) >= sizeof r->station) {
		send_error(c, r, 401, "missing Authorization: Bearer TOKEN or X-Station-Id");
		return 401;
	}
	fc_error err = { 0 };
	PGconn *db = worker_db(srv, &err);
	fc_status s = db ? hq_station_auth(db, station, token, &err) : FC_ERR_NET;
	if (s == FC_ERR_NET)
		worker_db_drop();
	if (s == FC_ERR_AUTH) {
		log_line(LOG_WARNING, "refused a request as station '%.32s': %s", station,
			 fc_error_text(&err));
		send_error(c, r, 401, "%s", fc_error_text(&err));
		return 401;
	}
	if (s == FC_ERR_LOCKED) {
		send_error(c, r, 403, "%s", fc_error_text(&err));
		return 403;
	}
	if (s) {
		log_line(LOG_ERR, "database: %s", fc_error_text(&err));
		send_error(c, r, 503, "head office's database is unavailable; retry later");
		return 503;
	}
	snprintf(r->station, sizeof r->station, "%s", station);
	return 0;
}

/* First call of POST /v1/records: everything that can be refused before
 * the body is read. */
static enum MHD_Result records_start(const server *srv, struct MHD_Connection *c, request *r)
{
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (!type || strncmp(type, "application/x-ndjson", 20) != 0 ||
	    (type[20] != '\0' && type[20] != ';'))
		return send_error(c, r, 415, "Content-Type must be application/x-ndjson (got '%.60s')",
				  type ? type : "");
	const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (length && strtoull(length, NULL, 10) > (unsigned long long)srv->cfg->body_max)
		return send_error(c, r, 413, "body of %.20s bytes: at most %d bytes per request",
				  length, srv->cfg->body_max);
	if (authorise(srv, c, r))
		return MHD_YES;
	return MHD_YES;
}

static enum MHD_Result records_body(const server *srv, request *r, const char *data, size_t n)
{
	if (r->too_big)
		return MHD_YES;
	if (r->len + n > (size_t)srv->cfg->body_max) {
		r->too_big = true;
		free(r->body);
		r->body = NULL;
		r->len = r->cap = 0;
		return MHD_YES;
	}
	if (r->len + n > r->cap) {
		size_t cap = r->cap ? r->cap : 16384;
		while (cap < r->len + n)
			cap *= 2;
		if (cap > (size_t)srv->cfg->body_max)
			cap = (size_t)srv->cfg->body_max;
		char *nb = realloc(r->body, cap);
		if (!nb)
			return MHD_NO;
		r->body = nb;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	return MHD_YES;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static enum MHD_Result records_end(const server *srv, struct MHD_Connection *c, request *r)
{
	if (r->too_big)
		return send_error(c, r, 413, "body over %d bytes: send smaller batches",
				  srv->cfg->body_max);
	hq_ingest_limits lim = { .line_max = (size_t)srv->cfg->line_max,
				 .batch_max = (size_t)srv->cfg->batch_max,
				 .timezone = srv->cfg->timezone };
	fc_error err = { 0 };
	PGconn *db = worker_db(srv, &err);
	hq_ingest_result res;
	fc_status s = db ? hq_ingest_batch(db, r->station, r->body ? r->body : "", r->len, &lim,
					   &res, &err)
			 : FC_ERR_NET;
	if (s) {
		if (s == FC_ERR_NET || (db && PQstatus(db) != CONNECTION_OK))
			worker_db_drop();
		log_line(LOG_ERR, "batch from %s not applied: %s", r->station, fc_error_text(&err));
		/* 503: the database is away (the station waits); 500: this batch
		 * failed where a record passed every check (a station that keeps
		 * getting it narrows the batch down to the record) */
		if (s == FC_ERR_NET)
			return send_error(c, r, 503, "head office's database is unavailable; retry later");
		return send_error(c, r, 500, "head office could not store the batch: %s",
				  fc_error_text(&err));
	}
	if (res.http_status == 200) {
		hq_metrics_records(res.accepted, res.duplicates, res.rejected);
		hq_metrics_batch(seconds_since(&r->start));
		if (res.max_seq > res.station_seq)
			log_line(LOG_WARNING,
				 "station %s: records after seq %" PRId64 " are missing (seen up to %" PRId64 ")",
				 r->station, res.station_seq, res.max_seq);
	} else {
		log_line(LOG_WARNING, "refused a body from %s: HTTP %d %s", r->station,
			 res.http_status, json_string_value(json_object_get(res.reply, "error")));
	}
	return send_json(c, r, res.http_status, res.reply);
}

typedef struct master_ctx {
	hq_master_stream *m;
	server *srv;
} master_ctx;

static ssize_t master_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	master_ctx *mc = cls;
	ssize_t n = hq_master_read(mc->m, buf, max);
	if (n < 0) {
		log_line(LOG_ERR, "a master pull was cut short: the database failed");
		return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	return n ? n : MHD_CONTENT_READER_END_OF_STREAM;
}

static void master_free(void *cls)
{
	master_ctx *mc = cls;
	hq_metrics_master_lines(hq_master_lines(mc->m));
	hq_master_close(mc->m);
	atomic_fetch_sub(&mc->srv->master_streams, 1);
	free(mc);
}

static enum MHD_Result master_get(server *srv, struct MHD_Connection *c, request *r)
{
	if (authorise(srv, c, r))
		return MHD_YES;
	const char *since_text = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	const char *limit_text = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
	int64_t since, limit = srv->cfg->master_page;
	if (!hq_master_parse_version(since_text, &since))
		return send_error(c, r, 400, "since=%.40s: not a version this head office gave",
				  since_text);
	if (limit_text && (!hq_master_parse_version(limit_text, &limit) || limit < 1))
		return send_error(c, r, 400, "limit=%.40s: a whole number >= 1", limit_text);
	if (limit > srv->cfg->master_page)
		limit = srv->cfg->master_page; /* the next page comes with the next request */
	if (atomic_fetch_add(&srv->master_streams, 1) >= srv->cfg->master_streams) {
		atomic_fetch_sub(&srv->master_streams, 1);
		return send_error(c, r, 503, "%d master pulls are running; retry later",
				  srv->cfg->master_streams);
	}
	fc_error err = { 0 };
	master_ctx *mc = calloc(1, sizeof *mc);
	fc_status s = mc ? hq_master_open(srv->cfg->conninfo, r->station, since, limit, &mc->m, &err)
			 : FC_ERR_NOMEM;
	if (s) {
		free(mc);
		atomic_fetch_sub(&srv->master_streams, 1);
		log_line(LOG_ERR, "master pull of %s: %s", r->station, fc_error_text(&err));
		return send_error(c, r, 503, "head office's database is unavailable; retry later");
	}
	mc->srv = srv;
	struct MHD_Response *resp = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, 32 * 1024, master_reader, mc, master_free);
	if (!resp) {
		master_free(mc);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "application/x-ndjson");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	hq_metrics_request(r->path, 200);
	r->answered = true;
	return ok;
}

static enum MHD_Result health_get(server *srv, struct MHD_Connection *c, request *r)
{
	fc_error err = { 0 };
	PGconn *db = worker_db(srv, &err);
	int version = 0;
	fc_status s = db ? hq_db_schema_version(db, &version, &err) : FC_ERR_NET;
	if (s) {
		worker_db_drop();
		return send_json(c, r, 503,
				 json_pack("{s:s, s:s, s:s}", "status", "unavailable", "database",
					   fc_error_text(&err), "version", HQ_SERVER_VERSION));
	}
	return send_json(c, r, 200,
			 json_pack("{s:s, s:s, s:i, s:i, s:s}", "status", "ok", "database", "ok",
				   "schema", version, "schema_expected", hq_db_schema_latest(),
				   "version", HQ_SERVER_VERSION));
}

static enum MHD_Result metrics_get(server *srv, struct MHD_Connection *c, request *r)
{
	fc_error err = { 0 };
	PGconn *db = worker_db(srv, &err);
	size_t len;
	/* count this scrape in its own figures */
	hq_metrics_request(r->path, 200);
	char *text = hq_metrics_render(db, &len);
	if (db && PQstatus(db) != CONNECTION_OK)
		worker_db_drop();
	if (!text)
		return MHD_NO;
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "text/plain; version=0.0.4");
	enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	r->answered = true;
	return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_size, void **con_cls)
{
	(void)version;
	server *srv = cls;
	request *r = *con_cls;
	bool post = strcmp(method, "POST") == 0, get = strcmp(method, "GET") == 0;
	if (!r) {
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		*con_cls = r;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		if (strcmp(url, "/v1/records") == 0)
			r->path = HQ_PATH_RECORDS;
		else if (strcmp(url, "/v1/master") == 0)
			r->path = HQ_PATH_MASTER;
		else if (strcmp(url, "/v1/health") == 0)
			r->path = HQ_PATH_HEALTH;
		else if (strcmp(url, "/metrics") == 0)
			r->path = HQ_PATH_METRICS;
		else
			return send_error(c, r, 404, "no such path: %.100s", url);
		bool want_post = r->path == HQ_PATH_RECORDS;
		if (want_post ? !post : !get)
			return send_error(c, r, 405, "%.100s takes %s", url,
					  want_post ? "POST" : "GET");
		if (r->path == HQ_PATH_RECORDS)
			return records_start(srv, c, r);
		return MHD_YES;
	}
	if (r->answered) {
		*upload_size = 0; /* a refused body is read and dropped */
		return MHD_YES;
	}
	if (*upload_size) {
		enum MHD_Result ok = r->path == HQ_PATH_RECORDS
					     ? records_body(srv, r, upload_data, *upload_size)
					     : MHD_YES;
		*upload_size = 0;
		return ok;
	}
	switch (r->path) {
	case HQ_PATH_RECORDS:
		return records_end(srv, c, r);
	case HQ_PATH_MASTER:
		return master_get(srv, c, r);
	case HQ_PATH_HEALTH:
		return health_get(srv, c, r);
	case HQ_PATH_METRICS:
		return metrics_get(srv, c, r);
	default:
		return send_error(c, r, 404, "no such path");
	}
}

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode code)
{
	(void)cls;
	(void)c;
	(void)code;
	request *r = *con_cls;
	if (r) {
		free(r->body);
		free(r);
		*con_cls = NULL;
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[400];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_line(LOG_WARNING, "http: %s", msg);
}

/* "host:port" or "[v6]:port" -> an address to bind. */
static fc_status parse_listen(const char *listen, struct sockaddr_storage *addr, bool *v6,
			      fc_error *err)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	const char *h = listen;
	size_t hl = colon ? (size_t)(colon - listen) : 0;
	if (hl >= 2 && listen[0] == '[' && listen[hl - 1] == ']') {
		h = listen + 1;
		hl -= 2;
	}
	if (!colon || hl == 0 || hl >= sizeof host)
		return fc_error_set(err, FC_ERR_CONFIG,
				    "[http] listen '%s': expected HOST:PORT or [IPv6]:PORT", listen);
	memcpy(host, h, hl);
	host[hl] = '\0';
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE }, *ai;
	int rc = getaddrinfo(host, colon + 1, &hints, &ai);
	if (rc)
		return fc_error_set(err, FC_ERR_CONFIG, "[http] listen '%s': %s", listen,
				    gai_strerror(rc));
	memcpy(addr, ai->ai_addr, ai->ai_addrlen);
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return FC_OK;
}

static char *read_file(const char *path, fc_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fc_error_set(err, FC_ERR_CONFIG, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(1 << 20);
	size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (!buf) {
		fc_error_set(err, FC_ERR_NOMEM, "out of memory");
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

fc_status hq_http_serve(const hq_config *cfg, fc_error *err)
{
	PGconn *db;
	fc_status s = hq_db_connect(cfg->conninfo, &db, err);
	if (!s)
		s = hq_db_check_schema(db, err);
	const char *tz[] = { cfg->timezone };
	char ignored[64];
	if (!s && hq_db_value(db, "checking [chain] timezone", "SELECT now() AT TIME ZONE $1", 1,
			      tz, ignored, sizeof ignored, err))
		s = fc_error_set(err, FC_ERR_CONFIG,
				 "[chain] timezone '%s' is not a time zone PostgreSQL knows (e.g. "
				 "Asia/Shanghai)",
				 cfg->timezone);
	if (db)
		PQfinish(db);
	if (s)
		return s;
	struct sockaddr_storage addr;
	bool v6 = false;
	s = parse_listen(cfg->listen, &addr, &v6, err);
	if (s)
		return s;
	char *cert = NULL, *key = NULL;
	if (cfg->tls_cert[0]) {
		cert = read_file(cfg->tls_cert, err);
		key = cert ? read_file(cfg->tls_key, err) : NULL;
		if (!key) {
			free(cert);
			return err->code;
		}
	}
	if (pthread_key_create(&db_key, close_db) != 0) {
		free(cert);
		free(key);
		return fc_error_set(err, FC_ERR_NOMEM, "no thread key");
	}

	/* SIGTERM and SIGINT wait for sigwait below, in every thread. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	server srv = { .cfg = cfg };
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
			 (v6 ? MHD_USE_IPv6 : 0) | (cert ? MHD_USE_TLS : 0);
	struct MHD_OptionItem tls_opts[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, key },
		{ MHD_OPTION_END, 0, NULL },
	};
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, &srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->connection_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
		MHD_OPTION_ARRAY, cert ? tls_opts : tls_opts + 2, MHD_OPTION_END);
	if (!d) {
		free(cert);
		free(key);
		pthread_key_delete(db_key);
		return fc_error_set(err, FC_ERR_IO,
				    "cannot serve on %s (address in use, or TLS cert/key not "
				    "accepted)",
				    cfg->listen);
	}
	log_line(LOG_INFO, "serving on %s%s, %d threads", cfg->listen, cert ? " (TLS)" : "",
		 cfg->threads);
	int sig = 0;
	sigwait(&stop, &sig);
	log_line(LOG_INFO, "stopping (signal %d)", sig);
	MHD_stop_daemon(d);
	free(cert);
	free(key);
	pthread_key_delete(db_key);
	return FC_OK;
}
