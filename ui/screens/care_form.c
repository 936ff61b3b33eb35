/* care_form.c — the labelled form the care screens share, and the form
 * page (session, form, message, save) their form screens are built on. */
#include "ui/screens/care.h"

#include <stdio.h>
#include <string.h>

#include "ui/core/i18n.h"
#include "ui/core/loop.h"
#include "ui/core/theme.h"

int care_form_add_text(care_form *f, const char *label, field_kind kind, size_t max_chars,
		       bool secret)
{
	care_field *c = &f->fields[f->count];
	memset(c, 0, sizeof *c);
	c->label = label;
	c->text.kind = kind;
	c->text.max_chars = max_chars;
	c->secret = secret;
	return f->count++;
}

int care_form_add_choice(care_form *f, const char *label, const char *const *choices, int n,
			 int initial)
{
	care_field *c = &f->fields[f->count];
	memset(c, 0, sizeof *c);
	c->label = label;
	for (int i = 0; i < n && i < CARE_CHOICES_MAX; i++)
		c->choices[c->nchoices++] = choices[i];
	c->choice = initial;
	return f->count++;
}

bool care_form_key(care_form *f, const ui_key *key, bool *refused)
{
	*refused = false;
	if (f->focus < 0 || f->focus >= f->count)
		return false;
	care_field *c = &f->fields[f->focus];
	f->refused = false;
	f->flagged = false;
	switch (key->action) {
	case UI_ACT_NEXT:
	case UI_ACT_DOWN:
		f->focus = (f->focus + 1) % f->count;
		return true;
	case UI_ACT_PREV:
	case UI_ACT_UP:
		f->focus = (f->focus + f->count - 1) % f->count;
		return true;
	case UI_ACT_ERASE: /* a choice field: nothing chosen again */
		if (c->nchoices ? c->choice >= 0 && (c->choice = -1, true)
				: text_field_erase(&c->text))
			f->changed = true;
		return true;
	case UI_ACT_NONE:
		if (key->is_keycode)
			return false;
		if (c->nchoices) {
			int i = (int)key->ch - '1';
			if (i >= 0 && i < c->nchoices) {
				f->changed = true;
				c->choice = i;
			} else {
				*refused = true;
			}
		} else if (!text_field_insert(&c->text, key->ch)) {
			*refused = true;
		} else {
			f->changed = true;
		}
		f->refused = *refused;
		return true;
	default:
		return false;
	}
}

void care_form_example(care_form *f, int i, const char *example)
{
	f->fields[i].example = example;
}

void care_form_flag(care_form *f, int i)
{
	f->focus = i;
	f->flagged = true;
}

/* The label column: the widest label (at least min, at most max). */
static int form_label_cols(const care_form *f, int min, int max)
{
	int w = min;
	for (int i = 0; i < f->count; i++) {
		int lw = text_width(_(f->fields[i].label)) + 1;
		w = lw > w ? lw : w;
	}
	return w > max ? max : w;
}

/* The choices of c laid out in rows of w columns from (y, x): each "n text",
 * the selected one "[n text]"; on a read-only form (no focus) only the
 * selected one.  A focused field ends with the keys that choose (red after
 * a refused key).  Draws when win is not NULL.  Returns the rows taken. */
static int form_choices(const care_form *f, const care_field *c, bool focus, WINDOW *win, int y,
			int x, int w)
{
	int row = 0, col = 0;
	char item[200];
	for (int k = 0; k <= c->nchoices; k++) {
		attr_t a = A_NORMAL;
		if (k == c->nchoices) { /* the keys, after the choices */
			if (!focus)
				break;
			snprintf(item, sizeof item, _("(keys 1-%d)"), c->nchoices);
			a = f->refused ? theme_attr(THEME_ERROR) : A_BOLD;
		} else if (f->focus < 0 && k != c->choice) {
			continue;
		} else if (k == c->choice) {
			snprintf(item, sizeof item, "[%d %s]", k + 1, _(c->choices[k]));
			a = focus ? theme_attr(THEME_FOCUS) | A_BOLD : A_REVERSE;
		} else {
			snprintf(item, sizeof item, " %d %s ", k + 1, _(c->choices[k]));
		}
		int iw = text_width(item);
		if (col > 0 && col + iw > w) {
			row++;
			col = 0;
		}
		if (win) {
			wattrset(win, a);
			text_put(win, y + row, x + col, item, iw < w ? iw : w);
			wattrset(win, A_NORMAL);
		}
		col += iw + 1;
	}
	if (f->focus < 0 && c->choice < 0 && win)
		text_put(win, y, x, "—", 1);
	return row + 1;
}

