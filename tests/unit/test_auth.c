/* test_auth.c — Argon2id PIN hashes with a pepper, the pepper file's mode,
 * the first-admin rule, PIN lengths by role, lockout that survives
 * re-opening the database and escalates (logged), a wrong staff number
 * answered like a wrong PIN, and that no PIN or hash reaches the audit log
 * or the outbox. */
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>

/* The log sink: log_msg's vsyslog lands here (this definition wins over
 * libc's in this program), so a test reads what went to syslog. */
static char logged[8192];

void vsyslog(int priority, const char *fmt, va_list ap)
{
	size_t used = strlen(logged);
	(void)priority;
	if (used + 2 < sizeof logged) {
		vsnprintf(logged + used, sizeof logged - used - 1, fmt, ap);
		strncat(logged, "\n", sizeof logged - strlen(logged) - 1);
	}
}

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
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "H1", "Wang", ROLE_HEAD, "123456", NULL, &err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "first staff member must be an admin"));
	assert_int_equal(staff_count(fx->db), 0);
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "999999", &admin, &err),
			 FC_OK);
	/* later additions need an admin as the actor */
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "H1", "Wang", ROLE_HEAD, "123456", NULL, &err),
			 FC_ERR_AUTH);
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "H1", "Wang", ROLE_HEAD, "123456", &head,
				   &err),
			 FC_OK);
	assert_int_equal(staff_add(fx->db, &fx->cfg, head, "T1", "Zhao", ROLE_ATTENDANT, "1111",
				   NULL, &err),
			 FC_ERR_AUTH);
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "H1", "Again", ROLE_HEAD, "123456", NULL,
				   &err),
			 FC_ERR_EXISTS);
	assert_int_equal(staff_disable(fx->db, &fx->cfg, admin, "A1", &err), FC_ERR_CONFLICT);
	assert_int_equal(staff_count(fx->db), 2);
}

static void lockout_persists_across_reopen(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_staff who;
	int64_t admin;
	setenv("FORECOURT_NOW", "2026-03-02T01:00:00Z", 1);
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "999999", &admin, &err),
			 FC_OK);
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "H1", "Wang", ROLE_HEAD, "246824", NULL,
				   &err),
			 FC_OK);
	for (int i = 1; i < fx->cfg.auth_max_failures; i++) {
		assert_int_equal(auth_login(fx->db, &fx->cfg, "H1", "0000", ROLE_ATTENDANT, &who, &err),
				 FC_ERR_AUTH);
		assert_int_equal(who.id, 0); /* nothing tells a wrong PIN from a wrong number */
		assert_string_equal(err.msg, "wrong staff number or PIN");
		assert_int_equal(tu_int64(fx->db, "SELECT failures FROM staff WHERE staff_no = 'H1'"), i);
	}
	assert_int_equal(auth_login(fx->db, &fx->cfg, "H1", "0000", ROLE_ATTENDANT, &who, &err),
			 FC_ERR_LOCKED);
	assert_non_null(strstr(err.msg, "locked until"));
	assert_string_equal(who.locked_until, "2026-03-02T01:30:00Z");

	/* a restart: the lock is read back from the file, the right PIN is refused */
	db_close(fx->db);
	assert_int_equal(db_open(fx->db_path, DB_OPEN_EXISTING, &fx->db, &err), FC_OK);
	setenv("FORECOURT_NOW", "2026-03-02T01:29:00Z", 1);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "H1", "246824", ROLE_ATTENDANT, &who, &err),
			 FC_ERR_LOCKED);
	/* after the lockout the right PIN works and the counter is clear */
	setenv("FORECOURT_NOW", "2026-03-02T01:31:00Z", 1);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "H1", "246824", ROLE_HEAD, &who, &err), FC_OK);
	assert_int_equal(who.role, ROLE_HEAD);
	assert_int_equal(tu_int64(fx->db, "SELECT failures FROM staff WHERE staff_no = 'H1'"), 0);
	/* a head is not an admin */
	assert_int_equal(auth_login(fx->db, &fx->cfg, "H1", "246824", ROLE_ADMIN, &who, &err),
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
					  "instr(payload, pin_hash) OR instr(payload, '246824') OR "
					  "instr(payload, '$argon2')"),
			 0);
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM audit WHERE "
					  "instr(detail, '246824') OR instr(detail, '$argon2')"),
			 0);
}

