/* term.c — terminal start and restore.  Its file-scope state is the style
 * guide's permitted exceptions: the signal flag and the restore hook's modes. */
#include "ui/core/term.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Restore hook state: the tty modes saved before curses started. */
static struct termios term_saved;
static volatile sig_atomic_t term_saved_valid;
/* Set by SIGTERM/SIGHUP (1) and SIGINT (2); read by the loop. */
static volatile sig_atomic_t term_stop_flag;

/* Async-signal-safe restore: saved modes, leave the alternate screen,
 * show the cursor, reset attributes. */
static void term_restore_raw(void)
{
	static const char seq[] = "\033[0m\033[?25h\033[?1049l\r\n";
	if (!term_saved_valid)
		return;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &term_saved);
	ssize_t rc = write(STDOUT_FILENO, seq, sizeof seq - 1);
	(void)rc;
}

static void term_on_fatal(int sig)
{
	term_restore_raw();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void term_on_stop(int sig)
{
	term_stop_flag = sig == SIGINT ? 2 : 1;
}

static void term_at_exit(void)
{
	term_stop();
}

bool term_start(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "forecourt: the kiosk needs a terminal\n");
		return false;
	}
	if (tcgetattr(STDIN_FILENO, &term_saved) == 0)
		term_saved_valid = 1;
	atexit(term_at_exit);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = term_on_fatal;
	int fatal[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	sa.sa_handler = term_on_stop; /* no SA_RESTART: poll() returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);

	if (!initscr()) {
		fprintf(stderr, "forecourt: cannot start the terminal (TERM?)\n");
		return false;
	}
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	return true;
}

void term_stop(void)
{
	if (!isendwin())
		endwin();
	if (term_saved_valid)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &term_saved);
}

bool term_stop_requested(void)
{
	if (term_stop_flag == 1) {
		term_stop_flag = 0;
		return true;
	}
	return false;
}

bool term_interrupt_seen(void)
{
	if (term_stop_flag == 2) {
		term_stop_flag = 0;
		return true;
	}
	return false;
}

const char *term_tty_name(void)
{
	const char *tty = ttyname(STDIN_FILENO);
	return tty ? tty : "?";
}
