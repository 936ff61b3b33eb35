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

/* A login attempt by staff number and PIN.  Success: FC_OK, *who filled,
 * failures reset, "login" audited.  Wrong PIN: FC_ERR_AUTH and the failure
 * counted and audited; the max_failures-th wrong PIN locks the member for
 * lockout_minutes ("lockout" audited) and returns FC_ERR_LOCKED.  While
 * locked: FC_ERR_LOCKED without checking the PIN.  who->locked_until says
 * until when.  Unknown or disabled staff: FC_ERR_AUTH.  need is the least
 * role the screen asks for (FC_ERR_AUTH when the member's role is lower). */
fc_status auth_login(sqlite3 *db, const fc_config *cfg, const char *staff_no, const char *pin,
		     fc_role need, fc_staff *who, fc_error *err);

#endif
