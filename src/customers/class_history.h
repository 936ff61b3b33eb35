/* class_history.h — each customer's classes (nature, tier, stability,
 * composite class) as they were: rows written by schema migration 8's
 * triggers whenever one changes, read as of an instant by the monthly
 * analysis of a past month. */
#ifndef FC_CLASS_HISTORY_H
#define FC_CLASS_HISTORY_H

#include <sqlite3.h>

#include "base/status.h"

/* A LEFT JOIN giving alias h, the class_history row of customer C.id in
 * force just before the instant of SQL expression AT (a bound parameter
 * such as "?2"): the latest row dated before it.  One index seek of
 * class_history_customer per customer; h.id IS NULL when there is none. */
#define CLASS_HISTORY_JOIN_AS_OF(C, AT)                                               \
	" LEFT JOIN class_history h ON h.id = (SELECT x.id FROM class_history x"       \
	" WHERE x.customer_id = " C ".id AND x.changed_at < " AT                      \
	" ORDER BY x.changed_at DESC, x.id DESC LIMIT 1)"

/* A first row, dated created_at with the classes as they are, for every
 * customer without one (rows a bulk load made with the triggers dropped,
 * seeds/).  In the caller's transaction. */
fc_status class_history_fill(sqlite3 *db, fc_error *err);

#endif
