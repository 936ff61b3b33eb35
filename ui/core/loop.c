/* loop.c — the event loop and the screen stack (see loop.h, screen.h).
 * Only this file acts on reactions, draws the bars and calls doupdate. */
#include "ui/core/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/test_hook.h"
#include "base/fitlog.h"
#include "drivers/reader.h"
#include "staff/staff.h"
#include "store/audit.h"
#include "sync/uploader.h"
#include "ui/core/i18n.h"
#include "ui/core/keybar.h"
#include "ui/core/statusbar.h"
#include "ui/core/term.h"
#include "ui/core/text.h"
#include "ui/core/theme.h"

#define UI_STACK_MAX 8
#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
#define UI_TICK_MS 1000

struct ui_stack {
	const screen_ops *ops[UI_STACK_MAX];
	void *state[UI_STACK_MAX];
	int depth;
	const screen_ops *pending_ops; /* queued by ui_push */
	void *pending_state;
	WINDOW *body;
	status_bar bar;
	bool quit_armed; /* F10 or Ctrl-C once with unsaved input: the next quits */
	char held_card[80]; /* swiped while the terminal was too small, "" = none */
	bool cursor_shown;  /* the top screen's draw placed the text cursor */
	int cursor_y, cursor_x; /* where, in the body */
	int64_t staff_seen; /* app->staff_id when the stack last looked (needs_login) */
};

#define UI_FLASH_MAX_ROWS 2  /* a long message wraps onto a second row */

/* A flash set by the event being handled survives the screen change it
 * causes ("Saved" after a save that closes the form); older ones do not. */
static bool ui_flash_new;

unsigned ui_push(ui_ctx *ui, const screen_ops *ops, void *state)
{
	struct ui_stack *s = ui->stack;
	if (s->pending_ops && s->pending_ops->leave) /* two pushes in one turn: keep the last */
		s->pending_ops->leave(ui, s->pending_state);
	s->pending_ops = ops;
	s->pending_state = state;
	return UI_PUSHED;
}

void ui_flash(ui_ctx *ui, bool error, int seconds, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->flash, sizeof ui->flash, fmt, ap);
	va_end(ap);
	ui->flash_error = error;
	ui->flash_until = seconds > 0 ? clock_mono_ms() + seconds * 1000LL : 0;
	ui_flash_new = true;
}

void ui_show_cursor(ui_ctx *ui, int y, int x)
{
	ui->stack->cursor_shown = true;
	ui->stack->cursor_y = y;
	ui->stack->cursor_x = x;
}

const screen_ops *ui_top(const ui_ctx *ui)
{
	const struct ui_stack *s = ui->stack;
	return s->depth > 0 ? s->ops[s->depth - 1] : NULL;
}

void *ui_top_state(const ui_ctx *ui)
{
	const struct ui_stack *s = ui->stack;
	return s->depth > 0 ? s->state[s->depth - 1] : NULL;
}

uint64_t ui_top_actions(const ui_ctx *ui)
{
	const screen_ops *top = ui_top(ui);
	if (!top)
		return 0;
	return top->actions_now ? top->actions_now(ui, ui_top_state(ui)) : top->actions;
}

void ui_top_help_note(const ui_ctx *ui, char *buf, size_t n)
{
	const screen_ops *top = ui_top(ui);
	if (n == 0)
		return;
	buf[0] = '\0';
	if (top && top->help_note)
		top->help_note(ui, ui_top_state(ui), buf, n);
}

/* True when a screen on the stack holds typed input not yet saved. */
static bool ui_stack_unsaved(ui_ctx *ui)
{
	struct ui_stack *s = ui->stack;
	for (int i = 0; i < s->depth; i++)
		if (s->ops[i]->unsaved && s->ops[i]->unsaved(ui, s->state[i]))
			return true;
	return false;
}

static bool ui_too_small(const ui_ctx *ui)
{
	return ui->cols < UI_MIN_COLS || ui->rows < UI_MIN_ROWS;
}

static void ui_stack_pop(ui_ctx *ui)
{
	struct ui_stack *s = ui->stack;
	if (s->depth == 0)
		return;
	s->depth--;
	if (s->ops[s->depth]->leave)
		s->ops[s->depth]->leave(ui, s->state[s->depth]);
}

