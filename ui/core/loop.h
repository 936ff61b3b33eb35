/* loop.h — the kiosk's one event loop: poll() over the terminal, the card
 * reader and the uploader's wake fd; runs the screen stack of screen.h. */
#ifndef FC_UI_LOOP_H
#define FC_UI_LOOP_H

#include "ui/core/screen.h"

/* Opens the swipe screen for a card (ui/screens/screen_swipe.c); used by the loop
 * when the top screen has no on_card. */
unsigned swipe_screen_open(ui_ctx *ui, const char *card_id);

/* Opens the help screen generated from the key table (ui/screens/screen_help.c). */
unsigned help_screen_open(ui_ctx *ui);

/* F2: swipe a random card of the cards table through the simulated reader
 * (a message when the reader is not the simulator). */
unsigned idle_demo_swipe(ui_ctx *ui);

/* The idle screen's ops (ui/screens/screen_idle.c): the bottom of the stack. */
extern const screen_ops idle_screen_ops;

/* Run until quit (or SIGTERM/SIGHUP): ui->app and ui->rd must be set, the
 * terminal started (term.h).  wake_fd: readable when the uploader made an
 * attempt (-1 = none).  Returns 0, or 1 when the loop failed. */
int ui_loop_run(ui_ctx *ui, int wake_fd);

/* True when the kiosk may be left: not in kiosk mode, or an admin is
 * logged in (F6, with the admin's PIN). */
bool ui_may_quit(const ui_ctx *ui);

/* Leave every screen (their leave is called); used on exit. */
void ui_stack_clear(ui_ctx *ui);

#endif
