/* kiosk.c — placeholder until the kiosk screens land (issue 4). */
#include "kiosk.h"

#include <stdio.h>

int kiosk_command(fc_app *app, int argc, char **argv)
{
	(void)app;
	(void)argc;
	(void)argv;
	fprintf(stderr, "forecourt: the kiosk is not built yet\n");
	return 1;
}
