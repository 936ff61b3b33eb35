/* hq_client.c — libcurl requests to head office and jansson parsing of the
 * replies; URL and token-file checks. */
#include "sync/hq_client.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/text_escape.h"

#define HQ_TOKEN_MAX 4096         /* the token's bytes and the NUL */
#define HQ_TOKEN_SCAN (64u << 10) /* bytes read past the limit looking for more token */
#define HQ_REPLY_MAX (8u << 20)   /* a records reply */
#define HQ_ERROR_BODY_MAX 4096    /* what is kept of a GET's refusal, for the message */
#define HQ_STALL_BYTES_S 1024     /* a GET slower than this for [upload] master_stall_s stalled */
#define HQ_BYTES_PER_S (64 << 10) /* a GET may take master_timeout_s + 1 s per 64 KiB */

typedef struct hq_stream hq_stream;

struct hq_client {
	CURL *curl;
	char base[CONFIG_STR];      /* upload url without the trailing '/' */
	char auth[HQ_TOKEN_MAX + 32]; /* "Authorization: Bearer ..." (wiped on close) */
	char station[CONFIG_STR + 20]; /* "X-Station-Id: S0001" */
	const atomic_int *stop;
	char errbuf[CURL_ERROR_SIZE];
	long post_timeout_s;        /* [upload] timeout_s: a records request */
	long get_timeout_s;         /* [upload] master_timeout_s: a GET, + its size */
	long stall_s;               /* [upload] master_stall_s */
	hq_stream *stream;          /* the GET in progress, NULL else */
};

/* Growing response buffer with a ceiling. */
typedef struct hq_buffer {
	char *data;
	size_t len, cap, max;
	bool too_big;
} hq_buffer;

/* A GET whose body goes to the caller as it arrives.  refused comes first:
 * perform() hands it to the write callback, which finds the rest. */
struct hq_stream {
	hq_buffer refused;  /* the start of a body that is not a 200's */
	CURL *curl;
	hq_body_fn on_body;
	void *user;
	fc_error body_err;  /* on_body's */
	fc_status failed;   /* on_body's failure, which stopped the transfer */
	long status;        /* HTTP status, once the headers are in */
	int64_t start_ms;
	curl_off_t bytes;   /* the size: Content-Length, or what came so far */
	bool overdue;       /* stopped: over its time for its size */
	bool stalled;       /* stopped: too slow for master_stall_s */
	int64_t window_ms;  /* the stall check: since when, */
	curl_off_t window_bytes; /* and what had come then */
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *user)
{
	hq_buffer *b = user;
	size_t n = size * nmemb;
	if (b->len + n + 1 > b->max) {
		b->too_big = true;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d)
			return 0;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

static int on_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	const hq_client *c = user;
	(void)ut, (void)un;
	hq_stream *g = c->stream;
	if (g) { /* a GET: its total time sized to its data, and the stall check */
		int64_t now = clock_mono_ms();
		g->bytes = dt > dn ? dt : dn;
		int64_t allowed = (int64_t)c->get_timeout_s * 1000 +
				  (int64_t)g->bytes * 1000 / HQ_BYTES_PER_S;
		g->overdue = now - g->start_ms > allowed;
		if (now - g->window_ms >= c->stall_s * 1000) {
			g->stalled = dn - g->window_bytes < (curl_off_t)HQ_STALL_BYTES_S * c->stall_s;
			g->window_ms = now;
			g->window_bytes = dn;
		}
		if (g->overdue || g->stalled)
			return 1;
	}
	return c->stop && atomic_load(c->stop) ? 1 : 0;
}

/* The URL's host is a loopback address: 127.0.0.0/8, ::1 or an IPv4-mapped
 * 127.x.  By address only: a name (localhost, 127.example) is not, whatever
 * it resolves to. */
