/* loss_reason.h — why a customer left or wavers, the monthly study's reason
 * choice (domain.md "Monthly analysis"): keys as stored and sent, labels. */
#ifndef FC_LOSS_REASON_H
#define FC_LOSS_REASON_H

#include <stdbool.h>

typedef enum {
	LOSS_REASON_PRICE,
	LOSS_REASON_SERVICE,
	LOSS_REASON_DISTANCE,
	LOSS_REASON_COMPETITOR_OFFER,
	LOSS_REASON_VEHICLE_SOLD,
	LOSS_REASON_BUSINESS_CLOSED,
	LOSS_REASON_OTHER,
	LOSS_REASON_COUNT
} fc_loss_reason;

/* Stored key ("price", "competitor_offer"; "?" out of range). */
const char *loss_reason_key(fc_loss_reason r);
/* English label, a msgid (TR_NOOP) the kiosk translates ("distance / route"). */
const char *loss_reason_label(fc_loss_reason r);
/* The key s into *out; false (out untouched) for NULL or an unknown key. */
bool loss_reason_parse(const char *s, fc_loss_reason *out);
/* "price, service, distance, competitor_offer, vehicle_sold, business_closed, other" */
const char *loss_reason_keys_text(void);

#endif
