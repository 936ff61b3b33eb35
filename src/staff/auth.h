/* auth.h — logins: staff number and PIN (checked by staff/pin.h), lockout
 * counted in the database, every attempt audited. */
#ifndef FC_AUTH_H
#define FC_AUTH_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "staff/staff.h"

#define AUTH_LOCKOUT_MAX_MINUTES 1440 /* escalation stops at a day */

/* A login attempt by staff number and PIN.  Success: FC_OK, *who filled,
 * failures reset, "login" audited.  Wrong PIN: the failure counted and
 * audited, FC_ERR_AUTH "wrong staff number or PIN" with *who cleared: the
 * same answer, after the same Argon2id work, as an unknown or disabled
 * number.  Every max_failures-th wrong PIN in a row locks the member
 * (FC_ERR_LOCKED, "lockout" audited and logged) for
 * auth_lockout_minutes(level): the count goes on across lockouts until a
 * good PIN or a PIN reset, so each lockout lasts longer.  While locked:
 * FC_ERR_LOCKED without checking the PIN; who->locked_until says until
 * when.  need is the least role the screen asks for (FC_ERR_AUTH, *who
 * filled, when the member's role is lower). */
fc_status auth_login(sqlite3 *db, const fc_config *cfg, const char *staff_no, const char *pin,
		     fc_role need, fc_staff *who, fc_error *err);

/* Minutes of the level-th lockout in a row (1, 2, ...): [auth]
 * lockout_minutes doubled each time, at most AUTH_LOCKOUT_MAX_MINUTES (or
 * lockout_minutes when that is longer). */
int auth_lockout_minutes(const fc_config *cfg, int level);

#endif
