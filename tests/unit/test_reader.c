/* test_reader.c — reader.h end to end: sim and sim:FILE, real ptys through
 * the termios transport (unplug/replug, CPU while disconnected, exclusive
 * use) and tcp:// against a loopback listener. */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "drivers/reader.h"

#define EM_FRAME "\x02" "62E3086CED" "08" "\x03"

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run the event loop as the kiosk does (poll reader_fd until the reader's
 * deadline) until an event of kind arrives or timeout_ms pass.  Returns 1
 * with *ev filled, 0 on timeout. */
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
		int64_t dl = reader_next_deadline_ms(r);
		int64_t wait = end - now;
		if (dl >= 0 && dl - now < wait)
			wait = dl - now < 0 ? 0 : dl - now;
		struct pollfd p = { reader_fd(r), POLLIN, 0 };
		poll(&p, 1, (int)wait);
	}
}

static reader *open_reader(const char *port, const char *proto)
{
	reader_options opt = { .port = port, .protocol = proto, .baud = 9600, .gap_ms = 100,
			       .debounce_ms = 1500 };
	reader *r = NULL;
	char err[200];
	assert_int_equal(reader_open(&r, &opt, err, sizeof err), 0);
	return r;
}

static void test_open_errors(void **state)
{
	(void)state;
	reader *r = NULL;
	char err[200];
	reader_options opt = { .port = "tcp://host", .protocol = "em4100" };
	assert_int_equal(reader_open(&r, &opt, err, sizeof err), -1);
	assert_null(r);
	assert_non_null(strstr(err, "tcp://host:port"));
	opt.port = "udp://1.2.3.4:5";
	assert_int_equal(reader_open(&r, &opt, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown scheme"));
	opt.port = "simm"; /* a typo is not taken for a device that never appears */
	assert_int_equal(reader_open(&r, &opt, err, sizeof err), -1);
	assert_non_null(strstr(err, "'simm': expected a device path"));
	opt.port = "sim";
	opt.protocol = "wiegand";
	assert_int_equal(reader_open(&r, &opt, err, sizeof err), -1);
	assert_non_null(strstr(err, "'wiegand'"));
	assert_non_null(strstr(err, "stx-bcc"));
	reader_close(NULL);
}

static void test_sim_swipe(void **state)
{
	(void)state;
	reader *r = open_reader("sim", "em4100");
	assert_true(reader_is_sim(r));
	assert_true(reader_connected(r));
	assert_int_equal(reader_fd(r), -1);
	reader_event ev;
	assert_int_equal(reader_poll(r, now_ms(), &ev), 0);
	reader_sim_swipe(r, "62e3086ced");
	assert_int_equal(reader_next_deadline_ms(r), 0);
	assert_int_equal(reader_poll(r, now_ms(), &ev), 1);
	assert_int_equal(ev.kind, READER_EV_CARD);
	assert_string_equal(ev.card_id, "62E3086CED");
	assert_string_equal(ev.render_8h10d, "3808980205");
	assert_string_equal(ev.render_w26, "008,27885");
	assert_string_equal(ev.message, "card read (...6CED)"); /* no full id in logs */
	reader_sim_swipe(r, "not a card");
	assert_int_equal(reader_poll(r, now_ms(), &ev), 1);
	assert_int_equal(ev.kind, READER_EV_ERROR);
	assert_int_equal(reader_poll(r, now_ms(), &ev), 0);
	assert_int_equal(reader_get_counters(r).frames_ok, 1);
	reader_close(r);
}

static void test_sim_file(void **state)
{
	(void)state;
	char *dir = tu_tempdir(), path[4096], port[4200];
	tu_path(path, dir, "cards.txt");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("62E3086CED\n# a comment\n\n  0102030405  \nbad-id!\n3808980205", f);
	fclose(f);
	snprintf(port, sizeof port, "sim:%s", path);
	reader *r = open_reader(port, "em4100");
	assert_true(reader_is_sim(r));
	reader_event ev;
	char cards[4][READER_ID_MAX], error[200] = "";
	int ncards = 0, connected = 0;
	int64_t end = now_ms() + 2000;
	while (ncards < 3 && now_ms() < end) {
		while (reader_poll(r, now_ms(), &ev) == 1) {
			if (ev.kind == READER_EV_CARD && ncards < 4)
				snprintf(cards[ncards++], READER_ID_MAX, "%s", ev.card_id);
			else if (ev.kind == READER_EV_ERROR)
				snprintf(error, sizeof error, "%s", ev.message);
			else if (ev.kind == READER_EV_CONNECTED)
				connected++;
		}
	}
	assert_int_equal(connected, 1);
	assert_int_equal(ncards, 3);
	assert_string_equal(cards[0], "62E3086CED");
	assert_string_equal(cards[1], "0102030405");
	assert_string_equal(cards[2], "3808980205");
	char where[4200];
	snprintf(where, sizeof where, "%s:5: not a card id", path);
	assert_string_equal(error, where);
	assert_int_equal(reader_fd(r), -1); /* the file is read to its end */
	reader_close(r);
	/* a missing file is a disconnected reader that keeps trying */
	snprintf(port, sizeof port, "sim:%s/none", dir);
	r = open_reader(port, "em4100");
	assert_int_equal(wait_event(r, READER_EV_DISCONNECTED, 1000, &ev), 1);
	assert_non_null(strstr(ev.message, "No such file"));
	reader_close(r);
	tu_rmdir(dir);
}

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

/* sim:FILE on a fifo: lines as they are written; the writer closing is not
 * the end (a script may open it again) and does not spin. */
static void test_sim_fifo(void **state)
{
	(void)state;
	char *dir = tu_tempdir(), path[4096], port[4200];
	tu_path(path, dir, "cards.fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(port, sizeof port, "sim:%s", path);
	reader *r = open_reader(port, "em4100");
	reader_event ev;
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, 2000, &ev), 1);
	assert_non_null(strstr(ev.message, "fifo"));
	for (int round = 0; round < 2; round++) {
		int w = open(path, O_WRONLY);
		assert_true(w >= 0);
		const char *line = round ? "0102030405\n" : "62E3086CED\n";
		assert_int_equal(write(w, line, strlen(line)), (ssize_t)strlen(line));
		close(w);
		assert_int_equal(wait_event(r, READER_EV_CARD, 2000, &ev), 1);
		assert_string_equal(ev.card_id, round ? "0102030405" : "62E3086CED");
	}
	double c0 = cpu_seconds();
	int64_t w0 = now_ms();
	assert_int_equal(wait_event(r, READER_EV_DISCONNECTED, 500, &ev), 0);
	double cpu = (cpu_seconds() - c0) / ((double)(now_ms() - w0) / 1000.0);
	assert_true(cpu < 0.05);
	reader_close(r);
	tu_rmdir(dir);
}

/* A pty standing in for a reader, reachable through a symlink. */
typedef struct fake_tty {
	int master, slave;
	char name[64];
} fake_tty;

static void fake_open(fake_tty *t, const char *link)
{
	assert_int_equal(openpty(&t->master, &t->slave, t->name, NULL, NULL), 0);
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.new", link);
	unlink(tmp);
	assert_int_equal(symlink(t->name, tmp), 0);
	assert_int_equal(rename(tmp, link), 0); /* atomic re-pointing */
}

static void fake_close(fake_tty *t)
{
	close(t->slave);
	close(t->master);
	t->slave = t->master = -1;
}

static void fake_write(fake_tty *t, const char *s)
{
	assert_int_equal(write(t->master, s, strlen(s)), (ssize_t)strlen(s));
}


static void test_pty_unplug_replug(void **state)
{
	(void)state;
	char *dir = tu_tempdir(), link[4096];
	tu_path(link, dir, "ttyREADER");
	fake_tty t;
	fake_open(&t, link);
	reader *r = open_reader(link, "em4100");
	reader_event ev;
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, 2000, &ev), 1);
	assert_non_null(strstr(ev.message, "via termios"));
	assert_non_null(strstr(ev.message, "libserialport refused it"));
	assert_true(reader_connected(r));
	/* the slave stays open on our side only through the reader */
	close(t.slave);
	t.slave = -1;
	fake_write(&t, "junk" EM_FRAME);
	assert_int_equal(wait_event(r, READER_EV_CARD, 2000, &ev), 1);
	assert_string_equal(ev.card_id, "62E3086CED");
	/* a partial frame, then the unplug: reported within 100 ms */
	fake_write(&t, "\x02" "62E3");
	assert_int_equal(wait_event(r, READER_EV_ERROR, 50, &ev), 0);
	int64_t t0 = now_ms();
	close(t.master);
	assert_int_equal(wait_event(r, READER_EV_DISCONNECTED, 1000, &ev), 1);
	int64_t took = now_ms() - t0;
	print_message("# disconnect reported after %lld ms: %s\n", (long long)took, ev.message);
	assert_true(took < 100);
	assert_false(reader_connected(r));
	assert_int_equal(reader_fd(r), -1);
	/* disconnected: the loop sleeps between attempts, no CPU spin */
	double c0 = cpu_seconds();
	int64_t w0 = now_ms();
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, 2000, &ev), 0);
	double cpu = (cpu_seconds() - c0) / ((double)(now_ms() - w0) / 1000.0);
	print_message("# CPU while disconnected: %.2f %%\n", cpu * 100);
	assert_true(cpu < 0.05);
	/* replug: the symlink now names a new pty */
	fake_open(&t, link);
	int64_t t1 = now_ms();
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, 1500, &ev), 1);
	int64_t pick = now_ms() - t1;
	print_message("# new pty picked up after %lld ms\n", (long long)pick);
	assert_true(pick <= 1100); /* retries are 1 s apart at most, plus scheduling */
	close(t.slave);
	t.slave = -1;
	/* the partial frame from before the unplug must not join this one */
	fake_write(&t, "086CED08\x03" "\x02" "0102030405" "01" "\x03");
	assert_int_equal(wait_event(r, READER_EV_CARD, 2000, &ev), 1);
	assert_string_equal(ev.card_id, "0102030405");
	reader_counters c = reader_get_counters(r);
	assert_int_equal(c.frames_ok, 2);
	reader_close(r);
	fake_close(&t);
	tu_rmdir(dir);
}

