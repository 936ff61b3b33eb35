/* test_text.c — the kiosk's width-correct text helpers (ui/core/text.c): CJK is
 * two columns, a cut never splits a character, fields take CJK input. */
#include "testutil.h"

#include <locale.h>

/* ui/ is not in the core library: the unit under test is compiled in. */
#include "ui/core/text.c"

static int text_setup(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}

static void width_counts_cjk_as_two(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("钻级"), 4);
	assert_int_equal(text_width("92# 汽油"), 8);
	assert_int_equal(text_width(""), 0);
}

static void fit_never_splits_a_wide_character(void **state)
{
	(void)state;
	char buf[64];
	/* 5 columns: two CJK characters (4) then one pad space, not half a third. */
	assert_int_equal(text_width_fit(buf, sizeof buf, "欧阳建国", 5, true), 5);
	assert_string_equal(buf, "欧阳 ");
	assert_int_equal(text_width_fit(buf, sizeof buf, "欧阳建国", 5, false), 4);
	assert_string_equal(buf, "欧阳");
	assert_int_equal(text_width_fit(buf, sizeof buf, "ab", 4, true), 4);
	assert_string_equal(buf, "ab  ");
	/* A buffer too small for the text cuts on a character boundary too. */
	text_width_fit(buf, 5, "欧阳建国", 20, false);
	assert_string_equal(buf, "欧");
}

static void field_takes_cjk_and_erases_whole_characters(void **state)
{
	(void)state;
	text_field f = { .kind = FIELD_TEXT, .max_chars = 3 };
	assert_true(text_field_insert(&f, L'王'));
	assert_true(text_field_insert(&f, L'小'));
	assert_true(text_field_insert(&f, L'明'));
	assert_false(text_field_insert(&f, L'x')); /* full: 3 characters */
	assert_string_equal(f.buf, "王小明");
	assert_true(text_field_erase(&f));
	assert_string_equal(f.buf, "王小");
	text_field_clear(&f);
	assert_false(text_field_erase(&f));
}

static void decimal_field_rules(void **state)
{
	(void)state;
	text_field f = { .kind = FIELD_DECIMAL, .max_chars = 8 };
	long long v = 0;
	assert_false(text_field_insert(&f, '.')); /* no leading dot */
	assert_true(text_field_insert(&f, '4'));
	assert_true(text_field_insert(&f, '0'));
	assert_true(text_field_insert(&f, '.'));
	assert_false(text_field_insert(&f, '.'));
	assert_true(text_field_insert(&f, '5'));
	assert_true(text_field_insert(&f, '1'));
	assert_false(text_field_insert(&f, '9')); /* at most 2 decimals */
	assert_false(text_field_insert(&f, 'a'));
	assert_true(text_field_hundredths(&f, &v));
	assert_int_equal(v, 4051);
	snprintf(f.buf, sizeof f.buf, "12.5");
	assert_true(text_field_hundredths(&f, &v));
	assert_int_equal(v, 1250);
	f.buf[0] = '\0';
	assert_false(text_field_hundredths(&f, &v));
	text_field d = { .kind = FIELD_DIGITS, .max_chars = 3 };
	assert_false(text_field_insert(&d, '-'));
	assert_true(text_field_insert(&d, '7'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(width_counts_cjk_as_two),
		cmocka_unit_test(fit_never_splits_a_wide_character),
		cmocka_unit_test(field_takes_cjk_and_erases_whole_characters),
		cmocka_unit_test(decimal_field_rules),
	};
	return cmocka_run_group_tests(tests, text_setup, NULL);
}
