/* care_form.c — the labelled form the care screens share, and the form
 * page (session, form, message, save) their form screens are built on. */
#include "ui/screens/care.h"

#include <stdio.h>
#include <string.h>

#include "ui/core/i18n.h"
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
	care_field *c = &f->fields[f->focus];
	*refused = false;
	switch (key->action) {
	case UI_ACT_NEXT:
	case UI_ACT_DOWN:
		f->focus = (f->focus + 1) % f->count;
		return true;
	case UI_ACT_PREV:
	case UI_ACT_UP:
		f->focus = (f->focus + f->count - 1) % f->count;
		return true;
	case UI_ACT_ERASE:
		if (!c->nchoices && text_field_erase(&c->text))
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
		return true;
	default:
		return false;
	}
}

/* Display columns of a choice field's choices as care_form_draw writes them. */
static int choices_width(const care_field *c)
{
	int w = 0;
	for (int k = 0; k < c->nchoices; k++)
		w += text_width(_(c->choices[k])) + 5;
	return w;
}

void care_form_draw(const care_form *f, WINDOW *win, int y, int cols, int label_cols)
{
	for (int i = 0; i < f->count && y + i < getmaxy(win); i++) {
		const care_field *c = &f->fields[i];
		char value[512] = "";
		if (c->nchoices) {
			size_t used = 0;
			/* choices that do not fit start at the selected one */
			int first = choices_width(c) > cols - label_cols - 4 && c->choice > 0
					    ? c->choice : 0;
			for (int j = 0; j < c->nchoices && used < sizeof value; j++) {
				int k = (first + j) % c->nchoices;
				int w = k == c->choice
						? snprintf(value + used, sizeof value - used, "[%d %s] ",
							   k + 1, _(c->choices[k]))
						: snprintf(value + used, sizeof value - used, " %d %s  ",
							   k + 1, _(c->choices[k]));
				if (w < 0)
					break;
				used += (size_t)w;
			}
		} else if (c->secret) {
			size_t n = strlen(c->text.buf);
			memset(value, '*', n < 60 ? n : 60);
			value[n < 60 ? n : 60] = '\0';
		} else {
			snprintf(value, sizeof value, "%s", c->text.buf);
		}
		if (i == f->focus)
			wattron(win, A_BOLD);
		text_put(win, y + i, 2, _(c->label), label_cols);
		if (i == f->focus)
			wattroff(win, A_BOLD);
		wattron(win, theme_attr(i == f->focus ? THEME_FOCUS : THEME_FIELD));
		text_put(win, y + i, 2 + label_cols + 1, value, cols - label_cols - 4);
		wattroff(win, theme_attr(i == f->focus ? THEME_FOCUS : THEME_FIELD));
	}
}

const char *care_form_text(const care_form *f, int i)
{
	return f->fields[i].text.buf;
}

int care_form_draw_page(const care_form *f, WINDOW *win, int y, int cols, int label_cols,
			const char *hint, const char *message)
{
	care_form_draw(f, win, y, cols, label_cols);
	y += f->count + 1;
	text_put(win, y, 2, hint, cols);
	y += 2;
	if (message && message[0]) {
		wattron(win, theme_attr(THEME_ERROR));
		text_put(win, y, 2, message, cols);
		wattroff(win, theme_attr(THEME_ERROR));
	}
	return y + 1;
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
		return p->save(ui, state);
	}
	return care_form_on_key(ui, &p->form, key);
}

bool care_form_page_unsaved(ui_ctx *ui, void *state)
{
	(void)ui;
	return ((const care_form_page *)state)->form.changed;
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
