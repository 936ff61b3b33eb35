/* kiosk.c — `forecourt [kiosk]`: opens the database, the reader and the
 * uploader thread, starts the terminal and runs the event loop (loop.c). */
#include "ui/kiosk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "customers/daily.h"
#include "drivers/reader.h"
#include "pump/visit.h"
#include "store/audit.h"
#include "sync/uploader.h"
#include "ui/core/i18n.h"
#include "ui/core/loop.h"
#include "ui/core/term.h"

/* Open the reader of [reader]; NULL with a message on stderr. */
static reader *kiosk_open_reader(const fc_config *cfg)
{
	reader *rd = NULL;
	char why[256] = "";
	reader_options opt = {
		.port = cfg->reader_port[0] ? cfg->reader_port : "sim",
		.protocol = cfg->reader_protocol[0] ? cfg->reader_protocol : "em4100",
		.baud = cfg->reader_baud,
		.gap_ms = cfg->reader_gap_ms,
		.debounce_ms = cfg->reader_debounce_ms,
		.luhn = cfg->reader_luhn,
	};
	if (reader_open(&rd, &opt, why, sizeof why) != 0) {
		fprintf(stderr, "forecourt: card reader %s: %s\n", opt.port, why);
		return NULL;
	}
	return rd;
}

int kiosk_command(fc_app *app, int argc, char **argv)
{
	char why[256];
	fc_error err;
	fc_error_clear(&err);
	if (argc > 1) {
		fprintf(stderr, "forecourt: kiosk takes no arguments ('%s')\n", argv[1]);
		return cli_usage(&kiosk_cli_command, NULL);
	}
	if (!i18n_init(app->cfg.ui_locale, why, sizeof why)) {
		fprintf(stderr, "forecourt: %s\n", why);
		return 1;
	}
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (st != FC_OK) {
		fprintf(stderr, "forecourt: %s\n", fc_error_text(&err));
		fprintf(stderr, "forecourt: %s\n", _("create the database first: forecourt init"));
		return app_exit_code(st);
	}
	if (audit_note_config(app->db, app->cfg.station_id, app->config_path, NULL, &err) != FC_OK)
		fprintf(stderr, "forecourt: %s\n", fc_error_text(&err)); /* noted, not fatal */
	reader *rd = kiosk_open_reader(&app->cfg);
	if (!rd)
		return 1;
	int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	uploader *up = NULL;
	if (wake_fd >= 0 && uploader_start(&app->cfg, app->db_path, wake_fd, &up, &err) != FC_OK) {
		fprintf(stderr, "forecourt: upload disabled: %s\n", fc_error_text(&err));
		up = NULL;
	}
	daily *day = NULL;
	if (daily_start(&app->cfg, app->db_path, &day, &err) != FC_OK)
		fprintf(stderr, "forecourt: daily classification off: %s\n", fc_error_text(&err));
	int rc = 1;
	if (term_start()) {
		ui_ctx ui;
		memset(&ui, 0, sizeof ui);
		ui.app = app;
		ui.rd = rd;
		ui.up = up;
		ui.last_pump = visit_pump_last(app->db, term_tty_name());
		rc = ui_loop_run(&ui, wake_fd);
		term_stop();
	}
	daily_stop(day);
	uploader_stop(up);
	if (wake_fd >= 0)
		close(wake_fd);
	reader_close(rd);
	return rc;
}

const cli_command kiosk_cli_command = {
	.name = "kiosk",
	.run = kiosk_command,
	.usage = "forecourt [kiosk]",
	.summary = "the attendant's kiosk (the default)",
	.help = "Runs the full-screen kiosk on this terminal with the reader of [reader] port.\n"
		"Keys are listed on the screen's bottom bar; F1 shows the help.\n",
};
