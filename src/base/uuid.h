/* uuid.h — UUIDv7 record ids (RFC 9562): 48-bit ms timestamp + random bits
 * from getrandom().  Made when a record is created, never at send time. */
#ifndef FC_UUID_H
#define FC_UUID_H

#include <stdint.h>

#define UUID_STR_LEN 37 /* 36 characters and the NUL */

/* Write a new lowercase UUIDv7 for instant ms into out[UUID_STR_LEN].
 * Returns 0, or -1 with errno when the kernel gave no randomness. */
int uuid_v7(int64_t ms, char *out);

#endif
