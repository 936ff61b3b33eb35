/* hq_master.c — the master-data stream. */
#include "hq/hq_master.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hq/hq_db.h"


struct hq_master_stream {
	PGconn *db;
	bool copy_done; /* every row of the COPY read */
	bool finished;  /* version line written */
	int64_t version; /* the highest version sent (since at first) */
	int64_t lines;
	char *buf;       /* formatted bytes not yet handed out */
	size_t len, off, cap;
};

/* One line per master row: (version, JSON text), built by concat(): a NULL
 * part drops out, so a field without a value is left out (the station
 * treats a missing field as "not given").  to_json() quotes and escapes
 * text; nature, tier, card_kind, status and day_kind are checked keywords.
 * (jsonb_build_object of 18 fields costs three times the whole pull.) */
static const char master_sql[] =
	"COPY (SELECT version, line FROM ("
	"SELECT version, concat('{\"kind\":\"customer\",\"code\":', to_json(code), "
	"  ',\"name\":', to_json(name), ',\"nature\":\"', nature, '\",\"industry\":', "
	"  to_json(industry), ',\"tier\":\"', tier, '\"', ',\"phone\":' || to_json(phone), "
	"  ',\"plate\":' || to_json(plate), ',\"contact\":' || to_json(contact), "
	"  ',\"address\":' || to_json(address), ',\"fuel_grades\":' || to_json(fuel_grades), "
	"  ',\"yearly_litres\":' || yearly_litres, "
	"  ',\"refuel_cycle_days\":' || refuel_cycle_days, "
	"  ',\"other_channels\":' || to_json(other_channels), "
	"  ',\"potential_needs\":' || to_json(potential_needs), "
	"  ',\"person_in_charge\":' || to_json(person_in_charge), "
	"  ',\"handler\":' || to_json(handler), "
	"  ',\"special_needs\":' || to_json(special_needs), '}') AS line "
	"  FROM customers WHERE version > $1::bigint "
	"UNION ALL SELECT version, concat('{\"kind\":\"card\",\"card_id\":\"', card_id, "
	"  '\",\"customer_code\":', to_json(customer_code), ',\"card_kind\":\"', card_kind, "
	"  '\",\"status\":\"', status, '\"}') FROM cards WHERE version > $1::bigint "
	"UNION ALL SELECT version, concat('{\"kind\":\"blocked\",\"card_id\":\"', card_id, "
	"  '\"', ',\"reason\":' || to_json(reason), '}') FROM blocked_cards "
	"  WHERE version > $1::bigint "
	"UNION ALL SELECT version, concat('{\"kind\":\"tier\",\"customer_code\":', "
	"  to_json(customer_code), ',\"tier\":', to_json(tier), ',\"period\":', "
	"  to_json(period), '}') FROM tiers WHERE version > $1::bigint "
	"UNION ALL SELECT version, concat('{\"kind\":\"price\",\"grade\":', to_json(grade), "
	"  ',\"tier\":', to_json(tier), ',\"nature\":', to_json(nature), "
	"  ',\"discount_fen_per_litre\":', discount_fen_per_litre, '}') FROM prices "
	"  WHERE version > $1::bigint "
	"UNION ALL SELECT version, concat('{\"kind\":\"holiday\",\"date\":\"', "
	"  to_char(date, 'YYYY-MM-DD'), '\",\"day_kind\":\"', day_kind, '\"', "
	"  ',\"name\":' || to_json(name), '}') FROM holidays WHERE version > $1::bigint"
	") m ORDER BY version LIMIT $2::bigint) TO STDOUT";

bool hq_master_parse_version(const char *text, int64_t *out)
{
	*out = 0;
	if (!text || !*text)
		return true;
	size_t n = strlen(text);
	if (n > 18 || strspn(text, "0123456789") != n)
		return false;
	*out = strtoll(text, NULL, 10);
	return true;
}

/* COPY takes no parameters: master_sql with $1 and $2 replaced by the two
 * numbers (digits we formatted, nothing from the request's text). */
