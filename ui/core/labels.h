/* labels.h — translated display names of the domain keys (tiers with their
 * nature, natures, industries, stability, maintainers) and money/volume. */
#ifndef FC_UI_LABELS_H
#define FC_UI_LABELS_H

#include <stddef.h>
#include <stdint.h>

#include "base/domain.h"

/* 钻级/金级/银级/普通 for big, 白金级/黄金级/白银级/普通级 for individual. */
const char *label_tier(fc_tier t);
const char *label_nature(fc_nature n);
const char *label_industry(fc_industry i);
const char *label_stability(fc_stability s);
/* Who maintains the customer, from lookup's owner_key; the key itself when
 * unknown, "—" for NULL. */
const char *label_owner(const char *owner_key);

/* "1,234.56" style yuan of fen into buf; returns buf. */
char *label_yuan(int64_t fen, char *buf, size_t n);
/* "40.00" litres of ml into buf; returns buf. */
char *label_litres(int64_t ml, char *buf, size_t n);

#endif
