/* report_index.c — what the monthly analysis keeps per customer while it
 * reads: the tier by id, counts by id, rows to sort in memory. */
#include "report/report_index.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Map for ids min..max of count customers. */
fc_status report_tiers_init(report_tiers *m, int64_t min, int64_t max, int64_t count)
{
	memset(m, 0, sizeof *m);
	if (count <= 0)
		return FC_OK;
	uint64_t range = (uint64_t)(max - min) + 1;
	m->base = min;
	if (range <= (uint64_t)count * 4 + 65536) {
		m->n = (size_t)range;
		m->tier = malloc(m->n);
		if (!m->tier)
			return FC_ERR_NOMEM;
		memset(m->tier, -2, m->n);
	}
	return FC_OK;
}

fc_status report_tiers_add(report_tiers *m, int64_t id, int tier)
{
	if (!m->ids && m->tier) {
		if (id >= m->base && (uint64_t)(id - m->base) < m->n)
			m->tier[id - m->base] = (signed char)tier;
		return FC_OK;
	}
	if (m->count == m->cap) {
		size_t n = m->cap ? m->cap * 2 : 1024;
		int64_t *ids = realloc(m->ids, n * sizeof *ids);
		if (!ids)
			return FC_ERR_NOMEM;
		m->ids = ids;
		signed char *t = realloc(m->tier, n);
		if (!t)
			return FC_ERR_NOMEM;
		m->tier = t;
		m->cap = n;
	}
	m->ids[m->count] = id;
	m->tier[m->count++] = (signed char)tier;
	return FC_OK;
}

/* The tier of customer id: fc_tier, -1 unreadable, -2 unknown customer. */
int report_tiers_find(const report_tiers *m, int64_t id)
{
	if (!m->ids) {
		if (!m->tier || id < m->base || (uint64_t)(id - m->base) >= m->n)
			return -2;
		return m->tier[id - m->base];
	}
	size_t lo = 0, hi = m->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->ids[mid] < id)
			lo = mid + 1;
		else if (m->ids[mid] > id)
			hi = mid;
		else
			return m->tier[mid];
	}
	return -2;
}

void report_tiers_free(report_tiers *m)
{
	free(m->tier);
	free(m->ids);
	memset(m, 0, sizeof *m);
}



int64_t report_counts_find_sorted(const report_counts *c, int64_t id)
{
	size_t lo = 0, hi = c->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->rows[mid].id < id)
			lo = mid + 1;
		else if (c->rows[mid].id > id)
			hi = mid;
		else
			return c->rows[mid].n;
	}
	return 0;
}

