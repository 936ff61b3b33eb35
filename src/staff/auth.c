/* auth.c — pepper file, Argon2id PIN hashes, login with a lockout counter
 * that lives in the staff table (so it survives restarts). */
#include "staff/auth.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/audit.h"
#include "base/clock.h"
#include "store/db.h"

#define PEPPER_NEW_BYTES 32
#define PEPPER_MIN_BYTES 16

/* Write a new random pepper next to path and link it into place, so a
 * reader never sees a half-written file and an existing one is kept. */
static fc_status pepper_create(const char *path, fc_error *err)
{
	char tmp[4096];
	unsigned char bytes[PEPPER_NEW_BYTES];
	int w = snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path);
	if (w < 0 || (size_t)w >= sizeof tmp)
		return fc_error_set(err, FC_ERR_CONFIG, "%s: path too long", path);
	int fd = mkstemp(tmp); /* mode 0600 */
	if (fd < 0)
		return fc_error_set(err, FC_ERR_IO, "%s: cannot create the pepper file: %s", path,
				    strerror(errno));
	randombytes_buf(bytes, sizeof bytes);
	bool ok = write(fd, bytes, sizeof bytes) == (ssize_t)sizeof bytes && fsync(fd) == 0;
	int saved = errno;
	sodium_memzero(bytes, sizeof bytes);
	close(fd);
	if (ok && link(tmp, path) != 0 && errno != EEXIST) {
		ok = false;
		saved = errno;
	}
	unlink(tmp);
	if (!ok)
		return fc_error_set(err, FC_ERR_IO, "%s: cannot write the pepper file: %s", path,
				    strerror(saved));
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return FC_OK;
}

fc_status auth_load_pepper(const char *path, bool create, unsigned char *out, size_t *len,
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
		n = read(fd, out, AUTH_PEPPER_MAX);
		if (n < PEPPER_MIN_BYTES)
			s = fc_error_set(err, FC_ERR_CONFIG,
					 "%s: the pepper file holds %zd bytes, at least %d needed",
					 path, n, PEPPER_MIN_BYTES);
	}
	close(fd);
	if (s) {
		sodium_memzero(out, AUTH_PEPPER_MAX);
		return s;
	}
	*len = (size_t)n;
	return FC_OK;
}

