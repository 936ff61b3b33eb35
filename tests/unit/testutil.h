/* testutil.h — helpers for the cmocka unit tests: a temporary directory per
 * test and files in it.  Header-only so each test binary stands alone. */
#ifndef FC_TESTUTIL_H
#define FC_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Make a fresh directory under $TMPDIR; returns malloc'd path. */
static inline char *tu_tempdir(void)
{
	const char *base = getenv("TMPDIR");
	char *path = malloc(4096);
	snprintf(path, 4096, "%s/fc-unit.XXXXXX", base && *base ? base : "/tmp");
	assert_non_null(mkdtemp(path));
	return path;
}

/* Remove a directory made by tu_tempdir, with its files, and free path. */
static inline void tu_rmdir(char *path)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
	free(path);
}

/* dir/name into out[4096]; returns out. */
static inline char *tu_path(char *out, const char *dir, const char *name)
{
	snprintf(out, 4096, "%s/%s", dir, name);
	return out;
}

/* Write text to dir/name; returns the path in out[4096]. */
static inline char *tu_write(char *out, const char *dir, const char *name, const char *text)
{
	tu_path(out, dir, name);
	FILE *f = fopen(out, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return out;
}

/* Run sql on db; the test fails with SQLite's message on an error. */
static inline void tu_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* First column of the first row of sql as an integer (-1 when no row). */
static inline int64_t tu_int64(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

#endif
