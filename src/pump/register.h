/* register.h — a new customer registered on the spot from an unknown card:
 * generated customer code, the card linked, one transaction. */
#ifndef FC_REGISTER_H
#define FC_REGISTER_H

#include <sqlite3.h>
#include <stdint.h>

#include "base/config.h"
#include "base/domain.h"
#include "base/status.h"
#include "base/uuid.h"

typedef struct fc_customer_input {
	const char *card_id;   /* the unknown card to link (canonicalised here) */
	const char *name;      /* required */
	const char *phone, *plate; /* optional ("" or NULL) */
	fc_nature nature;
	fc_industry industry;
	int64_t staff_id;      /* 0 = none */
} fc_customer_input;

typedef struct fc_customer_result {
	char id[UUID_STR_LEN];  /* the customer_registered record id */
	int64_t customer_id;
	char code[32];          /* generated: STATION-N-II-NNNNNN */
} fc_customer_result;

/* Register a new customer from an unknown card on the spot: stability
 * 'potential', tier 'ordinary' (local), a generated customer code that
 * sorts by station, nature and industry ("S0001-B-LG-000001"), the card
 * linked ('unit' for big, 'personal' for individual), the outbox record
 * "customer_registered" and an audit row, in one transaction.
 * A card already known: FC_ERR_EXISTS. */
fc_status register_customer(sqlite3 *db, const fc_config *cfg, const fc_customer_input *in,
			     fc_customer_result *out, fc_error *err);

#endif
