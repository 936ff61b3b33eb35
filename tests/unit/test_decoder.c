/* test_decoder.c — the frame decoders of drivers/decoder.h: the issue's
 * vectors, garbage, restarts, overlong and bad frames, gaps, debounce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "drivers/decoder.h"

/* Everything a decoder said about a run of input. */
typedef struct run {
	char ids[8][READER_ID_MAX];
	decoder_output last; /* the last frame */
	int frames;
	decode_error errors[8];
	int nerrors;
} run;

/* Feed len bytes at now_ms and collect every result. */
static void feed(decoder *d, const void *bytes, size_t len, int64_t now_ms, run *out)
{
	const uint8_t *p = bytes;
	size_t off = 0;
	for (;;) {
		size_t used = 0;
		decoder_output o;
		decode_result r = decoder_feed(d, p + off, len - off, &used, now_ms, &o);
		off += used;
		if (r == DECODE_NEED_MORE)
			break;
		if (r == DECODE_FRAME) {
			if (out->frames < 8)
				snprintf(out->ids[out->frames], READER_ID_MAX, "%s", o.card_id);
			out->frames++;
			out->last = o;
		} else {
			assert_true(o.message[0] != '\0');
			if (out->nerrors < 8)
				out->errors[out->nerrors] = o.error;
			out->nerrors++;
		}
	}
	assert_int_equal(off, len);
}

static void feed_str(decoder *d, const char *s, int64_t now_ms, run *out)
{
	feed(d, s, strlen(s), now_ms, out);
}

static decoder make(const char *proto, bool luhn)
{
	decoder d;
	assert_int_equal(decoder_init(&d, proto, 100, 1500, luhn), READER_OK);
	return d;
}

#define EM_VECTOR "\x02" "62E3086CED" "08" "\x03"
static const uint8_t STX_BCC_VECTOR[] = { 0x02, 0x0A, 0x02, 0x06, 0x00, 0x8E, 0x6D, 0x5D, 0xB0, 0x03 };

static void test_unknown_protocol(void **state)
{
	(void)state;
	decoder d;
	assert_int_equal(decoder_init(&d, "wiegand", 100, 1500, false), READER_ERR_PROTOCOL);
	assert_null(decoder_find_protocol(NULL));
	assert_string_equal(reader_strerror(READER_ERR_PROTOCOL), "unknown reader protocol");
}

static void test_em4100_vector(void **state)
{
	(void)state;
	decoder d = make("em4100", false);
	run r = { 0 };
	feed_str(&d, EM_VECTOR, 0, &r);
	assert_int_equal(r.frames, 1);
	assert_string_equal(r.last.card_id, "62E3086CED");
	assert_string_equal(r.last.render_8h10d, "3808980205");
	assert_string_equal(r.last.render_w26, "008,27885");
	assert_int_equal(d.counters.frames_ok, 1);
}

static void test_em4100_byte_at_a_time_crlf(void **state)
{
	(void)state;
	decoder d = make("em4100", false);
	run r = { 0 };
	const char *f = "\x02" "62e3086ced08" "\r\n\x03"; /* lower case too */
	for (size_t i = 0; f[i]; i++)
		feed(&d, f + i, 1, (int64_t)i, &r);
	assert_int_equal(r.frames, 1);
	assert_string_equal(r.ids[0], "62E3086CED");
}

static void test_em4100_leading_garbage_and_restart(void **state)
{
	(void)state;
	decoder d = make("em4100", false);
	run r = { 0 };
	feed_str(&d, "zz\x03\xff" "12" "\x02" "62E3" EM_VECTOR, 0, &r);
	assert_int_equal(r.frames, 1);
	assert_string_equal(r.ids[0], "62E3086CED");
	assert_int_equal(r.nerrors, 0);
	assert_true(d.counters.resyncs >= 2); /* the garbage, the restart */
}

static void test_em4100_overlong(void **state)
{
	(void)state;
	decoder d = make("em4100", false);
	run r = { 0 };
	feed_str(&d, "\x02" "62E3086CED08" "62E3086CED08" "\x03", 0, &r);
	assert_int_equal(r.frames, 0);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.errors[0], DECODE_ERR_OVERLONG);
	feed_str(&d, EM_VECTOR, 10, &r); /* the next good frame still reads */
	assert_int_equal(r.frames, 1);
}

