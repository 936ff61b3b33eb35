/* keybar.h — the bottom key bar: the keys the screen on top offers, with
 * the global ones, wrapped onto a second row when one is not enough. */
#ifndef FC_UI_KEYBAR_H
#define FC_UI_KEYBAR_H

#include <stdbool.h>

#include "ui/core/screen.h"

#define UI_KEYBAR_MAX_ROWS 2

/* The rows (1 or 2) the key bar needs at ui->cols; drawn on stdscr from row
 * y when draw.  Order: the top screen's own keys (Enter, Esc, Tab first),
 * F1, the global screens' keys, F10 last (when the kiosk may be left).
 * A key that fits on neither row is noted for the fit test. */
int ui_keybar(ui_ctx *ui, bool draw, int y);

#endif
