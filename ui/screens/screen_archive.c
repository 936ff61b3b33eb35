/* screen_archive.c — Home: search the customer archive by any part of a
 * name, phone, plate or code (Chinese too) or by a swiped card; open the card. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care/complaint.h"
#include "customers/search.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/theme.h"
#include "ui/screens/archive_ui.h"

typedef struct search_state {
	text_field query;
	search_result result;
	char searched[128]; /* the trimmed query result holds; "" = none yet */
	bool failed;        /* the last search failed (flashed) */
	int sel;            /* selected hit */
	int top;            /* first hit shown */
	int rows;           /* hits that fit the body (from the last draw) */
	bool stale;         /* a card or form saved: search again */
	bool rivals;        /* ^F: only the competitor customers (search_competitors) */
} search_state;

bool archive_ui_editor(ui_ctx *ui, fc_staff *who)
{
	fc_staff me;
	if (ui->app->staff_id <= 0 || staff_find_id(ui->app->db, ui->app->staff_id, &me, NULL) ||
	    !me.active || !staff_role_allows(me.role, ROLE_HEAD))
		return false;
	if (who)
		*who = me;
	return true;
}

/* The query without leading and trailing spaces into out (128 bytes). */
static void query_trimmed(const text_field *q, char out[128])
{
	const char *p = q->buf;
	while (*p == ' ')
		p++;
	snprintf(out, 128, "%s", p);
	size_t n = strlen(out);
	while (n > 0 && out[n - 1] == ' ')
		out[--n] = '\0';
}

static void search_run(ui_ctx *ui, search_state *s)
{
	char q[128];
	fc_error err;
	query_trimmed(&s->query, q);
	s->sel = s->top = 0;
	s->stale = false;
	s->failed = false;
	snprintf(s->searched, sizeof s->searched, "%s", q);
	memset(&s->result, 0, sizeof s->result);
	if (!q[0] && !s->rivals)
		return;
	fc_error_clear(&err);
	if (s->rivals ? search_competitors(ui->app->db, q, &s->result, &err)
		      : search_customers(ui->app->db, q, &s->result, &err)) {
		s->failed = true;
		ui_flash(ui, true, 6, _("Cannot search the archive: %s"), fc_error_text(&err));
	}
}

/* Tier of a hit in the user's language ("钻级"), "" when not readable. */
static const char *hit_tier(const search_hit *h)
{
	fc_nature n;
	fc_tier t;
	if (!nature_parse(h->nature, &n) || !tier_parse(h->tier, n, &t))
		return h->tier;
	return labels_tier(t);
}

static const char *hit_class(const search_hit *h)
{
	fc_stability st;
	return stability_parse(h->stability, &st) ? labels_stability_short(st) : h->stability;
}

static void search_draw_status(ui_ctx *ui, const search_state *s, WINDOW *body, int y)
{
	char line[256];
	int w = ui->cols;
	if (s->rivals && s->result.count == 0)
		snprintf(line, sizeof line, "%s", _("No competitor customer matches: ^F shows "
						     "everyone again."));
	else if (s->rivals)
		snprintf(line, sizeof line, _n("%d competitor customer (^F: everyone).",
					       "%d competitor customers (^F: everyone).",
					       s->result.count), s->result.count);
	else if (!s->searched[0])
		snprintf(line, sizeof line, "%s", _("Type any part of a name, phone, plate or "
						     "customer code."));
	else if (s->result.count == 0)
		snprintf(line, sizeof line, _("No customer matches \"%s\"."), s->searched);
	else if (s->result.partial)
		snprintf(line, sizeof line, _("%d shown; there may be more: type more characters."),
			 s->result.count);
	else if (s->result.count == SEARCH_PAGE)
		snprintf(line, sizeof line, _("The first %d matches: type more to narrow."),
			 s->result.count);
	else
		snprintf(line, sizeof line, _n("%d customer found.", "%d customers found.",
						     s->result.count),
			 s->result.count);
	char page[128] = "";
	if (s->result.count > s->rows && s->rows > 0)
		snprintf(page, sizeof page, _("%d-%d of %d  PgUp/PgDn: page"), s->top + 1,
			 s->top + s->rows < s->result.count ? s->top + s->rows : s->result.count,
			 s->result.count);
	int pw = page[0] ? text_width(page) + 2 : 0;
	text_put(body, y, 2, line, w - 3 - pw);
	if (pw)
		text_put(body, y, w - 1 - pw + 2, page, pw - 2);
}

