/* bulk_shadow.c — shadow tables of a bulk job: "<table>__next" made like
 * the live table and filled in chunks while station actions go on, the
 * rows they change meanwhile noted by triggers, and the switch that puts
 * the shadows in place with renames in one short transaction. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "store/bulk_job.h"
#include "store/db.h"

#define SHADOW_SUFFIX "__next"
#define SEARCH "customer_search"
#define GRAMS "customer_grams"

/* Each table: its name and, for tables station actions write, the column
 * that names a row in bulk_dirty. */
static const struct {
	const char *name;
	const char *dirty_key; /* NULL: only bulk jobs write it */
} tables[BULK_TABLE_COUNT] = {
	[BULK_CUSTOMERS] = { "customers", "id" },
	[BULK_CARDS] = { "cards", "card_id" },
	[BULK_TIER_HISTORY] = { "tier_history", NULL },
	[BULK_CHAIN_LITRES] = { "chain_litres", NULL },
	[BULK_PRICES] = { "prices", NULL },
	[BULK_HOLIDAYS] = { "holidays", "date" }, /* the calendar file (care/workdays.c) */
};
static const char *const shadow_names[BULK_TABLE_COUNT] = {
	[BULK_CUSTOMERS] = "customers" SHADOW_SUFFIX, [BULK_CARDS] = "cards" SHADOW_SUFFIX,
	[BULK_TIER_HISTORY] = "tier_history" SHADOW_SUFFIX,
	[BULK_CHAIN_LITRES] = "chain_litres" SHADOW_SUFFIX,
	[BULK_PRICES] = "prices" SHADOW_SUFFIX, [BULK_HOLIDAYS] = "holidays" SHADOW_SUFFIX,
};

const char *bulk_name(const bulk_job *j, bulk_table t)
{
	return j && j->shadowed[t] ? shadow_names[t] : tables[t].name;
}

bool bulk_shadowed(const bulk_job *j, bulk_table t)
{
	return j && j->shadowed[t];
}

bool bulk_shadow_search(const bulk_job *j)
{
	return j && j->search;
}

int64_t bulk_new_id_base(const bulk_job *j)
{
	return j ? j->id_base : 0;
}

static fc_status nomem(fc_error *err)
{
	return fc_error_set(err, FC_ERR_NOMEM, "out of memory");
}

