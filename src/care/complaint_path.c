/* complaint_path.c — an entry's path after it is received: approval (a head
 * for a general complaint, each configured level in order for a special
 * case), the customer told, closing; each step one transaction with its
 * complaint_update record. */
#include "care/complaint_path.h"

#include <stdio.h>
#include <string.h>

#include "base/text_check.h"
#include "base/tr.h"
#include "staff/staff.h"
#include "store/db.h"

const char *complaint_path_step_key(fc_complaint_step_kind k)
{
	static const char *const keys[COMPLAINT_STEP_KIND_COUNT] = {
		"received", "level", "handled", "approved", "told", "closed"
	};
	return (unsigned)k < COMPLAINT_STEP_KIND_COUNT ? keys[k] : "?";
}

/* Which steps c's path has: levels (special), approved (general), told. */
static void path_shape(const fc_config *cfg, const fc_complaint *c, int *levels, bool *approve,
		       bool *tell)
{
	bool special = !c->suggestion && c->severity == SEVERITY_SPECIAL;
	bool general = !c->suggestion && c->severity == SEVERITY_GENERAL;
	*levels = special ? cfg->complaint_level_count : 0;
	*approve = general;
	*tell = general || special;
}

fc_complaint_step_kind complaint_path_next(const fc_config *cfg, const fc_complaint *c,
					   int *level_no)
{
	int levels;
	bool approve, tell;
	path_shape(cfg, c, &levels, &approve, &tell);
	if (level_no)
		*level_no = 0;
	if (c->closed)
		return COMPLAINT_STEP_CLOSED;
	if (c->levels_done < levels) {
		if (level_no)
			*level_no = c->levels_done + 1;
		return COMPLAINT_STEP_LEVEL;
	}
	if (!c->handled_at[0])
		return COMPLAINT_STEP_HANDLED;
	if (approve && !c->approved_at[0])
		return COMPLAINT_STEP_APPROVED;
	if (tell && !c->told_at[0])
		return COMPLAINT_STEP_TOLD;
	return COMPLAINT_STEP_CLOSED;
}

