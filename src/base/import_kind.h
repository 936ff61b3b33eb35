/* import_kind.h — the kinds of head-office file (customers, cards, blocked
 * cards, prices, holidays, tiers, litres): their columns and the checks of
 * one row's values that need no database.  The station's import, its master
 * pull (a master line is a row of one kind) and forecourt-hq's import share
 * them. */
#ifndef FC_IMPORT_KIND_H
#define FC_IMPORT_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"

typedef enum {
	IMPORT_CUSTOMERS,
	IMPORT_CARDS,
	IMPORT_BLOCKED,
	IMPORT_PRICES,
	IMPORT_HOLIDAYS,
	IMPORT_TIERS,  /* head office's tier of a customer for a half-year */
	IMPORT_LITRES, /* a customer's litres in a half-year at all stations */
	IMPORT_KIND_COUNT
} import_kind;

#define IMPORT_MAX_COLS 24 /* columns of the widest kind (customers: 23) */

/* The longest customer code, in bytes: what a station's screens, records
 * and uploads hold (char code[32]).  A longer one is refused, never cut. */
#define IMPORT_CODE_MAX 31

/* Column indexes of each kind, in the order import_kind_columns lists them. */
enum {
	IMPORT_CU_CODE, IMPORT_CU_NAME, IMPORT_CU_NATURE, IMPORT_CU_INDUSTRY, IMPORT_CU_TIER,
	IMPORT_CU_POINTS, IMPORT_CU_PHONE, IMPORT_CU_PLATE, IMPORT_CU_CONTACT,
	IMPORT_CU_ADDRESS, IMPORT_CU_FUEL_GRADES, IMPORT_CU_YEARLY_LITRES,
	IMPORT_CU_REFUEL_CYCLE_DAYS, IMPORT_CU_OTHER_CHANNELS, IMPORT_CU_POTENTIAL_NEEDS,
	IMPORT_CU_PERSON_IN_CHARGE, IMPORT_CU_HANDLER, IMPORT_CU_SPECIAL_NEEDS,
	IMPORT_CU_LAST_PURCHASE_AT, IMPORT_CU_HOME_STATION, IMPORT_CU_OWNER_STAFF,
	IMPORT_CU_OWNER_NAME, IMPORT_CU_POINTS_SEQ, IMPORT_CU_COUNT
};
enum { IMPORT_CA_ID, IMPORT_CA_CUSTOMER, IMPORT_CA_KIND, IMPORT_CA_STATUS };
enum { IMPORT_BL_ID, IMPORT_BL_REASON };
enum { IMPORT_PR_GRADE, IMPORT_PR_TIER, IMPORT_PR_NATURE, IMPORT_PR_DISCOUNT };
enum { IMPORT_HO_DATE, IMPORT_HO_KIND, IMPORT_HO_NAME };
enum { IMPORT_TI_CUSTOMER, IMPORT_TI_TIER, IMPORT_TI_PERIOD };
enum { IMPORT_LI_CUSTOMER, IMPORT_LI_PERIOD, IMPORT_LI_LITRES };

struct rowfile_errors; /* base/rowfile.h */

/* "customers" -> IMPORT_CUSTOMERS ...; false when unknown. */
bool import_kind_parse(const char *name, import_kind *out);
const char *import_kind_name(import_kind kind);

/* The accepted column names of kind, required ones first, comma separated
 * (static storage), for usage and error messages. */
const char *import_kind_columns(import_kind kind);

/* Columns of kind: count, name of column i, whether it is required, whether
 * it holds a whole number; index of a name (-1 when kind has none). */
int import_kind_column_count(import_kind kind);
const char *import_kind_column_name(import_kind kind, int i);
bool import_kind_column_required(import_kind kind, int i);
bool import_kind_column_is_int(import_kind kind, int i);
int import_kind_column_find(import_kind kind, const char *name);

/* Check one row of kind: vals[i] is column i's text, NULL when absent or
 * empty.  Required columns, whole numbers (into nums[i]; owner_staff
 * >= 1), the accepted words, dates, UTC times in their one form
 * "2026-07-01T08:00:00Z", half-years "2026H2", station ids, card ids,
 * customer codes of at most IMPORT_CODE_MAX bytes; then a tier that fits
 * the nature (customers, prices), points_seq only beside points, and a
 * price's grade: one of cfg's [fuel] grades, or with cfg NULL (head
 * office, which serves every station's grades) any name a station's
 * config could hold.  Each problem is noted in errors at its current line
 * (rowfile_bad); false when the row is bad. */
bool import_kind_check_row(import_kind kind, const char *const *vals, const fc_config *cfg,
			   int64_t *nums, struct rowfile_errors *errors);

/* Whether tier (NULL: none given) is a tier of the nature nature_key ("big",
 * "individual"); when not, noted as column 'tier' in errors. */
bool import_kind_check_tier(const char *tier, const char *nature_key,
			    struct rowfile_errors *errors);

/* The key of a row of kind, what one line of a file stands for: a
 * customer's code, a card id, a price's grade, tier and nature, a date, a
 * customer's half-year.  Its values joined by IMPORT_KEY_SEP into key (n
 * bytes); *names (may be NULL) gets the key columns' names, e.g. "grade,
 * tier, nature".  Returns the length, 0 when a key column is empty (the
 * row is bad anyway) or the key does not fit. */
#define IMPORT_KEY_SEP '\x1f'
size_t import_kind_key(import_kind kind, const char *const *vals, char *key, size_t n,
		       const char **names);

/* NULL when s is a canonical card id (uppercase hex, 2 to 64 digits), else
 * why not (static text). */
const char *import_kind_card_problem(const char *s);

#endif
