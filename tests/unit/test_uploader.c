/* test_uploader.c — the kiosk's uploader thread against a loopback socket
 * that answers the master pull and then never again: the upload request
 * reuses the connection and carries the protocol's headers, a second
 * uploader on the same database waits, and uploader_stop abandons the hanging
 * request instead of waiting for its timeout: the connection is closed, the
 * records are still pending and the UI is woken.  No limit on speed here
 * (waits for what must happen get WAIT_MS). */
#include "testutil.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "store/db.h"
#include "store/outbox.h"
#include "store/record.h"
#include "sync/uploader.h"

#define WAIT_MS 30000 /* for what must happen: only against a hang */

/* A listening socket on 127.0.0.1, port chosen by the kernel. */
static int listen_loopback(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Read from fd until the end of the HTTP headers or the deadline. */
static void read_headers(int fd, char *buf, size_t n)
{
	size_t used = 0;
	int64_t end = clock_mono_ms() + WAIT_MS;
	buf[0] = '\0';
	while (!strstr(buf, "\r\n\r\n") && used < n - 1 && clock_mono_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 100) <= 0)
			continue;
		ssize_t r = read(fd, buf + used, n - 1 - used);
		if (r <= 0)
			break;
		used += (size_t)r;
		buf[used] = '\0';
	}
}

static void thread_sends_waits_and_stops_promptly(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char db_path[4096], token[4096];
	fc_error err;
	sqlite3 *db;
	tu_path(db_path, dir, "s.db");
	assert_int_equal(db_open(db_path, DB_OPEN_CREATE, &db, &err), FC_OK);
	assert_int_equal(db_begin(db, &err), FC_OK);
	for (int i = 0; i < 3; i++) {
		fc_record rec;
		json_t *data = json_pack("{s:i}", "n", i);
		assert_int_equal(record_init(&rec, "visit", &err), FC_OK);
		assert_int_equal(record_enqueue(db, &rec, "S0001", 0, data, &err), FC_OK);
		json_decref(data);
	}
	assert_int_equal(db_commit(db, &err), FC_OK);

	tu_write(token, dir, "token", "tok-123\n");
	chmod(token, 0600);
	int port;
	int lfd = listen_loopback(&port);
	fc_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.upload_url, sizeof cfg.upload_url, "http://127.0.0.1:%d", port);
	assert_true(strlen(token) < sizeof cfg.upload_token_file);
	memcpy(cfg.upload_token_file, token, strlen(token) + 1);
	cfg.upload_timeout_s = 600; /* the stop must not wait for this */
	int wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	uploader *up = NULL, *second = NULL;
	assert_int_equal(uploader_start(&cfg, db_path, wake, &up, &err), FC_OK);
	assert_non_null(up);
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, WAIT_MS), 1);
	int cfd = accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	char req[8192];
	/* First the master data (answered: an empty pull), then the records on
	 * the same kept-alive connection (never answered). */
	read_headers(cfd, req, sizeof req);
	assert_non_null(strstr(req, "GET /v1/master?since=&limit=20000 HTTP/1.1"));
	assert_non_null(strstr(req, "Authorization: Bearer tok-123\r\n"));
	const char body[] = "{\"kind\":\"version\",\"version\":\"t1\"}\n";
	char reply[256];
	int len = snprintf(reply, sizeof reply,
			   "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
			   "Content-Length: %zu\r\n\r\n%s",
			   strlen(body), body);
	assert_int_equal(write(cfd, reply, (size_t)len), len);
	read_headers(cfd, req, sizeof req);
	assert_non_null(strstr(req, "POST /v1/records HTTP/1.1"));
	assert_non_null(strstr(req, "Authorization: Bearer tok-123\r\n"));
	assert_non_null(strstr(req, "X-Station-Id: S0001\r\n"));
	assert_non_null(strstr(req, "Content-Type: application/x-ndjson\r\n"));
	assert_non_null(strstr(req, "Idempotency-Key: "));

	/* A second uploader on the same database waits for the first. */
	assert_int_equal(uploader_start(&cfg, db_path, -1, &second, &err), FC_OK);
	int64_t end = clock_mono_ms() + WAIT_MS;
	while (!uploader_is_waiting(second) && clock_mono_ms() < end)
		poll(NULL, 0, 10);
	assert_true(uploader_is_waiting(second));
	assert_false(uploader_is_waiting(up));

	/* Stop while the request hangs: the request is abandoned (its connection
	 * closed; far from waiting out the 600 s timeout), nothing lost, UI
	 * woken.  `make bench` times the stop (uploader_stop). */
	int64_t t0 = clock_mono_ms();
	uploader_stop(up);
	int64_t took = clock_mono_ms() - t0;
	assert_true(took < (int64_t)cfg.upload_timeout_s * 1000 / 2);
	p.fd = cfd;
	assert_int_equal(poll(&p, 1, WAIT_MS), 1);
	char rest[64];
	assert_true(read(cfd, rest, sizeof rest) <= 0); /* closed, no more request */
	uint64_t n = 0;
	assert_int_equal(read(wake, &n, sizeof n), (ssize_t)sizeof n);
	assert_true(n >= 1);
	uploader_stop(second);
	outbox_summary s;
	assert_int_equal(outbox_status(db, &s, &err), FC_OK);
	assert_int_equal(s.pending, 3);

	close(cfd);
	close(lfd);
	close(wake);
	db_close(db);
	tu_rmdir(dir);
}

static void upload_off_starts_nothing(void **state)
{
	(void)state;
	fc_config cfg;
	fc_error err;
	uploader *up = (uploader *)&cfg; /* must be overwritten */
	config_defaults(&cfg);
	assert_int_equal(uploader_start(&cfg, "/nonexistent.db", -1, &up, &err), FC_OK);
	assert_null(up);
	uploader_stop(NULL);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(thread_sends_waits_and_stops_promptly),
		cmocka_unit_test(upload_off_starts_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