static void search_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	search_state *s = state;
	int w = ui->cols, h = getmaxy(body);
	char line[256];
	if (s->stale)
		search_run(ui, s);
	wattron(body, A_BOLD);
	text_put(body, 0, 1, s->rivals ? _("Customer archive: competitor customers")
				       : _("Customer archive"), w - 2);
	wattroff(body, A_BOLD);
	text_put(body, 1, 2, _("Search:"), 10);
	snprintf(line, sizeof line, "%s_", s->query.buf);
	wattron(body, theme_attr(THEME_FOCUS));
	text_put(body, 1, 12, line, w - 14);
	wattroff(body, theme_attr(THEME_FOCUS));
	search_draw_status(ui, s, body, 2);
	/* code, name, tier, class, phone, plate; the name takes what is left; a
	 * phone shows whole (13 columns: 138-0013-8000) or ends in "…" */
	int cw[] = { 18, 0, 9, 10, 14 }, plate = 10;
	cw[1] = w - 2 - cw[0] - cw[2] - cw[3] - cw[4] - plate;
	if (cw[1] < 10)
		cw[1] = 10;
	int x[6] = { 1 };
	for (int i = 0; i < 5; i++)
		x[i + 1] = x[i] + cw[i];
	wattron(body, A_BOLD);
	text_put(body, 4, x[0], _("Code"), cw[0]);
	text_put(body, 4, x[1], _("Name"), cw[1]);
	text_put(body, 4, x[2], _("Tier"), cw[2]);
	text_put(body, 4, x[3], _("Class"), cw[3]);
	text_put(body, 4, x[4], _("Phone"), cw[4]);
	text_put(body, 4, x[5], s->rivals ? _("Competitor") : _("Plate"), w - x[5] - 1);
	wattroff(body, A_BOLD);
	s->rows = h - 7 > 1 ? h - 7 : 1;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + s->rows)
		s->top = s->sel - s->rows + 1;
	for (int i = s->top; i < s->result.count && i < s->top + s->rows; i++) {
		const search_hit *hit = &s->result.hits[i];
		int y = 5 + i - s->top;
		if (i == s->sel)
			wattron(body, A_REVERSE);
		/* one blank column between columns, the selection bar across */
		text_put(body, y, x[0], "", x[5] - x[0]);
		text_put_data(body, y, x[0], hit->code, cw[0] - 1);
		text_put_data(body, y, x[1], hit->name, cw[1] - 1);
		text_put(body, y, x[2], hit_tier(hit), cw[2] - 1);
		text_put(body, y, x[3], hit_class(hit), cw[3] - 1);
		text_put_data(body, y, x[4], hit->phone, cw[4] - 1);
		text_put_data(body, y, x[5], s->rivals ? hit->competitor_name : hit->plate,
			      w - x[5] - 1);
		if (i == s->sel)
			wattroff(body, A_REVERSE);
	}
	text_put(body, h - 1, 2,
		 _("Up/Down: select   Enter: open   Ins: new potential customer   Esc: back"),
		 w - 4);
}

