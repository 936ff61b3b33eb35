/* text_width.h — display columns of UTF-8 text (CJK is 2) and cutting or
 * padding it to a width on character boundaries, for the CLI and the kiosk. */
#ifndef FC_TEXT_WIDTH_H
#define FC_TEXT_WIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode the UTF-8 character at s (at most avail bytes) into *cp: its byte
 * length, or 0 when the bytes there are not a well-formed character
 * (overlong, surrogate, past U+10FFFF, cut short by avail or a NUL). */
size_t text_width_decode(const char *s, size_t avail, uint32_t *cp);

/* Display columns of a UTF-8 string (invalid bytes count 1, controls 0).
 * Independent of the locale: a CLI run in the C locale measures the same. */
int text_width(const char *s);

/* Copy s into dst (size n) cut to at most cols display columns without
 * splitting a character, then pad with spaces to exactly cols when pad.
 * A wide character that would straddle the edge is left out.  Returns the
 * columns written. */
int text_width_fit(char *dst, size_t n, const char *s, int cols, bool pad);

/* A table cell for the CLI: s fitted and padded to cols columns in dst
 * (n bytes, 4 x cols + 1 is enough); returns dst. */
const char *text_width_cell(char *dst, size_t n, const char *s, int cols);

#endif
