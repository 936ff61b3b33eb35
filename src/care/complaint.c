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
	"coalesce(severity, 'general'), coalesce(approved_by, ''), content, "              \
	"coalesce(deadline, ''), status, coalesce(result, ''), coalesce(handler, ''), "     \
	"kind, coalesce(handled_at, ''), coalesce(approver, ''), "                         \
	"coalesce(approved_at, ''), coalesce(told_by, ''), coalesce(told_how, ''), "       \
	"coalesce(told_at, ''), coalesce(closed_at, ''), "                                 \
	"CASE WHEN severity = 'special' THEN coalesce((SELECT max(u.created_at) FROM "     \
	"complaint_updates u WHERE u.complaint_id = complaints.id AND u.kind = "           \
	"'escalate' AND u.new_severity = 'special'), created_at) ELSE '' END, "            \
	"CASE WHEN severity = 'special' THEN 1 + (SELECT count(*) FROM complaint_updates " \
	"u WHERE u.complaint_id = complaints.id AND u.kind = 'level') ELSE 0 END, "         \
	"coalesce(remarks, '')"

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
	c->suggestion = strcmp((const char *)sqlite3_column_text(st, 12), "suggestion") == 0;
	db_column_copy(st, 13, c->handled_at, sizeof c->handled_at);
	db_column_copy(st, 14, c->approver, sizeof c->approver);
	db_column_copy(st, 15, c->approved_at, sizeof c->approved_at);
	db_column_copy(st, 16, c->told_by, sizeof c->told_by);
	db_column_copy(st, 17, c->told_how, sizeof c->told_how);
	db_column_copy(st, 18, c->told_at, sizeof c->told_at);
	db_column_copy(st, 19, c->closed_at, sizeof c->closed_at);
	db_column_copy(st, 20, c->special_at, sizeof c->special_at);
	c->levels_done = sqlite3_column_int(st, 21);
	db_column_copy(st, 22, c->remarks, sizeof c->remarks);
	int64_t end = 0;
	if (!c->suggestion && workdays_deadline_end_ms(c->deadline, &end, NULL) == FC_OK)
		c->ms_left = end - now_ms;
	c->overdue = !c->closed && !c->suggestion && c->ms_left <= 0;
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
				 "status = 'open' DESC, deadline IS NULL, deadline, received_at",
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
					    "severity, approved_by, content, deadline, kind) "
					    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
					    rec, in->staff_id, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 4, received, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, channel_key(in->channel), -1, SQLITE_STATIC);
	if (in->customer_id > 0)
		sqlite3_bind_int64(st, 6, in->customer_id);
	db_bind_text_opt(st, 7, name);
	db_bind_text_opt(st, 8, in->category);
	const char *severity = in->suggestion ? NULL : severity_key(in->severity);
	bool special = !in->suggestion && in->severity == SEVERITY_SPECIAL;
	db_bind_text_opt(st, 9, severity);
	db_bind_text_opt(st, 10, special ? in->approved_by : NULL);
	sqlite3_bind_text(st, 11, in->content, -1, SQLITE_STATIC);
	db_bind_text_opt(st, 12, deadline);
	sqlite3_bind_text(st, 13, in->suggestion ? "suggestion" : "complaint", -1, SQLITE_STATIC);
	s = db_step_done(db, st, "saving the complaint", err);
	if (s)
		return s;

	/* approval_level: who level 1 is, the approved_by of a special case */
	json_t *data = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:s, s:o, s:s}",
				 "received_at", received, "channel", channel_key(in->channel),
				 "customer_id", in->customer_id > 0 ? json_integer(in->customer_id) : json_null(),
				 "customer_code", record_customer_code(db, in->customer_id),
				 "customer_name", json_opt(name), "category", json_opt(in->category),
				 "kind", in->suggestion ? "suggestion" : "complaint",
				 "severity", json_opt(severity), "approved_by",
				 json_opt(special ? in->approved_by : NULL), "approval_level",
				 json_opt(special ? approver_key(cfg->complaint_levels[0]) : NULL),
				 "content", in->content, "deadline", json_opt(deadline), "status", "open");
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
	if (in->suggestion && (in->severity != SEVERITY_GENERAL || in->special_days ||
			       !text_check_blank(in->approved_by)))
		return fc_error_set(err, FC_ERR_INVALID,
				    "a suggestion has no severity, approval or deadline");
	if (!in->suggestion && in->severity == SEVERITY_SPECIAL && text_check_blank(in->approved_by))
		return fc_error_set(err, FC_ERR_INVALID,
				    "a special case needs the name of the approving supervisor");
	const char *const texts[][2] = { { "content", in->content },
					 { "name", in->customer_name },
					 { "category", in->category },
					 { "approved-by", in->approved_by } };
	fc_status s = text_check_fields(texts, 4, err);
	if (!s && !in->suggestion)
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
	s = in->suggestion ? FC_OK : workdays_add(db, received_ms, days, deadline, err);
	if (s)
		return s;
	fc_record rec;
	s = record_begin(db, &rec, "complaint", err);
	if (s)
		return s;
	s = complaint_insert(db, cfg, in, &rec, received, name, in->suggestion ? NULL : deadline,
			     err);
	if (in->suggestion)
		snprintf(detail, sizeof detail, "suggestion %s filed", complaint_short_id(rec.id));
	else
		snprintf(detail, sizeof detail, "complaint %s filed (%s, due %s)",
			 complaint_short_id(rec.id), severity_key(in->severity), deadline);
	if (!s)
		s = audit_record_event(db, cfg->station_id, in->staff_id, "complaint_create", detail,
				       err);
	s = db_finish(db, s, err);
	if (!s && out)
		s = complaint_find(db, rec.id, clock_now_ms(), out, err);
	return s;
}

