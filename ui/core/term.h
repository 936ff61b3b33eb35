/* term.h — the terminal's life cycle: curses start, restore on every exit
 * path (normal return, exit(), SIGTERM/SIGHUP, SIGSEGV/SIGABRT/SIGBUS/SIGFPE). */
#ifndef FC_UI_TERM_H
#define FC_UI_TERM_H

#include <stdbool.h>

/* Save the tty modes, install the restore hooks, start curses (raw: Ctrl-C
 * and Ctrl-Z arrive as keys, so kiosk mode can refuse them), colours.
 * false when stdin/stdout is not a terminal (message on stderr). */
bool term_start(void);

/* End curses and restore the saved tty modes; harmless to call twice. */
void term_stop(void);

/* True (and cleared) when SIGTERM, SIGHUP or SIGINT asked the kiosk to stop. */
bool term_stop_requested(void);

/* True when SIGINT arrived (a kill -INT from outside, not a key). */
bool term_interrupt_seen(void);

/* The name of the terminal on stdin ("/dev/tty1"), "?" when none. */
const char *term_tty_name(void);

#endif