static size_t id_hash(int64_t id, size_t cap)
{
	return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

/* Add n to id's count (ids > 0). */
fc_status report_counts_add(report_counts *c, int64_t id, int64_t n)
{
	if ((c->count + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4096;
		report_count *rows = calloc(cap, sizeof *rows);
		if (!rows)
			return FC_ERR_NOMEM;
		for (size_t i = 0; i < c->cap; i++) {
			if (!c->rows[i].id)
				continue;
			size_t k = id_hash(c->rows[i].id, cap);
			while (rows[k].id)
				k = (k + 1) & (cap - 1);
			rows[k] = c->rows[i];
		}
		free(c->rows);
		c->rows = rows;
		c->cap = cap;
	}
	size_t k = id_hash(id, c->cap);
	while (c->rows[k].id && c->rows[k].id != id)
		k = (k + 1) & (c->cap - 1);
	if (!c->rows[k].id) {
		c->rows[k].id = id;
		c->count++;
	}
	c->rows[k].n += n;
	return FC_OK;
}

void report_counts_prefetch(const report_counts *c, int64_t id)
{
	if (c->cap)
		REPORT_PREFETCH(&c->rows[id_hash(id, c->cap)]);
}

int64_t report_counts_find(const report_counts *c, int64_t id)
{
	if (!c->cap)
		return 0;
	size_t k = id_hash(id, c->cap);
	while (c->rows[k].id && c->rows[k].id != id)
		k = (k + 1) & (c->cap - 1);
	return c->rows[k].id ? c->rows[k].n : 0;
}



fc_status report_rows_add(report_rows *b, const void *row, fc_error *err)
{
	if (b->count == b->nblocks * REPORT_ROWS_BLOCK) {
		char **blocks = realloc(b->blocks, (b->nblocks + 1) * sizeof *blocks);
		char *block = blocks ? malloc(REPORT_ROWS_BLOCK * b->size) : NULL;
		if (blocks)
			b->blocks = blocks;
		if (!block)
			return fc_error_set(err, FC_ERR_NOMEM, "out of memory sorting the rows");
		b->blocks[b->nblocks++] = block;
	}
	memcpy(b->blocks[b->count / REPORT_ROWS_BLOCK] + (b->count % REPORT_ROWS_BLOCK) * b->size, row, b->size);
	b->count++;
	return FC_OK;
}

/* Sort the rows (cmp: of two pointers to rows) into b->sorted. */
fc_status report_rows_sort(report_rows *b, int (*cmp)(const void *, const void *),
				 fc_error *err)
{
	b->sorted = malloc((b->count ? b->count : 1) * sizeof *b->sorted);
	if (!b->sorted)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory sorting the rows");
	for (size_t i = 0; i < b->count; i++)
		b->sorted[i] = b->blocks[i / REPORT_ROWS_BLOCK] + (i % REPORT_ROWS_BLOCK) * b->size;
	if (b->count > 1)
		qsort(b->sorted, b->count, sizeof *b->sorted, cmp);
	return FC_OK;
}

#define CODE_GROUPS_MAX 256

typedef struct code_group {
	const char *code; /* its first row's code; the group's part is len bytes of it */
	size_t len, count, at;
	bool ordered;     /* its codes came in order */
} code_group;

static int code_group_cmp(const void *a, const void *b)
{
	const code_group *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->code, y->code, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void *row_at(const report_rows *b, size_t i)
{
	return b->blocks[i / REPORT_ROWS_BLOCK] + (i % REPORT_ROWS_BLOCK) * b->size;
}

fc_status report_rows_sort_codes(report_rows *b, const char *(*code)(const void *row),
				 int (*cmp)(const void *, const void *), fc_error *err)
{
	code_group groups[CODE_GROUPS_MAX];
	size_t ngroups = 0, last = 0;
	unsigned char *of = malloc(b->count ? b->count : 1); /* each row's group */
	if (!of)
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory sorting the rows");
	const char *prev_code[CODE_GROUPS_MAX];
	for (size_t i = 0; i < b->count; i++) {
		const char *c = code(row_at(b, i)), *dash = strrchr(c, '-');
		size_t len = dash ? (size_t)(dash - c) + 1 : 0;
		size_t g = last;
		if (g >= ngroups || groups[g].len != len || memcmp(groups[g].code, c, len) != 0) {
			for (g = 0; g < ngroups; g++)
				if (groups[g].len == len && memcmp(groups[g].code, c, len) == 0)
					break;
			if (g == ngroups) {
				if (ngroups == CODE_GROUPS_MAX) {
					free(of);
					return report_rows_sort(b, cmp, err);
				}
				groups[ngroups++] = (code_group){ .code = c, .len = len, .ordered = true };
				prev_code[g] = NULL;
			}
		}
		if (prev_code[g] && strcmp(prev_code[g], c) > 0)
			groups[g].ordered = false;
		prev_code[g] = c;
		groups[g].count++;
		of[i] = (unsigned char)g;
		last = g;
	}
	/* the groups in order of their parts; none a prefix of the next (then
	 * of none after it): a code's group decides its place among the others' */
	size_t index[CODE_GROUPS_MAX];
	code_group sorted[CODE_GROUPS_MAX];
	memcpy(sorted, groups, ngroups * sizeof *groups);
	for (size_t g = 0; g < ngroups; g++)
		sorted[g].at = g; /* its number in groups[] */
	qsort(sorted, ngroups, sizeof *sorted, code_group_cmp);
	for (size_t g = 0; g + 1 < ngroups; g++)
		if (sorted[g].len <= sorted[g + 1].len &&
		    memcmp(sorted[g].code, sorted[g + 1].code, sorted[g].len) == 0) {
			free(of);
			return report_rows_sort(b, cmp, err);
		}
	b->sorted = malloc((b->count ? b->count : 1) * sizeof *b->sorted);
	if (!b->sorted) {
		free(of);
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory sorting the rows");
	}
	size_t at = 0;
	for (size_t g = 0; g < ngroups; g++) {
		index[sorted[g].at] = g;
		sorted[g].len = at; /* from here on: where its rows start in b->sorted */
		at += sorted[g].count;
	}
	size_t fill[CODE_GROUPS_MAX];
	for (size_t g = 0; g < ngroups; g++)
		fill[g] = sorted[g].len;
	for (size_t i = 0; i < b->count; i++)
		b->sorted[fill[index[of[i]]]++] = row_at(b, i);
	free(of);
	for (size_t g = 0; g < ngroups; g++)
		if (!sorted[g].ordered && sorted[g].count > 1)
			qsort(b->sorted + sorted[g].len, sorted[g].count, sizeof *b->sorted, cmp);
	return FC_OK;
}

typedef struct keyed_row {
	uint64_t key, at; /* at: the row's place in the codes' order */
} keyed_row;

/* Sort k[n] by key, stably (equal keys keep their order: the codes'):
 * least significant 11 bits first, a pass skipped when every key has the
 * same bits there.  tmp: n more. */
#define RADIX_BITS 11
static void keyed_rows_radix(keyed_row *k, keyed_row *tmp, size_t n)
{
	size_t count[1 << RADIX_BITS];
	const uint64_t mask = (1 << RADIX_BITS) - 1;
	for (int shift = 0; shift < 64; shift += RADIX_BITS) {
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < n; i++)
			count[(k[i].key >> shift) & mask]++;
		if (count[(k[0].key >> shift) & mask] == n)
			continue;
		size_t at = 0;
		for (size_t d = 0; d <= mask; d++) {
			size_t c = count[d];
			count[d] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(k[i].key >> shift) & mask]++] = k[i];
		memcpy(k, tmp, n * sizeof *k);
	}
}
#undef RADIX_BITS

fc_status report_rows_sort_keyed(report_rows *b, const char *(*code)(const void *row),
				 int (*code_cmp)(const void *, const void *),
				 uint64_t (*key)(const void *row), fc_error *err)
{
	fc_status s = report_rows_sort_codes(b, code, code_cmp, err);
	if (s || b->count < 2)
		return s;
	keyed_row *k = malloc(2 * b->count * sizeof *k);
	void **sorted = malloc(b->count * sizeof *sorted);
	if (!k || !sorted) {
		free(k);
		free(sorted);
		return fc_error_set(err, FC_ERR_NOMEM, "out of memory sorting the rows");
	}
	for (size_t i = 0; i < b->count; i++) {
		if (i + 8 < b->count)
			REPORT_PREFETCH(b->sorted[i + 8]);
		k[i] = (keyed_row){ key(b->sorted[i]), i };
	}
	keyed_rows_radix(k, k + b->count, b->count);
	for (size_t i = 0; i < b->count; i++)
		sorted[i] = b->sorted[k[i].at];
	free(k);
	free(b->sorted);
	b->sorted = sorted;
	return FC_OK;
}

void report_rows_free(report_rows *b)
{
	for (size_t i = 0; i < b->nblocks; i++)
		free(b->blocks[i]);
	free(b->blocks);
	free(b->sorted);
	memset(b, 0, sizeof *b);
}
