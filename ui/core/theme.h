/* theme.h — the kiosk's colours: one pair per purpose, one per tier.
 * Green is reserved for the green lane and "Saved"; no tier uses it. */
#ifndef FC_UI_THEME_H
#define FC_UI_THEME_H

#include <curses.h>

#include "base/domain.h"

enum {
	THEME_STATUS = 1, /* status bar */
	THEME_KEYBAR,     /* function-key bar: labels */
	THEME_KEYNAME,    /* function-key bar: key names */
	THEME_ERROR,      /* red messages */
	THEME_OK,         /* "Saved ✓" */
	THEME_GREEN_LANE, /* the green lane bar */
	THEME_BLOCKED,    /* blocked card: white on red */
	THEME_UNKNOWN,    /* not registered: black on yellow-ish */
	THEME_FIELD,      /* input field */
	THEME_FOCUS,      /* focused input field */
	THEME_EXAMPLE,    /* an empty field's example, grey in the field */
	THEME_EXAMPLE_FOCUS, /* the same in the focused field */
	THEME_TIER_FIRST, /* TIER_COUNT pairs follow */
};

/* Set up the pairs (after start_color); harmless without colours. */
void theme_init(void);

/* Attribute for a purpose (COLOR_PAIR or A_REVERSE/A_BOLD without colour). */
attr_t theme_attr(int purpose);

/* Attribute of a tier's banner. */
attr_t theme_tier_attr(fc_tier t);

#endif
