/* screen_callbacks.c — callbacks due for a head (most behind first, the
 * coming holiday), recording a callback and a visit report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "care/callback.h"
#include "care/visit_report.h"
#include "care/workdays.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/theme.h"
#include "ui/screens/care.h"
#include "ui/screens/study_form.h"

typedef struct due_state {
	care_list list; /* first: the session, the selected row */
	fc_callback_due_list due;
} due_state;

typedef struct record_state {
	care_form_page page;  /* first: session, form, message */
	bool report;          /* visit report, else callback */
	fc_callback_due who;  /* the customer */
	int study;            /* the first field of the monthly study's block */
} record_state;

static void due_reload(ui_ctx *ui, due_state *s)
{
	fc_error err;
	callback_due_free(&s->due);
	if (callback_list_due(ui->app->db, &ui->app->cfg, clock_now_ms(), &s->due, &err))
		ui_flash(ui, true, 5, _("Cannot list the callbacks: %s"), fc_error_text(&err));
	care_list_loaded(&s->list, s->due.count);
}

static void due_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	due_state *s = state;
	int w = ui->cols, h = getmaxy(body), y = 0;
	if (care_list_stale(&s->list))
		due_reload(ui, s);
	char line[256];
	snprintf(line, sizeof line,
		 _n("Callbacks due: %zu customer", "Callbacks due: %zu customers", s->due.count),
		 s->due.count);
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
	size_t first = care_list_first(&s->list, h - top);
	for (size_t i = first; i < s->due.count && y < h; i++, y++) {
		const fc_callback_due *r = &s->due.rows[i];
		char done[32], last[CLOCK_ISO_LEN] = "", cell[256];
		int64_t ms;
		snprintf(done, sizeof done, "%d/%d%s", r->done, r->required,
			 r->holiday || r->special ? " *" : "");
		if (r->last_at[0] && clock_parse_iso(r->last_at, &ms))
			clock_format_local(ms, last);
		if (i == s->list.sel)
			wattron(body, A_REVERSE);
		mvwhline(body, y, 0, ' ', w);
		text_put(body, y, 1, text_ellipsis(cell, sizeof cell, r->code, code_w), code_w + 1);
		text_put(body, y, x_name, text_ellipsis(cell, sizeof cell, r->name, name_w),
			 name_w + 1);
		text_put(body, y, x_done, done, done_w + 1);
		text_put(body, y, x_last, last[0] ? last : _("never"), last_w + 1);
		if (phone_w)
			text_put(body, y, x_phone, r->phone, phone_w);
		if (i == s->list.sel)
			wattroff(body, A_REVERSE);
	}
}

static unsigned record_open(ui_ctx *ui, care_session *session, bool report,
			    const fc_callback_due *who);

static unsigned due_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	due_state *s = state;
	care_session_touch(s->list.session);
	if (care_list_move(&s->list, key))
		return UI_REDRAW;
	switch (key->action) {
	case UI_ACT_NEW:
	case UI_ACT_SAVE: /* Enter on a row: a callback to that customer */
	case UI_ACT_REPORT:
		if (!s->due.count) {
			ui_flash(ui, true, 4, "%s", _("Select a customer first"));
			return UI_REDRAW;
		}
		return record_open(ui, s->list.session, key->action == UI_ACT_REPORT,
				   &s->due.rows[s->list.sel]);
	case UI_ACT_COMPLAINTS:
		return UI_BACK | complaints_list_open(ui, s->list.session);
	case UI_ACT_CALLBACKS:
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
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
	.on_tick = care_session_on_tick,
	.leave = due_leave,
	.needs_login = care_session_needs_login,
};

unsigned callbacks_list_open(ui_ctx *ui, care_session *session)
{
	return care_list_open(ui, &due_ops, sizeof(due_state), session);
}

/* Callback form fields, then visit report fields. */
enum { CB_METHOD, CB_CONTACT, CB_NOTES };
enum { VR_DATE, VR_QUALITY, VR_ATTITUDE, VR_RENOWN, VR_SUGGESTIONS, VR_NAME, VR_TITLE, VR_PHONE,
       /* --- issue 16: the visit form (VR_NAME..VR_PHONE are the principal's) --- */
       VR_MOBILE, VR_BIZ_NAME, VR_BIZ_TITLE, VR_BIZ_PHONE, VR_BIZ_MOBILE, VR_LEGAL, VR_ADDRESS,
       VR_MARKET, VR_SERVICE, VR_NEEDS, VR_SIGNOFF,
       /* --- end of the visit form block --- */
};

