/* rowfile.c — reading an import file (CSV through libcsv, NDJSON through
 * jansson), checking UTF-8, the header and the columns, row by row. */
#include "base/rowfile.h"

#include <csv.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/keyset.h"
#include "base/text_check.h"

#define PROGRESS_EVERY 8192 /* rows between progress calls */
#define MAX_FILE_COLS 64

void rowfile_bad(rowfile_errors *e, const char *col, const char *fmt, ...)
{
	e->total++;
	if (e->listed >= ROWFILE_MAX_ERRORS)
		return;
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	e->at[e->listed] = e->line;
	char *out = e->text[e->listed++];
	if (col)
		snprintf(out, ROWFILE_ERROR_LEN, "%s:%lld: column '%s': %s", e->path,
			 (long long)e->line, col, why);
	else
		snprintf(out, ROWFILE_ERROR_LEN, "%s:%lld: %s", e->path, (long long)e->line, why);
}

void rowfile_errors_print(const rowfile_errors *e, FILE *out)
{
	int order[ROWFILE_MAX_ERRORS];
	for (int i = 0; i < e->listed; i++) { /* a stable insertion sort by line */
		int k = i;
		while (k > 0 && e->at[order[k - 1]] > e->at[i]) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = i;
	}
	for (int i = 0; i < e->listed; i++)
		fprintf(out, "%s\n", e->text[order[i]]);
	if (e->total > e->listed)
		fprintf(out, "... and %lld more bad rows\n", (long long)(e->total - e->listed));
}

const char *rowfile_errors_first(const rowfile_errors *e)
{
	int first = -1;
	for (int i = 0; i < e->listed; i++)
		if (first < 0 || e->at[i] < e->at[first])
			first = i;
	return first < 0 ? "" : e->text[first];
}

/* Lines of a file, each at most ROWFILE_LINE_MAX bytes in memory: a longer
 * one is skipped (reported too long), so a file of one huge line never
 * fills the memory. */
#define READ_CHUNK 65536
#define LINE_BUF (ROWFILE_LINE_MAX + 1 + READ_CHUNK)

typedef struct line_source {
	FILE *f;
	int64_t *bytes_done; /* the rowfile's count of bytes read */
	char *buf;           /* LINE_BUF bytes; unread ones are buf[start..end) */
	size_t start, end;
	bool eof;
} line_source;

/* The next line (its newline included, when it has one) in *line, *len
 * bytes; *too_long when it had more than ROWFILE_LINE_MAX bytes before the
 * newline (then *line holds only its end).  1: a line, 0: the end of the
 * file, -1: a read error. */
static int line_next(line_source *ls, char **line, size_t *len, bool *too_long)
{
	size_t skipped = 0;
	for (;;) {
		char *from = ls->buf + ls->start;
		size_t avail = ls->end - ls->start;
		char *nl = avail ? memchr(from, '\n', avail) : NULL;
		if (nl || (ls->eof && (avail || skipped))) {
			size_t n = nl ? (size_t)(nl - from) + 1 : avail;
			ls->start += n;
			*ls->bytes_done += (int64_t)n;
			*line = from;
			*len = n;
			*too_long = skipped + n - (nl ? 1 : 0) > ROWFILE_LINE_MAX;
			return 1;
		}
		if (ls->eof)
			return 0;
		if (avail > ROWFILE_LINE_MAX) { /* no newline yet and too long already */
			skipped += avail;
			*ls->bytes_done += (int64_t)avail;
			ls->start = ls->end = 0;
		} else if (ls->start) {
			memmove(ls->buf, from, avail);
			ls->start = 0;
			ls->end = avail;
		}
		size_t got = fread(ls->buf + ls->end, 1, LINE_BUF - ls->end, ls->f);
		ls->end += got;
		if (got == 0) {
			if (ferror(ls->f))
				return -1;
			ls->eof = true;
		}
	}
}

