/* master.c — head office's master-data NDJSON: its lines read as they
 * arrive within MASTER_LINE_MAX, each data line handed to an import run as
 * a row of its kind, each page's version line; all pages applied at once. */
#include "sync/master.h"

#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rowfile.h"
#include "import/import.h"
#include "store/db.h"

#define MASTER_SOURCE "master" /* names a bad line: "master:LINE: ..." */

/* The data lines: each one's import kind and the key of that kind's
 * column 'kind' ("kind" itself names the line). */
static const struct {
	const char *name;
	import_kind kind;
	const char *kind_column;
} line_kinds[] = {
	{ "customer", IMPORT_CUSTOMERS, NULL },   { "card", IMPORT_CARDS, "card_kind" },
	{ "blocked", IMPORT_BLOCKED, NULL },      { "tier", IMPORT_TIERS, NULL },
	{ "price", IMPORT_PRICES, NULL },         { "holiday", IMPORT_HOLIDAYS, "day_kind" },
	{ "litres", IMPORT_LITRES, NULL },
};
#define LINE_KINDS (sizeof line_kinds / sizeof line_kinds[0])

struct master_pull {
	sqlite3 *db;
	import_run *run;
	import_result rows;   /* the rows' counts and the bad lines */
	import_kind kind;     /* of the data line being applied */
	bool have_version;    /* this page's version line was read */
	int64_t line;         /* of this page */
	int64_t page_lines;   /* data lines of this page */
	int64_t lines;        /* data lines of every page */
	char version[128];    /* the last version line's */
	char *buf;            /* a line being received, MASTER_LINE_MAX + 2 bytes */
	size_t len;
	bool too_long;        /* the line being received is over MASTER_LINE_MAX */
};

/* rowfile's row callback: the line's values into the run. */
static fc_status master_row(void *user, const char *const *vals, fc_error *err)
{
	master_pull *p = user;
	return import_run_row(p->run, p->kind, vals, err);
}

/* {"kind":"version","version":"V"}: V becomes meta 'master_version'. */
static void read_version(master_pull *c, json_t *obj)
{
	rowfile_errors *e = &c->rows.errors;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		if (strcmp(key, "kind") != 0 && strcmp(key, "version") != 0)
			rowfile_bad(e, key, "unknown key of the version line");
	}
	const char *version = json_string_value(json_object_get(obj, "version"));
	if (!version || !*version)
		rowfile_bad(e, "version", "required: a string");
	else if (strlen(version) >= sizeof c->version)
		rowfile_bad(e, "version", "longer than %zu bytes", sizeof c->version - 1);
	else
		snprintf(c->version, sizeof c->version, "%s", version);
	c->have_version = true;
}

/* One line that is not blank: a data line as a row of its kind, or the
 * version line.  A bad line is noted in c->rows.errors. */
static fc_status apply_line(master_pull *c, const char *text, size_t len, fc_error *err)
{
	rowfile_errors *e = &c->rows.errors;
	if (c->have_version) {
		rowfile_bad(e, NULL, "data after the version line");
		return FC_OK;
	}
	json_t *obj = rowfile_json_parse(text, len, e);
	if (!obj)
		return FC_OK;
	const char *name = json_string_value(json_object_get(obj, "kind"));
	size_t k = 0;
	while (name && k < LINE_KINDS && strcmp(line_kinds[k].name, name) != 0)
		k++;
	fc_status s = FC_OK;
	if (name && strcmp(name, "version") == 0) {
		read_version(c, obj);
	} else if (k == LINE_KINDS) {
		rowfile_bad(e, "kind", "'%s' is not customer, card, blocked, tier, price, holiday, "
			    "litres or version", name ? name : "");
	} else {
		rowfile_keys keys = { .skip = "kind", .kind_column = line_kinds[k].kind_column };
		c->kind = line_kinds[k].kind;
		s = rowfile_json_row(obj, c->kind, &keys, e, master_row, c, err);
		c->page_lines++;
	}
	json_decref(obj);
	return s;
}

static bool is_blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)text[i]))
			return false;
	return true;
}

