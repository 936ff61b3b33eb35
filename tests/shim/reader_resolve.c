/* reader_resolve.c — LD_PRELOAD shim for tests/integration/reader_pty.sh:
 * the name "reader.test" resolves to two addresses, 127.0.0.2 (nothing
 * listens there) then 127.0.0.1, and fails outright when resolved on the
 * process's main thread (the kiosk's UI thread must never wait for a name).
 * Every other name goes to the real getaddrinfo. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <netdb.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef int (*gai_fn)(const char *, const char *, const struct addrinfo *, struct addrinfo **);

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	gai_fn real = (gai_fn)dlsym(RTLD_NEXT, "getaddrinfo");
	if (!real)
		return EAI_SYSTEM;
	if (!node || strcmp(node, "reader.test") != 0)
		return real(node, service, hints, res);
	if (syscall(SYS_gettid) == getpid())
		return EAI_FAIL; /* asked on the main thread */
	struct addrinfo *first = NULL, *second = NULL;
	int rc = real("127.0.0.2", service, hints, &first);
	if (rc != 0)
		return rc;
	rc = real("127.0.0.1", service, hints, &second);
	if (rc != 0) {
		freeaddrinfo(first);
		return rc;
	}
	struct addrinfo *tail = first; /* glibc frees the list node by node */
	while (tail->ai_next)
		tail = tail->ai_next;
	tail->ai_next = second;
	*res = first;
	return 0;
}
