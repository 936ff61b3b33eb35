/* test_arena.c — the chunks shared by keyset and the monthly analysis's
 * texts (src/base/arena.c): pieces aligned as asked, copies that stay put
 * while more chunks are added, a piece larger than a chunk, and keyset on
 * top of it finding a key given twice with its first line. */
#include "testutil.h"

#include <inttypes.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/keyset.h"

static void pieces_are_aligned_and_stay_put(void **state)
{
	(void)state;
	arena a = { 0 };
	const char *first = arena_text(&a, "S0001-I-TX-000813", 17);
	assert_non_null(first);
	/* past a few chunks: the first copy is neither moved nor changed */
	for (int i = 0; i < 3 * (int)(ARENA_CHUNK / 64); i++) {
		char *p = arena_alloc(&a, 1 + (size_t)(i % 61), i % 2 ? 8 : 1);
		assert_non_null(p);
		if (i % 2)
			assert_int_equal((uintptr_t)p % 8, 0);
	}
	assert_string_equal(first, "S0001-I-TX-000813");
	/* not terminated at n: the copy is cut there and ends with a NUL */
	assert_string_equal(arena_text(&a, "曾英成 and more", 9), "曾英成");
	char *big = arena_alloc(&a, ARENA_CHUNK + 5, 16);
	assert_non_null(big);
	assert_int_equal((uintptr_t)big % 16, 0);
	memset(big, 'x', ARENA_CHUNK + 5);
	assert_string_equal(first, "S0001-I-TX-000813");
	arena_free(&a);
	assert_null(a.chunks);
	arena_free(&a); /* empty: nothing to do */
}

static void keyset_finds_a_key_given_twice(void **state)
{
	(void)state;
	keyset *set = keyset_new();
	assert_non_null(set);
	char key[32];
	for (int64_t line = 2; line < 200002; line++) {
		int n = snprintf(key, sizeof key, "S0001-C-%06" PRId64, line);
		assert_int_equal(keyset_add(set, key, (size_t)n, line), 0);
	}
	assert_int_equal(keyset_add(set, "S0001-C-000002", 14, 200002), 2);
	assert_int_equal(keyset_add(set, "S0001-C-199999", 14, 200003), 199999);
	assert_int_equal(keyset_add(set, "S0001-C-000002\0x", 16, 200004), 0); /* any bytes */
	keyset_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pieces_are_aligned_and_stay_put),
		cmocka_unit_test(keyset_finds_a_key_given_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
