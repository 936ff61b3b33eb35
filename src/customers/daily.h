/* daily.h — the kiosk's background thread for the start-of-day work: the
 * daily classification (classify_daily_step) on its own connection, and
 * the search entries a bulk job left to be made (search_index_pending). */
#ifndef FC_DAILY_H
#define FC_DAILY_H

#include "base/config.h"
#include "base/status.h"

typedef struct daily daily;

/* Start the thread on db_path; it looks every minute whether today's run is
 * done, and otherwise classifies in chunks with a pause between them so the
 * terminals' own writes go first, never while a bulk job (store/bulk.h)
 * runs; it also queues the records a tier evaluation left
 * (tiers_resume_records); an error is left in meta
 * 'last_classify_error' (shown by `forecourt outbox status`, cleared by the
 * next chunk that succeeds) and tried again a minute later. */
fc_status daily_start(const fc_config *cfg, const char *db_path, daily **out, fc_error *err);

/* Stop and join the thread (at most one chunk's time); NULL is a no-op. */
void daily_stop(daily *d);

#endif
