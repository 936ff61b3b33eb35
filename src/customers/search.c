/* search.c — customer search: FTS5 trigram MATCH for three characters or
 * more; for shorter ones the grams of names and plates (Chinese), or the
 * name-prefix index and a time-boxed substring scan (ASCII). */
#include "customers/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/plate.h"
#include "customers/archive.h"
#include "store/db.h"
#include "store/schema.h"
#include "store/stmt_cache.h"

#define HIT_COLUMNS \
	"c.id, c.code, c.name, c.phone, c.plate, c.nature, c.tier, c.stability, c.competitor," \
	" c.competitor_name"

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Append the rows of st to out, skipping ids already there. */
static int collect_hits(sqlite3_stmt *st, search_result *out)
{
	int rc = SQLITE_DONE;
	while (out->count < SEARCH_PAGE && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		bool seen = false;
		for (int i = 0; i < out->count && !seen; i++)
			seen = out->hits[i].id == id;
		if (seen)
			continue;
		search_hit *h = &out->hits[out->count++];
		h->id = id;
		db_column_copy(st, 1, h->code, sizeof h->code);
		db_column_copy(st, 2, h->name, sizeof h->name);
		db_column_copy(st, 3, h->phone, sizeof h->phone);
		db_column_copy(st, 4, h->plate, sizeof h->plate);
		db_column_copy(st, 5, h->nature, sizeof h->nature);
		db_column_copy(st, 6, h->tier, sizeof h->tier);
		db_column_copy(st, 7, h->stability, sizeof h->stability);
		h->competitor = sqlite3_column_int(st, 8) != 0;
		db_column_copy(st, 9, h->competitor_name, sizeof h->competitor_name);
	}
	return out->count >= SEARCH_PAGE ? SQLITE_DONE : rc;
}

/* The query as one FTS5 phrase ("..." with inner quotes doubled), in
 * column col when col is not NULL; malloc'd. */
static char *fts_phrase(const char *query, const char *col)
{
	size_t n = strlen(query);
	char *phrase = malloc(2 * n + 3 + (col ? strlen(col) + 4 : 0));
	if (!phrase)
		return NULL;
	char *p = phrase;
	if (col)
		p += sprintf(p, "{%s}: ", col);
	*p++ = '"';
	for (const char *q = query; *q; q++) {
		if (*q == '"')
			*p++ = '"';
		*p++ = *q;
	}
	*p++ = '"';
	*p = '\0';
	return phrase;
}

/* Run sql (a cached statement: ?1 the FTS5 phrase of query in column col,
 * or NULL for all; ?2 like when not NULL) and collect its hits. */
static fc_status match_phrase(sqlite3 *db, const char *sql, const char *query, const char *col,
			      const char *like, search_result *out, fc_error *err)
{
	char *phrase = fts_phrase(query, col);
	if (!phrase)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, sql, &st, err);
	if (!s) {
		sqlite3_bind_text(st, 1, phrase, -1, SQLITE_STATIC);
		if (like)
			sqlite3_bind_text(st, 2, like, -1, SQLITE_STATIC);
		int rc = collect_hits(st, out);
		if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "searching", err);
		stmt_cache_done(st);
	}
	free(phrase);
	return s;
}

/* query as a LIKE pattern for "anywhere" (%query%, '\\' escaping) into
 * like[n]; false when it does not fit. */
static bool like_anywhere(const char *query, char *like, size_t n)
{
	size_t k = 0;
	like[k++] = '%';
	for (const char *q = query; *q; q++) {
		if (k + 4 > n)
			return false;
		if (*q == '%' || *q == '_' || *q == '\\')
			like[k++] = '\\';
		like[k++] = *q;
	}
	like[k++] = '%';
	like[k] = '\0';
	return true;
}

/* The customers listed in search_pending (a bulk job's new and renamed
 * ones, whose search entries search_index_pending has not made yet) that
 * sql (a cached statement, ?1 the LIKE pattern) finds, by a scan of the
 * list: not time-boxed, so every one is found (slower while the list is
 * long: up to about 2 s of CPU for a rare piece when a million are listed,
 * just after a first load); nothing to do when it is empty. */
static fc_status search_pending_rows(sqlite3 *db, const char *sql, const char *like,
				     search_result *out, fc_error *err)
{
	if (out->count >= SEARCH_PAGE)
		return FC_OK;
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
	int rc = collect_hits(st, out);
	stmt_cache_done(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "searching", err);
}

/* CROSS JOIN: the list is the outer loop (without it SQLite's planner
 * scans every customer and probes the list: 220 ms a query at 1 000 000
 * customers with the list empty) */
#define PENDING_ROWS "SELECT " HIT_COLUMNS " FROM search_pending p CROSS JOIN customers c" \
	" ON c.id = p.id"

/* The FTS5 trigram index (three characters or more), in column col of it
 * ("phone_digits") or (NULL) in all; then the customers not indexed yet. */
