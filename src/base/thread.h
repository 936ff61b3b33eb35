/* thread.h — what the kiosk's background threads (uploader, daily run,
 * report worker) do first, so they never make the attendant wait. */
#ifndef FC_THREAD_H
#define FC_THREAD_H

/* Lower the calling thread's scheduling priority (nice +10, Linux: per
 * thread).  On an old 2-core PC under a backlog drain, the kernel then runs
 * the UI thread first when a key arrives.  Failure is ignored: the thread
 * simply keeps the normal priority. */
void thread_background(void);

#endif
