/* main.c — the `forecourt` binary: global options and the list of its
 * git-style commands (cli.h descriptors).  The kiosk TUI is the default. */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/test_hook.h"
#include "cli/commands.h"
#include "store/app.h"
#include "ui/kiosk.h"

#ifndef FORECOURT_VERSION
#define FORECOURT_VERSION "0.1.0"
#endif

/* Every command in the order of `forecourt --help`; each descriptor holds
 * its usage and help text beside its run function. */
static const cli_command *const commands[] = {
	&kiosk_cli_command,
	&cmd_pump_lookup,
	&cmd_pump_visit,
	&cmd_pump_redeem,
	&cmd_pump_register,
	&cmd_init,
	&cmd_db,
	&cmd_sync,
	&cmd_outbox,
	&cmd_staff,
	&cmd_audit,
	&cmd_complaint,
	&cmd_holidays,
	&cmd_callback,
	&cmd_feedback,
	&cmd_import,
	&cmd_reader_test,
	&cmd_classify,
	&cmd_evaluate_tiers,
	&cmd_customer,
	&cmd_report,
	&cmd_statement,
	&demo_cli_command,
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: forecourt [--config FILE] [--db FILE] [COMMAND] [ARGS]\n"
		"       forecourt --version | --help | COMMAND --help\n\n"
		"commands:\n");
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		fprintf(out, "  %-14s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out,
		"\nconfig: --config FILE, else $FORECOURT_CONFIG, else "
		"/etc/forecourt/forecourt.conf\n");
}

static const cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	const char *config_arg = NULL, *db_arg = NULL;
	int i = 1;
	if (cli_check_args(argc, argv) != 0) /* UTF-8, like every file we read */
		return 2;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("forecourt %s\n", FORECOURT_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_usage(stdout);
			return 0;
		} else if ((strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "--db") == 0) &&
			   i + 1 < argc) {
			if (argv[i][2] == 'c')
				config_arg = argv[++i];
			else
				db_arg = argv[++i];
		} else {
			bool needs_file = strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "--db") == 0;
			if (needs_file)
				fprintf(stderr, "forecourt: %s needs a FILE\n", argv[i]);
			else
				fprintf(stderr, "forecourt: unknown option '%s'\n", argv[i]);
			print_usage(stderr);
			return 2;
		}
	}
	const cli_command *cmd = find_command(i < argc ? argv[i] : "kiosk");
	if (!cmd) {
		fprintf(stderr, "forecourt: unknown command '%s'\n", argv[i]);
		print_usage(stderr);
		return 2;
	}
	int cargc = i < argc ? argc - i : 1;
	char *kiosk_argv[] = { (char *)"kiosk", NULL };
	char **cargv = i < argc ? argv + i : kiosk_argv;
	if (wants_help(cargc, cargv)) {
		cli_print_help(cmd, stdout);
		return 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "forecourt: libsodium could not start\n");
		return 1;
	}
	fc_app app;
	fc_error err;
	fc_error_clear(&err);
	fc_status st = app_init(&app, config_arg, db_arg, &err);
	if (st) {
		fprintf(stderr, "forecourt: %s\n", fc_error_text(&err));
		return app_exit_code(st);
	}
	log_open(app.cfg.station_id); /* syslog ident forecourt/STATION */
	const char *hook = test_hook_ignored();
	if (hook) { /* a production build: it cannot date or delay the records */
		fprintf(stderr, "forecourt: warning: %s is a test hook; this build ignores it\n",
			hook);
		log_msg(LOG_WARNING, "%s is set but ignored: a test hook, not in this build", hook);
	}
	int rc = cmd->run(&app, cargc, cargv);
	app_close(&app);
	log_close();
	return rc;
}
