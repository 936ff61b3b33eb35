/* decoder_text.c — frame grammars of the text readers: line (digits ended by
 * CR/LF/CRLF) and track2 (serial magstripe, ;PAN=...?, Luhn, E = bad read). */
#include "drivers/decoder.h"

#include <ctype.h>
#include <string.h>

#define STX 0x02
#define ETX 0x03
#define CR 0x0d
#define LF 0x0a

#define LINE_DIGITS_MIN 4  /* shorter lines are noise, not card numbers */
#define LINE_DIGITS_MAX 32
#define TRACK2_PAN_MAX 19
#define TRACK2_CHARS_MAX 40 /* ';' .. '?' as on the stripe */

static bool is_line_start(uint8_t b) { return b == STX || isxdigit(b); }
static bool is_line_filler(uint8_t b) { return b == CR || b == LF || b == ETX; }
static bool is_line_end(uint8_t b) { return b == CR || b == LF; }
static bool is_stx(uint8_t b) { return b == STX; }

static void line_parse(const uint8_t *cand, size_t len, bool luhn, parse_outcome *out)
{
	(void)luhn;
	size_t s = cand[0] == STX ? 1 : 0, i = len - 1;
	uint8_t b = cand[i];
	out->verdict = PARSE_MORE;
	if (i < s)
		return;
	if (isxdigit(b)) {
		if (i + 1 - s > LINE_DIGITS_MAX) {
			out->verdict = PARSE_REJECT;
			out->error = DECODE_ERR_OVERLONG;
			out->skip_to_end = true;
		}
		return;
	}
	if (is_line_end(b) && i - s >= LINE_DIGITS_MIN) {
		out->verdict = PARSE_FRAME;
		out->is_text = true;
		memcpy(out->text, cand + s, i - s);
		out->text[i - s] = '\0';
		return;
	}
	if (b == STX)
		out->verdict = PARSE_RESYNC; /* a restart: rescan from the new STX */
	else
		out->verdict = PARSE_DISCARD; /* the line is corrupt: drop it */
}

const decoder_protocol decoder_line = {
	.name = "line",
	.max_len = LINE_DIGITS_MAX + 3,
	.is_start = is_line_start,
	.is_filler = is_line_filler,
	.is_end = is_line_end,
	.is_restart = is_stx,
	.skip_after_timeout = true,
	.parse = line_parse,
};

/* Luhn check over the digits of pan. */
static bool track2_luhn_ok(const char *pan)
{
	size_t n = strlen(pan);
	unsigned sum = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned d = (unsigned)(pan[n - 1 - k] - '0');
		if (k % 2) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return n > 0 && sum % 10 == 0;
}

static bool is_track2_start(uint8_t b) { return b == STX || b == ';'; }
static bool is_track2_filler(uint8_t b) { return b == CR || b == LF || b == ETX; }
static bool is_track2_end(uint8_t b) { return b == '?' || b == CR || b == LF; }

static void track2_reject(parse_outcome *out, decode_error e)
{
	out->verdict = PARSE_REJECT;
	out->error = e;
	out->skip_to_end = true;
}

static void track2_parse(const uint8_t *cand, size_t len, bool luhn, parse_outcome *out)
{
	size_t i = len - 1;
	uint8_t b = cand[i];
	out->verdict = PARSE_MORE;
	if (cand[0] == STX && len == 1)
		return;
	size_t s = cand[0] == STX ? 1 : 0; /* index of ';' */
	if (cand[s] != ';') {
		out->verdict = PARSE_RESYNC;
		return;
	}
	if (i == s)
		return;
	if (b == STX || b == ';') {
		out->verdict = PARSE_RESYNC; /* a restart: rescan from here */
		return;
	}
	if (b == 'E' || b == 'e') {
		track2_reject(out, DECODE_ERR_BAD_READ);
		return;
	}
	if (i - s + 1 > TRACK2_CHARS_MAX) {
		track2_reject(out, DECODE_ERR_OVERLONG);
		return;
	}
	const uint8_t *eq = memchr(cand + s + 1, '=', i - s - 1);
	if (!eq) { /* still in the PAN */
		size_t pan = i - s - 1;
		if (isdigit(b)) {
			if (pan + 1 > TRACK2_PAN_MAX)
				track2_reject(out, DECODE_ERR_OVERLONG);
			return;
		}
		if (b == '=' && pan > 0)
			return;
		out->verdict = PARSE_DISCARD;
		return;
	}
	if (isdigit(b))
		return;
	if (b != '?') {
		out->verdict = PARSE_DISCARD;
		return;
	}
	size_t pan = (size_t)(eq - (cand + s + 1));
	memcpy(out->text, cand + s + 1, pan);
	out->text[pan] = '\0';
	if (luhn && !track2_luhn_ok(out->text)) {
		track2_reject(out, DECODE_ERR_LUHN); /* '?' ends it: nothing to skip */
		out->text[0] = '\0';
		return;
	}
	out->verdict = PARSE_FRAME;
	out->is_text = true;
}

const decoder_protocol decoder_track2 = {
	.name = "track2",
	.max_len = TRACK2_CHARS_MAX + 2,
	.is_start = is_track2_start,
	.is_filler = is_track2_filler,
	.is_end = is_track2_end,
	.is_restart = is_track2_start,
	.parse = track2_parse,
};