static fc_status search_trigram(sqlite3 *db, const char *query, const char *col,
				search_result *out, fc_error *err)
{
	char like[2 * ARCHIVE_VALUE_LEN + 3];
	if (!like_anywhere(query, like, sizeof like))
		return fc_error_set(err, FC_ERR_INVALID, "search text too long");
	fc_status s = match_phrase(db, "SELECT " HIT_COLUMNS " FROM customer_search s"
				       " JOIN customers c ON c.id = s.rowid"
				       " WHERE customer_search MATCH ?1 LIMIT 20",
				   query, col, NULL, out, err);
	if (s)
		return s;
	return search_pending_rows(db, col ? PENDING_ROWS " WHERE c.phone_digits LIKE ?1 ESCAPE '\\'"
				   : PENDING_ROWS " WHERE c.name LIKE ?1 ESCAPE '\\' OR c.phone LIKE ?1"
				     " ESCAPE '\\' OR c.plate LIKE ?1 ESCAPE '\\' OR c.code LIKE ?1"
				     " ESCAPE '\\' OR c.phone_digits LIKE ?1 ESCAPE '\\'",
				   like, out, err);
}

/* Whether text holds a character beyond ASCII. */
static bool beyond_ascii(const char *text)
{
	for (; *text; text++)
		if ((unsigned char)*text >= 0x80)
			return true;
	return false;
}

/* One or two characters, one of them beyond ASCII (a Chinese name's, a
 * plate's province): every customer whose name or plate holds them, from
 * customer_grams (migration 13; phones and codes are ASCII).  The index
 * finds the words of the query; the LIKE keeps only the customers that
 * hold it as it was typed (a piece with a separator, "王·", is the word
 * "王" to the index).  like: the query as a LIKE pattern. */
static fc_status search_grams(sqlite3 *db, const char *query, const char *like,
			      search_result *out, fc_error *err)
{
	fc_status s = match_phrase(db, "SELECT " HIT_COLUMNS " FROM customer_grams g"
				       " JOIN customers c ON c.id = g.rowid WHERE customer_grams MATCH ?1"
				       " AND (c.name LIKE ?2 ESCAPE '\\' OR c.plate LIKE ?2 ESCAPE '\\')"
				       " LIMIT 20",
				   query, NULL, like, out, err);
	if (s)
		return s;
	return search_pending_rows(db, PENDING_ROWS " WHERE c.name LIKE ?1 ESCAPE '\\'"
				   " OR c.plate LIKE ?1 ESCAPE '\\'", like, out, err);
}

/* Progress handler: interrupt the scan once its deadline has passed. */
static int scan_over_budget(void *deadline)
{
	return clock_mono_ms() > *(int64_t *)deadline;
}

/* Run a full scan st (bound) into out for at most SEARCH_SCAN_BUDGET_MS:
 * past it the page is marked partial; st is done with (stmt_cache_done). */
static fc_status scan_within_budget(sqlite3 *db, sqlite3_stmt *st, search_result *out,
				    fc_error *err)
{
	int64_t deadline = clock_mono_ms() + SEARCH_SCAN_BUDGET_MS;
	sqlite3_progress_handler(db, 2000, scan_over_budget, &deadline);
	int rc = collect_hits(st, out);
	sqlite3_progress_handler(db, 0, NULL, NULL);
	stmt_cache_done(st);
	if (rc == SQLITE_INTERRUPT) {
		out->partial = true;
		return FC_OK;
	}
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "searching", err);
}

static fc_status search_short(sqlite3 *db, const char *query, search_result *out, fc_error *err)
{
	char upper[64], like[80];
	size_t n = strlen(query);
	if (n + 5 > sizeof upper)
		return fc_error_set(err, FC_ERR_INVALID, "search text too long");
	/* anywhere in name, phone, plate or code: the LIKE pattern */
	char *l = like;
	*l++ = '%';
	for (const char *q = query; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*l++ = '\\';
		*l++ = *q;
	}
	*l++ = '%';
	*l = '\0';
	/* beyond ASCII: the grams; found nothing (punctuation, which the
	 * index has no word for): the scan below */
	fc_status s;
	if (beyond_ascii(query) && ((s = search_grams(db, query, like, out, err)) != FC_OK ||
				    out->count > 0))
		return s;
	/* names starting with query: [query, query + U+10FFFF) on the name index */
	snprintf(upper, sizeof upper, "%.59s\xF4\x8F\xBF\xBF", query);
	sqlite3_stmt *st;
	s = stmt_cache_get(db, "SELECT " HIT_COLUMNS " FROM customers c"
			   " WHERE c.name >= ?1 AND c.name < ?2 ORDER BY c.name LIMIT 20",
			   &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
	int rc = collect_hits(st, out);
	stmt_cache_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "searching", err);
	if (out->count >= SEARCH_PAGE)
		return FC_OK;
	/* then anywhere in name, phone, plate or code, for a bounded time */
	s = stmt_cache_get(db, "SELECT " HIT_COLUMNS " FROM customers c WHERE c.name LIKE ?1 ESCAPE '\\'"
			   " OR c.phone LIKE ?1 ESCAPE '\\' OR c.plate LIKE ?1 ESCAPE '\\'"
			   " OR c.code LIKE ?1 ESCAPE '\\'", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
	return scan_within_budget(db, st, out, err);
}

/* The digits of a query that reads as a phone (only digits and the
 * separators of a typed phone, at least 3 digits) into digits (n bytes);
 * false when it does not. */
static bool search_phone_digits(const char *query, char *digits, size_t n)
{
	size_t k = 0;
	for (const char *p = query; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (k + 1 >= n)
				return false;
			digits[k++] = *p;
		} else if (!strchr(" -+().", *p)) {
			return false;
		}
	}
	digits[k] = '\0';
	return k >= 3;
}

