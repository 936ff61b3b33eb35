/* thread.c — background thread priority (see thread.h). */
#include "base/thread.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREAD_BACKGROUND_NICE 10

void thread_background(void)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	(void)setpriority(PRIO_PROCESS, (id_t)tid, THREAD_BACKGROUND_NICE);
}
