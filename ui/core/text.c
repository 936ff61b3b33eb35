/* text.c — width-correct UTF-8 fitting and the input field (see text.h).
 * Widths and cutting are src/base/text_width.c's (the CLI's too). */
#include "ui/core/text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "base/fitlog.h"

/* s in cols columns, padded; a wider s cut with "…" (noted when note). */
static void text_put_fitted(WINDOW *win, int y, int x, const char *s, int cols, bool note)
{
	char buf[1024];
	if (cols <= 0)
		return;
	if (y < 0 || y >= getmaxy(win)) { /* below the window: nothing of it shows */
		if (note && s[0])
			fitlog_cut(s, 0);
		return;
	}
	if (x + cols > getmaxx(win)) /* curses would cut it at the edge */
		cols = getmaxx(win) - x;
	if (cols <= 0)
		return;
	if (text_width(s) > cols) {
		if (note)
			fitlog_cut(s, cols);
		char cut[1024];
		text_ellipsis(cut, sizeof cut, s, cols);
		text_width_fit(buf, sizeof buf, cut, cols, true);
	} else {
		text_width_fit(buf, sizeof buf, s, cols, true);
	}
	mvwaddstr(win, y, x, buf);
}

void text_put(WINDOW *win, int y, int x, const char *s, int cols)
{
	text_put_fitted(win, y, x, s, cols, true);
}

void text_put_data(WINDOW *win, int y, int x, const char *s, int cols)
{
	text_put_fitted(win, y, x, s, cols, false);
}

void text_put_centred(WINDOW *win, int y, int x, const char *s, int cols)
{
	int w = text_width(s);
	if (cols <= 0)
		return;
	if (w > cols || y < 0 || y >= getmaxy(win)) {
		text_put(win, y, x, s, cols);
		return;
	}
	mvwhline(win, y, x, ' ', cols);
	mvwaddstr(win, y, x + (cols - w) / 2, s);
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

/* CJK closing punctuation that never starts a row: ，。、；：！？）」』》 */
static bool text_closing(const char *p)
{
	static const char *const marks[] = { "，", "。", "、", "；", "：", "！", "？", "）",
					     "」", "』", "》", "…" };
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strncmp(p, marks[i], strlen(marks[i])) == 0)
			return true;
	return false;
}

/* The start of the character before p (s <= p). */
static const char *text_prev_char(const char *s, const char *p)
{
	while (p > s) {
		p--;
		if (((unsigned char)*p & 0xC0) != 0x80)
			break;
	}
	return p;
}

/* One row of s wrapped at cols: the bytes of the row (*len) and of what
 * follows it before the next row starts (*skip: a newline or the space the
 * row broke at).  *len + *skip > 0 unless s is empty. */
static void text_wrap_row(const char *s, int cols, size_t *len, size_t *skip)
{
	char part[1024];
	text_width_fit(part, sizeof part, s, cols, false);
	size_t used = strlen(part);
	const char *nl = memchr(s, '\n', used < strlen(s) ? used + 1 : used);
	*skip = 0;
	if (nl) {
		*len = (size_t)(nl - s);
		*skip = 1;
		return;
	}
	if (used == 0) { /* not even one character fits: take it anyway */
		*len = 1;
		while (s[*len] && ((unsigned char)s[*len] & 0xC0) == 0x80)
			(*len)++;
		return;
	}
	*len = used;
	if (!s[used])
		return;
	if (s[used] == ' ') { /* breaks at a space that is there anyway */
		*skip = 1;
		return;
	}
	bool word = s[used] != ' ' && (unsigned char)s[used] < 0x80 && used > 0 &&
		    s[used - 1] != ' ' && (unsigned char)s[used - 1] < 0x80;
	if (word) { /* back to the last space of the row, if any */
		for (size_t i = used; i > 0; i--) {
			if (s[i - 1] == ' ') {
				*len = i - 1;
				*skip = 1;
				return;
			}
			if ((unsigned char)s[i - 1] >= 0x80)
				break; /* a CJK character: breaking after it is fine */
		}
	}
	if (text_closing(s + used)) { /* the mark stays with the character before */
		const char *p = text_prev_char(s, s + used);
		if (p > s)
			*len = (size_t)(p - s);
	}
}

int text_wrap_rows(const char *s, int cols)
{
	int rows = 0;
	size_t len, skip;
	if (cols <= 1)
		return *s ? 1 : 0;
	while (*s) {
		text_wrap_row(s, cols, &len, &skip);
		rows++;
		s += len + skip;
	}
	return rows;
}

int text_put_wrapped(WINDOW *win, int y, int x, const char *s, int cols, int max_rows)
{
	int rows = 0;
	size_t len, skip;
	char part[1024];
	while (*s && rows < max_rows && cols > 1) {
		text_wrap_row(s, cols, &len, &skip);
		if (rows == max_rows - 1 && s[len + skip]) { /* the last row: the rest, cut */
			snprintf(part, sizeof part, "%s", s);
			for (char *p = part; *p; p++)
				*p = *p == '\n' ? ' ' : *p;
			text_put(win, y + rows, x, part, cols);
			return rows + 1;
		}
		snprintf(part, sizeof part, "%.*s", (int)len, s);
		text_put(win, y + rows, x, part, cols);
		rows++;
		s += len + skip;
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
