/* status.h — the one status enum of src/ and its message table.
 * Every fallible core function returns fc_status and may fill an fc_error
 * with the detail (file:line, SQL message, errno) for the user. */
#ifndef FC_STATUS_H
#define FC_STATUS_H

#include <stdarg.h>

/* X-macro: name, message.  The message is the generic text; the detail that
 * says where (file:line, byte offset, HTTP status) goes in fc_error.msg. */
#define FC_STATUS_LIST(X)                                                   \
	X(FC_OK, "ok")                                                      \
	X(FC_ERR_USAGE, "bad usage")                                        \
	X(FC_ERR_CONFIG, "bad configuration")                               \
	X(FC_ERR_IO, "input/output error")                                  \
	X(FC_ERR_NOMEM, "out of memory")                                    \
	X(FC_ERR_DB, "database error")                                      \
	X(FC_ERR_DB_FULL, "disk full: nothing was saved")                   \
	X(FC_ERR_DB_BUSY, "database busy")                                  \
	X(FC_ERR_DB_NEWER, "database is newer than this program")           \
	X(FC_ERR_DB_CORRUPT, "database is damaged")                         \
	X(FC_ERR_NOT_FOUND, "not found")                                    \
	X(FC_ERR_EXISTS, "already exists")                                  \
	X(FC_ERR_INVALID, "invalid value")                                  \
	X(FC_ERR_BLOCKED, "card is blocked")                                \
	X(FC_ERR_LIMIT, "over the limit")                                   \
	X(FC_ERR_AUTH, "not authorised")                                    \
	X(FC_ERR_LOCKED, "locked")                                          \
	X(FC_ERR_NET, "network error")                                      \
	X(FC_ERR_PROTOCOL, "unexpected reply")                              \
	X(FC_ERR_CONFLICT, "not possible in this state")

typedef enum {
#define FC_STATUS_ENUM(name, msg) name,
	FC_STATUS_LIST(FC_STATUS_ENUM)
#undef FC_STATUS_ENUM
	FC_STATUS_COUNT
} fc_status;

/* An error with its detail; msg is "" when no detail was set. */
typedef struct fc_error {
	fc_status code; /* FC_OK when nothing went wrong */
	int sys_errno;  /* errno at the failure, 0 when not a system error */
	char msg[512];  /* detail for the user, already translated if needed */
} fc_error;

/* Generic message for a status; never NULL, static storage. */
const char *fc_strerror(fc_status status);

/* Clear an error (err may be NULL). */
void fc_error_clear(fc_error *err);

/* Set code and a printf-style detail; returns code so callers can
 * `return fc_error_set(err, FC_ERR_INVALID, "...")`.  err may be NULL. */
fc_status fc_error_set(fc_error *err, fc_status code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Text to show: the detail when set, else the generic message. */
const char *fc_error_text(const fc_error *err);

#endif