static void reset_pin_unlocks(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_staff who;
	int64_t admin;
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "999999", &admin, &err),
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

static void pins_of_heads_and_admins_have_six_digits(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_staff who;
	int64_t admin;
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "12345", &admin,
				   &err),
			 FC_ERR_INVALID);
	assert_string_equal(err.msg, "an admin's PIN is 6 to 12 digits");
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "123456", &admin,
				   &err),
			 FC_OK);
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "H1", "Wang", ROLE_HEAD, "2468", NULL,
				   &err),
			 FC_ERR_INVALID);
	assert_string_equal(err.msg, "a head's PIN is 6 to 12 digits");
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "T1", "Zhao", ROLE_ATTENDANT, "1357",
				   NULL, &err),
			 FC_OK); /* an attendant keeps 4 */
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "H1", "Wang", ROLE_HEAD, "246824", NULL,
				   &err),
			 FC_OK);
	assert_int_equal(staff_reset_pin(fx->db, &fx->cfg, admin, "H1", "2468", &err),
			 FC_ERR_INVALID);
	/* promoted to head: only with a new PIN of 6 digits, set with the role */
	bool changed;
	assert_int_equal(staff_set_role(fx->db, &fx->cfg, admin, "T1", ROLE_HEAD, NULL, &changed,
					&err),
			 FC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "new PIN of at least 6 digits"));
	assert_int_equal(staff_set_role(fx->db, &fx->cfg, admin, "T1", ROLE_HEAD, "1357", &changed,
					&err),
			 FC_ERR_INVALID);
	assert_int_equal(tu_int64(fx->db, "SELECT role = 'attendant' FROM staff WHERE staff_no = 'T1'"),
			 1);
	assert_int_equal(staff_set_role(fx->db, &fx->cfg, admin, "T1", ROLE_HEAD, "135799", &changed,
					&err),
			 FC_OK);
	assert_true(changed);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "T1", "1357", ROLE_HEAD, &who, &err),
			 FC_ERR_AUTH);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "T1", "135799", ROLE_HEAD, &who, &err), FC_OK);
	/* back to attendant: no PIN needed, the PIN stays */
	assert_int_equal(staff_set_role(fx->db, &fx->cfg, admin, "T1", ROLE_ATTENDANT, NULL,
					&changed, &err),
			 FC_OK);
	assert_int_equal(auth_login(fx->db, &fx->cfg, "T1", "135799", ROLE_ATTENDANT, &who, &err),
			 FC_OK);
}

/* CPU seconds this process has used. */
static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void wrong_number_answers_like_wrong_pin(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_staff who;
	int64_t admin;
	char wrong_pin[sizeof err.msg], wrong_no[sizeof err.msg];
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "999999", &admin,
				   &err),
			 FC_OK);
	double t0 = cpu_seconds();
	assert_int_equal(auth_login(fx->db, &fx->cfg, "A1", "000000", ROLE_ATTENDANT, &who, &err),
			 FC_ERR_AUTH);
	double pin_cost = cpu_seconds() - t0;
	snprintf(wrong_pin, sizeof wrong_pin, "%s", err.msg);
	assert_int_equal(who.id, 0);
	t0 = cpu_seconds();
	assert_int_equal(auth_login(fx->db, &fx->cfg, "A9", "000000", ROLE_ATTENDANT, &who, &err),
			 FC_ERR_AUTH);
	double number_cost = cpu_seconds() - t0;
	snprintf(wrong_no, sizeof wrong_no, "%s", err.msg);
	/* the same words, and the same Argon2id work (CPU time, not wall clock:
	 * a loaded machine slows both alike; without the work a wrong number
	 * costs a database read, a hundred times less) */
	assert_string_equal(wrong_pin, wrong_no);
	assert_string_equal(wrong_no, "wrong staff number or PIN");
	/* a long number in Chinese: the audit row cuts it on a character, the
	 * answer is the same */
	assert_int_equal(auth_login(fx->db, &fx->cfg, "张三张三张三张三张三张三张三张三张三张三张三张三张三",
				    "000000", ROLE_ATTENDANT, &who, &err),
			 FC_ERR_AUTH);
	assert_string_equal(err.msg, "wrong staff number or PIN");
	print_message("# wrong PIN %.3f s CPU, wrong staff number %.3f s CPU\n", pin_cost,
		      number_cost);
	assert_true(number_cost * 3 >= pin_cost);
}

