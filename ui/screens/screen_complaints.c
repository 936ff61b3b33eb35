/* screen_complaints.c — the complaint book for a head: the list (overdue
 * first, highlighted, time left, the stage on the path), a new entry
 * (complaint or suggestion), resolve and escalate.  The whole entry with
 * its path and the steps after the handling: screen_complaint_steps.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "care/callback.h"
#include "care/complaint.h"
#include "care/complaint_path.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/theme.h"
#include "ui/screens/care.h"

typedef enum { FORM_NEW, FORM_RESOLVE, FORM_ESCALATE, FORM_KIND_COUNT } form_kind;

typedef struct list_state {
	care_list list; /* first: the session, the selected row, the count */
	fc_complaint_filter filter;
	fc_complaint *rows;
} list_state;

typedef struct form_state {
	care_form_page page; /* first: session, form, message */
	form_kind kind;
	fc_complaint target; /* resolve / escalate */
} form_state;

/* "2 d 4 h left" / "overdue 1 d 3 h" in the user's language. */
void complaints_time_left(const fc_complaint *c, char *out, size_t n)
{
	if (c->suggestion && !c->closed) {
		snprintf(out, n, "—");
		return;
	}
	if (c->closed) {
		snprintf(out, n, "%s", _("closed"));
		return;
	}
	int64_t m = (c->ms_left < 0 ? -c->ms_left : c->ms_left) / 60000;
	int d = (int)(m / 1440), h = (int)(m % 1440 / 60), mi = (int)(m % 60);
	if (c->overdue)
		snprintf(out, n, _("OVERDUE %dd %dh"), d, h);
	else if (d > 0)
		snprintf(out, n, _("%dd %dh left"), d, h);
	else
		snprintf(out, n, _("%dh %dm left"), h, mi);
}

static void list_reload(ui_ctx *ui, list_state *s)
{
	fc_error err;
	size_t count = 0;
	free(s->rows);
	s->rows = NULL;
	if (complaint_list(ui->app->db, s->filter, clock_now_ms(), &s->rows, &count, &err))
		ui_flash(ui, true, 5, _("Cannot read the complaint book: %s"), fc_error_text(&err));
	care_list_loaded(&s->list, count);
}

static void list_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	list_state *s = state;
	int w = ui->cols, h = getmaxy(body);
	if (care_list_stale(&s->list))
		list_reload(ui, s);
	static const char *const filter_names[] = { N_("open"), N_("closed"), N_("all") };
	LABELS_ASSERT_COUNT(filter_names, COMPLAINT_FILTER_COUNT);
	char title[256];
	snprintf(title, sizeof title, _("Complaint book (%s) — Tab: open / closed / all"),
		 _(filter_names[s->filter]));
	wattron(body, A_BOLD);
	text_put(body, 0, 1, title, w - 2);
	text_put(body, 1, 1, _("ID"), 9);
	text_put(body, 1, 10, _("Severity"), 9);
	text_put(body, 1, 19, _("Due"), 11);
	text_put(body, 1, 30, _("Time left"), 15);
	text_put(body, 1, 45, _("Stage"), 14);
	text_put(body, 1, 59, _("Customer"), 9);
	text_put(body, 1, 68, _("Content"), w - 69);
	wattroff(body, A_BOLD);
	if (s->list.count == 0)
		text_put(body, 3, 2, _("No complaints here."), w - 4);
	size_t first = care_list_first(&s->list, h - 3);
	for (size_t i = first; i < s->list.count && (int)(i - first) + 2 < h; i++) {
		const fc_complaint *c = &s->rows[i];
		int y = (int)(i - first) + 2;
		char left[64];
		complaints_time_left(c, left, sizeof left);
		attr_t a = c->overdue ? theme_attr(THEME_ERROR) | A_BOLD : A_NORMAL;
		if (i == s->list.sel)
			a |= A_REVERSE;
		wattron(body, a);
		char cell[600], stage[64];
		text_put(body, y, 1, complaint_short_id(c->id), 9);
		text_put(body, y, 10, complaints_kind_label(c), 9);
		text_put(body, y, 19, c->suggestion ? "—" : c->deadline, 11);
		text_put(body, y, 30, left, 15);
		text_put(body, y, 45, complaints_stage(&ui->app->cfg, c, stage, sizeof stage), 14);
		text_put(body, y, 59, text_ellipsis(cell, sizeof cell, c->customer_name, 8), 9);
		text_put(body, y, 68, text_ellipsis(cell, sizeof cell, c->content, w - 69), w - 69);
		wattroff(body, a);
	}
}

