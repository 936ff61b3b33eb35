/* care.h — the station head's screens (login, complaint book, callbacks):
 * the head session that locks after [auth] idle_minutes, and a small form
 * of labelled fields the care screens share. */
#ifndef FC_UI_CARE_H
#define FC_UI_CARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "staff/staff.h"
#include "ui/core/screen.h"
#include "ui/core/text.h"

/* Openers for the registry (ui/screens/screen_registry.c). */
unsigned login_screen_open(ui_ctx *ui);         /* F6: shift login / logout */
unsigned care_gate_complaints_open(ui_ctx *ui); /* F7: head PIN, then the complaint book */
unsigned care_gate_callbacks_open(ui_ctx *ui);  /* F8: head PIN, then callbacks due */

/* An unlocked head session, owned by the PIN gate screen below the care
 * screens; they keep a pointer while they are above it on the stack. */
typedef struct care_session {
	fc_staff head;       /* who unlocked: records name this staff member */
	int64_t last_key_ms; /* clock_mono_ms() of the last key on a care screen */
	bool dirty;          /* a form saved: lists reload */
	bool shift;          /* opened by the head's F6 shift login: the idle lock logs out */
} care_session;

/* care_session.c: note a key on a care screen (keeps the session open). */
void care_session_touch(care_session *s);
/* The care screens behind the gate (session: the gate's, outlives them). */
unsigned complaints_list_open(ui_ctx *ui, care_session *session);
unsigned callbacks_list_open(ui_ctx *ui, care_session *session);

/* screen_complaints.c: the resolve form of c (its handling result); the
 * time left of c ("—" for a suggestion) and its kind ("general", ...,
 * "suggestion") and stage ("to approve 2/2", "closed") translated. */
struct fc_complaint;
struct fc_config;
unsigned complaints_resolve_open(ui_ctx *ui, care_session *session, const struct fc_complaint *c);
void complaints_time_left(const struct fc_complaint *c, char *out, size_t n);
const char *complaints_kind_label(const struct fc_complaint *c);
char *complaints_stage(const struct fc_config *cfg, const struct fc_complaint *c, char *out,
		       size_t n);
/* screen_complaint_steps.c: the whole entry c with its path (Enter), and
 * the form of its next step (F11): resolve, a level's approval, the head's
 * approval, the customer told, close. */
unsigned complaint_steps_detail_open(ui_ctx *ui, care_session *session,
				     const struct fc_complaint *c);
unsigned complaint_steps_next_open(ui_ctx *ui, care_session *session,
				   const struct fc_complaint *c);

/* On a care screen's tick: UI_HOME with a message once idle_minutes have
 * passed without a key (a shift session also logs the head out, so the PIN
 * is asked again), else UI_NONE. */
unsigned care_session_check(ui_ctx *ui, care_session *s, int64_t mono_ms);

/* Is the session still good for a save: its head still active with a head's
 * role and, a shift session, still the member logged in with F6?  false
 * with a "Not saved: ..." refusal in why (size n). */
bool care_session_valid(ui_ctx *ui, const care_session *s, char *why, size_t n);
/* screen_ops.needs_login of a care screen's state: a shift session. */
bool care_session_needs_login(const void *state);

/* The state of a care screen: size bytes, zeroed, whose first member is
 * the care_session pointer, set to session.  NULL (with a flash) when out
 * of memory.  The screen frees it in leave (care_session_leave). */
void *care_session_state_new(ui_ctx *ui, size_t size, care_session *session);
/* screen_ops.on_tick of such a state: care_session_check. */
unsigned care_session_on_tick(ui_ctx *ui, void *state, int64_t mono_ms);
/* screen_ops.leave of such a state that owns nothing else: frees it. */
void care_session_leave(ui_ctx *ui, void *state);

/* care_list.c: the selected row of a care screen's list; the first member
 * of the list screen's state (care_session_state_new sets the session). */
typedef struct care_list {
	care_session *session;
	size_t sel;   /* selected row, < count unless count is 0 */
	size_t count; /* rows loaded */
	bool loaded;  /* loaded once */
} care_list;

/* Push a list screen: its state of size bytes (first member a care_list,
 * zeroed, rows loaded on the first draw) on session.  ui_push's reaction. */