static void test_em4100_bad_checksum(void **state)
{
	(void)state;
	decoder d = make("em4100", false);
	run r = { 0 };
	feed_str(&d, "\x02" "62E3086CED09" "\x03", 0, &r);
	assert_int_equal(r.frames, 0);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.errors[0], DECODE_ERR_CHECK);
	assert_int_equal(d.counters.bad_checks, 1);
	assert_int_equal(d.counters.frames_ok, 0);
	feed_str(&d, "xx\x02" "62E3086CED09" "\x03", 10, &r);
	decoder_output o;
	memset(&o, 0, sizeof o);
	size_t used;
	feed_str(&d, "\x02" "0000000000" "01", 20, &r);
	assert_int_equal(decoder_feed(&d, (const uint8_t *)"\x03", 1, &used, 20, &o), DECODE_ERROR);
	assert_string_equal(o.message, "em4100: bad checksum, frame dropped (at byte 44 of the stream)");
}

static void test_em4100_gap_drops_partial(void **state)
{
	(void)state;
	decoder d = make("em4100", false);
	run r = { 0 };
	feed_str(&d, "\x02" "62E308", 0, &r);
	assert_int_equal(decoder_deadline_ms(&d), 100);
	/* the rest arrives 100 ms later: the two halves must not join */
	feed_str(&d, "6CED08\x03", 100, &r);
	assert_int_equal(r.frames, 0);
	assert_int_equal(d.counters.timeouts, 1);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.errors[0], DECODE_ERR_TIMEOUT);
	feed_str(&d, EM_VECTOR, 150, &r);
	assert_int_equal(r.frames, 1);
	/* a partial frame with no more input: decoder_tick drops it on time */
	feed_str(&d, "\x02" "62E3086C", 1000, &r);
	decoder_output o;
	assert_int_equal(decoder_tick(&d, 1099, &o), DECODE_NEED_MORE);
	assert_int_equal(decoder_tick(&d, 1100, &o), DECODE_ERROR);
	assert_int_equal(o.error, DECODE_ERR_TIMEOUT);
	assert_int_equal(decoder_deadline_ms(&d), -1);
	assert_int_equal(d.counters.timeouts, 2);
}

static void test_em4100_slow_bytes_within_gap(void **state)
{
	(void)state;
	decoder d = make("em4100", false);
	run r = { 0 };
	const char *f = EM_VECTOR;
	for (size_t i = 0; f[i]; i++)
		feed(&d, f + i, 1, (int64_t)i * 99, &r);
	assert_int_equal(r.frames, 1);
}

static void test_debounce_sliding_window(void **state)
{
	(void)state;
	decoder d = make("em4100", false);
	run r = { 0 };
	feed_str(&d, EM_VECTOR, 0, &r);
	feed_str(&d, EM_VECTOR, 1000, &r);
	feed_str(&d, EM_VECTOR, 2400, &r); /* 1.4 s after the last repeat */
	assert_int_equal(r.frames, 1);
	assert_int_equal(d.counters.debounced, 2);
	/* a different card passes at once, and then the first one again */
	feed_str(&d, "\x02" "0102030405" "01" "\x03", 2500, &r);
	feed_str(&d, EM_VECTOR, 2600, &r);
	assert_int_equal(r.frames, 3);
	assert_string_equal(r.ids[1], "0102030405");
	feed_str(&d, EM_VECTOR, 4200, &r); /* 1.6 s after: a new swipe */
	assert_int_equal(r.frames, 4);
}

static void test_line(void **state)
{
	(void)state;
	decoder d = make("line", false);
	run r = { 0 };
	feed_str(&d, "3808980205\r\n", 0, &r);
	assert_int_equal(r.frames, 1);
	assert_string_equal(r.last.card_id, "3808980205");
	assert_string_equal(r.last.render_8h10d, "3808980205");
	assert_string_equal(r.last.render_w26, "008,27885");
	feed_str(&d, "\x02" "62e3086ced\r", 2000, &r); /* STX, hex, CR only */
	assert_int_equal(r.frames, 2);
	assert_string_equal(r.last.card_id, "62E3086CED");
	assert_string_equal(r.last.render_8h10d, "3808980205");
	feed_str(&d, "12345678\n", 4000, &r);
	assert_int_equal(r.frames, 3);
	assert_string_equal(r.last.card_id, "12345678");
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(d.counters.resyncs, 0); /* CR LF, LF are no garbage */
}

static void test_line_gap(void **state)
{
	(void)state;
	decoder d = make("line", false);
	run r = { 0 };
	/* the late rest of a line is not a card of its own ... */
	feed_str(&d, "3808", 0, &r);
	feed_str(&d, "980205\r\n", 150, &r);
	assert_int_equal(r.frames, 0);
	assert_int_equal(d.counters.timeouts, 1);
	/* ... also when the reader's timer dropped the partial first */
	feed_str(&d, "1234", 1000, &r);
	decoder_output o;
	(void)decoder_tick(&d, 1100, &o);
	feed_str(&d, "5678\r\n", 1150, &r);
	assert_int_equal(r.frames, 0);
	assert_int_equal(d.counters.timeouts, 2);
	/* the next swipe reads */
	feed_str(&d, "3808980205\r\n", 3000, &r);
	assert_int_equal(r.frames, 1);
	assert_string_equal(r.last.card_id, "3808980205");
}

