/* reader.c — a card reader: transport + decoder behind reader.h, with the
 * reconnect schedule (250 ms doubling to 1 s), sim swipes and an event queue. */
#include "drivers/reader.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/decoder.h"
#include "drivers/transport.h"

#define READER_BACKOFF_FIRST_MS 250
#define READER_BACKOFF_MAX_MS 1000
#define READER_QUEUE 8
#define READER_SIM_QUEUE 16
#define READER_READS_PER_TURN 16 /* a flood of bytes must not starve the UI */
#define READER_TCP_CONNECT_TICK_MS 20

struct reader {
	transport tp;
	decoder dec;
	bool connected;
	bool down_reported;  /* DISCONNECTED already told for this outage */
	bool sim_file_done;  /* sim:FILE regular file read to its end */
	int64_t next_attempt_ms;
	int backoff_ms;
	int reads_this_turn;
	reader_event queue[READER_QUEUE];
	size_t q_head, q_len;
	char sim[READER_SIM_QUEUE][READER_ID_MAX];
	size_t sim_head, sim_len;
	char line[READER_ID_MAX + 2]; /* sim:FILE: the line being read */
	size_t line_len;
	bool line_overlong;
	unsigned long line_no;
	unsigned long sim_frames;
	uint8_t rx[256];
	size_t rx_len, rx_off;
};

int reader_open(reader **out, const reader_options *opt, char *errbuf, size_t errlen)
{
	*out = NULL;
	reader *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(errbuf, errlen, "%s", reader_strerror(READER_ERR_NOMEM));
		return -1;
	}
	const char *proto = opt->protocol && *opt->protocol ? opt->protocol : "em4100";
	if (decoder_init(&r->dec, proto, opt->gap_ms, opt->debounce_ms, opt->luhn) != READER_OK) {
		snprintf(errbuf, errlen, "unknown protocol '%s' (known: %s)", proto, decoder_protocol_names());
		free(r);
		return -1;
	}
	if (transport_init(&r->tp, opt->port, opt->baud, errbuf, errlen) != READER_OK) {
		free(r);
		return -1;
	}
	r->backoff_ms = READER_BACKOFF_FIRST_MS;
	r->next_attempt_ms = 0; /* lazily, at the first poll, whatever the clock */
	r->connected = r->tp.kind == TRANSPORT_SIM;
	*out = r;
	return 0;
}

int reader_fd(const reader *r)
{
	if (!r || !r->connected || r->tp.connecting)
		return -1;
	return r->tp.fd;
}

int64_t reader_next_deadline_ms(const reader *r)
{
	if (!r)
		return -1;
	if (r->q_len || r->sim_len || r->rx_off < r->rx_len)
		return 0; /* work pending: poll now */
	if (r->tp.connecting)
		return r->next_attempt_ms;
	if (!r->connected)
		return r->next_attempt_ms;
	return decoder_deadline_ms(&r->dec);
}

static reader_fault reader_fault_of(decode_error e)
{
	switch (e) {
	case DECODE_ERR_CHECK: return READER_FAULT_CHECK;
	case DECODE_ERR_OVERLONG: return READER_FAULT_OVERLONG;
	case DECODE_ERR_BAD_READ: return READER_FAULT_BAD_READ;
	case DECODE_ERR_LUHN: return READER_FAULT_LUHN;
	case DECODE_ERR_TIMEOUT: return READER_FAULT_TIMEOUT;
	case DECODE_ERR_NONE: break;
	}
	return READER_FAULT_NONE;
}

static reader_event *reader_push(reader *r, reader_event_kind kind)
{
	if (r->q_len == READER_QUEUE) { /* full: the oldest goes */
		r->q_head = (r->q_head + 1) % READER_QUEUE;
		r->q_len--;
	}
	reader_event *ev = &r->queue[(r->q_head + r->q_len++) % READER_QUEUE];
	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
	return ev;
}

static void reader_push_card(reader *r, const decoder_output *o)
{
	reader_event *ev = reader_push(r, READER_EV_CARD);
	snprintf(ev->card_id, sizeof ev->card_id, "%s", o->card_id);
	snprintf(ev->render_8h10d, sizeof ev->render_8h10d, "%s", o->render_8h10d);
	snprintf(ev->render_w26, sizeof ev->render_w26, "%s", o->render_w26);
	/* Logs never carry full card numbers: the message shows the last 4. */
	size_t n = strlen(o->card_id);
	snprintf(ev->message, sizeof ev->message, "card read (...%s)", o->card_id + (n > 4 ? n - 4 : 0));
}

