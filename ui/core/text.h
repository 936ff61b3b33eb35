/* text.h — display-width aware text for the kiosk (CJK is 2 columns) and a
 * one-line input field.  Nothing here draws outside the width it is given. */
#ifndef FC_UI_TEXT_H
#define FC_UI_TEXT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "base/text_width.h"

/* text_width() and text_width_fit(): src/base/text_width.h, shared with the CLI. */

/* Draw s at (y, x) in win, padded to cols columns.  Text of the kiosk
 * (labels, messages) must fit: when s is wider it is cut with "…" at the
 * end, so it never looks whole, and the cut is noted for the fit test
 * (base/fitlog.h). */
void text_put(WINDOW *win, int y, int x, const char *s, int cols);

/* As text_put for a value that may be longer than its column (a name, a
 * complaint's content): cut with "…" at the end, not noted as a fault. */
void text_put_data(WINDOW *win, int y, int x, const char *s, int cols);

/* Draw s centred in a field of cols columns starting at x (cut as text_put). */
void text_put_centred(WINDOW *win, int y, int x, const char *s, int cols);

/* Put s into dst (size n) cut to cols display columns on a character
 * boundary, ending in "…" when cut.  Returns dst. */
char *text_ellipsis(char *dst, size_t n, const char *s, int cols);

/* The rows s takes wrapped to cols columns (text_put_wrapped's breaks). */
int text_wrap_rows(const char *s, int cols);

/* Draw s wrapped over rows y.. (at most max_rows) at column x, cols wide:
 * breaks at newlines, at a space before a word that does not fit, else
 * between any two characters (CJK), never before CJK closing punctuation.
 * Text left over after max_rows is cut as text_put cuts.  Returns the rows
 * used. */
int text_put_wrapped(WINDOW *win, int y, int x, const char *s, int cols, int max_rows);

typedef enum {
	FIELD_TEXT,    /* any printable character, CJK too */
	FIELD_DIGITS,  /* 0-9 */
	FIELD_DECIMAL, /* 0-9 and one '.', at most 2 decimals */
	FIELD_PHONE,   /* 0-9 + - space */
} field_kind;

/* A one-line input field; buf holds UTF-8. */
typedef struct text_field {
	char buf[128];
	field_kind kind;
	size_t max_chars; /* characters (not bytes) allowed, ≤ 60 */
} text_field;

/* Offer a typed character to f: true when it was taken; false when it is
 * not allowed here (the caller says so on screen). */
bool text_field_insert(text_field *f, wint_t ch);

/* Delete the last character; false when empty. */
bool text_field_erase(text_field *f);

/* Clear the field. */
void text_field_clear(text_field *f);

/* Parse a FIELD_DECIMAL value into hundredths (12.5 -> 1250); false when
 * empty or malformed. */
bool text_field_hundredths(const text_field *f, long long *out);

#endif