static unsigned form_open(ui_ctx *ui, care_session *session, form_kind kind,
			  const fc_complaint *target);

const char *complaints_kind_label(const fc_complaint *c)
{
	return c->suggestion ? _("suggestion") : labels_severity(c->severity);
}

char *complaints_stage(const fc_config *cfg, const fc_complaint *c, char *out, size_t n)
{
	int no;
	fc_complaint_step_kind next = complaint_path_next(cfg, c, &no);
	if (c->closed)
		snprintf(out, n, "%s", _("closed"));
	else if (next == COMPLAINT_STEP_LEVEL)
		snprintf(out, n, _("to approve %d/%d"), no, cfg->complaint_level_count);
	else
		snprintf(out, n, "%s", next == COMPLAINT_STEP_HANDLED	 ? _("to handle")
				       : next == COMPLAINT_STEP_APPROVED ? _("to approve")
				       : next == COMPLAINT_STEP_TOLD	 ? _("to tell")
									 : _("to close"));
	return out;
}

static unsigned list_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	list_state *s = state;
	care_session *session = s->list.session;
	care_session_touch(session);
	if (care_list_move(&s->list, key))
		return UI_REDRAW;
	const fc_complaint *cur = s->list.count ? &s->rows[s->list.sel] : NULL;
	switch (key->action) {
	case UI_ACT_NEXT:
		s->filter = (fc_complaint_filter)((s->filter + 1) % COMPLAINT_FILTER_COUNT);
		s->list.sel = 0;
		list_reload(ui, s);
		return UI_REDRAW;
	case UI_ACT_NEW:
		return form_open(ui, session, FORM_NEW, NULL);
	case UI_ACT_SAVE: /* Enter: the whole complaint */
		if (!cur) {
			ui_flash(ui, true, 4, "%s", _("Select a complaint first"));
			return UI_REDRAW;
		}
		return complaint_steps_detail_open(ui, session, cur);
	case UI_ACT_RESOLVE:
	case UI_ACT_ESCALATE:
		if (!cur || cur->closed) {
			ui_flash(ui, true, 4, "%s", _("Select an open complaint first"));
			return UI_REDRAW;
		}
		if (key->action == UI_ACT_RESOLVE) /* the next step on its path */
			return complaint_steps_next_open(ui, session, cur);
		if (cur->suggestion) {
			ui_flash(ui, true, 6, _("%s is a suggestion: it has no severity to raise"),
				 complaint_short_id(cur->id));
			return UI_REDRAW;
		}
		if (key->action == UI_ACT_ESCALATE && cur->severity == SEVERITY_SPECIAL) {
			ui_flash(ui, true, 6, _("Complaint %s is already a special case: it cannot be "
						"escalated further"), complaint_short_id(cur->id));
			return UI_REDRAW;
		}
		return form_open(ui, session,
				 key->action == UI_ACT_RESOLVE ? FORM_RESOLVE : FORM_ESCALATE, cur);
	case UI_ACT_CALLBACKS:
		return UI_BACK | callbacks_list_open(ui, session);
	case UI_ACT_COMPLAINTS:
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static unsigned list_on_tick(ui_ctx *ui, void *state, int64_t mono_ms)
{
	list_state *s = state;
	unsigned r = care_session_check(ui, s->list.session, mono_ms);
	if (!r)
		s->list.session->dirty = true; /* time left moves on */
	return r;
}

static void list_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	list_state *s = state;
	free(s->rows);
	free(s);
}

static void list_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	(void)state;
	snprintf(buf, n, "%s", _("Enter: the whole of the selected entry and its path; F11: its next "
				 "step; Tab: open / closed / all"));
}

