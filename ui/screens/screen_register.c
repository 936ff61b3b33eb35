/* screen_register.c — register a new customer from an unknown card on the
 * spot (register_customer in src/pump/register.h); becomes "potential". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pump/lookup.h"
#include "pump/register.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/loop.h"
#include "ui/core/text.h"
#include "ui/core/theme.h"
#include "ui/screens/register.h"

enum { REG_NAME, REG_PHONE, REG_PLATE, REG_NATURE, REG_INDUSTRY, REG_FIELDS };

typedef struct register_state {
	char card_id[80];
	text_field name, phone, plate;
	fc_nature nature;
	fc_industry industry;
	int focus;
	char error[512];
} register_state;

static void reg_field(WINDOW *w, int y, const char *label, const char *value, bool focus,
		      int cols)
{
	char buf[200];
	text_put(w, y, 2, label, 16);
	snprintf(buf, sizeof buf, "%s%s", value, focus ? "_" : "");
	wattrset(w, theme_attr(focus ? THEME_FOCUS : THEME_FIELD));
	text_put(w, y, 18, buf, cols);
	wattrset(w, A_NORMAL);
}

static void reg_draw(ui_ctx *ui, void *state, WINDOW *w)
{
	register_state *r = state;
	char masked[24], title[160], buf[200];
	lookup_mask_card(r->card_id, masked);
	snprintf(title, sizeof title, _("Register a new customer — card %s"), masked);
	wattrset(w, theme_attr(THEME_UNKNOWN));
	text_put_centred(w, 0, 0, title, ui->cols);
	wattrset(w, A_NORMAL);
	reg_field(w, 2, _("Name:"), r->name.buf, r->focus == REG_NAME, 40);
	reg_field(w, 3, _("Phone:"), r->phone.buf, r->focus == REG_PHONE, 20);
	reg_field(w, 4, _("Plate:"), r->plate.buf, r->focus == REG_PLATE, 20);
	reg_field(w, 5, _("Nature:"), labels_nature(r->nature), r->focus == REG_NATURE, 30);
	for (int i = 0; i < NATURE_COUNT; i++) {
		snprintf(buf, sizeof buf, "%d: %s", i + 1, labels_nature((fc_nature)i));
		text_put(w, 6, 4 + i * 38, buf, 36);
	}
	reg_field(w, 7, _("Industry:"), labels_industry(r->industry), r->focus == REG_INDUSTRY, 30);
	for (int i = 0; i < INDUSTRY_COUNT; i++) {
		snprintf(buf, sizeof buf, "%d: %s", i + 1, labels_industry((fc_industry)i));
		text_put(w, 8 + i / 2, 4 + (i % 2) * 38, buf, 36);
	}
	text_put(w, 13, 2, _("Tab/Down: next field  Enter: register  Esc: cancel"), ui->cols - 4);
	if (r->error[0]) {
		wattrset(w, theme_attr(THEME_ERROR));
		text_put(w, 15, 0, r->error, ui->cols);
		wattrset(w, A_NORMAL);
	}
}

static unsigned reg_save(ui_ctx *ui, register_state *r)
{
	if (!r->name.buf[0]) {
		snprintf(r->error, sizeof r->error, "%s", _("The name is required."));
		r->focus = REG_NAME;
		return UI_REDRAW;
	}
	fc_customer_input in = {
		.card_id = r->card_id,
		.name = r->name.buf,
		.phone = r->phone.buf,
		.plate = r->plate.buf,
		.nature = r->nature,
		.industry = r->industry,
		.staff_id = ui->app->staff_id,
	};
	fc_customer_result res;
	fc_error err;
	fc_error_clear(&err);
	if (register_customer(ui->app->db, &ui->app->cfg, &in, &res, &err) != FC_OK) {
		snprintf(r->error, sizeof r->error, _("NOT registered: %s"), fc_error_text(&err));
		return UI_REDRAW;
	}
	ui_flash(ui, false, 8, _("Registered ✓  customer code %s"), res.code);
	/* Back to idle, then the swipe screen of the now known card. */
	return UI_HOME | swipe_screen_open(ui, r->card_id) | UI_STATUS;
}

static unsigned reg_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	register_state *r = state;
	text_field *fields[] = { &r->name, &r->phone, &r->plate };
	switch (key->action) {
	case UI_ACT_BACK:
		return UI_BACK;
	case UI_ACT_SAVE:
		return reg_save(ui, r);
	case UI_ACT_NEXT:
	case UI_ACT_DOWN:
		r->focus = (r->focus + 1) % REG_FIELDS;
		return UI_REDRAW;
	case UI_ACT_PREV:
	case UI_ACT_UP:
		r->focus = (r->focus + REG_FIELDS - 1) % REG_FIELDS;
		return UI_REDRAW;
	case UI_ACT_ERASE:
		if (r->focus < REG_NATURE)
			text_field_erase(fields[r->focus]);
		return UI_REDRAW;
	case UI_ACT_NONE:
		break;
	default:
		return UI_UNHANDLED;
	}
	if (key->is_keycode)
		return UI_UNHANDLED;
	r->error[0] = '\0';
	if (r->focus < REG_NATURE) {
		if (!text_field_insert(fields[r->focus], key->ch))
			snprintf(r->error, sizeof r->error, "%s",
				 r->focus == REG_PHONE ? _("Phone: digits, '-', '+' and spaces only.")
						       : _("That character is not allowed here (or the field is full)."));
		return UI_REDRAW;
	}
	int n = (int)key->ch - '1';
	if (r->focus == REG_NATURE && n >= 0 && n < NATURE_COUNT)
		r->nature = (fc_nature)n;
	else if (r->focus == REG_INDUSTRY && n >= 0 && n < INDUSTRY_COUNT)
		r->industry = (fc_industry)n;
	else
		snprintf(r->error, sizeof r->error, _("Choose with the keys 1-%d."),
			 r->focus == REG_NATURE ? NATURE_COUNT : INDUSTRY_COUNT);
	return UI_REDRAW;
}

static void reg_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	free(state);
}

static const screen_ops register_ops = {
	.name = "register",
	.actions = UI_ACTION_BIT(UI_ACT_BACK) | UI_ACTION_BIT(UI_ACT_SAVE) |
		   UI_ACTION_BIT(UI_ACT_NEXT) | UI_ACTION_BIT(UI_ACT_PREV),
	.draw = reg_draw,
	.on_key = reg_on_key,
	.leave = reg_leave,
};

unsigned register_screen_open(ui_ctx *ui, const char *card_id)
{
	register_state *r = calloc(1, sizeof *r);
	if (!r) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	snprintf(r->card_id, sizeof r->card_id, "%s", card_id);
	r->name = (text_field){ .kind = FIELD_TEXT, .max_chars = 30 };
	r->phone = (text_field){ .kind = FIELD_PHONE, .max_chars = 20 };
	r->plate = (text_field){ .kind = FIELD_TEXT, .max_chars = 12 };
	r->nature = NATURE_INDIVIDUAL;
	r->industry = INDUSTRY_OTHER;
	return ui_push(ui, &register_ops, r);
}
