/* transport.c — port syntax, reading with hang-up detection, tcp:// and
 * sim:FILE connections (serial ports are in transport_serial.c). */
#include "drivers/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define TCP_CONNECT_TIMEOUT_MS 1000

reader_status transport_init(transport *t, const char *port, int baud, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	t->fd = -1;
	t->lock_fd = -1;
	t->baud = baud > 0 ? baud : 9600;
	if (!port || !*port) {
		snprintf(err, errlen, "empty port");
		return READER_ERR_PORT;
	}
	if (strlen(port) >= sizeof t->path) {
		snprintf(err, errlen, "port name longer than %zu bytes", sizeof t->path - 1);
		return READER_ERR_PORT;
	}
	if (strcmp(port, "sim") == 0) {
		t->kind = TRANSPORT_SIM;
		return READER_OK;
	}
	if (strncmp(port, "sim:", 4) == 0) {
		if (!port[4]) {
			snprintf(err, errlen, "'%s': sim:FILE needs a file name", port);
			return READER_ERR_PORT;
		}
		t->kind = TRANSPORT_SIM_FILE;
		snprintf(t->path, sizeof t->path, "%s", port + 4);
		return READER_OK;
	}
	if (strncmp(port, "tcp://", 6) == 0) {
		const char *hp = port + 6, *colon = strrchr(hp, ':');
		const char *h = hp;
		size_t hlen = colon ? (size_t)(colon - hp) : 0;
		if (hlen > 1 && h[0] == '[' && h[hlen - 1] == ']') { /* [::1]:port */
			h++;
			hlen -= 2;
		}
		char *end = NULL;
		long p = colon ? strtol(colon + 1, &end, 10) : 0;
		if (!colon || hlen == 0 || hlen >= sizeof t->host || !colon[1] || *end || p < 1 || p > 65535) {
			snprintf(err, errlen, "'%s': expected tcp://host:port with a port 1-65535", port);
			return READER_ERR_PORT;
		}
		t->kind = TRANSPORT_TCP;
		memcpy(t->host, h, hlen);
		t->host[hlen] = '\0';
		snprintf(t->service, sizeof t->service, "%ld", p);
		snprintf(t->path, sizeof t->path, "%s", port);
		return READER_OK;
	}
	if (strstr(port, "://")) {
		snprintf(err, errlen, "'%s': unknown scheme (expected tcp://host:port)", port);
		return READER_ERR_PORT;
	}
	if (port[0] != '/') {
		snprintf(err, errlen, "'%s': expected a device path (/dev/...), tcp://host:port, sim or sim:FILE",
			 port);
		return READER_ERR_PORT;
	}
	t->kind = TRANSPORT_SERIAL;
	snprintf(t->path, sizeof t->path, "%s", port);
	return READER_OK;
}

/* sim:FILE: a fifo is opened read-write so it never reads end of file when
 * the writer closes; a regular file is read once to its end. */
static reader_status transport_sim_connect(transport *t, char *err, size_t errlen)
{
	struct stat st;
	if (stat(t->path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", t->path, strerror(errno));
		return READER_ERR_OPEN;
	}
	int fd = open(t->path, (S_ISFIFO(st.st_mode) ? O_RDWR : O_RDONLY) | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", t->path, strerror(errno));
		return READER_ERR_OPEN;
	}
	t->fd = fd;
	snprintf(t->how, sizeof t->how, "%s (%s of card ids)", t->path,
		 S_ISFIFO(st.st_mode) ? "fifo" : "file");
	return READER_OK;
}

static reader_status transport_tcp_connect(transport *t, int64_t now_ms, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int gai = getaddrinfo(t->host, t->service, &hints, &res);
	if (gai != 0) {
		snprintf(err, errlen, "%s: %s", t->path, gai_strerror(gai));
		return READER_ERR_OPEN;
	}
	int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "%s: socket: %s", t->path, strerror(errno));
		freeaddrinfo(res);
		return READER_ERR_OPEN;
	}
	/* A device server that dies without a FIN is noticed within ~20 s. */
	int on = 1, idle = 10, intvl = 5, cnt = 2;
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
	int rc = connect(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (rc != 0 && errno != EINPROGRESS) {
		snprintf(err, errlen, "%s: %s", t->path, strerror(errno));
		close(fd);
		return READER_ERR_OPEN;
	}
	t->fd = fd;
	t->connecting = rc != 0;
	t->connect_deadline_ms = now_ms + TCP_CONNECT_TIMEOUT_MS;
	snprintf(t->how, sizeof t->how, "%s", t->path);
	return READER_OK;
}