/* The reading state of one file, shared by the CSV callbacks. */
typedef struct reader {
	rowfile *rf;
	import_kind kind;
	rowfile_errors *errors;
	rowfile_row_fn on_row;
	void *row_user;
	rowfile_progress_fn progress;
	void *progress_user;
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
	size_t record_bytes;         /* bytes of the lines of the record being read */
	bool bad_utf8;
	keyset *keys;                /* the keys of the rows so far (rf->unique_keys) */
	line_source lines;
	fc_status fatal;
	fc_error *err;
} reader;

/* A row that read well: refused when its key was on an earlier line
 * (rf->unique_keys), else to the caller's on_row. */
static fc_status reader_row(void *user, const char *const *vals, fc_error *err)
{
	reader *r = user;
	char key[512];
	const char *names;
	size_t len = r->keys ? import_kind_key(r->kind, vals, key, sizeof key, &names) : 0;
	if (len) {
		int64_t first = keyset_add(r->keys, key, len, r->errors->line);
		if (first < 0)
			return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
		if (first > 0) {
			for (char *p = key; (p = strchr(p, IMPORT_KEY_SEP)) != NULL; p++)
				*p = '/';
			rowfile_bad(r->errors, NULL, "%s '%s' is given twice, on line %lld and here: "
				    "each %s once in a file", names, key, (long long)first,
				    strchr(names, ',') ? "key" : names);
			return FC_OK;
		}
	}
	return r->on_row(r->row_user, vals, err);
}

static void progress_tick(reader *r)
{
	if (r->progress && r->rf->rows % PROGRESS_EVERY == 0)
		r->progress(r->progress_user, r->rf->rows, r->rf->bytes_done, r->rf->bytes_total);
}

static void csv_field(void *data, size_t len, void *user)
{
	reader *r = user;
	if (r->nfields == 0)
		r->record_line = r->line_now;
	if (r->nfields >= MAX_FILE_COLS) {
		r->too_many = true;
		return;
	}
	long bad = text_check_utf8(data, len);
	char *copy = NULL;
	int i = r->nfields;
	if (bad >= 0) {
		if (!r->bad_utf8) {
			r->errors->line = r->record_line;
			const char *col = "?";
			if (!r->header_done)
				col = "(header)";
			else if (r->nfields < r->file_cols && r->map[r->nfields] >= 0)
				col = import_kind_column_name(r->kind, r->map[r->nfields]);
			rowfile_bad(r->errors, col,
				    "not UTF-8 (byte %ld of the field; is the file GBK? save it "
				    "as UTF-8)", bad + 1);
		}
		r->bad_utf8 = true;
	} else if (len > 0) {
		if (len + 1 > r->caps[i]) {
			size_t cap = len + 1 < 64 ? 64 : 2 * len + 1;
			char *grown = realloc(r->bufs[i], cap);
			if (!grown) {
				r->fatal = fc_error_set(r->err, FC_ERR_NOMEM, "out of memory");
				return;
			}
			r->bufs[i] = grown;
			r->caps[i] = cap;
		}
		copy = r->bufs[i];
		memcpy(copy, data, len);
		copy[len] = '\0';
	}
	r->fields[r->nfields++] = copy;
}

static void csv_clear_record(reader *r)
{
	r->nfields = 0;
	r->too_many = false;
	r->bad_utf8 = false;
}

static void csv_header(reader *r)
{
	rowfile_errors *e = r->errors;
	bool seen[IMPORT_MAX_COLS] = { false };
	e->line = r->record_line;
	r->header_done = true;
	r->file_cols = r->nfields;
	int64_t before = e->total;
	for (int i = 0; i < r->nfields; i++) {
		const char *name = r->fields[i] ? r->fields[i] : "";
		/* a UTF-8 byte order mark (Excel) before the first name */
		if (i == 0 && strncmp(name, "\xEF\xBB\xBF", 3) == 0)
			name += 3;
		int k = import_kind_column_find(r->kind, name);
		r->map[i] = k;
		if (k < 0)
			rowfile_bad(e, name, "unknown column for %s (accepted: %s)",
				    import_kind_name(r->kind), import_kind_columns(r->kind));
		else if (seen[k])
			rowfile_bad(e, name, "appears twice in the header");
		else
			seen[k] = true;
	}
	for (int k = 0; k < import_kind_column_count(r->kind); k++)
		if (import_kind_column_required(r->kind, k) && !seen[k])
			rowfile_bad(e, import_kind_column_name(r->kind, k),
				    "required column missing from the header");
	if (e->total != before)
		r->stop = true;
}

