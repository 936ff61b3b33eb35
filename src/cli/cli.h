/* cli.h — what every `forecourt` command shares: the failure message and
 * exit code of a status, and `--name VALUE` options among verb arguments. */
#ifndef FC_CLI_H
#define FC_CLI_H

#include <stddef.h>

#include "base/status.h"

/* Print "forecourt: <text>" to stderr (err's detail when it has one, else
 * st's message) and return the exit code of st. */
int cli_fail(fc_status st, const fc_error *err);

#define CLI_OPTIONS_MAX 16

/* A `--name VALUE` option and where its value goes (NULL when absent). */
typedef struct cli_option {
	const char *name;
	const char **value;
} cli_option;

/* Parse argv[2..] (argv[0] the command, argv[1] its verb): the options of
 * opts anywhere, the rest into pos (at most max_pos).  Returns the number
 * of positional arguments, or -1 after printing what is wrong. */
int cli_parse_options(int argc, char **argv, const cli_option *opts, size_t nopts, char **pos,
		      int max_pos);

#endif