static void test_line_overlong_and_corrupt(void **state)
{
	(void)state;
	decoder d = make("line", false);
	run r = { 0 };
	/* 40 digits: rejected whole, its tail must not become an id */
	feed_str(&d, "1234567890123456789012345678901234567890\r\n", 0, &r);
	assert_int_equal(r.frames, 0);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.errors[0], DECODE_ERR_OVERLONG);
	feed_str(&d, "38089802x05\r\n", 10, &r); /* a bad byte spoils the line */
	assert_int_equal(r.frames, 0);
	feed_str(&d, "12\r\n", 20, &r); /* too short to be a card */
	assert_int_equal(r.frames, 0);
	feed_str(&d, "3808980205\r\n", 30, &r);
	assert_int_equal(r.frames, 1);
	/* a restart in mid-line */
	feed_str(&d, "\x02" "1111" "\x02" "22223333\r\n", 3000, &r);
	assert_int_equal(r.frames, 2);
	assert_string_equal(r.last.card_id, "22223333");
}

static void test_track2(void **state)
{
	(void)state;
	decoder d = make("track2", true);
	run r = { 0 };
	feed_str(&d, ";4111111111111111=25121010000000000000?", 0, &r);
	assert_int_equal(r.frames, 1);
	assert_string_equal(r.last.card_id, "4111111111111111");
	assert_string_equal(r.last.render_8h10d, "");
	feed_str(&d, "\x02;6220000000000000=2512?\r\x03", 2000, &r); /* STX .. CR ETX */
	assert_int_equal(r.nerrors, 1); /* 6220000000000000 fails Luhn */
	assert_int_equal(r.errors[0], DECODE_ERR_LUHN);
	feed_str(&d, "\x02;6220000000000001=2512?\r\x03", 2100, &r);
	assert_int_equal(r.frames, 2);
	assert_string_equal(r.last.card_id, "6220000000000001");
	assert_int_equal(d.counters.bad_checks, 1);
}

static void test_track2_bad_read_and_limits(void **state)
{
	(void)state;
	decoder d = make("track2", true);
	run r = { 0 };
	feed_str(&d, ";E?", 0, &r);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.errors[0], DECODE_ERR_BAD_READ);
	feed_str(&d, ";41111111111111111111=25?", 10, &r); /* 20-digit PAN */
	assert_int_equal(r.nerrors, 2);
	assert_int_equal(r.errors[1], DECODE_ERR_OVERLONG);
	feed_str(&d, ";4111111111111111=2512101000000000000000000000?", 20, &r);
	assert_int_equal(r.nerrors, 3);
	assert_int_equal(r.errors[2], DECODE_ERR_OVERLONG);
	feed_str(&d, ";4111x111=25?", 30, &r);
	assert_int_equal(r.frames, 0);
	/* Luhn off: any PAN */
	decoder d2 = make("track2", false);
	feed_str(&d2, "garbage;6220000000000000=2512?", 0, &r);
	assert_int_equal(r.frames, 1);
	assert_string_equal(r.last.card_id, "6220000000000000");
}

static void test_stx_bcc(void **state)
{
	(void)state;
	decoder d = make("stx-bcc", false);
	run r = { 0 };
	feed(&d, STX_BCC_VECTOR, sizeof STX_BCC_VECTOR, 0, &r);
	assert_int_equal(r.frames, 1);
	assert_string_equal(r.last.card_id, "06008E6D5D");
	assert_string_equal(r.last.render_8h10d, "0009334109");
	assert_string_equal(r.last.render_w26, "142,27997");
	/* a bad BCC */
	uint8_t bad[sizeof STX_BCC_VECTOR];
	memcpy(bad, STX_BCC_VECTOR, sizeof bad);
	bad[5] ^= 0x01;
	feed(&d, bad, sizeof bad, 2000, &r);
	assert_int_equal(r.frames, 1);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.errors[0], DECODE_ERR_CHECK);
	/* leading garbage, a restart in mid-frame, then the frame */
	uint8_t buf[64] = { 0xff, 0x02, 0x0b, 0x02, 0x0a, 0x02, 0x06, 0x00 };
	memcpy(buf + 8, STX_BCC_VECTOR, sizeof STX_BCC_VECTOR);
	feed(&d, buf, 8 + sizeof STX_BCC_VECTOR, 4000, &r);
	assert_int_equal(r.frames, 2);
	assert_string_equal(r.last.card_id, "06008E6D5D");
	/* an overlong frame (length 0x0B) is never an id */
	const uint8_t longer[] = { 0x02, 0x0b, 0x02, 0x06, 0x00, 0x8e, 0x6d, 0x5d, 0x00, 0xbb, 0x03 };
	feed(&d, longer, sizeof longer, 6000, &r);
	assert_int_equal(r.frames, 2);
	/* a partial frame, a 100 ms gap, then a whole one */
	feed(&d, STX_BCC_VECTOR, 5, 8000, &r);
	feed(&d, STX_BCC_VECTOR, sizeof STX_BCC_VECTOR, 8100, &r);
	assert_int_equal(r.frames, 3);
	assert_int_equal(d.counters.timeouts, 1);
}

