/* theme.c — colour pairs of the kiosk (see theme.h); falls back to
 * reverse/bold on a terminal without colours. */
#include "ui/core/theme.h"

#include <stdbool.h>

typedef struct tier_colour {
	short fg, bg;      /* 8-colour terminal */
	short fg256, bg256; /* 256-colour terminal: each tier distinct */
} tier_colour;

static const tier_colour tier_colours[TIER_COUNT] = {
	[TIER_BIG_DIAMOND] = { COLOR_WHITE, COLOR_MAGENTA, 231, 91 },   /* purple */
	[TIER_BIG_GOLD] = { COLOR_BLACK, COLOR_YELLOW, 16, 220 },       /* gold */
	[TIER_BIG_SILVER] = { COLOR_BLACK, COLOR_WHITE, 16, 250 },      /* silver grey */
	[TIER_BIG_ORDINARY] = { COLOR_WHITE, COLOR_BLUE, 231, 25 },     /* blue */
	[TIER_IND_PLATINUM] = { COLOR_BLACK, COLOR_CYAN, 16, 117 },     /* pale blue */
	[TIER_IND_GOLD] = { COLOR_BLACK, COLOR_YELLOW, 16, 178 },       /* darker gold */
	[TIER_IND_SILVER] = { COLOR_BLACK, COLOR_WHITE, 16, 252 },      /* light grey */
	[TIER_IND_ORDINARY] = { COLOR_WHITE, COLOR_BLUE, 231, 61 },     /* slate */
};

void theme_init(void)
{
	if (!has_colors())
		return;
	bool rich = COLORS >= 256;
	init_pair(THEME_STATUS, COLOR_WHITE, COLOR_BLUE);
	init_pair(THEME_KEYBAR, COLOR_BLACK, COLOR_CYAN);
	init_pair(THEME_KEYNAME, COLOR_WHITE, COLOR_BLACK);
	init_pair(THEME_ERROR, COLOR_WHITE, COLOR_RED);
	init_pair(THEME_OK, COLOR_BLACK, COLOR_GREEN);
	init_pair(THEME_GREEN_LANE, COLOR_BLACK, COLOR_GREEN);
	init_pair(THEME_BLOCKED, COLOR_WHITE, COLOR_RED);
	init_pair(THEME_UNKNOWN, COLOR_BLACK, COLOR_YELLOW);
	init_pair(THEME_FIELD, COLOR_BLACK, COLOR_WHITE);
	init_pair(THEME_FOCUS, COLOR_WHITE, COLOR_BLUE);
	/* grey: 244 on white, 250 on blue (256 colours); else black/white dimmed */
	init_pair(THEME_EXAMPLE, rich ? 244 : COLOR_BLACK, COLOR_WHITE);
	init_pair(THEME_EXAMPLE_FOCUS, rich ? 250 : COLOR_WHITE, COLOR_BLUE);
	for (int t = 0; t < TIER_COUNT; t++) {
		const tier_colour *c = &tier_colours[t];
		init_pair((short)(THEME_TIER_FIRST + t), rich ? c->fg256 : c->fg,
			  rich ? c->bg256 : c->bg);
	}
}

attr_t theme_attr(int purpose)
{
	if (!has_colors())
		return purpose == THEME_FIELD	? A_UNDERLINE
		       : purpose == THEME_EXAMPLE ? A_UNDERLINE | A_DIM
		       : purpose == THEME_EXAMPLE_FOCUS ? A_REVERSE | A_DIM
						  : A_REVERSE;
	if (purpose == THEME_EXAMPLE || purpose == THEME_EXAMPLE_FOCUS)
		return COLOR_PAIR(purpose) | (COLORS >= 256 ? 0 : A_DIM);
	attr_t bold = (purpose == THEME_ERROR || purpose == THEME_BLOCKED ||
		       purpose == THEME_GREEN_LANE || purpose == THEME_OK)
			      ? A_BOLD
			      : 0;
	return COLOR_PAIR(purpose) | bold;
}

attr_t theme_tier_attr(fc_tier t)
{
	if (!has_colors())
		return A_REVERSE | A_BOLD;
	return COLOR_PAIR(THEME_TIER_FIRST + (int)t) | A_BOLD;
}