/* The first bad line ends the pull. */
static fc_status bad_line(master_pull *p, fc_error *err)
{
	return fc_error_set(err, FC_ERR_INVALID, "%s", rowfile_errors_first(&p->rows.errors));
}

/* The line in p->buf (its newline cut). */
static fc_status end_line(master_pull *p, fc_error *err)
{
	rowfile_errors *e = &p->rows.errors;
	e->line = ++p->line;
	size_t l = p->len;
	p->len = 0;
	if (p->too_long) {
		p->too_long = false;
		rowfile_bad(e, NULL, "longer than %d bytes", MASTER_LINE_MAX);
		return bad_line(p, err);
	}
	if (l > 0 && p->buf[l - 1] == '\r')
		l--;
	fc_status s = is_blank(p->buf, l) ? FC_OK : apply_line(p, p->buf, l, err);
	return !s && e->total ? bad_line(p, err) : s;
}

fc_status master_pull_feed(master_pull *p, const char *data, size_t n, fc_error *err)
{
	if (p->rows.errors.total)
		return bad_line(p, err);
	fc_status s = FC_OK;
	while (!s && n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t take = nl ? (size_t)(nl - data) : n;
		if (p->len + take > MASTER_LINE_MAX)
			p->too_long = true;
		else
			memcpy(p->buf + p->len, data, take);
		p->len = p->too_long ? 0 : p->len + take;
		data += take;
		n -= take;
		if (nl) {
			data++;
			n--;
			s = end_line(p, err);
		}
	}
	return s;
}

fc_status master_pull_page_end(master_pull *p, int64_t *lines, char *version, size_t n,
			       fc_error *err)
{
	fc_status s = p->rows.errors.total ? bad_line(p, err) : FC_OK;
	if (!s && (p->len || p->too_long)) /* a last line without its newline */
		s = end_line(p, err);
	if (!s && !p->have_version)
		s = fc_error_set(err, FC_ERR_INVALID,
				 MASTER_SOURCE ": no version line at the end after %" PRId64
				 " lines (truncated?): nothing applied",
				 p->line);
	*lines = p->page_lines;
	snprintf(version, n, "%s", p->version);
	p->lines += p->page_lines;
	p->page_lines = 0;
	p->line = 0;
	p->have_version = false;
	return s;
}

fc_status master_pull_open(sqlite3 *db, const fc_config *cfg, master_pull **out, fc_error *err)
{
	*out = NULL;
	master_pull *p = calloc(1, sizeof *p);
	char *buf = malloc(MASTER_LINE_MAX + 2);
	if (!p || !buf) {
		free(p);
		free(buf);
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	}
	p->db = db;
	p->buf = buf;
	fc_status s = import_run_open(db, cfg, MASTER_SOURCE, false, &p->rows, &p->run, err);
	if (s) {
		master_pull_close(p);
		return s;
	}
	*out = p;
	return FC_OK;
}

/* In the transaction that applies the rows: the new version. */
static fc_status set_version(void *user, sqlite3 *db, fc_error *err)
{
	master_pull *p = user;
	return db_meta_set(db, "master_version", p->version, err);
}

fc_status master_pull_apply(master_pull *p, master_result *res, fc_error *err)
{
	memset(res, 0, sizeof *res);
	fc_status s = import_run_apply(p->run, set_version, p, NULL, NULL, err);
	res->lines = p->lines;
	res->skipped = p->rows.skipped;
	snprintf(res->version, sizeof res->version, "%s", p->version);
	return s;
}

void master_pull_close(master_pull *p)
{
	if (!p)
		return;
	import_run_close(p->run);
	free(p->buf);
	free(p);
}

fc_status master_apply(sqlite3 *db, const fc_config *cfg, const char *text, size_t len,
		       master_result *res, fc_error *err)
{
	memset(res, 0, sizeof *res);
	master_pull *p;
	fc_status s = master_pull_open(db, cfg, &p, err);
	int64_t lines;
	char version[128];
	if (!s)
		s = master_pull_feed(p, text, len, err);
	if (!s)
		s = master_pull_page_end(p, &lines, version, sizeof version, err);
	if (!s)
		s = master_pull_apply(p, res, err);
	master_pull_close(p);
	return s;
}
