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

/* A customer's line, for the pulling station: built by concat(), so a NULL
 * part drops out and a field without a value is left out (the station
 * treats a missing field as "not given"); to_json() quotes and escapes
 * text; nature and tier are checked keywords.  (jsonb_build_object of 20
 * fields costs three times the whole pull.)  %1$s: the customers row;
 * %2$s: its balance as this station must see it; %3$s: points_seq. */
#define CUSTOMER_LINE                                                                        \
	"concat('{\"kind\":\"customer\",\"code\":', to_json(%1$s.code), ',\"name\":', "          \
	"to_json(%1$s.name), ',\"nature\":\"', %1$s.nature, '\",\"industry\":', "               \
	"to_json(%1$s.industry), ',\"tier\":\"', %1$s.tier, '\"', ',\"phone\":' || "            \
	"to_json(%1$s.phone), ',\"plate\":' || to_json(%1$s.plate), ',\"contact\":' || "        \
	"to_json(%1$s.contact), ',\"address\":' || to_json(%1$s.address), "                    \
	"',\"fuel_grades\":' || to_json(%1$s.fuel_grades), ',\"yearly_litres\":' || "            \
	"%1$s.yearly_litres, ',\"refuel_cycle_days\":' || %1$s.refuel_cycle_days, "             \
	"',\"other_channels\":' || to_json(%1$s.other_channels), ',\"potential_needs\":' || "    \
	"to_json(%1$s.potential_needs), ',\"person_in_charge\":' || "                           \
	"to_json(%1$s.person_in_charge), ',\"handler\":' || to_json(%1$s.handler), "            \
	"',\"special_needs\":' || to_json(%1$s.special_needs), ',\"last_purchase_at\":\"' || "   \
	"to_char(%1$s.last_purchase_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') " \
	"|| '\"', ',\"home_station\":' || to_json(%1$s.home_station), ',\"owner_staff\":' || "   \
	"%1$s.owner_staff, ',\"owner_name\":' || to_json(%1$s.owner_name), ',\"points\":', "     \
	"greatest(%2$s, 0), ',\"points_seq\":', %3$s, '}')"

/* Each master row above since as (version, text), in version order, for
 * one station.  A card, tier or litres row whose customer changed after it
 * carries the customer's line in front (a station that has never seen the
 * customer applies it first); the customer's own line follows later too.
 * %4$s: since; %5$s: limit. */
static const char master_sql[] =
	"COPY (SELECT version, line FROM ("
	"SELECT c.version, " CUSTOMER_LINE " AS line FROM customers c WHERE c.version > %4$s "
	"UNION ALL SELECT k.version, concat(CASE WHEN c.version > k.version THEN "
	CUSTOMER_LINE " || E'\\n' END, '{\"kind\":\"card\",\"card_id\":\"', k.card_id, "
	"'\",\"customer_code\":', to_json(k.customer_code), ',\"card_kind\":\"', k.card_kind, "
	"'\",\"status\":\"', k.status, '\"}') FROM cards k JOIN customers c ON c.code = "
	"k.customer_code WHERE k.version > %4$s "
	"UNION ALL SELECT t.version, concat(CASE WHEN c.version > t.version THEN "
	CUSTOMER_LINE " || E'\\n' END, '{\"kind\":\"tier\",\"customer_code\":', "
	"to_json(t.customer_code), ',\"tier\":', to_json(t.tier), ',\"period\":', "
	"to_json(t.period), '}') FROM tiers t JOIN customers c ON c.code = t.customer_code "
	"WHERE t.version > %4$s "
	"UNION ALL SELECT l.version, concat(CASE WHEN c.version > l.version THEN "
	CUSTOMER_LINE " || E'\\n' END, '{\"kind\":\"litres\",\"customer_code\":', "
	"to_json(l.customer_code), ',\"period\":\"', l.period, '\",\"litres\":', "
	"l.volume_ml / 1000, '}') FROM litres l JOIN customers c ON c.code = l.customer_code "
	"WHERE l.version > %4$s "
	"UNION ALL SELECT version, concat('{\"kind\":\"blocked\",\"card_id\":\"', card_id, "
	"'\"', ',\"reason\":' || to_json(reason), '}') FROM blocked_cards WHERE version > %4$s "
	"UNION ALL SELECT version, concat('{\"kind\":\"price\",\"grade\":', to_json(grade), "
	"',\"tier\":', to_json(tier), ',\"nature\":', to_json(nature), "
	"',\"discount_fen_per_litre\":', discount_fen_per_litre, '}') FROM prices "
	"WHERE version > %4$s "
	"UNION ALL SELECT version, concat('{\"kind\":\"holiday\",\"date\":\"', "
	"to_char(date, 'YYYY-MM-DD'), '\",\"day_kind\":\"', day_kind, '\"', "
	"',\"name\":' || to_json(name), '}') FROM holidays WHERE version > %4$s"
	") m ORDER BY version LIMIT %5$s) TO STDOUT";

