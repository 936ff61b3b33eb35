/* report_ui.h — the station head's monthly analysis screen (Ctrl-R), the
 * figures of src/report/report.h with bars; opener for ui/screens/screen_registry.c. */
#ifndef FC_UI_REPORT_UI_H
#define FC_UI_REPORT_UI_H

#include "ui/core/screen.h"

/* Ctrl-R: the monthly analysis of the current month for a logged-in (F6)
 * station head or admin; anyone else gets a message and nothing opens. */
unsigned report_screen_open(ui_ctx *ui);

#endif
