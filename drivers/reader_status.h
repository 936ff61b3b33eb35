/* reader_status.h — the status codes of drivers/ and their message table.
 * drivers/ depends on nothing of ours, so it has its own enum and strerror. */
#ifndef FC_READER_STATUS_H
#define FC_READER_STATUS_H

/* X-macro: name, message. */
#define READER_STATUS_LIST(X)                                      \
	X(READER_OK, "ok")                                         \
	X(READER_ERR_ARG, "bad argument")                          \
	X(READER_ERR_PORT, "bad port (expected a device path, tcp://host:port, sim or sim:FILE)") \
	X(READER_ERR_PROTOCOL, "unknown reader protocol")          \
	X(READER_ERR_NOMEM, "out of memory")                       \
	X(READER_ERR_OPEN, "cannot open the reader")               \
	X(READER_ERR_BUSY, "reader in use by another process")     \
	X(READER_ERR_CONFIG, "cannot configure the port")          \
	X(READER_ERR_IO, "input/output error")                     \
	X(READER_ERR_DISCONNECTED, "reader disconnected")

typedef enum {
#define READER_STATUS_ENUM(name, msg) name,
	READER_STATUS_LIST(READER_STATUS_ENUM)
#undef READER_STATUS_ENUM
	READER_STATUS_COUNT
} reader_status;

/* The generic message of st (never NULL; "unknown status" if out of range). */
const char *reader_strerror(reader_status st);

#endif