static unsigned search_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	search_state *s = state;
	int page = s->rows > 1 ? s->rows : 1, last = s->result.count - 1;
	switch (key->action) {
	case UI_ACT_UP:
		s->sel = s->sel > 0 ? s->sel - 1 : 0;
		return UI_REDRAW;
	case UI_ACT_DOWN:
		s->sel = s->sel < last ? s->sel + 1 : s->sel;
		return UI_REDRAW;
	case UI_ACT_PAGE_UP:
		s->sel = s->sel > page ? s->sel - page : 0;
		s->top = s->top > page ? s->top - page : 0;
		return UI_REDRAW;
	case UI_ACT_PAGE_DOWN:
		if (s->top + page <= last) {
			s->top += page;
			s->sel = s->sel + page <= last ? s->sel + page : last;
		} else {
			s->sel = last > 0 ? last : 0;
		}
		return UI_REDRAW;
	case UI_ACT_ERASE:
		text_field_erase(&s->query);
		search_run(ui, s);
		return UI_REDRAW;
	case UI_ACT_SAVE:
		if (s->result.count == 0) {
			ui_flash(ui, true, 4, "%s", _("No customer to open: type a name, phone, "
						      "plate or code first"));
			return UI_REDRAW;
		}
		return archive_edit_card_open(ui, s->result.hits[s->sel].code, &s->stale);
	case UI_ACT_NEW:
		if (!archive_ui_editor(ui, NULL)) {
			ui_flash(ui, true, 6, "%s", _("Only a station head or admin can register a "
						      "customer: log in with F6"));
			return UI_REDRAW;
		}
		return archive_edit_register_open(ui, &s->query, &s->stale);
	case UI_ACT_ARCHIVE:
		return UI_REDRAW;
	case UI_ACT_COMPETITORS:
		s->rivals = !s->rivals;
		search_run(ui, s);
		return UI_REDRAW;
	case UI_ACT_NONE:
		if (key->is_keycode)
			return UI_UNHANDLED;
		if (!text_field_insert(&s->query, key->ch)) {
			ui_flash(ui, true, 4, _("Search: at most %zu characters"), s->query.max_chars);
			return UI_REDRAW;
		}
		search_run(ui, s);
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

/* A card swiped on the search screen opens its customer's card. */
static unsigned search_on_card(ui_ctx *ui, void *state, const char *card_id)
{
	search_state *s = state;
	int64_t id;
	char code[32], name[128];
	fc_error err;
	fc_error_clear(&err);
	fc_status st = complaint_customer_by_card(ui->app->db, card_id, &id, code, name, &err);
	if (st) {
		ui_flash(ui, true, 5, "%s", st == FC_ERR_NOT_FOUND
				? _("This card is not registered: search by name, phone or plate")
				: fc_error_text(&err));
		return UI_REDRAW;
	}
	snprintf(s->query.buf, sizeof s->query.buf, "%s", code);
	search_run(ui, s);
	return archive_edit_card_open(ui, code, &s->stale);
}

static void search_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	free(state);
}

/* F1: what ^F shows. */
static void search_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	(void)state;
	snprintf(buf, n, "%s", _("^F lists the competitor customers (flagged on the card, with "
				 "whose); what you type then narrows them by competitor, name or "
				 "code."));
}

static const screen_ops search_ops = {
	.name = "archive",
	.actions = UI_ACTION_BIT(UI_ACT_SAVE) | UI_ACTION_BIT(UI_ACT_NEW) |
		   UI_ACTION_BIT(UI_ACT_UP) | UI_ACTION_BIT(UI_ACT_DOWN) |
		   UI_ACTION_BIT(UI_ACT_PAGE_UP) | UI_ACTION_BIT(UI_ACT_PAGE_DOWN) |
		   UI_ACTION_BIT(UI_ACT_ERASE) | UI_ACTION_BIT(UI_ACT_BACK) |
		   UI_ACTION_BIT(UI_ACT_COMPETITORS),
	.help_note = search_help_note,
	.draw = search_draw,
	.on_key = search_on_key,
	.on_card = search_on_card,
	.leave = search_leave,
};

unsigned archive_screen_open(ui_ctx *ui)
{
	if (ui_top(ui) == &search_ops)
		return UI_REDRAW;
	if (ui->app->staff_id <= 0) {
		ui_flash(ui, true, 6, "%s", _("The customer archive is for station staff: log in "
					      "with F6 first"));
		return UI_REDRAW;
	}
	search_state *s = calloc(1, sizeof *s);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	s->query = (text_field){ .kind = FIELD_TEXT, .max_chars = 30 };
	return ui_push(ui, &search_ops, s);
}
