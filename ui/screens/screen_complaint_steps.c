/* screen_complaint_steps.c — one entry of the complaint book with its path
 * (received, each level's approval, handled, approved, customer told,
 * closed: who and when), and the forms of the steps after the handling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "care/complaint.h"
#include "care/complaint_path.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/theme.h"
#include "ui/screens/care.h"

/* The whole of one entry, read again at each draw (a step saved from here
 * shows at once); F11 its next step, Esc back. */
typedef struct detail_state {
	care_session *session;
	char id[UUID_STR_LEN];
} detail_state;

/* ISO time as the station's local "YYYY-MM-DD HH:MM" into out ("" stays ""). */
static const char *local_time(const char *iso, char *out)
{
	int64_t ms;
	out[0] = '\0';
	if (iso[0] && clock_parse_iso(iso, &ms))
		clock_format_local(ms, out);
	return out;
}

static int method_index(const char *key)
{
	fc_callback_method m;
	return callback_method_parse(key, &m) ? (int)m : -1;
}

/* The label of step st: "Received", "Approval 2/2: branch retail manager". */
static void step_label(const fc_config *cfg, const fc_complaint_step *st, char *out, size_t n)
{
	switch (st->kind) {
	case COMPLAINT_STEP_RECEIVED: snprintf(out, n, "%s", _("Received")); break;
	case COMPLAINT_STEP_LEVEL:
		snprintf(out, n, _("Level %d/%d: %s"), st->level_no, cfg->complaint_level_count,
			 labels_owner(approver_key(st->level)));
		break;
	case COMPLAINT_STEP_HANDLED: snprintf(out, n, "%s", _("Handled")); break;
	case COMPLAINT_STEP_APPROVED: snprintf(out, n, "%s", _("Approved by a head")); break;
	case COMPLAINT_STEP_TOLD: snprintf(out, n, "%s", _("Customer told")); break;
	default: snprintf(out, n, "%s", _("Closed")); break;
	}
}

/* The path from row y, a row per step: done or not, what, who (how), when. */
static int path_draw(ui_ctx *ui, WINDOW *body, int y, int h, const fc_complaint *c,
		     const fc_complaint_step *steps, size_t n)
{
	int w = ui->cols;
	char label[160], who[160], when[CLOCK_ISO_LEN];
	for (size_t i = 0; i < n && y < h - 1; i++, y++) {
		const fc_complaint_step *st = &steps[i];
		step_label(&ui->app->cfg, st, label, sizeof label);
		if (st->kind == COMPLAINT_STEP_TOLD && st->done && method_index(st->how) >= 0)
			snprintf(who, sizeof who, _("%s, by %s"), st->who,
				 _(labels_callback_method_names[method_index(st->how)]));
		else
			snprintf(who, sizeof who, "%s", st->who);
		if (st->kind == COMPLAINT_STEP_RECEIVED) /* how it came */
			snprintf(who, sizeof who, "%s", labels_channel(c->channel));
		attr_t a = st->done ? A_NORMAL : A_DIM;
		wattron(body, a);
		text_put(body, y, 2, st->done ? "✓" : "-", 2);
		text_put(body, y, 4, label, 40);
		text_put_data(body, y, 45, who, 16);
		text_put(body, y, 62, st->done ? local_time(st->at, when) : _("pending"), w - 63);
		wattroff(body, a);
	}
	return y;
}

