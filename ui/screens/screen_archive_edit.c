/* screen_archive_edit.c — the customer card (every archive field, classes,
 * tier, points, composite class; a head or admin edits it) and the form
 * that registers a potential customer.  Saves go through src/customers/archive.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "customers/archive.h"
#include "pump/lookup.h"
#include "ui/core/i18n.h"
#include "ui/core/labels.h"
#include "ui/core/theme.h"
#include "ui/screens/archive_ui.h"
#include "ui/screens/care.h"

#define ARCHIVE_FIELD_COUNT 22 /* archive_fields: 13 texts, industry, nature, competitor,
				  its name, two special dates, three ratings */
enum { FIELD_INDUSTRY = 13, FIELD_NATURE = 14, FIELD_COMPETITOR = 15 };
/* The card edits every field but the nature: it follows the cards
 * (classify sets it), so it is shown with the classes, read only.  Form
 * field k is archive field card_field(k). */
#define CARD_FIELD_COUNT (ARCHIVE_FIELD_COUNT - 1)

static int card_field(int k)
{
	return k < FIELD_NATURE ? k : k + 1;
}

/* The competitor flag's choices, 0 and 1. */
static const char *const competitor_choices[] = { N_("no"), N_("yes: buys from a competitor") };

/* Labels of archive_fields, in its order. */
static const char *const field_labels[] = {
	N_("Name"), N_("Contact person"), N_("Phone"), N_("Address"), N_("Plates / vehicles"),
	N_("Fuel grades used"), N_("Yearly demand (L)"), N_("Refuelling cycle (days)"),
	N_("Other channels used"), N_("Potential demand"), N_("Person in charge"),
	N_("Unit handler"), N_("Special requirements"), N_("Industry"), N_("Nature"),
	N_("Competitor customer"), N_("Competitor (whose)"), N_("Birthday"),
	N_("Company anniversary"), N_("Rating: company scale"), N_("Rating: credit standing"),
	N_("Rating: industry influence"),
};
LABELS_ASSERT_COUNT(field_labels, ARCHIVE_FIELD_COUNT);

/* What goes in each text field, shown in grey while it is empty. */
static const char *const field_examples[] = {
	N_("the unit's or the person's name"), N_("e.g. Manager Wang"), N_("e.g. 138-0013-8000"),
	N_("street, district, city"), N_("e.g. 渝A·21978, 渝B12345"), N_("e.g. 92#, 0#"),
	N_("litres a year, e.g. 50000"), N_("days between fuellings, e.g. 7"),
	N_("e.g. another brand's station"),
	N_("e.g. a second fleet next year"), N_("name, title, phone"), N_("name, title, phone"),
	N_("e.g. a monthly invoice"), NULL, NULL, NULL, N_("e.g. another brand's name"),
	N_("MM-DD, e.g. 03-15"), N_("MM-DD or YYYY-MM-DD"), N_("0-100; empty: from the cards"),
	N_("0-100; empty: from blocked cards"), N_("0-100; empty: from the yearly demand"),
};
LABELS_ASSERT_COUNT(field_examples, ARCHIVE_FIELD_COUNT);

typedef struct card_state {
	archive_card card;
	care_form form;
	/* the stored values as the form holds them */
	char loaded[CARD_FIELD_COUNT][ARCHIVE_VALUE_LEN];
	bool cut[CARD_FIELD_COUNT]; /* stored value longer than the form holds */
	bool editor;    /* a head or admin is logged in */
	fc_staff who;   /* that staff member */
	bool *stale;    /* the search screen's */
	bool esc_armed; /* Esc pressed once with unsaved changes */
	int fresh;      /* focused field not typed into yet: the first character
			   replaces its value (-1 once typed or erased) */
	char message[256];
} card_state;

/* The stored value of field on the card ("" when absent). */
static const char *card_get(const archive_card *c, const char *field)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->values[i].field, field) == 0)
			return c->values[i].value;
	return "";
}

/* The digits of the largest value a number field takes. */
static size_t digits_of(long long max)
{
	size_t n = 1;
	while (max >= 10) {
		max /= 10;
		n++;
	}
	return n;
}

/* Add archive field i to form f with the kind (and length) that fits the
 * values archive_check_field takes. */
