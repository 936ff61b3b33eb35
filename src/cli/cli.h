/* cli.h — what every `forecourt` command shares: its descriptor (name,
 * run function, usage and help text), the usage and failure messages, and
 * `--name VALUE` options among verb arguments. */
#ifndef FC_CLI_H
#define FC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/status.h"
#include "store/app.h"
#include "store/audit.h"

/* One command of `forecourt`, defined beside its run function (cmd_*.c,
 * ui/kiosk.c, ui/demo.c) and listed by ui/main.c.  The texts are static. */
typedef struct cli_command {
	const char *name;    /* `forecourt NAME` */
	int (*run)(fc_app *app, int argc, char **argv); /* argv[0] is NAME; exit code */
	const char *usage;   /* after "usage: " in --help and in usage errors */
	const char *summary; /* one line in `forecourt --help` */
	const char *help;    /* the rest of --help: options and examples */
} cli_command;

/* `forecourt NAME --help` into out: the usage, the summary, the help. */
void cli_print_help(const cli_command *cmd, FILE *out);

/* A usage error: "forecourt: <problem>" (unless problem is NULL) and the
 * command's usage line on stderr; returns 2, the exit code of usage errors. */
int cli_usage(const cli_command *cmd, const char *problem);

/* Print "forecourt: <text>" to stderr (err's detail when it has one, else
 * st's message) and return the exit code of st. */
int cli_fail(fc_status st, const fc_error *err);

/* Who a command acts as, for its audit rows: the staff member of --as
 * (app->staff_id), else "cli".  Points into app. */
fc_actor cli_actor(const fc_app *app);

#define CLI_OPTIONS_MAX 40
#define CLI_WHY_LEN 200 /* room for a message of cli_parse_int */

/* A `--name VALUE` option and where its value goes (NULL when absent). */
typedef struct cli_option {
	const char *name;
	const char **value;
	const char *verbs; /* the verbs that take it, space separated ("add escalate");
			    * NULL: every verb */
} cli_option;

/* Parse argv[2..] (argv[0] the command, argv[1] its verb): the options of
 * opts anywhere, the rest into pos (at most max_pos).  Returns the number
 * of positional arguments, or -1 after printing what is wrong: an unknown
 * option by name, an option without its value, an option its verb does
 * not take (refused, never dropped), too many arguments. */
int cli_parse_options(int argc, char **argv, const cli_option *opts, size_t nopts, char **pos,
		      int max_pos);

/* After getopt_long (optstring starting with ':') returned c, '?' or ':':
 * print "forecourt WHAT: unknown option '--x'" or "option '--x' needs a
 * value" (argv and optind as getopt left them).  Returns -1. */
int cli_option_error(const char *what, int c, char **argv);

/* A whole number in [min, max] from text into *out; false with why (for
 * cli_usage: "NAME: 'TEXT' is too large (at most MAX)", "... is not a
 * whole number") filled. */
bool cli_parse_int(const char *name, const char *text, long long min, long long max,
		   long long *out, char why[CLI_WHY_LEN]);

/* Every argument must be UTF-8 text, as the files the program reads:
 * 0, or 2 after printing which argument is not (a GBK terminal). */
int cli_check_args(int argc, char **argv);

#endif
