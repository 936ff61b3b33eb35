/* schema.h — ordered schema migrations compiled into the binary. */
#ifndef FC_SCHEMA_H
#define FC_SCHEMA_H

/* The schema version this binary writes (PRAGMA user_version). */
int schema_latest_version(void);

/* SQL that moves a database from version-1 to version; NULL out of range.
 * Static storage. */
const char *schema_migration(int version);

/* The grams of the short search (migration 13): every 1- and 2-character
 * piece holding a character beyond ASCII of name n and plate p, as rows
 * (g, id) of a SELECT; n, p and id are SQL expressions over the tables of
 * from (a FROM clause; "" inside a trigger, for new.x / old.x).  Positions
 * come from search_positions (1..256). */
#define SCHEMA_CUSTOMER_GRAMS(n, p, id, from) \
	"SELECT DISTINCT g, id FROM (SELECT substr(v.t, s.i, w.n) AS g, v.id AS id FROM\n" \
	"  (SELECT " n " AS t, " id " AS id " from " UNION ALL SELECT " p ", " id " " from ") v\n" \
	"  JOIN search_positions s ON s.i <= length(v.t)\n" \
	"  JOIN (SELECT 1 AS n UNION ALL SELECT 2) w)\n" \
	" WHERE length(g) < length(CAST(g AS BLOB))"

#endif
