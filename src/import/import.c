/* import.c — reading an import file (CSV through libcsv, NDJSON through
 * jansson), checking UTF-8, and running it in one all-or-nothing transaction. */
#include "import/import.h"

#include <csv.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import/import_rows.h"
#include "store/db.h"

#define PROGRESS_EVERY 8192 /* rows between progress calls */
#define MAX_FILE_COLS 64

static const char *const kind_names[IMPORT_KIND_COUNT] = {
	"customers", "cards", "blocked", "prices", "holidays"
};

bool import_kind_parse(const char *name, import_kind *out)
{
	for (int i = 0; i < IMPORT_KIND_COUNT; i++) {
		if (strcmp(kind_names[i], name) == 0) {
			*out = (import_kind)i;
			return true;
		}
	}
	return false;
}

const char *import_kind_name(import_kind kind)
{
	return kind >= 0 && kind < IMPORT_KIND_COUNT ? kind_names[kind] : "?";
}

const char *import_kind_columns(import_kind kind)
{
	static const char *const lists[IMPORT_KIND_COUNT] = {
		"code, name, nature, industry, tier, points, phone, plate, contact, address, "
		"fuel_grades, yearly_litres, refuel_cycle_days, other_channels, potential_needs, "
		"person_in_charge, handler, special_needs",
		"card_id, customer_code, kind, status",
		"card_id, reason",
		"grade, tier, nature, discount_fen_per_litre",
		"date, kind, name",
	};
	return kind >= 0 && kind < IMPORT_KIND_COUNT ? lists[kind] : "";
}

/* Strict UTF-8 (no overlong forms, surrogates or values above U+10FFFF);
 * returns the offset of the first bad byte, or -1 when the text is valid. */
static long utf8_bad_offset(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char b = s[i];
		size_t len;
		unsigned cp;
		if (b < 0x80) {
			i++;
			continue;
		} else if (b >= 0xC2 && b <= 0xDF) {
			len = 2, cp = b & 0x1F;
		} else if (b >= 0xE0 && b <= 0xEF) {
			len = 3, cp = b & 0x0F;
		} else if (b >= 0xF0 && b <= 0xF4) {
			len = 4, cp = b & 0x07;
		} else {
			return (long)i;
		}
		if (i + len > n)
			return (long)i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return (long)i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return (long)i;
		i += len;
	}
	return -1;
}

/* The reading state shared by the CSV callbacks. */
typedef struct csv_state {
	import_ctx *c;
	int64_t line_now;            /* physical line being fed to libcsv */
	bool header_done;
	bool stop;                   /* header refused: nothing more to do */
	int map[MAX_FILE_COLS];      /* file column -> kind column (-1 unknown) */
	int file_cols;
	char *fields[MAX_FILE_COLS]; /* this record's fields, NULL when empty */
	char *bufs[MAX_FILE_COLS];   /* their storage, kept from record to record */
	size_t caps[MAX_FILE_COLS];
	int nfields;
	bool too_many;
	int64_t record_line;         /* line where this record started */
	bool bad_utf8;
	fc_status fatal;
	fc_error *err;
	import_progress_fn progress;
	void *user;
	int64_t bytes_done, bytes_total;
} csv_state;

static void csv_field(void *data, size_t len, void *user)
{
	csv_state *s = user;
	if (s->nfields == 0)
		s->record_line = s->line_now;
	if (s->nfields >= MAX_FILE_COLS) {
		s->too_many = true;
		return;
	}
	long bad = utf8_bad_offset(data, len);
	char *copy = NULL;
	int i = s->nfields;
	if (bad >= 0) {
		if (!s->bad_utf8) {
			s->c->line = s->record_line;
			const char *col = "?";
			if (!s->header_done)
				col = "(header)";
			else if (s->nfields < s->file_cols && s->map[s->nfields] >= 0)
				col = import_rows_column_name(s->c->kind, s->map[s->nfields]);
			import_rows_bad(s->c, col,
				       "not UTF-8 (byte %ld of the field; is the file GBK? save it "
				       "as UTF-8)", bad + 1);
		}
		s->bad_utf8 = true;
	} else if (len > 0) {
		if (len + 1 > s->caps[i]) {
			size_t cap = len + 1 < 64 ? 64 : 2 * len + 1;
			char *grown = realloc(s->bufs[i], cap);
			if (!grown) {
				s->fatal = FC_ERR_NOMEM;
				return;
			}
			s->bufs[i] = grown;
			s->caps[i] = cap;
		}
		copy = s->bufs[i];
		memcpy(copy, data, len);
		copy[len] = '\0';
	}
	s->fields[s->nfields++] = copy;
}

