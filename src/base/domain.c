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
static const char *const severity_keys[SEVERITY_COUNT] = { "general", "major", "special" };
static const char *const channel_keys[CHANNEL_COUNT] = { "book", "in_person", "phone", "other" };
static const char *const method_keys[CALLBACK_METHOD_COUNT] = {
	"phone", "sms", "email", "card", "visit", "forum"
};
static const char *const approver_keys[APPROVER_COUNT] = {
	"station_head", "business_dept_manager", "branch_retail_dept", "branch_retail_manager"
};
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

/* The index of s in keys[count], -1 when s is NULL or not there (the
 * first bytes compared before the rest: the monthly analysis parses a
 * million rows' classes). */
static int key_index(const char *const *keys, int count, const char *s)
{
	for (int i = 0; s && i < count; i++)
		if (keys[i][0] == s[0] && strcmp(keys[i], s) == 0)
			return i;
	return -1;
}

const char *nature_key(fc_nature n) { return key_at(nature_keys, NATURE_COUNT, (int)n); }
const char *industry_key(fc_industry i) { return key_at(industry_keys, INDUSTRY_COUNT, (int)i); }
const char *stability_key(fc_stability s) { return key_at(stability_keys, STABILITY_COUNT, (int)s); }
const char *role_key(fc_role r) { return key_at(role_keys, ROLE_COUNT, (int)r); }
const char *severity_key(fc_severity s) { return key_at(severity_keys, SEVERITY_COUNT, (int)s); }
const char *channel_key(fc_channel c) { return key_at(channel_keys, CHANNEL_COUNT, (int)c); }
const char *callback_method_key(fc_callback_method m)
{
	return key_at(method_keys, CALLBACK_METHOD_COUNT, (int)m);
}
const char *approver_key(fc_approver a) { return key_at(approver_keys, APPROVER_COUNT, (int)a); }
const char *tier_key(fc_tier t) { return key_at(tier_keys, TIER_COUNT, (int)t); }
const char *tier_config_name(fc_tier t) { return key_at(tier_config_names, TIER_COUNT, (int)t); }

fc_nature tier_nature(fc_tier t)
{
	return t <= TIER_BIG_ORDINARY ? NATURE_BIG : NATURE_INDIVIDUAL;
}

/* Each parse: the index of s among the keys into *out; false (out
 * untouched) for NULL or an unknown key. */
bool nature_parse(const char *s, fc_nature *out)
{
	int i = key_index(nature_keys, NATURE_COUNT, s);
	return i >= 0 && (*out = (fc_nature)i, true);
}

bool industry_parse(const char *s, fc_industry *out)
{
	int i = key_index(industry_keys, INDUSTRY_COUNT, s);
	return i >= 0 && (*out = (fc_industry)i, true);
}

bool stability_parse(const char *s, fc_stability *out)
{
	int i = key_index(stability_keys, STABILITY_COUNT, s);
	return i >= 0 && (*out = (fc_stability)i, true);
}

bool role_parse(const char *s, fc_role *out)
{
	int i = key_index(role_keys, ROLE_COUNT, s);
	return i >= 0 && (*out = (fc_role)i, true);
}

bool severity_parse(const char *s, fc_severity *out)
{
	int i = key_index(severity_keys, SEVERITY_COUNT, s);
	return i >= 0 && (*out = (fc_severity)i, true);
}

bool channel_parse(const char *s, fc_channel *out)
{
	int i = key_index(channel_keys, CHANNEL_COUNT, s);
	return i >= 0 && (*out = (fc_channel)i, true);
}

bool callback_method_parse(const char *s, fc_callback_method *out)
{
	int i = key_index(method_keys, CALLBACK_METHOD_COUNT, s);
	return i >= 0 && (*out = (fc_callback_method)i, true);
}

bool approver_parse(const char *s, fc_approver *out)
{
	int i = key_index(approver_keys, APPROVER_COUNT, s);
	return i >= 0 && (*out = (fc_approver)i, true);
}

bool tier_parse_config_name(const char *s, fc_tier *out)
{
	int i = key_index(tier_config_names, TIER_COUNT, s);
	return i >= 0 && (*out = (fc_tier)i, true);
}

bool tier_parse(const char *key, fc_nature nature, fc_tier *out)
{
	int first = nature == NATURE_BIG ? TIER_BIG_DIAMOND : TIER_IND_PLATINUM;
	for (int i = first; i < first + 4; i++) {
		if (key && tier_keys[i][0] == key[0] && strcmp(tier_keys[i], key) == 0) {
			*out = (fc_tier)i;
			return true;
		}
	}
	return false;
}

