/* keys.c — the one key table (UI_ACTION_LIST in screen.h) turned into
 * lookups: key code -> action, and the labels the key bar and F1 help show. */
#include "ui/core/i18n.h"

#include "ui/core/screen.h"

typedef struct key_entry {
	wint_t code;
	const char *label; /* "F1" */
	const char *bar;   /* untranslated bar label, NULL = not on the bar */
	const char *help;  /* untranslated help text */
} key_entry;

static const key_entry key_table[UI_ACT_COUNT] = {
#define UI_ACTION_ENTRY(act, code, label, bar, help) [act] = { (wint_t)(code), label, bar, help },
	UI_ACTION_LIST(UI_ACTION_ENTRY)
#undef UI_ACTION_ENTRY
};

ui_action ui_action_for_key(wint_t ch, bool is_keycode)
{
	if (!is_keycode) {
		/* Enter arrives as \r or \n, Backspace as DEL or ^H, Esc as 27. */
		if (ch == '\r')
			ch = '\n';
		if (ch == 127 || ch == 8)
			return UI_ACT_ERASE;
		if (ch >= 0x20) /* control characters (Esc, Tab, Ctrl-R) may be keys */
			return UI_ACT_NONE;
	} else if (ch == KEY_ENTER) {
		ch = '\n';
	}
	for (int a = 1; a < UI_ACT_COUNT; a++)
		if (key_table[a].code == ch)
			return (ui_action)a;
	return UI_ACT_NONE;
}

const char *ui_action_label(ui_action a)
{
	return a > UI_ACT_NONE && a < UI_ACT_COUNT ? key_table[a].label : "";
}

const char *ui_action_bar(ui_action a)
{
	if (a <= UI_ACT_NONE || a >= UI_ACT_COUNT || !key_table[a].bar)
		return NULL;
	return _(key_table[a].bar);
}

const char *ui_action_help(ui_action a)
{
	return a > UI_ACT_NONE && a < UI_ACT_COUNT ? _(key_table[a].help) : "";
}