static void lockouts_escalate_and_are_logged(void **state)
{
	fixture *fx = *state;
	fc_error err;
	fc_staff who;
	int64_t admin;
	char now[CLOCK_ISO_LEN];
	/* 30 min, then twice as long each time in a row, at most a day */
	assert_int_equal(auth_lockout_minutes(&fx->cfg, 1), 30);
	assert_int_equal(auth_lockout_minutes(&fx->cfg, 2), 60);
	assert_int_equal(auth_lockout_minutes(&fx->cfg, 3), 120);
	assert_int_equal(auth_lockout_minutes(&fx->cfg, 7), 1440);
	assert_int_equal(auth_lockout_minutes(&fx->cfg, 40), 1440);

	setenv("FORECOURT_NOW", "2026-03-02T01:00:00Z", 1);
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "999999", &admin,
				   &err),
			 FC_OK);
	assert_int_equal(staff_add(fx->db, &fx->cfg, admin, "T1", "Zhao", ROLE_ATTENDANT, "1357",
				   NULL, &err),
			 FC_OK);
	logged[0] = '\0';
	int64_t t = clock_now_ms();
	const int expect[] = { 30, 60, 120 };
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < fx->cfg.auth_max_failures; i++)
			auth_login(fx->db, &fx->cfg, "T1", "0000", ROLE_ATTENDANT, &who, &err);
		assert_int_equal(err.code, FC_ERR_LOCKED);
		int64_t until;
		assert_true(clock_parse_iso(who.locked_until, &until));
		assert_int_equal((until - t) / 60000, expect[round]);
		/* the lock passes: the clock moves past it */
		t = until + 60000;
		setenv("FORECOURT_NOW", clock_format_iso(t, now), 1);
	}
	/* each lockout is logged: who, until when, the how-many-th */
	assert_non_null(strstr(logged, "staff T1 locked until"));
	assert_non_null(strstr(logged, "(lockout 3 in a row, 120 minutes)"));
	assert_null(strstr(logged, "0000"));
	assert_int_equal(tu_int64(fx->db, "SELECT count(*) FROM audit WHERE action = 'lockout'"), 3);
	/* a good PIN ends the run: the next lockout is 30 minutes again */
	assert_int_equal(auth_login(fx->db, &fx->cfg, "T1", "1357", ROLE_ATTENDANT, &who, &err),
			 FC_OK);
	for (int i = 0; i < fx->cfg.auth_max_failures; i++)
		auth_login(fx->db, &fx->cfg, "T1", "0000", ROLE_ATTENDANT, &who, &err);
	int64_t until;
	assert_true(clock_parse_iso(who.locked_until, &until));
	assert_int_equal((until - t) / 60000, 30);
	unsetenv("FORECOURT_NOW");
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
		cmocka_unit_test_setup_teardown(pins_of_heads_and_admins_have_six_digits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(wrong_number_answers_like_wrong_pin, setup, teardown),
		cmocka_unit_test_setup_teardown(lockouts_escalate_and_are_logged, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