static fc_complaint_step *step_add(fc_complaint_step *steps, size_t *n,
				   fc_complaint_step_kind kind, const char *who, const char *at)
{
	fc_complaint_step *s = &steps[(*n)++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->done = at && *at;
	snprintf(s->who, sizeof s->who, "%s", s->done && who ? who : "");
	snprintf(s->at, sizeof s->at, "%s", s->done ? at : "");
	return s;
}

/* Levels of c as recorded: the supervisor's name and time (levels 2..) and
 * the head who entered it into steps[first + no - 1]. */
static fc_status path_read_levels(sqlite3 *db, const fc_complaint *c, fc_complaint_step *first,
				  int levels, fc_error *err)
{
	sqlite3_stmt *st;
	/* level 1: the head who filed the special case or escalated to it */
	fc_status s = db_prepare(db,
				 "SELECT 1, NULL, NULL, coalesce((SELECT s.name FROM staff s WHERE "
				 "s.id = coalesce((SELECT u.staff_id FROM complaint_updates u WHERE "
				 "u.complaint_id = ?1 AND u.kind = 'escalate' AND u.new_severity = "
				 "'special' ORDER BY u.created_at DESC LIMIT 1), (SELECT staff_id FROM "
				 "complaints WHERE id = ?1))), '') "
				 "UNION ALL SELECT u.level_no, coalesce(u.approved_by, ''), "
				 "coalesce(u.happened_at, u.created_at), coalesce(s.name, '') "
				 "FROM complaint_updates u LEFT JOIN staff s ON s.id = u.staff_id "
				 "WHERE u.complaint_id = ?1 AND u.kind = 'level' ORDER BY 1",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int no = sqlite3_column_int(st, 0);
		if (no < 1 || no > levels)
			continue; /* a level the configuration no longer has */
		fc_complaint_step *l = &first[no - 1];
		db_column_copy(st, 3, l->entered_by, sizeof l->entered_by);
		if (no == 1)
			continue; /* its name and time are the complaint's */
		l->done = true;
		db_column_copy(st, 1, l->who, sizeof l->who);
		db_column_copy(st, 2, l->at, sizeof l->at);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "reading the approvals", err);
}

fc_status complaint_path_steps(sqlite3 *db, const fc_config *cfg, const fc_complaint *c,
			       fc_complaint_step *steps, size_t *count, fc_error *err)
{
	int levels;
	bool approve, tell;
	size_t n = 0;
	path_shape(cfg, c, &levels, &approve, &tell);
	step_add(steps, &n, COMPLAINT_STEP_RECEIVED, NULL, c->received_at);
	fc_complaint_step *first = steps + n;
	for (int i = 0; i < levels; i++) {
		fc_complaint_step *l = step_add(steps, &n, COMPLAINT_STEP_LEVEL, c->approved_by,
						i == 0 ? c->special_at : NULL);
		l->level_no = i + 1;
		l->level = cfg->complaint_levels[i];
	}
	step_add(steps, &n, COMPLAINT_STEP_HANDLED, c->handler, c->handled_at);
	if (approve)
		step_add(steps, &n, COMPLAINT_STEP_APPROVED, c->approver, c->approved_at);
	if (tell) {
		fc_complaint_step *t = step_add(steps, &n, COMPLAINT_STEP_TOLD, c->told_by, c->told_at);
		if (t->done)
			snprintf(t->how, sizeof t->how, "%s", c->told_how);
	}
	step_add(steps, &n, COMPLAINT_STEP_CLOSED, NULL, c->closed ? c->closed_at : NULL);
	*count = n;
	return levels > 0 ? path_read_levels(db, c, first, levels, err) : FC_OK;
}

/* The open entry id, read inside the caller's transaction, for a change by
 * staff_id (a head). */
static fc_status path_find_open(sqlite3 *db, const char *id, int64_t staff_id, fc_complaint *c,
				fc_error *err)
{
	fc_status s = staff_require_role(db, staff_id, ROLE_HEAD, err);
	if (!s)
		s = complaint_find(db, id, clock_now_ms(), c, err);
	if (!s && c->closed)
		s = fc_error_set(err, FC_ERR_CONFLICT, FC_TR("complaint %s is already closed"),
				 complaint_short_id(c->id));
	return s;
}

/* at_ms (0 = now) as ISO text into out: not in the future, not before
 * not_before (ISO, may be ""). */
static fc_status path_time(int64_t at_ms, const char *not_before, const char *what, char *out,
			   fc_error *err)
{
	int64_t now = clock_now_ms(), before = 0;
	if (!at_ms)
		at_ms = now;
	if (at_ms > now + 60000)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("%s cannot be in the future"), what);
	clock_format_iso(at_ms, out);
	if (not_before && *not_before && clock_parse_iso(not_before, &before) && at_ms < before)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("%s cannot be before %s"), what,
				    not_before);
	return FC_OK;
}

/* The refusal for a step asked for while the path waits for another:
 * "PREFIX: what is missing"; FC_OK when nothing is. */
static fc_status path_refuse_missing(const fc_config *cfg, const fc_complaint *c,
				     const char *prefix, fc_error *err)
{
	int no;
	char why[200];
	switch (complaint_path_next(cfg, c, &no)) {
	case COMPLAINT_STEP_LEVEL:
		snprintf(why, sizeof why, FC_TR("level %d of %d (%s) has not approved it (approve)"),
			 no, cfg->complaint_level_count, approver_key(cfg->complaint_levels[no - 1]));
		break;
	case COMPLAINT_STEP_HANDLED:
		snprintf(why, sizeof why, "%s", FC_TR("its handling result is not recorded (resolve)"));
		break;
	case COMPLAINT_STEP_APPROVED:
		snprintf(why, sizeof why, "%s",
			 FC_TR("a head has not approved its handling opinion (approve)"));
		break;
	case COMPLAINT_STEP_TOLD:
		snprintf(why, sizeof why, "%s",
			 FC_TR("the customer has not been told the result (tell)"));
		break;
	default:
		return FC_OK;
	}
	return fc_error_set(err, FC_ERR_CONFLICT, "%s: %s", prefix, why);
}

/* A suggestion or major complaint has no approval or telling step. */
static fc_status path_refuse_short(const fc_complaint *c, fc_error *err)
{
	if (c->suggestion)
		return fc_error_set(err, FC_ERR_CONFLICT,
				    FC_TR("%s is a suggestion: it needs no approval and is closed "
					  "by its answer (resolve)"), complaint_short_id(c->id));
	return fc_error_set(err, FC_ERR_CONFLICT,
			    FC_TR("complaint %s is major: it needs no approval and is closed by its "
				  "result (resolve)"), complaint_short_id(c->id));
}

