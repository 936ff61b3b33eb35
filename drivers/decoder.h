/* decoder.h — incremental card-frame decoders (em4100, line, track2, stx-bcc)
 * with resync, an inter-byte gap, debounce, and the printed-number renderings.
 *
 * Use: decoder_init(); hand it received bytes with decoder_feed() until it
 * returns DECODE_NEED_MORE; call decoder_tick() when decoder_deadline_ms()
 * passes without input.  No allocation: a decoder is a plain struct. */
#ifndef FC_DECODER_H
#define FC_DECODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/reader.h"
#include "drivers/reader_status.h"

#define DECODER_FRAME_MAX 64 /* longest candidate frame of any protocol */

typedef enum {
	DECODE_NEED_MORE, /* every byte given so far is consumed; no result */
	DECODE_FRAME,     /* out->card_id is a new card (debounced) */
	DECODE_ERROR,     /* a frame was dropped; out->error says why */
} decode_result;

typedef enum {
	DECODE_ERR_NONE,
	DECODE_ERR_CHECK,    /* checksum / BCC mismatch */
	DECODE_ERR_OVERLONG, /* longer than the protocol allows */
	DECODE_ERR_BAD_READ, /* track2 "E": the reader could not read the stripe */
	DECODE_ERR_LUHN,     /* track2 PAN fails the Luhn check */
	DECODE_ERR_TIMEOUT,  /* partial frame dropped after the inter-byte gap */
} decode_error;

/* What one protocol's parser says about the candidate frame so far. */
typedef enum {
	PARSE_MORE,   /* a valid prefix: keep going */
	PARSE_FRAME,  /* a complete, checked frame */
	PARSE_RESYNC, /* not a frame: drop the first byte and rescan the rest */
	PARSE_REJECT, /* a definite bad frame: report it, then rescan the rest
		       * (or, with skip_to_end, discard up to its end byte) */
	PARSE_DISCARD, /* a corrupt frame: drop it silently up to its end byte */
} parse_verdict;

typedef struct decoder_output {
	char card_id[READER_ID_MAX]; /* canonical id */
	char render_8h10d[16];       /* "" when not applicable */
	char render_w26[16];         /* "" when not applicable */
	decode_error error;          /* DECODE_ERROR: the reason */
	char message[128];           /* DECODE_ERROR: human text */
} decoder_output;

/* The result of parsing a candidate: verdict, plus the id or the reason. */
typedef struct parse_outcome {
	parse_verdict verdict;
	decode_error error; /* PARSE_REJECT */
	bool skip_to_end;   /* PARSE_REJECT: discard until the end-of-frame byte */
	bool is_text;       /* PARSE_FRAME: id is text (digits / PAN), not bytes */
	uint8_t id[40];     /* PARSE_FRAME, !is_text: the id bytes */
	size_t id_len;
	char text[READER_ID_MAX]; /* PARSE_FRAME, is_text */
} parse_outcome;

/* One protocol: its frame grammar as a parser over the candidate bytes. */
typedef struct decoder_protocol {
	const char *name;
	size_t max_len;                 /* hard length limit of a frame */
	bool (*is_start)(uint8_t b);    /* may begin a frame */
	bool (*is_filler)(uint8_t b);   /* harmless between frames (CR, LF, ETX) */
	bool (*is_end)(uint8_t b);      /* ends a frame being skipped (consumed) */
	bool (*is_restart)(uint8_t b);  /* ends a skipped frame and starts anew */
	bool skip_after_timeout;        /* no start marker: after a timed-out partial,
					 * its late rest must not pass as a frame */
	/* Judge cand[0..len) (cand[0] passed is_start); luhn is the option. */
	void (*parse)(const uint8_t *cand, size_t len, bool luhn, parse_outcome *out);
} decoder_protocol;

typedef struct decoder {
	const decoder_protocol *proto;
	int gap_ms, debounce_ms;
	bool luhn;
	uint8_t cand[DECODER_FRAME_MAX]; /* the candidate frame */
	size_t cand_len;
	uint8_t replay[DECODER_FRAME_MAX]; /* bytes to rescan after a resync */
	size_t replay_len, replay_pos;
	bool skipping;  /* discarding the rest of a rejected frame */
	bool hunting;   /* inside a run of garbage (counted once per run) */
	int64_t last_byte_ms;
	int64_t now_ms; /* time of the byte being processed */
	uint64_t bytes_seen; /* bytes received since init: errors say where */
	char last_id[READER_ID_MAX]; /* debounce: last id passed on */
	int64_t last_id_ms;
	reader_counters counters;
} decoder;

/* The protocol named name ("em4100", "line", "track2", "stx-bcc"), or NULL. */
const decoder_protocol *decoder_find_protocol(const char *name);

/* The list of protocol names, for messages: "em4100, line, track2, stx-bcc". */
const char *decoder_protocol_names(void);

/* Set up d for protocol name; READER_ERR_PROTOCOL for an unknown name.
 * gap_ms <= 0 means 100, debounce_ms < 0 means 1500 (0 = no debounce). */
reader_status decoder_init(decoder *d, const char *name, int gap_ms, int debounce_ms, bool luhn);

/* Drop any partial frame (after a disconnect); keeps counters and debounce. */
void decoder_reset(decoder *d);

/* Consume bytes from buf[0..len) received at now_ms, stopping at the first
 * result; *used says how many were consumed.  Call again with the rest (and
 * finally with len 0) until DECODE_NEED_MORE: a resync may leave earlier
 * bytes to rescan. */
decode_result decoder_feed(decoder *d, const uint8_t *buf, size_t len, size_t *used,
			   int64_t now_ms, decoder_output *out);

/* Drop a partial frame whose inter-byte gap has passed at now_ms; returns
 * DECODE_ERROR (timeout) when one was dropped, else DECODE_NEED_MORE. */
decode_result decoder_tick(decoder *d, int64_t now_ms, decoder_output *out);

/* When decoder_tick must run next (a partial frame is pending), or -1. */
int64_t decoder_deadline_ms(const decoder *d);

/* Fill card_id and the renderings from id bytes (canonical uppercase hex). */
void decoder_render_bytes(const uint8_t *id, size_t len, decoder_output *out);

/* Fill card_id and the renderings from a text id: digits of a line reader
 * (decimal → the number's renderings; hex → its bytes') or a PAN. */
void decoder_render_text(const char *text, bool is_pan, decoder_output *out);

/* The protocol tables (decoder_hex.c, decoder_text.c). */
extern const decoder_protocol decoder_em4100, decoder_stx_bcc, decoder_line, decoder_track2;

#endif
