/* status.c — message table for fc_status and the fc_error helpers. */
#include "base/status.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const status_messages[] = {
#define FC_STATUS_MSG(name, msg) [name] = msg,
	FC_STATUS_LIST(FC_STATUS_MSG)
#undef FC_STATUS_MSG
};

const char *fc_strerror(fc_status status)
{
	if ((int)status < 0 || status >= FC_STATUS_COUNT)
		return "unknown error";
	return status_messages[status];
}

void fc_error_clear(fc_error *err)
{
	if (!err)
		return;
	err->code = FC_OK;
	err->sys_errno = 0;
	err->msg[0] = '\0';
}

fc_status fc_error_set(fc_error *err, fc_status code, const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	err->sys_errno = errno;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	} else {
		err->msg[0] = '\0';
	}
	return code;
}

const char *fc_error_text(const fc_error *err)
{
	if (!err)
		return "";
	return err->msg[0] ? err->msg : fc_strerror(err->code);
}
