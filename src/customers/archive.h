/* archive.h — the customer archive of domain.md: every field viewed and
 * edited, potential customers registered with a generated code, and every
 * change queued for head office as 'customer_changed' (who, old and new). */
#ifndef FC_ARCHIVE_H
#define FC_ARCHIVE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/domain.h"
#include "base/status.h"

#define ARCHIVE_VALUE_LEN 256
#define ARCHIVE_COLUMNS_MAX 96 /* columns of customers archive_show keeps (45 in schema 7, 54 with the customers of issue 16) */
#define ARCHIVE_YEARLY_LITRES_MAX 100000000LL /* yearly_litres 0..100 000 000 */
#define ARCHIVE_CYCLE_DAYS_MAX 365            /* refuel_cycle_days 1..365 */
#define ARCHIVE_PHONE_MAX 20                  /* characters of a phone number */
#define ARCHIVE_RATING_MAX 100                /* rating_scale, _credit, _influence 0..100 */

/* Editable archive fields, in display order (static, NULL-terminated):
 * name, contact, phone, address, plate, fuel_grades, yearly_litres,
 * refuel_cycle_days, other_channels, potential_needs, person_in_charge,
 * handler, special_needs, industry, nature, competitor (0/1: buys from a
 * competitor), competitor_name, birthday, anniversary (special dates:
 * MM-DD or YYYY-MM-DD), rating_scale, rating_credit, rating_influence (a
 * head's judgement 0..ARCHIVE_RATING_MAX for the composite evaluation; ""
 * clears it and the stand-in counts again). */
extern const char *const archive_fields[];

typedef struct archive_value {
	char field[32];                /* column name */
	char value[ARCHIVE_VALUE_LEN]; /* "" when empty */
} archive_value;

typedef struct archive_card {
	char code[32];
	archive_value values[ARCHIVE_COLUMNS_MAX]; /* every column of the customer, in table order */
	size_t count;
} archive_card;

/* Every column of customer code (archive fields, classes, tier and its
 * source, points, composite score and class, visits, head office's last
 * purchase, home station and named owner), then last_purchase_at: the
 * last purchase at any station (CLASSIFY_LAST_PURCHASE_SQL).  FC_ERR_NOT_FOUND
 * when unknown.  code may point into *out (a reload).  Read-only. */
fc_status archive_show(sqlite3 *db, const char *code, archive_card *out, fc_error *err);

/* The one check of an archive field's new value, for the CLI, the kiosk and
 * registration alike: a known field, UTF-8 text without control characters
 * and not only blanks (text_check_field), industry/nature keys, a name, a phone
 * (archive_check_phone), a plate list (archive_check_plate), yearly_litres
 * 0..ARCHIVE_YEARLY_LITRES_MAX, refuel_cycle_days 1..ARCHIVE_CYCLE_DAYS_MAX ("" clears).  FC_ERR_INVALID
 * naming the field and the range. */
fc_status archive_check_field(const char *field, const char *value, fc_error *err);

/* A special date as the archive keeps it: "MM-DD" (02-29 allowed) or a
 * real "YYYY-MM-DD" from 1900 on. */
bool archive_special_date_valid(const char *date);

/* A plate or a list of plates as typed: FC_ERR_INVALID when one of them,
 * separators dropped, holds punctuation or no letter or digit ("!!!");
 * "" is no plate. */
fc_status archive_check_plate(const char *plate, fc_error *err);

/* A phone number: only digits, '+', '-' and spaces, at least 3 digits, at
 * most ARCHIVE_PHONE_MAX characters; "" is no phone.  FC_ERR_INVALID naming
 * the field 'phone'. */
fc_status archive_check_phone(const char *phone, fc_error *err);

/* Bind plate, normalised (base/plate.h), as parameter col of st (for the
 * import). */
void archive_bind_plate(sqlite3_stmt *st, int col, const char *plate);

typedef struct archive_edit {
	const char *field; /* one of archive_fields */
	const char *value; /* "" clears a text field */
} archive_edit;

/* Change fields of customer code in one transaction: checks each value
 * (archive_check_field; nature is refused: it follows the cards), plates
 * normalised (plate_normalise), writes only the fields that
 * differ, queues one 'customer_changed' record {code, action "edit",
 * changes: [{field, old, new}]} with staff_id and an audit row.  A
 * changed rating notes staff_id and the time (rating_by, rating_at) and
 * evaluates the composite class at once (classify_composite_customer); a
 * changed yearly_litres grades a potential customer again
 * (tiers_grade_declared), each with its record.  An edit of competitor
 * or competitor_name must leave them agreeing: competitor 1 with a
 * competitor_name (whose), a name only with competitor 1 (archive_register
 * too); else FC_ERR_INVALID naming competitor_name.  *changed
 * (may be NULL) receives the number of fields changed; 0 writes nothing. */
fc_status archive_update(sqlite3 *db, const fc_config *cfg, int64_t staff_id, const char *code,
			 const archive_edit *edits, size_t n, int *changed, fc_error *err);

/* Customer codes (README "Customer codes"): STATION-N-II-NNNNNN, the
 * station id, N the nature (B big, I individual), II the industry (PT
 * passenger, LG logistics, TX taxi, OF official, IN industrial, AG agri,
 * OT other) and NNNNNN the number within that station, nature and industry
 * (1..999999): "S0001-B-LG-000042".  Codes sort and group by class.
 * archive_format_code writes the code of number into out (n bytes). */
void archive_format_code(const char *station, fc_nature nature, fc_industry industry,
			 long number, char *out, size_t n);

/* The next free code of that station, nature and industry: one above the
 * highest well-formed code of the prefix (imported codes count), through
 * the code index.  FC_ERR_LIMIT after 999999.  Call inside the transaction
 * that inserts the customer.  Used by archive_register and
 * register_customer (src/pump/register.h). */
fc_status archive_next_code(sqlite3 *db, const char *station, fc_nature nature,
			    fc_industry industry, char code[32], fc_error *err);

/* Register a potential customer (never bought yet) with name, nature,
 * industry and optional further fields, under the next code of
 * archive_next_code.  Queues 'customer_changed' {action "register",
 * changes: every field with old null}; with yearly_litres, its
 * provisional tier (tiers_grade_declared).  code_out receives the code (32
 * bytes). */
fc_status archive_register(sqlite3 *db, const fc_config *cfg, int64_t staff_id, const char *name,
			   fc_nature nature, fc_industry industry, const archive_edit *more,
			   size_t n, char *code_out, fc_error *err);

/* A station head (staff_id) proposes customer code's named owner 定人维护:
 * owner_staff, the number head office knows a member of the customer's
 * home station by (the id of `forecourt staff list` there).  Head office
 * applies it when that member exists there and is active; nothing changes
 * here until its master data says so.  When the home station is this one
 * (or unknown), owner_staff must be an active member here.  reason is
 * optional ("" or NULL), one line of at most ARCHIVE_VALUE_LEN - 1 bytes.
 * Queues 'owner_proposed' {customer_code, staff, reason} and the audited
 * event "owner_propose" in one transaction.  home_out (32 bytes, may be
 * NULL) receives the station that decides.  FC_ERR_NOT_FOUND for an
 * unknown code or no such active member here, FC_ERR_AUTH for a non-head,
 * FC_ERR_INVALID naming a bad value. */
fc_status archive_propose_owner(sqlite3 *db, const fc_config *cfg, int64_t staff_id,
				const char *code, int64_t owner_staff, const char *reason,
				char home_out[32], fc_error *err);

#endif