void reader_sim_swipe(reader *r, const char *card_id)
{
	if (!r || !card_id || (r->tp.kind != TRANSPORT_SIM && r->tp.kind != TRANSPORT_SIM_FILE))
		return;
	if (r->sim_len == READER_SIM_QUEUE)
		return;
	snprintf(r->sim[(r->sim_head + r->sim_len++) % READER_SIM_QUEUE], READER_ID_MAX, "%s", card_id);
}

bool reader_is_sim(const reader *r)
{
	return r && (r->tp.kind == TRANSPORT_SIM || r->tp.kind == TRANSPORT_SIM_FILE);
}

bool reader_connected(const reader *r)
{
	return r && r->connected && !r->tp.connecting;
}

reader_counters reader_get_counters(const reader *r)
{
	reader_counters c = r->dec.counters;
	c.frames_ok += r->sim_frames;
	return c;
}

void reader_close(reader *r)
{
	if (!r)
		return;
	transport_close(&r->tp);
	free(r);
}

/* A sim card id: letters and digits only, as a card's printed id. */
static void reader_sim_card(reader *r, const char *id, unsigned long line_no)
{
	size_t n = strlen(id);
	bool ok = n > 0 && n < READER_ID_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)id[i]) != 0;
	if (!ok) {
		reader_event *ev = reader_push(r, READER_EV_ERROR);
		ev->fault = READER_FAULT_NOT_CARD_ID;
		ev->line_no = line_no;
		if (line_no)
			snprintf(ev->message, sizeof ev->message, "%.100s:%lu: not a card id",
				 r->tp.path, line_no);
		else
			snprintf(ev->message, sizeof ev->message, "simulated swipe: not a card id");
		return;
	}
	decoder_output o;
	memset(&o, 0, sizeof o);
	decoder_render_text(id, false, &o);
	r->sim_frames++;
	reader_push_card(r, &o);
}

/* sim:FILE bytes: lines of card ids; blank lines and '#' comments skipped. */
static void reader_sim_bytes(reader *r, const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = (char)buf[i];
		if (c != '\n') {
			if (r->line_len + 1 < sizeof r->line)
				r->line[r->line_len++] = c;
			else
				r->line_overlong = true;
			continue;
		}
		r->line_no++;
		r->line[r->line_len] = '\0';
		char *s = r->line, *e = r->line + r->line_len;
		while (*s && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (r->line_overlong)
			*s = '!'; /* reported as not a card id */
		if (*s && *s != '#')
			reader_sim_card(r, s, r->line_no);
		r->line_len = 0;
		r->line_overlong = false;
	}
}

static void reader_schedule_retry(reader *r, int64_t now_ms)
{
	r->next_attempt_ms = now_ms + r->backoff_ms;
	r->backoff_ms = r->backoff_ms * 2 > READER_BACKOFF_MAX_MS ? READER_BACKOFF_MAX_MS : r->backoff_ms * 2;
}

static void reader_lost(reader *r, int64_t now_ms, const char *why)
{
	transport_close(&r->tp);
	decoder_reset(&r->dec); /* a partial frame must not join the next one */
	r->rx_len = r->rx_off = 0;
	r->line_len = 0;
	r->connected = false;
	r->backoff_ms = READER_BACKOFF_FIRST_MS;
	reader_schedule_retry(r, now_ms);
	if (!r->down_reported) {
		reader_event *ev = reader_push(r, READER_EV_DISCONNECTED);
		snprintf(ev->message, sizeof ev->message, "reader disconnected: %.130s", why);
		r->down_reported = true;
	}
}

static void reader_up(reader *r)
{
	r->connected = true;
	r->down_reported = false;
	r->backoff_ms = READER_BACKOFF_FIRST_MS;
	reader_event *ev = reader_push(r, READER_EV_CONNECTED);
	snprintf(ev->message, sizeof ev->message, "reader connected: %.130s", r->tp.how);
}

