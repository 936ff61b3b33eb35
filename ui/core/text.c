/* text.c — width-correct UTF-8 fitting and the input field (see text.h).
 * Widths and cutting are src/base/text_width.c's (the CLI's too). */
#include "ui/core/text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

void text_put(WINDOW *win, int y, int x, const char *s, int cols)
{
	char buf[1024];
	if (cols <= 0)
		return;
	text_width_fit(buf, sizeof buf, s, cols, true);
	mvwaddstr(win, y, x, buf);
}

void text_put_centred(WINDOW *win, int y, int x, const char *s, int cols)
{
	int w = text_width(s);
	int left = w < cols ? (cols - w) / 2 : 0;
	char buf[1024];
	text_width_fit(buf, sizeof buf, s, cols - left, false);
	mvwhline(win, y, x, ' ', cols);
	mvwaddstr(win, y, x + left, buf);
}

static size_t field_chars(const text_field *f)
{
	size_t count = 0;
	for (const char *p = f->buf; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			count++;
	return count;
}

static bool field_accepts(const text_field *f, wint_t ch)
{
	switch (f->kind) {
	case FIELD_DIGITS:
		return ch >= '0' && ch <= '9';
	case FIELD_PHONE:
		return (ch >= '0' && ch <= '9') || ch == '-' || ch == ' ' || ch == '+';
	case FIELD_DECIMAL: {
		const char *dot = strchr(f->buf, '.');
		if (ch == '.')
			return !dot && f->buf[0];
		if (ch < '0' || ch > '9')
			return false;
		return !dot || strlen(dot + 1) < 2;
	}
	case FIELD_TEXT:
	default:
		return iswprint(ch) && wcwidth((wchar_t)ch) > 0;
	}
}

char *text_ellipsis(char *dst, size_t n, const char *s, int cols)
{
	if (text_width(s) <= cols) {
		text_width_fit(dst, n, s, cols, false);
		return dst;
	}
	const char *dots = "\u2026";
	int dw = text_width(dots);
	text_width_fit(dst, n, s, cols > dw ? cols - dw : 0, false);
	size_t len = strlen(dst);
	while (len > 0 && dst[len - 1] == ' ')
		len--;
	snprintf(dst + len, n - len, "%s", dots);
	return dst;
}

int text_put_wrapped(WINDOW *win, int y, int x, const char *s, int cols, int max_rows)
{
	int rows = 0;
	char part[512];
	while (*s && rows < max_rows && cols > 1) {
		text_width_fit(part, sizeof part, s, cols, false);
		size_t used = strlen(part);
		if (used == 0)
			break;
		const char *nl = memchr(s, '\n', used);
		if (nl) {
			used = (size_t)(nl - s);
			part[used] = '\0';
		}
		text_put(win, y + rows, x, part, cols);
		rows++;
		s += used + (nl ? 1 : 0);
	}
	return rows;
}


bool text_field_insert(text_field *f, wint_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	if (!field_accepts(f, ch) || field_chars(f) >= f->max_chars)
		return false;
	memset(&st, 0, sizeof st);
	size_t len = wcrtomb(mb, (wchar_t)ch, &st);
	size_t used = strlen(f->buf);
	if (len == (size_t)-1 || used + len + 1 > sizeof f->buf)
		return false;
	memcpy(f->buf + used, mb, len);
	f->buf[used + len] = '\0';
	return true;
}

bool text_field_erase(text_field *f)
{
	size_t len = strlen(f->buf);
	if (len == 0)
		return false;
	while (len > 0) {
		len--;
		if (((unsigned char)f->buf[len] & 0xC0) != 0x80)
			break;
	}
	f->buf[len] = '\0';
	return true;
}

void text_field_clear(text_field *f)
{
	f->buf[0] = '\0';
}

bool text_field_hundredths(const text_field *f, long long *out)
{
	const char *p = f->buf;
	long long whole = 0, frac = 0;
	int frac_digits = 0;
	if (!*p || *p == '.')
		return false;
	for (; *p && *p != '.'; p++) {
		if (*p < '0' || *p > '9' || whole > 100000000LL)
			return false;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p; p++) {
			if (*p < '0' || *p > '9' || frac_digits == 2)
				return false;
			frac = frac * 10 + (*p - '0');
			frac_digits++;
		}
	}
	if (frac_digits == 1)
		frac *= 10;
	*out = whole * 100 + frac;
	return true;
}
