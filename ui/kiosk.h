/* kiosk.h — the full-screen kiosk and the demo that starts it. */
#ifndef FC_KIOSK_H
#define FC_KIOSK_H

#include <stddef.h>

#include "store/app.h"

/* `forecourt [kiosk]`: run the TUI until the user quits; exit code. */
int kiosk_command(fc_app *app, int argc, char **argv);

/* The meta key under which this terminal's last pump is kept
 * ("ui_last_pump:" + the tty's name) into buf. */
void kiosk_pump_key(char *buf, size_t n);

/* `forecourt demo`: build the demo database if missing, then the kiosk. */
int demo_command(fc_app *app, int argc, char **argv);

#endif
