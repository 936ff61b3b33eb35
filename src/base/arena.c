/* arena.c — chunks that never move, freed together (see arena.h). */
#include "base/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	arena_chunk *next;
	size_t used, size;
	alignas(16) char data[];
};

void *arena_alloc(arena *a, size_t n, size_t align)
{
	arena_chunk *c = a->chunks;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = malloc(sizeof *c + size);
		if (!c)
			return NULL;
		c->next = a->chunks;
		c->size = size;
		a->chunks = c;
		at = 0;
	}
	c->used = at + n;
	return c->data + at;
}

const char *arena_text(arena *a, const char *t, size_t n)
{
	char *p = arena_alloc(a, n + 1, 1);
	if (!p)
		return NULL;
	memcpy(p, t, n);
	p[n] = '\0';
	return p;
}

void arena_free(arena *a)
{
	for (arena_chunk *c = a->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
}
