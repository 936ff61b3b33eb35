/* decoder_hex.c — frame grammars of the id-byte readers: em4100 (ASCII hex
 * between STX and ETX, XOR check) and stx-bcc (binary, BCC check). */
#include "drivers/decoder.h"

#include <string.h>

#define STX 0x02
#define ETX 0x03
#define CR 0x0d
#define LF 0x0a

static int hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool is_stx(uint8_t b) { return b == STX; }
static bool is_etx(uint8_t b) { return b == ETX; }
static bool is_nothing(uint8_t b) { (void)b; return false; }
static bool is_crlf(uint8_t b) { return b == CR || b == LF; }

/* em4100: 02, 10 hex digits of id, 2 of XOR check, [CR LF], 03. */
static void em4100_check(const uint8_t *cand, parse_outcome *out)
{
	uint8_t v[6], x = 0;
	for (int i = 0; i < 6; i++)
		v[i] = (uint8_t)(hex_value(cand[1 + 2 * i]) << 4 | hex_value(cand[2 + 2 * i]));
	for (int i = 0; i < 5; i++)
		x ^= v[i];
	if (x != v[5]) {
		out->verdict = PARSE_REJECT;
		out->error = DECODE_ERR_CHECK;
		return;
	}
	out->verdict = PARSE_FRAME;
	memcpy(out->id, v, 5);
	out->id_len = 5;
}

static void em4100_parse(const uint8_t *cand, size_t len, bool luhn, parse_outcome *out)
{
	(void)luhn;
	size_t i = len - 1;
	uint8_t b = cand[i];
	out->verdict = PARSE_MORE;
	if (i == 0)
		return;
	if (i <= 12) {
		if (hex_value(b) < 0)
			out->verdict = PARSE_RESYNC;
		return;
	}
	if (i == 13) {
		if (b == ETX)
			em4100_check(cand, out);
		else if (b == CR)
			return;
		else if (hex_value(b) >= 0) {
			out->verdict = PARSE_REJECT;
			out->error = DECODE_ERR_OVERLONG;
			out->skip_to_end = true;
		} else
			out->verdict = PARSE_RESYNC;
		return;
	}
	if (i == 14) {
		if (b != LF)
			out->verdict = PARSE_RESYNC;
		return;
	}
	if (b == ETX)
		em4100_check(cand, out);
	else
		out->verdict = PARSE_RESYNC;
}

const decoder_protocol decoder_em4100 = {
	.name = "em4100",
	.max_len = 16,
	.is_start = is_stx,
	.is_filler = is_crlf,
	.is_end = is_etx,
	.is_restart = is_stx,
	.parse = em4100_parse,
};

/* stx-bcc: 02, len (0x0A, the whole frame), type, 5-byte SNR, BCC, 03 with
 * BCC = XOR of len..SNR.  Binary: any byte is data, so a bad frame is
 * rescanned from its second byte for a start that hid inside it. */
#define STX_BCC_LEN 10

static void stx_bcc_parse(const uint8_t *cand, size_t len, bool luhn, parse_outcome *out)
{
	(void)luhn;
	out->verdict = PARSE_MORE;
	if (len == 2 && cand[1] != STX_BCC_LEN) {
		out->verdict = PARSE_RESYNC;
		return;
	}
	if (len < STX_BCC_LEN)
		return;
	if (cand[STX_BCC_LEN - 1] != ETX) {
		out->verdict = PARSE_RESYNC;
		return;
	}
	uint8_t x = 0;
	for (size_t i = 1; i < STX_BCC_LEN - 2; i++)
		x ^= cand[i];
	if (x != cand[STX_BCC_LEN - 2]) {
		out->verdict = PARSE_REJECT;
		out->error = DECODE_ERR_CHECK;
		return;
	}
	out->verdict = PARSE_FRAME;
	memcpy(out->id, cand + 3, 5);
	out->id_len = 5;
}

const decoder_protocol decoder_stx_bcc = {
	.name = "stx-bcc",
	.max_len = STX_BCC_LEN,
	.is_start = is_stx,
	.is_filler = is_nothing,
	.is_end = is_nothing,
	.is_restart = is_stx,
	.parse = stx_bcc_parse,
};
