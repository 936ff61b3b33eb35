/* cli_auth.c — the PIN prompt of the commands that act as a staff member
 * (staff, complaint, callback, customer) and the login behind --as. */
#include "cli/cli_auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "staff/auth.h"

bool cli_auth_read_pin(const char *prompt, char *pin, size_t n)
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

int cli_auth_login_as(fc_app *app, const char *staff_no, fc_role need, fc_staff *who)
{
	char pin[CLI_AUTH_PIN_MAX], prompt[96];
	fc_error err;
	fc_error_clear(&err);
	snprintf(prompt, sizeof prompt, "PIN of %s: ", staff_no);
	if (!cli_auth_read_pin(prompt, pin, sizeof pin)) {
		fprintf(stderr, "forecourt: no PIN given for %s\n", staff_no);
		return 1;
	}
	fc_status st = auth_login(app->db, &app->cfg, staff_no, pin, need, who, &err);
	sodium_memzero(pin, sizeof pin);
	if (st)
		return cli_fail(st, &err);
	app->staff_id = who->id;
	return 0;
}
