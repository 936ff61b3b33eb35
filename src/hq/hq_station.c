/* hq_station.c — stations and their tokens. */
#include "hq/hq_station.h"

#include <sodium.h>
#include <string.h>

#include "hq/hq_db.h"

/* Hex BLAKE2b-256 of token. */
static void token_hash(const char *token, char hex[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

static fc_status not_found(const char *id, fc_error *err)
{
	return fc_error_set(err, FC_ERR_NOT_FOUND, "no station '%s' (see: forecourt-hq station list)",
			    id);
}

/* Run sql ($1 the station id, $2 value) that returns the station's row;
 * FC_ERR_NOT_FOUND when there is no such station. */
static fc_status update_station(PGconn *db, const char *doing, const char *sql, const char *id,
				const char *value, fc_error *err)
{
	const char *p[] = { id, value };
	PGresult *r;
	fc_status s = hq_db_query(db, doing, sql, 2, p, &r, err);
	if (s)
		return s;
	int n = PQntuples(r);
	PQclear(r);
	return n ? FC_OK : not_found(id, err);
}

fc_status hq_station_add(PGconn *db, const char *id, const char *name, fc_error *err)
{
	const char *p[] = { id, name };
	fc_status s = hq_db_query(db, "adding the station",
				  "INSERT INTO stations(id, name) VALUES($1, $2)", 2, p, NULL, err);
	if (s == FC_ERR_EXISTS)
		return fc_error_set(err, s, "station '%s' already exists", id);
	if (s == FC_ERR_INVALID)
		return fc_error_set(err, s,
				    "station id '%s': 1-32 letters, digits, '-' or '_'; name: 1-200 "
				    "bytes",
				    id);
	return s;
}

fc_status hq_station_list(PGconn *db, FILE *out, fc_error *err)
{
	PGresult *r;
	fc_status s = hq_db_query(
		db, "listing the stations",
		"SELECT id, name, CASE WHEN disabled THEN 'disabled' WHEN token_hash IS NULL "
		"THEN 'no token' ELSE 'active' END, station_seq, max_seq, records, rejected, "
		"coalesce(to_char(last_post_at, 'YYYY-MM-DD HH24:MI:SS'), 'never') "
		"FROM stations ORDER BY id",
		0, NULL, &r, err);
	if (s)
		return s;
	fprintf(out, "%-10s %-9s %10s %10s %10s %9s  %-19s  %s\n", "station", "state", "seq",
		"max seq", "records", "rejected", "last post (UTC)", "name");
	for (int i = 0; i < PQntuples(r); i++)
		fprintf(out, "%-10s %-9s %10s %10s %10s %9s  %-19s  %s\n", PQgetvalue(r, i, 0),
			PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4),
			PQgetvalue(r, i, 5), PQgetvalue(r, i, 6), PQgetvalue(r, i, 7),
			PQgetvalue(r, i, 1));
	if (PQntuples(r) == 0)
		fprintf(out, "(no stations: forecourt-hq station add ID NAME)\n");
	PQclear(r);
	return FC_OK;
}

fc_status hq_station_token(PGconn *db, const char *id, char *token, fc_error *err)
{
	unsigned char raw[HQ_TOKEN_LEN / 2];
	char hash[65];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, HQ_TOKEN_LEN + 1, raw, sizeof raw);
	token_hash(token, hash);
	return update_station(db, "setting the station's token",
			      "UPDATE stations SET token_hash = $2 WHERE id = $1 RETURNING id", id,
			      hash, err);
}

fc_status hq_station_disable(PGconn *db, const char *id, fc_error *err)
{
	return update_station(db, "disabling the station",
			      "UPDATE stations SET disabled = true WHERE id = $1 AND $2::text IS NULL "
			      "RETURNING id",
			      id, NULL, err);
}

fc_status hq_station_auth(PGconn *db, const char *id, const char *token, fc_error *err)
{
	if (!id || !*id || !token || !*token || strlen(token) > HQ_TOKEN_MAX ||
	    strlen(id) > 32)
		return fc_error_set(err, FC_ERR_AUTH, "missing or malformed token or station id");
	const char *p[] = { id };
	PGresult *r;
	fc_status s = hq_db_query(db, "checking the token",
				  "SELECT token_hash, disabled FROM stations WHERE id = $1", 1, p,
				  &r, err);
	if (s)
		return s;
	char hash[65];
	token_hash(token, hash);
	bool known = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0);
	bool match = known && strlen(PQgetvalue(r, 0, 0)) == 64 &&
		     sodium_memcmp(hash, PQgetvalue(r, 0, 0), 64) == 0;
	bool disabled = PQntuples(r) == 1 && PQgetvalue(r, 0, 1)[0] == 't';
	PQclear(r);
	if (!match)
		return fc_error_set(err, FC_ERR_AUTH, "wrong token for station '%s'", id);
	if (disabled)
		return fc_error_set(err, FC_ERR_LOCKED, "station '%s' is disabled", id);
	return FC_OK;
}
