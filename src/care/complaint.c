/* complaint.c — complaint book entries, their deadlines on the working-day
 * calendar, the overdue-first list, resolution and escalation. */
#include "care/complaint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_check.h"
#include "staff/staff.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/record.h"

fc_status complaint_days(const fc_config *cfg, fc_severity sev, int special_days, int *days,
			 fc_error *err)
{
	switch (sev) {
	case SEVERITY_GENERAL:
		*days = cfg->complaint_general_days;
		return FC_OK;
	case SEVERITY_MAJOR:
		*days = cfg->complaint_major_days;
		return FC_OK;
	case SEVERITY_SPECIAL:
		if (special_days == 0)
			special_days = cfg->complaint_special_max_days;
		if (special_days < 1 || special_days > cfg->complaint_special_max_days)
			return fc_error_set(err, FC_ERR_INVALID,
					    "a special case gets 1 to %d working days, not %d",
					    cfg->complaint_special_max_days, special_days);
		*days = special_days;
		return FC_OK;
	default:
		return fc_error_set(err, FC_ERR_INVALID, "unknown severity");
	}
}

/* The acting staff member must be an active head or admin. */
static fc_status complaint_require_head(sqlite3 *db, int64_t staff_id, fc_error *err)
{
	return staff_require_role(db, staff_id, ROLE_HEAD, err);
}

#define COMPLAINT_COLUMNS                                                                  \
	"id, received_at, channel, coalesce(customer_name, ''), coalesce(category, ''), "  \
	"severity, coalesce(approved_by, ''), content, deadline, status, "                 \
	"coalesce(result, ''), coalesce(handler, '')"

static void complaint_from_row(sqlite3_stmt *st, int64_t now_ms, fc_complaint *c)
{
	memset(c, 0, sizeof *c);
	db_column_copy(st, 0, c->id, sizeof c->id);
	db_column_copy(st, 1, c->received_at, sizeof c->received_at);
	channel_parse((const char *)sqlite3_column_text(st, 2), &c->channel);
	db_column_copy(st, 3, c->customer_name, sizeof c->customer_name);
	db_column_copy(st, 4, c->category, sizeof c->category);
	severity_parse((const char *)sqlite3_column_text(st, 5), &c->severity);
	db_column_copy(st, 6, c->approved_by, sizeof c->approved_by);
	db_column_copy(st, 7, c->content, sizeof c->content);
	db_column_copy(st, 8, c->deadline, sizeof c->deadline);
	c->closed = strcmp((const char *)sqlite3_column_text(st, 9), "closed") == 0;
	db_column_copy(st, 10, c->result, sizeof c->result);
	db_column_copy(st, 11, c->handler, sizeof c->handler);
	int64_t end = 0;
	if (workdays_deadline_end_ms(c->deadline, &end, NULL) == FC_OK)
		c->ms_left = end - now_ms;
	c->overdue = !c->closed && c->ms_left <= 0;
}

fc_status complaint_list(sqlite3 *db, fc_complaint_filter filter, int64_t now_ms,
			 fc_complaint **rows, size_t *count, fc_error *err)
{
	char today[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	*rows = NULL;
	*count = 0;
	clock_local_date(now_ms, today);
	fc_status s = db_prepare(db,
				 "SELECT " COMPLAINT_COLUMNS " FROM complaints "
				 "WHERE ?1 = 'all' OR status = ?1 "
				 "ORDER BY (status = 'open' AND deadline < ?2) DESC, "
				 "status = 'open' DESC, deadline, received_at",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1,
			  filter == COMPLAINT_OPEN ? "open" : filter == COMPLAINT_CLOSED ? "closed" : "all",
			  -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_TRANSIENT);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			fc_complaint *grown = realloc(*rows, cap * sizeof **rows);
			if (!grown) {
				rc = SQLITE_NOMEM;
				break;
			}
			*rows = grown;
		}
		complaint_from_row(st, now_ms, &(*rows)[(*count)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*rows);
		*rows = NULL;
		*count = 0;
		return db_fail(db, rc, "reading the complaint book", err);
	}
	return FC_OK;
}

const char *complaint_short_id(const char *id)
{
	size_t n = strlen(id);
	return n > 8 ? id + n - 8 : id;
}

fc_status complaint_find(sqlite3 *db, const char *id, int64_t now_ms, fc_complaint *out,
			 fc_error *err)
{
	if (!id || strlen(id) < 4 || strlen(id) >= UUID_STR_LEN)
		return fc_error_set(err, FC_ERR_INVALID,
				    "give a complaint id or at least its last 4 characters");
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT " COMPLAINT_COLUMNS " FROM complaints "
				 "WHERE substr(id, -length(?1)) = lower(?1) LIMIT 2",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int found = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (found++ == 0)
			complaint_from_row(st, now_ms, out);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the complaint book", err);
	if (found == 0)
		return fc_error_set(err, FC_ERR_NOT_FOUND, "no complaint '%s'", id);
	if (found > 1)
		return fc_error_set(err, FC_ERR_INVALID, "'%s' names several complaints: give more of the id", id);
	return FC_OK;
}

