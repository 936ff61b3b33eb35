/* cli.c — what every `forecourt` command shares: --help and usage errors
 * from its descriptor, failure messages, `--name VALUE` options, numbers
 * and UTF-8 arguments. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_check.h"

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

int cli_option_error(const char *what, int c, char **argv)
{
	const char *opt = optind > 0 ? argv[optind - 1] : "?";
	if (c == ':')
		fprintf(stderr, "forecourt %s: option '%s' needs a value\n", what, opt);
	else
		fprintf(stderr, "forecourt %s: unknown option '%s'\n", what, opt);
	return -1;
}

/* True when word is one of the space-separated words of list. */
static bool cli_word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

int cli_parse_options(int argc, char **argv, const cli_option *opts, size_t nopts, char **pos,
		      int max_pos)
{
	struct option lopts[CLI_OPTIONS_MAX + 1];
	char what[96];
	if (argc < 2 || nopts > CLI_OPTIONS_MAX)
		return -1;
	snprintf(what, sizeof what, "%s %s", argv[0], argv[1]);
	for (size_t i = 0; i < nopts; i++) {
		lopts[i] = (struct option){ opts[i].name, required_argument, NULL, (int)i + 1 };
		*opts[i].value = NULL;
	}
	lopts[nopts] = (struct option){ NULL, 0, NULL, 0 };
	int c;
	optind = 0; /* glibc: start afresh, options may follow positional arguments */
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, ":", lopts, NULL)) != -1) {
		if (c < 1 || (size_t)c > nopts)
			return cli_option_error(what, c, argv + 1);
		const cli_option *o = &opts[c - 1];
		if (o->verbs && !cli_word_in(argv[1], o->verbs)) {
			fprintf(stderr, "forecourt %s: --%s is not an option of %s (it is one of: %s)\n",
				what, o->name, argv[1], o->verbs);
			return -1;
		}
		*o->value = optarg;
	}
	int n = argc - 1 - optind;
	if (n > max_pos) {
		fprintf(stderr, "forecourt %s: too many arguments\n", what);
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

bool cli_parse_int(const char *name, const char *text, long long min, long long max,
		   long long *out, char why[CLI_WHY_LEN])
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	const char *d = text + (*text == '-');
	if (!*d || strspn(d, "0123456789") != strlen(d) || *end)
		snprintf(why, CLI_WHY_LEN, "%s: '%.40s' is not a whole number (%lld..%lld)", name,
			 text, min, max);
	else if ((errno == ERANGE && v > 0) || v > max)
		snprintf(why, CLI_WHY_LEN, "%s: '%.40s' is too large (at most %lld)", name, text,
			 max);
	else if (errno == ERANGE || v < min)
		snprintf(why, CLI_WHY_LEN, "%s: '%.40s' is too small (at least %lld)", name, text,
			 min);
	else {
		*out = v;
		return true;
	}
	return false;
}

int cli_check_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		long bad = text_check_utf8(argv[i], strlen(argv[i]));
		if (bad < 0)
			continue;
		/* shown with the bytes that are no ASCII text as \xNN, cut */
		char shown[4 * 48 + 4] = "";
		size_t n = 0;
		for (const unsigned char *p = (const unsigned char *)argv[i]; *p && n < 48; p++, n++) {
			char one[8];
			snprintf(one, sizeof one, *p >= 0x20 && *p < 0x7f ? "%c" : "\\x%02x", *p);
			strcat(shown, one);
		}
		fprintf(stderr, "forecourt: argument %d '%s%s' is not UTF-8 (byte %ld): is the "
			"terminal GBK? use a UTF-8 locale\n", i, shown, argv[i][n] ? "..." : "",
			bad + 1);
		return 2;
	}
	return 0;
}
