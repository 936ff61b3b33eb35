/* labels.c — display names of domain keys through gettext (see labels.h).
 * Tier names carry their nature as context: "Gold" is 金级 or 黄金级. */
#include "ui/core/labels.h"

#include <stdio.h>
#include <string.h>

#include "ui/core/i18n.h"

const char *labels_tier(fc_tier t)
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

const char *const labels_nature_names[] = { N_("big customer"), N_("individual customer") };
LABELS_ASSERT_COUNT(labels_nature_names, NATURE_COUNT);

const char *const labels_industry_names[] = {
	N_("passenger transport fleet"), N_("logistics fleet"), N_("taxi company"),
	N_("official vehicles"), N_("factories and mines"), N_("agricultural machinery"),
	N_("other"),
};
LABELS_ASSERT_COUNT(labels_industry_names, INDUSTRY_COUNT);

static const char *const stability_names[] = { N_("current customer"), N_("lost customer"),
					       N_("potential customer"), N_("swing customer") };
LABELS_ASSERT_COUNT(stability_names, STABILITY_COUNT);

static const char *const role_names[] = { N_("attendant"), N_("station head"), N_("admin") };
LABELS_ASSERT_COUNT(role_names, ROLE_COUNT);

const char *const labels_severity_names[] = { N_("general"), N_("major"), N_("special") };
LABELS_ASSERT_COUNT(labels_severity_names, SEVERITY_COUNT);

const char *const labels_channel_names[] = { N_("complaint book"), N_("in person"), N_("phone"),
					     N_("other") };
LABELS_ASSERT_COUNT(labels_channel_names, CHANNEL_COUNT);

const char *const labels_callback_method_names[] = { N_("phone"), N_("SMS"), N_("e-mail"),
						     N_("greeting card"), N_("visit"),
						     N_("forum") };
LABELS_ASSERT_COUNT(labels_callback_method_names, CALLBACK_METHOD_COUNT);

/* names[i] translated, "?" when i is not below count. */
static const char *labels_at(const char *const *names, int count, int i)
{
	return i >= 0 && i < count ? _(names[i]) : "?";
}

const char *labels_nature(fc_nature n)
{
	return labels_at(labels_nature_names, NATURE_COUNT, (int)n);
}

const char *labels_industry(fc_industry i)
{
	return labels_at(labels_industry_names, INDUSTRY_COUNT, (int)i);
}

const char *labels_stability(fc_stability s)
{
	return labels_at(stability_names, STABILITY_COUNT, (int)s);
}

const char *labels_stability_short(fc_stability s)
{
	switch (s) {
	case STABILITY_CURRENT: return P_("short", "current");
	case STABILITY_LOST: return P_("short", "lost");
	case STABILITY_POTENTIAL: return P_("short", "potential");
	case STABILITY_SWING: return P_("short", "swing");
	default: return "?";
	}
}

const char *labels_role(fc_role r)
{
	return labels_at(role_names, ROLE_COUNT, (int)r);
}

const char *labels_severity(fc_severity s)
{
	return labels_at(labels_severity_names, SEVERITY_COUNT, (int)s);
}

const char *labels_channel(fc_channel c)
{
	return labels_at(labels_channel_names, CHANNEL_COUNT, (int)c);
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

const char *labels_owner(const char *owner_key)
{
	if (!owner_key || !*owner_key)
		return "—";
	for (size_t i = 0; i < sizeof owner_labels / sizeof owner_labels[0]; i++)
		if (strcmp(owner_labels[i].key, owner_key) == 0)
			return _(owner_labels[i].text);
	return owner_key;
}

char *labels_maintainer(const char *owner_key, const char *owner_name, int64_t owner_staff,
			const char *home_station, const char *here, char *buf, size_t n)
{
	if (!owner_name || !*owner_name)
		snprintf(buf, n, "%s", labels_owner(owner_key));
	else if (home_station && *home_station && strcmp(home_station, here) != 0)
		snprintf(buf, n, _("%s (#%lld, %s)"), owner_name, (long long)owner_staff,
			 home_station);
	else
		snprintf(buf, n, _("%s (#%lld)"), owner_name, (long long)owner_staff);
	return buf;
}

char *labels_yuan(int64_t fen, char *buf, size_t n)
{
	const char *sign = fen < 0 ? "-" : "";
	long long v = fen < 0 ? -(long long)fen : (long long)fen;
	snprintf(buf, n, "%s%lld.%02lld", sign, v / 100, v % 100);
	return buf;
}

char *labels_litres(int64_t ml, char *buf, size_t n)
{
	long long v = ml < 0 ? 0 : (long long)ml;
	snprintf(buf, n, "%lld.%02lld", v / 1000, (v % 1000) / 10);
	return buf;
}
