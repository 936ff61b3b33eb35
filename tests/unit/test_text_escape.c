/* test_text_escape.c — head office's text made safe to print
 * (src/base/text_escape.c): control characters and invisible reordering
 * characters escaped, invalid UTF-8 shown as bytes, Chinese kept, the
 * bound kept without cutting an escape or a character, idempotent. */
#include "testutil.h"

#include "base/text_escape.h"

static const char *esc(char *buf, size_t n, const char *s, size_t len)
{
	return text_escape(buf, n, s, len);
}

static void controls_are_escaped(void **state)
{
	(void)state;
	char b[256];
	const char in[] = "a\nb\rc\td\x1b[31m\x07\x7f";
	assert_string_equal(esc(b, sizeof b, in, sizeof in - 1), "a\\nb\\rc\\td\\x1B[31m\\x07\\x7F");
	/* a NUL inside the text, then more */
	assert_string_equal(esc(b, sizeof b, "x\0y", 3), "x\\x00y");
	/* C1 controls and the characters that reorder or hide text */
	assert_string_equal(esc(b, sizeof b, "\xc2\x9b" "1m", 4), "\\u009B1m");
	assert_string_equal(esc(b, sizeof b, "\xe2\x80\xae" "gnp", 6), "\\u202Egnp");
	assert_string_equal(esc(b, sizeof b, "a\xe2\x80\x8b" "b", 5), "a\\u200Bb");
	assert_string_equal(esc(b, sizeof b, "\xef\xbb\xbfz", 4), "\\uFEFFz");
	/* printable text as it is, Chinese included */
	const char cjk[] = "总部拒收 {\"a\":1} \\n";
	assert_string_equal(esc(b, sizeof b, cjk, strlen(cjk)), cjk);
	assert_string_equal(esc(b, sizeof b, NULL, 0), "");
}

static void invalid_utf8_is_shown_as_bytes(void **state)
{
	(void)state;
	char b[256];
	assert_string_equal(esc(b, sizeof b, "a\xff\xfe" "b", 4), "a\\xFF\\xFEb");
	/* a character cut short at the end of the text, an overlong '/', a surrogate */
	assert_string_equal(esc(b, sizeof b, "\xe6\x80", 2), "\\xE6\\x80");
	assert_string_equal(esc(b, sizeof b, "\xc0\xaf", 2), "\\xC0\\xAF");
	assert_string_equal(esc(b, sizeof b, "\xed\xa0\x80", 3), "\\xED\\xA0\\x80");
}

static void the_bound_cuts_between_pieces(void **state)
{
	(void)state;
	char b[12];
	/* "abcdefgh" + "..." fits 12 with the NUL; the escape after is not cut */
	assert_string_equal(esc(b, sizeof b, "abcdefgh\x1bzzzz", 13), "abcdefgh...");
	assert_string_equal(esc(b, sizeof b, "abcdefghijk", 11), "abcdefghijk");
	assert_string_equal(esc(b, sizeof b, "abcdefghijkl", 12), "abcdefgh...");
	/* a Chinese character (3 bytes) is not cut either */
	assert_string_equal(esc(b, sizeof b, "ab总部拒收", 14), "ab总部...");
	assert_string_equal(esc(b, sizeof b, "abc总部拒收", 15), "abc总...");
	char big[4000];
	memset(big, '\x1b', sizeof big);
	char out[64];
	esc(out, sizeof out, big, sizeof big);
	assert_true(strlen(out) < sizeof out);
	assert_string_equal(out + strlen(out) - 3, "...");
}

static void escaping_twice_changes_nothing(void **state)
{
	(void)state;
	char once[256], twice[256];
	const char in[] = "r\x1b[0m\n\xe2\x80\xae\xff 总 \\x41";
	esc(once, sizeof once, in, sizeof in - 1);
	esc(twice, sizeof twice, once, strlen(once));
	assert_string_equal(once, twice);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(controls_are_escaped),
		cmocka_unit_test(invalid_utf8_is_shown_as_bytes),
		cmocka_unit_test(the_bound_cuts_between_pieces),
		cmocka_unit_test(escaping_twice_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