static bool host_is_loopback(const char *host)
{
	char text[INET6_ADDRSTRLEN + 2];
	size_t len = strlen(host);
	unsigned char addr[sizeof(struct in6_addr)];
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']' && len - 2 < sizeof text) {
		memcpy(text, host + 1, len - 2);
		text[len - 2] = '\0';
		if (inet_pton(AF_INET6, text, addr) != 1)
			return false;
		const struct in6_addr *a6 = (const struct in6_addr *)addr;
		return IN6_IS_ADDR_LOOPBACK(a6) || (IN6_IS_ADDR_V4MAPPED(a6) && addr[12] == 127);
	}
	return inet_pton(AF_INET, host, addr) == 1 && addr[0] == 127;
}

fc_status hq_client_check_url(const char *url, bool allow_insecure, fc_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	fc_status st = FC_OK;
	if (!u)
		return fc_error_set(err, FC_ERR_NOMEM, "checking the upload url");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		st = fc_error_set(err, FC_ERR_CONFIG,
				  "[upload] url '%s' is not a valid URL (expected https://host/...)", url);
	else if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0)
		st = fc_error_set(err, FC_ERR_CONFIG,
				  "[upload] url '%s': only https:// is supported", url);
	else if (strcmp(scheme, "http") == 0 && !allow_insecure && !host_is_loopback(host))
		st = fc_error_set(err, FC_ERR_CONFIG,
				  "[upload] url '%s': plain http:// is allowed only to this machine "
				  "(loopback); use https:// or set [upload] allow_insecure = yes",
				  url);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return st;
}

fc_status hq_client_read_token(const char *path, char *buf, size_t n, fc_error *err)
{
	buf[0] = '\0';
	if (!path || !*path)
		return fc_error_set(err, FC_ERR_CONFIG,
				    "[upload] token_file is not set: head office needs a token");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fc_error_set(err, FC_ERR_IO, "%s: cannot read the upload token: %s", path,
				    strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return fc_error_set(err, FC_ERR_IO, "%s: the upload token must be a regular file",
				    path);
	}
	if (sb.st_mode & 077) {
		close(fd);
		return fc_error_set(err, FC_ERR_AUTH,
				    "%s: token file has mode %04o; it must be readable by its "
				    "owner only (chmod 600 %s)",
				    path, (unsigned)(sb.st_mode & 07777), path);
	}
	ssize_t got = 0, r;
	while ((size_t)got < n - 1 && (r = read(fd, buf + got, n - 1 - (size_t)got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			sodium_memzero(buf, n);
			return fc_error_set(err, FC_ERR_IO, "%s: cannot read the upload token: %s",
					    path, strerror(errno));
		}
		got += r;
	}
	/* A full buffer: anything but trailing white space after it means the
	 * token is longer than we can send - refused, never cut. */
	if ((size_t)got == n - 1) {
		char more[512];
		size_t scanned = 0;
		bool longer = false;
		while (!longer && (r = read(fd, more, sizeof more)) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				break;
			for (ssize_t i = 0; i < r && !longer; i++)
				longer = !isspace((unsigned char)more[i]);
			scanned += (size_t)r;
			longer = longer || scanned > HQ_TOKEN_SCAN;
		}
		sodium_memzero(more, sizeof more);
		if (longer) {
			close(fd);
			sodium_memzero(buf, n);
			return fc_error_set(err, FC_ERR_INVALID,
					    "%s: the upload token is longer than %zu bytes; "
					    "check that the file holds only head office's token",
					    path, n - 1);
		}
	}
	close(fd);
	buf[got] = '\0';
	while (got > 0 && isspace((unsigned char)buf[got - 1]))
		buf[--got] = '\0';
	for (ssize_t i = 0; i < got; i++) {
		if (buf[i] <= ' ' || buf[i] == 0x7f) {
			sodium_memzero(buf, n);
			return fc_error_set(err, FC_ERR_INVALID,
					    "%s: the upload token holds a space or control character",
					    path);
		}
	}
	if (got == 0)
		return fc_error_set(err, FC_ERR_INVALID, "%s: the upload token file is empty", path);
	return FC_OK;
}

/* A setting TLS depends on: its failure stops the client, naming libcurl. */
static fc_status must_set(CURLcode rc, const char *what, fc_error *err)
{
	if (rc == CURLE_OK)
		return FC_OK;
	return fc_error_set(err, FC_ERR_CONFIG, "this libcurl (%s) cannot %s: %s; not starting",
			    curl_version(), what, curl_easy_strerror(rc));
}

fc_status hq_client_open(const fc_config *cfg, const atomic_int *stop, hq_client **out,
			 fc_error *err)
{
	*out = NULL;
	if (!cfg->upload_url[0])
		return fc_error_set(err, FC_ERR_CONFIG,
				    "upload is off: set [upload] url in the configuration");
	fc_status st = hq_client_check_url(cfg->upload_url, cfg->upload_allow_insecure, err);
	if (st)
		return st;
	hq_client *c = calloc(1, sizeof *c);
	if (!c)
		return fc_error_set(err, FC_ERR_NOMEM, "starting the uploader");
	char token[HQ_TOKEN_MAX];
	st = hq_client_read_token(cfg->upload_token_file, token, sizeof token, err);
	if (st) {
		free(c);
		return st;
	}
	snprintf(c->auth, sizeof c->auth, "Authorization: Bearer %s", token);
	sodium_memzero(token, sizeof token);
	snprintf(c->station, sizeof c->station, "X-Station-Id: %s", cfg->station_id);
	snprintf(c->base, sizeof c->base, "%s", cfg->upload_url);
	size_t bl = strlen(c->base);
	while (bl > 0 && c->base[bl - 1] == '/')
		c->base[--bl] = '\0';
	c->stop = stop;
	c->post_timeout_s = cfg->upload_timeout_s;
	c->get_timeout_s = cfg->upload_master_timeout_s;
	c->stall_s = cfg->upload_master_stall_s;
	c->curl = curl_easy_init();
	if (!c->curl) {
		hq_client_close(c);
		return fc_error_set(err, FC_ERR_NOMEM, "starting the uploader (libcurl)");
	}
	CURL *h = c->curl;
	/* What security rests on is checked: a libcurl that cannot verify, use
	 * the CA file or pin the key refuses to start instead of sending
	 * records unprotected. */
	st = must_set(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https"), "limit protocols",
		      err);
	if (!st)
		st = must_set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L),
			      "verify certificates", err);
	if (!st)
		st = must_set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L), "verify host names",
			      err);
	if (!st && cfg->upload_ca_file[0])
		st = must_set(curl_easy_setopt(h, CURLOPT_CAINFO, cfg->upload_ca_file),
			      "use [upload] ca_file", err);
	if (!st && cfg->upload_pinned_key[0])
		st = must_set(curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, cfg->upload_pinned_key),
			      "pin the public key of [upload] pinned_key", err);
	if (st) {
		hq_client_close(c);
		return st;
	}
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)cfg->upload_connect_timeout_s);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)cfg->upload_timeout_s);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "forecourt/0.1");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
	*out = c;
	return FC_OK;
}

