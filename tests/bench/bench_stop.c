/* bench_stop.c — the uploader_stop figure of `make bench`: uploader_stop
 * while a request hangs (head office accepted the connection and never
 * answers), against uploader_stop of an uploader waiting out its backoff
 * (nobody listening) as the floor.  uploader.h promises "about a second".
 * Prints one JSON object (microseconds).  usage: bench_stop DIR [ROUNDS] */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "store/db.h"
#include "store/record.h"
#include "sync/uploader.h"
#include "tests/bench/bench_stats.h"

#define WAIT_MS 30000 /* for what must happen: only against a hang */

static void die(const char *what)
{
	fprintf(stderr, "bench_stop: %s: %s\n", what, errno ? strerror(errno) : "failed");
	exit(1);
}

/* A listening socket on 127.0.0.1 (port chosen by the kernel). */
static int listen_loopback(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		die("listen");
	*port = ntohs(a.sin_port);
	return fd;
}

/* Wait until fd is readable. */
static void wait_readable(int fd, const char *what)
{
	struct pollfd p = { fd, POLLIN, 0 };
	if (poll(&p, 1, WAIT_MS) != 1)
		die(what);
}

/* Read from fd until a request's headers are in (the request is in flight). */
static void read_request(int fd)
{
	char buf[8192];
	size_t used = 0;
	buf[0] = '\0';
	while (!strstr(buf, "\r\n\r\n") && used < sizeof buf - 1) {
		wait_readable(fd, "no request");
		ssize_t r = read(fd, buf + used, sizeof buf - 1 - used);
		if (r <= 0)
			die("request");
		used += (size_t)r;
		buf[used] = '\0';
	}
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3 || sodium_init() < 0) {
		fprintf(stderr, "usage: bench_stop DIR [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 10;
	if (rounds < 1)
		return 2;
	char db_path[4096], token[4096];
	snprintf(db_path, sizeof db_path, "%s/stop.db", argv[1]);
	snprintf(token, sizeof token, "%s/token", argv[1]);
	FILE *f = fopen(token, "w");
	if (!f || fputs("bench-token\n", f) < 0 || fclose(f) != 0 || chmod(token, 0600) != 0)
		die("token file");
	sqlite3 *db;
	fc_error err;
	if (db_open(db_path, DB_OPEN_CREATE, &db, &err) != FC_OK || db_begin(db, &err) != FC_OK)
		die("database");
	for (int i = 0; i < 3; i++) {
		fc_record rec;
		json_t *data = json_pack("{s:i}", "n", i);
		if (record_init(&rec, "visit", &err) != FC_OK ||
		    record_enqueue(db, &rec, "S0001", 0, data, &err) != FC_OK)
			die("records");
		json_decref(data);
	}
	if (db_commit(db, &err) != FC_OK)
		die("commit");
	db_close(db);

	int port;
	int lfd = listen_loopback(&port);
	int dead_port, dfd = listen_loopback(&dead_port);
	close(dfd); /* nobody listens there: connections are refused */
	fc_config cfg, dead;
	config_defaults(&cfg);
	if (strlen(token) >= sizeof cfg.upload_token_file)
		die("directory name too long");
	memcpy(cfg.upload_token_file, token, strlen(token) + 1);
	cfg.upload_timeout_s = 600;
	dead = cfg;
	snprintf(cfg.upload_url, sizeof cfg.upload_url, "http://127.0.0.1:%d", port);
	snprintf(dead.upload_url, sizeof dead.upload_url, "http://127.0.0.1:%d", dead_port);
	int wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	double *ours = calloc((size_t)rounds, sizeof *ours), *floor = calloc((size_t)rounds, sizeof *floor);
	if (wake < 0 || !ours || !floor)
		die("setup");
	for (int i = 0; i < rounds; i++) {
		/* floor: an uploader in its backoff after a refused connection */
		uploader *up = NULL;
		uint64_t n;
		while (read(wake, &n, sizeof n) > 0)
			;
		if (uploader_start(&dead, db_path, wake, &up, &err) != FC_OK || !up)
			die("uploader_start");
		wait_readable(wake, "no attempt reported");
		double t0 = bench_now_us();
		uploader_stop(up);
		floor[i] = bench_now_us() - t0;
		/* ours: the same stop while a request hangs */
		if (uploader_start(&cfg, db_path, wake, &up, &err) != FC_OK || !up)
			die("uploader_start");
		wait_readable(lfd, "no connection");
		int cfd = accept(lfd, NULL, NULL);
		if (cfd < 0)
			die("accept");
		read_request(cfd);
		t0 = bench_now_us();
		uploader_stop(up);
		ours[i] = bench_now_us() - t0;
		close(cfd);
	}
	double p50 = bench_quantile(ours, rounds, 0.5), p99 = bench_quantile(ours, rounds, 0.99);
	double worst = ours[rounds - 1], f50 = bench_quantile(floor, rounds, 0.5), fworst = floor[rounds - 1];
	printf("{\"name\":\"uploader_stop\",\"unit\":\"us\",\"median\":%.1f,\"p99\":%.1f,"
	       "\"worst\":%.1f,\"floor\":%.1f,\"floor_worst\":%.1f,\"n\":%d}\n",
	       p50, p99, worst, f50, fworst, rounds);
	close(lfd);
	close(wake);
	free(ours);
	free(floor);
	return 0;
}