static void test_pty_exclusive(void **state)
{
	(void)state;
	char *dir = tu_tempdir(), link[4096];
	tu_path(link, dir, "ttyREADER");
	fake_tty t;
	fake_open(&t, link);
	reader *a = open_reader(link, "em4100"), *b = open_reader(link, "em4100");
	reader_event ev;
	assert_int_equal(wait_event(a, READER_EV_CONNECTED, 2000, &ev), 1);
	assert_int_equal(wait_event(b, READER_EV_DISCONNECTED, 2000, &ev), 1);
	assert_non_null(strstr(ev.message, "in use by another process"));
	reader_close(a); /* released: the other one takes over */
	assert_int_equal(wait_event(b, READER_EV_CONNECTED, 2000, &ev), 1);
	reader_close(b);
	fake_close(&t);
	tu_rmdir(dir);
}

static void test_tcp(void **state)
{
	(void)state;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(ls >= 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(ls, 4), 0);
	socklen_t sl = sizeof sa;
	assert_int_equal(getsockname(ls, (struct sockaddr *)&sa, &sl), 0);
	char port[64];
	snprintf(port, sizeof port, "tcp://127.0.0.1:%d", ntohs(sa.sin_port));
	reader *r = open_reader(port, "stx-bcc");
	reader_event ev;
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, 2000, &ev), 1);
	int c = accept(ls, NULL, NULL);
	assert_true(c >= 0);
	const uint8_t frame[] = { 0x02, 0x0A, 0x02, 0x06, 0x00, 0x8E, 0x6D, 0x5D, 0xB0, 0x03 };
	assert_int_equal(write(c, frame, sizeof frame), (ssize_t)sizeof frame);
	assert_int_equal(wait_event(r, READER_EV_CARD, 2000, &ev), 1);
	assert_string_equal(ev.card_id, "06008E6D5D");
	assert_string_equal(ev.render_8h10d, "0009334109");
	close(c); /* the device server drops the line */
	assert_int_equal(wait_event(r, READER_EV_DISCONNECTED, 1000, &ev), 1);
	assert_non_null(strstr(ev.message, "closed"));
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, 2000, &ev), 1);
	c = accept(ls, NULL, NULL);
	assert_true(c >= 0);
	/* another card: the same one again within 1.5 s would be a repeat */
	const uint8_t frame2[] = { 0x02, 0x0A, 0x02, 0x01, 0x02, 0x03, 0x04, 0x05, 0x09, 0x03 };
	assert_int_equal(write(c, frame2, sizeof frame2), (ssize_t)sizeof frame2);
	assert_int_equal(wait_event(r, READER_EV_CARD, 2000, &ev), 1);
	assert_string_equal(ev.card_id, "0102030405");
	close(c);
	close(ls);
	/* nobody listening: disconnected, retried */
	assert_int_equal(wait_event(r, READER_EV_DISCONNECTED, 1000, &ev), 1);
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, 600, &ev), 0);
	reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_sim_swipe),
		cmocka_unit_test(test_sim_file),
		cmocka_unit_test(test_sim_fifo),
		cmocka_unit_test(test_pty_unplug_replug),
		cmocka_unit_test(test_pty_exclusive),
		cmocka_unit_test(test_tcp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
