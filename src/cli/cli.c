/* cli.c — what every `forecourt` command shares: --help and usage errors
 * from its descriptor, failure messages, `--name VALUE` options. */
#include "cli/cli.h"

#include <getopt.h>

void cli_print_help(const cli_command *cmd, FILE *out)
{
	fprintf(out, "usage: %s\n%s.\n\n%s", cmd->usage, cmd->summary, cmd->help);
}

int cli_usage(const cli_command *cmd, const char *problem)
{
	if (problem)
		fprintf(stderr, "forecourt: %s\n", problem);
	fprintf(stderr, "usage: %s\n", cmd->usage);
	return 2;
}

int cli_fail(fc_status st, const fc_error *err)
{
	fprintf(stderr, "forecourt: %s\n", err && err->code ? fc_error_text(err) : fc_strerror(st));
	return app_exit_code(st);
}

int cli_parse_options(int argc, char **argv, const cli_option *opts, size_t nopts, char **pos,
		      int max_pos)
{
	struct option lopts[CLI_OPTIONS_MAX + 1];
	if (argc < 2 || nopts > CLI_OPTIONS_MAX)
		return -1;
	for (size_t i = 0; i < nopts; i++) {
		lopts[i] = (struct option){ opts[i].name, required_argument, NULL, (int)i + 1 };
		*opts[i].value = NULL;
	}
	lopts[nopts] = (struct option){ NULL, 0, NULL, 0 };
	int c;
	optind = 0; /* glibc: start afresh, options may follow positional arguments */
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", lopts, NULL)) != -1) {
		if (c < 1 || (size_t)c > nopts) {
			fprintf(stderr, "forecourt %s %s: unknown option or missing value\n",
				argv[0], argv[1]);
			return -1;
		}
		*opts[c - 1].value = optarg;
	}
	int n = argc - 1 - optind;
	if (n > max_pos) {
		fprintf(stderr, "forecourt %s %s: too many arguments\n", argv[0], argv[1]);
		return -1;
	}
	for (int i = 0; i < n; i++)
		pos[i] = argv[1 + optind + i];
	return n;
}

fc_actor cli_actor(const fc_app *app)
{
	return (fc_actor){ .station_id = app->cfg.station_id, .staff_id = app->staff_id,
			   .via = "cli" };
}
