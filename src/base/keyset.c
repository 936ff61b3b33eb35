/* keyset.c — open addressing over 64-bit FNV-1a hashes; the keys and
 * their lines live in one arena (base/arena.h), freed together. */
#include "base/keyset.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

typedef struct keyset_slot {
	uint64_t hash;    /* 0: empty (a real hash of 0 is stored as 1) */
	const char *item; /* int64_t line, size_t len, then the key's bytes */
} keyset_slot;

struct keyset {
	keyset_slot *slots;
	size_t cap;   /* a power of two */
	size_t count;
	arena items;
};

keyset *keyset_new(void)
{
	keyset *set = calloc(1, sizeof *set);
	if (!set)
		return NULL;
	set->cap = 1024;
	set->slots = calloc(set->cap, sizeof *set->slots);
	if (!set->slots) {
		free(set);
		return NULL;
	}
	return set;
}

static uint64_t keyset_hash(const char *key, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

/* The slot of hash/key: the one holding it, else the empty one it goes in. */
static keyset_slot *keyset_find(keyset_slot *slots, size_t cap, uint64_t hash, const char *key,
				size_t len)
{
	for (size_t i = (size_t)hash & (cap - 1);; i = (i + 1) & (cap - 1)) {
		keyset_slot *s = &slots[i];
		if (!s->hash)
			return s;
		size_t n;
		memcpy(&n, s->item + sizeof(int64_t), sizeof n);
		if (s->hash == hash && n == len &&
		    memcmp(s->item + sizeof(int64_t) + sizeof(size_t), key, len) == 0)
			return s;
	}
}

static int keyset_grow(keyset *set)
{
	size_t cap = set->cap * 2;
	keyset_slot *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < set->cap; i++) {
		keyset_slot *old = &set->slots[i];
		if (!old->hash)
			continue;
		for (size_t k = (size_t)old->hash & (cap - 1);; k = (k + 1) & (cap - 1)) {
			if (!slots[k].hash) {
				slots[k] = *old;
				break;
			}
		}
	}
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
	return 0;
}

int64_t keyset_add(keyset *set, const char *key, size_t len, int64_t line)
{
	uint64_t hash = keyset_hash(key, len);
	keyset_slot *s = keyset_find(set->slots, set->cap, hash, key, len);
	if (s->hash) {
		int64_t first;
		memcpy(&first, s->item, sizeof first);
		return first;
	}
	if ((set->count + 1) * 2 > set->cap) {
		if (keyset_grow(set) != 0)
			return -1;
		s = keyset_find(set->slots, set->cap, hash, key, len);
	}
	/* aligned: the line at the start of each item */
	char *item = arena_alloc(&set->items, sizeof(int64_t) + sizeof(size_t) + len,
				 sizeof(int64_t));
	if (!item)
		return -1;
	memcpy(item, &line, sizeof line);
	memcpy(item + sizeof line, &len, sizeof len);
	memcpy(item + sizeof line + sizeof len, key, len);
	s->hash = hash;
	s->item = item;
	set->count++;
	return 0;
}

void keyset_free(keyset *set)
{
	if (!set)
		return;
	arena_free(&set->items);
	free(set->slots);
	free(set);
}