static void csv_record(int term, void *user)
{
	reader *r = user;
	(void)term;
	r->record_bytes = 0;
	if (r->stop || r->fatal) {
		csv_clear_record(r);
		return;
	}
	if (!r->header_done) {
		if (!r->bad_utf8)
			csv_header(r);
		else
			r->stop = true;
		csv_clear_record(r);
		return;
	}
	r->rf->rows++;
	r->errors->line = r->record_line;
	if (r->too_many || r->nfields != r->file_cols) {
		rowfile_bad(r->errors, NULL, "%s%d fields, the header has %d",
			    r->too_many ? "more than " : "", r->nfields, r->file_cols);
	} else if (!r->bad_utf8) {
		const char *vals[IMPORT_MAX_COLS] = { NULL };
		for (int i = 0; i < r->nfields; i++)
			vals[r->map[i]] = r->fields[i];
		r->fatal = reader_row(r, vals, r->err);
	}
	csv_clear_record(r);
	progress_tick(r);
}

static fc_status read_csv(reader *r)
{
	rowfile *rf = r->rf;
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return fc_error_set(r->err, FC_ERR_NOMEM, "out of memory");
	char *line;
	size_t n;
	bool too_long;
	int got;
	while (!r->stop && !r->fatal && (got = line_next(&r->lines, &line, &n, &too_long)) > 0) {
		r->line_now++;
		r->record_bytes += n;
		if (too_long || r->record_bytes > ROWFILE_LINE_MAX + 2) {
			r->errors->line = r->line_now;
			rowfile_bad(r->errors, NULL, "%s longer than %d bytes (the most an import "
				    "file may have)", too_long ? "line" : "CSV record",
				    ROWFILE_LINE_MAX);
			r->stop = true;
		} else if (csv_parse(&p, line, n, csv_field, csv_record, r) != n) {
			r->errors->line = r->line_now;
			rowfile_bad(r->errors, NULL, "CSV: %s", csv_strerror(csv_error(&p)));
			r->stop = true;
		}
	}
	if (!r->stop && !r->fatal)
		csv_fini(&p, csv_field, csv_record, r);
	csv_clear_record(r);
	csv_free(&p);
	for (int i = 0; i < MAX_FILE_COLS; i++)
		free(r->bufs[i]);
	if (ferror(rf->f))
		return fc_error_set(r->err, FC_ERR_IO, "%s: read error: %s", rf->path,
				    strerror(errno));
	if (!r->header_done && !r->fatal) {
		r->errors->line = 1;
		rowfile_bad(r->errors, NULL, "empty file: a header row is needed (%s)",
			    import_kind_columns(r->kind));
	}
	return r->fatal;
}

