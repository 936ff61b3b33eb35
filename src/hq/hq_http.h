/* hq_http.h — forecourt-hq's HTTP service (libmicrohttpd, TLS through its
 * GnuTLS support): POST /v1/records, GET /v1/master, GET /v1/health,
 * GET /metrics.  Worker threads each hold their own database connection. */
#ifndef FC_HQ_HTTP_H
#define FC_HQ_HTTP_H

#include "base/status.h"
#include "hq/hq_config.h"

/* Serve until SIGTERM or SIGINT; FC_OK after a clean stop. */
fc_status hq_http_serve(const hq_config *cfg, fc_error *err);

#endif
