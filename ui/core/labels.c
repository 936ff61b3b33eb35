/* labels.c — display names of domain keys through gettext (see labels.h).
 * Tier names carry their nature as context: "Gold" is 金级 or 黄金级. */
#include "ui/core/labels.h"

#include <stdio.h>
#include <string.h>

#include "ui/core/i18n.h"

const char *label_tier(fc_tier t)
{
	switch (t) {
	case TIER_BIG_DIAMOND: return P_("big", "Diamond");
	case TIER_BIG_GOLD: return P_("big", "Gold");
	case TIER_BIG_SILVER: return P_("big", "Silver");
	case TIER_BIG_ORDINARY: return P_("big", "Ordinary");
	case TIER_IND_PLATINUM: return P_("individual", "Platinum");
	case TIER_IND_GOLD: return P_("individual", "Gold");
	case TIER_IND_SILVER: return P_("individual", "Silver");
	case TIER_IND_ORDINARY: return P_("individual", "Ordinary");
	default: return "?";
	}
}

const char *label_nature(fc_nature n)
{
	return n == NATURE_BIG ? _("big customer") : _("individual customer");
}

const char *label_industry(fc_industry i)
{
	switch (i) {
	case INDUSTRY_PASSENGER: return _("passenger transport fleet");
	case INDUSTRY_LOGISTICS: return _("logistics fleet");
	case INDUSTRY_TAXI: return _("taxi company");
	case INDUSTRY_OFFICIAL: return _("official vehicles");
	case INDUSTRY_INDUSTRIAL: return _("factories and mines");
	case INDUSTRY_AGRI: return _("agricultural machinery");
	case INDUSTRY_OTHER: return _("other");
	default: return "?";
	}
}

const char *label_stability(fc_stability s)
{
	switch (s) {
	case STABILITY_CURRENT: return _("current customer");
	case STABILITY_LOST: return _("lost customer");
	case STABILITY_POTENTIAL: return _("potential customer");
	case STABILITY_SWING: return _("swing customer");
	default: return "?";
	}
}

typedef struct owner_label {
	const char *key;
	const char *text;
} owner_label;

static const owner_label owner_labels[] = {
	{ "branch_manager", N_("branch retail manager") },
	{ "branch_retail_manager", N_("branch retail manager") },
	{ "branch_retail_dept", N_("branch retail management dept") },
	{ "retail_dept", N_("branch retail management dept") },
	{ "business_dept_manager", N_("business dept manager") },
	{ "business_manager", N_("business dept manager") },
	{ "station_head_or_attendant", N_("station head or attendant") },
	{ "station_head", N_("station head") },
	{ "station_staff", N_("station staff") },
};

const char *label_owner(const char *owner_key)
{
	if (!owner_key || !*owner_key)
		return "—";
	for (size_t i = 0; i < sizeof owner_labels / sizeof owner_labels[0]; i++)
		if (strcmp(owner_labels[i].key, owner_key) == 0)
			return gettext(owner_labels[i].text);
	return owner_key;
}

char *label_yuan(int64_t fen, char *buf, size_t n)
{
	const char *sign = fen < 0 ? "-" : "";
	long long v = fen < 0 ? -(long long)fen : (long long)fen;
	snprintf(buf, n, "%s%lld.%02lld", sign, v / 100, v % 100);
	return buf;
}

char *label_litres(int64_t ml, char *buf, size_t n)
{
	long long v = ml < 0 ? 0 : (long long)ml;
	snprintf(buf, n, "%lld.%02lld", v / 1000, (v % 1000) / 10);
	return buf;
}
