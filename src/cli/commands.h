/* commands.h — the CLI subcommands implemented in src/ (cmd_*.c).
 * Each takes the context and its own arguments (argv[0] is the command name)
 * and returns the exit code: 0 ok, 1 failure, 2 usage.  The table that
 * names them, with their usage text for --help, is in ui/main.c. */
#ifndef FC_COMMANDS_H
#define FC_COMMANDS_H

#include "cli/cli.h"
#include "store/app.h"

int cmd_init(fc_app *app, int argc, char **argv);
int cmd_db(fc_app *app, int argc, char **argv);
/* cmd_sync.c: delivery to head office and the outbox (issue 5). */
int cmd_sync(fc_app *app, int argc, char **argv);
int cmd_outbox(fc_app *app, int argc, char **argv);

/* cmd_staff.c, cmd_complaint.c, cmd_callback.c: staff and customer care (issue 6). */
int cmd_staff(fc_app *app, int argc, char **argv);
int cmd_audit(fc_app *app, int argc, char **argv);
int cmd_complaint(fc_app *app, int argc, char **argv);
int cmd_holidays(fc_app *app, int argc, char **argv);
int cmd_callback(fc_app *app, int argc, char **argv);
int cmd_feedback(fc_app *app, int argc, char **argv);

/* cmd_import.c, cmd_archive.c, cmd_classify.c: archive, classes, tiers and
 * imports (issue 7). */
int cmd_import(fc_app *app, int argc, char **argv);
int cmd_customer(fc_app *app, int argc, char **argv);
int cmd_classify(fc_app *app, int argc, char **argv);
int cmd_evaluate_tiers(fc_app *app, int argc, char **argv);
/* cmd_report.c: `report monthly`, the monthly analysis (issue 7). */
int cmd_report(fc_app *app, int argc, char **argv);

/* cmd_pump.c: the swipe decision and the pump-side records (issue 4). */
int cmd_lookup(fc_app *app, int argc, char **argv);
int cmd_visit(fc_app *app, int argc, char **argv);
int cmd_redeem(fc_app *app, int argc, char **argv);
int cmd_register(fc_app *app, int argc, char **argv);

/* cmd_reader.c: the installer's card-reader test (issue 3). */
int cmd_reader_test(fc_app *app, int argc, char **argv);

#endif
