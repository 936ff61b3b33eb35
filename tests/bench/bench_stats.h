/* bench_stats.h — what every bench program measures with: a monotonic
 * clock in microseconds and quantiles of a sample.  Header-only: every
 * bench program is built alone. */
#ifndef FC_BENCH_STATS_H
#define FC_BENCH_STATS_H

#include <stdlib.h>
#include <time.h>

/* CLOCK_MONOTONIC in microseconds. */
static inline double bench_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The q quantile (q in [0,1]) of v[0..n); sorts v in place. */
static inline double bench_quantile(double *v, int n, double q)
{
	qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
	return v[(int)(q * (n - 1) + 0.5)];
}

#endif
