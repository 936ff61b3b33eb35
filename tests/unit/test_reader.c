/* test_reader.c — reader.h end to end: sim and sim:FILE, real ptys through
 * the termios transport (unplug/replug, no spinning while disconnected,
 * exclusive use) and tcp:// against a loopback listener.  No limit on speed
 * here (`make bench` times the reader: bench_reader): a wait for an event
 * that must come gives it WAIT_MS, a wait for one that must not come is a
 * short window, and "no spinning" counts the loop's wake-ups. */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "drivers/reader.h"

#define EM_FRAME "\x02" "62E3086CED" "08" "\x03"
#define WAIT_MS 30000          /* for an event that must come: only against a hang */
#define BACKOFF_MAX_MS 1000    /* reader.c: reconnect attempts are at most 1 s apart */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What a run of the loop saw: its turns (poll wake-ups) and, while the
 * reader was disconnected, the furthest its next attempt was ahead. */
typedef struct loop_stats {
	int turns;
	int64_t elapsed_ms;
	int64_t max_retry_ahead_ms;
} loop_stats;

/* Run the event loop as the kiosk does (poll reader_fd until the reader's
 * deadline) until an event of kind arrives or timeout_ms pass.  Returns 1
 * with *ev filled, 0 on timeout; *st (if not NULL) tells how it went. */
static int wait_event_stats(reader *r, reader_event_kind kind, int timeout_ms, reader_event *ev,
			    loop_stats *st)
{
	loop_stats none;
	st = st ? st : &none;
	memset(st, 0, sizeof *st);
	int64_t start = now_ms(), end = start + timeout_ms;
	for (;;) {
		int64_t now = now_ms();
		st->elapsed_ms = now - start;
		while (reader_poll(r, now, ev) == 1)
			if (ev->kind == kind)
				return 1;
		if (now >= end)
			return 0;
		int64_t dl = reader_next_deadline_ms(r);
		if (!reader_connected(r) && dl >= 0 && dl - now > st->max_retry_ahead_ms)
			st->max_retry_ahead_ms = dl - now;
		int64_t wait = end - now;
		if (dl >= 0 && dl - now < wait)
			wait = dl - now < 0 ? 0 : dl - now;
		struct pollfd p = { reader_fd(r), POLLIN, 0 };
		poll(&p, 1, (int)wait);
		st->turns++;
	}
}

static int wait_event(reader *r, reader_event_kind kind, int timeout_ms, reader_event *ev)
{
	return wait_event_stats(r, kind, timeout_ms, ev, NULL);
}

/* No spinning: a loop that sleeps until its fd or its deadline wakes up a
 * few times a second at most (a spinning one, thousands of times).  A loaded
 * machine only makes the turns fewer. */
