/* master.c — head office's master-data NDJSON: its lines read within
 * MASTER_LINE_MAX, each data line handed to the import as a row of its
 * kind, the version line, all in one transaction. */
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

/* One pull being applied. */
typedef struct apply_ctx {
	import_session *session;
	import_result *rows;  /* the rows' counts and the bad lines */
	import_kind kind;     /* of the data line being applied */
	bool have_version;
	master_result *res;
} apply_ctx;

/* rowfile's row callback: the line's values into the import. */
static fc_status master_row(void *user, const char *const *vals, fc_error *err)
{
	apply_ctx *c = user;
	return import_session_row(c->session, c->kind, vals, err);
}

/* {"kind":"version","version":"V"}: V becomes meta 'master_version'. */
static void read_version(apply_ctx *c, json_t *obj)
{
	rowfile_errors *e = &c->rows->errors;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		if (strcmp(key, "kind") != 0 && strcmp(key, "version") != 0)
			rowfile_bad(e, key, "unknown key of the version line");
	}
	const char *version = json_string_value(json_object_get(obj, "version"));
	if (!version || !*version)
		rowfile_bad(e, "version", "required: a string");
	else if (strlen(version) >= sizeof c->res->version)
		rowfile_bad(e, "version", "longer than %zu bytes", sizeof c->res->version - 1);
	else
		snprintf(c->res->version, sizeof c->res->version, "%s", version);
	c->have_version = true;
}

/* One line that is not blank: a data line as a row of its kind, or the
 * version line.  A bad line is noted in c->rows->errors. */
static fc_status apply_line(apply_ctx *c, const char *text, size_t len, fc_error *err)
{
	rowfile_errors *e = &c->rows->errors;
	if (c->have_version) {
		rowfile_bad(e, NULL, "data after the version line");
		return FC_OK;
	}
	if (len > MASTER_LINE_MAX) {
		rowfile_bad(e, NULL, "longer than %d bytes", MASTER_LINE_MAX);
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
		c->res->lines++;
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

/* Every line in order until the first bad one; the version line last. */
static fc_status apply_text(apply_ctx *c, const char *text, size_t len, fc_error *err)
{
	rowfile_errors *e = &c->rows->errors;
	fc_status s = FC_OK;
	int64_t line = 0;
	for (size_t pos = 0; !s && e->total == 0 && pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - pos;
		e->line = ++line;
		if (l > 0 && text[pos + l - 1] == '\r')
			l--;
		if (!is_blank(text + pos, l))
			s = apply_line(c, text + pos, l, err);
		pos = end + 1;
	}
	if (!s && e->total == 0)
		s = import_session_flush(c->session, err);
	if (!s && e->total)
		return fc_error_set(err, FC_ERR_INVALID, "%s", rowfile_errors_first(e));
	if (!s && !c->have_version)
		s = fc_error_set(err, FC_ERR_INVALID,
				 MASTER_SOURCE ": no version line at the end after %" PRId64
				 " lines (truncated?): nothing applied",
				 line);
	return s;
}

fc_status master_apply(sqlite3 *db, const fc_config *cfg, const char *text, size_t len,
		       master_result *res, fc_error *err)
{
	memset(res, 0, sizeof *res);
	apply_ctx c = { .res = res, .rows = calloc(1, sizeof(import_result)) };
	if (!c.rows)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
	fc_status s = db_begin(db, err);
	if (s) {
		free(c.rows);
		return s;
	}
	s = import_session_open(db, cfg, MASTER_SOURCE, c.rows, &c.session, err);
	if (!s)
		s = apply_text(&c, text, len, err);
	import_session_close(c.session);
	res->skipped = c.rows->skipped;
	free(c.rows);
	if (!s)
		s = db_meta_set(db, "master_version", res->version, err);
	return db_finish(db, s, err);
}
