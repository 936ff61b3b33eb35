/* auth.c — logins by staff number and PIN, with a lockout counter that
 * lives in the staff table (so it survives restarts). */
#include "staff/auth.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/text_check.h"
#include "staff/pin.h"
#include "store/audit.h"
#include "store/db.h"

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
		snprintf(out, PIN_HASH_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
		found = true;
	}
	sqlite3_finalize(st);
	return found;
}

/* How long the level-th lockout in a row lasts: [auth] lockout_minutes,
 * doubled at each further lockout without a good PIN in between, at most
 * AUTH_LOCKOUT_MAX_MINUTES (or lockout_minutes when that is longer). */
int auth_lockout_minutes(const fc_config *cfg, int level)
{
	int64_t m = cfg->auth_lockout_minutes;
	int64_t cap = m > AUTH_LOCKOUT_MAX_MINUTES ? m : AUTH_LOCKOUT_MAX_MINUTES;
	for (int i = 1; i < level && m < cap; i++)
		m *= 2;
	return (int)(m < cap ? m : cap);
}

/* Count one wrong PIN in a transaction; every max_failures-th locks the
 * member, each lockout in a row longer (the count goes on until a good PIN
 * or a PIN reset).  Returns the status for the user: FC_ERR_AUTH (who
 * cleared: the same answer as for an unknown number) or FC_ERR_LOCKED. */
static fc_status login_count_failure(sqlite3 *db, const fc_config *cfg, fc_staff *who,
				     fc_error *err)
{
	char detail[160], until[CLOCK_ISO_LEN] = "";
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
	snprintf(detail, sizeof detail, "staff %s: wrong PIN %d (%d allowed before a lockout)",
		 who->staff_no, failures, cfg->auth_max_failures);
	s = audit_record_event(db, cfg->station_id, who->id, "login_failed", detail, err);
	bool lock = failures % cfg->auth_max_failures == 0;
	int level = failures / cfg->auth_max_failures;
	int minutes = lock ? auth_lockout_minutes(cfg, level) : 0;
	if (!s && lock) {
		clock_format_iso(clock_now_ms() + (int64_t)minutes * 60000, until);
		s = db_prepare(db, "UPDATE staff SET locked_until = ? WHERE id = ?", &st, err);
		if (!s) {
			sqlite3_bind_text(st, 1, until, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, who->id);
			s = db_step_done(db, st, "locking the staff member", err);
		}
		snprintf(detail, sizeof detail, "staff %s locked until %s (lockout %d in a row, %d min)",
			 who->staff_no, until, level, minutes);
		if (!s)
			s = audit_record_event(db, cfg->station_id, who->id, "lockout", detail, err);
	}
	s = db_finish(db, s, err);
	if (s)
		return s;
	if (!lock) {
		memset(who, 0, sizeof *who); /* nothing tells a wrong PIN from a wrong number */
		return fc_error_set(err, FC_ERR_AUTH, "wrong staff number or PIN");
	}
	log_msg(LOG_WARNING, "staff %s locked until %s after %d wrong PINs (lockout %d in a row, "
		"%d minutes)", who->staff_no, until, failures, level, minutes);
	char local[CLOCK_ISO_LEN];
	int64_t ms;
	who->failures = failures;
	snprintf(who->locked_until, sizeof who->locked_until, "%s", until);
	clock_parse_iso(until, &ms);
	return fc_error_set(err, FC_ERR_LOCKED, "too many wrong PINs: staff %s is locked until %s",
			    who->staff_no, clock_format_local(ms, local));
}

/* The Argon2id run of a PIN check for a number with no PIN to check. */
static void login_burn_pin(const fc_config *cfg, const char *pin)
{
	unsigned char *pepper = sodium_malloc(PIN_PEPPER_MAX);
	size_t len = 0;
	if (!pepper)
		return;
	if (pin_load_pepper(cfg->auth_pepper_file, false, pepper, &len, NULL) != FC_OK)
		len = 0;
	pin_verify_none(pin, pepper, len);
	sodium_free(pepper);
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
	if (who->failures >= cfg->auth_max_failures) /* a member locked out before */
		log_msg(LOG_NOTICE, "staff %s logged in after %d wrong PINs", who->staff_no,
			who->failures);
	if (!s)
		s = audit_record_event(db, cfg->station_id, who->id, "login", detail, err);
	s = db_finish(db, s, err);
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
		/* as long and the same answer as a wrong PIN: nothing tells who exists */
		login_burn_pin(cfg, pin);
		memset(who, 0, sizeof *who);
		const char *no = staff_no ? staff_no : "";
		snprintf(detail, sizeof detail, "unknown or disabled staff number '%.*s'",
			 text_check_cut(no, 40), no);
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
	unsigned char *pepper = sodium_malloc(PIN_PEPPER_MAX);
	char *hash = sodium_malloc(PIN_HASH_LEN);
	size_t pepper_len = 0;
	if (!pepper || !hash) {
		sodium_free(pepper);
		sodium_free(hash);
		return fc_error_set(err, FC_ERR_NOMEM, "no memory to check the PIN");
	}
	s = pin_load_pepper(cfg->auth_pepper_file, false, pepper, &pepper_len, err);
	bool ok = !s && staff_pin_hash(db, who->id, hash) &&
		  pin_verify(hash, pin, pepper, pepper_len);
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
