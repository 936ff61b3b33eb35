/* auth.h — PINs and logins: Argon2id (libsodium crypto_pwhash_str) over the
 * PIN and a pepper kept in a 0600 file, lockout counted in the database. */
#ifndef FC_AUTH_H
#define FC_AUTH_H

#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "staff/staff.h"
#include "base/status.h"

#define AUTH_PEPPER_MAX 256            /* bytes read from the pepper file */
#define AUTH_HASH_LEN crypto_pwhash_STRBYTES

/* Read the pepper from path.  A file readable or writable by group or
 * others is refused (FC_ERR_CONFIG, naming its mode); a missing one is
 * FC_ERR_NOT_FOUND unless create is true, then 32 random bytes are written
 * to it (mode 0600, atomically).  out holds AUTH_PEPPER_MAX bytes. */
fc_status auth_load_pepper(const char *path, bool create, unsigned char *out, size_t *len,
			   fc_error *err);

/* True when pin is 4..12 ASCII digits. */
bool auth_pin_valid(const char *pin);

/* Hash pin + pepper with crypto_pwhash_str, Argon2id at the INTERACTIVE
 * limits, into out[AUTH_HASH_LEN].  The PIN copy is wiped afterwards. */
fc_status auth_hash_pin(const char *pin, const unsigned char *pepper, size_t pepper_len,
			char *out, fc_error *err);

/* True when pin + pepper matches hash. */
bool auth_verify_pin(const char *hash, const char *pin, const unsigned char *pepper,
		     size_t pepper_len);

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
