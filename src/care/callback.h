/* callback.h — callbacks 回访 to the customers this station owes: who is
 * due this month (and before a major holiday), for the F8 list and the
 * swipe from one rule, recording one. */
#ifndef FC_CALLBACK_H
#define FC_CALLBACK_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/domain.h"
#include "base/status.h"
#include "base/uuid.h"
#include "care/study.h"
#include "care/workdays.h"

/* domain.md owner table: the station maintains ordinary big customers and
 * silver and ordinary individuals. */
bool callback_station_maintains(fc_tier tier);

/* Callbacks are owed by the owner's station: this station owes a
 * customer's callbacks when it maintains the tier and the customer's home
 * station (customers.home_station, from head office) is this one
 * ([station] id) or unknown (NULL or ""). */
bool callback_station_owes(const fc_config *cfg, fc_tier tier, const char *home_station);

/* Callbacks a month a customer needs: [callbacks] top_per_month for
 * diamond, gold (big), platinum, gold (individual), other_per_month for the
 * rest, plus swing_extra for a swing customer. */
int callback_required(const fc_config *cfg, fc_tier tier, fc_stability stability);

typedef struct fc_callback_due {
	int64_t customer_id;
	char code[32];
	char name[128];
	char phone[32];
	fc_tier tier;
	fc_stability stability;
	int required;                 /* this month */
	int done;                     /* callbacks and visit reports since the 1st of this
					 month, local */
	int behind;                   /* what is missing, holiday included */
	bool holiday;                 /* due because of the coming major holiday */
	bool special;                 /* due: a care call before its special date */
	char special_kind[16];        /* "birthday" or "anniversary", "" when none ahead */
	char special_date[WORKDAYS_DATE_LEN]; /* its next day, "" when none ahead */
	bool owed;                    /* callback_station_owes: this station owes them */
	char last_at[CLOCK_ISO_LEN];  /* last callback or visit report, "" when never */
} fc_callback_due;

typedef struct fc_callback_due_list {
	fc_callback_due *rows;        /* malloc'd; callback_due_free */
	size_t count;
	char holiday_date[WORKDAYS_DATE_LEN]; /* first major holiday within [callbacks]
						 holiday_window_days, "" when none */
	char holiday_name[64];
} fc_callback_due_list;

/* The customers this station owes (callback_station_owes) behind on
 * callbacks at now_ms (a visit report counts as an in-person callback on
 * its report date): fewer callbacks this month than required; or none in
 * the [callbacks] holiday_window_days days before a major holiday (the
 * holidays table's major column) that starts within that many days; or
 * none since special_date_days days before a birthday or company
 * anniversary that is that close (today included; a care call).  Most
 * behind first, then the longest without a callback, then by code. */
fc_status callback_list_due(sqlite3 *db, const fc_config *cfg, int64_t now_ms,
			    fc_callback_due_list *out, fc_error *err);
void callback_due_free(fc_callback_due_list *list);

/* The next day of special date ("MM-DD" or "YYYY-MM-DD", the archive's
 * birthday or anniversary) on or after today ("YYYY-MM-DD"): into
 * next[WORKDAYS_DATE_LEN] and true when it is at most days days away (0:
 * today); 02-29 falls on 02-28 in a common year.  False for no date or a
 * malformed one.  Pure. */
bool callback_special_ahead(const char *today, const char *date, int days,
			    char next[WORKDAYS_DATE_LEN]);

/* One customer by the same function and rule as callback_list_due (what
 * the swipe shows agrees with the F8 list): out is filled whether owed or
 * not; the customer is due when out->owed && out->behind > 0, and then is
 * in callback_list_due's list.  Kept statements and a kept day window:
 * cheap enough for every swipe.  FC_ERR_NOT_FOUND for no such customer. */
fc_status callback_customer_due(sqlite3 *db, const fc_config *cfg, int64_t now_ms,
				int64_t customer_id, fc_callback_due *out, fc_error *err);

/* Customer id by customer code (FC_ERR_NOT_FOUND naming the code). */
fc_status callback_customer_by_code(sqlite3 *db, const char *code, int64_t *id, fc_error *err);

/* Record a callback (staff: a head or admin) with its outbox record
 * ("callback") and audit row in one transaction; id_out may be NULL.
 * notes (what was said) is required: blank is refused (FC_ERR_INVALID), as
 * are notes and contact that are not UTF-8 or hold control characters
 * (text_check_field).  FC_ERR_NOT_FOUND when there is no such customer. */
fc_status callback_record(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
			  fc_callback_method method, const char *contact, const char *notes,
			  int64_t staff_id, char *id_out, fc_error *err);

/* callback_record with the monthly study's answers (care/study.h; NULL or
 * empty: none), checked by study_check (FC_ERR_INVALID naming the field),
 * stored on the callback, in its record and on the customer. */
fc_status callback_record_study(sqlite3 *db, const fc_config *cfg, int64_t customer_id,
				fc_callback_method method, const char *contact, const char *notes,
				const study_answers *study, int64_t staff_id, char *id_out,
				fc_error *err);

#endif