/* A phone typed either way: its digits at the start of phone_digits (the
 * index), then anywhere in it through the trigram index's column (not for
 * a query of digits alone: the search of every column that follows finds
 * them in phone_digits too). */
static fc_status search_phone(sqlite3 *db, const char *query, const char *digits,
			      search_result *out, fc_error *err)
{
	char upper[48];
	snprintf(upper, sizeof upper, "%s:", digits); /* ':' follows '9' */
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, "SELECT " HIT_COLUMNS " FROM customers c"
				     " WHERE c.phone_digits >= ?1 AND c.phone_digits < ?2"
				     " ORDER BY c.phone_digits LIMIT 20", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, digits, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
	int rc = collect_hits(st, out);
	stmt_cache_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "searching", err);
	if (out->count >= SEARCH_PAGE || strcmp(query, digits) == 0)
		return FC_OK;
	return search_trigram(db, digits, "phone_digits", out, err);
}

fc_status search_customers(sqlite3 *db, const char *query, search_result *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	if (!query || !*query)
		return fc_error_set(err, FC_ERR_USAGE, "type a name, phone, plate or code to search");
	/* a typed plate, with or without its middle dot or a space, is looked
	 * for in the stored form (plate_normalise) */
	char plate[ARCHIVE_VALUE_LEN];
	if (plate_like(query)) {
		plate_normalise(query, plate, sizeof plate);
		query = plate;
	}
	/* a phone is found typed with or without separators (phone_digits) */
	char digits[32];
	bool phone = !plate_like(query) && search_phone_digits(query, digits, sizeof digits);
	/* a whole code, phone or plate: straight from their indexes (a code's
	 * trigrams are shared by every customer of the station: slow in FTS) */
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, "SELECT " HIT_COLUMNS " FROM customers c WHERE c.code = ?1"
				     " OR c.phone = ?1 OR c.plate = ?1 OR c.phone_digits = ?2"
				     " LIMIT 20", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
	if (phone)
		sqlite3_bind_text(st, 2, digits, -1, SQLITE_STATIC);
	int rc = collect_hits(st, out);
	stmt_cache_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "searching", err);
	if (out->count > 0)
		return FC_OK;
	if (phone && (s = search_phone(db, query, digits, out, err)) != FC_OK)
		return s;
	if (out->count >= SEARCH_PAGE)
		return FC_OK;
	bool partial = out->partial;
	s = utf8_chars(query) >= 3 ? search_trigram(db, query, NULL, out, err)
				   : search_short(db, query, out, err);
	out->partial |= partial;
	return s;
}

fc_status search_competitors(sqlite3 *db, const char *query, search_result *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	if (!query)
		query = "";
	char like[2 * ARCHIVE_VALUE_LEN + 3], *l = like;
	if (strlen(query) >= ARCHIVE_VALUE_LEN)
		return fc_error_set(err, FC_ERR_INVALID, "search text too long");
	*l++ = '%';
	for (const char *q = query; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*l++ = '\\';
		*l++ = *q;
	}
	*l++ = '%';
	*l = '\0';
	/* the partial index customers_competitor holds only the flagged rows */
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT " HIT_COLUMNS " FROM customers c WHERE c.competitor = 1"
				     " AND (?1 = '%%' OR c.competitor_name LIKE ?1 ESCAPE '\\'"
				     " OR c.name LIKE ?1 ESCAPE '\\' OR c.code LIKE ?1 ESCAPE '\\')"
				     " ORDER BY c.code LIMIT 20", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
	return scan_within_budget(db, st, out, err);
}

fc_status search_rebuild_grams(sqlite3 *db, fc_error *err)
{
	return db_exec(db, "INSERT INTO customer_grams(customer_grams) VALUES ('delete-all');"
			   " INSERT INTO customer_grams(rowid, grams) SELECT c.id, "
			   SCHEMA_CUSTOMER_GRAMS("c.name", "c.plate") " FROM customers c",
			   "building the short search's grams", err);
}