static void csv_clear_record(csv_state *s)
{
	s->nfields = 0;
	s->too_many = false;
	s->bad_utf8 = false;
}

static void csv_header(csv_state *s)
{
	import_ctx *c = s->c;
	bool seen[IMPORT_MAX_COLS] = { false };
	c->line = s->record_line;
	s->header_done = true;
	s->file_cols = s->nfields;
	for (int i = 0; i < s->nfields; i++) {
		const char *name = s->fields[i] ? s->fields[i] : "";
		/* a UTF-8 byte order mark (Excel) before the first name */
		if (i == 0 && strncmp(name, "\xEF\xBB\xBF", 3) == 0)
			name += 3;
		int k = import_rows_column_find(c->kind, name);
		s->map[i] = k;
		if (k < 0)
			import_rows_bad(c, name, "unknown column for %s (accepted: %s)",
				       import_kind_name(c->kind), import_kind_columns(c->kind));
		else if (seen[k])
			import_rows_bad(c, name, "appears twice in the header");
		else
			seen[k] = true;
	}
	for (int k = 0; k < import_rows_column_count(c->kind); k++)
		if (import_rows_column_required(c->kind, k) && !seen[k])
			import_rows_bad(c, import_rows_column_name(c->kind, k),
				       "required column missing from the header");
	if (c->res->bad_total)
		s->stop = true;
}

static void csv_record(int term, void *user)
{
	csv_state *s = user;
	import_ctx *c = s->c;
	(void)term;
	if (s->stop || s->fatal) {
		csv_clear_record(s);
		return;
	}
	if (!s->header_done) {
		if (!s->bad_utf8)
			csv_header(s);
		else
			s->stop = true;
		csv_clear_record(s);
		return;
	}
	c->res->rows++;
	c->line = s->record_line;
	if (s->too_many || s->nfields != s->file_cols) {
		import_rows_bad(c, NULL, "%s%d fields, the header has %d",
			       s->too_many ? "more than " : "", s->nfields, s->file_cols);
	} else if (!s->bad_utf8) {
		const char *vals[IMPORT_MAX_COLS] = { NULL };
		for (int i = 0; i < s->nfields; i++)
			vals[s->map[i]] = s->fields[i];
		s->fatal = import_rows_apply(c, vals, s->err);
	}
	csv_clear_record(s);
	if (s->progress && c->res->rows % PROGRESS_EVERY == 0)
		s->progress(s->user, c->res->rows, s->bytes_done, s->bytes_total);
}

static fc_status read_csv(import_ctx *c, FILE *f, csv_state *s)
{
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return fc_error_set(s->err, FC_ERR_NOMEM, "out of memory");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (!s->stop && !s->fatal && (n = getline(&line, &cap, f)) > 0) {
		s->line_now++;
		s->bytes_done += n;
		if (csv_parse(&p, line, (size_t)n, csv_field, csv_record, s) != (size_t)n) {
			c->line = s->line_now;
			import_rows_bad(c, NULL, "CSV: %s", csv_strerror(csv_error(&p)));
			s->stop = true;
		}
	}
	if (!s->stop && !s->fatal)
		csv_fini(&p, csv_field, csv_record, s);
	csv_clear_record(s);
	csv_free(&p);
	for (int i = 0; i < MAX_FILE_COLS; i++)
		free(s->bufs[i]);
	free(line);
	if (ferror(f))
		return fc_error_set(s->err, FC_ERR_IO, "%s: read error: %s", c->path, strerror(errno));
	if (!s->header_done && !s->fatal) {
		c->line = 1;
		import_rows_bad(c, NULL, "empty file: a header row is needed (%s)",
			       import_kind_columns(c->kind));
	}
	return s->fatal;
}

