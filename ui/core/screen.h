/* screen.h — the kiosk's screen framework: screens as operation tables on a
 * stack, one key table (dispatch + F1 help + bottom key bar), reactions.
 *
 * HOW TO ADD A SCREEN (e.g. complaints):
 *  1. If it needs a new key, add one line to UI_ACTION_LIST below
 *     (action, key code, key label, bar label, help text).
 *  2. Write ui/screens/screen_NAME.c with a `static const screen_ops NAME_ops` and an
 *     opener `unsigned NAME_screen_open(ui_ctx *ui)` that allocates its state
 *     and returns ui_push(ui, &NAME_ops, state).
 *  3. To reach it from the idle screen by a key, add one line to the table
 *     in ui/screens/screen_registry.c: { UI_ACT_COMPLAINTS, care_gate_complaints_open }.
 *  Handlers never call refresh(), never loop, never block: they change their
 *  state and return a reaction; only the loop (ui/core/loop.c) acts on it.
 *  Keys the screen does not handle: return UI_UNHANDLED, the loop then tries
 *  the registry (global keys) and otherwise shows "key not available". */
#ifndef FC_UI_SCREEN_H
#define FC_UI_SCREEN_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>

#include "store/app.h"

#ifndef N_
#define N_(s) s /* marks a string for xgettext; translated where shown */
#endif

/* X-macro: action, key code, key label, bar label, help text.
 * A key may appear once.  The bar shows, in this order, the actions of the
 * current screen that have a bar label; F1 help lists every action the
 * current screen offers plus the global ones. */
#define UI_ACTION_LIST(X)                                                                  \
	X(UI_ACT_HELP, KEY_F(1), "F1", N_("Help"), N_("show the keys of this screen"))     \
	X(UI_ACT_DEMO_SWIPE, KEY_F(2), "F2", N_("Demo swipe"),                             \
	  N_("simulated reader: swipe a random card of the database"))                    \
	X(UI_ACT_REDEEM, KEY_F(3), "F3", N_("Redeem"), N_("redeem points (100 points = 1 yuan)")) \
	X(UI_ACT_REGISTER, KEY_F(4), "F4", N_("Register"), N_("register the unknown card as a new customer")) \
	X(UI_ACT_ANONYMOUS, KEY_F(5), "F5", N_("Anonymous"), N_("record a fuelling without a customer")) \
	X(UI_ACT_LOGIN, KEY_F(6), "F6", N_("Log in/out"), N_("staff login / logout"))      \
	X(UI_ACT_COMPLAINTS, KEY_F(7), "F7", N_("Complaints"), N_("the complaint book"))   \
	X(UI_ACT_CALLBACKS, KEY_F(8), "F8", N_("Callbacks"), N_("callbacks due"))          \
	X(UI_ACT_PUMP, KEY_F(9), "F9", N_("Pump"), N_("change the pump number"))           \
	X(UI_ACT_QUIT, KEY_F(10), "F10", N_("Quit"), N_("leave the kiosk (not in kiosk mode)")) \
	X(UI_ACT_BACK, 27, "Esc", N_("Back"), N_("back / to the idle screen"))            \
	X(UI_ACT_SAVE, '\n', "Enter", N_("Save"), N_("save / confirm"))                    \
	X(UI_ACT_NEXT, '\t', "Tab", N_("Next"), N_("next field"))                          \
	X(UI_ACT_PREV, KEY_BTAB, "S-Tab", NULL, N_("previous field"))                      \
	X(UI_ACT_UP, KEY_UP, "Up", NULL, N_("previous field / line"))                      \
	X(UI_ACT_DOWN, KEY_DOWN, "Down", NULL, N_("next field / line"))                    \
	X(UI_ACT_ERASE, KEY_BACKSPACE, "Bksp", NULL, N_("delete the last character"))  \
	X(UI_ACT_NEW, KEY_IC, "Ins", N_("New"), N_("new entry: complaint, callback, customer")) \
	X(UI_ACT_RESOLVE, KEY_F(11), "F11", N_("Next step"),                               \
	  N_("the next step of the selected entry: its result, approval, customer told, close")) \
	X(UI_ACT_ESCALATE, KEY_F(12), "F12", N_("Escalate"),                               \
	  N_("escalate the selected complaint: new severity and deadline"))                \
	X(UI_ACT_REPORT, KEY_END, "End", N_("Visit report"),                              \
	  N_("record a visit report for the selected customer"))                          \
	X(UI_ACT_ARCHIVE, KEY_HOME, "Home", N_("Customers"), N_("search the customer archive")) \
	X(UI_ACT_PAGE_UP, KEY_PPAGE, "PgUp", NULL, N_("previous page"))                    \
	X(UI_ACT_PAGE_DOWN, KEY_NPAGE, "PgDn", NULL, N_("next page"))                      \
	X(UI_ACT_MONTHLY, 18, "^R", N_("Monthly"), N_("monthly analysis (station head)"))   \
	X(UI_ACT_COMPETITORS, 6, "^F", N_("Competitors"),                                  \
	  N_("the archive: only the competitor customers, or everyone again"))             \
	X(UI_ACT_LEFT, KEY_LEFT, "Left", NULL, N_("previous month"))                       \
	X(UI_ACT_RIGHT, KEY_RIGHT, "Right", NULL, N_("next month"))                        \
	X(UI_ACT_LEDGER, 12, "^L", N_("Ledger"),                                           \
	  N_("the customer's fuel ledger: every fuelling of its cards in a month"))