void ui_stack_clear(ui_ctx *ui)
{
	struct ui_stack *s = ui->stack;
	while (s->depth > 0)
		ui_stack_pop(ui);
	if (s->pending_ops && s->pending_ops->leave)
		s->pending_ops->leave(ui, s->pending_state);
	s->pending_ops = NULL;
}

/* Enter the queued screen. */
static void ui_stack_enter_pending(ui_ctx *ui)
{
	struct ui_stack *s = ui->stack;
	if (!s->pending_ops)
		return;
	if (s->depth == UI_STACK_MAX) {
		if (s->pending_ops->leave)
			s->pending_ops->leave(ui, s->pending_state);
		ui_flash(ui, true, 5, "%s", _("Too many screens open; press Esc first."));
	} else {
		s->ops[s->depth] = s->pending_ops;
		s->state[s->depth] = s->pending_state;
		s->depth++;
		if (s->pending_ops->enter)
			s->pending_ops->enter(ui, s->pending_state);
	}
	s->pending_ops = NULL;
	s->pending_state = NULL;
}

bool ui_may_quit(const ui_ctx *ui)
{
	fc_error err;
	if (!ui->app->cfg.ui_kiosk)
		return true;
	return ui->app->db && ui->app->staff_id > 0 &&
	       staff_require_role(ui->app->db, ui->app->staff_id, ROLE_ADMIN, &err) == FC_OK;
}

/* The rows the message line takes: 1 (blank or one row), or 2 for a long one. */
static int ui_flash_rows(const ui_ctx *ui)
{
	int n = ui->flash[0] ? text_wrap_rows(ui->flash, ui->cols) : 1;
	return n < 1 ? 1 : n > UI_FLASH_MAX_ROWS ? UI_FLASH_MAX_ROWS : n;
}

