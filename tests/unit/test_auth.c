/* test_auth.c — Argon2id PIN hashes with a pepper, the pepper file's mode,
 * the first-admin rule, lockout that survives re-opening the database, and
 * that no PIN or hash reaches the audit log or the outbox. */
#include "testutil.h"

#include <sys/stat.h>
#include <time.h>

#include "store/audit.h"
#include "staff/auth.h"
#include "staff/pin.h"
#include "base/clock.h"
#include "store/db.h"
#include "staff/staff.h"

typedef struct fixture {
	char *dir;
	char db_path[4096];
	sqlite3 *db;
	fc_config cfg;
} fixture;

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	fc_error err;
	assert_true(sodium_init() >= 0);
	unsetenv("FORECOURT_NOW");
	fx->dir = tu_tempdir();
	config_defaults(&fx->cfg);
	tu_path(fx->cfg.auth_pepper_file, fx->dir, "pepper");
	assert_int_equal(db_open(tu_path(fx->db_path, fx->dir, "a.db"), DB_OPEN_CREATE, &fx->db,
				 &err),
			 FC_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	unsetenv("FORECOURT_NOW");
	db_close(fx->db);
	tu_rmdir(fx->dir);
	free(fx);
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void hash_verifies_and_pepper_matters(void **state)
{
	(void)state;
	unsigned char pepper[32], other[32];
	char hash[PIN_HASH_LEN];
	fc_error err;
	memset(pepper, 0xA5, sizeof pepper);
	memset(other, 0x5A, sizeof other);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pin_hash("4711", pepper, sizeof pepper, hash, &err), FC_OK);
	double secs = seconds_since(&t0);
	printf("# Argon2id INTERACTIVE (ops %llu, mem %zu MiB) hash of a PIN: %.3f s\n",
	       (unsigned long long)crypto_pwhash_OPSLIMIT_INTERACTIVE,
	       (size_t)(crypto_pwhash_MEMLIMIT_INTERACTIVE >> 20), secs);
	assert_non_null(strstr(hash, "$argon2id$"));
	assert_null(strstr(hash, "4711"));
	assert_true(pin_verify(hash, "4711", pepper, sizeof pepper));
	assert_false(pin_verify(hash, "4712", pepper, sizeof pepper));
	assert_false(pin_verify(hash, "4711", other, sizeof other)); /* pepper matters */
	assert_int_equal(crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
							crypto_pwhash_MEMLIMIT_INTERACTIVE),
			 0);
	assert_int_equal(pin_hash("12a4", pepper, sizeof pepper, hash, &err), FC_ERR_INVALID);
	assert_int_equal(pin_hash("123", pepper, sizeof pepper, hash, &err), FC_ERR_INVALID);
}

static void pepper_file_is_made_0600_and_open_one_refused(void **state)
{
	fixture *fx = *state;
	unsigned char pepper[PIN_PEPPER_MAX], again[PIN_PEPPER_MAX];
	size_t len = 0, len2 = 0;
	fc_error err;
	assert_int_equal(pin_load_pepper(fx->cfg.auth_pepper_file, false, pepper, &len, &err),
			 FC_ERR_NOT_FOUND);
	assert_int_equal(pin_load_pepper(fx->cfg.auth_pepper_file, true, pepper, &len, &err),
			 FC_OK);
	assert_int_equal(len, 32);
	struct stat sb;
	assert_int_equal(stat(fx->cfg.auth_pepper_file, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(pin_load_pepper(fx->cfg.auth_pepper_file, true, again, &len2, &err),
			 FC_OK);
	assert_memory_equal(pepper, again, 32); /* kept, not replaced */
	assert_int_equal(chmod(fx->cfg.auth_pepper_file, 0640), 0);
	assert_int_equal(pin_load_pepper(fx->cfg.auth_pepper_file, false, pepper, &len, &err),
			 FC_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "mode 0640"));
}

static void first_staff_must_be_admin(void **state)
{
	fixture *fx = *state;
	fc_error err;
	int64_t admin = 0, head = 0;
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "H1", "Wang", ROLE_HEAD, "1234", NULL, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "first staff member must be an admin"));
	assert_int_equal(staff_count(fx->db), 0);
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "9999", &admin, &err),
			 FC_OK);
	/* later additions need an admin as the actor */
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "H1", "Wang", ROLE_HEAD, "1234", NULL, &err),
			 FC_ERR_AUTH);
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "H1", "Wang", ROLE_HEAD, "1234", &head,
				   &err),
			 FC_OK);
	assert_int_equal(staff_add(fx->db, &fx->cfg, head, "T1", "Zhao", ROLE_ATTENDANT, "1111",
				   NULL, &err),
			 FC_ERR_AUTH);
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "H1", "Again", ROLE_HEAD, "1234", NULL,
				   &err),
			 FC_ERR_EXISTS);
	assert_int_equal(staff_disable(fx->db, &fx->cfg, admin, "A1", &err), FC_ERR_INVALID);
	assert_int_equal(staff_count(fx->db), 2);
}

