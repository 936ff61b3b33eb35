/* pin.h — PINs: Argon2id (libsodium crypto_pwhash_str) over the PIN and a
 * pepper kept in a 0600 file.  A leaf: no database, no staff table. */
#ifndef FC_PIN_H
#define FC_PIN_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/domain.h"
#include "base/status.h"

#define PIN_PEPPER_MAX 256            /* bytes read from the pepper file */
#define PIN_HASH_LEN crypto_pwhash_STRBYTES

/* Read the pepper from path.  A file readable or writable by group or
 * others is refused (FC_ERR_CONFIG, naming its mode); a missing one is
 * FC_ERR_NOT_FOUND unless create is true, then 32 random bytes are written
 * to it (mode 0600, atomically).  out holds PIN_PEPPER_MAX bytes. */
fc_status pin_load_pepper(const char *path, bool create, unsigned char *out, size_t *len,
			   fc_error *err);

#define PIN_MIN_DIGITS 4      /* an attendant's PIN */
#define PIN_MIN_DIGITS_HEAD 6 /* a station head's or an admin's */
#define PIN_MAX_DIGITS 12

/* True when pin is PIN_MIN_DIGITS..PIN_MAX_DIGITS ASCII digits. */
bool pin_valid(const char *pin);

/* The rule for a new PIN of a member with role: digits only, at least
 * PIN_MIN_DIGITS_HEAD for a head or admin (their PIN opens the complaint
 * book, the archive editor and the staff list), PIN_MIN_DIGITS otherwise,
 * at most PIN_MAX_DIGITS.  FC_ERR_INVALID saying the rule. */
fc_status pin_check_new(const char *pin, fc_role role, fc_error *err);

/* Hash pin + pepper with crypto_pwhash_str, Argon2id at the INTERACTIVE
 * limits, into out[PIN_HASH_LEN].  The PIN copy is wiped afterwards. */
fc_status pin_hash(const char *pin, const unsigned char *pepper, size_t pepper_len,
			char *out, fc_error *err);

/* True when pin + pepper matches hash. */
bool pin_verify(const char *hash, const char *pin, const unsigned char *pepper,
		     size_t pepper_len);

/* The work of pin_verify with no hash to match (an unknown staff number):
 * the same Argon2id run, so a wrong number takes as long as a wrong PIN. */
void pin_verify_none(const char *pin, const unsigned char *pepper, size_t pepper_len);

#endif
