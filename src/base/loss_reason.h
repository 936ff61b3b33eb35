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

/* domain.md asks the reasons "subjective and objective": subjective, what
 * we or the competitor do (price, service, competitor_offer); objective,
 * the customer's own circumstances (distance / route, vehicle_sold,
 * business_closed); "other" says it in its text: unclassified, counted
 * apart rather than guessed. */
typedef enum {
	LOSS_KIND_SUBJECTIVE,
	LOSS_KIND_OBJECTIVE,
	LOSS_KIND_UNCLASSIFIED,
	LOSS_KIND_COUNT
} fc_loss_kind;

/* The kind of reason r (out of range: unclassified). */
fc_loss_kind loss_reason_kind(fc_loss_reason r);
/* "subjective", "objective", "unclassified" ("?" out of range). */
const char *loss_reason_kind_key(fc_loss_kind k);
/* English label, a msgid (TR_NOOP): "subjective", "objective", "unclassified". */
const char *loss_reason_kind_label(fc_loss_kind k);

#endif