typedef enum {
	UI_ACT_NONE = 0, /* a plain character (text input) or an unknown key */
#define UI_ACTION_ENUM(act, code, label, bar, help) act,
	UI_ACTION_LIST(UI_ACTION_ENUM)
#undef UI_ACTION_ENUM
	UI_ACT_COUNT
} ui_action;

#define UI_ACTION_BIT(a) (UINT64_C(1) << (a))

/* Reactions: a bitmask returned by every handler; only the loop acts. */
enum {
	UI_NONE = 0,
	UI_REDRAW = 1u << 0,    /* draw the current screen again */
	UI_BACK = 1u << 1,      /* pop the current screen (leave is called) */
	UI_HOME = 1u << 2,      /* pop everything down to the idle screen */
	UI_QUIT = 1u << 3,      /* leave the kiosk (refused in kiosk mode) */
	UI_PUSHED = 1u << 4,    /* ui_push queued a screen: enter it */
	UI_STATUS = 1u << 5,    /* refresh the status bar's figures */
	UI_UNHANDLED = 1u << 6, /* the key is not this screen's */
};

/* One key press, decoded through the key table. */
typedef struct ui_key {
	ui_action action; /* UI_ACT_NONE for text characters */
	wint_t ch;        /* the character or key code from get_wch */
	bool is_keycode;  /* true: ch is a KEY_* code */
} ui_key;

typedef struct ui_ctx ui_ctx;
struct reader;

/* A screen.  state is the pointer given to ui_push; the screen owns it and
 * frees it in leave.  Any callback except draw may be NULL. */
