/* screen_callbacks.c — callbacks due for a head (most behind first, the
 * coming holiday), recording a callback and a visit report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care/callback.h"
#include "ui/screens/care.h"
#include "base/clock.h"
#include "ui/core/i18n.h"
#include "ui/core/theme.h"
#include "care/visit_report.h"
#include "care/workdays.h"

typedef struct due_state {
	care_session *session;
	fc_callback_due_list due;
	size_t sel;
	bool loaded;
} due_state;

typedef struct record_state {
	care_session *session;
	bool report;          /* visit report, else callback */
	fc_callback_due who;  /* the customer */
	care_form form;
	char message[256];
} record_state;

static const char *const method_names[] = { N_("phone"), N_("SMS"), N_("e-mail"),
					    N_("greeting card"), N_("visit"), N_("forum") };

static void due_reload(ui_ctx *ui, due_state *s)
{
	fc_error err;
	callback_due_free(&s->due);
	if (callback_list_due(ui->app->db, &ui->app->cfg, clock_now_ms(), &s->due, &err))
		ui_flash(ui, true, 5, _("Cannot list the callbacks: %s"), fc_error_text(&err));
	if (s->sel >= s->due.count)
		s->sel = s->due.count ? s->due.count - 1 : 0;
	s->loaded = true;
	s->session->dirty = false;
}

static void due_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	due_state *s = state;
	int w = ui->cols, h = getmaxy(body), y = 0;
	if (!s->loaded || s->session->dirty)
		due_reload(ui, s);
	char line[256];
	snprintf(line, sizeof line, _("Callbacks due: %zu customers"), s->due.count);
	wattron(body, A_BOLD);
	text_put(body, y++, 1, line, w - 2);
	wattroff(body, A_BOLD);
	if (s->due.holiday_date[0]) {
		snprintf(line, sizeof line, _("Holiday %s (%s) ahead: every maintained customer needs a callback"),
			 s->due.holiday_date, s->due.holiday_name);
		wattron(body, theme_attr(THEME_ERROR));
		text_put(body, y++, 1, line, w - 2);
		wattroff(body, theme_attr(THEME_ERROR));
	}
	/* columns: code (as wide as the longest), name (the rest, cut with
	 * "…"), done/needed, last callback, phone */
	int code_w = text_width(_("Code")), phone_w = text_width(_("Phone"));
	for (size_t i = 0; i < s->due.count; i++) {
		int cw = text_width(s->due.rows[i].code), pw = text_width(s->due.rows[i].phone);
		code_w = cw > code_w ? cw : code_w;
		phone_w = pw > phone_w ? pw : phone_w;
	}
	code_w = code_w > 24 ? 24 : code_w;
	phone_w = phone_w > 13 ? 13 : phone_w;
	const char *done_head = _("Done/due"); /* short: the name column needs the room */
	int done_w = 7, last_w = 16;
	if (text_width(done_head) > done_w)
		done_w = text_width(done_head);
	int name_w = w - 1 - code_w - 1 - 1 - done_w - 1 - last_w - 1 - phone_w - 1;
	if (name_w < 8) { /* narrow: no phone column */
		name_w += phone_w + 1;
		phone_w = 0;
	}
	int x_name = 1 + code_w + 1, x_done = x_name + name_w + 1, x_last = x_done + done_w + 1,
	    x_phone = x_last + last_w + 1;
	wattron(body, A_BOLD);
	text_put(body, y, 1, _("Code"), code_w);
	text_put(body, y, x_name, _("Name"), name_w);
	text_put(body, y, x_done, done_head, done_w);
	text_put(body, y, x_last, _("Last callback"), last_w);
	if (phone_w)
		text_put(body, y, x_phone, _("Phone"), phone_w);
	y++;
	wattroff(body, A_BOLD);
	int top = y;
	size_t first = s->sel >= (size_t)(h - top) ? s->sel - (size_t)(h - top) + 1 : 0;
	for (size_t i = first; i < s->due.count && y < h; i++, y++) {
		const fc_callback_due *r = &s->due.rows[i];
		char done[32], last[CLOCK_ISO_LEN] = "", cell[256];
		int64_t ms;
		snprintf(done, sizeof done, "%d/%d%s", r->done, r->required, r->holiday ? " *" : "");
		if (r->last_at[0] && clock_parse_iso(r->last_at, &ms))
			clock_format_local(ms, last);
		if (i == s->sel)
			wattron(body, A_REVERSE);
		mvwhline(body, y, 0, ' ', w);
		text_put(body, y, 1, care_text_ellipsis(cell, sizeof cell, r->code, code_w), code_w + 1);
		text_put(body, y, x_name, care_text_ellipsis(cell, sizeof cell, r->name, name_w),
			 name_w + 1);
		text_put(body, y, x_done, done, done_w + 1);
		text_put(body, y, x_last, last[0] ? last : _("never"), last_w + 1);
		if (phone_w)
			text_put(body, y, x_phone, r->phone, phone_w);
		if (i == s->sel)
			wattroff(body, A_REVERSE);
	}
}