void hq_client_close(hq_client *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	sodium_memzero(c->auth, sizeof c->auth);
	free(c);
}

char *hq_client_escape(hq_client *c, const char *text)
{
	char *e = curl_easy_escape(c->curl, text, 0);
	char *copy = e ? strdup(e) : NULL;
	curl_free(e);
	return copy;
}

/* Run the prepared transfer to url with headers; fills *status and buf.
 * Transport failures become FC_ERR_NET naming the URL and curl's reason. */
static fc_status perform(hq_client *c, const char *url, struct curl_slist *headers,
			 hq_buffer *buf, long *status, fc_error *err)
{
	c->errbuf[0] = '\0';
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, buf);
	CURLcode rc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	*status = 0;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
		return FC_OK;
	}
	if (buf->too_big)
		return fc_error_set(err, FC_ERR_PROTOCOL, "%s: reply larger than %zu bytes", url,
				    buf->max);
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		return fc_error_set(err, FC_ERR_NET, "%s: stopped", url);
	return fc_error_set(err, FC_ERR_NET, "%s: %s", url,
			    c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
}

/* Map a non-success HTTP status to an error naming it, with head office's
 * body escaped and bounded. */
static fc_status http_failure(const char *url, long status, const hq_buffer *buf, fc_error *err)
{
	char body[HQ_DETAIL_MAX];
	text_escape(body, sizeof body, buf->data, buf->data ? buf->len : 0);
	if (status == 401 || status == 403)
		return fc_error_set(err, FC_ERR_AUTH,
				    "%s: head office refused the token (HTTP %ld): check [upload] "
				    "token_file",
				    url, status);
	if (status == 409)
		return fc_error_set(err, FC_ERR_PROTOCOL,
				    "%s: head office answered HTTP 409 without acknowledging the "
				    "records; they are sent again%s%s",
				    url, body[0] ? ": " : "", body);
	return fc_error_set(err, FC_ERR_PROTOCOL, "%s: head office answered HTTP %ld%s%s", url,
			    status, body[0] ? ": " : "", body);
}

