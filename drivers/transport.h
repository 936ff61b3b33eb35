/* transport.h — the byte pipes under a card reader: serial ports (through
 * libserialport, or termios for ptys it refuses), tcp:// and sim files. */
#ifndef FC_TRANSPORT_H
#define FC_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "drivers/reader_status.h"

struct sp_port;
struct addrinfo;
struct tcp_resolve;

typedef enum {
	TRANSPORT_SIM,      /* "sim": swipes come from reader_sim_swipe only */
	TRANSPORT_SIM_FILE, /* "sim:FILE": card ids, one a line, from a file or fifo */
	TRANSPORT_SERIAL,   /* a device path */
	TRANSPORT_TCP,      /* "tcp://host:port" */
} transport_kind;

typedef struct transport {
	transport_kind kind;
	char path[256];      /* device or file path; "host:port" for tcp */
	char host[256];      /* tcp */
	char service[16];    /* tcp port */
	int baud;
	int fd;              /* -1 while closed */
	bool connecting;     /* tcp: name resolution or connect() in progress */
	struct tcp_resolve *resolving; /* tcp: the name being resolved in a thread */
	struct addrinfo *addrs;        /* tcp: the resolved addresses */
	struct addrinfo *next_addr;    /* tcp: the next one to try, NULL = none left */
	char last_err[160];            /* tcp: why the last address failed */
	int64_t connect_deadline_ms;
	struct sp_port *sp;  /* set when libserialport opened the port */
	int lock_fd;         /* serial via libserialport: the flock'd fd, -1 = none */
	char how[400];       /* how it is connected, for the "connected" message */
} transport;

/* Parse port ("sim", "sim:FILE", "tcp://host:port", or a device path) into t
 * (closed).  READER_ERR_PORT with the reason in err for a bad syntax. */
reader_status transport_init(transport *t, const char *port, int baud, char *err, size_t errlen);

/* Try to connect once, never blocking for long (tcp resolves the name in a
 * thread and connects to each address in turn in the background: see
 * transport_poll_connect).  READER_OK sets t->fd; otherwise
 * the reason is in err and t stays closed. */
reader_status transport_connect(transport *t, int64_t now_ms, char *err, size_t errlen);

/* tcp only, while t->connecting: READER_OK once connected (t->connecting
 * false), READER_ERR_DISCONNECTED while still trying, else the failure
 * (t closed, reason in err). */
reader_status transport_poll_connect(transport *t, int64_t now_ms, char *err, size_t errlen);

/* Read what is there without blocking: > 0 bytes, 0 nothing yet, -1 lost
 * (hang-up, error, end of stream; reason in err), -2 end of a sim:FILE
 * regular file (all its ids were read). */
ssize_t transport_read(transport *t, uint8_t *buf, size_t len, char *err, size_t errlen);

/* Serial ports (transport_serial.c): libserialport after realpath(), or
 * termios when libserialport refuses the device (ptys); t->how says which. */
reader_status transport_serial_connect(transport *t, char *err, size_t errlen);

/* Close (and unlock) the port; t can connect again.  Idempotent. */
void transport_close(transport *t);

#endif
