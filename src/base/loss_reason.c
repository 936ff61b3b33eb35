/* loss_reason.c — the monthly study's reason choice: keys and labels. */
#include "base/loss_reason.h"

#include <string.h>

#include "base/tr.h"

static const char *const keys[LOSS_REASON_COUNT] = {
	"price", "service", "distance", "competitor_offer", "vehicle_sold", "business_closed",
	"other",
};
static const char *const labels[LOSS_REASON_COUNT] = {
	TR_NOOP("price"),        TR_NOOP("service"),          TR_NOOP("distance / route"),
	TR_NOOP("competitor offer"), TR_NOOP("vehicle sold"), TR_NOOP("business closed"),
	TR_NOOP("other reason"),
};

const char *loss_reason_key(fc_loss_reason r)
{
	return (unsigned)r < LOSS_REASON_COUNT ? keys[r] : "?";
}

const char *loss_reason_label(fc_loss_reason r)
{
	return (unsigned)r < LOSS_REASON_COUNT ? labels[r] : "?";
}

bool loss_reason_parse(const char *s, fc_loss_reason *out)
{
	for (int i = 0; s && i < LOSS_REASON_COUNT; i++)
		if (strcmp(s, keys[i]) == 0) {
			*out = (fc_loss_reason)i;
			return true;
		}
	return false;
}

const char *loss_reason_keys_text(void)
{
	return "price, service, distance, competitor_offer, vehicle_sold, business_closed, other";
}

fc_loss_kind loss_reason_kind(fc_loss_reason r)
{
	switch (r) {
	case LOSS_REASON_PRICE:
	case LOSS_REASON_SERVICE:
	case LOSS_REASON_COMPETITOR_OFFER:
		return LOSS_KIND_SUBJECTIVE;
	case LOSS_REASON_DISTANCE:
	case LOSS_REASON_VEHICLE_SOLD:
	case LOSS_REASON_BUSINESS_CLOSED:
		return LOSS_KIND_OBJECTIVE;
	default:
		return LOSS_KIND_UNCLASSIFIED;
	}
}

static const char *const kind_keys[LOSS_KIND_COUNT] = { "subjective", "objective",
							 "unclassified" };
static const char *const kind_labels[LOSS_KIND_COUNT] = {
	TR_NOOP("subjective"), TR_NOOP("objective"), TR_NOOP("unclassified"),
};

const char *loss_reason_kind_key(fc_loss_kind k)
{
	return (unsigned)k < LOSS_KIND_COUNT ? kind_keys[k] : "?";
}

const char *loss_reason_kind_label(fc_loss_kind k)
{
	return (unsigned)k < LOSS_KIND_COUNT ? kind_labels[k] : "?";
}