static void ui_draw_too_small(ui_ctx *ui)
{
	char msg[200];
	snprintf(msg, sizeof msg, _("Terminal too small: %dx%d, need %dx%d"), ui->cols, ui->rows,
		 UI_MIN_COLS, UI_MIN_ROWS);
	text_put_wrapped(stdscr, 0, 0, msg, ui->cols, 2);
	int y = 2;
	y += text_put_wrapped(stdscr, y, 0, _("Keys are ignored until the window is bigger."),
			      ui->cols, 3);
	if (ui->stack->held_card[0])
		y += text_put_wrapped(stdscr, y + 1, 0,
				      _("A card was read: it is shown when the window is big enough."),
				      ui->cols, 3) + 1;
	if (ui->flash[0])
		text_put_wrapped(stdscr, y + 1, 0, ui->flash, ui->cols, ui->rows - y - 1);
	curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

static void ui_draw(ui_ctx *ui)
{
	struct ui_stack *s = ui->stack;
	erase();
	if (ui_too_small(ui)) {
		ui_draw_too_small(ui);
		return;
	}
	int keyrows = ui_keybar(ui, false, 0), flashrows = ui_flash_rows(ui);
	int body_rows = ui->rows - 2 - keyrows - flashrows;
	statusbar_draw(&s->bar, ui->app, stdscr, ui->cols, clock_now_ms());
	if (ui->flash[0]) {
		attrset(ui->flash_error ? theme_attr(THEME_ERROR) : A_BOLD);
		text_put_wrapped(stdscr, 2 + body_rows, 0, ui->flash, ui->cols, flashrows);
		attrset(A_NORMAL);
	}
	ui_keybar(ui, true, ui->rows - keyrows);
	wnoutrefresh(stdscr);
	s->cursor_shown = false;
	if (s->body) {
		if (getmaxy(s->body) != body_rows)
			wresize(s->body, body_rows, ui->cols);
		werase(s->body);
		const screen_ops *top = ui_top(ui);
		if (top)
			top->draw(ui, ui_top_state(ui), s->body);
		if (s->cursor_shown)
			wmove(s->body, s->cursor_y, s->cursor_x);
		wnoutrefresh(s->body);
	}
	curs_set(s->cursor_shown ? 1 : 0);
	doupdate();
}

static void ui_resize(ui_ctx *ui)
{
	struct ui_stack *s = ui->stack;
	getmaxyx(stdscr, ui->rows, ui->cols);
	if (s->body)
		delwin(s->body);
	s->body = NULL;
	if (ui->rows >= UI_MIN_ROWS && ui->cols >= UI_MIN_COLS)
		s->body = newwin(ui->rows - 4, ui->cols, 2, 0);
}

/* A request to quit (F10, Ctrl-C): in kiosk mode only F10 of a logged-in
 * admin quits, Ctrl-C and Ctrl-Z never do; otherwise it quits, asking once
 * more while a screen holds unsaved input (the same key again quits). */
static unsigned ui_quit_request(ui_ctx *ui, const char *how)
{
	if (ui->app->cfg.ui_kiosk && (strcmp(how, "F10") != 0 || !ui_may_quit(ui))) {
		ui_flash(ui, true, 8,
			 _("Kiosk mode: %s does not quit. To exit, an admin logs in (F6) and "
			   "presses F10."),
			 how);
		return UI_REDRAW;
	}
	if (!ui->stack->quit_armed && ui_stack_unsaved(ui)) {
		ui->stack->quit_armed = true;
		ui_flash(ui, true, 0, _("There is unsaved input: press %s again to quit (Esc: back to it)."),
			 how);
		return UI_REDRAW;
	}
	return UI_QUIT;
}

static unsigned ui_dispatch_card(ui_ctx *ui, const char *card_id);

/* One key: the top screen first, then the global keys. */
static unsigned ui_dispatch_key(ui_ctx *ui, wint_t ch, bool is_keycode)
{
	ui_flash_new = false;
	if (is_keycode && ch == KEY_RESIZE) {
		ui_resize(ui);
		if (ui_too_small(ui) || !ui->stack->held_card[0])
			return UI_REDRAW;
		char card[sizeof ui->stack->held_card]; /* big enough again: the held card */
		memcpy(card, ui->stack->held_card, sizeof card);
		ui->stack->held_card[0] = '\0';
		ui->flash[0] = '\0';
		return ui_dispatch_card(ui, card);
	}
	if (!is_keycode && ch == 3) /* Ctrl-C in raw mode */
		return ui_quit_request(ui, "Ctrl-C");
	if (!is_keycode && ch == 26) { /* Ctrl-Z */
		if (ui->app->cfg.ui_kiosk)
			return ui_quit_request(ui, "Ctrl-Z");
		ui_flash(ui, true, 5, "%s", _("Ctrl-Z (suspend) is not available in the kiosk."));
		return UI_REDRAW;
	}
	if (ui_too_small(ui)) /* nothing is seen: nothing is done */
		return UI_REDRAW;
	ui_key key = { ui_action_for_key(ch, is_keycode), ch, is_keycode };
	if (key.action != UI_ACT_QUIT)
		ui->stack->quit_armed = false; /* only the quit key itself quits after the question */
	else if (ui->stack->quit_armed)
		return ui_quit_request(ui, "F10");
	if (ui->flash_until == 0 && ui->flash[0]) /* a sticky message goes with the next key */
		ui->flash[0] = '\0';
	const screen_ops *top = ui_top(ui);
	unsigned r = UI_UNHANDLED;
	if (top && top->on_key)
		r = top->on_key(ui, ui_top_state(ui), &key);
	if (!(r & UI_UNHANDLED))
		return r | UI_REDRAW;
	switch (key.action) {
	case UI_ACT_HELP:
		return help_screen_open(ui);
	case UI_ACT_QUIT:
		return ui_quit_request(ui, "F10");
	case UI_ACT_DEMO_SWIPE:
		return idle_demo_swipe(ui);
	case UI_ACT_BACK:
		return ui->stack->depth > 1 ? UI_BACK | UI_REDRAW : UI_REDRAW;
	default:
		break;
	}
	r = registry_open(ui, key.action);
	if (!(r & UI_UNHANDLED))
		return r | UI_REDRAW;
	if (key.action != UI_ACT_NONE)
		ui_flash(ui, true, 4, _("%s is not available here (F1: help)"),
			 ui_action_label(key.action));
	else if (!is_keycode && ch >= 0x20)
		ui_flash(ui, true, 4, "%s", _("That key does nothing here (F1: help)"));
	return UI_REDRAW;
}

static unsigned ui_dispatch_card(ui_ctx *ui, const char *card_id)
{
	ui->stack->quit_armed = false;
	const screen_ops *top = ui_top(ui);
	ui_flash_new = false;
	if (ui_too_small(ui)) { /* kept: shown once the window is big enough */
		snprintf(ui->stack->held_card, sizeof ui->stack->held_card, "%s", card_id);
		return UI_REDRAW;
	}
	if (top && top->on_card)
		return top->on_card(ui, ui_top_state(ui), card_id) | UI_REDRAW;
	if (ui_stack_unsaved(ui)) { /* the swipe is ignored: it would throw the input away */
		ui_flash(ui, true, 10, "%s",
			 _("Unsaved input: press Enter to save or Esc to discard it, then swipe "
			   "again."));
		return UI_REDRAW;
	}
	while (ui->stack->depth > 1)
		ui_stack_pop(ui);
	return swipe_screen_open(ui, card_id) | UI_REDRAW;
}

/* The F6 login changed (logout, idle expiry, another member): close the
 * lowest screen that stood on it and every screen above it. */
static void ui_close_login_screens(ui_ctx *ui)
{
	struct ui_stack *s = ui->stack;
	if (s->staff_seen == ui->app->staff_id)
		return;
	bool was_in = s->staff_seen > 0;
	s->staff_seen = ui->app->staff_id;
	if (!was_in)
		return;
	for (int i = 1; i < s->depth; i++)
		if (s->ops[i]->needs_login && s->ops[i]->needs_login(s->state[i])) {
			while (s->depth > i)
				ui_stack_pop(ui);
			return;
		}
}

/* On a tick: a station head's or admin's F6 login ends after [auth]
 * idle_minutes without a key anywhere in the kiosk (an attendant's stays:
 * it opens nothing that needs a PIN).  UI_REDRAW | UI_STATUS when it did. */
static unsigned ui_login_idle(ui_ctx *ui, int64_t now)
{
	fc_app *app = ui->app;
	int minutes = app->cfg.auth_idle_minutes;
	if (app->staff_id <= 0 || minutes <= 0 || now - ui->last_key_ms < (int64_t)minutes * 60000)
		return UI_NONE;
	fc_staff who;
	if (staff_find_id(app->db, app->staff_id, &who, NULL) == FC_OK && who.active &&
	    !staff_role_allows(who.role, ROLE_HEAD))
		return UI_NONE;
	fc_error err;
	audit_record_event_now(app->db, app->cfg.station_id, app->staff_id, "logout",
			       "idle lock of the F6 login", &err);
	app->staff_id = 0;
	ui_flash(ui, true, 0,
		 _n("Locked after %d minute without a key: the head PIN is needed again",
		    "Locked after %d minutes without a key: the head PIN is needed again",
		    (unsigned long)minutes),
		 minutes);
	return UI_REDRAW | UI_STATUS;
}

/* Act on a reaction; false when the loop must end. */
static bool ui_apply(ui_ctx *ui, unsigned r)
{
	if (r & UI_QUIT)
		return false;
	if ((r & (UI_HOME | UI_BACK | UI_PUSHED)) && !ui_flash_new) {
		ui->flash[0] = '\0'; /* an old message does not follow to the next screen */
		ui->flash_until = 0;
	}
	if (r & UI_HOME)
		while (ui->stack->depth > 1)
			ui_stack_pop(ui);
	else if ((r & UI_BACK) && ui->stack->depth > 1)
		ui_stack_pop(ui);
	if (r & UI_PUSHED)
		ui_stack_enter_pending(ui);
	ui_close_login_screens(ui);
	if (r & UI_STATUS) {
		statusbar_refresh(&ui->stack->bar, ui->app);
		ui->stack->bar.uploader_waiting = uploader_is_waiting(ui->up);
	}
	return true;
}

static void ui_update_reader_state(ui_ctx *ui)
{
	status_bar *bar = &ui->stack->bar;
	bar->reader = reader_is_sim(ui->rd)	     ? READER_STATE_SIM
		      : reader_connected(ui->rd) ? READER_STATE_CONNECTED
						 : READER_STATE_DISCONNECTED;
}

/* Why the reader dropped a swipe, in the kiosk's language (drivers/ builds
 * only English; its detail stays in ev->message). */
static const char *ui_reader_fault_text(const reader_event *ev, char *buf, size_t n)
{
	switch (ev->fault) {
	case READER_FAULT_NOT_CARD_ID:
		if (!ev->line_no)
			return _("not a card id");
		snprintf(buf, n, _("line %lu: not a card id"), ev->line_no);
		return buf;
	case READER_FAULT_CHECK: return _("bad checksum, frame dropped");
	case READER_FAULT_OVERLONG: return _("frame too long, dropped");
	case READER_FAULT_BAD_READ: return _("the reader could not read the card");
	case READER_FAULT_LUHN: return _("card number fails the Luhn check");
	case READER_FAULT_TIMEOUT: return _("incomplete frame dropped");
	case READER_FAULT_NONE: break;
	}
	return ev->message;
}

/* Handle every pending reader event; returns the reactions. */
static unsigned ui_read_cards(ui_ctx *ui, int64_t now)
{
	reader_event ev;
	char why[96];
	unsigned r = 0;
	while (reader_poll(ui->rd, now, &ev) == 1) {
		switch (ev.kind) {
		case READER_EV_CARD:
			r |= ui_dispatch_card(ui, ev.card_id);
			if (!ui_apply(ui, r & ~UI_QUIT))
				return r;
			r &= ~(UI_PUSHED | UI_BACK | UI_HOME);
			break;
		case READER_EV_CONNECTED:
		case READER_EV_DISCONNECTED:
			/* drivers/ reports, the kiosk logs: "reader connected: PORT (how)" */
			log_msg(ev.kind == READER_EV_CONNECTED ? LOG_NOTICE : LOG_WARNING, "%s",
				ev.message);
			ui_update_reader_state(ui);
			r |= UI_REDRAW;
			break;
		case READER_EV_ERROR:
			log_msg(LOG_WARNING, "reader fault: %s", ev.message);
			ui_flash(ui, true, 5, _("Please swipe again (card reader: %s)"),
				 ui_reader_fault_text(&ev, why, sizeof why));
			r |= UI_REDRAW;
			break;
		}
	}
	return r;
}

static int ui_poll_timeout(const ui_ctx *ui, int64_t now, int64_t next_tick)
{
	int64_t deadline = next_tick;
	int64_t rd = reader_next_deadline_ms(ui->rd);
	if (rd >= 0 && rd < deadline)
		deadline = rd;
	if (ui->flash_until > 0 && ui->flash_until < deadline)
		deadline = ui->flash_until;
	int64_t wait = deadline - now;
	return wait < 0 ? 0 : wait > UI_TICK_MS ? UI_TICK_MS : (int)wait;
}

/* FORECOURT_UI_TRACE=FILE appends one line per turn of the loop that did
 * work: what woke it (key, card, status, tick) and the ms from poll()
 * returning to the screen being updated — how long a key pressed meanwhile
 * waits in the kiosk itself.  For tests and field diagnosis. */
typedef struct ui_trace {
	FILE *f;
	struct timespec woke;
} ui_trace;

static void ui_trace_woke(ui_trace *t)
{
	if (t->f)
		clock_gettime(CLOCK_MONOTONIC, &t->woke);
}

static void ui_trace_done(ui_trace *t, const char *what)
{
	if (!t->f || !what)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double ms = (double)(now.tv_sec - t->woke.tv_sec) * 1e3 +
		    (double)(now.tv_nsec - t->woke.tv_nsec) / 1e6;
	fprintf(t->f, "%s %.3f\n", what, ms);
	fflush(t->f);
}

/* The trace file, appended to: never the database or its -wal/-shm, and in
 * a production build (no test hooks) only a new or empty file, so a
 * careless FORECOURT_UI_TRACE can touch no record, pepper or config.
 * NULL with why filled when refused. */
static FILE *ui_trace_open(ui_ctx *ui, const char *path, char *why, size_t n)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		snprintf(why, n, "%s", strerror(errno));
		return NULL;
	}
	struct stat sb;
	const char *refusal = NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		refusal = "not a regular file";
	else if (db_is_own_file(ui->app->db, &sb))
		refusal = "that is the database";
	else if (sb.st_size > 0 && !test_hook_compiled())
		refusal = "not empty (a trace goes to a new or empty file)";
	FILE *f = refusal ? NULL : fdopen(fd, "a");
	if (!f) {
		snprintf(why, n, "%s", refusal ? refusal : strerror(errno));
		close(fd);
	}
	return f;
}