unsigned care_list_open(ui_ctx *ui, const screen_ops *ops, size_t size, care_session *session);
/* True when the rows must be (re)loaded: never loaded, or a form saved. */
bool care_list_stale(const care_list *l);
/* count rows were (re)loaded: the selection is kept in range. */
void care_list_loaded(care_list *l, size_t count);
/* A key on the list: Up/Down move the selection and
 * return true; any other key false. */
bool care_list_move(care_list *l, const ui_key *key);
/* The first row to draw when rows fit, so that the selection shows. */
size_t care_list_first(const care_list *l, int rows);

#define CARE_FORM_MAX 32 /* the visit report has 19 fields (issue 16) */
#define CARE_CHOICES_MAX 8

typedef struct care_field {
	const char *label;                         /* msgid, translated when drawn */
	const char *example;                       /* msgid shown in grey while the field is
						      empty ("e.g. ..."), NULL = none */
	text_field text;                           /* free text fields */
	bool secret;                               /* drawn as '*' (PINs) */
	const char *choices[CARE_CHOICES_MAX];     /* msgids; count 0 = free text */
	int nchoices;
	int choice;                                /* selected index, -1 = none yet */
} care_field;

typedef struct care_form {
	care_field fields[CARE_FORM_MAX];
	int count;
	int focus;      /* the field keys go to; -1 = none (a read-only form) */
	bool changed;   /* a key changed a field since the form opened */
	bool esc_armed; /* Esc pressed once with changes: the next Esc discards */
	bool refused;   /* the last key was refused by the focused field: its row says why */
	bool flagged;   /* a refused save named the focused field: its label is red */
	int top;        /* first field drawn when the form is taller than its rows */
} care_form;

/* Add a text field (max_chars ≤ 60); returns its index. */
int care_form_add_text(care_form *f, const char *label, field_kind kind, size_t max_chars,
		       bool secret);
/* Add a choice field (typed digit 1..n selects; initial -1 = nothing
 * selected yet); returns its index. */
int care_form_add_choice(care_form *f, const char *label, const char *const *choices, int n,
			 int initial);
/* Give text field i an example (msgid), drawn in grey while it is empty. */
void care_form_example(care_form *f, int i, const char *example);
/* Field navigation, erase and typing; true when the key was the form's.
 * A character the focused field refuses sets *refused (and f->refused). */
bool care_form_key(care_form *f, const ui_key *key, bool *refused);
/* Draw the fields from row y, at most rows rows (0: to the bottom of win),
 * cols wide: each label (in a column of at least label_cols, as wide as the
 * widest label needs) and its value; every choice of a choice field shown,
 * wrapped over rows.  The focused field is marked by ">" and bold, its value
 * highlighted and, for text, the terminal cursor at its end (ui_show_cursor);
 * a focused choice field says which keys choose.  A form taller than rows
 * scrolls to the focused field ("↑"/"↓" say more fields are there).
 * Returns the rows drawn. */
int care_form_draw(ui_ctx *ui, care_form *f, WINDOW *win, int y, int rows, int cols,
		   int label_cols);
/* Text of a field ("" for choice fields). */
const char *care_form_text(const care_form *f, int i);
/* A refused save: the message was set naming field i; the focus moves
 * there and its label is marked until the next key. */
void care_form_flag(care_form *f, int i);

/* The staff-number-and-PIN form of the F6 login (screen_login.c), also the
 * care gate's (care_gate.c).  The keys it offers: */
#define LOGIN_FORM_ACTIONS                                                         \
	(UI_ACTION_BIT(UI_ACT_SAVE) | UI_ACTION_BIT(UI_ACT_NEXT) |                 \
	 UI_ACTION_BIT(UI_ACT_BACK) | UI_ACTION_BIT(UI_ACT_ERASE))
/* True when a staff member is logged in with F6; *who receives them. */
bool login_form_logged_in(ui_ctx *ui, fc_staff *who);
/* Add the two fields to an empty f; the staff number of the member logged
 * in with F6 is filled in (focus on the PIN) when their role allows need. */
