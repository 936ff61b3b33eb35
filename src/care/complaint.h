/* complaint.h — the complaint book 意见簿: entries with working-day
 * deadlines by severity, the overdue-first list, resolve and escalate. */
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
	int64_t received_ms;       /* 0 = now */
	fc_channel channel;
	int64_t customer_id;       /* 0 = none */
	const char *customer_name; /* optional, when no customer or for display */
	const char *category;      /* optional */
	fc_severity severity;
	const char *approved_by;   /* supervisor: required for special */
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
	fc_severity severity;
	char approved_by[64];
	char content[512];
	char deadline[WORKDAYS_DATE_LEN]; /* local date, due by the end of it */
	bool closed;
	char result[256];
	char handler[64];
	bool overdue;                     /* open and past the deadline's end */
	int64_t ms_left;                  /* until the deadline ends; negative when overdue */
} fc_complaint;

/* The working days a severity gives ([complaints] general/major days;
 * special: special_days, which must be 1..special_max_days). */
fc_status complaint_days(const fc_config *cfg, fc_severity sev, int special_days, int *days,
			 fc_error *err);

/* File a complaint: deadline = received + working days, one transaction
 * with the outbox record (type "complaint") and an audit row.  Special
 * needs approved_by.  Empty content or an unknown customer is refused
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

/* Close an open complaint with its result and handler (both required);
 * update row, outbox record ("complaint_update") and audit together. */
fc_status complaint_resolve(sqlite3 *db, const fc_config *cfg, const char *id,
			    const char *result, const char *handler, const char *remarks,
			    int64_t staff_id, fc_error *err);

/* Raise an open complaint to a higher severity with a reason; the new
 * deadline counts from the original receipt.  Special needs approved_by.
 * An overdue complaint raised to major keeps its (passed) deadline and
 * stays overdue; only a special case (approved) gets a new one.  Either
 * way the stored reason ends "(overdue since DATE)".
 * out (may be NULL) receives the updated row. */
fc_status complaint_escalate(sqlite3 *db, const fc_config *cfg, const char *id,
			     fc_severity severity, int special_days, const char *approved_by,
			     const char *reason, int64_t staff_id, fc_complaint *out,
			     fc_error *err);

/* The customer holding a loyalty card (for a complaint filed by swiping):
 * id, code[32] and name[128]; FC_ERR_NOT_FOUND for an unknown card. */
fc_status complaint_customer_by_card(sqlite3 *db, const char *card_id, int64_t *id, char *code,
				     char *name, fc_error *err);

/* Open complaints whose deadline has ended by now_ms; -1 on error. */
int complaint_count_overdue(sqlite3 *db, int64_t now_ms);

#endif