/* --- issue 16: the visit form --- */
/* The form field of each text visit_report_check_texts checks. */
static const int vr_field_of[VRF_COUNT] = {
	[VRF_SUGGESTIONS] = VR_SUGGESTIONS, [VRF_CONTACT] = VR_NAME, [VRF_TITLE] = VR_TITLE,
	[VRF_PHONE] = VR_PHONE, [VRF_MOBILE] = VR_MOBILE, [VRF_BUSINESS] = VR_BIZ_NAME,
	[VRF_BUSINESS_TITLE] = VR_BIZ_TITLE, [VRF_BUSINESS_PHONE] = VR_BIZ_PHONE,
	[VRF_BUSINESS_MOBILE] = VR_BIZ_MOBILE, [VRF_LEGAL_PERSON] = VR_LEGAL,
	[VRF_ADDRESS] = VR_ADDRESS, [VRF_MARKET] = VR_MARKET, [VRF_SERVICE] = VR_SERVICE,
	[VRF_NEEDS] = VR_NEEDS,
};
/* The sign-off choices, in fc_visit_signoff order from VISIT_SIGNOFF_NONE. */
static const char *const vr_signoff_labels[] = { N_("not signed or sealed"), N_("signed"),
						 N_("sealed"), N_("signed and sealed") };
/* --- end of the visit form block --- */

/* A field the head must fill: the message naming it, focus on it. */
static unsigned record_refuse(record_state *s, int field)
{
	care_form_page_refuse(&s->page, field);
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
		snprintf(s->page.message, sizeof s->page.message,
			 _("Not saved: %s: a date such as %s"), _(s->page.form.fields[VR_DATE].label), today);
		care_form_flag(&s->page.form, VR_DATE);
		return false;
	}
	if (strcmp(date, today) > 0) {
		snprintf(s->page.message, sizeof s->page.message, _("Not saved: %s: %s is after today"),
			 _(s->page.form.fields[VR_DATE].label), date);
		care_form_flag(&s->page.form, VR_DATE);
		return false;
	}
	return true;
}