/* The UPDATE of the complaints row each kind of change makes: ?1 id,
 * ?2 result, ?3 handler, ?4 remarks, ?5 the record's time, ?6 severity,
 * ?7 deadline, ?8 approved_by, ?9 told_by, ?10 told_how, ?11 happened_at,
 * ?12 closes.  Each changes one open row, or none when it was changed
 * meanwhile. */
static const char *complaint_change_sql(const char *kind)
{
	static const struct { const char *kind, *sql; } sqls[] = {
		{ "resolve", "UPDATE complaints SET result = ?2, handler = ?3, remarks = ?4, "
			     "handled_at = ?5, status = CASE WHEN ?12 THEN 'closed' ELSE status END, "
			     "closed_at = CASE WHEN ?12 THEN ?5 ELSE closed_at END "
			     "WHERE id = ?1 AND status = 'open'" },
		{ "escalate", "UPDATE complaints SET severity = ?6, deadline = ?7, "
			      "approved_by = coalesce(?8, approved_by) "
			      "WHERE id = ?1 AND status = 'open'" },
		{ "approve", "UPDATE complaints SET approver = ?8, approved_at = ?5 "
			     "WHERE id = ?1 AND status = 'open' AND approved_at IS NULL" },
		{ "level", "UPDATE complaints SET status = status WHERE id = ?1 AND status = 'open'" },
		{ "tell", "UPDATE complaints SET told_by = ?9, told_how = ?10, told_at = ?11 "
			  "WHERE id = ?1 AND status = 'open' AND told_at IS NULL" },
		/* the remarks at closing are added to those of the result, never
		 * in their place */
		{ "close", "UPDATE complaints SET status = 'closed', closed_at = ?5, "
			   "remarks = CASE WHEN ?4 IS NULL THEN remarks "
			   "WHEN coalesce(remarks, '') = '' THEN ?4 "
			   "ELSE remarks || '; ' || ?4 END WHERE id = ?1 AND status = 'open'" },
	};
	for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++)
		if (strcmp(sqls[i].kind, kind) == 0)
			return sqls[i].sql;
	return NULL;
}

