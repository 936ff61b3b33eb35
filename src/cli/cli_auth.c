/* cmd_care.c — helpers of the staff, audit, complaint and callback
 * commands: PIN input, acting as a logged-in staff member, options. */
#include "cli/cmd_care.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "staff/auth.h"
#include "cli/commands.h"

bool cmd_read_pin(const char *prompt, char *pin, size_t n)
{
	bool tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	/* Echo goes off before the prompt shows and nothing typed is flushed:
	 * digits typed as soon as the prompt appears are neither shown nor lost. */
	bool quieted = false;
	if (tty) {
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
			quieted = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
		}
		fprintf(stderr, "%s", prompt);
		fflush(stderr);
	}
	bool ok = fgets(pin, (int)n, stdin) != NULL;
	if (quieted)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	if (tty)
		fputc('\n', stderr);
	if (ok)
		pin[strcspn(pin, "\r\n")] = '\0';
	return ok;
}

int cmd_login_as(fc_app *app, const char *staff_no, fc_role need, fc_staff *who)
{
	char pin[CMD_PIN_MAX], prompt[96];
	fc_error err;
	fc_error_clear(&err);
	snprintf(prompt, sizeof prompt, "PIN of %s: ", staff_no);
	if (!cmd_read_pin(prompt, pin, sizeof pin)) {
		fprintf(stderr, "forecourt: no PIN given for %s\n", staff_no);
		return 1;
	}
	fc_status st = auth_login(app->db, &app->cfg, staff_no, pin, need, who, &err);
	sodium_memzero(pin, sizeof pin);
	if (st)
		return cmd_fail(st, &err);
	app->staff_id = who->id;
	return 0;
}

int cmd_parse_opts(int argc, char **argv, const cmd_opt *opts, size_t nopts, char **pos,
		   int max_pos)
{
	struct option lopts[CMD_OPTS_MAX + 1];
	if (argc < 2 || nopts > CMD_OPTS_MAX)
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