static void form_add_field(care_form *f, int i, const char *value)
{
	if (i == FIELD_COMPETITOR) {
		care_form_add_choice(f, field_labels[i], competitor_choices, 2,
				     strcmp(value, "1") == 0);
		return;
	}
	if (i == FIELD_INDUSTRY || i == FIELD_NATURE) {
		fc_industry ind = INDUSTRY_OTHER;
		fc_nature nat = NATURE_INDIVIDUAL;
		if (i == FIELD_INDUSTRY) {
			industry_parse(value, &ind);
			care_form_add_choice(f, field_labels[i], labels_industry_names, INDUSTRY_COUNT,
					     ind);
		} else {
			nature_parse(value, &nat);
			care_form_add_choice(f, field_labels[i], labels_nature_names, NATURE_COUNT, nat);
		}
		return;
	}
	const char *name = archive_fields[i];
	field_kind kind = FIELD_TEXT;
	size_t max_chars = 60;
	if (strcmp(name, "yearly_litres") == 0) {
		kind = FIELD_DIGITS;
		max_chars = digits_of(ARCHIVE_YEARLY_LITRES_MAX);
	} else if (strcmp(name, "refuel_cycle_days") == 0) {
		kind = FIELD_DIGITS;
		max_chars = digits_of(ARCHIVE_CYCLE_DAYS_MAX);
	} else if (strcmp(name, "phone") == 0) {
		kind = FIELD_PHONE;
		max_chars = ARCHIVE_PHONE_MAX;
	} else if (strncmp(name, "rating_", 7) == 0) {
		kind = FIELD_DIGITS;
		max_chars = digits_of(ARCHIVE_RATING_MAX);
	} else if (strcmp(name, "birthday") == 0 || strcmp(name, "anniversary") == 0) {
		max_chars = 10; /* YYYY-MM-DD */
	}
	int k = care_form_add_text(f, field_labels[i], kind, max_chars, false);
	snprintf(f->fields[k].text.buf, sizeof f->fields[k].text.buf, "%s", value);
	care_form_example(f, k, field_examples[i]);
}

/* The value of form field k, archive field i, as archive_update takes it. */
static const char *form_value(const care_form *f, int k, int i)
{
	if (i == FIELD_INDUSTRY)
		return industry_key((fc_industry)f->fields[k].choice);
	if (i == FIELD_NATURE)
		return nature_key((fc_nature)f->fields[k].choice);
	if (i == FIELD_COMPETITOR)
		return f->fields[k].choice == 1 ? "1" : "0";
	return care_form_text(f, k);
}

/* Fill the form from the card.  A stored value longer than a form field
 * holds is marked cut: saving a change to it is refused (text would be lost). */
static void card_fill(card_state *s)
{
	int focus = s->form.focus;
	memset(&s->form, 0, sizeof s->form);
	for (int k = 0; k < CARD_FIELD_COUNT; k++) {
		int i = card_field(k);
		const char *v = card_get(&s->card, archive_fields[i]);
		form_add_field(&s->form, i, v);
		s->cut[k] = strlen(v) >= sizeof s->form.fields[k].text.buf;
		snprintf(s->loaded[k], sizeof s->loaded[k], "%s", form_value(&s->form, k, i));
	}
	s->form.focus = s->editor ? focus : -1;
	s->fresh = s->form.focus;
}

static bool card_changed(const card_state *s)
{
	for (int k = 0; k < CARD_FIELD_COUNT; k++)
		if (strcmp(form_value(&s->form, k, card_field(k)), s->loaded[k]) != 0)
			return true;
	return false;
}

/* "2026-06-28 16:00" of a stored UTC time into buf, "—" when none. */
static const char *card_time(const char *iso, char buf[CLOCK_ISO_LEN])
{
	int64_t ms;
	if (!iso[0] || !clock_parse_iso(iso, &ms))
		return "—";
	return clock_format_local(ms, buf);
}

/* The read-only lines from row 1: classes; tier, source, points; composite,
 * visits (each wraps onto a second row when it must).  Returns the row after. */
