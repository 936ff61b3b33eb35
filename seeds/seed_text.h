/* seed_text.h — realistic Chinese text for the demo data: people's and
 * companies' names, plates, phones, addresses and customer codes. */
#ifndef FC_SEED_TEXT_H
#define FC_SEED_TEXT_H

#include <stddef.h>

#include "base/domain.h"
#include "seeds/seed_rng.h"

#define SEED_TEXT_MAX 128 /* size of every buffer below */

/* A person's name: common surname + one or two given-name characters. */
void seed_text_person(seed_rng *r, char *out, size_t n);

/* A company name fitting the industry, e.g. "重庆顺达物流有限公司". */
void seed_text_company(seed_rng *r, fc_industry industry, char *out, size_t n);

/* A plate such as "渝A12345", in the stored form of plate_normalise (mostly Chongqing, some neighbours). */
void seed_text_plate(seed_rng *r, char *out, size_t n);

/* A mobile number 1[3-9]xxxxxxxxx. */
void seed_text_phone(seed_rng *r, char *out, size_t n);

/* An address in Chongqing: district, road, number. */
void seed_text_address(seed_rng *r, char *out, size_t n);

/* A job title for a contact ("车队队长", "总经理", ...). */
const char *seed_text_title(seed_rng *r);

/* A competitor channel or NULL (most customers use none). */
const char *seed_text_channel(seed_rng *r);

/* The customer code, the scheme of register_customer (src/pump/register.c):
 * STATION-N-II-NNNNNN.  STATION is the station id, N the nature (B big,
 * I individual), II the industry (PT passenger, LG logistics, TX taxi,
 * OF official, IN industrial, AG agri, OT other), NNNNNN the number within
 * that nature and industry (1..999999).  Codes therefore sort and group by
 * station, nature and industry.  Example: "S0001-B-LG-000042". */
void seed_text_code(const char *station, fc_industry industry, fc_nature nature,
		    long number, char *out, size_t n);

#endif
