/* cli_auth.h — the commands that act as a staff member: reading a PIN (no
 * echo on a tty, a line of stdin otherwise) and logging in for --as. */
#ifndef FC_CLI_AUTH_H
#define FC_CLI_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/domain.h"
#include "staff/staff.h"
#include "store/app.h"

#define CLI_AUTH_PIN_MAX 64

/* Read a PIN: from the terminal without echo after prompt (on stderr) when
 * stdin is a tty, else one line of stdin (for scripts and tests).  The
 * newline is removed.  false at end of input. */
bool cli_auth_read_pin(const char *prompt, char *pin, size_t n);

/* Log staff_no in with a PIN read by cli_auth_read_pin, needing role `need`;
 * prints the refusal and returns its exit code, 0 on success. */
int cli_auth_login_as(fc_app *app, const char *staff_no, fc_role need, fc_staff *who);

#endif
