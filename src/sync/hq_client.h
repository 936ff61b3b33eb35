/* hq_client.h — the HTTP link to head office (libcurl, jansson): one CURL
 * handle kept open so connections are reused, the upload request and its
 * reply, the master-data GET.  Never logs the token. */
#ifndef FC_HQ_CLIENT_H
#define FC_HQ_CLIENT_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/config.h"
#include "base/status.h"
#include "store/outbox.h"

typedef struct hq_client hq_client;

/* Refuse a URL we must not send records to: only https://, or http:// to a
 * loopback address (127.0.0.0/8, ::1, ::ffff:127.x; by address: a host name
 * such as localhost or 127.example is not loopback) unless allow_insecure.
 * FC_ERR_CONFIG naming the URL and the rule. */
fc_status hq_client_check_url(const char *url, bool allow_insecure, fc_error *err);

/* Read the bearer token from path into buf (size n), trailing whitespace cut.
 * Refused (FC_ERR_AUTH) when group or others may read it, naming the file and
 * its mode; FC_ERR_IO when unreadable; FC_ERR_INVALID when empty, longer than
 * n - 1 bytes (never cut) or holding characters that cannot go in a header,
 * naming the file.  The token is never put in err. */
fc_status hq_client_read_token(const char *path, char *buf, size_t n, fc_error *err);

/* Check the URL, read the token, make the CURL handle with TLS verification
 * on, [upload] ca_file / pinned_key, the timeouts of cfg.  A libcurl that
 * refuses one of the TLS settings (no pinning in its TLS backend, say) is
 * FC_ERR_CONFIG naming it: never a connection without what was asked for.
 * stop (may be NULL) aborts a transfer in progress when it becomes non-zero.
 * Close with hq_client_close.  curl_global_init must have run. */
fc_status hq_client_open(const fc_config *cfg, const atomic_int *stop, hq_client **out,
			 fc_error *err);

/* Close the handle and wipe the token; NULL is fine. */
void hq_client_close(hq_client *c);

#define HQ_DETAIL_MAX 256 /* head office's body kept with a failure, escaped */

/* Head office's answer to one batch. */
typedef struct hq_reply {
	long http_status;          /* 0 when no answer came (connect failure, timeout) */
	json_t *root;              /* the parsed reply; owns the strings below */
	const char **accepted;     /* ids accepted or already known */
	size_t n_accepted;
	outbox_reject *rejected;   /* ids rejected as invalid, with code and message */
	size_t n_rejected;
	char detail[HQ_DETAIL_MAX]; /* a non-2xx answer's body: control characters
				      escaped (base/text_escape.h), cut; "" */
} hq_reply;

/* POST the batch to {url}/v1/records with its Idempotency-Key.  FC_OK: *reply
 * holds the outcome (HTTP 2xx with a valid JSON reply: only the ids listed
 * there are acknowledged).  FC_ERR_AUTH on 401/403; FC_ERR_NET for connect
 * failures, timeouts and resets; FC_ERR_PROTOCOL for other statuses - 409
 * included: it acknowledges nothing - and unparseable replies; err says which
 * (URL, HTTP status and body, JSON line/column), reply->http_status and
 * reply->detail keep the status and the body.  Free with hq_reply_free. */
fc_status hq_client_post_records(hq_client *c, const outbox_batch *batch, hq_reply *reply,
			  fc_error *err);

/* Release a reply; the struct may be reused. */
void hq_reply_free(hq_reply *reply);

/* Receives a GET's body as it arrives: FC_OK goes on; anything else stops
 * the transfer and is what hq_client_get_stream returns (err filled). */
typedef fc_status (*hq_body_fn)(void *user, const char *data, size_t n, fc_error *err);

/* GET {url}{path_query} (e.g. "/v1/master?since=V"), its body to on_body
 * piece by piece as it arrives (nothing kept here).  FC_OK for HTTP 200
 * received whole.  Its own timeouts: [upload] connect_timeout_s; stalled
 * when under 1 KiB/s for master_stall_s; over master_timeout_s plus 1 s
 * per 64 KiB of the body (Content-Length, or what came) in all.  Errors as
 * hq_client_post_records, and on_body's. */
fc_status hq_client_get_stream(hq_client *c, const char *path_query, hq_body_fn on_body,
			       void *user, fc_error *err);

/* URL-escape text for a query string into a malloc'd string (free it). */
char *hq_client_escape(hq_client *c, const char *text);

#endif