static unsigned record_save(ui_ctx *ui, void *state)
{
	record_state *s = state;
	fc_error err;
	fc_status st;
	const care_form *f = &s->page.form;
	fc_error_clear(&err);
	if (!s->report) {
		const char *notes = care_form_text(f, CB_NOTES);
		if (!notes[strspn(notes, " ")])
			return record_refuse(s, CB_NOTES);
		if (!study_form_check(&s->page, s->study))
			return UI_REDRAW;
		study_answers study;
		study_form_answers(f, s->study, &study);
		st = callback_record_study(ui->app->db, &ui->app->cfg, s->who.customer_id,
					   (fc_callback_method)f->fields[CB_METHOD].choice,
					   care_form_text(f, CB_CONTACT), notes, &study,
					   s->page.session->head.id, NULL, &err);
	} else {
		for (int i = 0; i < SCORE_ITEM_COUNT; i++)
			if (f->fields[VR_QUALITY + i].choice < 0)
				return record_refuse(s, VR_QUALITY + i);
		if (!record_date_ok(s, care_form_text(f, VR_DATE)) ||
		    !study_form_check(&s->page, s->study))
			return UI_REDRAW;
		study_answers study;
		study_form_answers(f, s->study, &study);
		fc_visit_report_input in = { .customer_id = s->who.customer_id,
					     .report_date = care_form_text(f, VR_DATE),
					     .suggestions = care_form_text(f, VR_SUGGESTIONS),
					     .contact_name = care_form_text(f, VR_NAME),
					     .contact_title = care_form_text(f, VR_TITLE),
					     .contact_phone = care_form_text(f, VR_PHONE),
					     .staff_id = s->page.session->head.id,
					     .study = &study };
		/* --- issue 16: the visit form --- */
		in.principal_mobile = care_form_text(f, VR_MOBILE);
		in.business_name = care_form_text(f, VR_BIZ_NAME);
		in.business_title = care_form_text(f, VR_BIZ_TITLE);
		in.business_phone = care_form_text(f, VR_BIZ_PHONE);
		in.business_mobile = care_form_text(f, VR_BIZ_MOBILE);
		in.legal_person = care_form_text(f, VR_LEGAL);
		in.unit_address = care_form_text(f, VR_ADDRESS);
		in.market = care_form_text(f, VR_MARKET);
		in.service_feedback = care_form_text(f, VR_SERVICE);
		in.needs = care_form_text(f, VR_NEEDS);
		if (f->fields[VR_SIGNOFF].choice >= 0)
			in.signoff = (fc_visit_signoff)(VISIT_SIGNOFF_NONE + f->fields[VR_SIGNOFF].choice);
		int bad;
		if (visit_report_check_texts(&in, &bad, &err) != FC_OK && bad >= 0) {
			int i = vr_field_of[bad];
			bool phone = i == VR_PHONE || i == VR_MOBILE || i == VR_BIZ_PHONE ||
				     i == VR_BIZ_MOBILE;
			snprintf(s->page.message, sizeof s->page.message,
				 phone ? _("Not saved: %s: a phone number of 3 to 20 digits, +, - "
					   "and spaces")
				       : _("Not saved: %s: only blanks"),
				 _(f->fields[i].label));
			care_form_flag(&s->page.form, i);
			return UI_REDRAW;
		}
		/* --- end of the visit form block --- */
		for (int i = 0; i < SCORE_ITEM_COUNT; i++) {
			size_t n;
			const fc_score_choice *c = visit_report_score_choices((fc_score_item)i, &n);
			in.choice[i] = c[f->fields[VR_QUALITY + i].choice].key;
		}
		st = visit_report_record(ui->app->db, &ui->app->cfg, &in, NULL, NULL, &err);
	}
	if (st == FC_ERR_NOT_FOUND)
		snprintf(s->page.message, sizeof s->page.message,
			 _("Not saved: customer %s is no longer in the archive"), s->who.code);
	else if (!st)
		ui_flash(ui, false, 8, s->report ? _("Saved: visit report for %s")
						 : _("Saved: callback to %s"), s->who.name);
	return care_form_page_done(&s->page, st, &err);
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
	care_form_draw_page(ui, &s->page.form, body, 2, w - 4, 12,
			    _("Tab/Up/Down: field   digits pick a choice   Enter: save   Esc: back"),
			    s->page.message);
}

static void record_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	const record_state *s = state;
	if (s->report) /* issue 16: the visit form's second page */
		snprintf(buf, n, "%s\n%s\n%s\n%s",
			 _("Digits 1-7 pick a rating; all three ratings are needed; "
			   "the visit date is YYYY-MM-DD"),
			 _("Below the ratings: the principal and the business contact (name, title, "
			   "phone, mobile), the unit, what was learned, and whether the customer "
			   "signed or sealed the paper form; the form scrolls with Tab and Down"),
			 _("Phones: digits, +, - and spaces; every field but the ratings may be "
			   "left empty"),
			 _("Monthly study (optional): the loss reason (digits 1-7, Backspace clears it; "
			   "\"other reason\" needs its detail), where the customer buys now, the "
			   "competitor's offer, the measures taken and who is responsible; the latest "
			   "answers are kept on the customer and in the monthly analysis (Ctrl-R)"));
	else
		snprintf(buf, n, "%s\n%s", _("Digits 1-6 pick the method; \"What was said\" is needed"),
			 _("Monthly study (optional): the loss reason (digits 1-7, Backspace clears it; "
			   "\"other reason\" needs its detail), where the customer buys now, the "
			   "competitor's offer, the measures taken and who is responsible; the latest "
			   "answers are kept on the customer and in the monthly analysis (Ctrl-R)"));
}

static const screen_ops record_ops = {
	.name = "callback-form",
	.help_note = record_help_note,
	.draw = record_draw,
	CARE_FORM_PAGE_OPS,
};

