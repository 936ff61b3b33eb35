/* register.c — registering a new customer on the spot from an unknown
 * card: customer code from archive_next_code, card link, outbox record, audit row. */
#include "pump/lookup.h"
#include "pump/register.h"

#include <stdio.h>
#include <string.h>

#include "base/plate.h"
#include "base/text_check.h"
#include "customers/archive.h"
#include "store/db.h"
#include "store/record.h"

static fc_status customer_check_input(const fc_customer_input *in, fc_error *err)
{
	if (!in->name || !in->name[0])
		return fc_error_set(err, FC_ERR_INVALID, "name: required");
	if (strlen(in->name) >= 128)
		return fc_error_set(err, FC_ERR_INVALID, "name: at most 127 bytes");
	fc_status s = text_check_field("name", in->name, err);
	if (!s)
		s = text_check_field("plate", in->plate, err);
	if (!s)
		s = archive_check_phone(in->phone ? in->phone : "", err);
	if (s)
		return s;
	if (in->plate && strlen(in->plate) >= 32)
		return fc_error_set(err, FC_ERR_INVALID, "plate: at most 31 characters");
	s = archive_check_plate(in->plate ? in->plate : "", err);
	if (s)
		return s;
	if ((unsigned)in->nature >= NATURE_COUNT)
		return fc_error_set(err, FC_ERR_INVALID, "nature: big or individual");
	if ((unsigned)in->industry >= INDUSTRY_COUNT)
		return fc_error_set(err, FC_ERR_INVALID,
				    "industry: passenger, logistics, taxi, official, industrial, "
				    "agri or other");
	return FC_OK;
}

static fc_status customer_insert(sqlite3 *db, const fc_record *rec, const fc_customer_input *in,
				 const char *card, fc_customer_result *out, fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db,
				 "INSERT INTO customers(code, name, nature, industry, stability, "
				 "tier, tier_source, phone, plate, created_at, updated_at) "
				 "VALUES(?1, ?2, ?3, ?4, 'potential', 'ordinary', 'local', ?5, ?6, "
				 "?7, ?7)",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, out->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, nature_key(in->nature), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, industry_key(in->industry), -1, SQLITE_STATIC);
	db_bind_text_opt(st, 5, in->phone);
	db_bind_text_opt(st, 6, in->plate);
	sqlite3_bind_text(st, 7, rec->created_at, -1, SQLITE_STATIC);
	s = db_step_done(db, st, "saving the customer", err);
	if (s)
		return s;
	out->customer_id = sqlite3_last_insert_rowid(db);
	s = db_prepare(db,
		       "INSERT INTO cards(card_id, customer_id, kind, updated_at) VALUES(?, ?, ?, ?)",
		       &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, card, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, out->customer_id);
	sqlite3_bind_text(st, 3, in->nature == NATURE_BIG ? "unit" : "personal", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rec->created_at, -1, SQLITE_STATIC);
	return db_step_done(db, st, "linking the card", err);
}

static fc_status customer_enqueue(sqlite3 *db, const fc_config *cfg, fc_record *rec,
				  const fc_customer_input *in, const char *card,
				  const fc_customer_result *out, fc_error *err)
{
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", out->code,
				 "name", in->name, "nature", nature_key(in->nature), "industry",
				 industry_key(in->industry), "stability", "potential", "tier",
				 "ordinary", "card", card, "card_kind",
				 in->nature == NATURE_BIG ? "unit" : "personal");
	/* a text that cannot go into the record fails the action (record_save) */
	if (data && ((in->phone && in->phone[0] &&
		      json_object_set_new(data, "phone", json_string(in->phone)) != 0) ||
		     (in->plate && in->plate[0] &&
		      json_object_set_new(data, "plate", json_string(in->plate)) != 0))) {
		json_decref(data);
		data = NULL;
	}
	char masked[24], detail[128];
	lookup_mask_card(card, masked);
	snprintf(detail, sizeof detail, "customer %s registered with card %s, record %.8s",
		 out->code, masked, rec->id);
	return record_save(db, rec, cfg->station_id, in->staff_id, data, "customer_registered",
			   detail, err);
}

fc_status register_customer(sqlite3 *db, const fc_config *cfg, const fc_customer_input *in,
			    fc_customer_result *out, fc_error *err)
{
	char card[80], masked[24];
	fc_record rec;
	memset(out, 0, sizeof *out);
	fc_status s = customer_check_input(in, err);
	char plate[ARCHIVE_VALUE_LEN];
	fc_customer_input canon = *in; /* the plate in its one stored form */
	plate_normalise(in->plate ? in->plate : "", plate, sizeof plate);
	canon.plate = plate;
	in = &canon;
	if (!s)
		s = lookup_canonical_card(in->card_id, card, err);
	if (!s)
		s = record_begin(db, &rec, "customer_registered", err);
	if (s)
		return s;
	sqlite3_stmt *st;
	s = db_prepare(db, "SELECT 1 FROM cards WHERE card_id = ?", &st, err);
	if (!s) {
		sqlite3_bind_text(st, 1, card, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		lookup_mask_card(card, masked);
		if (rc == SQLITE_ROW)
			s = fc_error_set(err, FC_ERR_EXISTS, "card %s already belongs to a customer",
					 masked);
		else if (rc != SQLITE_DONE)
			s = db_fail(db, rc, "looking the card up", err);
	}
	if (!s)
		s = archive_next_code(db, cfg->station_id, in->nature, in->industry, out->code, err);
	if (!s)
		s = customer_insert(db, &rec, in, card, out, err);
	if (!s)
		s = customer_enqueue(db, cfg, &rec, in, card, out, err);
	s = db_finish(db, s, err);
	if (!s)
		memcpy(out->id, rec.id, UUID_STR_LEN);
	return s;
}
