/* bulk_search.c — the search indexes across a bulk job that shadows the
 * customers: the customers it adds or renames listed in search_pending
 * before its switch (their entries made after it: customers/search_index.c),
 * the rows station actions changed meanwhile indexed anew at the switch. */
#include <stdint.h>

#include "store/bulk_job.h"
#include "store/db.h"
#include "store/schema.h"

#define SHADOW_SUFFIX "__next"
#define SEARCH "customer_search"
#define GRAMS "customer_grams"

/* Before the switch, in chunks: the shadow's customers that are new or
 * whose name, phone, plate or code differ from the live row are listed in
 * search_pending, and the live row's search entries removed in the same
 * transaction, so that every customer is at every moment either in the
 * search indexes as the live table has it or listed (search scans the
 * listed ones; search_index_pending makes their entries after the switch).
 * A job that dies leaves its rows listed: harmless, the builder forgets an
 * id without a customer and indexes one with. */
fc_status bulk_search_mark(bulk_job *j, fc_error *err)
{
	static const char *const sql[] = {
		"SELECT id FROM customers" SHADOW_SUFFIX " WHERE id > ?1 ORDER BY id LIMIT 1 OFFSET ?2",
		"INSERT INTO stage.marked SELECT n.id, c.id IS NOT NULL FROM customers" SHADOW_SUFFIX
		" n LEFT JOIN customers c ON c.id = n.id WHERE n.id > ?1 AND n.id <= ?2 AND n.id <> ?3"
		" AND (c.id IS NULL OR n.name IS NOT c.name OR n.phone IS NOT c.phone"
		" OR n.plate IS NOT c.plate OR n.code IS NOT c.code)"
		" AND NOT EXISTS (SELECT 1 FROM search_pending p WHERE p.id = n.id)",
		"INSERT INTO " SEARCH "(" SEARCH ", rowid, name, phone, plate, code, phone_digits)"
		" SELECT 'delete', c.id, c.name, c.phone, c.plate, c.code, c.phone_digits"
		" FROM stage.marked m JOIN customers c ON c.id = m.id WHERE m.live",
		"INSERT INTO " GRAMS "(" GRAMS ", rowid, grams) SELECT 'delete', c.id, "
		SCHEMA_CUSTOMER_GRAMS("c.name", "c.plate") " FROM stage.marked m JOIN customers c"
		" ON c.id = m.id WHERE m.live",
		"INSERT INTO search_pending(id) SELECT id FROM stage.marked",
		"DELETE FROM stage.marked",
	};
	enum { BOUND, MARK, N_STMT = sizeof sql / sizeof sql[0] };
	sqlite3_stmt *st[N_STMT] = { NULL };
	fc_status s = bulk_exec(j, "CREATE TABLE IF NOT EXISTS stage.marked (id INTEGER PRIMARY KEY,"
				   " live INTEGER)", err);
	for (size_t i = 0; !s && i < N_STMT; i++)
		s = db_prepare(j->db, sql[i], &st[i], err);
	int64_t lo = -1;
	bool last = false;
	while (!s && !last) {
		s = bulk_chunk_begin(j, err);
		while (!s && !last && !bulk_chunk_due(j)) {
			int64_t t0 = bulk_now_us(), hi = INT64_MAX;
			sqlite3_bind_int64(st[BOUND], 1, lo);
			sqlite3_bind_int(st[BOUND], 2, j->step_rows - 1);
			int rc = sqlite3_step(st[BOUND]);
			if (rc == SQLITE_ROW)
				hi = sqlite3_column_int64(st[BOUND], 0);
			else if (rc == SQLITE_DONE)
				last = true;
			else
				s = db_fail(j->db, rc, "listing the customers to index", err);
			sqlite3_reset(st[BOUND]);
			sqlite3_bind_int64(st[MARK], 1, lo);
			sqlite3_bind_int64(st[MARK], 2, hi);
			sqlite3_bind_int64(st[MARK], 3, j->id_base - 1);
			for (size_t i = MARK; !s && i < N_STMT; i++) {
				rc = sqlite3_step(st[i]);
				sqlite3_reset(st[i]);
				if (rc != SQLITE_DONE)
					s = db_fail(j->db, rc, "listing the customers to index", err);
			}
			lo = hi;
			bulk_step_rows(j, bulk_now_us() - t0);
		}
		s = bulk_chunk_end(j, s, err);
	}
	for (size_t i = 0; i < N_STMT; i++)
		sqlite3_finalize(st[i]);
	return s;
}

/* The rows station actions changed while the job ran (now as the shadow
 * has them) indexed anew, but those listed in search_pending (indexed
 * after the switch). */
#define NOT_PENDING(id) " AND " id " NOT IN (SELECT id FROM search_pending)"
fc_status bulk_search_resync(bulk_job *j, fc_error *err)
{
	fc_status s = bulk_exec(j, "INSERT INTO " SEARCH "(" SEARCH ", rowid, name, phone, plate, code,"
				   " phone_digits) SELECT 'delete', id, name, phone, plate, code,"
				   " phone_digits FROM customers WHERE id IN (SELECT key FROM stage.touched)" NOT_PENDING("id"),
				err);
	if (!s)
		s = bulk_exec(j, "INSERT INTO " SEARCH "(rowid, name, phone, plate, code, phone_digits)"
				 " SELECT id, name, phone, plate, code, phone_digits FROM customers"
				 SHADOW_SUFFIX " WHERE id IN (SELECT key FROM stage.touched)" NOT_PENDING("id"),
				 err);
	/* the grams of the short search likewise (migration 13) */
	if (!s)
		s = bulk_exec(j, "INSERT INTO " GRAMS "(" GRAMS ", rowid, grams) SELECT 'delete', c.id, "
				 SCHEMA_CUSTOMER_GRAMS("c.name", "c.plate") " FROM customers c WHERE"
				 " c.id IN (SELECT key FROM stage.touched)" NOT_PENDING("c.id"), err);
	if (!s)
		s = bulk_exec(j, "INSERT INTO " GRAMS "(rowid, grams) SELECT c.id, "
				 SCHEMA_CUSTOMER_GRAMS("c.name", "c.plate") " FROM customers" SHADOW_SUFFIX
				 " c WHERE c.id IN (SELECT key FROM stage.touched)" NOT_PENDING("c.id"), err);
	return s;
}