/* Name of customer id into out; FC_ERR_NOT_FOUND when there is none. */
static fc_status customer_name_of(sqlite3 *db, int64_t id, char *out, size_t n, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT name FROM customers WHERE id = ?", &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_copy(st, 0, out, n);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return FC_OK;
	return rc == SQLITE_DONE ? fc_error_set(err, FC_ERR_NOT_FOUND, "no customer with id %lld",
						 (long long)id)
				 : db_fail(db, rc, "reading the customer", err);
}

/* json string or null */
static json_t *json_opt(const char *text)
{
	return text && *text ? json_string(text) : json_null();
}

static fc_status complaint_insert(sqlite3 *db, const fc_config *cfg, const fc_complaint_input *in,
				  fc_record *rec, const char *received, const char *name,
				  const char *deadline, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = record_prepare_insert(db,
					    "INSERT INTO complaints(id, created_at, staff_id, "
					    "received_at, channel, customer_id, customer_name, category, "
					    "severity, approved_by, content, deadline) "
					    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
					    rec, in->staff_id, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 4, received, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, channel_key(in->channel), -1, SQLITE_STATIC);
	if (in->customer_id > 0)
		sqlite3_bind_int64(st, 6, in->customer_id);
	db_bind_text_opt(st, 7, name);
	db_bind_text_opt(st, 8, in->category);
	sqlite3_bind_text(st, 9, severity_key(in->severity), -1, SQLITE_STATIC);
	db_bind_text_opt(st, 10, in->severity == SEVERITY_SPECIAL ? in->approved_by : NULL);
	sqlite3_bind_text(st, 11, in->content, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, deadline, -1, SQLITE_STATIC);
	s = db_step_done(db, st, "saving the complaint", err);
	if (s)
		return s;

	json_t *data = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:s, s:s, s:s}",
				 "received_at", received, "channel", channel_key(in->channel),
				 "customer_id", in->customer_id > 0 ? json_integer(in->customer_id) : json_null(),
				 "customer_code", record_customer_code(db, in->customer_id),
				 "customer_name", json_opt(name), "category", json_opt(in->category),
				 "severity", severity_key(in->severity), "approved_by",
				 json_opt(in->severity == SEVERITY_SPECIAL ? in->approved_by : NULL),
				 "content", in->content, "deadline", deadline, "status", "open");
	return record_save(db, rec, cfg->station_id, in->staff_id, data, NULL, NULL, err);
}

fc_status complaint_create(sqlite3 *db, const fc_config *cfg, const fc_complaint_input *in,
			   fc_complaint *out, fc_error *err)
{
	int days;
	char received[CLOCK_ISO_LEN], deadline[WORKDAYS_DATE_LEN], name[128] = "", detail[160];
	if (text_check_blank(in->content))
		return fc_error_set(err, FC_ERR_INVALID, "the complaint has no content");
	if ((unsigned)in->channel >= CHANNEL_COUNT)
		return fc_error_set(err, FC_ERR_INVALID, "unknown channel");
	if (in->severity == SEVERITY_SPECIAL && text_check_blank(in->approved_by))
		return fc_error_set(err, FC_ERR_INVALID,
				    "a special case needs the name of the approving supervisor");
	const char *const texts[][2] = { { "content", in->content },
					 { "name", in->customer_name },
					 { "category", in->category },
					 { "approved-by", in->approved_by } };
	fc_status s = text_check_fields(texts, 4, err);
	if (!s)
		s = complaint_days(cfg, in->severity, in->special_days, &days, err);
	if (!s)
		s = complaint_require_head(db, in->staff_id, err);
	if (!s && in->customer_id > 0)
		s = customer_name_of(db, in->customer_id, name, sizeof name, err);
	if (s)
		return s;
	if (!text_check_blank(in->customer_name))
		snprintf(name, sizeof name, "%s", in->customer_name);
	int64_t received_ms = in->received_ms ? in->received_ms : clock_now_ms();
	if (received_ms > clock_now_ms() + 60000)
		return fc_error_set(err, FC_ERR_INVALID, "the complaint cannot be received in the future");
	clock_format_iso(received_ms, received);
	s = workdays_add(db, received_ms, days, deadline, err);
	if (s)
		return s;
	fc_record rec;
	s = record_begin(db, &rec, "complaint", err);
	if (s)
		return s;
	s = complaint_insert(db, cfg, in, &rec, received, name, deadline, err);
	snprintf(detail, sizeof detail, "complaint %s filed (%s, due %s)", complaint_short_id(rec.id),
		 severity_key(in->severity), deadline);
	if (!s)
		s = audit_record_event(db, cfg->station_id, in->staff_id, "complaint_create", detail,
				       err);
	s = db_finish(db, s, err);
	if (!s && out)
		s = complaint_find(db, rec.id, clock_now_ms(), out, err);
	return s;
}

