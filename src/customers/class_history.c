/* class_history.c — the classes as they were: filling the first rows a
 * bulk load left out (the triggers of schema.c write the rest). */
#include "customers/class_history.h"

#include "store/db.h"

fc_status class_history_fill(sqlite3 *db, fc_error *err)
{
	return db_exec(db,
		"INSERT INTO class_history(customer_id, changed_at, nature, tier, stability,"
		" composite_class) SELECT c.id, c.created_at, c.nature, c.tier, c.stability,"
		" c.composite_class FROM customers c WHERE NOT EXISTS (SELECT 1 FROM"
		" class_history x WHERE x.customer_id = c.id)",
		"filling the class history", err);
}
