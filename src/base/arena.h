/* arena.h — memory handed out in pieces from chunks that never move and
 * are freed together: many small copies (keys, texts) without a malloc
 * each.  A zeroed arena is empty and ready. */
#ifndef FC_ARENA_H
#define FC_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
	arena_chunk *chunks; /* the newest first */
} arena;

#define ARENA_CHUNK ((size_t)1 << 20) /* bytes of a chunk (a larger piece gets its own) */

/* n bytes at a multiple of align (a power of two, at most 16) from the
 * start of a chunk; NULL when out of memory.  They live until arena_free. */
void *arena_alloc(arena *a, size_t n, size_t align);

/* A copy of the n bytes at t and a NUL (t need not be terminated); NULL
 * when out of memory. */
const char *arena_text(arena *a, const char *t, size_t n);

/* Free every chunk; the arena is empty again. */
void arena_free(arena *a);

#endif