json_t *rowfile_json_parse(const char *text, size_t len, rowfile_errors *e)
{
	json_error_t jerr;
	json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj) {
		bool utf8 = strstr(jerr.text, "UTF-8") != NULL;
		long bad = text_check_utf8(text, len);
		if (utf8 || bad >= 0)
			rowfile_bad(e, NULL, "not UTF-8 (byte %ld of the line; is the file GBK? "
				    "save it as UTF-8)", bad + 1);
		else
			rowfile_bad(e, NULL, "not a JSON object: %s (column %d)", jerr.text,
				    jerr.column);
		return NULL;
	}
	if (!json_is_object(obj)) {
		rowfile_bad(e, NULL, "each line must be one JSON object");
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* The column a key names (-1: none). */
static int json_key_column(import_kind kind, const rowfile_keys *keys, const char *key)
{
	if (keys && keys->kind_column) {
		if (strcmp(key, keys->kind_column) == 0)
			key = "kind";
		else if (strcmp(key, "kind") == 0)
			return -1;
	}
	return import_kind_column_find(kind, key);
}

fc_status rowfile_json_row(json_t *obj, import_kind kind, const rowfile_keys *keys,
			   rowfile_errors *e, rowfile_row_fn on_row, void *row_user, fc_error *err)
{
	const char *vals[IMPORT_MAX_COLS] = { NULL };
	char nums[IMPORT_MAX_COLS][24];
	const char *key;
	json_t *v;
	bool ok = true;
	json_object_foreach(obj, key, v) {
		if (keys && keys->skip && strcmp(key, keys->skip) == 0)
			continue;
		int k = json_key_column(kind, keys, key);
		if (k < 0) {
			rowfile_bad(e, key, "unknown column for %s (accepted: %s)",
				    import_kind_name(kind), import_kind_columns(kind));
			ok = false;
		} else if (json_is_string(v)) {
			vals[k] = json_string_length(v) ? json_string_value(v) : NULL;
		} else if (json_is_integer(v)) {
			snprintf(nums[k], sizeof nums[k], "%lld", (long long)json_integer_value(v));
			vals[k] = nums[k];
		} else if (!json_is_null(v)) {
			rowfile_bad(e, key, "must be a string or a whole number");
			ok = false;
		}
	}
	return ok ? on_row(row_user, vals, err) : FC_OK;
}

/* One NDJSON line of a file into column texts. */
static void ndjson_line(reader *r, const char *text, size_t len)
{
	r->rf->rows++;
	json_t *obj = rowfile_json_parse(text, len, r->errors);
	if (!obj)
		return;
	r->fatal = rowfile_json_row(obj, r->kind, NULL, r->errors, reader_row, r, r->err);
	json_decref(obj);
}

static fc_status read_ndjson(reader *r)
{
	rowfile *rf = r->rf;
	char *line;
	size_t len;
	bool too_long;
	while (!r->fatal && line_next(&r->lines, &line, &len, &too_long) > 0) {
		r->line_now++;
		r->errors->line = r->line_now;
		if (too_long) {
			rf->rows++;
			rowfile_bad(r->errors, NULL, "line longer than %d bytes (the most an import "
				    "file may have)", ROWFILE_LINE_MAX);
			continue;
		}
		/* a UTF-8 byte order mark (Notepad, Excel) before the first line */
		if (r->line_now == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
			line += 3, len -= 3;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len == 0)
			continue;
		ndjson_line(r, line, len);
		progress_tick(r);
	}
	if (ferror(rf->f))
		return fc_error_set(r->err, FC_ERR_IO, "%s: read error: %s", rf->path,
				    strerror(errno));
	return r->fatal;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

fc_status rowfile_open(rowfile *rf, const char *path, fc_error *err)
{
	memset(rf, 0, sizeof *rf);
	rf->path = path;
	rf->f = fopen(path, "r");
	if (!rf->f)
		return fc_error_set(err, FC_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fileno(rf->f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		rowfile_close(rf);
		return fc_error_set(err, FC_ERR_IO, "%s: cannot read: a directory, not a file",
				    path);
	}
	if (fstat(fileno(rf->f), &sb) == 0 && S_ISREG(sb.st_mode))
		rf->bytes_total = sb.st_size;
	rf->ndjson = ends_with(path, ".ndjson") || ends_with(path, ".jsonl");
	return FC_OK;
}

fc_status rowfile_read(rowfile *rf, import_kind kind, rowfile_errors *errors,
		       rowfile_row_fn on_row, void *row_user, rowfile_progress_fn progress,
		       void *progress_user, fc_error *err)
{
	reader r = { .rf = rf, .kind = kind, .errors = errors, .on_row = on_row,
		     .row_user = row_user, .progress = progress, .progress_user = progress_user,
		     .err = err };
	errors->path = rf->path;
	r.lines = (line_source){ .f = rf->f, .bytes_done = &rf->bytes_done,
				 .buf = malloc(LINE_BUF) };
	if (rf->unique_keys)
		r.keys = keyset_new();
	fc_status st;
	if (!r.lines.buf || (rf->unique_keys && !r.keys))
		st = fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	else
		st = rf->ndjson ? read_ndjson(&r) : read_csv(&r);
	keyset_free(r.keys);
	free(r.lines.buf);
	return st;
}

void rowfile_close(rowfile *rf)
{
	if (rf->f)
		fclose(rf->f);
	rf->f = NULL;
}