typedef struct screen_ops {
	const char *name;  /* stable id for logs and tests: "idle", "swipe" */
	uint64_t actions;  /* UI_ACTION_BIT(...) of the keys it offers (bar + help) */
	/* Optional: the keys offered right now (state-dependent); NULL = actions. */
	uint64_t (*actions_now)(const ui_ctx *ui, const void *state);
	void (*enter)(ui_ctx *ui, void *state);
	/* Draw the body window (between status bar and key bar); no refresh. */
	void (*draw)(ui_ctx *ui, void *state, WINDOW *body);
	unsigned (*on_key)(ui_ctx *ui, void *state, const ui_key *key);
	/* Called on every loop tick (≥ once a second) with clock_mono_ms(). */
	unsigned (*on_tick)(ui_ctx *ui, void *state, int64_t mono_ms);
	/* A card was swiped while this screen is on top.  NULL: the loop goes
	 * home and opens the swipe screen for it. */
	unsigned (*on_card)(ui_ctx *ui, void *state, const char *card_id);
	void (*leave)(ui_ctx *ui, void *state);
	/* Optional: true while the screen holds typed input not yet saved; the
	 * loop then refuses a swipe that would close it and asks again on F10. */
	bool (*unsaved)(ui_ctx *ui, void *state);
	/* Optional: a line for F1 help about keys outside the key table (the
	 * swipe screen's grade keys), '\n' between lines; "" = nothing to add. */
	void (*help_note)(const ui_ctx *ui, const void *state, char *buf, size_t n);
	/* Optional: the key bar's word for action a on this screen when the
	 * screen gives the key another meaning (Home = top of the report);
	 * NULL = the key table's. */
	const char *(*bar_text)(const ui_ctx *ui, const void *state, ui_action a);
	/* Optional: true while the screen stands on the staff member logged in
	 * with F6 (a head's complaint book, the monthly analysis): when that
	 * login ends (F6 logout, idle expiry, another member) the loop closes
	 * it and every screen above it.  NULL = never. */
	bool (*needs_login)(const void *state);
	/* Optional: called after a turn's draw while this screen is on top, so
	 * a screen can show a first answer at once and read the rest now (the
	 * swipe screen: the decision from the card's row, then the card's whole
	 * view); a reaction with UI_REDRAW draws again in the same turn, before
	 * any key is read.  UI_NONE: nothing more to do.  NULL = never. */
	unsigned (*after_draw)(ui_ctx *ui, void *state);
} screen_ops;

/* Shared kiosk context: everything a screen may use.  Owned by the loop. */
struct ui_ctx {
	fc_app *app;          /* config, database, acting staff (app->staff_id) */
	struct reader *rd;    /* the card reader (drivers/reader.h) */
	int rows, cols;       /* terminal size */
	int last_pump;        /* last pump used on this terminal (default for the next) */
	char flash[256];      /* one-line message under the body, "" = none */
	bool flash_error;     /* draw flash in the error colour */
	int64_t flash_until;  /* mono ms when the flash disappears, 0 = stays */
	struct ui_stack *stack; /* private to loop.c */
	int wake_fd;          /* eventfd the loop polls (-1: none): a screen's background
				 job writes 1 to it when done, the loop then redraws */
	const struct uploader *up; /* the kiosk's uploader thread (NULL: none), for the
				      status bar: waiting for another uploader's lock */
	int64_t last_key_ms;  /* clock_mono_ms() of the last key anywhere in the kiosk */
};

/* Queue a screen to go on top of the stack; returns UI_PUSHED (return it
 * from the handler).  ops must be static; state is owned by the screen. */
unsigned ui_push(ui_ctx *ui, const screen_ops *ops, void *state);

/* Show a one-line message below the body; error = red.  seconds 0 = until
 * the next flash. */
void ui_flash(ui_ctx *ui, bool error, int seconds, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* From a screen's draw: show the terminal's text cursor at (y, x) of the
 * body, where the next typed character goes.  Without a call this turn the
 * cursor is hidden. */
void ui_show_cursor(ui_ctx *ui, int y, int x);

/* The ops of the screen on top, NULL when none; its state. */
const screen_ops *ui_top(const ui_ctx *ui);
void *ui_top_state(const ui_ctx *ui);

/* Key table lookups (ui/core/keys.c). */
ui_action ui_action_for_key(wint_t ch, bool is_keycode);
const char *ui_action_label(ui_action a); /* "F1", "Esc" */
const char *ui_action_bar(ui_action a);   /* translated bar label, NULL = not on the bar */
const char *ui_action_help(ui_action a);  /* translated help text */

/* The keys the top screen offers now (actions_now, else actions). */
uint64_t ui_top_actions(const ui_ctx *ui);

/* The top screen's help_note into buf ("" when it has none). */
void ui_top_help_note(const ui_ctx *ui, char *buf, size_t n);

/* Opens a global screen for an action not handled by the top screen
 * (ui/screens/screen_registry.c); UI_UNHANDLED when no screen is registered. */
unsigned registry_open(ui_ctx *ui, ui_action a);
/* Actions that have a registered screen, as UI_ACTION_BIT mask. */
uint64_t registry_actions(void);

#endif