static const screen_ops list_ops = {
	.name = "complaints",
	.help_note = list_help_note,
	.actions = UI_ACTION_BIT(UI_ACT_NEW) | UI_ACTION_BIT(UI_ACT_SAVE) |
		   UI_ACTION_BIT(UI_ACT_RESOLVE) | UI_ACTION_BIT(UI_ACT_ESCALATE) |
		   UI_ACTION_BIT(UI_ACT_NEXT) |
		   UI_ACTION_BIT(UI_ACT_UP) | UI_ACTION_BIT(UI_ACT_DOWN) |
		   UI_ACTION_BIT(UI_ACT_CALLBACKS) | UI_ACTION_BIT(UI_ACT_BACK),
	.draw = list_draw,
	.on_key = list_on_key,
	.on_tick = list_on_tick,
	.leave = list_leave,
	.needs_login = care_session_needs_login,
};

unsigned complaints_list_open(ui_ctx *ui, care_session *session)
{
	return care_list_open(ui, &list_ops, sizeof(list_state), session);
}

/* Form fields by kind (indexes into form.fields), in the order of the
 * paper complaint book: who, what, then how it came and how serious. */
enum { NEW_NAME, NEW_CUSTOMER, NEW_CONTENT, NEW_CATEGORY, NEW_CHANNEL, NEW_SEVERITY,
       NEW_APPROVED, NEW_DAYS };
enum { RES_RESULT, RES_HANDLER, RES_REMARKS };
enum { NEW_SUGGESTION = SEVERITY_COUNT }; /* the severity field's choice after special */
static const char *const entry_kind_names[] = { N_("general"), N_("major"), N_("special"),
						N_("suggestion") };
enum { ESC_SEVERITY, ESC_REASON, ESC_APPROVED, ESC_DAYS };

static fc_status form_save_new(ui_ctx *ui, form_state *s, fc_complaint *out, fc_error *err)
{
	const care_form *f = &s->page.form;
	/* the severity field's last choice is a suggestion (NEW_SUGGESTION) */
	bool suggestion = f->fields[NEW_SEVERITY].choice == NEW_SUGGESTION;
	bool special = f->fields[NEW_SEVERITY].choice == SEVERITY_SPECIAL;
	fc_complaint_input in = {
		.suggestion = suggestion,
		.channel = (fc_channel)f->fields[NEW_CHANNEL].choice,
		.severity = suggestion ? SEVERITY_GENERAL : (fc_severity)f->fields[NEW_SEVERITY].choice,
		.customer_name = care_form_text(f, NEW_NAME),
		.category = care_form_text(f, NEW_CATEGORY),
		.content = care_form_text(f, NEW_CONTENT),
		.approved_by = special ? care_form_text(f, NEW_APPROVED) : NULL,
		.special_days = special ? atoi(care_form_text(f, NEW_DAYS)) : 0,
		.staff_id = s->page.session->head.id,
	};
	const char *code = care_form_text(f, NEW_CUSTOMER);
	if (*code) {
		fc_status st = callback_customer_by_code(ui->app->db, code, &in.customer_id, err);
		if (st == FC_ERR_NOT_FOUND) {
			snprintf(s->page.message, sizeof s->page.message,
				 _("Not saved: %s: no customer with code %s"),
				 _(f->fields[NEW_CUSTOMER].label), code);
			care_form_flag(&s->page.form, NEW_CUSTOMER);
			return FC_ERR_NOT_FOUND;
		}
		if (st)
			return st;
	}
	return complaint_create(ui->app->db, &ui->app->cfg, &in, out, err);
}

/* The first input the user must still give: the field's index (the
 * message, naming it, is set and the focus moved there), -1 when none
 * (the core checks them again). */
static int form_missing(form_state *s)
{
	care_form *f = &s->page.form;
	bool special = (s->kind == FORM_NEW && f->fields[NEW_SEVERITY].choice == SEVERITY_SPECIAL) ||
		       (s->kind == FORM_ESCALATE && f->fields[ESC_SEVERITY].choice + 1 == SEVERITY_SPECIAL);
	int approver = s->kind == FORM_NEW ? NEW_APPROVED : ESC_APPROVED;
	int empty = s->kind == FORM_NEW && !*care_form_text(f, NEW_CONTENT)	  ? NEW_CONTENT
		    : s->kind == FORM_RESOLVE && !*care_form_text(f, RES_RESULT)  ? RES_RESULT
		    : s->kind == FORM_RESOLVE && !*care_form_text(f, RES_HANDLER) ? RES_HANDLER
		    : s->kind == FORM_ESCALATE && !*care_form_text(f, ESC_REASON) ? ESC_REASON
										  : -1;
	if (empty >= 0)
		return care_form_page_refuse(&s->page, empty);
	if (s->kind != FORM_RESOLVE && special && !*care_form_text(f, approver)) {
		snprintf(s->page.message, sizeof s->page.message,
			 _("Not saved: a special case needs \"%s\": the approving supervisor"),
			 _(f->fields[approver].label));
		care_form_flag(f, approver);
		return approver;
	}
	return -1;
}