/* The balance the pulling station sees: head office's, less that
 * station's own movements above its contiguous seq (a gap: it adds those
 * itself, from points_seq on).  %1$s is the customers row. */
static const char own_above_sql[] =
	"(%1$s.points - coalesce((SELECT sum(delta) FROM points_ledger o WHERE "
	"o.customer_code = %1$s.code AND o.station = %2$s AND o.seq > %3$s), 0))";

/* master_sql for station (quoted literal), its seq, since, limit. */
static char *build_sql(PGconn *db, const char *station, int64_t seq, bool gap, int64_t since,
		       int64_t limit)
{
	char *lit = PQescapeLiteral(db, station, strlen(station));
	if (!lit)
		return NULL;
	char seqs[24], sinces[24], limits[24], points[512];
	snprintf(seqs, sizeof seqs, "%" PRId64, seq);
	snprintf(sinces, sizeof sinces, "%" PRId64, since);
	snprintf(limits, sizeof limits, "%" PRId64, limit);
	if (gap)
		snprintf(points, sizeof points, own_above_sql, "c", lit, seqs);
	else
		snprintf(points, sizeof points, "c.points");
	PQfreemem(lit);
	size_t n = sizeof master_sql + 8 * (strlen(points) + 64);
	char *sql = malloc(n);
	if (sql)
		snprintf(sql, n, master_sql, "c", points, seqs, sinces, limits);
	return sql;
}

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

fc_status hq_master_open(const char *conninfo, const char *station, int64_t since,
			 int64_t limit, hq_master_stream **out, fc_error *err)
{
	*out = NULL;
	hq_master_stream *m = calloc(1, sizeof *m);
	if (!m)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	m->version = since;
	fc_status s = hq_db_connect(conninfo, &m->db, err);
	if (!s)
		s = hq_db_exec(m->db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
	/* how far the station's own records are included, in this snapshot */
	PGresult *r = NULL;
	const char *p[] = { station };
	if (!s)
		s = hq_db_query(m->db, "reading the station's seq",
				"SELECT station_seq, EXISTS (SELECT 1 FROM points_ledger WHERE "
				"station = $1 AND seq > s.station_seq) FROM stations s WHERE id = $1",
				1, p, &r, err);
	if (!s && PQntuples(r) != 1)
		s = fc_error_set(err, FC_ERR_NOT_FOUND, "no station '%s'", station);
	char *sql = NULL;
	if (!s) {
		sql = build_sql(m->db, station, strtoll(PQgetvalue(r, 0, 0), NULL, 10),
				PQgetvalue(r, 0, 1)[0] == 't', since, limit);
		if (!sql)
			s = fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	}
	PQclear(r);
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

/* One COPY row "VERSION<TAB>TEXT".  COPY's text format writes a backslash
 * as "\\" and a newline as "\n"; the JSON holds no other control character
 * (to_json escapes them), and a newline only joins a customer's line to the
 * card, tier or litres line after it. */
static bool take_row(hq_master_stream *m, const char *row, int n)
{
	const char *tab = memchr(row, '\t', (size_t)n);
	if (!tab)
		return false;
	m->version = strtoll(row, NULL, 10);
	const char *p = tab + 1, *end = row + n;
	if (end > p && end[-1] == '\n')
		end--;
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		if (!append(m, p, (size_t)((bs ? bs : end) - p)))
			return false;
		if (!bs)
			break;
		char c = bs + 1 < end ? bs[1] : '\\';
		if (c == 'n')
			m->lines++;
		if (!append(m, c == 'n' ? "\n" : c == '\\' ? "\\" : bs, 1))
			return false;
		p = bs + 2;
	}
	m->lines++;
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
