/* complaint_path.h — an entry's path after it is received (domain.md
 * "Complaint book"): the handling result, a head's approval of a general
 * complaint's opinion or a special case's approval at each level of
 * [complaints] approval_levels in order, the customer told, closing. */
#ifndef FC_COMPLAINT_PATH_H
#define FC_COMPLAINT_PATH_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "care/complaint.h"

/* The steps, in the order of the path:
 *   suggestion, major: received -> handled -> closed (resolve closes);
 *   general:           received -> handled -> approved -> told -> closed;
 *   special:           received -> level 1..n -> handled -> told -> closed. */
typedef enum {
	COMPLAINT_STEP_RECEIVED,
	COMPLAINT_STEP_LEVEL,
	COMPLAINT_STEP_HANDLED,
	COMPLAINT_STEP_APPROVED,
	COMPLAINT_STEP_TOLD,
	COMPLAINT_STEP_CLOSED,
	COMPLAINT_STEP_KIND_COUNT
} fc_complaint_step_kind;

#define COMPLAINT_PATH_MAX (5 + APPROVER_COUNT)

typedef struct fc_complaint_step {
	fc_complaint_step_kind kind;
	int level_no;          /* COMPLAINT_STEP_LEVEL: from 1 */
	fc_approver level;     /* COMPLAINT_STEP_LEVEL: who approves at it */
	bool done;
	char who[64];          /* handler, approver, teller; "" when not done */
	char entered_by[64];   /* COMPLAINT_STEP_LEVEL: the head who entered the
				* supervisor's typed name (staff name) */
	char how[16];          /* told: a callback method key */
	char at[CLOCK_ISO_LEN];/* UTC ISO-8601; "" when not done */
} fc_complaint_step;

/* The steps of c's path with what is done (levels from its complaint_updates),
 * at most COMPLAINT_PATH_MAX into steps. */
fc_status complaint_path_steps(sqlite3 *db, const fc_config *cfg, const fc_complaint *c,
			       fc_complaint_step *steps, size_t *count, fc_error *err);

/* The first step of c's path not done yet, from c alone (levels by
 * c->levels_done): its kind, and for a level its number into *level_no
 * (may be NULL); COMPLAINT_STEP_CLOSED for a closed entry too. */
fc_complaint_step_kind complaint_path_next(const fc_config *cfg, const fc_complaint *c,
					   int *level_no);

/* The stable key of a step kind ("received", "level", "handled", ...). */
const char *complaint_path_step_key(fc_complaint_step_kind k);

/* Approve the open entry id.  A general complaint: its handling opinion
 * (recorded by complaint_resolve) by the head staff_id (logged in), whose
 * name is recorded; name must be NULL or "" (a typed name is refused with
 * FC_ERR_INVALID); level must be 0.  A special case: the
 * next level of approval_levels (level 0, or its number, which must be the
 * next) by the supervisor name (required: a supervisor above the station
 * is no staff member; staff_id, who entered it, is kept with it) at at_ms
 * (0 = now; not in the future, not before the level before it).  Refused with FC_ERR_CONFLICT
 * and a message naming the step for a suggestion, a major complaint, an
 * opinion not yet recorded, a level out of order or one already approved.
 * One transaction: the row, its complaint_update record and audit row. */
fc_status complaint_path_approve(sqlite3 *db, const fc_config *cfg, const char *id, int level,
				 const char *name, int64_t at_ms, int64_t staff_id,
				 fc_error *err);

/* Record that the customer was told the result: by whom (required), how,
 * when (0 = now; not in the future, not before receipt).  Only after the
 * approval (general) or every level and the handling result (special). */
fc_status complaint_path_tell(sqlite3 *db, const fc_config *cfg, const char *id,
			      const char *told_by, fc_callback_method how, int64_t at_ms,
			      int64_t staff_id, fc_error *err);

/* Close the open entry id (remarks optional) once every step before
 * closing is done; else FC_ERR_CONFLICT naming the first step missing.
 * A suggestion and a major complaint are closed by complaint_resolve. */
fc_status complaint_path_close(sqlite3 *db, const fc_config *cfg, const char *id,
			       const char *remarks, int64_t staff_id, fc_error *err);

#endif