/* A special case's working days: empty = the most, else 1..max.  false
 * with the message set (naming the field) when out of range. */
static bool form_days_ok(ui_ctx *ui, form_state *s)
{
	const care_form *f = &s->page.form;
	bool special = (s->kind == FORM_NEW && f->fields[NEW_SEVERITY].choice == SEVERITY_SPECIAL) ||
		       (s->kind == FORM_ESCALATE && f->fields[ESC_SEVERITY].choice + 1 == SEVERITY_SPECIAL);
	int field = s->kind == FORM_NEW ? NEW_DAYS : ESC_DAYS;
	if (!special || s->kind == FORM_RESOLVE || !*care_form_text(f, field))
		return true;
	int days = atoi(care_form_text(f, field)), max = ui->app->cfg.complaint_special_max_days;
	if (days >= 1 && days <= max)
		return true;
	snprintf(s->page.message, sizeof s->page.message,
		 _("Not saved: %s: a special case gets 1 to %d working days, not %d"),
		 _(f->fields[field].label), max, days);
	care_form_flag(&s->page.form, field);
	return false;
}

static unsigned form_save(ui_ctx *ui, void *state)
{
	form_state *s = state;
	fc_error err;
	fc_complaint c;
	fc_status st;
	bool closed = false;
	const care_form *f = &s->page.form;
	fc_error_clear(&err);
	if (form_missing(s) >= 0)
		return UI_REDRAW;
	if (!form_days_ok(ui, s))
		return UI_REDRAW;
	if (s->kind == FORM_ESCALATE &&
	    f->fields[ESC_SEVERITY].choice + 1 <= (int)s->target.severity) {
		snprintf(s->page.message, sizeof s->page.message,
			 _("Not saved: %s: the complaint is already %s, choose a higher one"),
			 _(f->fields[ESC_SEVERITY].label), labels_severity(s->target.severity));
		care_form_flag(&s->page.form, ESC_SEVERITY);
		return UI_REDRAW;
	}
	if (s->kind == FORM_NEW)
		st = form_save_new(ui, s, &c, &err);
	else if (s->kind == FORM_RESOLVE)
		st = complaint_resolve(ui->app->db, &ui->app->cfg, s->target.id,
				       care_form_text(f, RES_RESULT), care_form_text(f, RES_HANDLER),
				       care_form_text(f, RES_REMARKS), s->page.session->head.id, &closed,
				       &err);
	else
		st = complaint_escalate(ui->app->db, &ui->app->cfg, s->target.id,
					(fc_severity)(f->fields[ESC_SEVERITY].choice + 1),
					atoi(care_form_text(f, ESC_DAYS)),
					care_form_text(f, ESC_APPROVED), care_form_text(f, ESC_REASON),
					s->page.session->head.id, &c, &err);
	if (st == FC_ERR_CONFLICT && s->kind != FORM_NEW)
		snprintf(s->page.message, sizeof s->page.message,
			 _("Not saved: complaint %s was changed meanwhile (closed or escalated): "
			   "Esc and look again"), complaint_short_id(s->target.id));
	else if (!st && s->kind == FORM_NEW && c.suggestion)
		ui_flash(ui, false, 10, _("Saved: suggestion %s (no deadline)"),
			 complaint_short_id(c.id));
	else if (!st && s->kind == FORM_NEW)
		ui_flash(ui, false, 10, _("Saved: complaint %s, %s, due %s (end of day)"),
			 complaint_short_id(c.id), labels_severity(c.severity), c.deadline);
	else if (!st && s->kind == FORM_RESOLVE && closed)
		ui_flash(ui, false, 10, _("Saved: complaint %s resolved"),
			 complaint_short_id(s->target.id));
	else if (!st && s->kind == FORM_RESOLVE) {
		char stage[64] = "";
		fc_complaint now;
		if (complaint_find(ui->app->db, s->target.id, clock_now_ms(), &now, &err) == FC_OK)
			complaints_stage(&ui->app->cfg, &now, stage, sizeof stage);
		ui_flash(ui, false, 10, _("Saved: the handling result of complaint %s; next: %s"),
			 complaint_short_id(s->target.id), stage);
	}
	else if (!st)
		ui_flash(ui, false, 10, _("Saved: complaint %s is now %s, due %s (end of day)"),
			 complaint_short_id(c.id), labels_severity(c.severity), c.deadline);
	return care_form_page_done(&s->page, st, &err);
}

