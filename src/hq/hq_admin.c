/* hq_admin.c — block and stats (to be written). */
#include "hq/hq_admin.h"

fc_status hq_admin_block(PGconn *db, const char *card_id, const char *reason, FILE *out,
			 fc_error *err)
{
	(void)db; (void)card_id; (void)reason; (void)out;
	return fc_error_set(err, FC_ERR_USAGE, "not yet");
}

fc_status hq_admin_stats(PGconn *db, bool json, FILE *out, fc_error *err)
{
	(void)db; (void)json; (void)out;
	return fc_error_set(err, FC_ERR_USAGE, "not yet");
}