void login_form_init(ui_ctx *ui, care_form *f, fc_role need);
/* Check the typed staff number and PIN for role need (auth_login: failures
 * counted, lock-out), then wipe the PIN.  true with *who on success; false
 * with the refusal in the user's language in message (size n), focus on
 * the PIN. */
bool login_form_check(ui_ctx *ui, care_form *f, fc_role need, fc_staff *who, char *message,
		      size_t n);
/* Draw the form under title, with its hint and message (red, none when ""). */
void login_form_draw(ui_ctx *ui, care_form *f, WINDOW *body, const char *title,
		     const char *message);
/* A key for the form: UI_REDRAW when it was the form's (a refused key
 * flashes "Digits only here"), else UI_UNHANDLED. */
unsigned login_form_on_key(ui_ctx *ui, care_form *f, const ui_key *key);

/* A form screen's body below its title: the fields from row y, then hint,
 * then message in red (none when ""), wrapped to cols; the fields scroll
 * when all of it does not fit the window.  Returns the row after the last
 * one drawn. */
int care_form_draw_page(ui_ctx *ui, care_form *f, WINDOW *win, int y, int cols, int label_cols,
			const char *hint, const char *message);
/* A key for the form: UI_REDRAW when it was the form's (a refused
 * character flashes why, naming the field), else UI_UNHANDLED. */
unsigned care_form_on_key(ui_ctx *ui, care_form *f, const ui_key *key);

/* Esc on a form screen: UI_BACK when nothing changed or Esc was already
 * pressed once, else warn ("Unsaved changes: ... Esc again discards them")
 * and UI_REDRAW.  Any other key given to care_form_on_key disarms it. */
unsigned care_form_on_back(ui_ctx *ui, care_form *f);

/* The first member of a care form screen's state: the session, the form,
 * the refusal shown under it, and what Enter does. */
typedef struct care_form_page {
	care_session *session;
	care_form form;
	char message[256];                          /* "" = none; drawn in red */
	unsigned (*save)(ui_ctx *ui, void *state);  /* Enter: validate and save */
} care_form_page;

/* The keys a form page offers (screen_ops.actions). */
#define CARE_FORM_PAGE_ACTIONS                                                     \
	(UI_ACTION_BIT(UI_ACT_SAVE) | UI_ACTION_BIT(UI_ACT_NEXT) |                 \
	 UI_ACTION_BIT(UI_ACT_PREV) | UI_ACTION_BIT(UI_ACT_BACK) |                 \
	 UI_ACTION_BIT(UI_ACT_ERASE))
/* The screen_ops slots every form page shares; a page's table adds its
 * name, draw and any of help_note and on_card. */
#define CARE_FORM_PAGE_OPS                                                         \
	.actions = CARE_FORM_PAGE_ACTIONS, .unsaved = care_form_page_unsaved,      \
	.on_key = care_form_page_on_key, .on_tick = care_session_on_tick,          \
	.leave = care_session_leave, .needs_login = care_session_needs_login
/* The state of a form page screen (care_session_state_new) with save set;
 * NULL (with a flash) when out of memory. */
void *care_form_page_new(ui_ctx *ui, size_t size, care_session *session,
			 unsigned (*save)(ui_ctx *ui, void *state));
/* screen_ops.on_key of a form page: touches the session; Esc asks before
 * discarding changes (care_form_on_back); Enter clears the message and
 * calls save; other keys go to the form (care_form_on_key). */
unsigned care_form_page_on_key(ui_ctx *ui, void *state, const ui_key *key);
/* screen_ops.unsaved of a form page: a key changed a field. */
bool care_form_page_unsaved(ui_ctx *ui, void *state);
/* A save refused for field i left empty (or, a choice field, not chosen):
 * the message names it ("Not saved: fill in ...") and the focus moves
 * there (care_form_flag).  Returns i. */
int care_form_page_refuse(care_form_page *p, int i);
/* The end of save with the core's answer st: FC_OK marks the session's
 * lists dirty and returns UI_BACK | UI_REDRAW (the screen flashes what was
 * saved first); a refusal keeps the message the screen set for a case it
 * knows, else says "a station head or admin is needed" (FC_ERR_AUTH) or
 * "Not saved: " and the error, and returns UI_REDRAW. */
unsigned care_form_page_done(care_form_page *p, fc_status st, const fc_error *err);

#endif