/* xorshift64*: a reproducible stream of noise. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* 1 MiB of noise with 1000 good frames, each followed by a 150 ms gap:
 * all 1000 ids and nothing else come out. */
static void noise_run(const char *proto)
{
	decoder d = make(proto, false);
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	const size_t total = 1u << 20, frames = 1000, chunk = total / frames;
	int64_t now = 0;
	size_t got = 0, bad = 0;
	uint8_t noise[1100];
	for (size_t f = 0; f < frames; f++) {
		for (size_t i = 0; i < chunk; i++)
			noise[i] = (uint8_t)rng_next(&seed);
		uint8_t id[5], frame[16];
		size_t flen = 0;
		for (int i = 0; i < 5; i++)
			id[i] = (uint8_t)rng_next(&seed);
		if (strcmp(proto, "em4100") == 0) {
			uint8_t x = id[0] ^ id[1] ^ id[2] ^ id[3] ^ id[4];
			char hex[16];
			snprintf(hex, sizeof hex, "%02X%02X%02X%02X%02X%02X", id[0], id[1], id[2], id[3], id[4], x);
			frame[flen++] = 0x02;
			memcpy(frame + flen, hex, 12);
			flen += 12;
			frame[flen++] = 0x03;
		} else {
			frame[0] = 0x02;
			frame[1] = 0x0a;
			frame[2] = 0x02;
			memcpy(frame + 3, id, 5);
			frame[8] = 0x0a ^ 0x02 ^ id[0] ^ id[1] ^ id[2] ^ id[3] ^ id[4];
			frame[9] = 0x03;
			flen = 10;
		}
		char want[16];
		snprintf(want, sizeof want, "%02X%02X%02X%02X%02X", id[0], id[1], id[2], id[3], id[4]);
		/* noise at one byte per ms, then the frame, then the gap */
		for (size_t i = 0; i < chunk + flen; i++) {
			uint8_t b = i < chunk ? noise[i] : frame[i - chunk];
			run r = { 0 };
			feed(&d, &b, 1, now++, &r);
			got += (size_t)r.frames;
			if (r.frames && (i != chunk + flen - 1 || strcmp(r.ids[0], want) != 0))
				bad++;
			if (i == chunk + flen - 1 && r.frames != 1)
				fail_msg("%s: frame %zu (%s) was not decoded", proto, f, want);
		}
		now += 150;
		decoder_output o;
		(void)decoder_tick(&d, now, &o);
	}
	assert_int_equal(got, frames);
	assert_int_equal(bad, 0);
	print_message("# %s noise: %lu ok, %lu bad checks, %lu resyncs, %lu timeouts\n", proto,
		      d.counters.frames_ok, d.counters.bad_checks, d.counters.resyncs, d.counters.timeouts);
}

static void test_noise_em4100(void **state)
{
	(void)state;
	noise_run("em4100");
}

static void test_noise_stx_bcc(void **state)
{
	(void)state;
	noise_run("stx-bcc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_protocol),
		cmocka_unit_test(test_em4100_vector),
		cmocka_unit_test(test_em4100_byte_at_a_time_crlf),
		cmocka_unit_test(test_em4100_leading_garbage_and_restart),
		cmocka_unit_test(test_em4100_overlong),
		cmocka_unit_test(test_em4100_bad_checksum),
		cmocka_unit_test(test_em4100_gap_drops_partial),
		cmocka_unit_test(test_em4100_slow_bytes_within_gap),
		cmocka_unit_test(test_debounce_sliding_window),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_line_gap),
		cmocka_unit_test(test_line_overlong_and_corrupt),
		cmocka_unit_test(test_track2),
		cmocka_unit_test(test_track2_bad_read_and_limits),
		cmocka_unit_test(test_stx_bcc),
		cmocka_unit_test(test_noise_em4100),
		cmocka_unit_test(test_noise_stx_bcc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
