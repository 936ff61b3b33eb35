/* hq_admin.c — block: a card blocked for the whole chain (blocked_cards and
 * the card itself, new master versions); stats: head office's figures as
 * text or one JSON object. */
#include "hq/hq_admin.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/import_kind.h"
#include "base/log.h"
#include "hq/hq_db.h"

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

fc_status hq_admin_block(PGconn *db, const char *card_id, const char *reason, FILE *out,
			 fc_error *err)
{
	char masked[LOG_CARD_MASKED_LEN];
	log_mask_card(card_id, masked, sizeof masked);
	const char *problem = import_kind_card_problem(card_id);
	if (problem) /* the id itself is not repeated: it may be a real card's */
		return fc_error_set(err, FC_ERR_INVALID, "card %s: %s", masked, problem);
	if (blank(reason))
		return fc_error_set(err, FC_ERR_INVALID, "block: give the reason (who asked, why)");
	char version[32] = "", card_version[32] = "";
	const char *p[] = { card_id, reason };
	fc_status s = hq_db_begin(db, err);
	if (!s)
		s = hq_db_master_lock(db, err);
	if (!s)
		s = hq_db_value(db, "blocking the card",
				"INSERT INTO blocked_cards(card_id, reason, version)"
				" VALUES($1, $2, nextval('master_version_seq'))"
				" ON CONFLICT (card_id) DO UPDATE SET reason = EXCLUDED.reason,"
				" blocked_at = now(), version = EXCLUDED.version RETURNING version",
				2, p, version, sizeof version, err);
	if (!s)
		s = hq_db_value(db, "blocking the card",
				"UPDATE cards SET status = 'blocked',"
				" version = nextval('master_version_seq')"
				" WHERE card_id = $1 AND status <> 'blocked' RETURNING version",
				1, p, card_version, sizeof card_version, err);
	s = hq_db_finish(db, s, err);
	if (s)
		return s;
	fprintf(out, "card %s blocked for every station: version %s", masked, version);
	if (card_version[0])
		fprintf(out, "; the card's own row set to blocked: version %s", card_version);
	fputc('\n', out);
	return FC_OK;
}

/* The figures, each query one part of the report. */
enum { Q_STATIONS, Q_RECORDS, Q_REJECTED, Q_MASTER, Q_PER_STATION, Q_COUNT };

static const char *const queries[Q_COUNT] = {
	[Q_STATIONS] = "SELECT count(*), count(*) FILTER (WHERE disabled) FROM stations",
	[Q_RECORDS] = "SELECT type, count(*) FROM records GROUP BY type ORDER BY type",
	[Q_REJECTED] = "SELECT count(*) FROM rejected",
	[Q_MASTER] =
		"SELECT 'customers', count(*), coalesce(max(version), 0) FROM customers UNION ALL"
		" SELECT 'cards', count(*), coalesce(max(version), 0) FROM cards UNION ALL"
		" SELECT 'blocked', count(*), coalesce(max(version), 0) FROM blocked_cards UNION ALL"
		" SELECT 'tiers', count(*), coalesce(max(version), 0) FROM tiers UNION ALL"
		" SELECT 'prices', count(*), coalesce(max(version), 0) FROM prices UNION ALL"
		" SELECT 'holidays', count(*), coalesce(max(version), 0) FROM holidays",
	[Q_PER_STATION] =
		"SELECT id, disabled, station_seq, max_seq, max_seq - station_seq, records, rejected,"
		" coalesce(to_char(last_post_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"
		" FROM stations ORDER BY id",
};

