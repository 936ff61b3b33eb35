/* plate.h — licence plates in their one stored form (README "Plates"), for
 * the archive, registration, search and both importers alike. */
#ifndef FC_PLATE_H
#define FC_PLATE_H

#include <stdbool.h>
#include <stddef.h>

#define PLATE_LEN 256 /* room for a normalised plate list and its NUL */

/* Plates in their one stored form: separators (spaces, '-', '.', '_',
 * middle dots U+00B7, U+2022, U+30FB, ideographic space, fullwidth hyphen)
 * dropped, ASCII letters upper-case: "渝a 21978", "渝A-21978" and
 * "渝A·21978" are all "渝A21978", so any part of a plate typed without
 * separators finds it.  A list (',' ';' '/' '，' '；' '、') becomes
 * "渝A1, 渝B2".  Writes at most n bytes (cut, never overrun). */
void plate_normalise(const char *in, char *out, size_t n);

/* True when every plate of a list in stored form (plate_normalise) is made
 * of letters, digits and Chinese characters with at least one letter or
 * digit: "!!!" or "渝A!" is no plate.  "" (no plate) is valid. */
bool plate_valid(const char *canon);

/* True when text reads as a plate (a middle dot, or a province character
 * and a letter): search then looks for its normalised form. */
bool plate_like(const char *text);

#endif
