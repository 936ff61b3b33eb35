/* screen_register.c — register a new customer from an unknown card on the
 * spot (register_customer in src/pump/register.h); becomes "potential". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "customers/archive.h"
#include "pump/lookup.h"
#include "pump/register.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/loop.h"
#include "ui/core/text.h"
#include "ui/core/theme.h"
#include "ui/screens/care.h"
#include "ui/screens/register.h"

enum { REG_NAME, REG_PHONE, REG_PLATE, REG_NATURE, REG_INDUSTRY };

typedef struct register_state {
	char card_id[80];
	care_form form;
	char error[512]; /* the last refusal, red under the form */
} register_state;

static void reg_draw(ui_ctx *ui, void *state, WINDOW *w)
{
	register_state *r = state;
	char masked[24], title[160];
	lookup_mask_card(r->card_id, masked);
	snprintf(title, sizeof title, _("Register a new customer — card %s"), masked);
	wattrset(w, theme_attr(THEME_UNKNOWN));
	text_put_centred(w, 0, 0, title, ui->cols);
	wattrset(w, A_NORMAL);
	care_form_draw_page(ui, &r->form, w, 2, ui->cols - 4, 12,
			    _("Tab/Down: next field   digits pick a choice   Enter: register   "
			      "Esc: cancel"),
			    r->error);
}

/* A refused field: the message, the focus moved there. */
static unsigned reg_refuse(register_state *r, int field, const char *why)
{
	snprintf(r->error, sizeof r->error, _("NOT registered: %s"), why);
	care_form_flag(&r->form, field);
	return UI_REDRAW;
}

static unsigned reg_save(ui_ctx *ui, register_state *r)
{
	const care_form *f = &r->form;
	fc_error err;
	char why[300];
	fc_error_clear(&err);
	if (!*care_form_text(f, REG_NAME)) {
		snprintf(why, sizeof why, _("fill in \"%s\""), _(f->fields[REG_NAME].label));
		return reg_refuse(r, REG_NAME, why);
	}
	if (archive_check_phone(care_form_text(f, REG_PHONE), &err) != FC_OK)
		return reg_refuse(r, REG_PHONE, fc_error_text(&err));
	if (archive_check_plate(care_form_text(f, REG_PLATE), &err) != FC_OK)
		return reg_refuse(r, REG_PLATE, fc_error_text(&err));
	fc_customer_input in = {
		.card_id = r->card_id,
		.name = care_form_text(f, REG_NAME),
		.phone = care_form_text(f, REG_PHONE),
		.plate = care_form_text(f, REG_PLATE),
		.nature = (fc_nature)f->fields[REG_NATURE].choice,
		.industry = (fc_industry)f->fields[REG_INDUSTRY].choice,
		.staff_id = ui->app->staff_id,
	};
	fc_customer_result res;
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
	switch (key->action) {
	case UI_ACT_BACK:
		return care_form_on_back(ui, &r->form);
	case UI_ACT_SAVE:
		r->form.esc_armed = false;
		return reg_save(ui, r);
	default:
		if (key->action == UI_ACT_NONE && !key->is_keycode)
			r->error[0] = '\0';
		return care_form_on_key(ui, &r->form, key);
	}
}

static void reg_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	free(state);
}

/* Typed and not registered yet: a swipe or F10 would lose it. */
static bool reg_unsaved(ui_ctx *ui, void *state)
{
	(void)ui;
	return ((const register_state *)state)->form.changed;
}

static void reg_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	(void)state;
	snprintf(buf, n, "%s", _("Only the name is needed; nature and industry: digit keys"));
}

static const screen_ops register_ops = {
	.name = "register",
	.actions = UI_ACTION_BIT(UI_ACT_BACK) | UI_ACTION_BIT(UI_ACT_SAVE) |
		   UI_ACTION_BIT(UI_ACT_NEXT) | UI_ACTION_BIT(UI_ACT_PREV) |
		   UI_ACTION_BIT(UI_ACT_ERASE),
	.draw = reg_draw,
	.on_key = reg_on_key,
	.leave = reg_leave,
	.unsaved = reg_unsaved,
	.help_note = reg_help_note,
};

unsigned register_screen_open(ui_ctx *ui, const char *card_id)
{
	register_state *r = calloc(1, sizeof *r);
	if (!r) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	snprintf(r->card_id, sizeof r->card_id, "%s", card_id);
	care_form *f = &r->form;
	care_form_example(f, care_form_add_text(f, N_("Name"), FIELD_TEXT, 30, false),
			  N_("the customer's or the unit's name"));
	care_form_example(f, care_form_add_text(f, N_("Phone"), FIELD_PHONE, 20, false),
			  N_("e.g. 138-0013-8000"));
	care_form_example(f, care_form_add_text(f, N_("Plate"), FIELD_TEXT, 12, false),
			  N_("e.g. 渝A·21978"));
	care_form_add_choice(f, N_("Nature"), labels_nature_names, NATURE_COUNT, NATURE_INDIVIDUAL);
	care_form_add_choice(f, N_("Industry"), labels_industry_names, INDUSTRY_COUNT,
			     INDUSTRY_OTHER);
	return ui_push(ui, &register_ops, r);
}