static fc_status path_approve_level(sqlite3 *db, const fc_config *cfg, const fc_complaint *c,
				    int level, const char *name, int64_t at_ms, int64_t staff_id,
				    fc_error *err)
{
	int next = c->levels_done + 1, count = cfg->complaint_level_count;
	const char *sid = complaint_short_id(c->id);
	if (level == 0)
		level = next;
	if (level < 1 || level > count)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("level %d: approval_levels has %d"),
				    level, count);
	if (level < next)
		return fc_error_set(err, FC_ERR_CONFLICT,
				    FC_TR("complaint %s: level %d (%s) has already approved it"), sid,
				    level, approver_key(cfg->complaint_levels[level - 1]));
	if (level > next)
		return fc_error_set(err, FC_ERR_CONFLICT,
				    FC_TR("complaint %s: level %d (%s) cannot approve before level %d "
					  "(%s)"), sid, level,
				    approver_key(cfg->complaint_levels[level - 1]), next,
				    approver_key(cfg->complaint_levels[next - 1]));
	if (text_check_blank(name))
		return fc_error_set(err, FC_ERR_INVALID,
				    FC_TR("name the supervisor of level %d (%s) who approved"), level,
				    approver_key(cfg->complaint_levels[level - 1]));
	fc_complaint_step steps[COMPLAINT_PATH_MAX];
	size_t n;
	char at[CLOCK_ISO_LEN];
	fc_status s = complaint_path_steps(db, cfg, c, steps, &n, err);
	/* steps[level - 1] is the level before this one (steps[0]: received) */
	if (!s)
		s = path_time(at_ms, steps[level - 1].at, FC_TR("the approval"), at, err);
	if (s)
		return s;
	fc_complaint_change ch = { .kind = "level", .approved_by = name,
				   .level = approver_key(cfg->complaint_levels[level - 1]),
				   .level_no = level, .happened_at = at };
	return complaint_change_apply(db, cfg, c, &ch, staff_id, err);
}

static fc_status path_approve(sqlite3 *db, const fc_config *cfg, const fc_complaint *c, int level,
			      const char *name, int64_t at_ms, int64_t staff_id, fc_error *err)
{
	if (c->suggestion || c->severity == SEVERITY_MAJOR)
		return path_refuse_short(c, err);
	if (c->severity == SEVERITY_SPECIAL)
		return path_approve_level(db, cfg, c, level, name, at_ms, staff_id, err);
	if (level != 0 || at_ms != 0)
		return fc_error_set(err, FC_ERR_INVALID,
				    FC_TR("complaint %s is general: a head approves its handling "
					  "opinion now, with no level or time"), complaint_short_id(c->id));
	if (c->approved_at[0])
		return fc_error_set(err, FC_ERR_CONFLICT,
				    FC_TR("complaint %s: its handling opinion was already approved by "
					  "%s"), complaint_short_id(c->id), c->approver);
	if (!c->handled_at[0])
		return fc_error_set(err, FC_ERR_CONFLICT,
				    FC_TR("complaint %s has no handling opinion to approve yet: "
					  "record it first (resolve)"), complaint_short_id(c->id));
	/* the approver is the head logged in (staff_id, an active head: checked
	 * by path_find_open), never a typed name: the row keeps their name, the
	 * complaint_updates row and its record their staff id */
	if (!text_check_blank(name))
		return fc_error_set(err, FC_ERR_INVALID,
				    FC_TR("complaint %s is general: its handling opinion is approved "
					  "by the head logged in, not by a typed name"),
				    complaint_short_id(c->id));
	fc_staff head;
	fc_status s = staff_find_id(db, staff_id, &head, err);
	if (s)
		return s;
	fc_complaint_change ch = { .kind = "approve", .approved_by = head.name };
	return complaint_change_apply(db, cfg, c, &ch, staff_id, err);
}

fc_status complaint_path_approve(sqlite3 *db, const fc_config *cfg, const char *id, int level,
				 const char *name, int64_t at_ms, int64_t staff_id, fc_error *err)
{
	fc_complaint c;
	fc_status s = text_check_field("approver", name, err);
	if (s)
		return s;
	s = db_begin(db, err);
	if (s)
		return s;
	s = path_find_open(db, id, staff_id, &c, err);
	if (!s)
		s = path_approve(db, cfg, &c, level, name, at_ms, staff_id, err);
	return db_finish(db, s, err);
}

/* When the customer was told (at_ms, 0 = now) into at: not in the future,
 * not before what they were told: a general complaint's opinion as the
 * head approved it; a special case's result, after its last level. */
