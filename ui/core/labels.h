/* labels.h — translated display names of the domain keys (tiers with their
 * nature, natures, industries, stability, roles, complaint severity and
 * channel, callback method, maintainers) and money/volume. */
#ifndef FC_UI_LABELS_H
#define FC_UI_LABELS_H

#include <stddef.h>
#include <stdint.h>

#include "base/domain.h"

/* A table of names with exactly one entry per value of an enum (count):
 * a value added to the enum, or an entry missing, fails to compile. */
#define LABELS_ASSERT_COUNT(names, count) \
	_Static_assert(sizeof(names) / sizeof(names)[0] == (count), #names " names every value")

/* The msgids (untranslated, for a choice field that translates when it
 * draws) in the order of each enum; one entry per value. */
extern const char *const labels_industry_names[INDUSTRY_COUNT];
extern const char *const labels_nature_names[NATURE_COUNT];
extern const char *const labels_severity_names[SEVERITY_COUNT];
extern const char *const labels_channel_names[CHANNEL_COUNT];
extern const char *const labels_callback_method_names[CALLBACK_METHOD_COUNT];

/* 钻级/金级/银级/普通 for big, 白金级/黄金级/白银级/普通级 for individual. */
const char *labels_tier(fc_tier t);
/* The translated name of a value; "?" when out of range. */
const char *labels_nature(fc_nature n);
const char *labels_industry(fc_industry i);
const char *labels_stability(fc_stability s);
/* The same in a list's narrow column: "current" (现有). */
const char *labels_stability_short(fc_stability s);
const char *labels_role(fc_role r);
const char *labels_severity(fc_severity s);
const char *labels_channel(fc_channel c);
/* Who maintains the customer, from lookup's owner_key; the key itself when
 * unknown, "—" for NULL. */
const char *labels_owner(const char *owner_key);
/* Who maintains the customer for the card: the named owner (head office's
 * owner_name and owner_staff, "Wang Fang (#7)", with the home station when
 * it is not here) when known, else labels_owner of the role; into buf. */
char *labels_maintainer(const char *owner_key, const char *owner_name, int64_t owner_staff,
			const char *home_station, const char *here, char *buf, size_t n);

/* "1,234.56" style yuan of fen into buf; returns buf. */
char *labels_yuan(int64_t fen, char *buf, size_t n);
/* "40.00" litres of ml into buf; returns buf. */
char *labels_litres(int64_t ml, char *buf, size_t n);

#endif