static void lockout_persists_across_reopen(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_staff who;
	int64_t admin;
	setenv("FORECOURT_NOW", "2026-03-02T01:00:00Z", 1);
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "9999", &admin, &err),
			 FC_OK);
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "H1", "Wang", ROLE_HEAD, "2468", NULL,
				   &err),
			 FC_OK);
	for (int i = 1; i < fx->cfg.auth_max_failures; i++) {
		assert_int_equal(auth_login(fx->db, &fx->cfg, "H1", "0000", ROLE_ATTENDANT, &who, &err),
				 FC_ERR_AUTH);
		assert_int_equal(who.failures, i);
	}
	assert_int_equal(auth_login(fx->db, &fx->cfg, "H1", "0000", ROLE_ATTENDANT, &who, &err),
			 FC_ERR_LOCKED);
	assert_non_null(strstr(err.msg, "locked until"));
	assert_string_equal(who.locked_until, "2026-03-02T01:30:00Z");

	/* a restart: the lock is read back from the file, the right PIN is refused */
	db_close(fx->db);
	assert_int_equal(db_open(fx->db_path, DB_OPEN_EXISTING, &fx->db, &err), FC_OK);
	setenv("FORECOURT_NOW", "2026-03-02T01:29:00Z", 1);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "H1", "2468", ROLE_ATTENDANT, &who, &err),
			 FC_ERR_LOCKED);
	/* after the lockout the right PIN works and the counter is clear */
	setenv("FORECOURT_NOW", "2026-03-02T01:31:00Z", 1);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "H1", "2468", ROLE_HEAD, &who, &err), FC_OK);
	assert_int_equal(who.role, ROLE_HEAD);
	assert_int_equal(tu_int64(fx->db, "SELECT failures FROM staff WHERE staff_no = 'H1'"), 0);
	/* a head is not an admin */
	assert_int_equal(auth_login(fx->db, &fx->cfg, "H1", "2468", ROLE_ADMIN, &who, &err),
			 FC_ERR_AUTH);

	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM audit WHERE action = 'login_failed'"),
			 fx->cfg.auth_max_failures);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM audit WHERE action = 'lockout'"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM audit WHERE action = 'login_locked'"),
			 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'audit'"),
			 tu_int64(fx->db, "SELECT count(*) FROM audit"));
	/* no PIN, no hash in the audit log or the upload queue */
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox, staff WHERE "
					  "instr(payload, pin_hash) OR instr(payload, '2468') OR "
					  "instr(payload, '$argon2')"),
			 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM audit WHERE "
					  "instr(detail, '2468') OR instr(detail, '$argon2')"),
			 0);
}

static void reset_pin_unlocks(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_staff who;
	int64_t admin;
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "9999", &admin, &err),
			 FC_OK);
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "T1", "Zhao", ROLE_ATTENDANT, "1357",
				   NULL, &err),
			 FC_OK);
	for (int i = 0; i < fx->cfg.auth_max_failures; i++)
		auth_login(fx->db, &fx->cfg, "T1", "0000", ROLE_ATTENDANT, &who, &err);
	assert_int_equal(err.code, FC_ERR_LOCKED);
	assert_int_equal(staff_reset_pin(fx->db, &fx->cfg, admin, "T1", "8642", &err), FC_OK);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "T1", "1357", ROLE_ATTENDANT, &who, &err),
			 FC_ERR_AUTH);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "T1", "8642", ROLE_ATTENDANT, &who, &err),
			 FC_OK);
	assert_int_equal(staff_disable(fx->db, &fx->cfg, admin, "T1", &err), FC_OK);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "T1", "8642", ROLE_ATTENDANT, &who, &err),
			 FC_ERR_AUTH);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "NOBODY", "8642", ROLE_ATTENDANT, &who, &err),
			 FC_ERR_AUTH);
}

static void config_changes_are_audited(void **state)
{
	fixture *fx = *state;
	char path[4096];
	bool changed;
	fc_error err;
	tu_write(path, fx->dir, "fc.conf", "[auth]\nmax_failures = 5\n");
	assert_int_equal(audit_note_config(fx->db, "S1", path, &changed, &err), FC_OK);
	assert_false(changed); /* first start: only noted */
	assert_int_equal(audit_note_config(fx->db, "S1", path, &changed, &err), FC_OK);
	assert_false(changed); /* same file: nothing */
	tu_write(path, fx->dir, "fc.conf", "[auth]\nmax_failures = 50\n");
	assert_int_equal(audit_note_config(fx->db, "S1", path, &changed, &err), FC_OK);
	assert_true(changed);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM audit WHERE action = 'config_change'"), 1);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM outbox WHERE type = 'audit' AND "
					  "json_extract(payload, '$.data.action') = 'config_change'"), 1);
	assert_int_equal(audit_note_config(fx->db, "S1", "/nonexistent/fc.conf", &changed, &err),
			 FC_ERR_IO);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_verifies_and_pepper_matters),
		cmocka_unit_test_setup_teardown(pepper_file_is_made_0600_and_open_one_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(first_staff_must_be_admin, setup, teardown),
		cmocka_unit_test_setup_teardown(lockout_persists_across_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(reset_pin_unlocks, setup, teardown),
		cmocka_unit_test_setup_teardown(config_changes_are_audited, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