static void detail_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	detail_state *s = state;
	fc_complaint c;
	fc_complaint_step steps[COMPLAINT_PATH_MAX];
	size_t n = 0;
	fc_error err;
	int w = ui->cols, h = getmaxy(body), y = 2, lw = 14;
	char line[320], left[64], due[96], received[CLOCK_ISO_LEN], stage[64];
	if (complaint_find(ui->app->db, s->id, clock_now_ms(), &c, &err) ||
	    complaint_path_steps(ui->app->db, &ui->app->cfg, &c, steps, &n, &err)) {
		text_put_wrapped(body, 0, 1, fc_error_text(&err), w - 2, 2);
		return;
	}
	complaints_time_left(&c, left, sizeof left);
	if (c.suggestion)
		snprintf(due, sizeof due, "%s", _("none: a suggestion has no deadline"));
	else
		snprintf(due, sizeof due, "%s  %s", c.deadline, left);
	snprintf(line, sizeof line, c.suggestion ? _("Suggestion %s") : _("Complaint %s"),
		 complaint_short_id(c.id));
	wattron(body, A_BOLD);
	text_put(body, 0, 1, line, w - 2);
	wattroff(body, A_BOLD);
	const struct { const char *label, *value; } rows[] = {
		{ N_("Received"), local_time(c.received_at, received) },
		{ N_("Channel"), labels_channel(c.channel) },
		{ N_("Customer"), c.customer_name[0] ? c.customer_name : "—" },
		{ N_("Category"), c.category[0] ? c.category : "—" },
		{ N_("Severity"), complaints_kind_label(&c) },
		{ N_("Due"), due },
		{ N_("Stage"), complaints_stage(&ui->app->cfg, &c, stage, sizeof stage) },
		{ N_("Result"), c.handled_at[0] ? c.result : "—" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0] && y < h; i++, y++) {
		text_put(body, y, 2, _(rows[i].label), lw);
		if (c.overdue && rows[i].value == due)
			wattron(body, theme_attr(THEME_ERROR) | A_BOLD);
		text_put_data(body, y, 3 + lw, rows[i].value, w - lw - 5);
		if (c.overdue && rows[i].value == due)
			wattroff(body, theme_attr(THEME_ERROR) | A_BOLD);
	}
	text_put(body, y, 2, _("Content"), lw);
	int room = h - y - (int)n - 2;
	y += text_put_wrapped(body, y, 3 + lw, c.content, w - lw - 5, room > 1 ? room : 1);
	y = path_draw(ui, body, y, h, &c, steps, n);
	text_put(body, y, 2, c.closed ? _("Esc: back to the complaint book")
				      : _("F11: the next step    Esc: back to the complaint book"),
		 w - 4);
}

static unsigned detail_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	detail_state *s = state;
	fc_complaint c;
	fc_error err;
	care_session_touch(s->session);
	if (key->action == UI_ACT_BACK)
		return UI_BACK | UI_REDRAW;
	if (key->action != UI_ACT_RESOLVE)
		return UI_UNHANDLED;
	if (complaint_find(ui->app->db, s->id, clock_now_ms(), &c, &err)) {
		ui_flash(ui, true, 6, _("Cannot read the complaint book: %s"), fc_error_text(&err));
		return UI_REDRAW;
	}
	if (c.closed) {
		ui_flash(ui, true, 4, "%s", _("Select an open complaint first"));
		return UI_REDRAW;
	}
	return complaint_steps_next_open(ui, s->session, &c);
}

static void detail_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	(void)state;
	snprintf(buf, n, "%s", _("General: result, a head's approval, customer told, close; "
				 "special: each level approves in order.  F11: the next step"));
}

static const screen_ops detail_ops = {
	.name = "complaint-detail",
	.help_note = detail_help_note,
	.actions = UI_ACTION_BIT(UI_ACT_BACK) | UI_ACTION_BIT(UI_ACT_RESOLVE),
	.draw = detail_draw,
	.on_key = detail_on_key,
	.on_tick = care_session_on_tick,
	.leave = care_session_leave,
	.needs_login = care_session_needs_login,
};

unsigned complaint_steps_detail_open(ui_ctx *ui, care_session *session, const fc_complaint *c)
{
	detail_state *s = care_session_state_new(ui, sizeof *s, session);
	if (!s)
		return UI_REDRAW;
	snprintf(s->id, sizeof s->id, "%s", c->id);
	return ui_push(ui, &detail_ops, s);
}

