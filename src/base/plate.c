/* plate.c — licence plates in their one stored form: separators dropped,
 * ASCII letters upper-case, lists joined by ", ". */
#include "base/plate.h"

#include <stdio.h>
#include <string.h>

/* The byte length of a plate separator at p (ASCII space, '-', '.', '_',
 * U+00B7 middle dot, U+2022 bullet, U+30FB katakana dot, U+3000 ideographic
 * space, U+FF0D fullwidth hyphen), 0 when p is none. */
static size_t plate_separator(const char *p)
{
	static const char *const wide[] = { "\xC2\xB7", "\xE2\x80\xA2", "\xE3\x83\xBB",
					    "\xE3\x80\x80", "\xEF\xBC\x8D" };
	if (*p == ' ' || *p == '-' || *p == '.' || *p == '_' || *p == '\t')
		return 1;
	for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (strncmp(p, wide[i], strlen(wide[i])) == 0)
			return strlen(wide[i]);
	return 0;
}

/* The byte length of the UTF-8 character at p (1 for a stray byte). */
static size_t utf8_len(const char *p)
{
	unsigned char c = (unsigned char)*p;
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

/* One plate (len bytes at in) in canonical form appended to out. */
static void plate_one(const char *in, size_t len, char *out, size_t n)
{
	char bare[PLATE_LEN];
	size_t b = 0;
	for (size_t i = 0; i < len && b + 5 < sizeof bare;) {
		size_t sep = plate_separator(in + i);
		if (sep) {
			i += sep;
			continue;
		}
		size_t c = utf8_len(in + i);
		if (i + c > len)
			break;
		for (size_t k = 0; k < c; k++) {
			char ch = in[i + k];
			bare[b++] = c == 1 && ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
		}
		i += c;
	}
	bare[b] = '\0';
	size_t used = strlen(out);
	snprintf(out + used, n - used, "%s", bare);
}

/* A separator between plates: ',', ';', '/', U+FF0C, U+FF1B, U+3001. */
static size_t plate_list_separator(const char *p)
{
	static const char *const seps[] = { ",", ";", "/", "\xEF\xBC\x8C", "\xEF\xBC\x9B",
					    "\xE3\x80\x81" };
	for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++)
		if (strncmp(p, seps[i], strlen(seps[i])) == 0)
			return strlen(seps[i]);
	return 0;
}

void plate_normalise(const char *in, char *out, size_t n)
{
	if (!n)
		return;
	out[0] = '\0';
	const char *start = in;
	for (const char *p = in;; ) {
		size_t sep = *p ? plate_list_separator(p) : 0;
		if (*p && !sep) {
			p++;
			continue;
		}
		char one[PLATE_LEN] = "";
		plate_one(start, (size_t)(p - start), one, sizeof one);
		if (one[0]) {
			size_t used = strlen(out);
			snprintf(out + used, n - used, "%s%s", used ? ", " : "", one);
		}
		if (!*p)
			break;
		p += sep;
		start = p;
	}
}

bool plate_like(const char *text)
{
	char canon[PLATE_LEN];
	plate_normalise(text, canon, sizeof canon);
	size_t first = canon[0] ? utf8_len(canon) : 0;
	/* a middle dot, or a province character and the office letter */
	return strstr(text, "\xC2\xB7") != NULL ||
	       (first > 1 && canon[first] >= 'A' && canon[first] <= 'Z');
}

bool plate_valid(const char *canon)
{
	bool alnum = false; /* of the plate being read */
	for (const char *p = canon;; p++) {
		if (*p == ',' || !*p) { /* the end of one plate of the list */
			if (!alnum && (p > canon || *p))
				return false;
			if (!*p)
				return true;
			alnum = false;
			while (p[1] == ' ')
				p++;
			continue;
		}
		unsigned char c = (unsigned char)*p;
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			alnum = true;
		else if (c < 0x80)
			return false; /* ASCII punctuation or a lower-case letter left */
		else if (c == 0xEF && (unsigned char)p[1] == 0xBC && p[2]) {
			unsigned char low = (unsigned char)p[2] & 0x3F; /* U+FF00 + low */
			if (low <= 0x0F || (low >= 0x1A && low <= 0x20) || low >= 0x3B)
				return false; /* fullwidth punctuation: ！，．／ ... */
		}
	}
}
