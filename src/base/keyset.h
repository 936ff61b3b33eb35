/* keyset.h — a set of byte strings, each with the line it was first seen
 * on: how an import file finds a key given twice (base/rowfile.h) with
 * both lines named.  Memory grows with the keys (about 40 bytes a key). */
#ifndef FC_KEYSET_H
#define FC_KEYSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct keyset keyset;

/* An empty set; NULL when out of memory.  Free with keyset_free. */
keyset *keyset_new(void);

/* Add key (len bytes, any bytes) first seen on line.  Returns 0 when it
 * is new, the line it was added on when it is there already (the set
 * keeps that one), -1 when out of memory. */
int64_t keyset_add(keyset *set, const char *key, size_t len, int64_t line);

/* Free the set and its keys (NULL is fine). */
void keyset_free(keyset *set);

#endif