/* The forms of the steps after the handling. */
typedef enum { STEP_FORM_LEVEL, STEP_FORM_APPROVE, STEP_FORM_TELL, STEP_FORM_CLOSE,
	       STEP_FORM_COUNT } step_form;

typedef struct form_state {
	care_form_page page; /* first: session, form, message */
	step_form kind;
	int level_no;        /* STEP_FORM_LEVEL */
	fc_complaint target;
} form_state;

enum { F_NAME = 0, F_HOW = 1, F_REMARKS = 0 };

static unsigned form_save(ui_ctx *ui, void *state)
{
	form_state *s = state;
	const care_form *f = &s->page.form;
	const fc_config *cfg = &ui->app->cfg;
	const char *sid = complaint_short_id(s->target.id);
	int64_t head = s->page.session->head.id;
	fc_error err;
	fc_status st;
	fc_error_clear(&err);
	if (s->kind != STEP_FORM_CLOSE && s->kind != STEP_FORM_APPROVE &&
	    !*care_form_text(f, F_NAME)) {
		care_form_page_refuse(&s->page, F_NAME);
		return UI_REDRAW;
	}
	if (s->kind == STEP_FORM_LEVEL)
		st = complaint_path_approve(ui->app->db, cfg, s->target.id, s->level_no,
					    care_form_text(f, F_NAME), 0, head, &err);
	else if (s->kind == STEP_FORM_APPROVE) /* by the head logged in */
		st = complaint_path_approve(ui->app->db, cfg, s->target.id, 0, NULL, 0, head, &err);
	else if (s->kind == STEP_FORM_TELL)
		st = complaint_path_tell(ui->app->db, cfg, s->target.id, care_form_text(f, F_NAME),
					 (fc_callback_method)f->fields[F_HOW].choice, 0, head, &err);
	else
		st = complaint_path_close(ui->app->db, cfg, s->target.id,
					  care_form_text(f, F_REMARKS), head, &err);
	if (st)
		return care_form_page_done(&s->page, st, &err);
	if (s->kind == STEP_FORM_LEVEL)
		ui_flash(ui, false, 10, _("Saved: complaint %s, approval %d of %d by %s"), sid,
			 s->level_no, cfg->complaint_level_count, care_form_text(f, F_NAME));
	else if (s->kind == STEP_FORM_APPROVE)
		ui_flash(ui, false, 10, _("Saved: complaint %s, its handling approved by %s"), sid,
			 s->page.session->head.name);
	else if (s->kind == STEP_FORM_TELL)
		ui_flash(ui, false, 10, _("Saved: complaint %s, the customer was told"), sid);
	else
		ui_flash(ui, false, 10, _("Saved: complaint %s closed"), sid);
	return care_form_page_done(&s->page, st, &err);
}

static void form_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	form_state *s = state;
	const fc_complaint *c = &s->target;
	int w = ui->cols;
	char title[200], line[640];
	if (s->kind == STEP_FORM_LEVEL)
		snprintf(title, sizeof title, _("Approve the special case: level %d of %d, %s"),
			 s->level_no, ui->app->cfg.complaint_level_count,
			 labels_owner(approver_key(ui->app->cfg.complaint_levels[s->level_no - 1])));
	else
		snprintf(title, sizeof title, "%s",
			 s->kind == STEP_FORM_APPROVE ? _("Approve the handling opinion")
			 : s->kind == STEP_FORM_TELL  ? _("The customer was told the result")
						      : _("Close the complaint"));
	wattron(body, A_BOLD);
	text_put(body, 0, 1, title, w - 2);
	wattroff(body, A_BOLD);
	snprintf(line, sizeof line, _("%s  %s: %s"), complaint_short_id(c->id),
		 complaints_kind_label(c), c->content);
	text_put_data(body, 1, 2, line, w - 4);
	int y = 2;
	if (c->handled_at[0]) {
		snprintf(line, sizeof line, _("Result (%s): %s"), c->handler, c->result);
		text_put_data(body, 2, 2, line, w - 4);
		y = 3;
	}
	if (s->kind == STEP_FORM_APPROVE) { /* no field: the head logged in approves */
		snprintf(line, sizeof line, _("Approved by: %s (the head logged in)"),
			 s->page.session->head.name);
		text_put_data(body, ++y, 2, line, w - 4);
	}
	care_form_draw_page(ui, &s->page.form, body, y + 1, w - 4, 14,
			    s->kind == STEP_FORM_CLOSE     ? _("Enter: close it    Esc: back")
			    : s->kind == STEP_FORM_APPROVE ? _("Enter: approve it    Esc: back")
				    : _("Tab/Up/Down: field   digits pick a choice   Enter: save   "
					"Esc: back"),
			    s->page.message);
}