static void form_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	form_state *s = state;
	int w = ui->cols, y = 2;
	static const char *const titles[] = { N_("New complaint"), N_("Resolve complaint"),
					      N_("Escalate complaint") };
	LABELS_ASSERT_COUNT(titles, FORM_KIND_COUNT);
	wattron(body, A_BOLD);
	text_put(body, 0, 1, _(titles[s->kind]), w - 2);
	wattroff(body, A_BOLD);
	if (s->kind != FORM_NEW && s->target.suggestion) {
		char line[512];
		snprintf(line, sizeof line, _("%s  suggestion: %s"), complaint_short_id(s->target.id),
			 s->target.content);
		text_put_data(body, 1, 2, line, w - 4);
	} else if (s->kind != FORM_NEW) {
		char line[512];
		snprintf(line, sizeof line, _("%s  %s  due %s: %s"), complaint_short_id(s->target.id),
			 labels_severity(s->target.severity), s->target.deadline, s->target.content);
		text_put_data(body, 1, 2, line, w - 4); /* the content is cut with "…" */
	}
	if (s->kind == FORM_ESCALATE && s->target.overdue) {
		wattron(body, theme_attr(THEME_ERROR) | A_BOLD);
		y = 2 + text_put_wrapped(body, 2, 2, _("OVERDUE: raised to major it stays overdue; only a "
						      "special case with a supervisor's approval gets "
						      "a new deadline"), w - 4, 2);
		wattroff(body, theme_attr(THEME_ERROR) | A_BOLD);
	}
	care_form_draw_page(ui, &s->page.form, body, y, w - 4, 14,
			    _("Tab/Up/Down: field   digits pick a choice   Enter: save   Esc: back"),
			    s->page.message);
}

/* A card swiped on the new-complaint form names the customer. */
static unsigned form_on_card(ui_ctx *ui, void *state, const char *card_id)
{
	form_state *s = state;
	int64_t id;
	char code[32], name[128];
	fc_error err;
	care_session_touch(s->page.session);
	if (s->kind != FORM_NEW) {
		ui_flash(ui, true, 4, "%s", _("Card ignored: this form is for a filed complaint"));
		return UI_REDRAW;
	}
	text_field *c = &s->page.form.fields[NEW_CUSTOMER].text, *n = &s->page.form.fields[NEW_NAME].text;
	fc_error_clear(&err);
	fc_status st = complaint_customer_by_card(ui->app->db, card_id, &id, code, name, &err);
	if (st) { /* the previous customer's name and code do not stay */
		bool had = c->buf[0] || n->buf[0];
		text_field_clear(c);
		text_field_clear(n);
		s->page.form.changed |= had;
		if (st == FC_ERR_NOT_FOUND)
			ui_flash(ui, true, 8, "%s",
				 _("This card is not registered: type the customer's name"));
		else
			ui_flash(ui, true, 8, _("Cannot read the card: %s"), fc_error_text(&err));
		return UI_REDRAW;
	}
	snprintf(c->buf, sizeof c->buf, "%s", code);
	snprintf(n->buf, sizeof n->buf, "%s", name);
	s->page.form.changed = true;
	ui_flash(ui, false, 5, _("Customer from the card: %s"), name);
	return UI_REDRAW;
}

unsigned complaints_resolve_open(ui_ctx *ui, care_session *session, const fc_complaint *c)
{
	return form_open(ui, session, FORM_RESOLVE, c);
}

