/* statement.h — the fuel ledger 用油台账 of one customer for one station-local
 * month: every fuelling of its cards (a unit customer's whole fleet) with
 * totals per card and per grade, for `forecourt statement` and the kiosk. */
#ifndef FC_STATEMENT_H
#define FC_STATEMENT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/domain.h"
#include "base/status.h"
#include "report/report.h"

#define STATEMENT_CARD_LEN 24  /* a masked card, "****1234" */
#define STATEMENT_PLATE_LEN 64 /* the customer's plates, cut */

/* One fuelling.  Cards are masked (lookup_mask_card) wherever they are
 * shown, as on the kiosk; the station is this database's (visits are the
 * station's own: other stations' fuellings are at head office). */
typedef struct statement_row {
	char at[CLOCK_ISO_LEN];        /* visits.created_at, UTC */
	char local[CLOCK_ISO_LEN];     /* station-local "2026-06-03 08:15" */
	char card[STATEMENT_CARD_LEN]; /* masked */
	char grade[REPORT_GRADE_LEN];
	int64_t volume_ml, amount_fen, discount_fen, points;
} statement_row;

/* Totals of a card or a grade (key), or of the month. */
typedef struct statement_total {
	char key[STATEMENT_CARD_LEN];  /* masked card, or grade; "" for the month */
	int64_t fuellings, volume_ml, amount_fen, discount_fen, points;
} statement_total;

typedef struct statement {
	char code[32], name[128];
	fc_nature nature;
	char plate[STATEMENT_PLATE_LEN];  /* the customer's plates (visits record none), "" */
	char station[256];                /* cfg->station_id */
	char month[REPORT_MONTH_LEN];     /* "2026-06" */
	char from[CLOCK_ISO_LEN], to[CLOCK_ISO_LEN]; /* UTC [from, to): the local month */
	char card[STATEMENT_CARD_LEN];    /* the --card filter, masked; "" = every card */
	statement_row *rows;              /* by time; malloc'd, statement_free */
	size_t count;
	statement_total *by_card;         /* every card of the customer (with --card: that
					     one), by card id, then any other card its
					     fuellings used; malloc'd */
	size_t card_count;
	statement_total *by_grade;        /* by grade name; malloc'd */
	size_t grade_count;
	statement_total total;
} statement;

/* Compute the ledger of customer code for month ("YYYY-MM"; NULL = the
 * station-local month of clock_now_ms()), only card when card is not
 * NULL.  Read-only, one read transaction; the visits are read through the
 * index visits_customer (customer, time).  FC_ERR_INVALID (exit 2) naming
 * the value: an unknown code, a month not YYYY-MM (report_parse_month's
 * words), a malformed card id or one that is not the customer's.  out is
 * zeroed first and must be freed with statement_free, also after an error. */
fc_status statement_compute(sqlite3 *db, const fc_config *cfg, const char *code,
			    const char *month, const char *card, statement *out, fc_error *err);

void statement_free(statement *s);

#endif
