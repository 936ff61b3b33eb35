/* bench_reader.c — the reader figures of `make bench`, on real ptys, each
 * floor measured in the same run the same way:
 *   reader_card    frame written to the pty -> CARD event from the reader's
 *                  loop, against the same bytes read by a plain poll + read;
 *   reader_unplug  the line hung up -> DISCONNECTED, against a plain poll
 *                  seeing the hang-up;
 *   reader_replug  a new device after 2 s away -> CONNECTED (no floor: the
 *                  retries are 1 s apart at most);
 *   reader_idle_cpu  CPU share of the loop while disconnected.
 * Prints one JSON object per figure (times in microseconds, CPU in %).
 * usage: bench_reader DIR [CARD_ROUNDS [PLUG_ROUNDS]] */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "drivers/reader.h"
#include "tests/bench/bench_stats.h"

#define WAIT_MS 30000 /* for an event that must come: only against a hang */

static int64_t now_ms(void)
{
	return (int64_t)(bench_now_us() / 1000.0);
}

static double cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static void die(const char *what)
{
	fprintf(stderr, "bench_reader: %s: %s\n", what, errno ? strerror(errno) : "failed");
	exit(1);
}

static void emit(const char *name, double *ours, double *floor, int n)
{
	double p50 = bench_quantile(ours, n, 0.5), p99 = bench_quantile(ours, n, 0.99), worst = ours[n - 1];
	printf("{\"name\":\"%s\",\"unit\":\"us\",\"median\":%.1f,\"p99\":%.1f,\"worst\":%.1f,", name,
	       p50, p99, worst);
	if (floor)
		printf("\"floor\":%.1f,\"floor_p99\":%.1f,", bench_quantile(floor, n, 0.5),
		       bench_quantile(floor, n, 0.99));
	printf("\"n\":%d}\n", n);
	fflush(stdout);
}

/* A pty standing in for a reader, reachable through the symlink link. */
typedef struct fake_tty {
	int master, slave;
} fake_tty;

static void plug(fake_tty *t, const char *link)
{
	char name[64], tmp[4200];
	if (openpty(&t->master, &t->slave, name, NULL, NULL) != 0)
		die("openpty");
	snprintf(tmp, sizeof tmp, "%s.new", link);
	unlink(tmp);
	if (symlink(name, tmp) != 0 || rename(tmp, link) != 0)
		die("symlink");
}

/* The unplug: the device node goes and the line hangs up. */
static void unplug(fake_tty *t, const char *link)
{
	unlink(link);
	if (t->slave >= 0)
		close(t->slave);
	close(t->master);
	t->master = t->slave = -1;
}

static void put(int fd, const char *s)
{
	size_t n = strlen(s);
	if (write(fd, s, n) != (ssize_t)n)
		die("write");
}

/* The kiosk's loop around the reader, until an event of kind (1) or the
 * wait is over (0). */
static int wait_event(reader *r, reader_event_kind kind, int timeout_ms, reader_event *ev)
{
	int64_t end = now_ms() + timeout_ms;
	for (;;) {
		int64_t now = now_ms();
		while (reader_poll(r, now, ev) == 1)
			if (ev->kind == kind)
				return 1;
		if (now >= end)
			return 0;
		int64_t dl = reader_next_deadline_ms(r), wait = end - now;
		if (dl >= 0 && dl - now < wait)
			wait = dl - now < 0 ? 0 : dl - now;
		struct pollfd p = { reader_fd(r), POLLIN, 0 };
		poll(&p, 1, (int)wait);
	}
}

static reader *open_reader(const char *link)
{
	reader_options opt = { .port = link, .protocol = "em4100", .baud = 9600, .gap_ms = 100,
			       .debounce_ms = 0 };
	reader *r = NULL;
	char err[200];
	if (reader_open(&r, &opt, err, sizeof err) != 0) {
		fprintf(stderr, "bench_reader: %s\n", err);
		exit(1);
	}
	reader_event ev;
	if (!wait_event(r, READER_EV_CONNECTED, WAIT_MS, &ev))
		die("the reader never connected");
	return r;
}

/* The floor's side of a pty: the slave in raw mode, as the reader sets it. */
static void raw(int fd)
{
	struct termios tio;
	if (tcgetattr(fd, &tio) != 0)
		die("tcgetattr");
	cfmakeraw(&tio);
	if (tcsetattr(fd, TCSANOW, &tio) != 0)
		die("tcsetattr");
}

#define FRAME_A "\x02" "62E3086CED" "08" "\x03"
#define FRAME_B "\x02" "0102030405" "01" "\x03"

