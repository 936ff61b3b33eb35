/* register.h — the registration form for an unknown card (name, phone,
 * plate, nature, industry); on success the swipe screen shows the new
 * customer, ready for the fuelling. */
#ifndef FC_UI_REGISTER_H
#define FC_UI_REGISTER_H

#include "ui/core/screen.h"

/* Push the form for card_id (an unknown card). */
unsigned register_screen_open(ui_ctx *ui, const char *card_id);

#endif
