/* domain.h — the shared vocabulary of domain.md: nature, tier, industry,
 * stability, roles.  Names here are the stable English keys stored in the
 * database, used in CSV/NDJSON and JSON output; the UI translates them. */
#ifndef FC_DOMAIN_H
#define FC_DOMAIN_H

#include <stdbool.h>

typedef enum { NATURE_BIG, NATURE_INDIVIDUAL, NATURE_COUNT } fc_nature;

/* A tier is read together with the nature: "gold" is 金级 for a big customer
 * and 黄金级 for an individual. */
typedef enum {
	TIER_BIG_DIAMOND,
	TIER_BIG_GOLD,
	TIER_BIG_SILVER,
	TIER_BIG_ORDINARY,
	TIER_IND_PLATINUM,
	TIER_IND_GOLD,
	TIER_IND_SILVER,
	TIER_IND_ORDINARY,
	TIER_COUNT
} fc_tier;

typedef enum {
	INDUSTRY_PASSENGER,
	INDUSTRY_LOGISTICS,
	INDUSTRY_TAXI,
	INDUSTRY_OFFICIAL,
	INDUSTRY_INDUSTRIAL,
	INDUSTRY_AGRI,
	INDUSTRY_OTHER,
	INDUSTRY_COUNT
} fc_industry;

typedef enum {
	STABILITY_CURRENT,
	STABILITY_LOST,
	STABILITY_POTENTIAL,
	STABILITY_SWING,
	STABILITY_COUNT
} fc_stability;

typedef enum { ROLE_ATTENDANT, ROLE_HEAD, ROLE_ADMIN, ROLE_COUNT } fc_role;

/* Complaint book: how serious an entry is, how it reached the station. */
typedef enum { SEVERITY_GENERAL, SEVERITY_MAJOR, SEVERITY_SPECIAL, SEVERITY_COUNT } fc_severity;
typedef enum { CHANNEL_BOOK, CHANNEL_IN_PERSON, CHANNEL_PHONE, CHANNEL_OTHER, CHANNEL_COUNT } fc_channel;

/* The supervisors who approve a special complaint, one level each, in the
 * order [complaints] approval_levels lists them (domain.md "Complaint book"):
 * station head 站长, business dept manager 经营部经理, branch retail
 * management dept 分公司零售管理部, branch retail manager 分公司分管零售经理. */
typedef enum {
	APPROVER_STATION_HEAD,
	APPROVER_BUSINESS_DEPT_MANAGER,
	APPROVER_BRANCH_RETAIL_DEPT,
	APPROVER_BRANCH_RETAIL_MANAGER,
	APPROVER_COUNT
} fc_approver;

/* How a callback 回访 was made (domain.md "Callbacks"). */
typedef enum {
	CALLBACK_PHONE,
	CALLBACK_SMS,
	CALLBACK_EMAIL,
	CALLBACK_CARD,   /* greeting card */
	CALLBACK_VISIT,  /* in-person visit */
	CALLBACK_FORUM,  /* customer forum 座谈会 */
	CALLBACK_METHOD_COUNT
} fc_callback_method;

/* Stored key of each value ("big", "logistics", "swing", "head"). */
const char *nature_key(fc_nature n);
const char *industry_key(fc_industry i);
const char *stability_key(fc_stability s);
const char *role_key(fc_role r);
const char *severity_key(fc_severity s);
const char *channel_key(fc_channel c);
const char *callback_method_key(fc_callback_method m);
const char *approver_key(fc_approver a);
/* Stored tier key without nature: "diamond", "gold", "platinum", ... */
const char *tier_key(fc_tier t);
/* Unique name with nature, for config lists: "diamond", "gold-big",
 * "silver-big", "ordinary-big", "platinum", "gold-individual", ... */
const char *tier_config_name(fc_tier t);
fc_nature tier_nature(fc_tier t);

/* Parse stored keys; false when unknown. */
bool nature_parse(const char *s, fc_nature *out);
bool industry_parse(const char *s, fc_industry *out);
bool stability_parse(const char *s, fc_stability *out);
bool role_parse(const char *s, fc_role *out);
bool severity_parse(const char *s, fc_severity *out);
bool channel_parse(const char *s, fc_channel *out);
bool callback_method_parse(const char *s, fc_callback_method *out);
bool approver_parse(const char *s, fc_approver *out);
/* A tier key read with its nature ("gold" + NATURE_BIG -> TIER_BIG_GOLD);
 * false for "platinum" with big or "diamond" with individual. */
bool tier_parse(const char *key, fc_nature nature, fc_tier *out);
bool tier_parse_config_name(const char *s, fc_tier *out);

#endif