static char *sql_with_numbers(const char *since, const char *limit)
{
	size_t n = sizeof master_sql + 16 * (strlen(since) + strlen(limit));
	char *out = malloc(n), *o = out;
	if (!out)
		return NULL;
	for (const char *p = master_sql; *p; p++) {
		if (p[0] == '$' && (p[1] == '1' || p[1] == '2')) {
			const char *v = p[1] == '1' ? since : limit;
			o += snprintf(o, n - (size_t)(o - out), "%s", v);
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

fc_status hq_master_open(const char *conninfo, int64_t since, int64_t limit,
			 hq_master_stream **out, fc_error *err)
{
	*out = NULL;
	hq_master_stream *m = calloc(1, sizeof *m);
	if (!m)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	m->version = since;
	fc_status s = hq_db_connect(conninfo, &m->db, err);
	if (!s)
		s = hq_db_exec(m->db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
	char a[24], b[24];
	snprintf(a, sizeof a, "%" PRId64, since);
	snprintf(b, sizeof b, "%" PRId64, limit);
	char *sql = s ? NULL : sql_with_numbers(a, b);
	if (!s && !sql)
		s = fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	if (!s)
		s = hq_db_query(m->db, "reading master data", sql, 0, NULL, NULL, err);
	free(sql);
	if (s) {
		hq_master_close(m);
		return s;
	}
	*out = m;
	return FC_OK;
}

static bool append(hq_master_stream *m, const char *text, size_t n)
{
	if (m->len + n > m->cap) {
		size_t cap = m->cap ? m->cap : 65536;
		while (cap < m->len + n)
			cap *= 2;
		char *nb = realloc(m->buf, cap);
		if (!nb)
			return false;
		m->buf = nb;
		m->cap = cap;
	}
	memcpy(m->buf + m->len, text, n);
	m->len += n;
	return true;
}

/* One COPY row "VERSION<TAB>LINE": COPY's text format writes a backslash
 * as two; the lines hold no tab, newline or other control character
 * (to_json escapes them), so collapsing "\\\\" is the whole decoding. */
static bool take_row(hq_master_stream *m, const char *row, int n)
{
	const char *tab = memchr(row, '\t', (size_t)n);
	if (!tab)
		return false;
	m->version = strtoll(row, NULL, 10);
	m->lines++;
	const char *p = tab + 1, *end = row + n;
	if (end > p && end[-1] == '\n')
		end--;
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		const char *stop = bs ? bs + 1 : end;
		if (!append(m, p, (size_t)(stop - p)))
			return false;
		p = bs ? bs + 2 : end;
	}
	return append(m, "\n", 1);
}

/* Format the next rows (or the version line) into buf; false on failure. */
static bool refill(hq_master_stream *m)
{
	m->len = m->off = 0;
	while (!m->copy_done && m->len < 32768) {
		char *row = NULL;
		int n = PQgetCopyData(m->db, &row, 0);
		if (n > 0) {
			bool ok = take_row(m, row, n);
			PQfreemem(row);
			if (!ok)
				return false;
			continue;
		}
		if (n != -1)
			return false;
		m->copy_done = true;
		PGresult *r = PQgetResult(m->db);
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		while ((r = PQgetResult(m->db)))
			PQclear(r);
		if (!ok)
			return false;
	}
	if (m->copy_done && !m->finished && m->len < 32768) {
		char line[80];
		int n = snprintf(line, sizeof line, "{\"kind\":\"version\",\"version\":\"%" PRId64 "\"}\n",
				 m->version);
		m->finished = true;
		fc_error err;
		hq_db_exec(m->db, "COMMIT", &err);
		return append(m, line, (size_t)n);
	}
	return true;
}

ssize_t hq_master_read(hq_master_stream *m, char *buf, size_t max)
{
	if (m->off == m->len) {
		if (m->finished)
			return 0;
		if (!refill(m))
			return -1;
		if (m->len == 0)
			return 0;
	}
	size_t n = m->len - m->off < max ? m->len - m->off : max;
	memcpy(buf, m->buf + m->off, n);
	m->off += n;
	return (ssize_t)n;
}

int64_t hq_master_lines(const hq_master_stream *m)
{
	return m->lines;
}

void hq_master_close(hq_master_stream *m)
{
	if (!m)
		return;
	if (m->db)
		PQfinish(m->db);
	free(m->buf);
	free(m);
}
