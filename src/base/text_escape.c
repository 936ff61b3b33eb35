/* text_escape.c — control characters and invalid UTF-8 escaped, the text
 * bounded (see text_escape.h). */
#include "base/text_escape.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/text_width.h"

/* Code points that move the cursor, reorder or hide text on a terminal. */
static bool text_escape_hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff;
}

/* The piece of output for the character at s[i]: its bytes in piece
 * (at most 6 + 1), *clen the input bytes it stands for; returns its length. */
static size_t text_escape_piece(const char *s, size_t len, size_t i, char *piece, size_t *clen)
{
	uint32_t cp;
	*clen = text_width_decode(s + i, len - i, &cp);
	if (*clen == 0) {
		*clen = 1;
		return (size_t)snprintf(piece, 8, "\\x%02X", (unsigned char)s[i]);
	}
	if (cp == '\n' || cp == '\r' || cp == '\t')
		return (size_t)snprintf(piece, 8, "\\%c", cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't');
	if (cp < 0x80 && text_escape_hidden(cp))
		return (size_t)snprintf(piece, 8, "\\x%02X", (unsigned)cp);
	if (text_escape_hidden(cp))
		return (size_t)snprintf(piece, 8, "\\u%04X", (unsigned)cp);
	memcpy(piece, s + i, *clen);
	return *clen;
}

char *text_escape(char *dst, size_t n, const char *s, size_t len)
{
	static const char more[] = "...";
	char piece[8];
	size_t clen, total = 0;
	if (n == 0)
		return dst;
	for (size_t i = 0; i < len; i += clen)
		total += text_escape_piece(s, len, i, piece, &clen);
	bool cut = total >= n;
	size_t room = cut ? (n > sizeof more ? n - sizeof more : 0) : n - 1, out = 0;
	for (size_t i = 0; i < len; i += clen) {
		size_t plen = text_escape_piece(s, len, i, piece, &clen);
		if (out + plen > room)
			break;
		memcpy(dst + out, piece, plen);
		out += plen;
	}
	if (cut && out + sizeof more <= n) {
		memcpy(dst + out, more, sizeof more - 1);
		out += sizeof more - 1;
	}
	dst[out] = '\0';
	return dst;
}