/* Free the parsed reply and its lists, keeping the status and the detail. */
static void reply_drop_lists(hq_reply *reply)
{
	free(reply->accepted);
	free(reply->rejected);
	json_decref(reply->root);
	reply->accepted = NULL;
	reply->rejected = NULL;
	reply->root = NULL;
	reply->n_accepted = reply->n_rejected = 0;
}

void hq_reply_free(hq_reply *reply)
{
	reply_drop_lists(reply);
	memset(reply, 0, sizeof *reply);
}

/* A rejection code that means head office already has the record. */
static bool code_means_known(const char *code)
{
	return strcmp(code, "already_known") == 0 || strcmp(code, "duplicate") == 0 ||
	       strcmp(code, "already known") == 0 || strcmp(code, "exists") == 0;
}

/* Parse {"accepted":[...],"rejected":[{"id","code","message"}]}. */
static fc_status parse_reply(const char *url, const hq_buffer *buf, hq_reply *r, fc_error *err)
{
	json_error_t je;
	r->root = json_loadb(buf->data ? buf->data : "", buf->len, 0, &je);
	if (!r->root)
		return fc_error_set(err, FC_ERR_PROTOCOL,
				    "%s: HTTP %ld reply is not JSON (line %d, column %d: %s)", url,
				    r->http_status, je.line, je.column, je.text);
	json_t *acc = json_object_get(r->root, "accepted");
	json_t *rej = json_object_get(r->root, "rejected");
	if (!json_is_object(r->root) || (!json_is_array(acc) && !json_is_array(rej)))
		return fc_error_set(err, FC_ERR_PROTOCOL,
				    "%s: HTTP %ld reply has neither 'accepted' nor 'rejected' lists",
				    url, r->http_status);
	size_t na = json_array_size(acc), nr = json_array_size(rej);
	r->accepted = calloc(na + nr + 1, sizeof *r->accepted);
	r->rejected = calloc(nr + 1, sizeof *r->rejected);
	if (!r->accepted || !r->rejected)
		return fc_error_set(err, FC_ERR_NOMEM, "reading head office's reply");
	for (size_t i = 0; i < na; i++) {
		const char *id = json_string_value(json_array_get(acc, i));
		if (!id)
			return fc_error_set(err, FC_ERR_PROTOCOL,
					    "%s: HTTP %ld reply: accepted[%zu] is not a string", url,
					    r->http_status, i);
		r->accepted[r->n_accepted++] = id;
	}
	for (size_t i = 0; i < nr; i++) {
		json_t *e = json_array_get(rej, i);
		const char *id = json_string_value(json_object_get(e, "id"));
		const char *code = json_string_value(json_object_get(e, "code"));
		const char *msg = json_string_value(json_object_get(e, "message"));
		if (!id || !code)
			return fc_error_set(err, FC_ERR_PROTOCOL,
					    "%s: HTTP %ld reply: rejected[%zu] needs string 'id' "
					    "and 'code'",
					    url, r->http_status, i);
		if (code_means_known(code)) {
			r->accepted[r->n_accepted++] = id;
			continue;
		}
		r->rejected[r->n_rejected++] = (outbox_reject){ id, code, msg };
	}
	return FC_OK;
}

