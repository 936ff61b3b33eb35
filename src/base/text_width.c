/* text_width.c — UTF-8 decoding and display widths without the locale (so
 * the CLI in a C locale cuts and pads Chinese right), see text_width.h. */
#include "base/text_width.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

size_t text_width_decode(const char *s, size_t avail, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;
	uint32_t c, min;
	if (avail == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0)
		len = 2, c = u[0] & 0x1F, min = 0x80;
	else if ((u[0] & 0xF0) == 0xE0)
		len = 3, c = u[0] & 0x0F, min = 0x800;
	else if ((u[0] & 0xF8) == 0xF0)
		len = 4, c = u[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > avail)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Columns of code point c: 0 for controls and combining marks, 2 for East
 * Asian wide and fullwidth characters, else 1. */
static int codepoint_width(uint32_t c)
{
	static const uint32_t zero[][2] = {
		{ 0x0000, 0x001F }, { 0x007F, 0x009F }, { 0x0300, 0x036F }, { 0x200B, 0x200F },
		{ 0x2028, 0x202E }, { 0x2060, 0x2064 }, { 0xFE00, 0xFE0F }, { 0xFEFF, 0xFEFF },
	};
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x2E80, 0x303E },
		{ 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
		{ 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 },
		{ 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F },
		{ 0x1F900, 0x1F9FF }, { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
	};
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (c >= zero[i][0] && c <= zero[i][1])
			return 0;
	for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return 2;
	return 1;
}

/* One character at s: its byte length and width (an invalid byte: 1, 1). */
static size_t text_next(const char *s, int *width)
{
	uint32_t cp;
	size_t len = text_width_decode(s, SIZE_MAX, &cp); /* stops at the NUL */
	if (len == 0) {
		*width = 1; /* shown as one replacement column */
		return 1;
	}
	/* a UTF-8 locale's wcwidth() is what curses draws with; without one
	 * (a CLI in the C locale) the table above */
	int w = MB_CUR_MAX > 1 ? wcwidth((wchar_t)cp) : -1;
	*width = w >= 0 ? w : codepoint_width(cp);
	return len;
}

int text_width(const char *s)
{
	int total = 0, w;
	while (*s) {
		s += text_next(s, &w);
		total += w;
	}
	return total;
}

int text_width_fit(char *dst, size_t n, const char *s, int cols, bool pad)
{
	size_t out = 0;
	int used = 0, w;
	if (n == 0)
		return 0;
	while (*s) {
		size_t len = text_next(s, &w);
		if (used + w > cols)
			break;
		if (out + len + 1 > n)
			break;
		memcpy(dst + out, s, len);
		out += len;
		used += w;
		s += len;
	}
	while (pad && used < cols && out + 2 <= n) {
		dst[out++] = ' ';
		used++;
	}
	dst[out] = '\0';
	return used;
}

const char *text_width_cell(char *dst, size_t n, const char *s, int cols)
{
	text_width_fit(dst, n, s ? s : "", cols, true);
	return dst;
}
