/* cmd_sync.c — `forecourt sync [--once | --daemon]`: deliver the outbox to
 * head office and pull master data, once or as the service. */
#include <curl/curl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/commands.h"
#include "store/outbox.h"
#include "sync/uploader.h"

static int cmd_sync_run(fc_app *app, int argc, char **argv)
{
	bool daemon = false;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--once") != 0 &&
			 strcmp(argv[1], "--daemon") != 0)) {
		char why[CLI_WHY_LEN];
		snprintf(why, sizeof why, argc == 2 && argv[1][0] == '-' ? "unknown option '%.60s'"
			 : "unexpected argument '%.60s'", argv[argc == 2 ? 1 : 2]);
		return cli_usage(&cmd_sync, why);
	}
	daemon = argc == 2 && strcmp(argv[1], "--daemon") == 0;
	if (!app->cfg.upload_url[0]) {
		fprintf(stderr, "forecourt sync: upload is off: set [upload] url in %s\n",
			app->config_path[0] ? app->config_path : "the configuration");
		return 2;
	}
	/* SIGTERM/SIGINT end the loop cleanly through a signalfd: no handler state. */
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "forecourt sync: libcurl did not start\n");
		return 1;
	}
	uploader_options opt = {
		.cfg = &app->cfg,
		.db_path = app->db_path,
		.stop_fd = sfd,
		.wake_fd = -1,
		.once = !daemon,
		.log = stderr,
	};
	fc_error err;
	fc_error_clear(&err);
	fc_status st = uploader_run(&opt, &err);
	curl_global_cleanup();
	if (sfd >= 0)
		close(sfd);
	if (st)
		return cli_fail(st, &err);
	if (!daemon) {
		fc_status s2 = app_open_db(app, DB_OPEN_EXISTING, &err);
		outbox_summary sum;
		if (!s2 && outbox_status(app->db, &sum, &err) == FC_OK)
			printf("pending %" PRId64 ", sent today %" PRId64 ", dead letters %" PRId64 "\n",
			       sum.pending, sum.sent_today, sum.dead);
	}
	return 0;
}

const cli_command cmd_sync = {
	.name = "sync",
	.run = cmd_sync_run,
	.usage = "forecourt sync [--once | --daemon]",
	.summary = "deliver the outbox to head office and pull master data",
	.help = "--once    deliver every pending record, pull master data, then exit (default);\n"
		"          exit 1 at the first failed attempt, with the reason\n"
		"--daemon  keep delivering with backoff until SIGTERM (the systemd service)\n"
		"Needs [upload] url and token_file (mode 0600).  One uploader per database:\n"
		"a second one waits and says so.\n",
};
