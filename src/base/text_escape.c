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

char *text_escape(char *dst, size_t n, const char *s, size_t len)
{
	static const char more[] = "...";
	size_t out = 0, i = 0;
	if (n == 0)
		return dst;
	while (i < len) {
		char piece[16];
		size_t plen;
		uint32_t cp;
		size_t clen = text_width_decode(s + i, len - i, &cp);
		if (clen == 0) {
			plen = (size_t)snprintf(piece, sizeof piece, "\\x%02X", (unsigned char)s[i]);
			clen = 1;
		} else if (cp == '\n' || cp == '\r' || cp == '\t') {
			plen = (size_t)snprintf(piece, sizeof piece, "\\%c",
						cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't');
		} else if (cp < 0x80 && text_escape_hidden(cp)) {
			plen = (size_t)snprintf(piece, sizeof piece, "\\x%02X", (unsigned)cp);
		} else if (text_escape_hidden(cp)) {
			plen = (size_t)snprintf(piece, sizeof piece, "\\u%04X", (unsigned)cp);
		} else {
			memcpy(piece, s + i, clen);
			plen = clen;
		}
		/* room for this piece, and for "..." if more follows */
		size_t need = out + plen + (i + clen < len ? sizeof more - 1 : 0) + 1;
		if (need > n) {
			if (out + sizeof more <= n) {
				memcpy(dst + out, more, sizeof more - 1);
				out += sizeof more - 1;
			}
			break;
		}
		memcpy(dst + out, piece, plen);
		out += plen;
		i += clen;
	}
	dst[out] = '\0';
	return dst;
}
