/* feedback.h — the one-key satisfaction rating (1-5) after a fuelling, or
 * from the CLI, with its outbox record. */
#ifndef FC_FEEDBACK_H
#define FC_FEEDBACK_H

#include <sqlite3.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"

/* Record a satisfaction rating 1..5, linked to a visit when visit_id is
 * given (it must exist), with its outbox record ("feedback").  staff_id 0
 * = none.  id_out may be NULL. */
fc_status feedback_record(sqlite3 *db, const fc_config *cfg, const char *visit_id, int rating,
			  const char *comment, int64_t staff_id, char *id_out, fc_error *err);

#endif