typedef struct complaint_change {
	const char *kind;        /* "resolve" | "escalate" */
	const char *result, *handler, *remarks;
	const char *severity, *deadline, *approved_by, *reason;
} complaint_change;

/* The complaint_updates row, the complaints row change, outbox and audit. */
static fc_status complaint_apply(sqlite3 *db, const fc_config *cfg, const fc_complaint *c,
				 const complaint_change *ch, int64_t staff_id, fc_error *err)
{
	fc_record rec;
	sqlite3_stmt *st;
	char detail[160];
	fc_status s = record_init(&rec, "complaint_update", err);
	if (!s)
		s = record_prepare_insert(db,
					  "INSERT INTO complaint_updates(id, created_at, staff_id, "
					  "complaint_id, kind, new_severity, new_deadline, approved_by, "
					  "result, handler, reason) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
					  &rec, staff_id, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 4, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ch->kind, -1, SQLITE_STATIC);
	db_bind_text_opt(st, 6, ch->severity);
	db_bind_text_opt(st, 7, ch->deadline);
	db_bind_text_opt(st, 8, ch->approved_by);
	db_bind_text_opt(st, 9, ch->result);
	db_bind_text_opt(st, 10, ch->handler);
	db_bind_text_opt(st, 11, ch->reason ? ch->reason : ch->remarks);
	s = db_step_done(db, st, "saving the complaint update", err);
	if (s)
		return s;

	s = db_prepare(db,
		       strcmp(ch->kind, "resolve") == 0
			       ? "UPDATE complaints SET status = 'closed', result = ?2, handler = ?3, "
				 "remarks = ?4, closed_at = ?5 WHERE id = ?1 AND status = 'open'"
			       : "UPDATE complaints SET severity = ?6, deadline = ?7, "
				 "approved_by = coalesce(?8, approved_by) "
				 "WHERE id = ?1 AND status = 'open'",
		       &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	db_bind_text_opt(st, 2, ch->result);
	db_bind_text_opt(st, 3, ch->handler);
	db_bind_text_opt(st, 4, ch->remarks);
	sqlite3_bind_text(st, 5, rec.created_at, -1, SQLITE_STATIC);
	db_bind_text_opt(st, 6, ch->severity);
	db_bind_text_opt(st, 7, ch->deadline);
	db_bind_text_opt(st, 8, ch->approved_by);
	s = db_step_done(db, st, "updating the complaint", err);
	if (s)
		return s;
	if (sqlite3_changes(db) != 1)
		return fc_error_set(err, FC_ERR_CONFLICT, "complaint %s is already closed", complaint_short_id(c->id));

	json_t *data = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "complaint_id",
				 c->id, "kind", ch->kind, "result", json_opt(ch->result), "handler",
				 json_opt(ch->handler), "remarks", json_opt(ch->remarks),
				 "new_severity", json_opt(ch->severity), "new_deadline",
				 json_opt(ch->deadline), "approved_by", json_opt(ch->approved_by),
				 "reason", json_opt(ch->reason));
	s = record_save(db, &rec, cfg->station_id, staff_id, data, NULL, NULL, err);
	snprintf(detail, sizeof detail, "complaint %s: %s%s%s", complaint_short_id(c->id), ch->kind,
		 ch->severity ? " to " : "", ch->severity ? ch->severity : "");
	if (!s)
		s = audit_record_event(db, cfg->station_id, staff_id, strcmp(ch->kind, "resolve") == 0
							? "complaint_resolve" : "complaint_escalate",
				       detail, err);
	return s;
}

/* The open complaint id into *c for a change by staff_id, who must be a
 * head; a closed one is refused. */
static fc_status complaint_find_open(sqlite3 *db, const char *id, int64_t staff_id,
				     fc_complaint *c, fc_error *err)
{
	fc_status s = complaint_require_head(db, staff_id, err);
	if (!s)
		s = complaint_find(db, id, clock_now_ms(), c, err);
	if (!s && c->closed)
		s = fc_error_set(err, FC_ERR_CONFLICT, "complaint %s is already closed",
				 complaint_short_id(c->id));
	return s;
}

