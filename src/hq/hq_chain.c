/* hq_chain.c — tier evaluation and loading exported records. */
#include "hq/hq_chain.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hq/hq_db.h"
#include "hq/hq_ingest.h"

static bool period_valid(const char *p)
{
	return strlen(p) == 6 && strspn(p, "0123456789") == 4 && p[4] == 'H' &&
	       (p[5] == '1' || p[5] == '2') && strncmp(p, "2000", 4) >= 0;
}

fc_status hq_chain_evaluate_tiers(PGconn *db, const hq_config *cfg, const char *period,
				  FILE *out, fc_error *err)
{
	if (!period_valid(period))
		return fc_error_set(err, FC_ERR_USAGE,
				    "--period '%s': a half-year like 2026H1 (Jan-Jun) or 2026H2 "
				    "(Jul-Dec)",
				    period);
	char th[6][24];
	const int v[6] = { cfg->tier_big_diamond, cfg->tier_big_gold, cfg->tier_big_silver,
			   cfg->tier_ind_platinum, cfg->tier_ind_gold, cfg->tier_ind_silver };
	for (int i = 0; i < 6; i++)
		snprintf(th[i], sizeof th[i], "%d", v[i]);
	const char *p[] = { period, th[0], th[1], th[2], th[3], th[4], th[5] };
	PGresult *r = NULL;
	fc_status s = hq_db_begin(db, err);
	if (!s)
		s = hq_db_master_lock(db, err);
	if (!s)
		s = hq_db_query(
			db, "evaluating tiers",
			"WITH e AS (SELECT c.code, c.tier AS old, coalesce(l.volume_ml, 0) AS ml, "
			"  CASE WHEN c.nature = 'big' THEN CASE "
			"    WHEN coalesce(l.volume_ml, 0) >= $2::bigint * 1000 THEN 'diamond' "
			"    WHEN coalesce(l.volume_ml, 0) >= $3::bigint * 1000 THEN 'gold' "
			"    WHEN coalesce(l.volume_ml, 0) >= $4::bigint * 1000 THEN 'silver' "
			"    ELSE 'ordinary' END ELSE CASE "
			"    WHEN coalesce(l.volume_ml, 0) >= $5::bigint * 1000 THEN 'platinum' "
			"    WHEN coalesce(l.volume_ml, 0) >= $6::bigint * 1000 THEN 'gold' "
			"    WHEN coalesce(l.volume_ml, 0) >= $7::bigint * 1000 THEN 'silver' "
			"    ELSE 'ordinary' END END AS new "
			"  FROM customers c LEFT JOIN litres l ON l.customer_code = c.code "
			"  AND l.period = $1), "
			"ch AS (SELECT * FROM e WHERE old <> new ORDER BY code), "
			"t AS (INSERT INTO tiers(customer_code, period, tier, version) "
			"  SELECT code, $1, new, nextval('master_version_seq') FROM ch "
			"  ON CONFLICT (customer_code, period) DO UPDATE SET tier = EXCLUDED.tier, "
			"  evaluated_at = now(), version = EXCLUDED.version), "
			"h AS (INSERT INTO tier_history(customer_code, period, old_tier, new_tier, "
			"  volume_ml) SELECT code, $1, old, new, ml FROM ch), "
			"u AS (UPDATE customers c SET tier = ch.new, version = "
			"  nextval('master_version_seq'), updated_at = now() FROM ch "
			"  WHERE c.code = ch.code RETURNING ch.new) "
			"SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM u), "
			"  coalesce((SELECT string_agg(new || ' ' || n, ', ' ORDER BY new) FROM "
			"  (SELECT new, count(*) AS n FROM u GROUP BY new) g), '')",
			7, p, &r, err);
	if (!s)
		s = hq_ingest_assign_owners(db, NULL, err);
	s = hq_db_finish(db, s, err);
	if (!s)
		fprintf(out,
			"period %s: %s customers evaluated from the chain's litres, %s changed "
			"tier%s%s%s; stations get them with the next master pull\n",
			period, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
			PQgetvalue(r, 0, 2)[0] ? " (now " : "", PQgetvalue(r, 0, 2),
			PQgetvalue(r, 0, 2)[0] ? ")" : "");
	PQclear(r);
	return s;
}

typedef struct chunk {
	char station[40];
	char *buf;
	size_t len, cap;
	size_t lines;
	int64_t accepted, duplicates, rejected;
} chunk;

