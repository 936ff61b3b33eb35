/* swipe.h — the swipe screen's state, shared by its key/tick logic
 * (screen_swipe.c) and its drawing (swipe_view.c). */
#ifndef FC_UI_SWIPE_H
#define FC_UI_SWIPE_H

#include <stdbool.h>
#include <stdint.h>

#include "pump/lookup.h"
#include "ui/core/screen.h"
#include "ui/core/text.h"

/* The grade is chosen with letter keys (A = first of [fuel] grades) at any
 * time on the form, so digits only ever go into a field. */
typedef enum {
	SWIPE_FOCUS_LITRES,
	SWIPE_FOCUS_AMOUNT, /* yuan */
	SWIPE_FOCUS_PUMP,
	SWIPE_FOCUS_REDEEM, /* points to redeem */
	SWIPE_FOCUS_COUNT
} swipe_focus;

typedef struct swipe_state {
	bool anonymous;         /* fuelling without a card */
	fc_card_view view;      /* lookup result (registered, blocked, ...) */
	bool blocked_recorded;  /* the blocked_card_seen record was stored */
	char blocked_error[256]; /* why it could not be stored, "" = fine */
	int grade;              /* index in cfg->grades, -1 = none yet */
	text_field litres, amount, pump, redeem;
	swipe_focus focus;
	bool refused;           /* a key was refused in the focused field: error stays,
				   further characters are refused until Bksp */
	char saved[256];        /* "Saved ✓ ..." after COMMIT, "" = none */
	char error[512];        /* last failure, values stay for a retry */
	int64_t last_key_ms;    /* mono ms of the last key (idle timeout) */
} swipe_state;

/* "A-D" for the grade keys of cfg into buf. */
const char *swipe_grade_keys(const fc_config *cfg, char *buf, size_t n);

/* Draw the whole swipe screen into body. */
void swipe_view_draw(ui_ctx *ui, const swipe_state *s, WINDOW *body);

#endif
