/* text_escape.h — text from outside (head office's replies and messages)
 * made safe to print on a terminal, store and put in JSON: control
 * characters escaped, invalid UTF-8 shown as bytes, cut to a bound. */
#ifndef FC_TEXT_ESCAPE_H
#define FC_TEXT_ESCAPE_H

#include <stddef.h>

/* Copy len bytes of s (NUL bytes included) into dst (size n >= 8) as
 * valid UTF-8 without control characters: \n \r \t stay readable as those
 * two characters, other C0 controls, DEL and invalid bytes become \xNN, C1
 * controls and the invisible format characters that reorder or hide text
 * (U+200B..U+200F, U+2028..U+202E, U+2060..U+206F, U+FEFF) become \uNNNN.
 * Printable text, Chinese included, is copied as is.  When dst is too small
 * the text is cut between characters and ends with "..."; never an escape
 * cut in half.  s may be NULL (len 0).  Returns dst. */
char *text_escape(char *dst, size_t n, const char *s, size_t len);

#endif