/* The rows field i takes. */
static int form_field_rows(const care_form *f, int i, int w)
{
	const care_field *c = &f->fields[i];
	return c->nchoices ? form_choices(f, c, i == f->focus, NULL, 0, 0, w) : 1;
}

/* A text field's value at (y, x), w wide; focused: highlighted, its end
 * (where typing goes) in view and the cursor there; empty: the example. */
static void form_text(ui_ctx *ui, const care_field *c, bool focus, WINDOW *win, int y, int x,
		      int w)
{
	char value[512];
	if (c->secret) {
		size_t n = strlen(c->text.buf);
		n = n < 60 ? n : 60;
		memset(value, '*', n);
		value[n] = '\0';
	} else {
		snprintf(value, sizeof value, "%s", c->text.buf);
	}
	wattrset(win, theme_attr(focus ? THEME_FOCUS : THEME_FIELD));
	mvwhline(win, y, x, ' ', w);
	int vw = text_width(value), cx = x;
	if (!value[0] && c->example) {
		wattrset(win, theme_attr(focus ? THEME_EXAMPLE_FOCUS : THEME_EXAMPLE));
		text_put(win, y, x, _(c->example), w);
	} else if (focus && vw + 1 > w) { /* the end, where the cursor is */
		const char *p = value;
		while (*p && text_width(p) + 2 > w)
			p++;
		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
		char shown[600];
		snprintf(shown, sizeof shown, "…%s", p);
		text_put(win, y, x, shown, w);
		cx = x + text_width(shown);
	} else {
		text_put_data(win, y, x, value, w);
		cx = x + vw;
	}
	wattrset(win, A_NORMAL);
	if (focus)
		ui_show_cursor(ui, y, cx < x + w ? cx : x + w - 1);
}

int care_form_draw(ui_ctx *ui, care_form *f, WINDOW *win, int y, int rows, int cols,
		   int label_cols)
{
	if (rows <= 0)
		rows = getmaxy(win) - y;
	int lw = form_label_cols(f, label_cols, cols / 2);
	int x = 2 + lw + 1, w = cols - lw - 4;
	int heights[CARE_FORM_MAX], total = 0;
	for (int i = 0; i < f->count; i++)
		total += heights[i] = form_field_rows(f, i, w);
	/* taller than rows: scroll so that the focused field is whole */
	if (total <= rows || f->focus < 0 || f->top > f->focus)
		f->top = total <= rows || f->focus < 0 ? 0 : f->focus;
	for (;;) {
		int used = 0;
		for (int i = f->top; i <= f->focus && i < f->count; i++)
			used += heights[i];
		if (used <= rows || f->top >= f->focus)
			break;
		f->top++;
	}
	int row = 0, i;
	for (i = f->top; i < f->count && row + heights[i] <= rows; i++) {
		const care_field *c = &f->fields[i];
		bool focus = i == f->focus;
		int fy = y + row;
		if (focus) {
			wattrset(win, A_BOLD);
			mvwaddstr(win, fy, 0, ">");
		}
		if (focus && f->flagged)
			wattrset(win, theme_attr(THEME_ERROR));
		text_put(win, fy, 2, _(c->label), lw);
		wattrset(win, A_NORMAL);
		if (c->nchoices)
			form_choices(f, c, focus, win, fy, x, w);
		else
			form_text(ui, c, focus, win, fy, x, w);
		row += heights[i];
	}
	if (f->top > 0)
		mvwaddstr(win, y, 1, "↑");
	if (i < f->count)
		mvwaddstr(win, y + row - 1, 1, "↓");
	return row;
}

const char *care_form_text(const care_form *f, int i)
{
	return f->fields[i].text.buf;
}