static fc_status complaint_change_row(sqlite3 *db, const fc_complaint *c,
				      const fc_complaint_change *ch, const char *now,
				      fc_error *err)
{
	sqlite3_stmt *st;
	const char *sql = complaint_change_sql(ch->kind);
	if (!sql)
		return fc_error_set(err, FC_ERR_INVALID, "unknown complaint change '%s'", ch->kind);
	fc_status s = db_prepare(db, sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	db_bind_text_opt(st, 2, ch->result);
	db_bind_text_opt(st, 3, ch->handler);
	db_bind_text_opt(st, 4, ch->remarks);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	db_bind_text_opt(st, 6, ch->severity);
	db_bind_text_opt(st, 7, ch->deadline);
	db_bind_text_opt(st, 8, ch->approved_by);
	db_bind_text_opt(st, 9, ch->told_by);
	db_bind_text_opt(st, 10, ch->told_how);
	db_bind_text_opt(st, 11, ch->happened_at);
	sqlite3_bind_int(st, 12, ch->closes);
	s = db_step_done(db, st, "updating the complaint", err);
	if (!s && sqlite3_changes(db) != 1)
		s = fc_error_set(err, FC_ERR_CONFLICT, "complaint %s was changed meanwhile (or is "
				 "already closed)", complaint_short_id(c->id));
	return s;
}

fc_status complaint_change_apply(sqlite3 *db, const fc_config *cfg, const fc_complaint *c,
				 const fc_complaint_change *ch, int64_t staff_id, fc_error *err)
{
	fc_record rec;
	sqlite3_stmt *st;
	char detail[200];
	fc_status s = record_init(&rec, "complaint_update", err);
	if (!s)
		s = record_prepare_insert(db,
					  "INSERT INTO complaint_updates(id, created_at, staff_id, "
					  "complaint_id, kind, new_severity, new_deadline, approved_by, "
					  "result, handler, reason, level, level_no, told_by, told_how, "
					  "happened_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
	db_bind_text_opt(st, 12, ch->level);
	if (ch->level_no > 0)
		sqlite3_bind_int(st, 13, ch->level_no);
	db_bind_text_opt(st, 14, ch->told_by);
	db_bind_text_opt(st, 15, ch->told_how);
	db_bind_text_opt(st, 16, ch->happened_at);
	s = db_step_done(db, st, "saving the complaint update", err);
	if (!s)
		s = complaint_change_row(db, c, ch, rec.created_at, err);
	if (s)
		return s;

	json_t *data = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
				 "s:o, s:s}", "complaint_id",
				 c->id, "kind", ch->kind, "result", json_opt(ch->result), "handler",
				 json_opt(ch->handler), "remarks", json_opt(ch->remarks),
				 "new_severity", json_opt(ch->severity), "new_deadline",
				 json_opt(ch->deadline), "approved_by", json_opt(ch->approved_by),
				 "reason", json_opt(ch->reason), "level", json_opt(ch->level),
				 "level_no", ch->level_no > 0 ? json_integer(ch->level_no) : json_null(),
				 "told_by", json_opt(ch->told_by), "told_how", json_opt(ch->told_how),
				 "happened_at", json_opt(ch->happened_at),
				 "status", ch->closes || strcmp(ch->kind, "close") == 0 ? "closed" : "open");
	s = record_save(db, &rec, cfg->station_id, staff_id, data, NULL, NULL, err);
	snprintf(detail, sizeof detail, "complaint %s: %s%s%s", complaint_short_id(c->id), ch->kind,
		 ch->severity ? " to " : ch->level ? " " : "",
		 ch->severity ? ch->severity : ch->level ? ch->level : "");
	char action[32];
	snprintf(action, sizeof action, "complaint_%s", ch->kind);
	if (!s)
		s = audit_record_event(db, cfg->station_id, staff_id, action, detail, err);
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
				      const fc_complaint_change *ch, int64_t staff_id, fc_error *err)
{
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	return db_finish(db, complaint_change_apply(db, cfg, c, ch, staff_id, err), err);
}

fc_status complaint_resolve(sqlite3 *db, const fc_config *cfg, const char *id,
			    const char *result, const char *handler, const char *remarks,
			    int64_t staff_id, bool *closed, fc_error *err)
{
	fc_complaint c;
	if (closed)
		*closed = false;
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
	/* a suggestion or a major complaint is closed by its result; a general
	 * complaint's and a special case's is the opinion the path goes on from */
	bool closes = c.suggestion || c.severity == SEVERITY_MAJOR;
	/* a special case's path: every level of approval_levels approves, in
	 * order, before its result */
	int levels = cfg->complaint_level_count;
	if (!c.suggestion && c.severity == SEVERITY_SPECIAL && c.levels_done < levels)
		return fc_error_set(err, FC_ERR_CONFLICT,
				    "complaint %s cannot be resolved yet: level %d/%d (%s) has not "
				    "approved yet (approve)", complaint_short_id(c.id),
				    c.levels_done + 1, levels,
				    approver_key(cfg->complaint_levels[c.levels_done]));
	if (!closes && c.handled_at[0])
		return fc_error_set(err, FC_ERR_CONFLICT,
				    "complaint %s already has its handling result (by %s): next "
				    "comes the approval, the customer told, closing",
				    complaint_short_id(c.id), c.handler);
	fc_complaint_change ch = { .kind = "resolve", .result = result, .handler = handler,
				   .remarks = remarks, .closes = closes };
	s = complaint_change_run(db, cfg, &c, &ch, staff_id, err);
	if (!s && closed)
		*closed = closes;
	return s;
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
	if (c.suggestion)
		return fc_error_set(err, FC_ERR_CONFLICT, "%s is a suggestion, not a complaint: it "
				    "has no severity to raise", complaint_short_id(c.id));
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
	fc_complaint_change ch = { .kind = "escalate", .severity = severity_key(severity),
				.deadline = deadline,
				.approved_by = severity == SEVERITY_SPECIAL ? approved_by : NULL,
				.reason = reason ,
				   .level = severity == SEVERITY_SPECIAL
						    ? approver_key(cfg->complaint_levels[0]) : NULL,
				   .level_no = severity == SEVERITY_SPECIAL ? 1 : 0 };
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
