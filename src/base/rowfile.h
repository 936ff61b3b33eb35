/* rowfile.h — reading a head-office file of one import kind: CSV with a
 * header row (libcsv) or NDJSON (jansson), strict UTF-8, into rows of column
 * texts; every bad row noted as "FILE:LINE: column 'x': why". */
#ifndef FC_ROWFILE_H
#define FC_ROWFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/import_kind.h"
#include "base/status.h"

#define ROWFILE_MAX_ERRORS 20 /* problems listed; the rest are only counted */
#define ROWFILE_LINE_MAX 65536 /* bytes of a line (its newline not counted), of a CSV
				* record too; a longer one is refused */
#define ROWFILE_ERROR_LEN 320

/* The bad rows of one file.  path and line say where the row being checked
 * is (rowfile_read sets line before each row; a caller checking rows later
 * sets it to the row's line). */
typedef struct rowfile_errors {
	const char *path;  /* the file as named by the user */
	int64_t line;      /* line of the row being checked */
	int64_t total;     /* problems noted, listed or not (a row may have several) */
	int listed;        /* entries in text[] (<= ROWFILE_MAX_ERRORS) */
	char text[ROWFILE_MAX_ERRORS][ROWFILE_ERROR_LEN]; /* "FILE:LINE: column 'x': why" */
	int64_t at[ROWFILE_MAX_ERRORS]; /* the LINE of each */
} rowfile_errors;

/* Note a problem at e->line: "PATH:LINE: column 'x': why" (column NULL: no
 * column part); listed up to ROWFILE_MAX_ERRORS, always counted. */
void rowfile_bad(rowfile_errors *e, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print the listed problems to out, one a line in the order of their
 * lines (problems found in a later pass stand where they belong), then
 * "... and N more bad rows" when some were only counted. */
void rowfile_errors_print(const rowfile_errors *e, FILE *out);

/* The listed problem of the lowest line (the first when several share it);
 * "" when none is listed. */
const char *rowfile_errors_first(const rowfile_errors *e);

/* One data row that read well: vals[i] is column i of the kind
 * (import_kind_column_name), NULL when absent or empty; the texts live
 * until the callback returns.  FC_OK goes on; any other status stops the
 * reading and rowfile_read returns it (err filled by the callback). */
typedef fc_status (*rowfile_row_fn)(void *user, const char *const *vals, fc_error *err);

/* Called every few thousand rows; bytes_total is the file's size (0 when
 * unknown, e.g. a pipe). */
typedef void (*rowfile_progress_fn)(void *user, int64_t rows, int64_t bytes_done,
				    int64_t bytes_total);

typedef struct rowfile {
	FILE *f;
	const char *path;    /* not copied: must outlive the rowfile */
	bool ndjson;         /* the name ends in .ndjson or .jsonl */
	int64_t bytes_total; /* the file's size, 0 when unknown */
	int64_t bytes_done;  /* read so far */
	int64_t rows;        /* data rows read, bad ones included */
	bool unique_keys;    /* refuse a row whose key (import_kind_key) an earlier
			      * row has, naming both lines; set after rowfile_open */
} rowfile;

/* Open path for reading: NDJSON when the name ends in .ndjson or .jsonl,
 * CSV with a header row otherwise; either may start with a UTF-8 byte
 * order mark.  FC_ERR_IO "PATH: cannot read: why" (a directory too). */
fc_status rowfile_open(rowfile *rf, const char *path, fc_error *err);

/* Read every row of the file as columns of kind.  Problems of the file
 * (header, field counts, UTF-8, JSON, unknown columns, a line or CSV record
 * over ROWFILE_LINE_MAX bytes, with unique_keys a key given twice) are
 * noted in errors
 * (its path is set to rf->path) and their rows skipped; each other row goes
 * to on_row with row_user.  Returns FC_OK when the file was read to its
 * end (bad rows or not), FC_ERR_IO on a read error, or on_row's failure.
 * progress (may be NULL) gets progress_user. */
fc_status rowfile_read(rowfile *rf, import_kind kind, rowfile_errors *errors,
		       rowfile_row_fn on_row, void *row_user, rowfile_progress_fn progress,
		       void *progress_user, fc_error *err);

/* Close the file (a rowfile never opened or already closed is fine). */
void rowfile_close(rowfile *rf);

/* One NDJSON line (text, len bytes, no newline): the JSON object, or NULL
 * when it is not UTF-8, not JSON, has a key twice, or is no object (noted
 * in errors at errors->line).  The caller json_decref()s it. */
json_t *rowfile_json_parse(const char *text, size_t len, rowfile_errors *errors);

/* How the keys of a JSON row name the kind's columns.  A file's line uses
 * the column names; a master line (sync/master.c) has "kind" naming the
 * line, and the column 'kind' of cards and holidays under another key. */
typedef struct rowfile_keys {
	const char *skip;        /* a key that is no column, or NULL */
	const char *kind_column; /* the key of the column 'kind', or NULL: "kind" */
} rowfile_keys;

/* The members of obj as a row of kind (keys NULL: the column names): each
 * a string, a whole number (as its decimal text) or null (absent).  An
 * unknown key or another type is noted in errors and the row skipped;
 * otherwise on_row gets it.  Returns on_row's status, else FC_OK. */
fc_status rowfile_json_row(json_t *obj, import_kind kind, const rowfile_keys *keys,
			   rowfile_errors *errors, rowfile_row_fn on_row, void *row_user,
			   fc_error *err);

#endif