static int card_draw_facts(ui_ctx *ui, card_state *s, WINDOW *body)
{
	const archive_card *c = &s->card;
	char line[512], when[CLOCK_ISO_LEN], last[CLOCK_ISO_LEN], first[CLOCK_ISO_LEN], owner[160];
	fc_nature nature = NATURE_INDIVIDUAL;
	fc_industry industry = INDUSTRY_OTHER;
	fc_stability stability = STABILITY_POTENTIAL;
	fc_tier tier = TIER_IND_ORDINARY;
	nature_parse(card_get(c, "nature"), &nature);
	industry_parse(card_get(c, "industry"), &industry);
	stability_parse(card_get(c, "stability"), &stability);
	bool tier_ok = tier_parse(card_get(c, "tier"), nature, &tier);
	int64_t points = 0;
	fc_error err;
	if (lookup_points_balance(ui->app->db, strtoll(card_get(c, "id"), NULL, 10), &points, &err))
		points = strtoll(card_get(c, "points_synced"), NULL, 10);
	int y = 1;
	snprintf(line, sizeof line, _("Classes: %s · %s · %s (nature follows the customer's cards)"),
		 labels_stability(stability), labels_industry(industry), labels_nature(nature));
	y += text_put_wrapped(body, y, 2, line, ui->cols - 4, 2);
	const char *source = strcmp(card_get(c, "tier_source"), "hq") == 0 ? _("head office")
									 : _("station");
	char tier_text[128];
	bool provisional = strcmp(card_get(c, "tier_provisional"), "1") == 0;
	snprintf(tier_text, sizeof tier_text, "%s%s%s", tier_ok ? labels_tier(tier) : card_get(c, "tier"),
		 provisional ? " " : "", provisional ? _("(provisional)") : "");
	snprintf(line, sizeof line, _("Tier: %s (%s, %s)   Points: %lld   Maintained by: %s"),
		 tier_text, source,
		 card_time(card_get(c, "tier_evaluated_at"), when), (long long)points,
		 labels_maintainer(tier_ok ? lookup_owner_key(tier) : NULL, card_get(c, "owner_name"),
				   strtoll(card_get(c, "owner_staff"), NULL, 10),
				   card_get(c, "home_station"), ui->app->cfg.station_id, owner,
				   sizeof owner));
	y += text_put_wrapped(body, y, 2, line, ui->cols - 4, 2);
	const char *score = card_get(c, "composite_score"), *cls = card_get(c, "composite_class");
	snprintf(line, sizeof line, _("Composite: %s (class %s, %s)   Last purchase: %s   First: %s"),
		 score[0] ? score : "—", cls[0] ? cls : "—",
		 card_get(c, "composite_quarter")[0] ? card_get(c, "composite_quarter") : "—",
		 card_time(card_get(c, "last_purchase_at"), last),
		 card_time(card_get(c, "first_visit_at"), first));
	y += text_put_wrapped(body, y, 2, line, ui->cols - 4, 2);
	/* who rated, when: the ratings themselves are fields of the form */
	int64_t by = strtoll(card_get(c, "rating_by"), NULL, 10);
	if (by > 0) {
		fc_staff who;
		char rated[CLOCK_ISO_LEN];
		snprintf(line, sizeof line, _("Ratings entered by %s, %s"),
			 staff_find_id(ui->app->db, by, &who, NULL) == FC_OK ? who.name : "?",
			 card_time(card_get(c, "rating_at"), rated));
		y += text_put_wrapped(body, y, 2, line, ui->cols - 4, 1);
	}
	return y;
}

/* Who may edit is checked again on every draw and key: F6 may have logged
 * the head out (or another member in) while the card was open. */
static void card_check_role(ui_ctx *ui, card_state *s)
{
	bool was = s->editor;
	s->editor = archive_ui_editor(ui, &s->who);
	if (was != s->editor)
		s->form.focus = s->fresh = s->editor ? 0 : -1;
}

static void card_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	card_state *s = state;
	card_check_role(ui, s);
	char line[256];
	fc_nature nature = NATURE_INDIVIDUAL;
	fc_industry industry = INDUSTRY_OTHER;
	nature_parse(card_get(&s->card, "nature"), &nature);
	industry_parse(card_get(&s->card, "industry"), &industry);
	/* the code keeps the classes it was made with: the current ones beside it */
	snprintf(line, sizeof line, _("Customer card %s (now %s · %s)"), s->card.code,
		 labels_nature(nature), labels_industry(industry));
	wattron(body, A_BOLD);
	text_put(body, 0, 1, line, ui->cols - 2);
	wattroff(body, A_BOLD);
	int y = card_draw_facts(ui, s, body);
	const char *hint = s->editor
		? _("Up/Down: field   type to change   digits pick a choice   Enter: save   Esc: back")
		: _("Read only: only a station head or admin can change the archive (log in with F6)");
	/* 80x24 leaves 19 or 20 rows: the fields scroll to the focused one */
	care_form_draw_page(ui, &s->form, body, y, ui->cols - 4, 24, hint, s->message);
}

