/* kiosk.h — the full-screen kiosk and the demo that starts it. */
#ifndef FC_KIOSK_H
#define FC_KIOSK_H

#include <stddef.h>

#include "cli/cli.h"
#include "store/app.h"

/* `forecourt [kiosk]`: run the TUI until the user quits; exit code. */
int kiosk_command(fc_app *app, int argc, char **argv);
/* Its descriptor (run: kiosk_command) for ui/main.c. */
extern const cli_command kiosk_cli_command;

/* `forecourt demo`: build the demo database if missing, then the kiosk. */
int demo_command(fc_app *app, int argc, char **argv);
/* Its descriptor (run: demo_command) for ui/main.c. */
extern const cli_command demo_cli_command;

#endif
