/* cmd_reader_test.c — `forecourt reader-test`: what an installer runs at a new
 * station: every card id with its renderings, reader events, then counters. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/clock.h"
#include "cli/commands.h"
#include "drivers/reader.h"

static void reader_test_print(const reader_event *ev, int64_t t0)
{
	int64_t ms = clock_mono_ms() - t0;
	printf("[%4lld.%03lld] ", (long long)(ms / 1000), (long long)(ms % 1000));
	switch (ev->kind) {
	case READER_EV_CARD:
		printf("card %s", ev->card_id);
		if (ev->render_8h10d[0])
			printf("  8H10D %s", ev->render_8h10d);
		if (ev->render_w26[0])
			printf("  W26 %s", ev->render_w26);
		printf("\n");
		break;
	case READER_EV_ERROR:
		printf("error: %s\n", ev->message);
		break;
	case READER_EV_CONNECTED:
	case READER_EV_DISCONNECTED:
		printf("%s\n", ev->message);
		break;
	}
	fflush(stdout);
}

/* SIGINT/SIGTERM as an fd, so Ctrl-C ends the test with the counters. */
static int reader_test_signal_fd(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int cmd_reader_test_run(fc_app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "baud", required_argument, NULL, 'b' },
		{ "seconds", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	reader_options opt = {
		.port = app->cfg.reader_port[0] ? app->cfg.reader_port : "sim",
		.protocol = app->cfg.reader_protocol[0] ? app->cfg.reader_protocol : "em4100",
		.baud = app->cfg.reader_baud,
		.gap_ms = app->cfg.reader_gap_ms,
		.debounce_ms = app->cfg.reader_debounce_ms,
		.luhn = app->cfg.reader_luhn,
	};
	long seconds = 0;
	long long number;
	char bad[CLI_WHY_LEN];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'p': opt.port = optarg; break;
		case 'P': opt.protocol = optarg; break;
		case 'b':
			if (!cli_parse_int("--baud", optarg, 300, 921600, &number, bad))
				return cli_usage(&cmd_reader_test, bad);
			opt.baud = (int)number;
			break;
		case 's':
			if (!cli_parse_int("--seconds", optarg, 0, 86400, &number, bad))
				return cli_usage(&cmd_reader_test, bad);
			seconds = (long)number;
			break;
		default:
			cli_option_error("reader-test", c, argv);
			return cli_usage(&cmd_reader_test, NULL);
		}
	}
	if (optind != argc)
		return cli_usage(&cmd_reader_test, NULL);
	reader *rd = NULL;
	char why[256];
	if (reader_open(&rd, &opt, why, sizeof why) != 0) {
		fprintf(stderr, "forecourt reader-test: %s\n", why);
		return 2;
	}
	int sfd = reader_test_signal_fd();
	printf("reader-test: port %s, protocol %s, %d baud, gap %d ms, debounce %d ms%s; %s\n", opt.port,
	       opt.protocol, opt.baud, opt.gap_ms, opt.debounce_ms, opt.luhn ? ", Luhn" : "",
	       seconds ? "until the time is up or Ctrl-C" : "Ctrl-C to stop");
	fflush(stdout);
	int64_t t0 = clock_mono_ms(), end = seconds ? t0 + seconds * 1000 : -1;
	bool connected = false; /* at any moment of the run */
	char why_not[sizeof ((reader_event *)0)->message] = "";
	for (;;) {
		int64_t now = clock_mono_ms();
		reader_event ev;
		while (reader_poll(rd, now, &ev) == 1) {
			reader_test_print(&ev, t0);
			if (ev.kind == READER_EV_DISCONNECTED)
				snprintf(why_not, sizeof why_not, "%s", ev.message);
		}
		connected = connected || reader_is_sim(rd) || reader_connected(rd);
		if (end >= 0 && now >= end)
			break;
		int64_t deadline = reader_next_deadline_ms(rd);
		if (end >= 0 && (deadline < 0 || end < deadline))
			deadline = end;
		int timeout = deadline < 0 ? 1000 : deadline <= now ? 0 : (int)(deadline - now);
		struct pollfd fds[2] = { { reader_fd(rd), POLLIN, 0 }, { sfd, POLLIN, 0 } };
		if (poll(fds, 2, timeout) < 0 && errno != EINTR)
			break;
		if (sfd >= 0 && (fds[1].revents & POLLIN))
			break;
	}
	reader_counters k = reader_get_counters(rd);
	printf("frames ok %lu, bad checks %lu, resyncs %lu, timeouts %lu, debounced repeats %lu\n",
	       k.frames_ok, k.bad_checks, k.resyncs, k.timeouts, k.debounced);
	reader_close(rd);
	if (sfd >= 0)
		close(sfd);
	if (!connected) {
		fprintf(stderr, "forecourt reader-test: the reader never connected (%s)\n",
			why_not[0] ? why_not : "no answer from the port");
		return 1;
	}
	return 0;
}

const cli_command cmd_reader_test = {
	.name = "reader-test",
	.run = cmd_reader_test_run,
	.usage = "forecourt reader-test [--port P] [--protocol X] [--baud B] [--seconds N]",
	.summary = "try the card reader: ids, renderings, connects, counters",
	.help = "Opens the reader ([reader] port/protocol unless given) and prints each card id\n"
		"with its printed renderings (8H10D, W26), connect/disconnect events and dropped\n"
		"frames, then the counters: frames ok, bad checks, resyncs, timeouts, debounced\n"
		"repeats.  Runs until --seconds pass (0 = until Ctrl-C).\n"
		"  --port      /dev/ttyUSB0 (by-id links are fine), tcp://HOST:PORT, sim:FILE\n"
		"  --protocol  em4100, line, track2 or stx-bcc\n"
		"Exit 2 for a bad port syntax or protocol name, 1 when the reader never\n"
		"connected during the run.\n",
};
