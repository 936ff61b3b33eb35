/* reader_status.c — the message table of the drivers' status codes
 * (reader_status.h). */
#include "drivers/reader_status.h"

const char *reader_strerror(reader_status st)
{
	static const char *const messages[] = {
#define READER_STATUS_MSG(name, msg) msg,
		READER_STATUS_LIST(READER_STATUS_MSG)
#undef READER_STATUS_MSG
	};
	if ((unsigned)st >= READER_STATUS_COUNT)
		return "unknown status";
	return messages[st];
}
