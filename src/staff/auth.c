/* auth.c — logins by staff number and PIN, with a lockout counter that
 * lives in the staff table (so it survives restarts). */
#include "staff/auth.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
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
	s = db_finish(db, s, err);
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
