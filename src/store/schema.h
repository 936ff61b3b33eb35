/* schema.h — ordered schema migrations compiled into the binary. */
#ifndef FC_SCHEMA_H
#define FC_SCHEMA_H

/* The schema version this binary writes (PRAGMA user_version). */
int schema_latest_version(void);

/* SQL that moves a database from version-1 to version; NULL out of range.
 * Static storage. */
const char *schema_migration(int version);

/* The version that starts the class history (migration 10, class_history):
 * db_migrate records when it ran in meta 'class_history_since' (UTC ISO, the
 * program's clock): the classes of an earlier moment are not known. */
#define SCHEMA_CLASS_HISTORY_VERSION 10

/* The grams of the short search (migration 13) of name n and plate p (SQL
 * expressions): every 1- and 2-character piece holding a character beyond
 * ASCII, in the order they come, separated by spaces: the text the
 * customer_grams index (FTS5, unicode61) holds for the customer, made the
 * same way to be removed again.  A scalar subquery; NULL when there is no
 * such piece.  Positions come from search_positions (1..256). */
#define SCHEMA_CUSTOMER_GRAMS(n, p) \
	"(SELECT group_concat(g, ' ') FROM (SELECT substr(v.t, s.i, w.n) AS g FROM\n" \
	"  (SELECT 1 AS k, " n " AS t UNION ALL SELECT 2, " p ") v\n" \
	"  JOIN search_positions s ON s.i <= length(v.t)\n" \
	"  JOIN (SELECT 1 AS n UNION ALL SELECT 2) w ORDER BY v.k, s.i, w.n)\n" \
	" WHERE length(g) < length(CAST(g AS BLOB)))"

/* customers.last_visit_ml of the customer row c (migration 15): the volume
 * of its visit here at c.last_visit_at, the greatest id when several share
 * that time (the latest visit, as ORDER BY created_at DESC, id DESC finds
 * it); NULL when none.  A scalar subquery on visits_customer. */
#define SCHEMA_LAST_VISIT_ML(c) \
	"(SELECT v.volume_ml FROM visits v WHERE v.customer_id = " c ".id\n" \
	"  AND v.created_at = " c ".last_visit_at ORDER BY v.id DESC LIMIT 1)"

#endif
