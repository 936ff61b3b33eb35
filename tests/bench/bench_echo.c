/* bench_echo.c — the floor of the swipe -> screen figure: a trivial curses
 * program that reads em4100 frames from a tty and shows the id, nothing else.
 * usage: bench_echo TTY */
#include <curses.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_echo TTY\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	struct termios tio;
	if (tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(fd, TCSANOW, &tio);
	}
	setlocale(LC_ALL, "");
	initscr();
	noecho();
	curs_set(0);
	mvprintw(0, 0, "echo ready");
	refresh();
	char frame[64];
	size_t len = 0;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, -1) < 0)
			break;
		unsigned char buf[256];
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			continue;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == 0x02) {
				len = 0;
			} else if (buf[i] == 0x03) {
				frame[len < 10 ? len : 10] = '\0';
				mvprintw(1, 0, "card %s", frame);
				clrtoeol();
				refresh();
				len = 0;
			} else if (len < sizeof frame - 1) {
				frame[len++] = (char)buf[i];
			}
		}
	}
	endwin();
	return 0;
}
