/* pin.c — the pepper file and Argon2id PIN hashes (libsodium): the leaf
 * that staff (new PINs) and auth (logins) both use. */
#include "staff/pin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic_file.h"

#define PEPPER_NEW_BYTES 32
#define PEPPER_MIN_BYTES 16

/* Write a new random pepper beside path and link it into place, so a
 * reader never sees a half-written file and an existing one is kept. */
static fc_status pepper_create(const char *path, fc_error *err)
{
	unsigned char bytes[PEPPER_NEW_BYTES];
	atomic_file f;
	fc_status s = atomic_file_open(&f, path, 0600, err);
	if (s)
		return s;
	randombytes_buf(bytes, sizeof bytes);
	s = atomic_file_write(&f, bytes, sizeof bytes, err);
	sodium_memzero(bytes, sizeof bytes);
	if (s) {
		atomic_file_abort(&f);
		return s;
	}
	return atomic_file_link(&f, err);
}

fc_status pin_load_pepper(const char *path, bool create, unsigned char *out, size_t *len,
			   fc_error *err)
{
	if (!path || !*path)
		return fc_error_set(err, FC_ERR_CONFIG, "[auth] pepper_file is not set");
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		fc_status s = pepper_create(path, err);
		if (s)
			return s;
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		if (errno == ENOENT)
			return fc_error_set(err, FC_ERR_NOT_FOUND,
					    "%s: the pepper file is missing (it is made by the "
					    "first 'forecourt staff add')",
					    path);
		return fc_error_set(err, FC_ERR_IO, "%s: cannot open the pepper file: %s", path,
				    strerror(errno));
	}
	struct stat sb;
	fc_status s = FC_OK;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		s = fc_error_set(err, FC_ERR_CONFIG, "%s: the pepper file is not a regular file",
				 path);
	else if (sb.st_mode & 077)
		s = fc_error_set(err, FC_ERR_CONFIG,
				 "%s: the pepper file has mode %04o, others could read it: "
				 "run 'chmod 600 %s'",
				 path, (unsigned)(sb.st_mode & 07777), path);
	ssize_t n = 0;
	if (!s) {
		n = read(fd, out, PIN_PEPPER_MAX);
		if (n < PEPPER_MIN_BYTES)
			s = fc_error_set(err, FC_ERR_CONFIG,
					 "%s: the pepper file holds %zd bytes, at least %d needed",
					 path, n, PEPPER_MIN_BYTES);
	}
	close(fd);
	if (s) {
		sodium_memzero(out, PIN_PEPPER_MAX);
		return s;
	}
	*len = (size_t)n;
	return FC_OK;
}

bool pin_valid(const char *pin)
{
	size_t n = pin ? strlen(pin) : 0;
	if (n < PIN_MIN_DIGITS || n > PIN_MAX_DIGITS)
		return false;
	return strspn(pin, "0123456789") == n;
}

fc_status pin_check_new(const char *pin, fc_role role, fc_error *err)
{
	size_t min = role == ROLE_HEAD || role == ROLE_ADMIN ? PIN_MIN_DIGITS_HEAD : PIN_MIN_DIGITS;
	if (!pin_valid(pin) || strlen(pin) < min)
		return fc_error_set(err, FC_ERR_INVALID, "a%s %s's PIN is %zu to %d digits",
				    role == ROLE_ADMIN || role == ROLE_ATTENDANT ? "n" : "",
				    role_key(role), min, PIN_MAX_DIGITS);
	return FC_OK;
}

/* pin || pepper into a locked buffer; the caller wipes and frees it. */
static unsigned char *pin_with_pepper(const char *pin, const unsigned char *pepper,
				      size_t pepper_len, size_t *len)
{
	size_t pin_len = strlen(pin);
	*len = pin_len + pepper_len;
	unsigned char *buf = sodium_malloc(*len);
	if (!buf)
		return NULL;
	memcpy(buf, pin, pin_len);
	memcpy(buf + pin_len, pepper, pepper_len);
	return buf;
}

fc_status pin_hash(const char *pin, const unsigned char *pepper, size_t pepper_len,
			char *out, fc_error *err)
{
	if (!pin_valid(pin))
		return fc_error_set(err, FC_ERR_INVALID, "a PIN is %d to %d digits", PIN_MIN_DIGITS,
				    PIN_MAX_DIGITS);
	size_t len;
	unsigned char *buf = pin_with_pepper(pin, pepper, pepper_len, &len);
	if (!buf)
		return fc_error_set(err, FC_ERR_NOMEM, "no memory to hash the PIN");
	int rc = crypto_pwhash_str(out, (const char *)buf, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sodium_free(buf); /* wipes */
	if (rc != 0)
		return fc_error_set(err, FC_ERR_NOMEM, "not enough memory to hash the PIN");
	return FC_OK;
}

void pin_verify_none(const char *pin, const unsigned char *pepper, size_t pepper_len)
{
	size_t len;
	char scratch[PIN_HASH_LEN];
	unsigned char *buf = pin_with_pepper(pin ? pin : "", pepper, pepper_len, &len);
	if (!buf)
		return;
	/* crypto_pwhash_str at the limits every stored hash has: what verifying costs */
	if (crypto_pwhash_str(scratch, (const char *)buf, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0)
		sodium_memzero(scratch, sizeof scratch);
	sodium_free(buf);
}

bool pin_verify(const char *hash, const char *pin, const unsigned char *pepper,
		     size_t pepper_len)
{
	if (!hash || !*hash || !pin)
		return false;
	size_t len;
	unsigned char *buf = pin_with_pepper(pin, pepper, pepper_len, &len);
	if (!buf)
		return false;
	bool ok = crypto_pwhash_str_verify(hash, (const char *)buf, len) == 0;
	sodium_free(buf);
	return ok;
}