static unsigned card_save(ui_ctx *ui, card_state *s)
{
	archive_edit edits[CARD_FIELD_COUNT];
	int field[CARD_FIELD_COUNT]; /* the form field of each edit */
	size_t n = 0;
	int changed = 0;
	fc_error err;
	s->message[0] = '\0';
	for (int k = 0; k < CARD_FIELD_COUNT; k++) {
		int i = card_field(k);
		if (strcmp(form_value(&s->form, k, i), s->loaded[k]) == 0)
			continue;
		if (s->cut[k]) {
			snprintf(s->message, sizeof s->message,
				 _("Not saved: %s is longer than this form holds; change it with "
				   "`forecourt customer edit`"), _(field_labels[i]));
			return UI_REDRAW;
		}
		field[n] = k;
		edits[n++] = (archive_edit){ archive_fields[i], form_value(&s->form, k, i) };
	}
	if (n == 0) {
		ui_flash(ui, false, 5, "%s", _("Nothing to save: no field was changed"));
		return UI_REDRAW;
	}
	if (!*care_form_text(&s->form, 0)) {
		snprintf(s->message, sizeof s->message, _("Not saved: fill in \"%s\""),
			 _(field_labels[0]));
		care_form_flag(&s->form, 0);
		s->fresh = -1;
		return UI_REDRAW;
	}
	for (size_t k = 0; k < n; k++) {
		if (archive_check_field(edits[k].field, edits[k].value, &err) == FC_OK)
			continue;
		snprintf(s->message, sizeof s->message, _("Not saved: %s"), fc_error_text(&err));
		if (s->form.focus != field[k]) /* to the field the core refused */
			s->fresh = field[k];
		care_form_flag(&s->form, field[k]);
		return UI_REDRAW;
	}
	fc_error_clear(&err);
	if (archive_update(ui->app->db, &ui->app->cfg, s->who.id, s->card.code, edits, n, &changed,
			   &err)) {
		snprintf(s->message, sizeof s->message, _("Not saved: %s"), fc_error_text(&err));
		return UI_REDRAW;
	}
	*s->stale = true;
	s->esc_armed = false;
	if (archive_show(ui->app->db, s->card.code, &s->card, &err) == FC_OK)
		card_fill(s);
	ui_flash(ui, false, 10, _n("Saved: %d field of %s changed",
					 "Saved: %d fields of %s changed", changed),
		 changed, s->card.code);
	return UI_REDRAW;
}

/* A key for the card's form.  The first character typed into a text field
 * since it got the focus replaces its value (as if it were selected; a
 * refused character keeps it); Backspace edits the value instead. */
static unsigned card_form_key(ui_ctx *ui, card_state *s, const ui_key *key)
{
	care_form *f = &s->form;
	int focus = f->focus;
	bool typed = key->action == UI_ACT_NONE && !key->is_keycode;
	char old[sizeof f->fields[0].text.buf];
	bool replace = typed && focus >= 0 && focus == s->fresh && f->fields[focus].nchoices == 0;
	if (replace) {
		memcpy(old, f->fields[focus].text.buf, sizeof old);
		text_field_clear(&f->fields[focus].text);
	}
	unsigned r = care_form_on_key(ui, f, key);
	if (replace && !f->fields[focus].text.buf[0])
		memcpy(f->fields[focus].text.buf, old, sizeof old); /* refused */
	if (f->focus != focus)
		s->fresh = f->focus;
	else if (typed || key->action == UI_ACT_ERASE)
		s->fresh = -1;
	return r;
}

