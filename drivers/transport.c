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
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define TCP_CONNECT_TIMEOUT_MS 1000  /* per address */
#define TCP_RESOLVE_TIMEOUT_MS 10000

/* A name resolved by getaddrinfo in a thread of its own, never the caller's
 * (the kiosk's UI thread): shared by the thread and the transport, freed by
 * whichever lets go last (a transport closed meanwhile does not wait). */
typedef struct tcp_resolve {
	pthread_mutex_t mu;
	int refs;
	bool done;
	int gai;                /* getaddrinfo's answer, once done */
	struct addrinfo *res;   /* taken by the transport */
	char host[256], service[16];
} tcp_resolve;

static void tcp_resolve_release(tcp_resolve *r)
{
	pthread_mutex_lock(&r->mu);
	bool last = --r->refs == 0;
	pthread_mutex_unlock(&r->mu);
	if (!last)
		return;
	if (r->res)
		freeaddrinfo(r->res);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

static void *tcp_resolve_main(void *arg)
{
	tcp_resolve *r = arg;
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int gai = getaddrinfo(r->host, r->service, &hints, &res);
	pthread_mutex_lock(&r->mu);
	r->gai = gai;
	r->res = gai == 0 ? res : NULL;
	r->done = true;
	pthread_mutex_unlock(&r->mu);
	tcp_resolve_release(r);
	return NULL;
}

/* Start resolving t's host in a detached thread (signals blocked there: they
 * stay the caller's).  false with the reason in err. */
static bool tcp_resolve_start(transport *t, char *err, size_t errlen)
{
	tcp_resolve *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", t->path);
		return false;
	}
	pthread_mutex_init(&r->mu, NULL);
	r->refs = 2;
	snprintf(r->host, sizeof r->host, "%s", t->host);
	snprintf(r->service, sizeof r->service, "%s", t->service);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_t th;
	int rc = pthread_create(&th, &attr, tcp_resolve_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		snprintf(err, errlen, "%s: cannot start the name resolution: %s", t->path, strerror(rc));
		pthread_mutex_destroy(&r->mu);
		free(r);
		return false;
	}
	t->resolving = r;
	return true;
}

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

/* Connect to the next address not tried yet: READER_OK when connected at
 * once, READER_ERR_DISCONNECTED while a connect() is in progress (t->fd
 * set, its deadline in t->connect_deadline_ms), else READER_ERR_OPEN with
 * the last address's failure in err (t closed). */
static reader_status tcp_try_next(transport *t, int64_t now_ms, char *err, size_t errlen)
{
	while (t->next_addr) {
		struct addrinfo *a = t->next_addr;
		t->next_addr = a->ai_next;
		int fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			snprintf(t->last_err, sizeof t->last_err, "socket: %s", strerror(errno));
			continue;
		}
		/* A device server that dies without a FIN is noticed within ~20 s. */
		int on = 1, idle = 10, intvl = 5, cnt = 2;
		setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
			t->fd = fd;
			t->connecting = false;
			freeaddrinfo(t->addrs);
			t->addrs = t->next_addr = NULL;
			return READER_OK;
		}
		if (errno == EINPROGRESS) {
			t->fd = fd;
			t->connect_deadline_ms = now_ms + TCP_CONNECT_TIMEOUT_MS;
			return READER_ERR_DISCONNECTED;
		}
		snprintf(t->last_err, sizeof t->last_err, "%s", strerror(errno));
		close(fd);
	}
	snprintf(err, errlen, "%s: %s", t->path, t->last_err[0] ? t->last_err : "no address");
	transport_close(t);
	return READER_ERR_OPEN;
}

/* Starts the name resolution; transport_poll_connect does the rest. */
static reader_status transport_tcp_connect(transport *t, int64_t now_ms, char *err, size_t errlen)
{
	if (!tcp_resolve_start(t, err, errlen))
		return READER_ERR_OPEN;
	t->last_err[0] = '\0';
	t->connecting = true;
	t->connect_deadline_ms = now_ms + TCP_RESOLVE_TIMEOUT_MS;
	snprintf(t->how, sizeof t->how, "%s", t->path);
	return READER_OK;
}

reader_status transport_poll_connect(transport *t, int64_t now_ms, char *err, size_t errlen)
{
	if (t->resolving) {
		tcp_resolve *r = t->resolving;
		pthread_mutex_lock(&r->mu);
		bool done = r->done;
		int gai = r->gai;
		if (done) {
			t->addrs = r->res;
			r->res = NULL;
		}
		pthread_mutex_unlock(&r->mu);
		if (!done) {
			if (now_ms < t->connect_deadline_ms)
				return READER_ERR_DISCONNECTED;
			snprintf(err, errlen, "%s: name resolution timed out", t->path);
			transport_close(t);
			return READER_ERR_OPEN;
		}
		t->resolving = NULL;
		tcp_resolve_release(r);
		if (gai != 0) {
			snprintf(err, errlen, "%s: %s", t->path, gai_strerror(gai));
			transport_close(t);
			return READER_ERR_OPEN;
		}
		t->next_addr = t->addrs;
		return tcp_try_next(t, now_ms, err, errlen);
	}
	struct pollfd p = { t->fd, POLLOUT, 0 };
	if (poll(&p, 1, 0) == 0) {
		if (now_ms < t->connect_deadline_ms)
			return READER_ERR_DISCONNECTED;
		snprintf(t->last_err, sizeof t->last_err, "connection timed out");
	} else {
		int soerr = 0;
		socklen_t sl = sizeof soerr;
		if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
			soerr = errno;
		if (soerr == 0) {
			t->connecting = false;
			freeaddrinfo(t->addrs);
			t->addrs = t->next_addr = NULL;
			return READER_OK;
		}
		snprintf(t->last_err, sizeof t->last_err, "%s", strerror(soerr));
	}
	close(t->fd); /* this address failed: the next one */
	t->fd = -1;
	return tcp_try_next(t, now_ms, err, errlen);
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
	if (t->resolving) /* the thread finishes on its own and frees what is left */
		tcp_resolve_release(t->resolving);
	t->resolving = NULL;
	if (t->addrs)
		freeaddrinfo(t->addrs);
	t->addrs = t->next_addr = NULL;
	if (t->lock_fd >= 0) /* after the port: its flock goes last */
		close(t->lock_fd);
	t->lock_fd = -1;
	t->connecting = false;
}
