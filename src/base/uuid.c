/* uuid.c — UUIDv7 from the clock and getrandom(). */
#include "base/uuid.h"

#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

int uuid_v7(int64_t ms, char *out)
{
	unsigned char b[16];
	size_t got = 0;

	while (got < 10) {
		ssize_t n = getrandom(b + 6 + got, 10 - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	uint64_t t = (uint64_t)ms;
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(t >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (b[6] & 0x0f)); /* version 7 */
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f)); /* variant 10 */
	snprintf(out, UUID_STR_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
		 b[11], b[12], b[13], b[14], b[15]);
	return 0;
}