/* One NDJSON object into column texts; ints become text in numbuf. */
static void ndjson_line(import_ctx *c, const char *text, size_t len, csv_state *s)
{
	json_error_t jerr;
	json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	c->res->rows++;
	if (!obj) {
		bool utf8 = strstr(jerr.text, "UTF-8") != NULL;
		long bad = utf8_bad_offset((const unsigned char *)text, len);
		if (utf8 || bad >= 0)
			import_rows_bad(c, NULL, "not UTF-8 (byte %ld of the line; is the file GBK? "
				       "save it as UTF-8)", bad + 1);
		else
			import_rows_bad(c, NULL, "not a JSON object: %s (column %d)", jerr.text,
				       jerr.column);
		return;
	}
	if (!json_is_object(obj)) {
		import_rows_bad(c, NULL, "each line must be one JSON object");
		json_decref(obj);
		return;
	}
	const char *vals[IMPORT_MAX_COLS] = { NULL };
	char nums[IMPORT_MAX_COLS][24];
	const char *key;
	json_t *v;
	bool ok = true;
	json_object_foreach(obj, key, v) {
		int k = import_rows_column_find(c->kind, key);
		if (k < 0) {
			import_rows_bad(c, key, "unknown column for %s (accepted: %s)",
				       import_kind_name(c->kind), import_kind_columns(c->kind));
			ok = false;
		} else if (json_is_string(v)) {
			vals[k] = json_string_length(v) ? json_string_value(v) : NULL;
		} else if (json_is_integer(v)) {
			snprintf(nums[k], sizeof nums[k], "%lld", (long long)json_integer_value(v));
			vals[k] = nums[k];
		} else if (!json_is_null(v)) {
			import_rows_bad(c, key, "must be a string or a whole number");
			ok = false;
		}
	}
	if (ok)
		s->fatal = import_rows_apply(c, vals, s->err);
	json_decref(obj);
}

static fc_status read_ndjson(import_ctx *c, FILE *f, csv_state *s)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (!s->fatal && (n = getline(&line, &cap, f)) > 0) {
		s->line_now++;
		s->bytes_done += n;
		c->line = s->line_now;
		size_t len = (size_t)n;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len == 0)
			continue;
		ndjson_line(c, line, len, s);
		if (s->progress && c->res->rows % PROGRESS_EVERY == 0)
			s->progress(s->user, c->res->rows, s->bytes_done, s->bytes_total);
	}
	free(line);
	if (ferror(f))
		return fc_error_set(s->err, FC_ERR_IO, "%s: read error: %s", c->path, strerror(errno));
	return s->fatal;
}

static int64_t pragma_cache_size(sqlite3 *db)
{
	sqlite3_stmt *st;
	int64_t n = -2000;
	if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Bulk loading.  The search index (FTS5) flushes at every statement when
 * fed row by row, which makes a million inserts take minutes; and index
 * pages of a table that grows a lot are cheaper built once by sorting.  So
 * while importing customers the search triggers are set aside (rows changed
 * in place are re-indexed by import_customers.c, new ones at the end), and
 * when the file is big against the table its secondary indexes too; the
 * new rows are indexed at the end.  All inside the transaction: a rollback
 * restores the schema as it was. */
#define BULK_MAX_SQL 8
#define BULK_BYTES_PER_ROW 40 /* a low guess, to estimate rows from the size */

typedef struct bulk_defer {
	char *sql[BULK_MAX_SQL]; /* CREATE statements to run again at the end */
	int count;
	bool search;             /* the search trigger was set aside */
	int64_t max_id;          /* customers above this id are new */
} bulk_defer;

static fc_status bulk_defer_begin(sqlite3 *db, import_ctx *c, int64_t bytes, bulk_defer *d,
				  fc_error *err)
{
	const char *table = c->kind == IMPORT_CUSTOMERS ? "customers" : "cards";
	int64_t rows = import_rows_count_table(c);
	/* x4: a re-import of the same file (with longer rows than the guess)
	 * must not rebuild the indexes of a table it leaves unchanged */
	bool big = bytes / BULK_BYTES_PER_ROW > 4 * rows && bytes > 1000000;
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ?1 AND"
				 " sql IS NOT NULL AND ((type = 'index' AND ?2) OR"
				 " name IN ('customers_search_insert', 'customers_search_update'))",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, big);
	char drops[BULK_MAX_SQL][96];
	while (d->count < BULK_MAX_SQL && sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		d->sql[d->count] = strdup((const char *)sqlite3_column_text(st, 2));
		if (!d->sql[d->count])
			break;
		snprintf(drops[d->count], sizeof drops[0], "DROP %s \"%s\"",
			 strcmp(type, "trigger") == 0 ? "TRIGGER" : "INDEX", name);
		d->search |= strcmp(name, "customers_search_insert") == 0;
		c->search_deferred |= strcmp(name, "customers_search_update") == 0;
		d->count++;
	}
	sqlite3_finalize(st);
	if (c->kind == IMPORT_CUSTOMERS) {
		s = db_prepare(db, "SELECT coalesce(max(id), 0) FROM customers", &st, err);
		if (s)
			return s;
		if (sqlite3_step(st) == SQLITE_ROW)
			d->max_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		c->indexed_upto = d->max_id;
	}
	for (int i = 0; i < d->count && !s; i++)
		s = db_exec(db, drops[i], "preparing the import", err);
	return s;
}

