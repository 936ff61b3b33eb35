/* staff.h — staff members and their roles: adding, listing, disabling and
 * resetting PINs, each an audited admin action in one transaction. */
#ifndef FC_STAFF_H
#define FC_STAFF_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/domain.h"
#include "base/status.h"

typedef struct fc_staff {
	int64_t id;
	char staff_no[32];                 /* what the person types at login */
	char name[128];
	fc_role role;
	bool active;                       /* false: disabled, cannot log in */
	int failures;                      /* wrong PINs since the last good one or PIN reset */
	char locked_until[CLOCK_ISO_LEN];  /* UTC ISO-8601, "" when not locked */
} fc_staff;

/* Look a staff member up by number (or by id with staff_find_id);
 * FC_ERR_NOT_FOUND naming the number when there is none. */
fc_status staff_find(sqlite3 *db, const char *staff_no, fc_staff *out, fc_error *err);
fc_status staff_find_id(sqlite3 *db, int64_t id, fc_staff *out, fc_error *err);

/* Number of staff rows, -1 on error. */
int staff_count(sqlite3 *db);

/* All staff ordered by number into a malloc'd array (*rows, free() it). */
fc_status staff_list(sqlite3 *db, fc_staff **rows, size_t *count, fc_error *err);

/* Who works here goes to head office, which keeps each station's staff to
 * name customers' owners: adding a member, changing a role and disabling
 * one queue a record "staff_changed" in the action's transaction, data
 * {"staff": id (the number records carry as "staff" and head office names
 * owners by), "name", "role": attendant|head|admin, "active": bool} — the
 * member as it is after the change. */

/* Add a staff member with a PIN (pin_check_new: 4..12 digits, 6 or more
 * for a head or admin), hashed by pin_hash.
 * On an empty staff table the first member must be an admin and actor_id
 * is 0; afterwards actor_id must be an active admin.  Creates the pepper
 * file when it is missing.  Audited ("staff_add"), staff_changed;
 * *new_id may be NULL. */
fc_status staff_add(sqlite3 *db, const fc_config *cfg, int64_t actor_id, const char *staff_no,
		    const char *name, fc_role role, const char *pin, int64_t *new_id,
		    fc_error *err);

/* Disable a staff member (actor: an admin).  The last active admin cannot
 * be disabled.  Audited ("staff_disable"), staff_changed. */
fc_status staff_disable(sqlite3 *db, const fc_config *cfg, int64_t actor_id,
			const char *staff_no, fc_error *err);

/* Give a staff member another role (actor: an admin).  The last active
 * admin keeps the role.  The same role changes nothing (*changed false);
 * else audited ("staff_role"), staff_changed, *changed true.  An attendant
 * made head or admin (staff_role_needs_pin) gets a new PIN (pin_check_new
 * for that role), set in the same transaction; pin is ignored otherwise
 * and may be NULL.  changed may be NULL. */
fc_status staff_set_role(sqlite3 *db, const fc_config *cfg, int64_t actor_id,
			 const char *staff_no, fc_role role, const char *pin, bool *changed,
			 fc_error *err);

/* True when changing a member's role from `from` to `to` needs a new PIN:
 * an attendant becomes a head or admin (their PINs have more digits; a
 * head's or admin's PIN has them already). */
bool staff_role_needs_pin(fc_role from, fc_role to);

/* Set a new PIN (pin_check_new for the member's role), clearing failures
 * and any lockout (actor: an admin).  Audited ("staff_reset_pin"). */
fc_status staff_reset_pin(sqlite3 *db, const fc_config *cfg, int64_t actor_id,
			  const char *staff_no, const char *pin, fc_error *err);

/* True when role may act as `need` (admin > head > attendant). */
bool staff_role_allows(fc_role role, fc_role need);

/* FC_OK when staff_id is an active member whose role allows `need`;
 * FC_ERR_AUTH with a message otherwise (0 = nobody logged in). */
fc_status staff_require_role(sqlite3 *db, int64_t staff_id, fc_role need, fc_error *err);

#endif