int ui_loop_run(ui_ctx *ui, int wake_fd)
{
	ui_trace trace = { NULL, { 0, 0 } };
	const char *trace_path = getenv("FORECOURT_UI_TRACE");
	char why[128];
	if (trace_path && *trace_path && !(trace.f = ui_trace_open(ui, trace_path, why, sizeof why)))
		ui_flash(ui, true, 10, "FORECOURT_UI_TRACE: %s: %s", trace_path, why);
	struct ui_stack stack;
	memset(&stack, 0, sizeof stack);
	ui->stack = &stack;
	ui->wake_fd = wake_fd;
	theme_init();
	ui_resize(ui);
	statusbar_refresh(&stack.bar, ui->app);
	ui_update_reader_state(ui);
	stack.staff_seen = ui->app->staff_id;
	ui->last_key_ms = clock_mono_ms();
	ui_push(ui, &idle_screen_ops, NULL);
	ui_stack_enter_pending(ui);
	ui_draw(ui);

	int64_t next_tick = clock_mono_ms() + UI_TICK_MS;
	bool running = true;
	while (running) {
		int64_t now = clock_mono_ms();
		struct pollfd fds[3] = {
			{ STDIN_FILENO, POLLIN, 0 },
			{ reader_fd(ui->rd), POLLIN, 0 },
			{ wake_fd, POLLIN, 0 },
		};
		int rc = poll(fds, 3, ui_poll_timeout(ui, now, next_tick));
		if (rc < 0 && errno != EINTR)
			break;
		ui_trace_woke(&trace);
		const char *woke_by = NULL;
		unsigned r = 0;
		if (term_stop_requested())
			break;
		if (term_interrupt_seen())
			r |= ui_quit_request(ui, "Ctrl-C");
		now = clock_mono_ms();
		if (rc > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break; /* the terminal went away */
		wint_t ch;
		int kind;
		while (running && (kind = get_wch(&ch)) != ERR) {
			woke_by = "key";
			ui->last_key_ms = clock_mono_ms();
			/* every key is answered on the screen at once (a help screen
			 * pushed by F1 too, not at the next tick) */
			r |= ui_dispatch_key(ui, ch, kind == KEY_CODE_YES) | UI_REDRAW;
			running = ui_apply(ui, r);
			r &= UI_REDRAW;
		}
		if (!running)
			break;
		if (rc > 0 && (fds[1].revents & POLLIN) && !woke_by)
			woke_by = "card";
		r |= ui_read_cards(ui, now);
		if (rc > 0 && wake_fd >= 0 && (fds[2].revents & POLLIN)) {
			if (!woke_by)
				woke_by = "status";
			char drain[64];
			while (read(wake_fd, drain, sizeof drain) > 0)
				;
			r |= UI_STATUS | UI_REDRAW;
		}
		if (ui->flash_until > 0 && now >= ui->flash_until) {
			ui->flash[0] = '\0';
			ui->flash_until = 0;
			r |= UI_REDRAW;
		}
		if (now >= next_tick) {
			if (!woke_by)
				woke_by = "tick";
			next_tick = now + UI_TICK_MS;
			ui_flash_new = false;
			const screen_ops *top = ui_top(ui);
			if (top && top->on_tick)
				r |= top->on_tick(ui, ui_top_state(ui), now);
			r |= ui_login_idle(ui, now);
			r |= UI_STATUS | UI_REDRAW;
			ui_update_reader_state(ui);
		}
		running = ui_apply(ui, r);
		if (running && (r & UI_REDRAW)) {
			ui_draw(ui);
			const screen_ops *top = ui_top(ui);
			unsigned more = top && top->after_draw ? top->after_draw(ui, ui_top_state(ui))
							       : UI_NONE;
			if (more)
				running = ui_apply(ui, more);
			if (running && (more & UI_REDRAW))
				ui_draw(ui);
		}
		ui_trace_done(&trace, woke_by);
	}
	ui_stack_clear(ui);
	if (stack.body)
		delwin(stack.body);
	ui->stack = NULL;
	if (trace.f)
		fclose(trace.f);
	return 0;
}