bool auth_pin_valid(const char *pin)
{
	size_t n = pin ? strlen(pin) : 0;
	if (n < 4 || n > 12)
		return false;
	return strspn(pin, "0123456789") == n;
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

fc_status auth_hash_pin(const char *pin, const unsigned char *pepper, size_t pepper_len,
			char *out, fc_error *err)
{
	if (!auth_pin_valid(pin))
		return fc_error_set(err, FC_ERR_INVALID, "a PIN is 4 to 12 digits");
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

bool auth_verify_pin(const char *hash, const char *pin, const unsigned char *pepper,
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

/* The stored hash of a staff member into out; false when none. */
static bool staff_pin_hash(sqlite3 *db, int64_t id, char *out)
{
	sqlite3_stmt *st;
	bool found = false;
	if (sqlite3_prepare_v2(db, "SELECT pin_hash FROM staff WHERE id = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return false;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		snprintf(out, AUTH_HASH_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
		found = true;
	}
	sqlite3_finalize(st);
	return found;
}

/* Count one wrong PIN in a transaction; locks when the limit is reached.
 * Returns the status for the user: FC_ERR_AUTH or FC_ERR_LOCKED. */
static fc_status login_count_failure(sqlite3 *db, const fc_config *cfg, fc_staff *who,
				     fc_error *err)
{
	char detail[128], until[CLOCK_ISO_LEN] = "";
	sqlite3_stmt *st;
	fc_status s = db_begin(db, err);
	if (!s)
		s = db_prepare(db,
			       "UPDATE staff SET failures = failures + 1 WHERE id = ? "
			       "RETURNING failures",
			       &st, err);
	if (s) {
		db_rollback(db);
		return s;
	}
	sqlite3_bind_int64(st, 1, who->id);
	int rc = sqlite3_step(st);
	int failures = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		s = db_fail(db, rc, "counting a wrong PIN", err);
		db_rollback(db);
		return s;
	}
	snprintf(detail, sizeof detail, "staff %s: wrong PIN %d of %d", who->staff_no, failures,
		 cfg->auth_max_failures);
	s = audit_record_event(db, cfg->station_id, who->id, "login_failed", detail, err);
	bool lock = failures >= cfg->auth_max_failures;
	if (!s && lock) {
		clock_format_iso(clock_now_ms() + (int64_t)cfg->auth_lockout_minutes * 60000, until);
		s = db_prepare(db, "UPDATE staff SET failures = 0, locked_until = ? WHERE id = ?",
			       &st, err);
		if (!s) {
			sqlite3_bind_text(st, 1, until, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, who->id);
			rc = sqlite3_step(st);
			sqlite3_finalize(st);
			if (rc != SQLITE_DONE)
				s = db_fail(db, rc, "locking the staff member", err);
		}
		snprintf(detail, sizeof detail, "staff %s locked until %s", who->staff_no, until);
		if (!s)
			s = audit_record_event(db, cfg->station_id, who->id, "lockout", detail, err);
	}
	if (!s)
		s = db_commit(db, err);
	else
		db_rollback(db);
	if (s)
		return s;
	who->failures = lock ? 0 : failures;
	if (lock) {
		char local[CLOCK_ISO_LEN];
		int64_t ms;
		snprintf(who->locked_until, sizeof who->locked_until, "%s", until);
		clock_parse_iso(until, &ms);
		return fc_error_set(err, FC_ERR_LOCKED,
				    "too many wrong PINs: staff %s is locked until %s",
				    who->staff_no, clock_format_local(ms, local));
	}
	return fc_error_set(err, FC_ERR_AUTH, "wrong PIN (%d of %d tries used)", failures,
			    cfg->auth_max_failures);
}

static fc_status login_succeed(sqlite3 *db, const fc_config *cfg, fc_staff *who, fc_error *err)
{
	char detail[96];
	sqlite3_stmt *st;
	fc_status s = db_begin(db, err);
	if (!s)
		s = db_prepare(db, "UPDATE staff SET failures = 0, locked_until = NULL WHERE id = ?",
			       &st, err);
	if (!s) {
		sqlite3_bind_int64(st, 1, who->id);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "recording the login", err);
	}
	snprintf(detail, sizeof detail, "staff %s (%s) logged in", who->staff_no,
		 role_key(who->role));
	if (!s)
		s = audit_record_event(db, cfg->station_id, who->id, "login", detail, err);
	if (!s)
		s = db_commit(db, err);
	else
		db_rollback(db);
	if (!s) {
		who->failures = 0;
		who->locked_until[0] = '\0';
	}
	return s;
}

fc_status auth_login(sqlite3 *db, const fc_config *cfg, const char *staff_no, const char *pin,
		     fc_role need, fc_staff *who, fc_error *err)
{
	char detail[128];
	fc_status s = staff_find(db, staff_no, who, err);
	if (s == FC_ERR_NOT_FOUND || (!s && !who->active)) {
		snprintf(detail, sizeof detail, "unknown or disabled staff number '%.40s'",
			 staff_no ? staff_no : "");
		s = audit_record_event_now(db, cfg->station_id, 0, "login_failed", detail, err);
		return s ? s : fc_error_set(err, FC_ERR_AUTH, "wrong staff number or PIN");
	}
	if (s)
		return s;
	int64_t until_ms;
	if (who->locked_until[0] && clock_parse_iso(who->locked_until, &until_ms) &&
	    until_ms > clock_now_ms()) {
		char local[CLOCK_ISO_LEN];
		snprintf(detail, sizeof detail, "staff %s refused: locked", who->staff_no);
		s = audit_record_event_now(db, cfg->station_id, who->id, "login_locked", detail,
					   err);
		return s ? s
			 : fc_error_set(err, FC_ERR_LOCKED, "staff %s is locked until %s",
					who->staff_no, clock_format_local(until_ms, local));
	}
	who->locked_until[0] = '\0';
	unsigned char *pepper = sodium_malloc(AUTH_PEPPER_MAX);
	char *hash = sodium_malloc(AUTH_HASH_LEN);
	size_t pepper_len = 0;
	if (!pepper || !hash) {
		sodium_free(pepper);
		sodium_free(hash);
		return fc_error_set(err, FC_ERR_NOMEM, "no memory to check the PIN");
	}
	s = auth_load_pepper(cfg->auth_pepper_file, false, pepper, &pepper_len, err);
	bool ok = !s && staff_pin_hash(db, who->id, hash) &&
		  auth_verify_pin(hash, pin, pepper, pepper_len);
	sodium_free(pepper);
	sodium_free(hash);
	if (s)
		return s;
	if (!ok)
		return login_count_failure(db, cfg, who, err);
	s = login_succeed(db, cfg, who, err);
	if (s)
		return s;
	if (!staff_role_allows(who->role, need)) {
		snprintf(detail, sizeof detail, "staff %s (%s) refused a %s screen", who->staff_no,
			 role_key(who->role), role_key(need));
		s = audit_record_event_now(db, cfg->station_id, who->id, "role_refused", detail,
					   err);
		return s ? s
			 : fc_error_set(err, FC_ERR_AUTH, "staff %s is a%s %s: this needs a%s %s",
					who->staff_no, who->role == ROLE_HEAD ? "" : "n",
					role_key(who->role), need == ROLE_HEAD ? "" : "n",
					role_key(need));
	}
	return FC_OK;
}