reader_status transport_poll_connect(transport *t, int64_t now_ms, char *err, size_t errlen)
{
	struct pollfd p = { t->fd, POLLOUT, 0 };
	if (poll(&p, 1, 0) == 0) {
		if (now_ms < t->connect_deadline_ms)
			return READER_ERR_DISCONNECTED;
		snprintf(err, errlen, "%s: connection timed out", t->path);
		transport_close(t);
		return READER_ERR_OPEN;
	}
	int soerr = 0;
	socklen_t sl = sizeof soerr;
	if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
		soerr = errno;
	if (soerr != 0) {
		snprintf(err, errlen, "%s: %s", t->path, strerror(soerr));
		transport_close(t);
		return READER_ERR_OPEN;
	}
	t->connecting = false;
	return READER_OK;
}

reader_status transport_connect(transport *t, int64_t now_ms, char *err, size_t errlen)
{
	transport_close(t);
	switch (t->kind) {
	case TRANSPORT_SIM:
		return READER_OK;
	case TRANSPORT_SIM_FILE:
		return transport_sim_connect(t, err, errlen);
	case TRANSPORT_TCP:
		return transport_tcp_connect(t, now_ms, err, errlen);
	case TRANSPORT_SERIAL:
		return transport_serial_connect(t, err, errlen);
	}
	return READER_ERR_ARG;
}

ssize_t transport_read(transport *t, uint8_t *buf, size_t len, char *err, size_t errlen)
{
	if (t->fd < 0)
		return 0;
	/* libserialport's non-blocking read returns 0 after a hang-up, like "no
	 * data": poll() tells the two apart (POLLHUP/POLLERR, or POLLIN with 0
	 * bytes), so every transport reads the fd the same way. */
	struct pollfd p = { t->fd, POLLIN, 0 };
	int pr = poll(&p, 1, 0);
	if (pr < 0) {
		if (errno == EINTR)
			return 0;
		snprintf(err, errlen, "%s: poll: %s", t->path, strerror(errno));
		return -1;
	}
	if (pr == 0)
		return 0;
	if (p.revents & POLLIN) {
		ssize_t n = read(t->fd, buf, len);
		if (n > 0)
			return n;
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n == 0 && t->kind == TRANSPORT_SIM_FILE)
			return -2; /* end of a regular file: no more card ids */
		if (n == 0)
			snprintf(err, errlen, "%s: %s", t->path,
				 t->kind == TRANSPORT_TCP ? "connection closed by the device server" : "hang-up");
		else
			snprintf(err, errlen, "%s: %s", t->path, strerror(errno));
		return -1;
	}
	snprintf(err, errlen, "%s: %s", t->path,
		 p.revents & POLLNVAL ? "invalid descriptor" : p.revents & POLLHUP ? "hang-up" : "device error");
	return -1;
}

void transport_close(transport *t)
{
	if (t->sp) {
		sp_close(t->sp); /* closes the fd, which drops the flock */
		sp_free_port(t->sp);
		t->sp = NULL;
	} else if (t->fd >= 0) {
		close(t->fd);
	}
	t->fd = -1;
	if (t->lock_fd >= 0) /* after the port: its flock goes last */
		close(t->lock_fd);
	t->lock_fd = -1;
	t->connecting = false;
}
