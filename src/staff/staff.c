/* staff.c — the staff table: lookup, listing and the audited admin actions
 * (add, change role, disable, reset PIN), each change of who works here
 * queued for head office (staff_changed).  PIN hashing is auth.c's. */
#include "staff/staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_check.h"
#include "staff/pin.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/record.h"

#define STAFF_COLUMNS "id, staff_no, name, role, active, failures, locked_until"

static void staff_from_row(sqlite3_stmt *st, fc_staff *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->staff_no, sizeof out->staff_no, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(out->name, sizeof out->name, "%s", (const char *)sqlite3_column_text(st, 2));
	if (!role_parse((const char *)sqlite3_column_text(st, 3), &out->role))
		out->role = ROLE_ATTENDANT;
	out->active = sqlite3_column_int(st, 4) != 0;
	out->failures = sqlite3_column_int(st, 5);
	if (sqlite3_column_text(st, 6))
		snprintf(out->locked_until, sizeof out->locked_until, "%s",
			 (const char *)sqlite3_column_text(st, 6));
}

static fc_status staff_query_one(sqlite3 *db, const char *sql, const char *no, int64_t id,
				 fc_staff *out, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, sql, &st, err);
	if (s)
		return s;
	if (no)
		sqlite3_bind_text(st, 1, no, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		staff_from_row(st, out);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return FC_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the staff list", err);
	if (no)
		return fc_error_set(err, FC_ERR_NOT_FOUND, "no staff member '%.40s'", no);
	return fc_error_set(err, FC_ERR_NOT_FOUND, "no staff member with id %lld", (long long)id);
}

fc_status staff_find(sqlite3 *db, const char *staff_no, fc_staff *out, fc_error *err)
{
	return staff_query_one(db, "SELECT " STAFF_COLUMNS " FROM staff WHERE staff_no = ?",
			       staff_no ? staff_no : "", 0, out, err);
}

fc_status staff_find_id(sqlite3 *db, int64_t id, fc_staff *out, fc_error *err)
{
	return staff_query_one(db, "SELECT " STAFF_COLUMNS " FROM staff WHERE id = ?", NULL, id,
			       out, err);
}

int staff_count(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = -1;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM staff", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

fc_status staff_list(sqlite3 *db, fc_staff **rows, size_t *count, fc_error *err)
{
	sqlite3_stmt *st;
	*rows = NULL;
	*count = 0;
	fc_status s = db_prepare(db, "SELECT " STAFF_COLUMNS " FROM staff ORDER BY staff_no", &st,
				 err);
	if (s)
		return s;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			fc_staff *grown = realloc(*rows, cap * sizeof **rows);
			if (!grown) {
				rc = SQLITE_NOMEM;
				break;
			}
			*rows = grown;
		}
		staff_from_row(st, &(*rows)[(*count)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*rows);
		*rows = NULL;
		*count = 0;
		return db_fail(db, rc, "reading the staff list", err);
	}
	return FC_OK;
}

bool staff_role_allows(fc_role role, fc_role need)
{
	return (int)role >= (int)need; /* ROLE_ATTENDANT < ROLE_HEAD < ROLE_ADMIN */
}

fc_status staff_require_role(sqlite3 *db, int64_t staff_id, fc_role need, fc_error *err)
{
	fc_staff actor;
	if (staff_id <= 0)
		return fc_error_set(err, FC_ERR_AUTH, "a %s must log in for this", role_key(need));
	fc_status s = staff_find_id(db, staff_id, &actor, err);
	if (s)
		return s;
	if (!actor.active || !staff_role_allows(actor.role, need))
		return fc_error_set(err, FC_ERR_AUTH, "staff %s is not a%s %s", actor.staff_no,
				    need == ROLE_ATTENDANT || need == ROLE_ADMIN ? "n" : "",
				    role_key(need));
	return FC_OK;
}

/* The actor of an admin action must be an active admin. */
static fc_status staff_require_admin(sqlite3 *db, int64_t actor_id, fc_error *err)
{
	return staff_require_role(db, actor_id, ROLE_ADMIN, err);
}

/* Hash a new PIN with the pepper (made when missing and create is set). */
static fc_status staff_hash_new_pin(const fc_config *cfg, const char *pin, fc_role role,
				    bool create, char *hash, fc_error *err)
{
	fc_status ps = pin_check_new(pin, role, err);
	if (ps)
		return ps;
	unsigned char *pepper = sodium_malloc(PIN_PEPPER_MAX);
	size_t len = 0;
	if (!pepper)
		return fc_error_set(err, FC_ERR_NOMEM, "no memory for the pepper");
	fc_status s = pin_load_pepper(cfg->auth_pepper_file, create, pepper, &len, err);
	if (!s)
		s = pin_hash(pin, pepper, len, hash, err);
	sodium_free(pepper);
	return s;
}