/* F1 on a step's form: who it is recorded for and what comes next. */
static void form_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	const form_state *s = state;
	static const char *const notes[STEP_FORM_COUNT] = {
		[STEP_FORM_LEVEL] = N_("Type the name of the supervisor who approved at this level "
				       "(above the station, not a staff member); your name is kept "
				       "as who entered it.  The levels approve in order, then the "
				       "result"),
		[STEP_FORM_APPROVE] = N_("Enter approves the handling opinion in your name, the "
					 "head logged in; no other name can be given.  Next: the "
					 "customer is told the result"),
		[STEP_FORM_TELL] = N_("Who told the customer the result and how (digits); the time "
				      "is now, after the approval"),
		[STEP_FORM_CLOSE] = N_("Closes the entry; the remarks are optional and are added "
				       "to those given with the result"),
	};
	snprintf(buf, n, "%s", _(notes[s->kind]));
}

static const screen_ops form_ops = {
	.name = "complaint-step",
	.help_note = form_help_note,
	.draw = form_draw,
	CARE_FORM_PAGE_OPS,
};

static unsigned form_open(ui_ctx *ui, care_session *session, step_form kind, int level_no,
			  const fc_complaint *c)
{
	form_state *s = care_form_page_new(ui, sizeof *s, session, form_save);
	if (!s)
		return UI_REDRAW;
	s->kind = kind;
	s->level_no = level_no;
	s->target = *c;
	care_form *f = &s->page.form;
	if (kind == STEP_FORM_CLOSE) {
		care_form_example(f, care_form_add_text(f, N_("Remarks"), FIELD_TEXT, 60, false),
				  N_("optional"));
		return ui_push(ui, &form_ops, s);
	}
	if (kind == STEP_FORM_APPROVE) { /* no field: the head logged in approves */
		f->focus = -1;
		return ui_push(ui, &form_ops, s);
	}
	int i = care_form_add_text(f, kind == STEP_FORM_TELL ? N_("Told by") : N_("Approved by"),
				   FIELD_TEXT, 30, false);
	if (kind == STEP_FORM_LEVEL) /* a supervisor above the station: typed */
		care_form_example(f, i, N_("the supervisor's name"));
	else
		snprintf(f->fields[i].text.buf, sizeof f->fields[i].text.buf, "%s",
			 session->head.name);
	if (kind == STEP_FORM_TELL)
		care_form_add_choice(f, N_("How"), labels_callback_method_names,
				     CALLBACK_METHOD_COUNT, 0);
	return ui_push(ui, &form_ops, s);
}

unsigned complaint_steps_next_open(ui_ctx *ui, care_session *session, const fc_complaint *c)
{
	int no;
	switch (complaint_path_next(&ui->app->cfg, c, &no)) {
	case COMPLAINT_STEP_LEVEL: return form_open(ui, session, STEP_FORM_LEVEL, no, c);
	case COMPLAINT_STEP_HANDLED: return complaints_resolve_open(ui, session, c);
	case COMPLAINT_STEP_APPROVED: return form_open(ui, session, STEP_FORM_APPROVE, 0, c);
	case COMPLAINT_STEP_TOLD: return form_open(ui, session, STEP_FORM_TELL, 0, c);
	default: return form_open(ui, session, STEP_FORM_CLOSE, 0, c);
	}
}
