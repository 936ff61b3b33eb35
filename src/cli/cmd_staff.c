/* cmd_staff.c — `forecourt staff add|list|role|disable|reset-pin|login`:
 * staff members, roles and PINs (typed without echo, a new one twice). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_width.h"
#include "cli/cli_auth.h"
#include "cli/commands.h"
#include "staff/auth.h"

/* A new PIN typed twice; false (message printed) when they differ. */
static bool read_new_pin(const char *staff_no, char *pin, size_t n)
{
	char again[CLI_AUTH_PIN_MAX], prompt[96];
	snprintf(prompt, sizeof prompt, "new PIN for %s: ", staff_no);
	if (!cli_auth_read_pin(prompt, pin, n)) {
		fprintf(stderr, "forecourt: no PIN given\n");
		return false;
	}
	snprintf(prompt, sizeof prompt, "new PIN for %s again: ", staff_no);
	bool same = cli_auth_read_pin(prompt, again, sizeof again) && strcmp(pin, again) == 0;
	sodium_memzero(again, sizeof again);
	if (!same)
		fprintf(stderr, "forecourt: the two PINs differ; nothing was changed\n");
	return same;
}

static int staff_print_list(fc_app *app)
{
	fc_staff *rows;
	size_t n;
	fc_error err;
	fc_status st = staff_list(app->db, &rows, &n, &err);
	if (st)
		return cli_fail(st, &err);
	/* name and state cut and padded by display width (Chinese names) */
	printf("%-10s %-20s %-10s %-29s %-8s %s\n", "number", "name", "role", "state", "failures",
	       "id");
	for (size_t i = 0; i < n; i++) {
		int64_t until;
		char local[CLOCK_ISO_LEN], state[48], name[96], cell[128];
		bool locked = rows[i].locked_until[0] &&
			      clock_parse_iso(rows[i].locked_until, &until) && until > clock_now_ms();
		snprintf(state, sizeof state, "%s", !rows[i].active ? "disabled" : "active");
		if (locked)
			snprintf(state, sizeof state, "locked until %s", clock_format_local(until, local));
		printf("%-10s %s %-10s %s %-8d %lld\n", rows[i].staff_no,
		       text_width_cell(name, sizeof name, rows[i].name, 20), role_key(rows[i].role),
		       text_width_cell(cell, sizeof cell, state, 29), rows[i].failures,
		       (long long)rows[i].id);
	}
	free(rows);
	return 0;
}