static unsigned record_open(ui_ctx *ui, care_session *session, bool report,
			    const fc_callback_due *who);

static unsigned due_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	due_state *s = state;
	care_session_touch(s->session);
	switch (key->action) {
	case UI_ACT_UP:
		if (s->sel > 0)
			s->sel--;
		return UI_REDRAW;
	case UI_ACT_DOWN:
		if (s->sel + 1 < s->due.count)
			s->sel++;
		return UI_REDRAW;
	case UI_ACT_NEW:
	case UI_ACT_SAVE: /* Enter on a row: a callback to that customer */
	case UI_ACT_REPORT:
		if (!s->due.count) {
			ui_flash(ui, true, 4, "%s", _("Select a customer first"));
			return UI_REDRAW;
		}
		return record_open(ui, s->session, key->action == UI_ACT_REPORT, &s->due.rows[s->sel]);
	case UI_ACT_COMPLAINTS:
		return UI_BACK | complaints_list_open(ui, s->session);
	case UI_ACT_CALLBACKS:
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static unsigned due_on_tick(ui_ctx *ui, void *state, int64_t mono_ms)
{
	due_state *s = state;
	return care_session_check(ui, s->session, mono_ms);
}

static void due_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	due_state *s = state;
	callback_due_free(&s->due);
	free(s);
}

static void due_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	(void)state;
	snprintf(buf, n, "%s\n%s", _("Enter or Ins: record a callback to the selected customer"),
		 _("Done/needed: callbacks this month (a visit report counts); * = holiday ahead"));
}

static const screen_ops due_ops = {
	.name = "callbacks",
	.help_note = due_help_note,
	.actions = UI_ACTION_BIT(UI_ACT_NEW) | UI_ACTION_BIT(UI_ACT_SAVE) |
		   UI_ACTION_BIT(UI_ACT_REPORT) | UI_ACTION_BIT(UI_ACT_UP) | UI_ACTION_BIT(UI_ACT_DOWN) |
		   UI_ACTION_BIT(UI_ACT_COMPLAINTS) | UI_ACTION_BIT(UI_ACT_BACK),
	.draw = due_draw,
	.on_key = due_on_key,
	.on_tick = due_on_tick,
	.leave = due_leave,
};

unsigned callbacks_list_open(ui_ctx *ui, care_session *session)
{
	due_state *s = calloc(1, sizeof *s);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	s->session = session;
	return ui_push(ui, &due_ops, s);
}

/* Callback form fields, then visit report fields. */
enum { CB_METHOD, CB_CONTACT, CB_NOTES };
enum { VR_DATE, VR_QUALITY, VR_ATTITUDE, VR_RENOWN, VR_SUGGESTIONS, VR_NAME, VR_TITLE, VR_PHONE };

