/* screen_registry.c — global screens reachable by a key from any screen
 * that does not handle that key itself.  Add one line per screen. */
#include "ui/core/screen.h"

#include "ui/screens/archive_ui.h"
#include "ui/screens/care.h"
#include "ui/screens/report_ui.h"

typedef struct registry_entry {
	ui_action action;
	unsigned (*open)(ui_ctx *ui); /* pushes the screen: return ui_push(...) */
} registry_entry;

static const registry_entry registry[] = {
	{ UI_ACT_LOGIN, login_screen_open },
	{ UI_ACT_COMPLAINTS, care_gate_complaints_open },
	{ UI_ACT_CALLBACKS, care_gate_callbacks_open },
	{ UI_ACT_ARCHIVE, archive_screen_open },
	{ UI_ACT_MONTHLY, report_screen_open },
	{ UI_ACT_NONE, NULL },
};

unsigned registry_open(ui_ctx *ui, ui_action a)
{
	for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
		if (registry[i].open && registry[i].action == a)
			return registry[i].open(ui);
	return UI_UNHANDLED;
}

uint64_t registry_actions(void)
{
	uint64_t mask = 0;
	for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
		if (registry[i].open)
			mask |= UI_ACTION_BIT(registry[i].action);
	return mask;
}