static fc_status flush(PGconn *db, const hq_config *cfg, chunk *c, FILE *out, fc_error *err)
{
	if (!c->lines)
		return FC_OK;
	hq_ingest_limits lim = { .line_max = (size_t)cfg->line_max,
				 .batch_max = (size_t)cfg->batch_max,
				 .timezone = cfg->timezone };
	hq_ingest_result res;
	const char *p[] = { c->station };
	char known[40];
	fc_status s = hq_db_value(db, "looking up the station",
				  "SELECT id FROM stations WHERE id = $1", 1, p, known, sizeof known,
				  err);
	if (!s && !known[0])
		s = fc_error_set(err, FC_ERR_NOT_FOUND,
				 "records of station '%s', which head office does not know "
				 "(forecourt-hq station add)",
				 c->station);
	if (!s)
		s = hq_ingest_batch(db, c->station, c->buf, c->len, &lim, &res, err);
	if (!s && res.http_status != 200)
		s = fc_error_set(err, FC_ERR_INVALID, "%s",
				 json_string_value(json_object_get(res.reply, "error")));
	if (!s) {
		c->accepted += res.accepted;
		c->duplicates += res.duplicates;
		c->rejected += res.rejected;
		json_t *rej = json_object_get(res.reply, "rejected"), *one;
		size_t i;
		json_array_foreach(rej, i, one)
			fprintf(out, "refused %s: %s: %s\n",
				json_string_value(json_object_get(one, "id")),
				json_string_value(json_object_get(one, "code")),
				json_string_value(json_object_get(one, "message")));
	}
	if (res.reply)
		json_decref(res.reply);
	c->len = c->lines = 0;
	return s;
}

static void report(const chunk *c, FILE *out)
{
	if (c->station[0])
		fprintf(out, "station %s: %" PRId64 " applied, %" PRId64 " already there, %" PRId64
			     " refused\n",
			c->station, c->accepted, c->duplicates, c->rejected);
}

fc_status hq_chain_load_records(PGconn *db, const hq_config *cfg, const char *path, FILE *out,
				fc_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return fc_error_set(err, FC_ERR_IO, "%s: %s", path, strerror(errno));
	chunk c = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int64_t lineno = 0;
	fc_status s = FC_OK;
	while (!s && (n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if ((size_t)n > (size_t)cfg->line_max) {
			s = fc_error_set(err, FC_ERR_INVALID, "%s:%" PRId64 ": line longer than %d bytes",
					 path, lineno, cfg->line_max);
			break;
		}
		json_error_t jerr;
		json_t *o = json_loads(line, 0, &jerr);
		const char *st = json_string_value(json_object_get(o, "station"));
		if (!st || strlen(st) >= sizeof c.station) {
			bool blank = strspn(line, " \t\r\n") == (size_t)n;
			json_decref(o);
			if (blank)
				continue;
			s = fc_error_set(err, FC_ERR_INVALID, "%s:%" PRId64 ": %s", path, lineno,
					 o ? "no 'station' in the record" : jerr.text);
			break;
		}
		if (strcmp(st, c.station) != 0 || c.lines == (size_t)cfg->batch_max) {
			s = flush(db, cfg, &c, out, err);
			if (!s && strcmp(st, c.station) != 0) {
				report(&c, out);
				c = (chunk){ .buf = c.buf, .cap = c.cap };
				snprintf(c.station, sizeof c.station, "%s", st);
			}
		}
		json_decref(o);
		if (!s && c.len + (size_t)n + 1 > c.cap) {
			size_t ncap = c.cap ? c.cap * 2 : 1 << 20;
			while (ncap < c.len + (size_t)n + 1)
				ncap *= 2;
			char *nb = realloc(c.buf, ncap);
			if (!nb)
				s = fc_error_set(err, FC_ERR_NOMEM, "out of memory");
			else {
				c.buf = nb;
				c.cap = ncap;
			}
		}
		if (!s) {
			memcpy(c.buf + c.len, line, (size_t)n);
			c.len += (size_t)n;
			if (line[n - 1] != '\n')
				c.buf[c.len++] = '\n';
			c.lines++;
		}
	}
	if (!s)
		s = flush(db, cfg, &c, out, err);
	if (!s)
		report(&c, out);
	free(line);
	free(c.buf);
	fclose(f);
	return s;
}