static unsigned record_open(ui_ctx *ui, care_session *session, bool report,
			    const fc_callback_due *who)
{
	record_state *s = care_form_page_new(ui, sizeof *s, session, record_save);
	if (!s)
		return UI_REDRAW;
	s->report = report;
	s->who = *who;
	care_form *f = &s->page.form;
	if (!report) {
		care_form_add_choice(f, N_("Method"), labels_callback_method_names,
				     CALLBACK_METHOD_COUNT, 0);
		care_form_example(f, care_form_add_text(f, N_("Person reached"), FIELD_TEXT, 30, false),
				  N_("who you spoke to, e.g. Manager Zhang"));
		care_form_example(f, care_form_add_text(f, N_("What was said"), FIELD_TEXT, 60, false),
				  N_("notes: what the customer said and was told"));
		s->study = study_form_add(f);
	} else {
		int d = care_form_add_text(f, N_("Visit date"), FIELD_TEXT, 10, false);
		clock_local_date(clock_now_ms(), f->fields[d].text.buf);
		care_form_example(f, d, N_("YYYY-MM-DD"));
		static const char *const items[] = { N_("Quality"), N_("Attitude"), N_("Renown") };
		LABELS_ASSERT_COUNT(items, SCORE_ITEM_COUNT);
		for (int i = 0; i < SCORE_ITEM_COUNT; i++) {
			size_t n;
			const fc_score_choice *c = visit_report_score_choices((fc_score_item)i, &n);
			const char *labels[CARE_CHOICES_MAX];
			for (size_t k = 0; k < n && k < CARE_CHOICES_MAX; k++)
				labels[k] = c[k].text;
			care_form_add_choice(f, items[i], labels, (int)n, -1); /* the head picks */
		}
		care_form_example(f, care_form_add_text(f, N_("Suggestions"), FIELD_TEXT, 60, false),
				  N_("what was learned and suggested"));
		/* --- issue 16: the visit form: the principal (the contact of
		 * before), the business contact, the unit, what was learned --- */
		care_form_example(f, care_form_add_text(f, N_("Principal"), FIELD_TEXT, 30, false),
				  N_("the unit's person in charge, e.g. Zhang Wei"));
		care_form_example(f, care_form_add_text(f, N_("Principal: title"), FIELD_TEXT, 30,
							false),
				  N_("e.g. general manager"));
		care_form_example(f, care_form_add_text(f, N_("Principal: phone"), FIELD_PHONE, 20,
							false),
				  N_("e.g. 023-6123 4567"));
		care_form_example(f, care_form_add_text(f, N_("Principal: mobile"), FIELD_PHONE, 20,
							false),
				  N_("e.g. 138-0013-8000"));
		care_form_example(f, care_form_add_text(f, N_("Business contact"), FIELD_TEXT, 30,
							false),
				  N_("who handles the fuel business, e.g. Li Ming"));
		care_form_example(f, care_form_add_text(f, N_("Business: title"), FIELD_TEXT, 30,
							false),
				  N_("e.g. fleet manager"));
		care_form_example(f, care_form_add_text(f, N_("Business: phone"), FIELD_PHONE, 20,
							false),
				  N_("e.g. 023-6123 4567"));
		care_form_example(f, care_form_add_text(f, N_("Business: mobile"), FIELD_PHONE, 20,
							false),
				  N_("e.g. 138-0013-8000"));
		care_form_example(f, care_form_add_text(f, N_("Legal person"), FIELD_TEXT, 30, false),
				  N_("the unit's legal representative"));
		care_form_example(f, care_form_add_text(f, N_("Unit address"), FIELD_TEXT, 60, false),
				  N_("e.g. 1 Jinyun Road, Beibei, Chongqing"));
		care_form_example(f, care_form_add_text(f, N_("Market situation"), FIELD_TEXT, 60,
							false),
				  N_("what was learned: fleet size, routes, prices elsewhere"));
		care_form_example(f, care_form_add_text(f, N_("Service feedback"), FIELD_TEXT, 60,
							false),
				  N_("what the customer says of our service"));
		care_form_example(f, care_form_add_text(f, N_("Needs"), FIELD_TEXT, 60, false),
				  N_("what the customer needs from us"));
		care_form_add_choice(f, N_("Signed/sealed"), vr_signoff_labels,
				     (int)(sizeof vr_signoff_labels / sizeof vr_signoff_labels[0]), -1);
		/* --- end of the visit form block --- */
		s->study = study_form_add(f);
		f->focus = VR_QUALITY;
	}
	return ui_push(ui, &record_ops, s);
}
