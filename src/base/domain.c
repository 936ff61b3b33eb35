/* domain.c — key tables for the domain vocabulary. */
#include "base/domain.h"

#include <string.h>

static const char *const nature_keys[NATURE_COUNT] = { "big", "individual" };
static const char *const industry_keys[INDUSTRY_COUNT] = {
	"passenger", "logistics", "taxi", "official", "industrial", "agri", "other"
};
static const char *const stability_keys[STABILITY_COUNT] = {
	"current", "lost", "potential", "swing"
};
static const char *const role_keys[ROLE_COUNT] = { "attendant", "head", "admin" };
static const char *const tier_keys[TIER_COUNT] = {
	"diamond", "gold", "silver", "ordinary", "platinum", "gold", "silver", "ordinary"
};
static const char *const tier_config_names[TIER_COUNT] = {
	"diamond",  "gold-big",        "silver-big",        "ordinary-big",
	"platinum", "gold-individual", "silver-individual", "ordinary-individual"
};

static const char *key_at(const char *const *keys, int count, int i)
{
	return (i >= 0 && i < count) ? keys[i] : "?";
}

static bool key_find(const char *const *keys, int count, const char *s, int *out)
{
	if (!s)
		return false;
	for (int i = 0; i < count; i++) {
		if (strcmp(keys[i], s) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

const char *nature_key(fc_nature n) { return key_at(nature_keys, NATURE_COUNT, (int)n); }
const char *industry_key(fc_industry i) { return key_at(industry_keys, INDUSTRY_COUNT, (int)i); }
const char *stability_key(fc_stability s) { return key_at(stability_keys, STABILITY_COUNT, (int)s); }
const char *role_key(fc_role r) { return key_at(role_keys, ROLE_COUNT, (int)r); }
const char *tier_key(fc_tier t) { return key_at(tier_keys, TIER_COUNT, (int)t); }
const char *tier_config_name(fc_tier t) { return key_at(tier_config_names, TIER_COUNT, (int)t); }

fc_nature tier_nature(fc_tier t)
{
	return t <= TIER_BIG_ORDINARY ? NATURE_BIG : NATURE_INDIVIDUAL;
}

bool nature_parse(const char *s, fc_nature *out)
{
	int i;
	if (!key_find(nature_keys, NATURE_COUNT, s, &i))
		return false;
	*out = (fc_nature)i;
	return true;
}

bool industry_parse(const char *s, fc_industry *out)
{
	int i;
	if (!key_find(industry_keys, INDUSTRY_COUNT, s, &i))
		return false;
	*out = (fc_industry)i;
	return true;
}

bool stability_parse(const char *s, fc_stability *out)
{
	int i;
	if (!key_find(stability_keys, STABILITY_COUNT, s, &i))
		return false;
	*out = (fc_stability)i;
	return true;
}

bool role_parse(const char *s, fc_role *out)
{
	int i;
	if (!key_find(role_keys, ROLE_COUNT, s, &i))
		return false;
	*out = (fc_role)i;
	return true;
}

bool tier_parse(const char *key, fc_nature nature, fc_tier *out)
{
	int first = nature == NATURE_BIG ? TIER_BIG_DIAMOND : TIER_IND_PLATINUM;
	for (int i = first; i < first + 4; i++) {
		if (key && strcmp(tier_keys[i], key) == 0) {
			*out = (fc_tier)i;
			return true;
		}
	}
	return false;
}

bool tier_parse_config_name(const char *s, fc_tier *out)
{
	int i;
	if (!key_find(tier_config_names, TIER_COUNT, s, &i))
		return false;
	*out = (fc_tier)i;
	return true;
}
