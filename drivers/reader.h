/* reader.h — card readers: a transport (serial, termios, tcp://, sim) and a
 * frame decoder, behind one interface the event loop polls.  drivers/ knows
 * nothing of SQLite or curses, and nothing else of ours.
 *
 * Use: reader_open(); each loop turn poll reader_fd() for POLLIN with a
 * timeout no later than reader_next_deadline_ms(); then call reader_poll()
 * repeatedly until it returns 0, handling each event. */
#ifndef FC_READER_H
#define FC_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define READER_ID_MAX 80 /* canonical id: uppercase hex of at most 39 bytes, or a PAN */

typedef enum {
	READER_EV_CARD,         /* card_id (and renderings) is set */
	READER_EV_CONNECTED,    /* transport (re)connected */
	READER_EV_DISCONNECTED, /* lost; reconnecting from 250 ms doubling to 1 s */
	READER_EV_ERROR,        /* a dropped frame or bad check; message says what */
} reader_event_kind;

/* READER_EV_ERROR: why, so a screen can say it in its language (message keeps
 * the English detail for the log). */
typedef enum {
	READER_FAULT_NONE,
	READER_FAULT_NOT_CARD_ID, /* sim: a line or swipe that is not a card id */
	READER_FAULT_CHECK,       /* checksum / BCC mismatch */
	READER_FAULT_OVERLONG,    /* frame longer than the protocol allows */
	READER_FAULT_BAD_READ,    /* the reader could not read the card */
	READER_FAULT_LUHN,        /* card number fails the Luhn check */
	READER_FAULT_TIMEOUT,     /* partial frame dropped after the inter-byte gap */
} reader_fault;

typedef struct reader_event {
	reader_event_kind kind;
	reader_fault fault;            /* READER_EV_ERROR: why */
	unsigned long line_no;         /* READER_FAULT_NOT_CARD_ID from sim:FILE: its line, else 0 */
	char card_id[READER_ID_MAX];   /* canonical id (READER_EV_CARD) */
	char render_8h10d[16];         /* last 4 bytes as 10 digits, "" if n/a */
	char render_w26[16];           /* "008,27885", "" if n/a */
	char message[160];             /* human text for the log / status bar */
} reader_event;

typedef struct reader_options {
	const char *port;     /* "/dev/ttyUSB0", "tcp://host:port", "sim", "sim:FILE" */
	const char *protocol; /* "em4100", "line", "track2", "stx-bcc" */
	int baud;             /* 9600 */
	int gap_ms;           /* inter-byte timeout that drops a partial frame */
	int debounce_ms;      /* same id within this sliding window is one swipe */
	bool luhn;            /* track2: require a valid Luhn digit */
} reader_options;

typedef struct reader_counters {
	unsigned long frames_ok, bad_checks, resyncs, timeouts, debounced;
} reader_counters;

typedef struct reader reader;

/* Open a reader; the transport connects lazily, so a missing device is not
 * an error here (it is reported as DISCONNECTED and retried).  Returns 0, or
 * -1 with a message in errbuf for a bad port syntax or protocol name. */
int reader_open(reader **out, const reader_options *opt, char *errbuf, size_t errlen);

/* The fd to poll for POLLIN, or -1 while disconnected (and for plain sim). */
int reader_fd(const reader *r);

/* Monotonic ms of the next time reader_poll must run even without input
 * (inter-byte gap, reconnect attempt), or -1 when none. */
int64_t reader_next_deadline_ms(const reader *r);

/* Read what is available (never blocks), run timers due at now_ms
 * (clock_mono-style ms), and return 1 with *ev filled when an event is
 * ready, 0 when nothing more is pending. */
int reader_poll(reader *r, int64_t now_ms, reader_event *ev);

/* Simulated reader only: queue a swipe of card_id (the demo's F2). */
void reader_sim_swipe(reader *r, const char *card_id);

/* true for the sim transport. */
bool reader_is_sim(const reader *r);

/* true while the transport is connected. */
bool reader_connected(const reader *r);

/* Counters since open. */
reader_counters reader_get_counters(const reader *r);

/* Close and free; NULL is fine. */
void reader_close(reader *r);

#endif