static fc_status path_tell_time(sqlite3 *db, const fc_config *cfg, const fc_complaint *c,
				int64_t at_ms, char *at, fc_error *err)
{
	fc_status s = path_time(at_ms, NULL, FC_TR("the time the customer was told"), at, err);
	if (s)
		return s;
	const char *after = c->handled_at, *step = FC_TR("the handling result");
	if (c->severity == SEVERITY_GENERAL && c->approved_at[0]) {
		after = c->approved_at;
		step = FC_TR("the head's approval");
	} else if (c->severity == SEVERITY_SPECIAL) {
		fc_complaint_step steps[COMPLAINT_PATH_MAX];
		size_t n;
		s = complaint_path_steps(db, cfg, c, steps, &n, err);
		if (s)
			return s;
		for (size_t i = 0; i < n; i++)
			if (steps[i].kind == COMPLAINT_STEP_LEVEL && steps[i].done &&
			    strcmp(steps[i].at, after) > 0) {
				after = steps[i].at;
				step = FC_TR("the last level's approval");
			}
	}
	int64_t told = 0, before = 0;
	if (*after && clock_parse_iso(at, &told) && clock_parse_iso(after, &before) &&
	    told < before)
		return fc_error_set(err, FC_ERR_INVALID,
				    FC_TR("the customer cannot have been told before %s (%s)"), step,
				    after);
	return FC_OK;
}

static fc_status path_tell(sqlite3 *db, const fc_config *cfg, const fc_complaint *c,
			   const char *told_by, fc_callback_method how, int64_t at_ms,
			   int64_t staff_id, fc_error *err)
{
	char at[CLOCK_ISO_LEN];
	if (c->suggestion || c->severity == SEVERITY_MAJOR)
		return path_refuse_short(c, err);
	if (c->told_at[0])
		return fc_error_set(err, FC_ERR_CONFLICT,
				    FC_TR("complaint %s: the customer was already told by %s"),
				    complaint_short_id(c->id), c->told_by);
	char prefix[120];
	snprintf(prefix, sizeof prefix, FC_TR("the customer cannot be told about complaint %s yet"),
		 complaint_short_id(c->id));
	fc_status s = complaint_path_next(cfg, c, NULL) == COMPLAINT_STEP_TOLD
			      ? FC_OK : path_refuse_missing(cfg, c, prefix, err);
	if (!s)
		s = path_tell_time(db, cfg, c, at_ms, at, err);
	if (s)
		return s;
	fc_complaint_change ch = { .kind = "tell", .told_by = told_by,
				   .told_how = callback_method_key(how), .happened_at = at };
	return complaint_change_apply(db, cfg, c, &ch, staff_id, err);
}

fc_status complaint_path_tell(sqlite3 *db, const fc_config *cfg, const char *id,
			      const char *told_by, fc_callback_method how, int64_t at_ms,
			      int64_t staff_id, fc_error *err)
{
	fc_complaint c;
	if (text_check_blank(told_by))
		return fc_error_set(err, FC_ERR_INVALID,
				    FC_TR("name who told the customer the result"));
	if ((unsigned)how >= CALLBACK_METHOD_COUNT)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("unknown way of telling the customer"));
	fc_status s = text_check_field("told-by", told_by, err);
	if (!s)
		s = db_begin(db, err);
	if (s)
		return s;
	s = path_find_open(db, id, staff_id, &c, err);
	if (!s)
		s = path_tell(db, cfg, &c, told_by, how, at_ms, staff_id, err);
	return db_finish(db, s, err);
}

fc_status complaint_path_close(sqlite3 *db, const fc_config *cfg, const char *id,
			       const char *remarks, int64_t staff_id, fc_error *err)
{
	fc_complaint c;
	fc_status s = text_check_field("remarks", remarks, err);
	if (!s)
		s = db_begin(db, err);
	if (s)
		return s;
	s = path_find_open(db, id, staff_id, &c, err);
	char prefix[120];
	if (!s) {
		snprintf(prefix, sizeof prefix, FC_TR("complaint %s cannot be closed yet"),
			 complaint_short_id(c.id));
		s = path_refuse_missing(cfg, &c, prefix, err);
	}
	if (!s) {
		fc_complaint_change ch = { .kind = "close",
					   .remarks = text_check_blank(remarks) ? NULL : remarks };
		s = complaint_change_apply(db, cfg, &c, &ch, staff_id, err);
	}
	return db_finish(db, s, err);
}
