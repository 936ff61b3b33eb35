/* seed_rng.h — the demo generator's own pseudo-random numbers: splitmix64 to
 * mix keys, xoshiro256** for streams.  Integer only, so same seed, same data. */
#ifndef FC_SEED_RNG_H
#define FC_SEED_RNG_H

#include <stdint.h>

typedef struct seed_rng {
	uint64_t s[4]; /* xoshiro256** state, never all zero */
} seed_rng;

/* splitmix64 finaliser: a well-spread 64-bit value for key x. */
static inline uint64_t seed_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A value that depends only on (seed, a, b, salt): for stateless choices
 * such as the k-th visit of customer a. */
static inline uint64_t seed_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t salt)
{
	return seed_mix(seed_mix(seed_mix(seed ^ salt) ^ a) ^ b);
}

/* Start a stream for (seed, key); streams of different keys are independent. */
static inline void seed_rng_init(seed_rng *r, uint64_t seed, uint64_t key)
{
	uint64_t x = seed_mix(seed) ^ seed_mix(key + 0x5851f42d4c957f2dULL);
	for (int i = 0; i < 4; i++) {
		x += 0x9e3779b97f4a7c15ULL;
		r->s[i] = seed_mix(x);
	}
}

static inline uint64_t seed_rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* Next 64 random bits (xoshiro256**). */
static inline uint64_t seed_rng_next(seed_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = seed_rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = seed_rng_rotl(s[3], 45);
	return result;
}

/* Uniform in [lo, hi] (hi >= lo); the tiny modulo bias does not matter here. */
static inline int64_t seed_rng_range(seed_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(seed_rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* True with probability percent/100. */
static inline int seed_rng_chance(seed_rng *r, int percent)
{
	return (int)(seed_rng_next(r) % 100) < percent;
}

#endif