/* F1 on the filing, result and escalation forms: what each needs. */
static void form_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	const form_state *s = state;
	const fc_config *cfg = &ui->app->cfg;
	if (s->kind == FORM_NEW)
		snprintf(buf, n, _("Swipe the customer's card or type the name; the content is "
				   "needed.  Severity (digits): general %d working day(s), major %d, "
				   "special up to %d with the supervisor's name, or a suggestion "
				   "(no deadline)"), cfg->complaint_general_days,
			 cfg->complaint_major_days, cfg->complaint_special_max_days);
	else if (s->kind == FORM_RESOLVE)
		snprintf(buf, n, "%s", _("Result and handler are needed.  It closes a major "
					 "complaint or a suggestion; a general one then needs a head's "
					 "approval, a special case the customer told"));
	else
		snprintf(buf, n, _("Raise to major or special (digits) with the reason; a special "
				   "case needs the supervisor's name and gets up to %d working days, "
				   "counted from receipt"), cfg->complaint_special_max_days);
}

static const screen_ops form_ops = {
	.name = "complaint-form",
	.help_note = form_help_note,
	.draw = form_draw,
	.on_card = form_on_card,
	CARE_FORM_PAGE_OPS,
};

static unsigned form_open(ui_ctx *ui, care_session *session, form_kind kind,
			  const fc_complaint *target)
{
	form_state *s = care_form_page_new(ui, sizeof *s, session, form_save);
	if (!s)
		return UI_REDRAW;
	s->kind = kind;
	care_form *f = &s->page.form;
	if (target)
		s->target = *target;
	if (kind == FORM_NEW) { /* the first field is the first a head fills */
		care_form_example(f, care_form_add_text(f, N_("Customer name"), FIELD_TEXT, 40, false),
				  N_("swipe the card, or type the name: Mr Sun"));
		care_form_example(f, care_form_add_text(f, N_("Customer code"), FIELD_TEXT, 31, false),
				  N_("filled by the card; may stay empty"));
		care_form_example(f, care_form_add_text(f, N_("Content"), FIELD_TEXT, 60, false),
				  N_("what the customer says went wrong"));
		care_form_example(f, care_form_add_text(f, N_("Category"), FIELD_TEXT, 30, false),
				  N_("e.g. service, fuel quality, price"));
		care_form_add_choice(f, N_("Channel"), labels_channel_names, CHANNEL_COUNT, 0);
		care_form_add_choice(f, N_("Severity"), entry_kind_names, NEW_SUGGESTION + 1, 0);
		care_form_example(f, care_form_add_text(f, N_("Approved by"), FIELD_TEXT, 30, false),
				  N_("special case only: the supervisor's name"));
		care_form_example(f, care_form_add_text(f, N_("Working days"), FIELD_DIGITS, 2, false),
				  N_("special case only; empty = the most"));
	} else if (kind == FORM_RESOLVE) {
		care_form_example(f, care_form_add_text(f, N_("Result"), FIELD_TEXT, 60, false),
				  N_("what was done, what the customer was told"));
		int i = care_form_add_text(f, N_("Handler"), FIELD_TEXT, 30, false);
		snprintf(f->fields[i].text.buf, sizeof f->fields[i].text.buf, "%s",
			 session->head.name);
		care_form_example(f, i, N_("who handled it"));
		care_form_example(f, care_form_add_text(f, N_("Remarks"), FIELD_TEXT, 60, false),
				  N_("optional"));
	} else {
		care_form_add_choice(f, N_("New severity"), labels_severity_names + SEVERITY_MAJOR,
				     SEVERITY_COUNT - SEVERITY_MAJOR,
				     target->severity >= SEVERITY_MAJOR ? 1 : 0);
		care_form_example(f, care_form_add_text(f, N_("Reason"), FIELD_TEXT, 60, false),
				  N_("why it is raised"));
		care_form_example(f, care_form_add_text(f, N_("Approved by"), FIELD_TEXT, 30, false),
				  N_("special case only: the supervisor's name"));
		care_form_example(f, care_form_add_text(f, N_("Working days"), FIELD_DIGITS, 2, false),
				  N_("special case only; empty = the most"));
	}
	return ui_push(ui, &form_ops, s);
}
