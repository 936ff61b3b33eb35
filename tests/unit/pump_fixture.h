/* pump_fixture.h — the database the pump tests share: five customers, one
 * per kind of swipe (green lane, discount, lost, potential, blocked). */
#ifndef FC_PUMP_FIXTURE_H
#define FC_PUMP_FIXTURE_H

#include "testutil.h"

#include <time.h>

#include "store/db.h"
#include "pump/lookup.h"
#include "pump/redeem.h"
#include "pump/register.h"
#include "pump/visit.h"

typedef struct pump_fixture {
	char *dir;
	sqlite3 *db;
	fc_config cfg;
} pump_fixture;

/* First column of the first row of sql into out[256] ("" when no row or NULL). */
static inline char *pf_text(sqlite3 *db, const char *sql, char *out)
{
	sqlite3_stmt *st;
	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, 256, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static inline int pf_setup(void **state)
{
	pump_fixture *fx = calloc(1, sizeof *fx);
	char path[4096];
	fc_error err;
	setenv("TZ", "CST-8", 1);
	tzset();
	setenv("FORECOURT_NOW", "2026-03-10T02:00:00Z", 1); /* Tue 03-10 10:00 local */
	fx->dir = tu_tempdir();
	config_defaults(&fx->cfg);
	assert_int_equal(db_open(tu_path(path, fx->dir, "p.db"), DB_OPEN_CREATE, &fx->db, &err),
			 FC_OK);
	tu_exec(fx->db,
		"INSERT INTO customers(id, code, name, nature, industry, tier, stability, "
		"points_synced, created_at, updated_at) VALUES"
		" (1, 'C-BD', '大客户钻', 'big', 'logistics', 'diamond', 'current', 0, 'x', 'x'),"
		" (2, 'C-BG', 'Big gold', 'big', 'taxi', 'gold', 'current', 500, 'x', 'x'),"
		" (3, 'C-IS', 'Lost silver', 'individual', 'other', 'silver', 'lost', 100, 'x', 'x'),"
		" (4, 'C-IO', 'New ordinary', 'individual', 'other', 'ordinary', 'potential', 0, 'x', 'x'),"
		" (5, 'C-IP', 'Blocked plat', 'individual', 'other', 'platinum', 'swing', 900, 'x', 'x');"
		"INSERT INTO cards(card_id, customer_id, kind, status, blocked_reason, updated_at) VALUES"
		" ('AA000001', 1, 'unit', 'active', NULL, 'x'),"
		" ('AA000002', 2, 'unit', 'active', NULL, 'x'),"
		" ('AA000003', 3, 'personal', 'active', NULL, 'x'),"
		" ('AA000004', 4, 'personal', 'active', NULL, 'x'),"
		" ('AA000005', 5, 'personal', 'blocked', 'reported stolen', 'x');"
		"INSERT INTO prices VALUES ('95#', 'gold', 'big', 30, 'x'),"
		" ('92#', 'gold', 'big', 20, 'x'), ('95#', 'gold', 'individual', 99, 'x');");
	*state = fx;
	return 0;
}

static inline int pf_teardown(void **state)
{
	pump_fixture *fx = *state;
	unsetenv("FORECOURT_NOW");
	db_close(fx->db);
	tu_rmdir(fx->dir);
	free(fx);
	return 0;
}

#endif
