/* archive_ui.h — the customer archive screens (Home): search, the customer
 * card (edited by a station head or admin) and registering a potential one. */
#ifndef FC_UI_ARCHIVE_H
#define FC_UI_ARCHIVE_H

#include <stdbool.h>

#include "staff/staff.h"
#include "ui/core/screen.h"
#include "ui/core/text.h"

/* Home, from any screen: the search screen (needs a staff login, F6). */
unsigned archive_screen_open(ui_ctx *ui);

/* True when the staff member logged in (F6) may change the archive: a
 * station head or an admin; *who receives them (may be NULL). */
bool archive_ui_editor(ui_ctx *ui, fc_staff *who);

/* The card of customer code above the search screen; *stale (the search
 * screen's, which outlives the card) is set when a save changed the
 * customer.  Returns ui_push's reaction. */
unsigned archive_edit_card_open(ui_ctx *ui, const char *code, bool *stale);

/* ^L on the card: the fuel ledger 用油台账 of customer code, this month
 * (screen_statement.c).  Returns ui_push's reaction. */
unsigned statement_screen_open(ui_ctx *ui, const char *code);

/* The potential-customer form (head or admin).  On success the new code
 * becomes *query (the search screen's, which outlives the form) and *stale
 * is set.  Returns ui_push's reaction. */
unsigned archive_edit_register_open(ui_ctx *ui, text_field *query, bool *stale);

#endif
