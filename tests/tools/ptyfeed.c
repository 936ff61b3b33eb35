/* ptyfeed.c — test helper: a pseudo-terminal standing in for a serial card
 * reader.  Holds the master, links the slave at LINK, and writes frames.
 *
 * usage: ptyfeed LINK [CMDFILE]
 * Commands, one per line, from CMDFILE (a fifo; opened read-write so it never
 * reaches end of file) or stdin:
 *   card HEX10   an em4100 frame: 0x02, 10 hex digits, 2 hex digits of the
 *                XOR of the 5 id bytes, 0x03
 *   raw HEX...   these bytes as they are (garbage, partial frames)
 *   quit         remove LINK and exit
 * Prints "ready" once LINK exists and "sent N" after each command (N = count),
 * so a test can wait for it instead of sleeping.  Exits (removing LINK) on
 * quit, end of stdin, SIGTERM or SIGINT. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Set by SIGTERM/SIGINT; the main loop removes the link and exits. */
static volatile sig_atomic_t ptyfeed_stop;

static void ptyfeed_on_signal(int sig)
{
	(void)sig;
	ptyfeed_stop = 1;
}

static int ptyfeed_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Bytes of a hex string into out (at most n); -1 when malformed. */
static int ptyfeed_parse_hex(const char *s, unsigned char *out, size_t n)
{
	size_t count = 0;
	while (*s == ' ')
		s++;
	while (s[0] && s[0] != '\n') {
		if (*s == ' ') {
			s++;
			continue;
		}
		int hi = ptyfeed_hex_value(s[0]), lo = s[1] ? ptyfeed_hex_value(s[1]) : -1;
		if (hi < 0 || lo < 0 || count == n)
			return -1;
		out[count++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	return (int)count;
}

static int ptyfeed_write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* One command line; 1 = quit, 0 = done, -1 = bad command (reported). */
static int ptyfeed_command(int master, const char *line)
{
	unsigned char bytes[256];
	if (strncmp(line, "quit", 4) == 0)
		return 1;
	if (strncmp(line, "card ", 5) == 0) {
		unsigned char id[5];
		const char *hex = line + 5;
		if (ptyfeed_parse_hex(hex, id, sizeof id) != 5) {
			fprintf(stderr, "ptyfeed: card needs 10 hex digits: %s", line);
			return -1;
		}
		unsigned char sum = 0;
		for (int i = 0; i < 5; i++)
			sum ^= id[i];
		int len = snprintf((char *)bytes, sizeof bytes, "\002%02X%02X%02X%02X%02X%02X\003",
				   id[0], id[1], id[2], id[3], id[4], sum);
		return ptyfeed_write_all(master, bytes, (size_t)len) == 0 ? 0 : -1;
	}
	if (strncmp(line, "raw ", 4) == 0) {
		int n = ptyfeed_parse_hex(line + 4, bytes, sizeof bytes);
		if (n < 0) {
			fprintf(stderr, "ptyfeed: raw needs hex bytes: %s", line);
			return -1;
		}
		return ptyfeed_write_all(master, bytes, (size_t)n) == 0 ? 0 : -1;
	}
	fprintf(stderr, "ptyfeed: unknown command: %s", line);
	return -1;
}

int main(int argc, char **argv)
{
	int master, slave;
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: ptyfeed LINK [CMDFILE]\n");
		return 2;
	}
	const char *link_path = argv[1];
	if (openpty(&master, &slave, NULL, NULL, NULL) != 0) {
		perror("ptyfeed: openpty");
		return 1;
	}
	struct termios tio;
	if (tcgetattr(slave, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(slave, TCSANOW, &tio);
	}
	unlink(link_path);
	if (symlink(ttyname(slave), link_path) != 0) {
		perror("ptyfeed: symlink");
		return 1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ptyfeed_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	int in = STDIN_FILENO;
	if (argc == 3) {
		in = open(argv[2], O_RDWR);
		if (in < 0) {
			perror("ptyfeed: command file");
			unlink(link_path);
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	char buf[4096];
	size_t used = 0;
	unsigned long sent = 0;
	int rc = 0;
	bool done = false;
	while (!ptyfeed_stop && !done) {
		/* Drain what the reader writes to us, wait for a command. */
		struct pollfd fds[2] = { { in, POLLIN, 0 }, { master, POLLIN, 0 } };
		if (poll(fds, 2, 500) < 0)
			continue;
		if (fds[1].revents & POLLIN) {
			char sink[256];
			if (read(master, sink, sizeof sink) < 0)
				(void)0;
		}
		if (!(fds[0].revents & (POLLIN | POLLHUP)))
			continue;
		ssize_t got = read(in, buf + used, sizeof buf - 1 - used);
		if (got <= 0)
			break;
		used += (size_t)got;
		buf[used] = '\0';
		char *nl;
		while (!done && (nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			char line[sizeof buf + 2];
			snprintf(line, sizeof line, "%s\n", buf);
			memmove(buf, nl + 1, used - (size_t)(nl + 1 - buf) + 1);
			used -= (size_t)(nl + 1 - buf);
			int r = ptyfeed_command(master, line);
			if (r == 1) {
				done = true;
			} else if (r == 0) {
				printf("sent %lu\n", ++sent);
				fflush(stdout);
			} else {
				rc = 1;
			}
		}
		if (used == sizeof buf - 1)
			used = 0; /* an overlong line: dropped */
	}
	unlink(link_path);
	close(slave);
	close(master);
	return rc;
}
