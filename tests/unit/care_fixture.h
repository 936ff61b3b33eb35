/* care_fixture.h — the database the care tests share (test_care.c,
 * test_complaint.c): a real file, the clock fixed, admin A1, head H1 and
 * attendant T1 with PINs; each test file adds its own customers. */
#ifndef FC_CARE_FIXTURE_H
#define FC_CARE_FIXTURE_H

#include "testutil.h"

#include <sodium.h>
#include <time.h>

#include "store/db.h"
#include "staff/staff.h"

typedef struct fixture {
	char *dir;
	sqlite3 *db;
	fc_config cfg;
	int64_t admin, head, attendant;
} fixture;

/* A fresh fixture at now_iso (UTC; the station in CST-8), staff added, then
 * sql (the test file's customers and holidays) run on it. */
static inline int care_fixture_setup(void **state, const char *now_iso, const char *sql)
{
	fixture *fx = calloc(1, sizeof *fx);
	char path[4096];
	fc_error err;
	assert_true(sodium_init() >= 0);
	setenv("TZ", "CST-8", 1);
	tzset();
	setenv("FORECOURT_NOW", now_iso, 1);
	fx->dir = tu_tempdir();
	config_defaults(&fx->cfg);
	tu_path(fx->cfg.auth_pepper_file, fx->dir, "pepper");
	assert_int_equal(db_open(tu_path(path, fx->dir, "c.db"), DB_OPEN_CREATE, &fx->db, &err), FC_OK);
	assert_int_equal(staff_add(fx->db, &fx->cfg, 0, "A1", "Li", ROLE_ADMIN, "999999", &fx->admin, &err), FC_OK);
	assert_int_equal(staff_add(fx->db, &fx->cfg, fx->admin, "H1", "Wang", ROLE_HEAD, "246824", &fx->head, &err), FC_OK);
	assert_int_equal(staff_add(fx->db, &fx->cfg, fx->admin, "T1", "Zhao", ROLE_ATTENDANT, "1357", &fx->attendant, &err), FC_OK);
	tu_exec(fx->db, sql);
	*state = fx;
	return 0;
}

static inline int teardown(void **state)
{
	fixture *fx = *state;
	unsetenv("FORECOURT_NOW");
	db_close(fx->db);
	tu_rmdir(fx->dir);
	free(fx);
	return 0;
}

#endif
