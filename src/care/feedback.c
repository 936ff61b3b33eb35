/* feedback.c — satisfaction ratings 1..5, optionally linked to a visit,
 * stored and queued for upload in one transaction. */
#include "care/feedback.h"

#include <string.h>

#include "base/uuid.h"
#include "store/db.h"
#include "store/record.h"

fc_status feedback_record(sqlite3 *db, const fc_config *cfg, const char *visit_id, int rating,
			  const char *comment, int64_t staff_id, char *id_out, fc_error *err)
{
	if (rating < 1 || rating > 5)
		return fc_error_set(err, FC_ERR_INVALID, "a rating is 1 to 5, not %d", rating);
	fc_record rec;
	sqlite3_stmt *st;
	fc_status s = record_init(&rec, "feedback", err);
	if (!s)
		s = db_begin(db, err);
	if (!s)
		s = db_prepare(db,
			       "INSERT INTO feedback(id, created_at, staff_id, visit_id, rating, "
			       "comment) VALUES(?,?,?,?,?,?)",
			       &st, err);
	if (s) {
		db_rollback(db);
		return s;
	}
	sqlite3_bind_text(st, 1, rec.id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rec.created_at, -1, SQLITE_STATIC);
	if (staff_id > 0)
		sqlite3_bind_int64(st, 3, staff_id);
	db_bind_text_opt(st, 4, visit_id);
	sqlite3_bind_int(st, 5, rating);
	db_bind_text_opt(st, 6, comment);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		s = fc_error_set(err, FC_ERR_NOT_FOUND, "no visit '%.40s'", visit_id ? visit_id : "");
	else if (rc != SQLITE_DONE)
		s = db_fail(db, rc, "saving the feedback", err);
	json_t *data = s ? NULL
			 : json_pack("{s:o, s:i, s:s}", "visit_id",
				     visit_id && *visit_id ? json_string(visit_id) : json_null(),
				     "rating", rating, "comment", comment ? comment : "");
	if (!s && !data)
		s = fc_error_set(err, FC_ERR_NOMEM, "building the feedback record");
	if (!s)
		s = record_enqueue(db, &rec, cfg->station_id, staff_id, data, err);
	json_decref(data);
	if (s) {
		db_rollback(db);
		return s;
	}
	s = db_commit(db, err);
	if (!s && id_out)
		memcpy(id_out, rec.id, UUID_STR_LEN);
	return s;
}