static int cmd_staff_run(fc_app *app, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";
	fc_error err;
	fc_staff actor = { 0 };
	fc_error_clear(&err);
	const char *as = NULL;
	char *pos[4];
	const cli_option opts[] = { { "as", &as, "add role disable reset-pin" } };
	int npos = argc > 1 ? cli_parse_options(argc, argv, opts, 1, pos, 4) : -1;
	bool add = strcmp(verb, "add") == 0, list = strcmp(verb, "list") == 0,
	     disable = strcmp(verb, "disable") == 0, reset = strcmp(verb, "reset-pin") == 0,
	     login = strcmp(verb, "login") == 0, set_role = strcmp(verb, "role") == 0;
	if (npos < 0 || !((add && npos == 3) || (list && npos == 0) ||
			  ((disable || reset) && npos == 1 && as) || (login && npos == 1) ||
			  (set_role && npos == 2 && as)))
		return cli_usage(&cmd_staff, NULL);
	fc_role role = ROLE_ATTENDANT;
	const char *role_arg = add ? pos[2] : set_role ? pos[1] : NULL;
	if (role_arg && !role_parse(role_arg, &role)) {
		fprintf(stderr, "forecourt staff %s: role '%s' (accepted: attendant, head, admin)\n",
			verb, role_arg);
		return 2;
	}
	fc_status st = app_open_db(app, add ? DB_OPEN_CREATE : DB_OPEN_EXISTING, &err);
	if (st)
		return cli_fail(st, &err);
	if (list)
		return staff_print_list(app);
	if (login) {
		int rc = cli_auth_login_as(app, pos[0], ROLE_ATTENDANT, &actor);
		if (!rc)
			printf("staff %s (%s, %s) logged in\n", actor.staff_no, actor.name,
			       role_key(actor.role));
		return rc;
	}
	if (add && !as && staff_count(app->db) > 0) {
		fprintf(stderr, "forecourt staff add: staff exist already: give --as ADMIN_NO\n");
		return 2;
	}
	if (as) {
		int rc = cli_auth_login_as(app, as, ROLE_ADMIN, &actor);
		if (rc)
			return rc;
	}
	if (disable) {
		st = staff_disable(app->db, &app->cfg, actor.id, pos[0], &err);
		if (st)
			return cli_fail(st, &err);
		printf("staff %s disabled\n", pos[0]);
		return 0;
	}
	if (set_role) {
		bool changed;
		fc_staff member;
		char pin[CLI_AUTH_PIN_MAX] = "";
		st = staff_find(app->db, pos[0], &member, &err);
		if (st)
			return cli_fail(st, &err);
		/* a new head or admin gets a new PIN, typed twice like for add */
		if (staff_role_needs_pin(member.role, role) && !read_new_pin(pos[0], pin, sizeof pin))
			return 1;
		st = staff_set_role(app->db, &app->cfg, actor.id, pos[0], role, pin, &changed, &err);
		sodium_memzero(pin, sizeof pin);
		if (st)
			return cli_fail(st, &err);
		printf(changed ? "staff %s is now %s\n" : "staff %s is %s already: nothing changed\n",
		       pos[0], role_key(role));
		return 0;
	}
	char pin[CLI_AUTH_PIN_MAX];
	if (!read_new_pin(pos[0], pin, sizeof pin))
		return 1;
	if (add)
		st = staff_add(app->db, &app->cfg, actor.id, pos[0], pos[1], role, pin, NULL, &err);
	else
		st = staff_reset_pin(app->db, &app->cfg, actor.id, pos[0], pin, &err);
	sodium_memzero(pin, sizeof pin);
	if (st)
		return cli_fail(st, &err);
	if (add)
		printf("staff %s (%s, %s) added\n", pos[0], pos[1], role_key(role));
	else
		printf("PIN of staff %s reset; any lockout is lifted\n", pos[0]);
	return 0;
}

const cli_command cmd_staff = {
	.name = "staff",
	.run = cmd_staff_run,
	.usage = "forecourt staff add NO NAME ROLE [--as ADMIN] | list | disable NO --as ADMIN |\n"
		"       forecourt staff role NO ROLE --as ADMIN | reset-pin NO --as ADMIN | login NO",
	.summary = "staff members, roles and PINs",
	.help = "add        ROLE is attendant, head or admin; the first one must be an admin,\n"
		"           later ones need --as and that admin's PIN\n"
		"list       numbers, names, roles, disabled or locked members, and the id head\n"
		"           office knows each by (the number of a customer's named owner)\n"
		"role       another role; the last active admin keeps its own; a new head or\n"
		"           admin gets a new PIN (typed twice)\n"
		"disable    the member can no longer log in\n"
		"reset-pin  a new PIN; lifts a lockout\n"
		"login      check a PIN (counts towards the lockout like the kiosk)\n"
		"PINs are 4 to 12 digits, at least 6 for a head or admin, typed without echo\n"
		"(a new one twice).  When stdin is not a terminal each PIN is one line of\n"
		"stdin: the --as admin's first.  [auth] max_failures wrong PINs in a row lock\n"
		"a member for [auth] lockout_minutes, each further lockout twice as long (at\n"
		"most a day) until a good PIN or reset-pin; a wrong staff number gets the\n"
		"same answer as a wrong PIN.\n"
		"The PIN hash uses the pepper in [auth] pepper_file (made 0600 by the first add).\n"
		"add, role and disable queue a staff_changed record for head office, which\n"
		"keeps each station's staff to name the customers' owners.\n",
};
