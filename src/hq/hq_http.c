/* hq_http.c — (to be written). */
#include "hq/hq_http.h"

fc_status hq_http_serve(const hq_config *cfg, fc_error *err)
{
	(void)cfg;
	return fc_error_set(err, FC_ERR_USAGE, "not yet");
}