static unsigned card_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	card_state *s = state;
	card_check_role(ui, s);
	if (key->action == UI_ACT_BACK) {
		if (!s->editor || s->esc_armed || !card_changed(s))
			return UI_BACK;
		s->esc_armed = true;
		ui_flash(ui, true, 6, "%s", _("Unsaved changes: Enter saves them, Esc again "
					      "discards them"));
		return UI_REDRAW;
	}
	if (key->action == UI_ACT_LEDGER) /* issue 16: the fuel ledger, for anyone */
		return statement_screen_open(ui, s->card.code);
	bool edit_key = key->action == UI_ACT_SAVE || key->action == UI_ACT_ERASE ||
			(key->action == UI_ACT_NONE && !key->is_keycode);
	if (!s->editor) {
		if (!edit_key)
			return UI_UNHANDLED;
		ui_flash(ui, true, 6, "%s", _("Not changed: you may only view this card; a station "
					      "head or admin logs in with F6 to edit it"));
		return UI_REDRAW;
	}
	s->esc_armed = false;
	s->message[0] = '\0';
	if (key->action == UI_ACT_SAVE)
		return card_save(ui, s);
	return card_form_key(ui, s, key);
}

static void card_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	free(state);
}

static uint64_t card_actions(const ui_ctx *ui, const void *state)
{
	(void)ui;
	const card_state *s = state;
	uint64_t edit = UI_ACTION_BIT(UI_ACT_SAVE) | UI_ACTION_BIT(UI_ACT_UP) |
			UI_ACTION_BIT(UI_ACT_DOWN) | UI_ACTION_BIT(UI_ACT_NEXT) |
			UI_ACTION_BIT(UI_ACT_PREV) | UI_ACTION_BIT(UI_ACT_ERASE);
	return UI_ACTION_BIT(UI_ACT_BACK) | UI_ACTION_BIT(UI_ACT_LEDGER) | (s->editor ? edit : 0);
}

/* screen_ops.unsaved: the loop refuses a swipe or asks again on F10. */
static bool card_unsaved(ui_ctx *ui, void *state)
{
	(void)ui;
	const card_state *s = state;
	return s->editor && card_changed(s);
}

/* F1: why the nature is not among the fields; what the ratings and dates do. */
static void card_help_note(const ui_ctx *ui, const void *state, char *buf, size_t n)
{
	(void)ui;
	(void)state;
	snprintf(buf, n, "%s %s", _("The nature follows the customer's cards (a unit card or several "
				    "cards make a big customer): it is not edited here."),
		 _("Ratings 0-100 are the head's judgement for the composite class (empty: the "
		   "stand-in counts); a care callback is due the week before a birthday or "
		   "anniversary."));
}

static const screen_ops card_ops = {
	.name = "customer-card",
	.help_note = card_help_note,
	.actions = UI_ACTION_BIT(UI_ACT_BACK) | UI_ACTION_BIT(UI_ACT_SAVE) |
		   UI_ACTION_BIT(UI_ACT_LEDGER),
	.actions_now = card_actions,
	.draw = card_draw,
	.on_key = card_on_key,
	.leave = card_leave,
	.unsaved = card_unsaved,
};

unsigned archive_edit_card_open(ui_ctx *ui, const char *code, bool *stale)
{
	fc_error err;
	card_state *s = calloc(1, sizeof *s);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	fc_error_clear(&err);
	if (archive_show(ui->app->db, code, &s->card, &err)) {
		ui_flash(ui, true, 6, _("Cannot open the customer card: %s"), fc_error_text(&err));
		free(s);
		return UI_REDRAW;
	}
	s->stale = stale;
	card_check_role(ui, s);
	card_fill(s);
	return ui_push(ui, &card_ops, s);
}

/* The registration form: name, nature, industry, then optional fields. */
enum { REG_NAME, REG_NATURE, REG_INDUSTRY, REG_MORE };
static const int reg_more[] = { 2, 4, 1, 3, 6, 9 }; /* phone, plate, contact, address,
						       yearly_litres, potential_needs */
#define REG_MORE_COUNT (sizeof reg_more / sizeof reg_more[0])

typedef struct reg_state {
	care_form form;
	fc_staff who;
	text_field *query; /* the search screen's */
	bool *stale;
	char message[256];
} reg_state;

static void reg_draw(ui_ctx *ui, void *state, WINDOW *body)
{
	reg_state *s = state;
	wattron(body, A_BOLD);
	text_put(body, 0, 1, _("Register a potential customer (has fuel demand, never bought here)"),
		 ui->cols - 2);
	wattroff(body, A_BOLD);
	care_form_draw_page(ui, &s->form, body, 2, ui->cols - 4, 24,
			    _("Tab/Up/Down: field   digits pick a choice   Enter: register   Esc: back"),
			    s->message);
}

