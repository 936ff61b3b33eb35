/* swipe.h — the swipe screen's state, shared by its key/tick logic
 * (screen_swipe.c) and its drawing (swipe_view.c). */
#ifndef FC_UI_SWIPE_H
#define FC_UI_SWIPE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/uuid.h"
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
	char pump_before[sizeof(((text_field *)0)->buf)]; /* the pump when its field got
							     the focus: Esc there restores it */
	char saved[256];        /* "Saved ✓ ..." after COMMIT, "" = none: stays until a
				   key starts new input or the next customer */
	char error[512];        /* last failure, values stay for a retry; drawn under saved */
	int64_t last_key_ms;    /* mono ms of the last key (idle timeout) */
	/* [ui] ask_rating: the one-key rating of the fuelling just saved */
	bool rating;                        /* asked now, under the confirmation */
	char rating_visit[UUID_STR_LEN];    /* the visit it is linked to, "" = anonymous */
	int64_t rating_ms;                  /* mono ms it was asked */
	char next_card[80];                 /* swiped meanwhile: opened after the rating */
} swipe_state;

/* swipe_rating.c: ask the rating of visit_id (after its save). */
void swipe_rating_ask(swipe_state *s, const char *visit_id);
/* A key while the rating is asked (not a grade key: that starts the next
 * fuelling): 1-5 stores it, Esc skips it, another character says what to
 * press; UI_UNHANDLED for any other key. */
unsigned swipe_rating_key(ui_ctx *ui, swipe_state *s, const ui_key *key);
/* A card swiped while the rating is asked: kept, opened once the customer
 * has rated or Esc skipped (the screen says so). */
unsigned swipe_rating_card(ui_ctx *ui, swipe_state *s, const char *card_id);
/* The rating is no longer asked (rated, skipped, given up, timed out): the
 * kept card, if any, opens now (UI_HOME | its swipe screen), else UI_REDRAW. */
unsigned swipe_rating_close(ui_ctx *ui, swipe_state *s);
/* On the tick: [ui] idle_seconds after it was asked, the rating closes. */
unsigned swipe_rating_tick(ui_ctx *ui, swipe_state *s, int64_t mono_ms);
/* Draw the question at row y, the scale at row y + 2 and, at row y + 3
 * unless an error is shown there, that a next card waits. */
void swipe_rating_draw(ui_ctx *ui, const swipe_state *s, WINDOW *w, int y);

/* "A-D" for the grade keys of cfg into buf. */
const char *swipe_grade_keys(const fc_config *cfg, char *buf, size_t n);

/* Draw the whole swipe screen into body. */
void swipe_view_draw(ui_ctx *ui, const swipe_state *s, WINDOW *body);

#endif
