/* cmd_staff.c — `forecourt staff add|list|disable|reset-pin|login` and
 * `forecourt audit verify`; PIN input without echo. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "staff/auth.h"
#include "cli/cmd_care.h"
#include "cli/commands.h"
#include "base/text_width.h"

/* A new PIN typed twice; false (message printed) when they differ. */
static bool read_new_pin(const char *staff_no, char *pin, size_t n)
{
	char again[CMD_PIN_MAX], prompt[96];
	snprintf(prompt, sizeof prompt, "new PIN for %s: ", staff_no);
	if (!cmd_read_pin(prompt, pin, n)) {
		fprintf(stderr, "forecourt: no PIN given\n");
		return false;
	}
	snprintf(prompt, sizeof prompt, "new PIN for %s again: ", staff_no);
	bool same = cmd_read_pin(prompt, again, sizeof again) && strcmp(pin, again) == 0;
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
		return cmd_fail(st, &err);
	/* name and state cut and padded by display width (Chinese names) */
	printf("%-10s %-20s %-10s %-29s %s\n", "number", "name", "role", "state", "failures");
	for (size_t i = 0; i < n; i++) {
		int64_t until;
		char local[CLOCK_ISO_LEN], state[48], name[96], cell[128];
		bool locked = rows[i].locked_until[0] &&
			      clock_parse_iso(rows[i].locked_until, &until) && until > clock_now_ms();
		snprintf(state, sizeof state, "%s", !rows[i].active ? "disabled" : "active");
		if (locked)
			snprintf(state, sizeof state, "locked until %s", clock_format_local(until, local));
		printf("%-10s %s %-10s %s %d\n", rows[i].staff_no,
		       text_width_cell(name, sizeof name, rows[i].name, 20), role_key(rows[i].role),
		       text_width_cell(cell, sizeof cell, state, 29), rows[i].failures);
	}
	free(rows);
	return 0;
}

static const char staff_usage[] =
	"usage: forecourt staff add NO NAME ROLE [--as ADMIN] | list | disable NO --as ADMIN |\n"
	"       reset-pin NO --as ADMIN | login NO\n";

int cmd_staff(fc_app *app, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";
	fc_error err;
	fc_staff actor = { 0 };
	fc_error_clear(&err);
	const char *as = NULL;
	char *pos[4];
	const cmd_opt opts[] = { { "as", &as } };
	int npos = argc > 1 ? cmd_parse_opts(argc, argv, opts, 1, pos, 4) : -1;
	bool add = strcmp(verb, "add") == 0, list = strcmp(verb, "list") == 0,
	     disable = strcmp(verb, "disable") == 0, reset = strcmp(verb, "reset-pin") == 0,
	     login = strcmp(verb, "login") == 0;
	if (npos < 0 || !((add && npos == 3) || (list && npos == 0) ||
			  ((disable || reset) && npos == 1 && as) || (login && npos == 1))) {
		fputs(staff_usage, stderr);
		return 2;
	}
	fc_role role = ROLE_ATTENDANT;
	if (add && !role_parse(pos[2], &role)) {
		fprintf(stderr, "forecourt staff add: role '%s' (accepted: attendant, head, admin)\n",
			pos[2]);
		return 2;
	}
	fc_status st = app_open_db(app, add ? DB_OPEN_CREATE : DB_OPEN_EXISTING, &err);
	if (st)
		return cmd_fail(st, &err);
	if (list)
		return staff_print_list(app);
	if (login) {
		int rc = cmd_login_as(app, pos[0], ROLE_ATTENDANT, &actor);
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
		int rc = cmd_login_as(app, as, ROLE_ADMIN, &actor);
		if (rc)
			return rc;
	}
	if (disable) {
		st = staff_disable(app->db, &app->cfg, actor.id, pos[0], &err);
		if (st)
			return cmd_fail(st, &err);
		printf("staff %s disabled\n", pos[0]);
		return 0;
	}
	char pin[CMD_PIN_MAX];
	if (!read_new_pin(pos[0], pin, sizeof pin))
		return 1;
	if (add)
		st = staff_add(app->db, &app->cfg, actor.id, pos[0], pos[1], role, pin, NULL, &err);
	else
		st = staff_reset_pin(app->db, &app->cfg, actor.id, pos[0], pin, &err);
	sodium_memzero(pin, sizeof pin);
	if (st)
		return cmd_fail(st, &err);
	if (add)
		printf("staff %s (%s, %s) added\n", pos[0], pos[1], role_key(role));
	else
		printf("PIN of staff %s reset; any lockout is lifted\n", pos[0]);
	return 0;
}

int cmd_audit(fc_app *app, int argc, char **argv)
{
	fc_error err;
	fc_audit_check check;
	fc_error_clear(&err);
	if (argc != 2 || strcmp(argv[1], "verify") != 0) {
		fprintf(stderr, "usage: forecourt audit verify\n");
		return 2;
	}
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (!st)
		st = audit_verify_chain(app->db, &check, &err);
	if (st)
		return cmd_fail(st, &err);
	if (check.bad_id) {
		printf("audit log ALTERED: row %lld: %s (%lld rows checked)\n",
		       (long long)check.bad_id, check.reason, (long long)check.rows);
		return 1;
	}
	printf("audit log intact: %lld rows, hash chain verified\n", (long long)check.rows);
	return 0;
}
