/* seed_text.h — realistic Chinese text for the demo data: people's and
 * companies' names, plates, phones, addresses and customer codes. */
#ifndef FC_SEED_TEXT_H
#define FC_SEED_TEXT_H

#include <stddef.h>

#include "domain.h"
#include "seed_rng.h"

#define SEED_TEXT_MAX 128 /* size of every buffer below */

/* A person's name: common surname + one or two given-name characters. */
void seed_text_person(seed_rng *r, char *out, size_t n);

/* A company name fitting the industry, e.g. "重庆顺达物流有限公司". */
void seed_text_company(seed_rng *r, fc_industry industry, char *out, size_t n);

/* A plate such as "渝A·12345" (mostly Chongqing, some neighbours). */
void seed_text_plate(seed_rng *r, char *out, size_t n);

/* A mobile number 1[3-9]xxxxxxxxx. */
void seed_text_phone(seed_rng *r, char *out, size_t n);

/* An address in Chongqing: district, road, number. */
void seed_text_address(seed_rng *r, char *out, size_t n);

/* A job title for a contact ("车队队长", "总经理", ...). */
const char *seed_text_title(seed_rng *r);

/* A competitor channel or NULL (most customers use none). */
const char *seed_text_channel(seed_rng *r);

/* The customer code: STATION-IB-NNNNNNN.  STATION is the station id, I the
 * industry digit in domain order (1 passenger, 2 logistics, 3 taxi,
 * 4 official, 5 industrial, 6 agri, 7 other), B the nature (B big,
 * P personal/individual), NNNNNNN the station's customer number.  Codes
 * therefore sort and group by station, industry and nature.
 * Example: "S0001-2B-0000042". */
void seed_text_code(const char *station, fc_industry industry, fc_nature nature,
		    long number, char *out, size_t n);

#endif
