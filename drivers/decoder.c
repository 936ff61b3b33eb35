/* decoder.c — the protocol-independent part of the frame decoders: candidate
 * buffer, rescan after a resync, inter-byte gap, debounce, renderings. */
#include "drivers/decoder.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* A timed-out partial frame shorter than this is counted but not reported:
 * a lone start byte from line noise is not worth "please swipe again". */
#define DECODER_REPORT_TIMEOUT_MIN 4

static const decoder_protocol *const decoder_protocols[] = {
	&decoder_em4100, &decoder_line, &decoder_track2, &decoder_stx_bcc,
};

const decoder_protocol *decoder_find_protocol(const char *name)
{
	for (size_t i = 0; name && i < sizeof decoder_protocols / sizeof decoder_protocols[0]; i++)
		if (strcmp(decoder_protocols[i]->name, name) == 0)
			return decoder_protocols[i];
	return NULL;
}

const char *decoder_protocol_names(void)
{
	return "em4100, line, track2, stx-bcc";
}

reader_status decoder_init(decoder *d, const char *name, int gap_ms, int debounce_ms, bool luhn)
{
	memset(d, 0, sizeof *d);
	d->proto = decoder_find_protocol(name);
	if (!d->proto)
		return READER_ERR_PROTOCOL;
	d->gap_ms = gap_ms > 0 ? gap_ms : 100;
	d->debounce_ms = debounce_ms >= 0 ? debounce_ms : 1500;
	d->luhn = luhn;
	return READER_OK;
}

void decoder_reset(decoder *d)
{
	d->cand_len = 0;
	d->replay_len = d->replay_pos = 0;
	d->skipping = false;
	d->hunting = false;
}

/* Put cand[from..cand_len) in front of the bytes still to replay. */
static void decoder_requeue(decoder *d, size_t from)
{
	uint8_t tmp[DECODER_FRAME_MAX];
	size_t n = 0;
	for (size_t i = from; i < d->cand_len && n < sizeof tmp; i++)
		tmp[n++] = d->cand[i];
	for (size_t i = d->replay_pos; i < d->replay_len && n < sizeof tmp; i++)
		tmp[n++] = d->replay[i];
	memcpy(d->replay, tmp, n);
	d->replay_len = n;
	d->replay_pos = 0;
	d->cand_len = 0;
}

static const char *decoder_error_text(decode_error e)
{
	switch (e) {
	case DECODE_ERR_CHECK: return "bad checksum, frame dropped";
	case DECODE_ERR_OVERLONG: return "frame too long, dropped";
	case DECODE_ERR_BAD_READ: return "the reader could not read the card";
	case DECODE_ERR_LUHN: return "card number fails the Luhn check";
	case DECODE_ERR_TIMEOUT: return "incomplete frame dropped";
	case DECODE_ERR_NONE: break;
	}
	return "error";
}

static decode_result decoder_fail(decoder *d, decode_error e, decoder_output *out)
{
	memset(out, 0, sizeof *out);
	out->error = e;
	snprintf(out->message, sizeof out->message, "%s: %s (at byte %" PRIu64 " of the stream)",
		 d->proto->name, decoder_error_text(e), d->bytes_seen);
	return DECODE_ERROR;
}

/* A checked frame: render it, then debounce (sliding window). */
static decode_result decoder_accept(decoder *d, const parse_outcome *po, decoder_output *out)
{
	memset(out, 0, sizeof *out);
	if (po->is_text)
		decoder_render_text(po->text, d->proto == &decoder_track2, out);
	else
		decoder_render_bytes(po->id, po->id_len, out);
	d->counters.frames_ok++;
	bool same = d->last_id[0] && strcmp(d->last_id, out->card_id) == 0;
	if (same && d->debounce_ms > 0 && d->now_ms - d->last_id_ms < d->debounce_ms) {
		d->last_id_ms = d->now_ms;
		d->counters.debounced++;
		return DECODE_NEED_MORE;
	}
	snprintf(d->last_id, sizeof d->last_id, "%s", out->card_id);
	d->last_id_ms = d->now_ms;
	return DECODE_FRAME;
}

/* Run one byte through the state machine. */
static decode_result decoder_take(decoder *d, uint8_t b, decoder_output *out)
{
	const decoder_protocol *p = d->proto;
	if (d->skipping) {
		if (p->is_end(b)) {
			d->skipping = false;
			return DECODE_NEED_MORE;
		}
		if (!p->is_restart(b))
			return DECODE_NEED_MORE;
		d->skipping = false;
	}
	if (d->cand_len == 0) {
		if (!p->is_start(b)) {
			if (!p->is_filler(b) && !d->hunting) {
				d->hunting = true;
				d->counters.resyncs++;
			}
			return DECODE_NEED_MORE;
		}
		d->hunting = false;
	}
	d->cand[d->cand_len++] = b;
	parse_outcome po;
	memset(&po, 0, sizeof po);
	p->parse(d->cand, d->cand_len, d->luhn, &po);
	if (po.verdict == PARSE_MORE && d->cand_len >= p->max_len)
		po.verdict = PARSE_RESYNC; /* a parser bug must not overrun cand */
	switch (po.verdict) {
	case PARSE_MORE:
		return DECODE_NEED_MORE;
	case PARSE_FRAME:
		d->cand_len = 0;
		return decoder_accept(d, &po, out);
	case PARSE_RESYNC:
		d->counters.resyncs++;
		decoder_requeue(d, 1);
		d->hunting = true;
		return DECODE_NEED_MORE;
	case PARSE_DISCARD:
		d->counters.resyncs++;
		d->cand_len = 0;
		d->skipping = !p->is_end(b);
		return DECODE_NEED_MORE;
	case PARSE_REJECT:
		if (po.error == DECODE_ERR_OVERLONG)
			d->counters.resyncs++;
		else
			d->counters.bad_checks++;
		if (po.skip_to_end) {
			d->cand_len = 0;
			d->skipping = !p->is_end(b);
		} else {
			decoder_requeue(d, 1);
			d->hunting = true;
		}
		return decoder_fail(d, po.error, out);
	}
	return DECODE_NEED_MORE;
}

