/* hq_master.c — the master-data stream. */
#include "hq/hq_master.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hq/hq_db.h"

#define FETCH_ROWS 2000

struct hq_master_stream {
	PGconn *db;
	PGresult *rows; /* the current FETCH */
	int row;        /* next row of it to format */
	bool cursor_done;
	bool finished;  /* version line written */
	int64_t version; /* the highest version sent (since at first) */
	int64_t lines;
	char *buf;       /* formatted bytes not yet handed out */
	size_t len, off, cap;
};

/* One line per master row: (version, JSON text).  Nulls are left out; the
 * station treats a missing field as "not given". */
static const char master_sql[] =
	"DECLARE master NO SCROLL CURSOR FOR SELECT version, line FROM ("
	"SELECT version, jsonb_strip_nulls(jsonb_build_object('kind', 'customer', 'code', code, "
	"  'name', name, 'nature', nature, 'industry', industry, 'tier', tier, 'phone', phone, "
	"  'plate', plate, 'contact', contact, 'address', address, 'fuel_grades', fuel_grades, "
	"  'yearly_litres', yearly_litres, 'refuel_cycle_days', refuel_cycle_days, "
	"  'other_channels', other_channels, 'potential_needs', potential_needs, "
	"  'person_in_charge', person_in_charge, 'handler', handler, 'special_needs', "
	"  special_needs))::text AS line FROM customers WHERE version > $1::bigint "
	"UNION ALL SELECT version, jsonb_build_object('kind', 'card', 'card_id', card_id, "
	"  'customer_code', customer_code, 'card_kind', card_kind, 'status', status)::text "
	"  FROM cards WHERE version > $1::bigint "
	"UNION ALL SELECT version, jsonb_strip_nulls(jsonb_build_object('kind', 'blocked', "
	"  'card_id', card_id, 'reason', reason))::text FROM blocked_cards "
	"  WHERE version > $1::bigint "
	"UNION ALL SELECT version, jsonb_build_object('kind', 'tier', 'customer_code', "
	"  customer_code, 'tier', tier, 'period', period)::text FROM tiers "
	"  WHERE version > $1::bigint "
	"UNION ALL SELECT version, jsonb_build_object('kind', 'price', 'grade', grade, 'tier', "
	"  tier, 'nature', nature, 'discount_fen_per_litre', discount_fen_per_litre)::text "
	"  FROM prices WHERE version > $1::bigint "
	"UNION ALL SELECT version, jsonb_strip_nulls(jsonb_build_object('kind', 'holiday', "
	"  'date', to_char(date, 'YYYY-MM-DD'), 'day_kind', day_kind, 'name', name))::text "
	"  FROM holidays WHERE version > $1::bigint"
	") m ORDER BY version LIMIT $2::bigint";

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
	const char *p[] = { a, b };
	if (!s)
		s = hq_db_query(m->db, "reading master data", master_sql, 2, p, NULL, err);
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

/* Format the next rows (or the version line) into buf; false on failure. */
static bool refill(hq_master_stream *m)
{
	m->len = m->off = 0;
	while (m->len < 32768) {
		if (m->rows && m->row < PQntuples(m->rows)) {
			int r = m->row++;
			m->version = strtoll(PQgetvalue(m->rows, r, 0), NULL, 10);
			m->lines++;
			if (!append(m, PQgetvalue(m->rows, r, 1),
				    (size_t)PQgetlength(m->rows, r, 1)) ||
			    !append(m, "\n", 1))
				return false;
			continue;
		}
		PQclear(m->rows);
		m->rows = NULL;
		if (!m->cursor_done) {
			fc_error err;
			char fetch[48];
			snprintf(fetch, sizeof fetch, "FETCH %d FROM master", FETCH_ROWS);
			if (hq_db_query(m->db, "reading master data", fetch, 0, NULL, &m->rows,
					&err))
				return false;
			m->row = 0;
			if (PQntuples(m->rows) < FETCH_ROWS)
				m->cursor_done = true;
			continue;
		}
		if (!m->finished) {
			char line[80];
			int n = snprintf(line, sizeof line,
					 "{\"kind\":\"version\",\"version\":\"%" PRId64 "\"}\n",
					 m->version);
			m->finished = true;
			fc_error err;
			hq_db_exec(m->db, "COMMIT", &err);
			return append(m, line, (size_t)n);
		}
		break;
	}
	return true;
}

ssize_t hq_master_read(hq_master_stream *m, char *buf, size_t max)
{
	if (m->off == m->len) {
		if (m->finished && !m->rows)
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
	PQclear(m->rows);
	if (m->db)
		PQfinish(m->db);
	free(m->buf);
	free(m);
}
