/* care_list.c — the selection of a care screen's list (complaints,
 * callbacks due): moving it, keeping it in range, scrolling to it. */
#include "ui/screens/care.h"

unsigned care_list_open(ui_ctx *ui, const screen_ops *ops, size_t size, care_session *session)
{
	care_list *l = care_session_state_new(ui, size, session);
	return l ? ui_push(ui, ops, l) : UI_REDRAW;
}

bool care_list_stale(const care_list *l)
{
	return !l->loaded || l->session->dirty;
}

void care_list_loaded(care_list *l, size_t count)
{
	if (l->sel >= count)
		l->sel = count ? count - 1 : 0;
	l->count = count;
	l->loaded = true;
	l->session->dirty = false;
}

bool care_list_move(care_list *l, const ui_key *key)
{
	if (key->action == UI_ACT_UP && l->sel > 0)
		l->sel--;
	else if (key->action == UI_ACT_DOWN && l->sel + 1 < l->count)
		l->sel++;
	return key->action == UI_ACT_UP || key->action == UI_ACT_DOWN;
}

size_t care_list_first(const care_list *l, int rows)
{
	size_t shown = rows > 1 ? (size_t)rows : 1;
	return l->sel >= shown ? l->sel - shown + 1 : 0;
}
