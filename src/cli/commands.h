/* commands.h — the `forecourt` commands of src/cli/, one descriptor each
 * (cli.h), defined beside its run function; ui/main.c lists them. */
#ifndef FC_COMMANDS_H
#define FC_COMMANDS_H

#include "cli/cli.h"

/* cmd_pump.c: the swipe decision and the pump-side records (issue 4), the
 * headless twins of the swipe screen on one argument parser. */
extern const cli_command cmd_pump_lookup;
extern const cli_command cmd_pump_visit;
extern const cli_command cmd_pump_redeem;
extern const cli_command cmd_pump_register;

/* The database. */
extern const cli_command cmd_init;
extern const cli_command cmd_db;

/* Delivery to head office and the outbox (issue 5). */
extern const cli_command cmd_sync;
extern const cli_command cmd_outbox;

/* Staff and customer care (issue 6). */
extern const cli_command cmd_staff;
extern const cli_command cmd_audit;
extern const cli_command cmd_complaint;
extern const cli_command cmd_holidays;
extern const cli_command cmd_callback;
extern const cli_command cmd_feedback;

/* Archive, classes, tiers, imports and the monthly analysis (issue 7). */
extern const cli_command cmd_import;
extern const cli_command cmd_customer;
extern const cli_command cmd_classify;
extern const cli_command cmd_evaluate_tiers;
extern const cli_command cmd_report;

/* The fuel ledger 用油台账 (issue 16). */
extern const cli_command cmd_statement;

/* The installer's card-reader test (issue 3). */
extern const cli_command cmd_reader_test;

#endif
