/* fuzz_decoder.h — the shared body of the decoder fuzz targets: feed the
 * input in chunks at varying times and check every frame against the input.
 *
 * The first input byte picks the options (Luhn, debounce) and the time step
 * pattern; the rest are the bytes on the wire.  Any impossible result
 * aborts: an id that is not in the input, a malformed id, bytes left
 * unconsumed, counters going backwards, a deadline in the past. */
#ifndef FC_FUZZ_DECODER_H
#define FC_FUZZ_DECODER_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/decoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz: %s\n", what);
		abort();
	}
}

/* Does text (case-insensitive) occur in data? */
static int fuzz_contains_text(const uint8_t *data, size_t size, const char *text)
{
	size_t n = strlen(text);
	for (size_t i = 0; n && i + n <= size; i++) {
		size_t k = 0;
		while (k < n && toupper(data[i + k]) == (unsigned char)text[k])
			k++;
		if (k == n)
			return 1;
	}
	return 0;
}

/* Do the id bytes spelt by hex occur in data (as binary)? */
static int fuzz_contains_bytes(const uint8_t *data, size_t size, const char *hex)
{
	uint8_t want[READER_ID_MAX / 2];
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++) {
		char pair[3] = { hex[2 * i], hex[2 * i + 1], 0 };
		want[i] = (uint8_t)strtoul(pair, NULL, 16);
	}
	for (size_t i = 0; n && i + n <= size; i++)
		if (memcmp(data + i, want, n) == 0)
			return 1;
	return 0;
}

static void fuzz_check_frame(const char *proto, const decoder_output *o, const uint8_t *wire,
			     size_t size, int luhn)
{
	size_t n = strlen(o->card_id);
	fuzz_check(n > 0 && n < READER_ID_MAX, "id length");
	for (size_t i = 0; i < n; i++)
		fuzz_check(isdigit((unsigned char)o->card_id[i]) ||
				   (o->card_id[i] >= 'A' && o->card_id[i] <= 'F'),
			   "id charset");
	if (strcmp(proto, "stx-bcc") == 0) {
		fuzz_check(n == 10, "stx-bcc id is 5 bytes");
		fuzz_check(fuzz_contains_bytes(wire, size, o->card_id), "stx-bcc id not in the input");
	} else {
		fuzz_check(fuzz_contains_text(wire, size, o->card_id), "id not in the input");
	}
	if (strcmp(proto, "em4100") == 0)
		fuzz_check(n == 10, "em4100 id is 10 digits");
	if (strcmp(proto, "line") == 0)
		fuzz_check(n >= 4 && n <= 32, "line id length");
	if (strcmp(proto, "track2") == 0) {
		fuzz_check(n <= 19, "PAN length");
		for (size_t i = 0; i < n; i++)
			fuzz_check(isdigit((unsigned char)o->card_id[i]), "PAN digits");
		if (luhn) {
			unsigned sum = 0;
			for (size_t k = 0; k < n; k++) {
				unsigned dgt = (unsigned)(o->card_id[n - 1 - k] - '0');
				if (k % 2)
					dgt = dgt * 2 > 9 ? dgt * 2 - 9 : dgt * 2;
				sum += dgt;
			}
			fuzz_check(sum % 10 == 0, "PAN passed without a valid Luhn digit");
		}
	}
}

static int fuzz_decoder_run(const char *proto, const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	const uint8_t *wire = data + 1;
	size_t len = size - 1;
	decoder d;
	int luhn = mode & 1;
	fuzz_check(decoder_init(&d, proto, 100, (mode & 2) ? 1500 : 0, luhn) == READER_OK, "init");
	int64_t now = 1000;
	size_t off = 0, chunk_no = 0;
	reader_counters before = d.counters;
	while (off < len) {
		/* chunks of 1..16 bytes; every 4th chunk comes after a long gap */
		size_t chunk = 1 + (size_t)((wire[off] ^ mode ^ chunk_no) & 15);
		if (chunk > len - off)
			chunk = len - off;
		now += ((chunk_no + mode) % 4 == 3) ? 150 : (mode >> 4);
		chunk_no++;
		size_t done = 0;
		for (int guard = 0;; guard++) {
			fuzz_check(guard < 4 * DECODER_FRAME_MAX + 64, "feed does not make progress");
			size_t used = 0;
			decoder_output o;
			decode_result r = decoder_feed(&d, wire + off + done, chunk - done, &used, now, &o);
			done += used;
			fuzz_check(done <= chunk, "consumed more than given");
			if (r == DECODE_NEED_MORE)
				break;
			if (r == DECODE_FRAME)
				fuzz_check_frame(proto, &o, wire, len, luhn);
			else
				fuzz_check(o.message[0] != '\0' && o.error != DECODE_ERR_NONE, "error without reason");
		}
		fuzz_check(done == chunk, "bytes left unconsumed");
		off += chunk;
		int64_t dl = decoder_deadline_ms(&d);
		fuzz_check(dl == -1 || dl >= now, "deadline in the past");
		decoder_output o;
		if ((mode & 4) && dl >= 0)
			(void)decoder_tick(&d, dl, &o);
		reader_counters c = d.counters;
		fuzz_check(c.frames_ok >= before.frames_ok && c.bad_checks >= before.bad_checks &&
				   c.resyncs >= before.resyncs && c.timeouts >= before.timeouts &&
				   c.debounced >= before.debounced && c.debounced <= c.frames_ok,
			   "counters");
		before = c;
	}
	return 0;
}

#endif