/* Run one UPDATE/INSERT with text/int parameters ("t" text, "i" int64). */
static fc_status staff_exec(sqlite3 *db, const char *sql, const char *types, const void **args,
			    const char *doing, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, sql, &st, err);
	if (s)
		return s;
	for (int i = 0; types[i]; i++) {
		if (types[i] == 't')
			sqlite3_bind_text(st, i + 1, (const char *)args[i], -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, i + 1, *(const int64_t *)args[i]);
	}
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, doing, err);
}

/* Inside the caller's transaction: the staff_changed record of member id
 * as it is after the change (head office keeps each station's staff to
 * name owners), then the audited event action/detail. */
static fc_status staff_changed_save(sqlite3 *db, const fc_config *cfg, int64_t actor_id,
				    int64_t id, const char *name, fc_role role, bool active,
				    const char *action, const char *detail, fc_error *err)
{
	fc_record rec;
	fc_status s = record_init(&rec, "staff_changed", err);
	if (!s)
		s = record_save(db, &rec, cfg->station_id, actor_id,
				json_pack("{s:I, s:s, s:s, s:b}", "staff", (json_int_t)id, "name",
					  name, "role", role_key(role), "active", active),
				NULL, NULL, err);
	if (!s)
		s = audit_record_event(db, cfg->station_id, actor_id, action, detail, err);
	return s;
}

/* FC_ERR_CONFLICT when who is the last active admin (action: what would
 * take that away, for the message). */
static fc_status staff_keep_an_admin(sqlite3 *db, const fc_staff *who, const char *action,
				     fc_error *err)
{
	if (who->role != ROLE_ADMIN || !who->active)
		return FC_OK;
	int64_t admins = 0;
	fc_status s = db_query_int64(db, "SELECT count(*) FROM staff WHERE role = 'admin' AND "
				     "active = 1", &admins, err);
	if (s)
		return s;
	if (admins <= 1)
		return fc_error_set(err, FC_ERR_CONFLICT,
				    "%s is the last active admin: add another admin before %s",
				    who->staff_no, action);
	return FC_OK;
}