/* A field the head must fill: the message naming it, focus on it. */
static unsigned record_refuse(record_state *s, int field)
{
	const char *label = _(s->form.fields[field].label);
	if (s->form.fields[field].nchoices)
		snprintf(s->message, sizeof s->message,
			 _("Not saved: choose \"%s\" with the digit keys"), label);
	else
		snprintf(s->message, sizeof s->message, _("Not saved: fill in \"%s\""), label);
	s->form.focus = field;
	return UI_REDRAW;
}

/* The visit date: YYYY-MM-DD, a real day, not after today. */
static bool record_date_ok(record_state *s, const char *date)
{
	char today[CLOCK_ISO_LEN], check[WORKDAYS_DATE_LEN];
	fc_error err;
	clock_local_date(clock_now_ms(), today);
	if (strlen(date) != 10 || workdays_shift_date(date, 0, check, &err) != FC_OK ||
	    strcmp(check, date) != 0) {
		snprintf(s->message, sizeof s->message,
			 _("Not saved: %s: a date such as %s"), _(s->form.fields[VR_DATE].label), today);
		s->form.focus = VR_DATE;
		return false;
	}
	if (strcmp(date, today) > 0) {
		snprintf(s->message, sizeof s->message, _("Not saved: %s: %s is after today"),
			 _(s->form.fields[VR_DATE].label), date);
		s->form.focus = VR_DATE;
		return false;
	}
	return true;
}

/* The core's refusal in the user's language where it is a known case. */
static void record_explain(record_state *s, fc_status st, const fc_error *err)
{
	if (st == FC_ERR_AUTH)
		snprintf(s->message, sizeof s->message, "%s",
			 _("Not saved: a station head or admin is needed"));
	else if (st == FC_ERR_NOT_FOUND || (st == FC_ERR_INVALID && !s->report))
		snprintf(s->message, sizeof s->message,
			 _("Not saved: customer %s is no longer in the archive"), s->who.code);
	else
		snprintf(s->message, sizeof s->message, _("Not saved: %s"), fc_error_text(err));
}

static unsigned record_save(ui_ctx *ui, record_state *s)
{
	fc_error err;
	fc_status st;
	const care_form *f = &s->form;
	fc_error_clear(&err);
	if (!s->report) {
		const char *notes = care_form_text(f, CB_NOTES);
		if (!notes[strspn(notes, " ")])
			return record_refuse(s, CB_NOTES);
		st = callback_record(ui->app->db, &ui->app->cfg, s->who.customer_id,
				     (fc_callback_method)f->fields[CB_METHOD].choice,
				     care_form_text(f, CB_CONTACT), notes, s->session->head.id,
				     NULL, &err);
	} else {
		for (int i = 0; i < SCORE_ITEM_COUNT; i++)
			if (f->fields[VR_QUALITY + i].choice < 0)
				return record_refuse(s, VR_QUALITY + i);
		if (!record_date_ok(s, care_form_text(f, VR_DATE)))
			return UI_REDRAW;
		fc_visit_report_input in = { .customer_id = s->who.customer_id,
					     .report_date = care_form_text(f, VR_DATE),
					     .suggestions = care_form_text(f, VR_SUGGESTIONS),
					     .contact_name = care_form_text(f, VR_NAME),
					     .contact_title = care_form_text(f, VR_TITLE),
					     .contact_phone = care_form_text(f, VR_PHONE),
					     .staff_id = s->session->head.id };
		for (int i = 0; i < SCORE_ITEM_COUNT; i++) {
			size_t n;
			const fc_score_choice *c = visit_report_score_choices((fc_score_item)i, &n);
			in.choice[i] = c[f->fields[VR_QUALITY + i].choice].key;
		}
		st = visit_report_record(ui->app->db, &ui->app->cfg, &in, NULL, NULL, &err);
	}
	if (st) {
		record_explain(s, st, &err);
		return UI_REDRAW;
	}
	s->session->dirty = true;
	ui_flash(ui, false, 8, s->report ? _("Saved: visit report for %s") : _("Saved: callback to %s"),
		 s->who.name);
	return UI_BACK | UI_REDRAW;
}

