/* keybar.c — the bottom key bar (see keybar.h), generated from the one key
 * table like the F1 help, so bar, help and dispatch never disagree. */
#include "ui/core/keybar.h"

#include "base/fitlog.h"
#include "ui/core/i18n.h"
#include "ui/core/loop.h"
#include "ui/core/text.h"
#include "ui/core/theme.h"

/* One key of the bar: its name and what it does here. */
typedef struct keybar_item {
	const char *label, *text;
} keybar_item;

/* The keys of the bar, in the order a user looks for them: the top
 * screen's own (Enter, Esc, Tab first), F1, the global screens, F10 last.
 * Returns how many were put into items. */
static int keybar_items(ui_ctx *ui, keybar_item *items, int max)
{
	uint64_t own = ui_top_actions(ui) & ~(UI_ACTION_BIT(UI_ACT_HELP) | UI_ACTION_BIT(UI_ACT_QUIT));
	uint64_t global = registry_actions() & ~own;
	static const ui_action first[] = { UI_ACT_SAVE, UI_ACT_BACK, UI_ACT_NEXT };
	ui_action order[UI_ACT_COUNT + 4];
	int n = 0, count = 0;
	for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
		if (own & UI_ACTION_BIT(first[i]))
			order[n++] = first[i];
	for (int a = 1; a < UI_ACT_COUNT; a++)
		if ((own & UI_ACTION_BIT(a)) && a != UI_ACT_SAVE && a != UI_ACT_BACK && a != UI_ACT_NEXT)
			order[n++] = (ui_action)a;
	order[n++] = UI_ACT_HELP;
	for (int a = 1; a < UI_ACT_COUNT; a++)
		if (global & UI_ACTION_BIT(a))
			order[n++] = (ui_action)a;
	if (ui_may_quit(ui))
		order[n++] = UI_ACT_QUIT;
	const screen_ops *top = ui_top(ui);
	for (int i = 0; i < n && count < max; i++) {
		ui_action a = order[i];
		const char *bar = ui_action_bar(a);
		if (!bar)
			continue;
		const char *own_text = top && top->bar_text ? top->bar_text(ui, ui_top_state(ui), a)
							    : NULL;
		if (own_text)
			bar = own_text;
		else if (a == UI_ACT_LOGIN) /* says what F6 does now */
			bar = ui->app->staff_id > 0 ? _("Log out") : _("Log in");
		items[count++] = (keybar_item){ ui_action_label(a), bar };
	}
	return count;
}

int ui_keybar(ui_ctx *ui, bool draw, int y)
{
	keybar_item items[UI_ACT_COUNT];
	int n = keybar_items(ui, items, UI_ACT_COUNT);
	int x = 0, row = 0;
	if (draw) {
		attrset(theme_attr(THEME_KEYBAR));
		for (int r = 0; r < UI_KEYBAR_MAX_ROWS && y + r < ui->rows; r++)
			mvhline(y + r, 0, ' ', ui->cols);
	}
	for (int i = 0; i < n; i++) {
		int need = text_width(items[i].label) + text_width(items[i].text) + 1;
		if (x > 0 && x + need > ui->cols) {
			row++;
			x = 0;
		}
		if (row >= UI_KEYBAR_MAX_ROWS) {
			if (draw)
				fitlog_cut(items[i].text, 0);
			continue;
		}
		if (draw) {
			attrset(theme_attr(THEME_KEYNAME));
			mvaddstr(y + row, x, items[i].label);
			attrset(theme_attr(THEME_KEYBAR));
			text_put(stdscr, y + row, x + text_width(items[i].label), items[i].text,
				 text_width(items[i].text));
			attrset(A_NORMAL);
		}
		x += need + 1;
	}
	if (draw)
		attrset(A_NORMAL);
	return row + 1 > UI_KEYBAR_MAX_ROWS ? UI_KEYBAR_MAX_ROWS : row + 1;
}