fc_status staff_add(sqlite3 *db, const fc_config *cfg, int64_t actor_id, const char *staff_no,
		    const char *name, fc_role role, const char *pin, int64_t *new_id,
		    fc_error *err)
{
	if (!staff_no || !*staff_no || strlen(staff_no) >= sizeof((fc_staff *)0)->staff_no ||
	    strspn(staff_no, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
		    strlen(staff_no))
		return fc_error_set(err, FC_ERR_INVALID,
				    "a staff number is 1 to 31 letters, digits, '-' or '_'");
	if (!name || !*name)
		return fc_error_set(err, FC_ERR_INVALID, "the name is empty");
	fc_status ts = text_check_field("name", name, err);
	if (ts)
		return ts;
	int n = staff_count(db);
	if (n < 0)
		return fc_error_set(err, FC_ERR_DB, "cannot count the staff");
	if (n == 0 && role != ROLE_ADMIN)
		return fc_error_set(err, FC_ERR_INVALID,
				    "the first staff member must be an admin (role admin)");
	fc_status s = n == 0 ? FC_OK : staff_require_admin(db, actor_id, err);
	if (s)
		return s;
	fc_staff existing;
	if (staff_find(db, staff_no, &existing, NULL) == FC_OK)
		return fc_error_set(err, FC_ERR_EXISTS, "staff number '%s' is taken", staff_no);
	char hash[PIN_HASH_LEN];
	s = staff_hash_new_pin(cfg, pin, role, true, hash, err);
	if (s)
		return s;
	char now[CLOCK_ISO_LEN], detail[256];
	clock_now_iso(now);
	const void *args[] = { staff_no, name, role_key(role), hash, now, now };
	s = db_begin(db, err);
	if (s)
		return s;
	s = staff_exec(db,
		       "INSERT INTO staff(staff_no, name, role, pin_hash, created_at, updated_at) "
		       "VALUES(?, ?, ?, ?, ?, ?)",
		       "tttttt", args, "adding the staff member", err);
	sodium_memzero(hash, sizeof hash);
	int64_t id = sqlite3_last_insert_rowid(db);
	snprintf(detail, sizeof detail, "added staff %s (%s)", staff_no, role_key(role));
	if (!s)
		s = staff_changed_save(db, cfg, actor_id ? actor_id : id, id, name, role, true,
				       "staff_add", detail, err);
	s = db_finish(db, s, err);
	if (!s && new_id)
		*new_id = id;
	return s;
}

fc_status staff_disable(sqlite3 *db, const fc_config *cfg, int64_t actor_id,
			const char *staff_no, fc_error *err)
{
	fc_staff who;
	fc_status s = staff_require_admin(db, actor_id, err);
	if (!s)
		s = staff_find(db, staff_no, &who, err);
	if (!s)
		s = staff_keep_an_admin(db, &who, "disabling this one", err);
	if (s)
		return s;
	char now[CLOCK_ISO_LEN], detail[128];
	clock_now_iso(now);
	const void *args[] = { now, &who.id };
	snprintf(detail, sizeof detail, "disabled staff %s", who.staff_no);
	s = db_begin(db, err);
	if (s)
		return s;
	s = staff_exec(db, "UPDATE staff SET active = 0, updated_at = ? WHERE id = ?", "ti", args,
		       "disabling the staff member", err);
	if (!s)
		s = staff_changed_save(db, cfg, actor_id, who.id, who.name, who.role, false,
				       "staff_disable", detail, err);
	return db_finish(db, s, err);
}

bool staff_role_needs_pin(fc_role from, fc_role to)
{
	return from == ROLE_ATTENDANT && (to == ROLE_HEAD || to == ROLE_ADMIN);
}

fc_status staff_set_role(sqlite3 *db, const fc_config *cfg, int64_t actor_id,
			 const char *staff_no, fc_role role, const char *pin, bool *changed,
			 fc_error *err)
{
	fc_staff who;
	if (changed)
		*changed = false;
	if ((unsigned)role >= ROLE_COUNT)
		return fc_error_set(err, FC_ERR_INVALID, "role: attendant, head or admin");
	fc_status s = staff_require_admin(db, actor_id, err);
	if (!s)
		s = staff_find(db, staff_no, &who, err);
	if (s || who.role == role)
		return s;
	if (role != ROLE_ADMIN)
		s = staff_keep_an_admin(db, &who, "changing its role", err);
	if (s)
		return s;
	char hash[PIN_HASH_LEN] = "";
	if (staff_role_needs_pin(who.role, role)) {
		if (!pin)
			return fc_error_set(err, FC_ERR_INVALID, "a %s needs a new PIN of at least %d "
					    "digits", role_key(role), PIN_MIN_DIGITS_HEAD);
		s = staff_hash_new_pin(cfg, pin, role, false, hash, err);
		if (s)
			return s;
	}
	char now[CLOCK_ISO_LEN], detail[128];
	clock_now_iso(now);
	const void *args[] = { role_key(role), now, hash, &who.id };
	snprintf(detail, sizeof detail, "staff %s: role %s -> %s%s", who.staff_no,
		 role_key(who.role), role_key(role), hash[0] ? ", new PIN" : "");
	s = db_begin(db, err);
	if (s)
		return s;
	s = staff_exec(db, "UPDATE staff SET role = ?1, updated_at = ?2, pin_hash = "
		       "coalesce(nullif(?3, ''), pin_hash) WHERE id = ?4", "ttti", args,
		       "changing the role", err);
	sodium_memzero(hash, sizeof hash);
	if (!s)
		s = staff_changed_save(db, cfg, actor_id, who.id, who.name, role, who.active,
				       "staff_role", detail, err);
	s = db_finish(db, s, err);
	if (!s && changed)
		*changed = true;
	return s;
}

fc_status staff_reset_pin(sqlite3 *db, const fc_config *cfg, int64_t actor_id,
			  const char *staff_no, const char *pin, fc_error *err)
{
	fc_staff who;
	fc_status s = staff_require_admin(db, actor_id, err);
	if (!s)
		s = staff_find(db, staff_no, &who, err);
	if (s)
		return s;
	char hash[PIN_HASH_LEN];
	s = staff_hash_new_pin(cfg, pin, who.role, false, hash, err);
	if (s)
		return s;
	char now[CLOCK_ISO_LEN], detail[128];
	clock_now_iso(now);
	const void *args[] = { hash, now, &who.id };
	snprintf(detail, sizeof detail, "reset the PIN of staff %s", who.staff_no);
	s = db_begin(db, err);
	if (s)
		return s;
	s = staff_exec(db,
		       "UPDATE staff SET pin_hash = ?, failures = 0, locked_until = NULL, "
		       "updated_at = ? WHERE id = ?",
		       "tti", args, "setting the PIN", err);
	sodium_memzero(hash, sizeof hash);
	if (!s)
		s = audit_record_event(db, cfg->station_id, actor_id, "staff_reset_pin", detail,
				       err);
	return db_finish(db, s, err);
}
