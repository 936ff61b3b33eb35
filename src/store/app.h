/* app.h — the context every command and screen receives: configuration,
 * database path and connection, acting staff member.  No globals. */
#ifndef FC_APP_H
#define FC_APP_H

#include <sqlite3.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "store/db.h"

typedef struct fc_app {
	fc_config cfg;
	char config_path[CONFIG_STR]; /* the file loaded, "" when defaults only */
	char db_path[CONFIG_STR];     /* --db, else [database] path */
	sqlite3 *db;                  /* NULL until app_open_db; closed by app_close */
	int64_t staff_id;             /* acting staff member, 0 = none yet */
} fc_app;

/* Defaults, then the config file chosen by config_pick_path(config_arg),
 * then db_arg over [database] path.  config_arg and db_arg are NULL when
 * not given; "" is a usage error (FC_ERR_USAGE).  On a config error err
 * says FILE:LINE (FC_ERR_CONFIG). */
fc_status app_init(fc_app *app, const char *config_arg, const char *db_arg, fc_error *err);

/* Open app->db when not yet open (DB_OPEN_CREATE also migrates). */
fc_status app_open_db(fc_app *app, db_open_mode mode, fc_error *err);

/* Close the database. */
void app_close(fc_app *app);

/* CLI exit code for a status: 0 ok, 2 usage, configuration or a bad value
 * (FC_ERR_INVALID), 1 otherwise. */
int app_exit_code(fc_status st);

#endif