decode_result decoder_tick(decoder *d, int64_t now_ms, decoder_output *out)
{
	if (d->cand_len == 0 && !d->skipping && d->replay_pos >= d->replay_len)
		return DECODE_NEED_MORE;
	if (now_ms - d->last_byte_ms < d->gap_ms)
		return DECODE_NEED_MORE;
	size_t partial = d->cand_len;
	decoder_reset(d);
	if (partial == 0)
		return DECODE_NEED_MORE; /* a skip ends with a gap too */
	d->counters.timeouts++;
	if (d->proto->skip_after_timeout) {
		/* Discard the rest of this line if it comes within another gap. */
		d->skipping = true;
		d->last_byte_ms = now_ms;
	}
	if (partial < DECODER_REPORT_TIMEOUT_MIN)
		return DECODE_NEED_MORE;
	return decoder_fail(d, DECODE_ERR_TIMEOUT, out);
}

int64_t decoder_deadline_ms(const decoder *d)
{
	if (d->cand_len == 0 && !d->skipping)
		return -1;
	return d->last_byte_ms + d->gap_ms;
}

decode_result decoder_feed(decoder *d, const uint8_t *buf, size_t len, size_t *used,
			   int64_t now_ms, decoder_output *out)
{
	*used = 0;
	/* Bytes already received come first: they are older than buf. */
	while (d->replay_pos < d->replay_len) {
		uint8_t b = d->replay[d->replay_pos++];
		decode_result r = decoder_take(d, b, out);
		if (r != DECODE_NEED_MORE)
			return r;
	}
	d->replay_len = d->replay_pos = 0;
	while (*used < len) {
		if ((d->cand_len > 0 || d->skipping) && now_ms - d->last_byte_ms >= d->gap_ms) {
			decode_result r = decoder_tick(d, now_ms, out);
			if (r != DECODE_NEED_MORE)
				return r;
		}
		uint8_t b = buf[(*used)++];
		d->bytes_seen++;
		d->last_byte_ms = d->now_ms = now_ms;
		decode_result r = decoder_take(d, b, out);
		if (r != DECODE_NEED_MORE)
			return r;
		/* A resync may have queued bytes to rescan before the next one. */
		while (d->replay_pos < d->replay_len) {
			r = decoder_take(d, d->replay[d->replay_pos++], out);
			if (r != DECODE_NEED_MORE)
				return r;
		}
		d->replay_len = d->replay_pos = 0;
	}
	return DECODE_NEED_MORE;
}

/* 8H10D and W26 of the last 4 / 3 bytes of an id. */
static void decoder_render_tail(const uint8_t *id, size_t len, decoder_output *out)
{
	if (len >= 4) {
		uint32_t v = (uint32_t)id[len - 4] << 24 | (uint32_t)id[len - 3] << 16 |
			     (uint32_t)id[len - 2] << 8 | id[len - 1];
		snprintf(out->render_8h10d, sizeof out->render_8h10d, "%010" PRIu32, v);
	}
	if (len >= 3)
		snprintf(out->render_w26, sizeof out->render_w26, "%03u,%05u", (unsigned)id[len - 3],
			 (unsigned)id[len - 2] << 8 | id[len - 1]);
}

void decoder_render_bytes(const uint8_t *id, size_t len, decoder_output *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	for (size_t i = 0; i < len && n + 2 < sizeof out->card_id; i++) {
		out->card_id[n++] = hex[id[i] >> 4];
		out->card_id[n++] = hex[id[i] & 15];
	}
	out->card_id[n] = '\0';
	out->render_8h10d[0] = out->render_w26[0] = '\0';
	decoder_render_tail(id, len, out);
}

void decoder_render_text(const char *text, bool is_pan, decoder_output *out)
{
	size_t n = 0, decimal = 0;
	for (; text[n] && n + 1 < sizeof out->card_id; n++) {
		out->card_id[n] = (char)toupper((unsigned char)text[n]);
		decimal += isdigit((unsigned char)text[n]) != 0;
	}
	out->card_id[n] = '\0';
	out->render_8h10d[0] = out->render_w26[0] = '\0';
	if (is_pan || n == 0)
		return;
	if (decimal == n) {
		uint64_t v = 0;
		for (size_t i = 0; i < n && v <= UINT32_MAX; i++)
			v = v * 10 + (uint64_t)(text[i] - '0');
		if (n > 10 || v > UINT32_MAX)
			return;
		uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
		decoder_render_tail(b, 4, out);
		return;
	}
	if (n % 2)
		return;
	uint8_t bytes[READER_ID_MAX / 2];
	for (size_t i = 0; i < n / 2; i++) {
		char pair[3] = { text[2 * i], text[2 * i + 1], 0 };
		bytes[i] = (uint8_t)strtoul(pair, NULL, 16);
	}
	decoder_render_tail(bytes, n / 2, out);
}
