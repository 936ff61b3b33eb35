/* feedback.c — satisfaction ratings 1..5, optionally linked to a visit,
 * stored and queued for upload in one transaction. */
#include "care/feedback.h"

#include <string.h>

#include "base/text_check.h"
#include "base/uuid.h"
#include "store/db.h"
#include "store/record.h"

fc_status feedback_record(sqlite3 *db, const fc_config *cfg, const char *visit_id, int rating,
			  const char *comment, int64_t staff_id, char *id_out, fc_error *err)
{
	if (rating < 1 || rating > 5)
		return fc_error_set(err, FC_ERR_INVALID, "a rating is 1 to 5, not %d", rating);
	fc_status ts = text_check_field("comment", comment, err);
	if (ts)
		return ts;
	fc_record rec;
	sqlite3_stmt *st;
	fc_status s = record_begin(db, &rec, "feedback", err);
	if (s)
		return s;
	s = record_prepare_insert(db,
				  "INSERT INTO feedback(id, created_at, staff_id, visit_id, rating, "
				  "comment) VALUES(?,?,?,?,?,?)",
				  &rec, staff_id, &st, err);
	if (!s) {
		db_bind_text_opt(st, 4, visit_id);
		sqlite3_bind_int(st, 5, rating);
		db_bind_text_opt(st, 6, comment);
		s = db_step_done(db, st, "saving the feedback", err);
		if (s && sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_FOREIGNKEY)
			s = fc_error_set(err, FC_ERR_NOT_FOUND, "no visit '%.40s'",
					 visit_id ? visit_id : "");
	}
	if (!s) {
		json_t *data = json_pack("{s:o, s:i, s:s}", "visit_id",
					 visit_id && *visit_id ? json_string(visit_id) : json_null(),
					 "rating", rating, "comment", comment ? comment : "");
		s = record_save(db, &rec, cfg->station_id, staff_id, data, NULL, NULL, err);
	}
	s = db_finish(db, s, err);
	if (!s && id_out)
		memcpy(id_out, rec.id, UUID_STR_LEN);
	return s;
}