fc_status hq_client_post_records(hq_client *c, const outbox_batch *batch, hq_reply *reply,
			  fc_error *err)
{
	memset(reply, 0, sizeof *reply);
	char url[CONFIG_STR + 32], key[64];
	snprintf(url, sizeof url, "%s/v1/records", c->base);
	snprintf(key, sizeof key, "Idempotency-Key: %s", batch->key);
	struct curl_slist *h = NULL, *t;
	const char *lines[] = { c->auth, key, c->station, "Content-Type: application/x-ndjson",
				"Expect:" };
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		t = curl_slist_append(h, lines[i]);
		if (!t) {
			curl_slist_free_all(h);
			return fc_error_set(err, FC_ERR_NOMEM, "building the upload request");
		}
		h = t;
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 0L);
	curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, batch->body);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)batch->body_len);
	hq_buffer buf = { .max = HQ_REPLY_MAX };
	fc_status st = perform(c, url, h, &buf, &reply->http_status, err);
	curl_slist_free_all(h);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
	if (!st) {
		if (reply->http_status >= 200 && reply->http_status < 300)
			st = parse_reply(url, &buf, reply, err);
		else
			st = http_failure(url, reply->http_status, &buf, err);
		if (reply->http_status < 200 || reply->http_status >= 300)
			text_escape(reply->detail, sizeof reply->detail, buf.data,
				    buf.data ? buf.len : 0);
	}
	free(buf.data);
	if (st)
		reply_drop_lists(reply); /* the status and the detail stay */
	return st;
}

/* A GET's body: a 200's to the caller, another's kept (its start) for the
 * message.  user: the stream's refused buffer (perform's buf). */
static size_t on_stream(char *ptr, size_t size, size_t nmemb, void *user)
{
	hq_stream *g = user;
	size_t n = size * nmemb;
	if (!g->status)
		curl_easy_getinfo(g->curl, CURLINFO_RESPONSE_CODE, &g->status);
	if (g->status != 200) {
		size_t room = g->refused.max - 1 - g->refused.len;
		on_data(ptr, 1, n < room ? n : room, &g->refused);
		return n;
	}
	g->failed = g->on_body(g->user, ptr, n, &g->body_err);
	return g->failed ? 0 : n;
}

fc_status hq_client_get_stream(hq_client *c, const char *path_query, hq_body_fn on_body,
			       void *user, fc_error *err)
{
	char url[CONFIG_STR + 512];
	snprintf(url, sizeof url, "%s%s", c->base, path_query);
	struct curl_slist *h = curl_slist_append(NULL, c->auth);
	struct curl_slist *t = h ? curl_slist_append(h, c->station) : NULL;
	if (!t) {
		curl_slist_free_all(h);
		return fc_error_set(err, FC_ERR_NOMEM, "building the request");
	}
	int64_t now = clock_mono_ms();
	hq_stream g = { .refused = { .max = HQ_ERROR_BODY_MAX }, .curl = c->curl,
			.on_body = on_body, .user = user, .start_ms = now, .window_ms = now };
	c->stream = &g;
	CURL *k = c->curl;
	curl_easy_setopt(k, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(k, CURLOPT_TIMEOUT, 0L); /* on_progress: sized to the data */
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_stream);
	long status = 0;
	fc_status st = perform(c, url, h, &g.refused, &status, err);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(k, CURLOPT_TIMEOUT, c->post_timeout_s);
	c->stream = NULL;
	curl_slist_free_all(h);
	if (g.failed) {
		*err = g.body_err;
		st = g.failed;
	} else if (g.overdue) {
		st = fc_error_set(err, FC_ERR_NET,
				  "%s: stopped after %" PRId64 " s for %lld bytes ([upload] "
				  "master_timeout_s %ld, + 1 s per 64 KiB)",
				  url, (clock_mono_ms() - g.start_ms) / 1000, (long long)g.bytes,
				  c->get_timeout_s);
	} else if (g.stalled) {
		st = fc_error_set(err, FC_ERR_NET,
				  "%s: stalled: under %d bytes/s for %ld s ([upload] master_stall_s)",
				  url, HQ_STALL_BYTES_S, c->stall_s);
	} else if (!st && status != 200) {
		st = http_failure(url, status, &g.refused, err);
	}
	free(g.refused.data);
	return st;
}
