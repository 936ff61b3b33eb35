/* test_hook.h — the environment variables the tests steer a running
 * program by: FORECOURT_NOW (the wall clock, base/clock.h),
 * FORECOURT_MONO_OFFSET_FILE (the monotonic clock) and
 * FORECOURT_REPORT_HOLD (the report worker, ui/screens/report_job.c).
 * They exist only in a test build (`make SAN=1`, what `make check` runs,
 * or TEST_HOOKS=1: -DFORECOURT_TEST_HOOKS); a production build never reads
 * them, so they cannot date or delay a kiosk's records. */
#ifndef FC_TEST_HOOK_H
#define FC_TEST_HOOK_H

#include <stdbool.h>

/* The value of the hook name (one of the three above) when this is a test
 * build and it is set and not empty; NULL otherwise. */
const char *test_hook_get(const char *name);

/* True in a test build. */
bool test_hook_compiled(void);

/* In a production build: the first hook set in the environment (to warn
 * that it is ignored), else NULL.  Always NULL in a test build. */
const char *test_hook_ignored(void);

#endif