/* Connection attempts and tcp's background connect; true if progress. */
static bool reader_step_connect(reader *r, int64_t now_ms)
{
	char err[200] = "";
	if (r->tp.connecting) {
		if (now_ms < r->next_attempt_ms)
			return false;
		reader_status st = transport_poll_connect(&r->tp, now_ms, err, sizeof err);
		if (st == READER_OK) {
			reader_up(r);
			return true;
		}
		if (st == READER_ERR_DISCONNECTED) {
			r->next_attempt_ms = now_ms + READER_TCP_CONNECT_TICK_MS;
			return false;
		}
	} else {
		if (now_ms < r->next_attempt_ms)
			return false;
		reader_status st = transport_connect(&r->tp, now_ms, err, sizeof err);
		if (st == READER_OK && r->tp.connecting) {
			r->connected = true; /* reported when the connect completes */
			r->next_attempt_ms = now_ms + READER_TCP_CONNECT_TICK_MS;
			return true;
		}
		if (st == READER_OK) {
			reader_up(r);
			return true;
		}
	}
	r->connected = false;
	reader_schedule_retry(r, now_ms);
	if (!r->down_reported) {
		reader_event *ev = reader_push(r, READER_EV_DISCONNECTED);
		snprintf(ev->message, sizeof ev->message, "reader disconnected: %.130s", err);
		r->down_reported = true;
		return true;
	}
	return false;
}

/* Run the decoder over buffered bytes; true if it produced an event. */
static bool reader_step_decode(reader *r, int64_t now_ms)
{
	decoder_output o;
	for (;;) {
		size_t used = 0;
		decode_result res = decoder_feed(&r->dec, r->rx + r->rx_off, r->rx_len - r->rx_off, &used,
						 now_ms, &o);
		r->rx_off += used;
		if (res == DECODE_NEED_MORE) {
			r->rx_len = r->rx_off = 0;
			return false;
		}
		if (res == DECODE_FRAME) {
			reader_push_card(r, &o);
			return true;
		}
		reader_event *ev = reader_push(r, READER_EV_ERROR);
		ev->fault = reader_fault_of(o.error);
		snprintf(ev->message, sizeof ev->message, "%s", o.message);
		return true;
	}
}

/* One unit of work; true if it may have queued an event (call again). */
static bool reader_step(reader *r, int64_t now_ms)
{
	if (r->sim_len) {
		char id[READER_ID_MAX];
		snprintf(id, sizeof id, "%s", r->sim[r->sim_head]);
		r->sim_head = (r->sim_head + 1) % READER_SIM_QUEUE;
		r->sim_len--;
		reader_sim_card(r, id, 0);
		return true;
	}
	if (r->tp.kind == TRANSPORT_SIM || r->sim_file_done)
		return false;
	if (!r->connected || r->tp.connecting)
		return reader_step_connect(r, now_ms);
	if (r->rx_off < r->rx_len || r->dec.replay_pos < r->dec.replay_len)
		if (reader_step_decode(r, now_ms))
			return true;
	if (r->reads_this_turn >= READER_READS_PER_TURN)
		return false;
	char err[200] = "";
	uint8_t buf[sizeof r->rx];
	ssize_t n = transport_read(&r->tp, buf, sizeof buf, err, sizeof err);
	if (n == -2) { /* sim:FILE read to the end */
		reader_sim_bytes(r, (const uint8_t *)"\n", r->line_len ? 1 : 0);
		transport_close(&r->tp);
		r->sim_file_done = true;
		return true;
	}
	if (n < 0) {
		reader_lost(r, now_ms, err);
		return true;
	}
	if (n > 0) {
		r->reads_this_turn++;
		if (r->tp.kind == TRANSPORT_SIM_FILE) {
			reader_sim_bytes(r, buf, (size_t)n);
			return true;
		}
		memcpy(r->rx, buf, (size_t)n);
		r->rx_len = (size_t)n;
		r->rx_off = 0;
		return true;
	}
	decoder_output o;
	if (decoder_tick(&r->dec, now_ms, &o) == DECODE_ERROR) {
		reader_event *ev = reader_push(r, READER_EV_ERROR);
		ev->fault = reader_fault_of(o.error);
		snprintf(ev->message, sizeof ev->message, "%s", o.message);
		return true;
	}
	return false;
}

int reader_poll(reader *r, int64_t now_ms, reader_event *ev)
{
	if (!r)
		return 0;
	for (;;) {
		if (r->q_len) {
			*ev = r->queue[r->q_head];
			r->q_head = (r->q_head + 1) % READER_QUEUE;
			r->q_len--;
			return 1;
		}
		if (!reader_step(r, now_ms)) {
			r->reads_this_turn = 0;
			return 0;
		}
	}
}