static fc_status complaint_change_run(sqlite3 *db, const fc_config *cfg, const fc_complaint *c,
				      const complaint_change *ch, int64_t staff_id, fc_error *err)
{
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	return db_finish(db, complaint_apply(db, cfg, c, ch, staff_id, err), err);
}

fc_status complaint_resolve(sqlite3 *db, const fc_config *cfg, const char *id,
			    const char *result, const char *handler, const char *remarks,
			    int64_t staff_id, fc_error *err)
{
	fc_complaint c;
	if (text_check_blank(result))
		return fc_error_set(err, FC_ERR_INVALID, "say how the complaint was resolved (result)");
	if (text_check_blank(handler))
		return fc_error_set(err, FC_ERR_INVALID, "name who handled the complaint (handler)");
	const char *const texts[][2] = { { "result", result }, { "handler", handler },
					 { "remarks", remarks } };
	fc_status s = text_check_fields(texts, 3, err);
	if (!s)
		s = complaint_find_open(db, id, staff_id, &c, err);
	if (s)
		return s;
	complaint_change ch = { .kind = "resolve", .result = result, .handler = handler,
				.remarks = remarks };
	return complaint_change_run(db, cfg, &c, &ch, staff_id, err);
}

fc_status complaint_escalate(sqlite3 *db, const fc_config *cfg, const char *id,
			     fc_severity severity, int special_days, const char *approved_by,
			     const char *reason, int64_t staff_id, fc_complaint *out,
			     fc_error *err)
{
	fc_complaint c;
	int days;
	int64_t received_ms;
	char deadline[WORKDAYS_DATE_LEN];
	if (text_check_blank(reason))
		return fc_error_set(err, FC_ERR_INVALID, "give the reason for the escalation");
	if (severity == SEVERITY_SPECIAL && text_check_blank(approved_by))
		return fc_error_set(err, FC_ERR_INVALID,
				    "a special case needs the name of the approving supervisor");
	const char *const texts[][2] = { { "reason", reason }, { "approved-by", approved_by } };
	fc_status s = text_check_fields(texts, 2, err);
	if (!s)
		s = complaint_days(cfg, severity, special_days, &days, err);
	if (!s)
		s = complaint_find_open(db, id, staff_id, &c, err);
	if (s)
		return s;
	if (severity <= c.severity)
		return fc_error_set(err, FC_ERR_CONFLICT, "complaint %s is already %s: escalate to a higher severity",
				    complaint_short_id(c.id), severity_key(c.severity));
	if (!clock_parse_iso(c.received_at, &received_ms))
		return fc_error_set(err, FC_ERR_DB_CORRUPT, "complaint %s: bad received time", complaint_short_id(c.id));
	s = workdays_add(db, received_ms, days, deadline, err);
	if (s)
		return s;
	/* domain.md: more time than the severity's own deadline only for a
	 * special case with a supervisor's approval.  An overdue complaint
	 * raised to major keeps its deadline (it stays overdue); only the
	 * approved special case moves it. */
	if (c.overdue && severity != SEVERITY_SPECIAL)
		snprintf(deadline, sizeof deadline, "%s", c.deadline);
	char why[320];
	if (c.overdue) {
		snprintf(why, sizeof why, "%.200s (overdue since %s)", reason, c.deadline);
		reason = why;
	}
	complaint_change ch = { .kind = "escalate", .severity = severity_key(severity),
				.deadline = deadline,
				.approved_by = severity == SEVERITY_SPECIAL ? approved_by : NULL,
				.reason = reason };
	s = complaint_change_run(db, cfg, &c, &ch, staff_id, err);
	if (!s && out)
		s = complaint_find(db, c.id, clock_now_ms(), out, err);
	return s;
}

fc_status complaint_customer_by_card(sqlite3 *db, const char *card_id, int64_t *id, char *code,
				     char *name, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "SELECT c.id, c.code, c.name FROM cards k "
				 "JOIN customers c ON c.id = k.customer_id WHERE k.card_id = ?",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, card_id ? card_id : "", -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, code, 32);
		db_column_copy(st, 2, name, 128);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return FC_OK;
	return rc == SQLITE_DONE ? fc_error_set(err, FC_ERR_NOT_FOUND, "the card is not registered")
				 : db_fail(db, rc, "reading the card", err);
}

int complaint_count_overdue(sqlite3 *db, int64_t now_ms)
{
	char today[CLOCK_ISO_LEN];
	sqlite3_stmt *st;
	int n = -1;
	clock_local_date(now_ms, today);
	if (sqlite3_prepare_v2(db,
			       "SELECT count(*) FROM complaints WHERE status = 'open' AND deadline < ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}