static long long num(const PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static long long total(const PGresult *r, int col)
{
	long long n = 0;
	for (int i = 0; i < PQntuples(r); i++)
		n += num(r, i, col);
	return n;
}

static long long highest(const PGresult *r, int col)
{
	long long n = 0;
	for (int i = 0; i < PQntuples(r); i++)
		if (num(r, i, col) > n)
			n = num(r, i, col);
	return n;
}

static void print_text(PGresult *const *q, FILE *out)
{
	const PGresult *st = q[Q_STATIONS], *rec = q[Q_RECORDS], *m = q[Q_MASTER],
		       *per = q[Q_PER_STATION];
	fprintf(out, "stations: %lld (%lld disabled)\n", num(st, 0, 0), num(st, 0, 1));
	fprintf(out, "records: %lld", total(rec, 1));
	for (int i = 0; i < PQntuples(rec); i++)
		fprintf(out, "%s%s %s", i ? ", " : " (", PQgetvalue(rec, i, 0), PQgetvalue(rec, i, 1));
	fprintf(out, "%s\nrejected: %lld\n", PQntuples(rec) ? ")" : "", num(q[Q_REJECTED], 0, 0));
	fprintf(out, "master data: version %lld\n", highest(m, 2));
	for (int i = 0; i < PQntuples(m); i++)
		fprintf(out, "  %-10s %10s rows, version %s\n", PQgetvalue(m, i, 0),
			PQgetvalue(m, i, 1), PQgetvalue(m, i, 2));
	if (PQntuples(per) == 0)
		return;
	fprintf(out, "%-10s %-8s %10s %10s %8s %10s %9s  %s\n", "station", "state", "seq",
		"max seq", "lag", "records", "rejected", "last post (UTC)");
	for (int i = 0; i < PQntuples(per); i++)
		fprintf(out, "%-10s %-8s %10s %10s %8s %10s %9s  %s\n", PQgetvalue(per, i, 0),
			PQgetvalue(per, i, 1)[0] == 't' ? "disabled" : "active",
			PQgetvalue(per, i, 2), PQgetvalue(per, i, 3), PQgetvalue(per, i, 4),
			PQgetvalue(per, i, 5), PQgetvalue(per, i, 6),
			PQgetvalue(per, i, 7)[0] ? PQgetvalue(per, i, 7) : "never");
}

static json_t *stats_json(PGresult *const *q)
{
	const PGresult *st = q[Q_STATIONS], *rec = q[Q_RECORDS], *m = q[Q_MASTER],
		       *per = q[Q_PER_STATION];
	json_t *by_type = json_object(), *master = json_object(), *stations = json_array();
	for (int i = 0; i < PQntuples(rec); i++)
		json_object_set_new(by_type, PQgetvalue(rec, i, 0), json_integer(num(rec, i, 1)));
	for (int i = 0; i < PQntuples(m); i++)
		json_object_set_new(master, PQgetvalue(m, i, 0),
				    json_pack("{sIsI}", "rows", (json_int_t)num(m, i, 1), "version",
					      (json_int_t)num(m, i, 2)));
	json_object_set_new(master, "version", json_integer(highest(m, 2)));
	for (int i = 0; i < PQntuples(per); i++) {
		const char *last = PQgetvalue(per, i, 7);
		json_array_append_new(
			stations,
			json_pack("{sssbsIsIsIsIsIso}", "id", PQgetvalue(per, i, 0), "disabled",
				  PQgetvalue(per, i, 1)[0] == 't', "station_seq",
				  (json_int_t)num(per, i, 2), "max_seq", (json_int_t)num(per, i, 3),
				  "lag", (json_int_t)num(per, i, 4), "records",
				  (json_int_t)num(per, i, 5), "rejected", (json_int_t)num(per, i, 6),
				  "last_post", last[0] ? json_string(last) : json_null()));
	}
	return json_pack("{s{sIsI}s{sIso}sIsoso}", "stations", "count", (json_int_t)num(st, 0, 0),
			 "disabled", (json_int_t)num(st, 0, 1), "records", "total",
			 (json_int_t)total(rec, 1), "by_type", by_type, "rejected",
			 (json_int_t)num(q[Q_REJECTED], 0, 0), "master", master, "per_station",
			 stations);
}

fc_status hq_admin_stats(PGconn *db, bool json, FILE *out, fc_error *err)
{
	PGresult *q[Q_COUNT] = { NULL };
	/* one snapshot for every figure */
	fc_status s = hq_db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
	for (int i = 0; !s && i < Q_COUNT; i++)
		s = hq_db_query(db, "reading the figures", queries[i], 0, NULL, &q[i], err);
	s = hq_db_finish(db, s, err);
	if (!s && json) {
		json_t *o = stats_json(q);
		if (!o || json_dumpf(o, out, JSON_COMPACT) != 0)
			s = fc_error_set(err, FC_ERR_NOMEM, "out of memory writing the JSON");
		else
			fputc('\n', out);
		json_decref(o);
	} else if (!s) {
		print_text(q, out);
	}
	for (int i = 0; i < Q_COUNT; i++)
		PQclear(q[i]);
	return s;
}
