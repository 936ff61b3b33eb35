/* text_check.c — strict UTF-8, control characters and blank-only texts. */
#include "base/text_check.h"

#include <string.h>

#include "base/tr.h"

long text_check_utf8(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < n) {
		unsigned char b = s[i];
		size_t len;
		unsigned cp;
		if (b < 0x80) {
			i++;
			continue;
		} else if (b >= 0xC2 && b <= 0xDF) {
			len = 2, cp = b & 0x1F;
		} else if (b >= 0xE0 && b <= 0xEF) {
			len = 3, cp = b & 0x0F;
		} else if (b >= 0xF0 && b <= 0xF4) {
			len = 4, cp = b & 0x07;
		} else {
			return (long)i;
		}
		if (i + len > n)
			return (long)i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return (long)i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return (long)i;
		i += len;
	}
	return -1;
}

/* Length of a blank at s (space, tab, U+3000 ideographic space), 0 if none. */
static size_t blank_at(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	if (strncmp(s, "\xE3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

bool text_check_blank(const char *s)
{
	if (!s)
		return true;
	for (size_t k; *s; s += k)
		if (!(k = blank_at(s)))
			return false;
	return true;
}

int text_check_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	if (n == max && s[n] != '\0')
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* s[n] continues a character: cut before it starts */
	return (int)n;
}

fc_status text_check_fields(const char *const (*fields)[2], size_t n, fc_error *err)
{
	fc_status s = FC_OK;
	for (size_t i = 0; !s && i < n; i++)
		s = text_check_field(fields[i][0], fields[i][1], err);
	return s;
}

fc_status text_check_field(const char *field, const char *value, fc_error *err)
{
	if (!value || !*value)
		return FC_OK;
	size_t n = strlen(value);
	long bad = text_check_utf8(value, n);
	if (bad >= 0)
		return fc_error_set(err, FC_ERR_INVALID,
				    FC_TR("field '%s': not UTF-8 (byte %ld; is the terminal or "
					  "file GBK? use UTF-8)"),
				    field, bad + 1);
	const unsigned char *s = (const unsigned char *)value;
	for (size_t i = 0; i < n; i++) {
		/* C0 controls and DEL; C1 controls are U+0080..U+009F, 0xC2 0x80..0x9F */
		bool c1 = s[i] == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F;
		if (s[i] < 0x20 || s[i] == 0x7F || c1)
			return fc_error_set(err, FC_ERR_INVALID,
					    FC_TR("field '%s': control characters (tab, newline, "
						  "escape ...) are not allowed (byte %zu)"),
					    field, i + 1);
	}
	if (text_check_blank(value))
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("field '%s': only blanks"), field);
	return FC_OK;
}