static unsigned reg_save(ui_ctx *ui, reg_state *s)
{
	const care_form *f = &s->form;
	archive_edit more[REG_MORE_COUNT];
	size_t n = 0;
	char code[32];
	fc_error err;
	if (!archive_ui_editor(ui, &s->who)) {
		snprintf(s->message, sizeof s->message, "%s",
			 _("Only a station head or admin can register a customer: log in with F6"));
		return UI_REDRAW;
	}
	if (!*care_form_text(f, REG_NAME)) {
		snprintf(s->message, sizeof s->message, _("Not registered: fill in \"%s\""),
			 _(f->fields[REG_NAME].label));
		care_form_flag(&s->form, REG_NAME);
		return UI_REDRAW;
	}
	for (size_t i = 0; i < REG_MORE_COUNT; i++) {
		const char *v = care_form_text(f, REG_MORE + (int)i);
		if (!*v)
			continue;
		if (archive_check_field(archive_fields[reg_more[i]], v, &err) != FC_OK) {
			snprintf(s->message, sizeof s->message, _("Not registered: %s"),
				 fc_error_text(&err));
			care_form_flag(&s->form, REG_MORE + (int)i); /* to the field refused */
			return UI_REDRAW;
		}
		more[n++] = (archive_edit){ archive_fields[reg_more[i]], v };
	}
	fc_error_clear(&err);
	if (archive_register(ui->app->db, &ui->app->cfg, s->who.id, care_form_text(f, REG_NAME),
			     (fc_nature)f->fields[REG_NATURE].choice,
			     (fc_industry)f->fields[REG_INDUSTRY].choice, more, n, code, &err)) {
		snprintf(s->message, sizeof s->message, _("Not registered: %s"), fc_error_text(&err));
		return UI_REDRAW;
	}
	snprintf(s->query->buf, sizeof s->query->buf, "%s", code);
	*s->stale = true;
	ui_flash(ui, false, 10, _("Registered: potential customer %s, code %s"),
		 care_form_text(f, REG_NAME), code);
	return UI_BACK | UI_REDRAW;
}

static unsigned reg_on_key(ui_ctx *ui, void *state, const ui_key *key)
{
	reg_state *s = state;
	if (key->action == UI_ACT_BACK)
		return care_form_on_back(ui, &s->form);
	s->form.esc_armed = false;
	if (key->action == UI_ACT_SAVE)
		return reg_save(ui, s);
	return care_form_on_key(ui, &s->form, key);
}

/* Typed and not registered yet: a swipe or F10 would lose it. */
static bool reg_unsaved(ui_ctx *ui, void *state)
{
	(void)ui;
	return ((const reg_state *)state)->form.changed;
}

static void reg_leave(ui_ctx *ui, void *state)
{
	(void)ui;
	free(state);
}

/* Registering is the head's: the form closes when the F6 login ends. */
static bool reg_needs_login(const void *state)
{
	(void)state;
	return true;
}

static const screen_ops reg_ops = {
	.name = "customer-register",
	.actions = UI_ACTION_BIT(UI_ACT_SAVE) | UI_ACTION_BIT(UI_ACT_NEXT) |
		   UI_ACTION_BIT(UI_ACT_PREV) | UI_ACTION_BIT(UI_ACT_ERASE) |
		   UI_ACTION_BIT(UI_ACT_BACK),
	.draw = reg_draw,
	.on_key = reg_on_key,
	.leave = reg_leave,
	.unsaved = reg_unsaved,
	.needs_login = reg_needs_login,
};

unsigned archive_edit_register_open(ui_ctx *ui, text_field *query, bool *stale)
{
	reg_state *s = calloc(1, sizeof *s);
	if (!s) {
		ui_flash(ui, true, 5, "%s", _("Out of memory"));
		return UI_REDRAW;
	}
	if (!archive_ui_editor(ui, &s->who)) {
		free(s);
		ui_flash(ui, true, 6, "%s", _("Only a station head or admin can register a "
					      "customer: log in with F6"));
		return UI_REDRAW;
	}
	s->query = query;
	s->stale = stale;
	care_form *f = &s->form;
	form_add_field(f, 0, "");
	form_add_field(f, FIELD_NATURE, "individual");
	form_add_field(f, FIELD_INDUSTRY, "other");
	for (size_t i = 0; i < REG_MORE_COUNT; i++)
		form_add_field(f, reg_more[i], "");
	return ui_push(ui, &reg_ops, s);
}
