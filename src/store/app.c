/* app.c — building the command context from config and arguments. */
#include "store/app.h"

#include <stdio.h>
#include <string.h>

fc_status app_init(fc_app *app, const char *config_arg, const char *db_arg, fc_error *err)
{
	memset(app, 0, sizeof *app);
	config_defaults(&app->cfg);
	if (config_arg && !*config_arg)
		return fc_error_set(err, FC_ERR_USAGE, "--config \"\": give the config FILE");
	if (db_arg && !*db_arg)
		return fc_error_set(err, FC_ERR_USAGE, "--db \"\": give the database FILE");
	const char *path = config_pick_path(config_arg);
	if (path) {
		fc_status st = config_load(&app->cfg, path, err);
		if (st)
			return st == FC_ERR_IO ? FC_ERR_CONFIG : st;
		snprintf(app->config_path, sizeof app->config_path, "%s", path);
	}
	snprintf(app->db_path, sizeof app->db_path, "%s", db_arg ? db_arg : app->cfg.db_path);
	if (!app->db_path[0])
		return fc_error_set(err, FC_ERR_CONFIG, "%s: [database] path is empty: give --db FILE",
				    app->config_path);
	return FC_OK;
}

fc_status app_open_db(fc_app *app, db_open_mode mode, fc_error *err)
{
	if (app->db)
		return FC_OK;
	return db_open(app->db_path, mode, &app->db, err);
}

void app_close(fc_app *app)
{
	db_close(app->db);
	app->db = NULL;
}

int app_exit_code(fc_status st)
{
	if (st == FC_OK)
		return 0;
	if (st == FC_ERR_USAGE || st == FC_ERR_CONFIG || st == FC_ERR_INVALID)
		return 2;
	return 1;
}
