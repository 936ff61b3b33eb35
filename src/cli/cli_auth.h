/* cmd_care.h — what the staff, audit, complaint and callback commands share:
 * reading a PIN (no echo on a tty, a line of stdin otherwise) and acting as
 * a logged-in staff member. */
#ifndef FC_CMD_CARE_H
#define FC_CMD_CARE_H

#include <stdbool.h>
#include <stddef.h>

#include "store/app.h"
#include "base/domain.h"
#include "staff/staff.h"

#define CMD_PIN_MAX 64

/* Read a PIN: from the terminal without echo after prompt (on stderr) when
 * stdin is a tty, else one line of stdin (for scripts and tests).  The
 * newline is removed.  false at end of input. */
bool cmd_read_pin(const char *prompt, char *pin, size_t n);

/* Log staff_no in with a PIN read by cmd_read_pin, needing role `need`;
 * prints the refusal and returns its exit code, 0 on success. */
int cmd_login_as(fc_app *app, const char *staff_no, fc_role need, fc_staff *who);

#define CMD_OPTS_MAX 16

/* A `--name VALUE` option and where its value goes (NULL when absent). */
typedef struct cmd_opt {
	const char *name;
	const char **value;
} cmd_opt;

/* Parse argv[2..] (argv[0] the command, argv[1] its verb): the options of
 * opts anywhere, the rest into pos (at most max_pos).  Returns the number
 * of positional arguments, or -1 after printing what is wrong. */
int cmd_parse_opts(int argc, char **argv, const cmd_opt *opts, size_t nopts, char **pos,
		   int max_pos);

#endif
