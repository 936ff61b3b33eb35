/* ini_table.c — table-driven INI loading through inih. */
#include "base/ini_table.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "base/text_check.h"

bool ini_table_parse_long(const char *v, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end != '\0' || n < min || n > max)
		return false;
	*out = n;
	return true;
}

bool ini_table_parse_milli(const char *v, long min, long max, long *out)
{
	long whole = 0, frac = 0;
	int digits = 0;
	const char *p = v;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9') {
		whole = whole * 10 + (*p++ - '0');
		if (whole > LONG_MAX / 10000)
			return false;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && digits < 3) {
			frac = frac * 10 + (*p++ - '0');
			digits++;
		}
		if (digits == 0)
			return false;
	}
	if (*p != '\0')
		return false;
	while (digits++ < 3)
		frac *= 10;
	long n = whole * 1000 + frac;
	if (n < min || n > max)
		return false;
	*out = n;
	return true;
}

bool ini_table_parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

typedef struct ini_table_state {
	const ini_key *keys;
	size_t nkeys;
	void *target;
	FILE *file;
	int line;              /* lines read so far: the handler's current line */
	int error_line;        /* line of first_error, 0 when none */
	int *key_lines;        /* the line each key was set on, 0 when not */
	char first_error[400]; /* message of the first bad line, without FILE:LINE */
} ini_table_state;

/* inih reader that counts lines, so errors name the line of the key. */
static char *ini_table_read_line(char *str, int num, void *stream)
{
	ini_table_state *st = stream;
	char *got = fgets(str, num, st->file);
	if (got)
		st->line++;
	return got;
}

static void note_error(ini_table_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note_error(ini_table_state *st, const char *fmt, ...)
{
	va_list ap;
	if (st->first_error[0])
		return; /* the first bad line is the one reported */
	st->error_line = st->line;
	va_start(ap, fmt);
	vsnprintf(st->first_error, sizeof st->first_error, fmt, ap);
	va_end(ap);
}

/* Store value by key k; false with the accepted values in why. */
static bool set_value(const ini_key *k, void *target, const char *value, char *why, size_t n)
{
	char *field = (char *)target + k->offset;
	long num;
	bool b;
	switch (k->type) {
	case INI_INT:
		if (!ini_table_parse_long(value, k->min, k->max, &num)) {
			snprintf(why, n, "a whole number %ld..%ld", k->min, k->max);
			return false;
		}
		*(int *)(void *)field = (int)num;
		return true;
	case INI_MILLI:
		if (!ini_table_parse_milli(value, k->min, k->max, &num)) {
			snprintf(why, n, "a decimal %ld.%03ld..%ld.%03ld", k->min / 1000,
				 k->min % 1000, k->max / 1000, k->max % 1000);
			return false;
		}
		*(int *)(void *)field = (int)num;
		return true;
	case INI_BOOL:
		if (!ini_table_parse_bool(value, &b)) {
			snprintf(why, n, "yes or no");
			return false;
		}
		*(bool *)(void *)field = b;
		return true;
	case INI_STR:
		if (text_check_utf8(value, strlen(value)) >= 0) {
			snprintf(why, n, "UTF-8 text (is the file GBK? save it as UTF-8)");
			return false;
		}
		if (strlen(value) >= (size_t)k->max) {
			snprintf(why, n, "at most %ld bytes", k->max - 1);
			return false;
		}
		snprintf(field, (size_t)k->max, "%s", value);
		return true;
	case INI_SPECIAL:
		return k->set(target, value, why, n);
	}
	return false;
}

static int ini_table_handler(void *user, const char *section, const char *name,
			     const char *value)
{
	ini_table_state *st = user;
	char why[200] = "";

	for (size_t i = 0; i < st->nkeys; i++) {
		const ini_key *k = &st->keys[i];
		if (strcmp(k->section, section) != 0 || strcmp(k->name, name) != 0)
			continue;
		if (set_value(k, st->target, value, why, sizeof why)) {
			st->key_lines[i] = st->line;
			return 1;
		}
		note_error(st, "bad value for '%s' in [%s]: '%s' (accepted: %s)", name,
			   section, value, why);
		return 0;
	}
	note_error(st, "unknown key '%s' in [%s]", name, section[0] ? section : "(no section)");
	return 0;
}

fc_status ini_table_load_checked(const char *path, const ini_key *keys, size_t n, void *target,
				 ini_checker check, fc_error *err)
{
	ini_table_state st = { .keys = keys, .nkeys = n, .target = target, .first_error = "" };

	st.file = fopen(path, "r");
	if (!st.file)
		return fc_error_set(err, FC_ERR_IO, "%s: cannot read config: %s", path,
				    strerror(errno));
	struct stat sb;
	if (fstat(fileno(st.file), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(st.file);
		return fc_error_set(err, FC_ERR_IO, "%s: a directory, not a config file", path);
	}
	st.key_lines = calloc(n ? n : 1, sizeof *st.key_lines);
	if (!st.key_lines) {
		fclose(st.file);
		return fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory while reading", path);
	}
	int line = ini_parse_stream(ini_table_read_line, &st, ini_table_handler, &st);
	fclose(st.file);
	fc_status s = FC_OK;
	char why[300];
	int bad;
	if (line < 0)
		s = fc_error_set(err, FC_ERR_NOMEM, "%s: out of memory while reading", path);
	else if (line > 0 && (st.error_line == 0 || line < st.error_line))
		s = fc_error_set(err, FC_ERR_CONFIG,
				 "%s:%d: syntax error (expected [section] or key = value)", path,
				 line);
	else if (line > 0)
		s = fc_error_set(err, FC_ERR_CONFIG, "%s:%d: %s", path, st.error_line,
				 st.first_error);
	else if (check && (bad = check(target, st.key_lines, why, sizeof why)) >= 0)
		s = fc_error_set(err, FC_ERR_CONFIG, "%s:%d: '%s' in [%s]: %s", path,
				 st.key_lines[bad], keys[bad].name, keys[bad].section, why);
	free(st.key_lines);
	return s;
}

fc_status ini_table_load(const char *path, const ini_key *keys, size_t n, void *target,
			 fc_error *err)
{
	return ini_table_load_checked(path, keys, n, target, NULL, err);
}

const char *ini_table_pick_path(const char *explicit_path, const char *env,
				const char *fallback)
{
	if (explicit_path && *explicit_path)
		return explicit_path;
	const char *value = getenv(env);
	if (value && *value)
		return value;
	return access(fallback, F_OK) == 0 ? fallback : NULL;
}