static void record_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	record_state *s = state;
	int w = ui->cols;
	char line[256];
	snprintf(line, sizeof line, s->report ? _("Visit report: %s %s") : _("Callback: %s %s"),
		 s->who.code, s->who.name);
	wattron(body, A_BOLD);
	text_put(body, 0, 1, line, w - 2);
	wattroff(body, A_BOLD);
	if (s->who.phone[0]) {
		snprintf(line, sizeof line, _("Phone: %s"), s->who.phone);
		text_put(body, 1, 2, line, w - 4);
	}
	care_form_draw_page(&s->form, body, 2, w - 4, 14,
			    _("Tab/Up/Down: field   digits pick a choice   Enter: save   Esc: back"),
			    s->message);
}

static unsigned record_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	record_state *s = state;
	care_session_touch(s->session);
	if (key->action == UI_ACT_BACK)
		return care_form_on_back(ui, &s->form);
	if (key->action == UI_ACT_SAVE) {
		s->form.esc_armed = false;
		return record_save(ui, s);
	}
	return care_form_on_key(ui, &s->form, key);
}

static unsigned record_on_tick(ui_ctx *ui, void *state, int64_t mono_ms)
{
	record_state *s = state;
	return care_session_check(ui, s->session, mono_ms);
}

static void record_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	free(state);
}

static bool record_unsaved(ui_ctx *ui, void *state)
{
	(void)ui;
	return ((record_state *)state)->form.changed;
}

static void record_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	const record_state *s = state;
	snprintf(buf, n, "%s", s->report ? _("Digits 1-7 pick a rating; all three ratings are needed; "
					     "the visit date is YYYY-MM-DD")
					 : _("Digits 1-6 pick the method; \"What was said\" is needed"));
}

static const screen_ops record_ops = {
	.name = "callback-form",
	.unsaved = record_unsaved,
	.help_note = record_help_note,
	.actions = UI_ACTION_BIT(UI_ACT_SAVE) | UI_ACTION_BIT(UI_ACT_NEXT) |
		   UI_ACTION_BIT(UI_ACT_PREV) | UI_ACTION_BIT(UI_ACT_BACK) |
		   UI_ACTION_BIT(UI_ACT_ERASE),
	.draw = record_draw,
	.on_key = record_on_key,
	.on_tick = record_on_tick,
	.leave = record_leave,
};

static unsigned record_open(ui_ctx *ui, care_session *session, bool report,
			    const fc_callback_due *who)
{
	record_state *s = calloc(1, sizeof *s);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	s->session = session;
	s->report = report;
	s->who = *who;
	care_form *f = &s->form;
	if (!report) {
		care_form_add_choice(f, N_("Method"), method_names, CALLBACK_METHOD_COUNT, 0);
		care_form_add_text(f, N_("Contact"), FIELD_TEXT, 30, false);
		care_form_add_text(f, N_("What was said"), FIELD_TEXT, 60, false);
	} else {
		int d = care_form_add_text(f, N_("Visit date"), FIELD_TEXT, 10, false);
		clock_local_date(clock_now_ms(), f->fields[d].text.buf);
		static const char *const items[] = { N_("Quality"), N_("Attitude"), N_("Renown") };
		for (int i = 0; i < SCORE_ITEM_COUNT; i++) {
			size_t n;
			const fc_score_choice *c = visit_report_score_choices((fc_score_item)i, &n);
			const char *labels[CARE_CHOICES_MAX];
			for (size_t k = 0; k < n && k < CARE_CHOICES_MAX; k++)
				labels[k] = c[k].text;
			care_form_add_choice(f, items[i], labels, (int)n, -1); /* the head picks */
		}
		care_form_add_text(f, N_("Suggestions"), FIELD_TEXT, 60, false);
		care_form_add_text(f, N_("Contact name"), FIELD_TEXT, 30, false);
		care_form_add_text(f, N_("Title"), FIELD_TEXT, 30, false);
		care_form_add_text(f, N_("Phone"), FIELD_PHONE, 20, false);
		f->focus = VR_QUALITY;
	}
	return ui_push(ui, &record_ops, s);
}
