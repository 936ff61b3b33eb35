/* hq_station.h — the stations head office knows: adding, listing,
 * disabling, their upload tokens (stored as a BLAKE2b hash, shown once)
 * and the check of a request's token. */
#ifndef FC_HQ_STATION_H
#define FC_HQ_STATION_H

#include <libpq-fe.h>
#include <stdio.h>

#include "base/status.h"

#define HQ_TOKEN_LEN 64 /* hex characters of a token (32 random bytes) */
#define HQ_TOKEN_MAX 256 /* longest Authorization token looked at */

fc_status hq_station_add(PGconn *db, const char *id, const char *name, fc_error *err);

/* One line per station: id, name, state, contiguous seq, records, last post. */
fc_status hq_station_list(PGconn *db, FILE *out, fc_error *err);

/* A new token for id (the old one stops working): token receives
 * HQ_TOKEN_LEN hex characters and the NUL. */
fc_status hq_station_token(PGconn *db, const char *id, char *token, fc_error *err);

fc_status hq_station_disable(PGconn *db, const char *id, fc_error *err);

/* Whether token may post as station id: FC_OK; FC_ERR_AUTH (401) when the
 * station is unknown or the token wrong; FC_ERR_LOCKED (403) when the
 * station is disabled; FC_ERR_DB/FC_ERR_NET when the database fails. */
fc_status hq_station_auth(PGconn *db, const char *id, const char *token, fc_error *err);

#endif