int care_form_draw_page(ui_ctx *ui, care_form *f, WINDOW *win, int y, int cols, int label_cols,
			const char *hint, const char *message)
{
	int h = getmaxy(win);
	int hint_rows = text_wrap_rows(hint, cols);
	int msg_rows = message && message[0] ? text_wrap_rows(message, cols) : 0;
	msg_rows = msg_rows > 3 ? 3 : msg_rows;
	int lw = form_label_cols(f, label_cols, cols / 2), fields = 0;
	for (int i = 0; i < f->count; i++)
		fields += form_field_rows(f, i, cols - lw - 4);
	/* blank rows between fields, hint and message while there is room */
	int gaps = msg_rows ? 2 : 1;
	while (gaps > 0 && y + fields + gaps + hint_rows + msg_rows > h)
		gaps--;
	int rows = h - y - hint_rows - msg_rows - gaps;
	y += care_form_draw(ui, f, win, y, rows > 1 ? rows : 1, cols, label_cols);
	y += gaps > 0;
	y += text_put_wrapped(win, y, 2, hint, cols, hint_rows);
	if (msg_rows) {
		y += gaps > 1;
		wattron(win, theme_attr(THEME_ERROR));
		y += text_put_wrapped(win, y, 2, message, cols, msg_rows);
		wattroff(win, theme_attr(THEME_ERROR));
	}
	return y;
}

unsigned care_form_on_back(ui_ctx *ui, care_form *f)
{
	if (!f->changed || f->esc_armed)
		return UI_BACK | UI_REDRAW;
	f->esc_armed = true;
	ui_flash(ui, true, 6, "%s", _("Unsaved changes: Enter saves them, Esc again discards them"));
	return UI_REDRAW;
}

unsigned care_form_on_key(ui_ctx *ui, care_form *f, const ui_key *key)
{
	bool refused;
	f->esc_armed = false;
	if (!care_form_key(f, key, &refused))
		return UI_UNHANDLED;
	if (!refused)
		return UI_REDRAW;
	const care_field *c = &f->fields[f->focus];
	const char *label = _(c->label);
	bool digit = key->ch >= '0' && key->ch <= '9';
	if (c->nchoices)
		ui_flash(ui, true, 4, _("%s: choose with the keys 1-%d"), label, c->nchoices);
	else if (c->text.kind == FIELD_DIGITS && !digit)
		ui_flash(ui, true, 4, _("%s: digits only"), label);
	else if (c->text.kind == FIELD_PHONE && !digit && key->ch != '-' && key->ch != '+' &&
		 key->ch != ' ')
		ui_flash(ui, true, 4, _("%s: digits, '-', '+' and spaces only"), label);
	else if (c->text.kind == FIELD_DECIMAL && !digit && key->ch != '.')
		ui_flash(ui, true, 4, _("%s: a number such as 12.50"), label);
	else
		ui_flash(ui, true, 4, _("%s: that character is not allowed here, or the field is "
					"full"), label);
	return UI_REDRAW;
}

void *care_form_page_new(ui_ctx *ui, size_t size, care_session *session,
			 unsigned (*save)(ui_ctx *ui, void *state))
{
	care_form_page *p = care_session_state_new(ui, size, session);
	if (p)
		p->save = save;
	return p;
}

unsigned care_form_page_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	care_form_page *p = state;
	care_session_touch(p->session);
	if (key->action == UI_ACT_BACK)
		return care_form_on_back(ui, &p->form);
	if (key->action == UI_ACT_SAVE) {
		p->form.esc_armed = false;
		p->message[0] = '\0';
		/* who is logged in is checked again: nothing saved under a head who left */
		if (!care_session_valid(ui, p->session, p->message, sizeof p->message))
			return UI_REDRAW;
		return p->save(ui, state);
	}
	return care_form_on_key(ui, &p->form, key);
}

bool care_form_page_unsaved(ui_ctx *ui, void *state)
{
	(void)ui;
	return ((const care_form_page *)state)->form.changed;
}

int care_form_page_refuse(care_form_page *p, int i)
{
	const char *label = _(p->form.fields[i].label);
	if (p->form.fields[i].nchoices)
		snprintf(p->message, sizeof p->message,
			 _("Not saved: choose \"%s\" with the digit keys"), label);
	else
		snprintf(p->message, sizeof p->message, _("Not saved: fill in \"%s\""), label);
	care_form_flag(&p->form, i);
	return i;
}

unsigned care_form_page_done(care_form_page *p, fc_status st, const fc_error *err)
{
	if (st == FC_OK) {
		p->session->dirty = true;
		return UI_BACK | UI_REDRAW;
	}
	if (!p->message[0] && st == FC_ERR_AUTH)
		snprintf(p->message, sizeof p->message, "%s",
			 _("Not saved: a station head or admin is needed"));
	else if (!p->message[0])
		snprintf(p->message, sizeof p->message, _("Not saved: %s"), fc_error_text(err));
	return UI_REDRAW;
}
