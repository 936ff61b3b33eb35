/* hq_import.c — (to be written). */
#include "hq/hq_import.h"

fc_status hq_import_file(PGconn *db, const char *kind, const char *path, FILE *out,
			 fc_error *err)
{
	(void)db; (void)kind; (void)path; (void)out;
	return fc_error_set(err, FC_ERR_USAGE, "not yet");
}
