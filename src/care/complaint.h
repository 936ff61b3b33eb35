/* complaint.h — the complaint book 意见簿: complaints with working-day
 * deadlines by severity and suggestions without one, the overdue-first
 * list, resolve and escalate.  The path after the handling (approval,
 * the customer told, closing): complaint_path.h. */
#ifndef FC_COMPLAINT_H
#define FC_COMPLAINT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/status.h"
#include "base/uuid.h"
#include "care/workdays.h"

typedef enum {
	COMPLAINT_OPEN,
	COMPLAINT_CLOSED,
	COMPLAINT_ALL,
	COMPLAINT_FILTER_COUNT
} fc_complaint_filter;

/* Stored keys ("general", "in_person") and their parsers. */

typedef struct fc_complaint_input {
	bool suggestion;           /* a suggestion: no severity, no deadline */
	int64_t received_ms;       /* 0 = now */
	fc_channel channel;
	int64_t customer_id;       /* 0 = none */
	const char *customer_name; /* optional, when no customer or for display */
	const char *category;      /* optional */
	fc_severity severity;
	const char *approved_by;   /* special: level 1's supervisor, required */
	int special_days;          /* special: 1..special_max_days (0 = the max) */
	const char *content;       /* required */
	int64_t staff_id;          /* who files it: a head or admin */
} fc_complaint_input;

typedef struct fc_complaint {
	char id[UUID_STR_LEN];
	char received_at[CLOCK_ISO_LEN];
	fc_channel channel;
	char customer_name[128];
	char category[64];
	bool suggestion;                  /* a suggestion: severity unused, no deadline */
	fc_severity severity;
	char approved_by[64];             /* special: level 1's supervisor */
	char special_at[CLOCK_ISO_LEN];   /* special: when it became one (level 1's time) */
	int levels_done;                  /* special: levels approved (1 + later ones) */
	char content[512];
	char deadline[WORKDAYS_DATE_LEN]; /* local date, due by the end of it; "" for a suggestion */
	bool closed;
	char result[256];                 /* the handling result (opinion until approved) */
	char handler[64];
	char handled_at[CLOCK_ISO_LEN];   /* "" until the result is recorded */
	char approver[64];                /* general: the head who approved the opinion */
	char approved_at[CLOCK_ISO_LEN];
	char told_by[64];                 /* who told the customer the result */
	char told_how[16];                /* a callback method key: phone, sms, visit, ... */
	char told_at[CLOCK_ISO_LEN];
	char closed_at[CLOCK_ISO_LEN];
	char remarks[640];                /* the result's remarks, then "; " and closing's */
	bool overdue;                     /* open and past the deadline's end (never a suggestion) */
	int64_t ms_left;                  /* until the deadline ends; negative when overdue */
} fc_complaint;

/* The working days a severity gives ([complaints] general/major days;
 * special: special_days, which must be 1..special_max_days). */
fc_status complaint_days(const fc_config *cfg, fc_severity sev, int special_days, int *days,
			 fc_error *err);

/* File a complaint: deadline = received + working days, one transaction
 * with the outbox record (type "complaint") and an audit row.  Special
 * needs approved_by (level 1 of [complaints] approval_levels).  A
 * suggestion (in->suggestion) gets no deadline; severity, approved_by and
 * special_days must be left at their zero values.  Empty content or an unknown customer is refused
 * with a message and stores nothing.  out (may be NULL) receives the row. */
fc_status complaint_create(sqlite3 *db, const fc_config *cfg, const fc_complaint_input *in,
			   fc_complaint *out, fc_error *err);

/* Complaints by filter: overdue first, then by deadline, then received;
 * ms_left against now_ms.  *rows is malloc'd (free()). */
fc_status complaint_list(sqlite3 *db, fc_complaint_filter filter, int64_t now_ms,
			 fc_complaint **rows, size_t *count, fc_error *err);

/* The short id people type and see: the last 8 characters of the UUIDv7
 * (the random part; the first ones are the creation time, shared by
 * complaints filed in the same minute).  Points into id. */
const char *complaint_short_id(const char *id);

/* One complaint by full id or a unique end of it (at least 4 characters,
 * e.g. the short id). */
fc_status complaint_find(sqlite3 *db, const char *id_or_prefix, int64_t now_ms,
			 fc_complaint *out, fc_error *err);

/* Record the handling result and handler (both required) of an open entry;
 * update row, outbox record ("complaint_update", kind "resolve") and audit
 * together.  A suggestion or a major complaint is closed by it; a general
 * complaint or a special case stays open for the rest of its path
 * (complaint_path.h) and its result may be recorded once.
 * *closed (may be NULL) says which. */
fc_status complaint_resolve(sqlite3 *db, const fc_config *cfg, const char *id,
			    const char *result, const char *handler, const char *remarks,
			    int64_t staff_id, bool *closed, fc_error *err);

/* Raise an open complaint to a higher severity with a reason; the new
 * deadline counts from the original receipt.  Special needs approved_by
 * (level 1 of approval_levels).  A suggestion is refused.
 * An overdue complaint raised to major keeps its (passed) deadline and
 * stays overdue; only a special case (approved) gets a new one.  Either
 * way the stored reason ends "(overdue since DATE)".
 * out (may be NULL) receives the updated row. */
fc_status complaint_escalate(sqlite3 *db, const fc_config *cfg, const char *id,
			     fc_severity severity, int special_days, const char *approved_by,
			     const char *reason, int64_t staff_id, fc_complaint *out,
			     fc_error *err);

/* One change of an open entry: a complaint_updates row of kind (resolve,
 * escalate, approve, level, tell, close), the complaints row's change, the
 * outbox record "complaint_update" (these fields as its data, "status" open
 * or closed after it) and an audit row "complaint_KIND".  Fields not used
 * by a kind are NULL / 0. */
typedef struct fc_complaint_change {
	const char *kind;
	const char *result, *handler, *remarks;     /* resolve; close: added to the result's */
	const char *severity, *deadline, *reason;   /* escalate */
	const char *approved_by;                    /* escalate to special, approve, level */
	const char *level;                          /* level: its approver key */
	int level_no;                               /* level: from 1 */
	const char *told_by, *told_how;             /* tell */
	const char *happened_at;                    /* level, tell: when (UTC ISO-8601) */
	bool closes;                                /* resolve: the entry is closed by it */
} fc_complaint_change;

/* Apply ch to the open entry c inside the caller's transaction (the caller
 * checked the path); FC_ERR_CONFLICT when the row was changed meanwhile. */
fc_status complaint_change_apply(sqlite3 *db, const fc_config *cfg, const fc_complaint *c,
				 const fc_complaint_change *ch, int64_t staff_id, fc_error *err);

/* The customer holding a loyalty card (for a complaint filed by swiping):
 * id, code[32] and name[128]; FC_ERR_NOT_FOUND for an unknown card. */
fc_status complaint_customer_by_card(sqlite3 *db, const char *card_id, int64_t *id, char *code,
				     char *name, fc_error *err);

/* Open complaints whose deadline has ended by now_ms; -1 on error. */
int complaint_count_overdue(sqlite3 *db, int64_t now_ms);

#endif
