/* demo.c — placeholder until the demo generator lands. */
#include "kiosk.h"

int demo_command(fc_app *app, int argc, char **argv)
{
	return kiosk_command(app, argc, argv);
}