/* Run an sqlite3_mprintf'd statement and free it. */
static fc_status exec_free(bulk_job *j, char *sql, fc_error *err)
{
	if (!sql)
		return nomem(err);
	fc_status s = bulk_exec(j, sql, err);
	sqlite3_free(sql);
	return s;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* sql with every identifier from[i] (a whole word, bare or in double
 * quotes; never inside '...') replaced by to[i]; sqlite3_malloc'd. */
static char *rename_words(const char *sql, const char *const *from, const char *const *to,
			  int n)
{
	sqlite3_str *out = sqlite3_str_new(NULL);
	for (const char *p = sql; *p;) {
		if (*p == '\'') { /* a string: copied as it is */
			const char *e = p + 1;
			while (*e && !(*e == '\'' && e[1] != '\''))
				e += *e == '\'' ? 2 : 1;
			sqlite3_str_append(out, p, (int)(e - p) + (*e ? 1 : 0));
			p = *e ? e + 1 : e;
			continue;
		}
		bool quoted = *p == '"';
		const char *w = p + quoted, *e = w;
		while (ident_char(*e))
			e++;
		if (e == w || (p > sql && !quoted && ident_char(p[-1]))) {
			sqlite3_str_appendchar(out, 1, *p++);
			continue;
		}
		int k = 0;
		while (k < n && !((size_t)(e - w) == strlen(from[k]) && !strncmp(w, from[k], (size_t)(e - w))))
			k++;
		if (quoted && *e != '"')
			k = n;
		if (k < n)
			sqlite3_str_appendf(out, "\"%w\"", to[k]);
		else
			sqlite3_str_append(out, p, (int)(e - p) + (quoted && *e == '"'));
		p = e + (quoted && *e == '"');
	}
	return sqlite3_str_finish(out);
}

/* The SQL of a schema object, or NULL when there is none. */
static char *object_sql(sqlite3 *db, const char *type, const char *name)
{
	sqlite3_stmt *st;
	char *sql = NULL;
	if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type = ?1 AND name = ?2", -1,
			       &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		sql = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return sql;
}

/* "CREATE TABLE x (...)" / "CREATE VIRTUAL TABLE x USING ..." of live made
 * for name: everything from the first '(' (or " USING ") kept. */
static fc_status create_like(bulk_job *j, const char *live, const char *name, bool virtual,
			     fc_error *err)
{
	char *sql = object_sql(j->db, "table", live);
	if (!sql)
		return fc_error_set(err, FC_ERR_DB, "the bulk job: no table %s", live);
	const char *rest = virtual ? strstr(sql, " USING ") : strchr(sql, '(');
	fc_status s = rest ? exec_free(j, sqlite3_mprintf("CREATE %sTABLE \"%w\" %s",
							 virtual ? "VIRTUAL " : "", name,
							 rest + (virtual ? 1 : 0)), err)
			   : fc_error_set(err, FC_ERR_DB, "the bulk job: cannot read table %s", live);
	sqlite3_free(sql);
	return s;
}

/* live's indexes on name too, each under the other of its two names
 * ("x" <-> "x__b": the live one keeps its name until it is dropped). */
static fc_status index_like(bulk_job *j, const char *live, const char *name, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(j->db, "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
					" AND tbl_name = ?1 AND sql IS NOT NULL", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, live, -1, SQLITE_STATIC);
	char *sqls[16];
	int n = 0;
	while (!s && n < 16 && sqlite3_step(st) == SQLITE_ROW) {
		const char *iname = (const char *)sqlite3_column_text(st, 0);
		const char *isql = (const char *)sqlite3_column_text(st, 1);
		const char *cols = strstr(isql, " ON ");
		cols = cols ? strchr(cols, '(') : NULL;
		size_t len = strlen(iname);
		bool b = len > 3 && strcmp(iname + len - 3, "__b") == 0;
		char other[300];
		snprintf(other, sizeof other, "%.*s%s", (int)(b ? len - 3 : len), iname, b ? "" : "__b");
		sqls[n] = cols ? sqlite3_mprintf("CREATE %sINDEX \"%w\" ON \"%w\" %s",
						 strncmp(isql, "CREATE UNIQUE", 13) == 0 ? "UNIQUE " : "",
						 other, name, cols)
			       : NULL;
		if (!sqls[n])
			s = fc_error_set(err, FC_ERR_DB, "the bulk job: cannot read index %s", iname);
		else
			n++;
	}
	sqlite3_finalize(st);
	for (int i = 0; i < n; i++) {
		if (!s)
			s = bulk_exec(j, sqls[i], err);
		sqlite3_free(sqls[i]);
	}
	return s;
}

/* The live table's triggers onto its shadow, named "<name>__next", every
 * shadowed table they name (the table itself, and cards for customers'
 * decision triggers) named by its shadow: those writing other tables
 * (customers' class history: the classes a job changes are history like
 * any other change; the cards' copy of the decision columns, migration
 * 14), never the search triggers (a shadow's search entries are made after
 * the switch: bulk_search_mark). */
static fc_status triggers_like(bulk_job *j, bulk_table t, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(j->db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
					" AND tbl_name = ?1 AND name NOT LIKE 'bulk\\_dirty\\_%' ESCAPE '\\'",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, tables[t].name, -1, SQLITE_STATIC);
	char *sqls[16];
	int n = 0;
	while (!s && n < 16 && sqlite3_step(st) == SQLITE_ROW) {
		const char *tname = (const char *)sqlite3_column_text(st, 0);
		const char *tsql = (const char *)sqlite3_column_text(st, 1);
		if (tsql && (strstr(tsql, SEARCH) || strstr(tsql, GRAMS)))
			continue;
		char shadow_trigger[300];
		snprintf(shadow_trigger, sizeof shadow_trigger, "%s" SHADOW_SUFFIX, tname);
		const char *from[1 + BULK_TABLE_COUNT] = { tname };
		const char *to[1 + BULK_TABLE_COUNT] = { shadow_trigger };
		int words = 1;
		for (int u = 0; u < BULK_TABLE_COUNT; u++)
			if (u == (int)t || j->shadowed[u]) {
				from[words] = tables[u].name;
				to[words++] = shadow_names[u];
			}
		sqls[n] = rename_words(tsql ? tsql : "", from, to, words);
		if (sqls[n])
			n++;
		else
			s = nomem(err);
	}
	sqlite3_finalize(st);
	for (int i = 0; i < n; i++) {
		if (!s)
			s = bulk_exec(j, sqls[i], err);
		sqlite3_free(sqls[i]);
	}
	return s;
}

/* The triggers of the shadows made before t's made again: they may name t,
 * whose shadow they write from now on (cards' decision triggers read the
 * customers). */
static fc_status triggers_renew(bulk_job *j, bulk_table t, fc_error *err)
{
	fc_status s = FC_OK;
	for (int u = 0; !s && u < BULK_TABLE_COUNT; u++) {
		if (u == (int)t || !j->shadowed[u])
			continue;
		sqlite3_stmt *st;
		s = db_prepare(j->db, "SELECT name FROM sqlite_master WHERE type = 'trigger'"
				      " AND tbl_name = ?1", &st, err);
		if (s)
			break;
		sqlite3_bind_text(st, 1, shadow_names[u], -1, SQLITE_STATIC);
		char *drops[16];
		int n = 0;
		while (n < 16 && sqlite3_step(st) == SQLITE_ROW)
			drops[n++] = sqlite3_mprintf("DROP TRIGGER \"%w\"", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		for (int i = 0; i < n; i++) {
			if (!s)
				s = drops[i] ? bulk_exec(j, drops[i], err) : nomem(err);
			sqlite3_free(drops[i]);
		}
		if (!s)
			s = triggers_like(j, (bulk_table)u, err);
	}
	return s;
}

/* Note the rows station actions change in t while the job runs. */
static fc_status note_changes(bulk_job *j, bulk_table t, fc_error *err)
{
	fc_status s = bulk_exec(j, "CREATE TABLE IF NOT EXISTS bulk_dirty (tbl TEXT NOT NULL,"
				   " key ANY NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID", err);
	static const struct { const char *suffix, *when, *row; } ev[] = {
		{ "i", "INSERT", "new" }, { "u", "UPDATE", "new" }, { "d", "DELETE", "old" },
	};
	for (size_t i = 0; !s && i < sizeof ev / sizeof ev[0]; i++)
		s = exec_free(j, sqlite3_mprintf("CREATE TRIGGER \"bulk_dirty_%w_%s\" AFTER %s ON \"%w\""
						 " BEGIN INSERT OR IGNORE INTO bulk_dirty VALUES (%Q,"
						 " %s.\"%w\"); END", tables[t].name, ev[i].suffix,
						 ev[i].when, tables[t].name, tables[t].name,
						 ev[i].row, tables[t].dirty_key),
			      err);
	return s;
}

/* "?from, ?from+1, ..." for keys parameters, into out[64]. */
static const char *params_from(char *out, int from, int keys)
{
	out[0] = '\0';
	for (int i = 0; i < keys; i++)
		snprintf(out + strlen(out), 64 - strlen(out), "%s?%d", i ? ", " : "", from + i);
	return out;
}

/* Copy live's rows into its shadow in key order, some rows a statement
 * (bulk_step_rows), in chunks.  Each statement seeks by the key: the
 * first has no lower end, the last no upper one. */
static fc_status fill(bulk_job *j, bulk_table t, fc_error *err)
{
	char key[256], lo[64], hi[64];
	int keys;
	fc_status s = bulk_key_columns(j->db, tables[t].name, key, sizeof key, &keys, err);
	if (!s && keys > 4)
		s = fc_error_set(err, FC_ERR_DB, "the bulk job: table %s has a key of %d columns",
				 tables[t].name, keys);
	if (s)
		return s;
	params_from(lo, 1, keys);
	params_from(hi, keys + 1, keys);
	/* bound[above]: the upper end of the next rows (above ?1..: the last
	 * copied); copy[above][below]: the rows above ?1.. and up to ?k+1.. */
	char *cols = bulk_stored_columns(j->db, tables[t].name, err);
	if (!cols)
		return FC_ERR_DB;
	char *lower = sqlite3_mprintf(" AND (%s) > (%s)", key, lo);
	char *upper = sqlite3_mprintf(" AND (%s) <= (%s)", key, hi);
	sqlite3_stmt *bound[2] = { NULL }, *copy[2][2] = { { NULL } };
	if (!lower || !upper)
		s = nomem(err);
	for (int above = 0; !s && above < 2; above++) {
		char *sql = sqlite3_mprintf("SELECT %s FROM \"%w\" WHERE 1%s ORDER BY %s LIMIT 1"
					    " OFFSET ?%d", key, tables[t].name, above ? lower : "", key,
					    keys + 1);
		s = sql ? db_prepare(j->db, sql, &bound[above], err) : nomem(err);
		sqlite3_free(sql);
		for (int below = 0; !s && below < 2; below++) {
			sql = sqlite3_mprintf("INSERT INTO \"%w\" (%s) SELECT %s FROM \"%w\""
					      " WHERE 1%s%s", shadow_names[t], cols, cols,
					      tables[t].name, above ? lower : "", below ? upper : "");
			s = sql ? db_prepare(j->db, sql, &copy[above][below], err) : nomem(err);
			sqlite3_free(sql);
		}
	}
	sqlite3_free(lower);
	sqlite3_free(upper);
	sqlite3_free(cols);
	bool first = true, last = false;
	sqlite3_value *from[4] = { NULL };
	while (!s && !last) {
		s = bulk_chunk_begin(j, err);
		while (!s && !last && !bulk_chunk_due(j)) {
			int64_t t0 = bulk_now_us();
			sqlite3_stmt *b = bound[!first];
			for (int i = 0; !first && i < keys; i++)
				sqlite3_bind_value(b, i + 1, from[i]);
			sqlite3_bind_int(b, keys + 1, j->step_rows - 1);
			int rc = sqlite3_step(b);
			last = rc == SQLITE_DONE;
			if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				s = db_fail(j->db, rc, "copying a table", err);
				sqlite3_reset(b);
				break;
			}
			/* the bound, kept: it is also the next copy's lower end */
			sqlite3_value *to[4] = { NULL };
			for (int i = 0; !last && i < keys; i++)
				to[i] = sqlite3_value_dup(sqlite3_column_value(b, i));
			sqlite3_reset(b);
			sqlite3_stmt *c = copy[!first][!last];
			for (int i = 0; !first && i < keys; i++)
				sqlite3_bind_value(c, i + 1, from[i]);
			for (int i = 0; !last && i < keys; i++)
				sqlite3_bind_value(c, keys + i + 1, to[i]);
			rc = sqlite3_step(c);
			sqlite3_reset(c);
			if (rc != SQLITE_DONE)
				s = db_fail(j->db, rc, "copying a table", err);
			for (int i = 0; i < keys; i++) {
				sqlite3_value_free(from[i]);
				from[i] = to[i];
			}
			first = false;
			bulk_step_rows(j, bulk_now_us() - t0);
		}
		s = bulk_chunk_end(j, s, err);
	}
	for (int i = 0; i < keys; i++)
		sqlite3_value_free(from[i]);
	for (int i = 0; i < 2; i++) {
		sqlite3_finalize(bound[i]);
		sqlite3_finalize(copy[i][0]);
		sqlite3_finalize(copy[i][1]);
	}
	return s;
}

/* The job's new customers get ids from id_base on: a placeholder row just
 * below it in the shadow (removed at the switch) makes SQLite count from
 * there. */
static fc_status reserve_ids(bulk_job *j, fc_error *err)
{
	int64_t max = 0;
	fc_status s = db_query_int64(j->db, "SELECT coalesce(max(id), 0) FROM customers", &max, err);
	if (s)
		return s;
	j->id_base = max + BULK_ID_GAP;
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	return exec_free(j, sqlite3_mprintf("INSERT INTO \"%w\"(id, code, name, nature, created_at,"
					    " updated_at) VALUES (%lld, ' bulk', ' bulk', 'individual',"
					    " %Q, %Q)", shadow_names[BULK_CUSTOMERS],
					    (long long)(j->id_base - 1), now, now),
			 err);
}

fc_status bulk_shadow(bulk_job *j, bulk_table t, bool search, fc_error *err)
{
	if (j->shadowed[t])
		return FC_OK;
	search = search && t == BULK_CUSTOMERS;
	/* customers' triggers write the cards' copy of the decision columns
	 * (migration 14): a job that changes customers changes that copy in
	 * the cards' shadow, made first, so its readers see both switch at once */
	fc_status s = t == BULK_CUSTOMERS ? bulk_shadow(j, BULK_CARDS, false, err) : FC_OK;
	/* the shadows refer to live tables by name (cards to customers): the
	 * job's rows are checked by the job, not by SQLite's foreign keys */
	if (!s)
		s = bulk_exec(j, "PRAGMA foreign_keys = OFF", err);
	if (!s)
		s = bulk_chunk_begin(j, err);
	if (!s && tables[t].dirty_key)
		s = note_changes(j, t, err);
	if (!s)
		s = create_like(j, tables[t].name, shadow_names[t], false, err);
	if (!s)
		s = index_like(j, tables[t].name, shadow_names[t], err);
	if (!s)
		s = triggers_like(j, t, err);
	j->shadowed[t] = true;
	if (!s)
		s = triggers_renew(j, t, err);
	s = bulk_chunk_end(j, s, err);
	j->shadowed[t] = s == FC_OK;
	if (s)
		return s;
	j->shadows++;
	j->search |= search;
	s = fill(j, t, err);
	if (!s && t == BULK_CUSTOMERS) {
		s = bulk_chunk_begin(j, err);
		if (!s)
			s = reserve_ids(j, err);
		s = bulk_chunk_end(j, s, err);
	}
	return s;
}

/* Keys of t noted as changed by station actions, at most limit (0: all),
 * as the rows of stage.caught (customers also in stage.touched); their
 * rows copied again from the live table into the shadow; forgotten in
 * bulk_dirty (noted again if they change again).  *n: how many. */
static fc_status catch_keys(bulk_job *j, bulk_table t, int limit, int64_t *n, fc_error *err)
{
	const char *name = tables[t].name, *col = tables[t].dirty_key;
	fc_status s = bulk_exec(j, "DELETE FROM stage.caught", err);
	if (!s)
		s = exec_free(j, sqlite3_mprintf("INSERT INTO stage.caught SELECT key FROM bulk_dirty"
						 " WHERE tbl = %Q LIMIT %d", name, limit ? limit : -1),
			      err);
	*n = s ? 0 : sqlite3_changes(j->db);
	if (!s && *n && t == BULK_CUSTOMERS)
		s = bulk_exec(j, "INSERT OR IGNORE INTO stage.touched SELECT key FROM stage.caught", err);
	if (!s && *n)
		s = exec_free(j, sqlite3_mprintf("DELETE FROM bulk_dirty WHERE tbl = %Q AND key IN"
						 " (SELECT key FROM stage.caught)", name), err);
	if (!s && *n)
		s = exec_free(j, sqlite3_mprintf("DELETE FROM \"%w\" WHERE \"%w\" IN (SELECT key FROM"
						 " stage.caught)", shadow_names[t], col), err);
	/* a live customer id the job's new ones have too: registrations
	 * meanwhile outran the room kept for them */
	if (!s && *n && t == BULK_CUSTOMERS) {
		int64_t late = 0;
		char *q = sqlite3_mprintf("SELECT count(*) FROM stage.caught WHERE key >= %lld",
					  (long long)(j->id_base - 1));
		s = q ? db_query_int64(j->db, q, &late, err) : nomem(err);
		sqlite3_free(q);
		if (!s && late)
			s = fc_error_set(err, FC_ERR_LIMIT,
					 "more than %d customers were registered while this ran: "
					 "nothing was changed, run it again", BULK_ID_GAP);
	}
	char *cols = !s && *n ? bulk_stored_columns(j->db, name, err) : NULL;
	if (!s && *n && !cols)
		s = FC_ERR_DB;
	if (!s && *n)
		s = exec_free(j, sqlite3_mprintf("INSERT INTO \"%w\" (%s) SELECT %s FROM \"%w\""
						 " WHERE \"%w\" IN (SELECT key FROM stage.caught)",
						 shadow_names[t], cols, cols, name, col), err);
	sqlite3_free(cols);
	if (s == FC_ERR_INVALID)
		s = fc_error_set(err, FC_ERR_INVALID,
				 "a %s row made here while this ran has a key this job also adds "
				 "(%s): nothing was changed", name, fc_error_text(err));
	return s;
}

/* The cards' copy of their customers' decision columns (migration 14)
 * made again for the rows just caught up with: cards copied again from
 * the live table have the live customers' columns, customers copied again
 * from it fired no trigger on the shadow; the job's customers (its shadow
 * when it has one) are what its cards must show. */
static fc_status decision_resync(bulk_job *j, bulk_table t, fc_error *err)
{
	if (!j->shadowed[BULK_CARDS] || (t != BULK_CARDS && t != BULK_CUSTOMERS))
		return FC_OK;
	const char *cards = shadow_names[BULK_CARDS], *customers = bulk_name(j, BULK_CUSTOMERS);
	return exec_free(j, sqlite3_mprintf("UPDATE \"%w\" SET (customer_nature, customer_tier,"
					    " customer_provisional) = (SELECT d.nature, d.tier,"
					    " d.tier_provisional FROM \"%w\" d WHERE d.id ="
					    " \"%w\".customer_id) WHERE %s IN (SELECT key FROM"
					    " stage.caught)", cards, customers, cards,
					    t == BULK_CARDS ? "card_id" : "customer_id"),
			 err);
}

/* catch_keys, then reapply for them. */
static fc_status catch_up(bulk_job *j, bulk_table t, int limit, int64_t *n,
			  bulk_reapply_fn reapply, void *user, fc_error *err)
{
	fc_status s = catch_keys(j, t, limit, n, err);
	sqlite3_stmt *keys = NULL;
	if (!s && *n)
		s = db_prepare(j->db, "SELECT key FROM stage.caught ORDER BY key", &keys, err);
	if (!s && *n)
		s = reapply(user, t, keys, err);
	sqlite3_finalize(keys);
	if (!s && *n)
		s = decision_resync(j, t, err);
	return s;
}

#define CATCH_UP_KEYS 64   /* keys caught up with in one chunk */
#define SWITCH_KEYS_MAX 32 /* at most about this many left for the switch itself */

fc_status bulk_switch_begin(bulk_job *j, bulk_reapply_fn reapply, void *user, fc_error *err)
{
	fc_status s = bulk_exec(j, "CREATE TABLE IF NOT EXISTS stage.caught (key ANY PRIMARY KEY)"
				   " WITHOUT ROWID; CREATE TABLE IF NOT EXISTS stage.touched"
				   " (key ANY PRIMARY KEY) WITHOUT ROWID", err);
	bool noted = false;
	for (int t = 0; t < BULK_TABLE_COUNT; t++)
		noted |= j->shadowed[t] && tables[t].dirty_key;
	/* rounds while station actions keep changing rows: each shorter than
	 * the one before, as only what changed during it is left */
	for (int round = 0; !s && noted && round < 8; round++) {
		int64_t dirty = 0;
		s = db_query_int64(j->db, "SELECT count(*) FROM bulk_dirty", &dirty, err);
		if (s || dirty <= SWITCH_KEYS_MAX)
			break;
		for (int t = 0; !s && t < BULK_TABLE_COUNT; t++) {
			if (!j->shadowed[t] || !tables[t].dirty_key)
				continue;
			for (int64_t n = 1; !s && n;) {
				s = bulk_chunk_begin(j, err);
				if (!s)
					s = catch_up(j, (bulk_table)t, CATCH_UP_KEYS, &n, reapply, user,
						     err);
				s = bulk_chunk_end(j, s, err);
			}
		}
	}
	if (!s && j->search)
		s = bulk_search_mark(j, err);
	if (!s)
		s = bulk_exec(j, "PRAGMA synchronous = FULL; PRAGMA legacy_alter_table = ON", err);
	if (!s)
		s = db_begin(j->db, err);
	for (int t = 0; !s && t < BULK_TABLE_COUNT; t++) {
		int64_t n;
		if (j->shadowed[t] && tables[t].dirty_key)
			s = catch_up(j, (bulk_table)t, 0, &n, reapply, user, err);
	}
	return s;
}

/* Put the shadow of t in place: the live table's triggers (but the noting
 * ones) dropped and made again on the shadow once it has the name. */
static fc_status put_in_place(bulk_job *j, bulk_table t, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(j->db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
					" AND tbl_name = ?1", &st, err);
	if (s)
		return s;
	char *names[16], *sqls[16], *shadow_triggers[16];
	int n = 0, m = 0;
	sqlite3_bind_text(st, 1, tables[t].name, -1, SQLITE_STATIC);
	while (n < 16 && sqlite3_step(st) == SQLITE_ROW) {
		names[n] = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
		sqls[n] = sqlite3_mprintf("%s", sqlite3_column_text(st, 1));
		n++;
	}
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, shadow_names[t], -1, SQLITE_STATIC);
	while (m < 16 && sqlite3_step(st) == SQLITE_ROW)
		shadow_triggers[m++] = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	for (int i = 0; !s && i < n; i++)
		s = exec_free(j, names[i] ? sqlite3_mprintf("DROP TRIGGER \"%w\"", names[i]) : NULL, err);
	for (int i = 0; !s && i < m; i++)
		s = exec_free(j, shadow_triggers[i] ? sqlite3_mprintf("DROP TRIGGER \"%w\"",
								      shadow_triggers[i]) : NULL, err);
	if (!s)
		s = exec_free(j, sqlite3_mprintf("ALTER TABLE \"%w\" RENAME TO \"%w__old\"",
						 tables[t].name, tables[t].name), err);
	if (!s)
		s = exec_free(j, sqlite3_mprintf("ALTER TABLE \"%w\" RENAME TO \"%w\"", shadow_names[t],
						 tables[t].name), err);
	for (int i = 0; i < n; i++) {
		if (!s && names[i] && strncmp(names[i], "bulk_dirty_", 11) != 0)
			s = sqls[i] ? bulk_exec(j, sqls[i], err) : nomem(err);
		sqlite3_free(names[i]);
		sqlite3_free(sqls[i]);
	}
	for (int i = 0; i < m; i++)
		sqlite3_free(shadow_triggers[i]);
	return s;
}

fc_status bulk_switch_end(bulk_job *j, fc_status s, fc_error *err)
{
	if (!s && j->shadowed[BULK_CUSTOMERS])
		s = exec_free(j, sqlite3_mprintf("DELETE FROM \"%w\" WHERE id = %lld",
						 shadow_names[BULK_CUSTOMERS],
						 (long long)(j->id_base - 1)), err);
	if (!s && j->shadowed[BULK_CUSTOMERS])
		s = bulk_search_resync(j, err);
	for (int t = 0; !s && t < BULK_TABLE_COUNT; t++)
		if (j->shadowed[t])
			s = put_in_place(j, (bulk_table)t, err);
	if (!s && j->shadows)
		s = bulk_exec(j, "DROP TABLE IF EXISTS bulk_dirty", err);
	s = db_finish(j->db, s, err);
	fc_error ignored;
	bulk_exec(j, "PRAGMA legacy_alter_table = OFF", &ignored);
	if (s)
		return s;
	j->switched = true;
	/* the old tables go in chunks; a failure here leaves them to the next job */
	bulk_clear_leftovers(j, &ignored);
	return FC_OK;
}