static fc_status bulk_defer_end(sqlite3 *db, bulk_defer *d, fc_error *err)
{
	fc_status s = FC_OK;
	if (d->search) {
		sqlite3_stmt *st;
		s = db_prepare(db,
			       "INSERT INTO customer_search(rowid, name, phone, plate, code)"
			       " SELECT id, name, phone, plate, code FROM customers WHERE id > ?1",
			       &st, err);
		if (s)
			return s;
		sqlite3_bind_int64(st, 1, d->max_id);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, rc, "indexing the new customers for search", err);
	}
	for (int i = 0; i < d->count && !s; i++)
		s = db_exec(db, d->sql[i], "rebuilding an index after the import", err);
	return s;
}

static void bulk_defer_free(bulk_defer *d)
{
	for (int i = 0; i < d->count; i++)
		free(d->sql[i]);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

fc_status import_file(sqlite3 *db, const fc_config *cfg, import_kind kind, const char *path,
		      import_progress_fn progress, void *user, import_result *res,
		      fc_error *err)
{
	memset(res, 0, sizeof *res);
	FILE *f = fopen(path, "r");
	if (!f)
		return fc_error_set(err, FC_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
	import_ctx c = { .db = db, .cfg = cfg, .kind = kind, .path = path, .res = res };
	csv_state s = { .c = &c, .err = err, .progress = progress, .user = user };
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
		s.bytes_total = sb.st_size;
	clock_now_iso(c.now);

	/* A big file touches many index pages: keep them in memory (256 MiB at
	 * most) instead of spilling to the WAL again and again. */
	int64_t cache_before = pragma_cache_size(db);
	sqlite3_exec(db, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
	fc_status st = db_begin(db, err);
	bulk_defer defer = { .count = 0 };
	if (!st && (kind == IMPORT_CUSTOMERS || kind == IMPORT_CARDS))
		st = bulk_defer_begin(db, &c, s.bytes_total, &defer, err);
	if (!st)
		st = import_rows_prepare(&c, err);
	int64_t before = st ? 0 : import_rows_count_table(&c);
	if (!st) {
		bool ndjson = ends_with(path, ".ndjson") || ends_with(path, ".jsonl");
		st = ndjson ? read_ndjson(&c, f, &s) : read_csv(&c, f, &s);
	}
	fclose(f);
	if (!st && res->bad_total == 0)
		st = import_rows_flush(&c, err);
	if (!st && res->bad_total == 0) {
		int64_t after = import_rows_count_table(&c);
		if (kind != IMPORT_BLOCKED) {
			res->inserted = after - before;
			res->updated = c.changed - res->inserted;
			res->unchanged = res->rows - c.changed;
		}
	}
	import_rows_finish(&c);
	if (progress && !st && res->bad_total == 0 && (defer.count || defer.search))
		progress(user, res->rows, -1, s.bytes_total);
	if (!st && res->bad_total == 0)
		st = bulk_defer_end(db, &defer, err);
	bulk_defer_free(&defer);
	if (progress)
		progress(user, res->rows, s.bytes_done, s.bytes_total);
	if (!st && res->bad_total) /* nothing applied when a row is bad */
		st = fc_error_set(err, FC_ERR_INVALID, "%s", res->bad[0]);
	st = db_finish(db, st, err);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)cache_before);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	return st;
}