static void card_figure(const char *dir, int rounds)
{
	char link[4096];
	snprintf(link, sizeof link, "%s/ttyCARD", dir);
	fake_tty t;
	plug(&t, link);
	reader *r = open_reader(link);
	close(t.slave); /* only the reader holds the slave now */
	t.slave = -1;
	fake_tty f; /* the floor: the same bytes, a plain poll + read */
	if (openpty(&f.master, &f.slave, NULL, NULL, NULL) != 0)
		die("openpty");
	raw(f.slave);
	size_t frame_len = strlen(FRAME_A);
	double *ours = calloc((size_t)rounds, sizeof *ours), *floor = calloc((size_t)rounds, sizeof *floor);
	if (!ours || !floor)
		die("calloc");
	reader_event ev;
	for (int i = 0; i < rounds; i++) {
		const char *frame = i % 2 ? FRAME_B : FRAME_A;
		double t0 = bench_now_us();
		put(f.master, frame);
		size_t got = 0;
		char buf[64];
		while (got < frame_len) {
			struct pollfd p = { f.slave, POLLIN, 0 };
			if (poll(&p, 1, WAIT_MS) != 1)
				die("floor: the bytes never came");
			ssize_t n = read(f.slave, buf, sizeof buf);
			if (n <= 0)
				die("floor: read");
			got += (size_t)n;
		}
		floor[i] = bench_now_us() - t0;
		t0 = bench_now_us();
		put(t.master, frame);
		if (!wait_event(r, READER_EV_CARD, WAIT_MS, &ev))
			die("no card event");
		ours[i] = bench_now_us() - t0;
	}
	emit("reader_card", ours, floor, rounds);
	reader_close(r);
	unplug(&t, link);
	close(f.master);
	close(f.slave);
	free(ours);
	free(floor);
}

static void plug_figures(const char *dir, int rounds)
{
	char link[4096];
	snprintf(link, sizeof link, "%s/ttyPLUG", dir);
	fake_tty t;
	plug(&t, link);
	reader *r = open_reader(link);
	close(t.slave);
	t.slave = -1;
	double *down = calloc((size_t)rounds, sizeof *down), *floor = calloc((size_t)rounds, sizeof *floor),
	       *up = calloc((size_t)rounds, sizeof *up);
	if (!down || !floor || !up)
		die("calloc");
	double idle_cpu = 0, idle_wall = 0;
	reader_event ev;
	for (int i = 0; i < rounds; i++) {
		/* floor: a plain poll on a raw slave seeing its master go */
		fake_tty f;
		if (openpty(&f.master, &f.slave, NULL, NULL, NULL) != 0)
			die("openpty");
		raw(f.slave);
		double t0 = bench_now_us();
		close(f.master);
		struct pollfd p = { f.slave, POLLIN, 0 };
		if (poll(&p, 1, WAIT_MS) != 1)
			die("floor: no hang-up");
		floor[i] = bench_now_us() - t0;
		close(f.slave);
		/* ours */
		t0 = bench_now_us();
		unplug(&t, link);
		if (!wait_event(r, READER_EV_DISCONNECTED, WAIT_MS, &ev))
			die("no disconnect event");
		down[i] = bench_now_us() - t0;
		/* 2 s away (the retries reach their 1 s cap), its CPU counted */
		double c0 = cpu_us(), w0 = bench_now_us();
		if (wait_event(r, READER_EV_CONNECTED, 2000, &ev))
			die("connected to a device that is not there");
		idle_cpu += cpu_us() - c0;
		idle_wall += bench_now_us() - w0;
		plug(&t, link);
		t0 = bench_now_us();
		if (!wait_event(r, READER_EV_CONNECTED, WAIT_MS, &ev))
			die("the new device was never picked up");
		up[i] = bench_now_us() - t0;
		close(t.slave);
		t.slave = -1;
	}
	emit("reader_unplug", down, floor, rounds);
	emit("reader_replug", up, NULL, rounds);
	printf("{\"name\":\"reader_idle_cpu\",\"unit\":\"%%\",\"median\":%.3f,\"n\":%d}\n",
	       idle_wall > 0 ? 100.0 * idle_cpu / idle_wall : 0.0, rounds);
	fflush(stdout);
	reader_close(r);
	unplug(&t, link);
	free(down);
	free(floor);
	free(up);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: bench_reader DIR [CARD_ROUNDS [PLUG_ROUNDS]]\n");
		return 2;
	}
	int card_rounds = argc > 2 ? atoi(argv[2]) : 1000, plug_rounds = argc > 3 ? atoi(argv[3]) : 10;
	if (card_rounds < 1 || plug_rounds < 1) {
		fprintf(stderr, "bench_reader: rounds must be positive\n");
		return 2;
	}
	card_figure(argv[1], card_rounds);
	plug_figures(argv[1], plug_rounds);
	return 0;
}