static void assert_no_spin(const loop_stats *st)
{
	print_message("# %d loop turns in %lld ms\n", st->turns, (long long)st->elapsed_ms);
	assert_true(st->turns <= 10 + st->elapsed_ms / 20);
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
	int64_t end = now_ms() + WAIT_MS;
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
	assert_int_equal(wait_event(r, READER_EV_DISCONNECTED, WAIT_MS, &ev), 1);
	assert_non_null(strstr(ev.message, "No such file"));
	reader_close(r);
	tu_rmdir(dir);
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
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, WAIT_MS, &ev), 1);
	assert_non_null(strstr(ev.message, "fifo"));
	for (int round = 0; round < 2; round++) {
		int w = open(path, O_WRONLY);
		assert_true(w >= 0);
		const char *line = round ? "0102030405\n" : "62E3086CED\n";
		assert_int_equal(write(w, line, strlen(line)), (ssize_t)strlen(line));
		close(w);
		assert_int_equal(wait_event(r, READER_EV_CARD, WAIT_MS, &ev), 1);
		assert_string_equal(ev.card_id, round ? "0102030405" : "62E3086CED");
	}
	/* the writer has closed: no end, no disconnect, no busy loop */
	loop_stats st;
	assert_int_equal(wait_event_stats(r, READER_EV_DISCONNECTED, 500, &ev, &st), 0);
	assert_no_spin(&st);
	assert_true(reader_connected(r));
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
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, WAIT_MS, &ev), 1);
	assert_non_null(strstr(ev.message, "via termios"));
	assert_non_null(strstr(ev.message, "libserialport refused it"));
	assert_true(reader_connected(r));
	/* the slave stays open on our side only through the reader */
	close(t.slave);
	t.slave = -1;
	fake_write(&t, "junk" EM_FRAME);
	assert_int_equal(wait_event(r, READER_EV_CARD, WAIT_MS, &ev), 1);
	assert_string_equal(ev.card_id, "62E3086CED");
	/* a partial frame, then the unplug: the device node goes (as a USB
	 * adapter's does: a pty number left behind could be reused by any other
	 * process) and the line hangs up.  The hang-up itself wakes the loop and
	 * is reported in that turn.
	 * The reader is given the time the bytes were written (its clock is an
	 * argument): a slow machine must not turn the held partial frame into
	 * an inter-byte timeout. */
	int64_t t0 = now_ms();
	fake_write(&t, "\x02" "62E3");
	struct pollfd in = { reader_fd(r), POLLIN, 0 };
	assert_int_equal(poll(&in, 1, WAIT_MS), 1);
	assert_int_equal(reader_poll(r, t0, &ev), 0); /* read and held: no event */
	assert_int_equal(unlink(link), 0);
	close(t.master);
	assert_int_equal(poll(&in, 1, WAIT_MS), 1); /* the fd alone, no deadline */
	bool disconnected = false;
	while (!disconnected && reader_poll(r, t0, &ev) == 1)
		disconnected = ev.kind == READER_EV_DISCONNECTED;
	assert_true(disconnected);
	print_message("# %s\n", ev.message);
	assert_false(reader_connected(r));
	assert_int_equal(reader_fd(r), -1);
	/* disconnected: the loop sleeps between attempts (no spin), and the
	 * next attempt is never more than 1 s ahead */
	loop_stats st;
	assert_int_equal(wait_event_stats(r, READER_EV_CONNECTED, 2000, &ev, &st), 0);
	assert_no_spin(&st);
	assert_true(st.max_retry_ahead_ms > 0);
	assert_true(st.max_retry_ahead_ms <= BACKOFF_MAX_MS);
	/* replug: the symlink now names a new pty */
	fake_open(&t, link);
	assert_int_equal(wait_event_stats(r, READER_EV_CONNECTED, WAIT_MS, &ev, &st), 1);
	assert_true(st.max_retry_ahead_ms <= BACKOFF_MAX_MS);
	close(t.slave);
	t.slave = -1;
	/* the partial frame from before the unplug must not join this one */
	fake_write(&t, "086CED08\x03" "\x02" "0102030405" "01" "\x03");
	assert_int_equal(wait_event(r, READER_EV_CARD, WAIT_MS, &ev), 1);
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
	assert_int_equal(wait_event(a, READER_EV_CONNECTED, WAIT_MS, &ev), 1);
	assert_int_equal(wait_event(b, READER_EV_DISCONNECTED, WAIT_MS, &ev), 1);
	assert_non_null(strstr(ev.message, "in use by another process"));
	reader_close(a); /* released: the other one takes over */
	assert_int_equal(wait_event(b, READER_EV_CONNECTED, WAIT_MS, &ev), 1);
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
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, WAIT_MS, &ev), 1);
	int c = accept(ls, NULL, NULL);
	assert_true(c >= 0);
	const uint8_t frame[] = { 0x02, 0x0A, 0x02, 0x06, 0x00, 0x8E, 0x6D, 0x5D, 0xB0, 0x03 };
	assert_int_equal(write(c, frame, sizeof frame), (ssize_t)sizeof frame);
	assert_int_equal(wait_event(r, READER_EV_CARD, WAIT_MS, &ev), 1);
	assert_string_equal(ev.card_id, "06008E6D5D");
	assert_string_equal(ev.render_8h10d, "0009334109");
	close(c); /* the device server drops the line */
	assert_int_equal(wait_event(r, READER_EV_DISCONNECTED, WAIT_MS, &ev), 1);
	assert_non_null(strstr(ev.message, "closed"));
	assert_int_equal(wait_event(r, READER_EV_CONNECTED, WAIT_MS, &ev), 1);
	c = accept(ls, NULL, NULL);
	assert_true(c >= 0);
	/* another card: the same one again within 1.5 s would be a repeat */
	const uint8_t frame2[] = { 0x02, 0x0A, 0x02, 0x01, 0x02, 0x03, 0x04, 0x05, 0x09, 0x03 };
	assert_int_equal(write(c, frame2, sizeof frame2), (ssize_t)sizeof frame2);
	assert_int_equal(wait_event(r, READER_EV_CARD, WAIT_MS, &ev), 1);
	assert_string_equal(ev.card_id, "0102030405");
	close(c);
	close(ls);
	/* nobody listening: disconnected, retried */
	assert_int_equal(wait_event(r, READER_EV_DISCONNECTED, WAIT_MS, &ev), 1);
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
