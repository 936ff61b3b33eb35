/* visit.c — recording a fuelling (card holder or anonymous) and the
 * blocked_card_seen event: domain row, points ledger, outbox, audit in one go. */
#include "pump/visit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/tr.h"
#include "customers/classify.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/record.h"
#include "store/stmt_cache.h"

/* Kept prepared per connection (stmt_cache): every visit runs them. */
static const char visit_insert_sql[] =
	"INSERT INTO visits(id, created_at, staff_id, card_id, customer_id, "
	"pump, grade, volume_ml, amount_fen, price_fen_per_litre, "
	"discount_fen, tier, points_earned, won_back) "
	"VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char won_back_sql[] = "UPDATE visits SET won_back = 1 WHERE id = ?1";

fc_status visit_enqueue_blocked_seen(sqlite3 *db, const fc_config *cfg,
				     const fc_card_view *view, const char *where,
				     int64_t staff_id, char *id_out, fc_error *err)
{
	fc_record rec;
	char detail[128];
	fc_status s = record_init(&rec, "blocked_card_seen", err);
	if (s)
		return s;
	json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "card", view->card_id, "customer_code",
				 view->customer_code, "reason", view->blocked_reason, "where",
				 where ? where : "swipe");
	snprintf(detail, sizeof detail, "blocked card %s seen (%s), record %.8s",
		 view->card_masked, where ? where : "swipe", rec.id);
	/* Whether or not the record can be saved, the card was presented. */
	log_msg(LOG_WARNING, "blocked card %s presented (%s): customer %s, %s",
		view->card_masked, where ? where : "swipe",
		view->customer_code[0] ? view->customer_code : "-",
		view->blocked_reason[0] ? view->blocked_reason : "no reason given");
	s = record_save(db, &rec, cfg->station_id, staff_id, data, "blocked_card_seen", detail,
			err);
	if (!s && id_out)
		memcpy(id_out, rec.id, UUID_STR_LEN);
	return s;
}

fc_status visit_record_blocked_seen(sqlite3 *db, const fc_config *cfg, const char *card_id,
				    const char *where, int64_t staff_id, char *id_out,
				    fc_error *err)
{
	fc_card_view view;
	fc_status s = db_begin(db, err);
	if (s)
		return s;
	s = lookup_card(db, cfg, card_id, &view, err);
	if (!s && !view.blocked)
		s = fc_error_set(err, FC_ERR_CONFLICT, "card %s is not blocked", view.card_masked);
	if (!s)
		s = visit_enqueue_blocked_seen(db, cfg, &view, where, staff_id, id_out, err);
	return db_finish(db, s, err);
}

/* Rounded a * b / c for non-negative values small enough not to overflow. */
static int64_t mul_div_round(int64_t a, int64_t b, int64_t c)
{
	return (a * b + c / 2) / c;
}

fc_status visit_check_input(const fc_config *cfg, const fc_visit_input *in, int *grade_index,
			    fc_error *err)
{
	*grade_index = in->grade ? config_grade_index(cfg, in->grade) : -1;
	if (*grade_index < 0) {
		char list[CONFIG_MAX_LIST * 18] = "";
		for (int i = 0; i < cfg->grade_count; i++) {
			if (i)
				strcat(list, ", ");
			strcat(list, cfg->grades[i]);
		}
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("grade '%.20s' is not configured (%s)"),
				    in->grade ? in->grade : "", list);
	}
	if (!visit_pump_valid(in->pump))
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("pump %d: a pump number is 1..%d"),
				    in->pump, VISIT_PUMP_MAX);
	if (in->volume_ml < 0 || in->amount_fen < 0)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("litres and amount must be above zero"));
	if ((in->volume_ml > 0) == (in->amount_fen > 0))
		return fc_error_set(err, FC_ERR_INVALID,
				    in->volume_ml > 0 ? FC_TR("give litres or amount, not both")
						      : FC_TR("give litres or amount (above zero)"));
	if (in->volume_ml > VISIT_FUEL_MAX_ML)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("litres %lld.%03lld: at most %lld litres "
					  "in one fuelling"), (long long)(in->volume_ml / 1000),
				    (long long)(in->volume_ml % 1000), VISIT_FUEL_MAX_ML / 1000);
	if (in->amount_fen > VISIT_MAX_FEN)
		return fc_error_set(err, FC_ERR_INVALID, FC_TR("at most %lld yuan in one fuelling"),
				    VISIT_MAX_FEN / 100);
	return FC_OK;
}

/* Litres <-> amount from the list price minus the approved discount. */
static fc_status visit_price(const fc_config *cfg, const fc_visit_input *in, int grade_index,
			     const fc_card_view *view, fc_visit_result *out, fc_error *err)
{
	int64_t list = cfg->grade_price_fen[grade_index], discount = 0;
	for (int i = 0; view && i < view->discount_count; i++)
		if (strcmp(view->discounts[i].grade, in->grade) == 0)
			discount = view->discounts[i].fen_per_litre;
	if (discount > list)
		discount = list;
	out->price_fen_per_litre = list > 0 ? list - discount : 0;
	if (in->volume_ml > 0) {
		out->volume_ml = in->volume_ml;
		out->amount_fen = mul_div_round(out->volume_ml, out->price_fen_per_litre, 1000);
	} else {
		if (out->price_fen_per_litre <= 0)
			return fc_error_set(err, FC_ERR_INVALID,
					    FC_TR("no price for %s in [fuel] prices: enter litres"),
					    in->grade);
		out->amount_fen = in->amount_fen;
		out->volume_ml = mul_div_round(out->amount_fen, 1000, out->price_fen_per_litre);
		if (out->volume_ml > VISIT_FUEL_MAX_ML)
			return fc_error_set(err, FC_ERR_INVALID, FC_TR("amount %lld yuan buys more than "
						  "%lld litres (at most in one fuelling)"),
					    (long long)(in->amount_fen / 100), VISIT_FUEL_MAX_ML / 1000);
		if (out->volume_ml <= 0)
			return fc_error_set(err, FC_ERR_INVALID,
					    FC_TR("%lld fen buys no fuel at %lld fen per litre"),
					    (long long)in->amount_fen,
					    (long long)out->price_fen_per_litre);
	}
	out->discount_fen = list > 0 ? mul_div_round(out->volume_ml, discount, 1000) : 0;
	return FC_OK;
}

static fc_status visit_insert_rows(sqlite3 *db, const fc_record *rec, const fc_visit_input *in,
				   const fc_card_view *view, const fc_visit_result *out,
				   fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = stmt_cache_get(db, visit_insert_sql, &st, err);
	if (s)
		return s;
	record_bind(st, rec, in->staff_id);
	if (view) {
		sqlite3_bind_text(st, 4, view->card_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, view->customer_id);
		sqlite3_bind_text(st, 12, tier_key(view->tier), -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 6, in->pump);
	sqlite3_bind_text(st, 7, in->grade, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, out->volume_ml);
	sqlite3_bind_int64(st, 9, out->amount_fen);
	if (out->price_fen_per_litre > 0)
		sqlite3_bind_int64(st, 10, out->price_fen_per_litre);
	sqlite3_bind_int64(st, 11, out->discount_fen);
	sqlite3_bind_int64(st, 13, out->points_earned);
	sqlite3_bind_int(st, 14, out->won_back);
	int rc = sqlite3_step(st);
	stmt_cache_done(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "saving the visit", err);
}

/* The purchase reclassifies the customer (classify_after_visit: stability,
 * last and first visit, updated_at) and is marked won back when the customer was lost
 * before it — stored as lost, or the previous purchase too long ago even if
 * the daily run has not yet said so. */
static fc_status visit_classify(sqlite3 *db, const fc_config *cfg, const fc_record *rec,
				const fc_card_view *view, fc_visit_result *out, fc_error *err)
{
	int64_t visit_ms;
	if (!clock_parse_iso(rec->created_at, &visit_ms))
		return fc_error_set(err, FC_ERR_INVALID, "visit time '%s'", rec->created_at);
	classify_visit cv;
	fc_status s = classify_after_visit(db, cfg, view->customer_id, visit_ms, &cv, err);
	if (s)
		return s;
	out->won_back = cv.won_back;
	if (!out->won_back)
		return FC_OK;
	sqlite3_stmt *st;
	s = stmt_cache_get(db, won_back_sql, &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, rec->id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	stmt_cache_done(st);
	return rc == SQLITE_DONE ? FC_OK : db_fail(db, rc, "marking the visit won back", err);
}

static fc_status visit_enqueue(sqlite3 *db, const fc_config *cfg, fc_record *rec,
			       const fc_visit_input *in, const fc_card_view *view,
			       const fc_visit_result *out, fc_error *err)
{
	json_t *data = json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:I, s:b}", "pump", in->pump,
				 "grade", in->grade, "volume_ml", (json_int_t)out->volume_ml,
				 "amount_fen", (json_int_t)out->amount_fen, "price_fen_per_litre",
				 (json_int_t)out->price_fen_per_litre, "discount_fen",
				 (json_int_t)out->discount_fen, "points_earned",
				 (json_int_t)out->points_earned, "won_back", out->won_back);
	int bad = !data; /* a value that cannot be built fails the visit (record_save) */
	if (!bad && view) {
		bad |= json_object_set_new(data, "card", json_string(view->card_id));
		bad |= json_object_set_new(data, "customer_code", json_string(view->customer_code));
		bad |= json_object_set_new(data, "tier", json_string(tier_key(view->tier)));
		bad |= json_object_set_new(data, "nature", json_string(nature_key(view->nature)));
	} else if (!bad) {
		bad |= json_object_set_new(data, "anonymous", json_true());
	}
	if (bad) {
		json_decref(data);
		data = NULL;
	}
	char detail[200], by[48];
	snprintf(detail, sizeof detail,
		 "visit %.8s card %s pump %d %s %lld ml %lld fen +%lld points%s", rec->id,
		 view ? view->card_masked : "anonymous", in->pump, in->grade,
		 (long long)out->volume_ml, (long long)out->amount_fen,
		 (long long)out->points_earned, audit_by(in->staff_id, in->via, by, sizeof by));
	return record_save(db, rec, cfg->station_id, in->staff_id, data, "visit", detail, err);
}

/* Inside the transaction: the card's view, or a refusal. */
static fc_status visit_card(sqlite3 *db, const fc_config *cfg, const fc_visit_input *in,
			    fc_card_view *view, fc_error *err)
{
	fc_status s = lookup_card(db, cfg, in->card_id, view, err);
	if (s)
		return s;
	if (!view->registered)
		return fc_error_set(err, FC_ERR_NOT_FOUND,
				    FC_TR("card %s is not registered: register the customer or record "
					  "an anonymous visit"),
				    view->card_masked);
	if (!view->blocked)
		return FC_OK;
	s = visit_enqueue_blocked_seen(db, cfg, view, "visit", in->staff_id, NULL, err);
	if (s)
		return s;
	s = db_commit(db, err);
	if (s)
		return s;
	return fc_error_set(err, FC_ERR_BLOCKED, FC_TR("card %s is blocked%s%s: no benefits, nothing recorded"),
			    view->card_masked, view->blocked_reason[0] ? ": " : "",
			    view->blocked_reason);
}

fc_status visit_record(sqlite3 *db, const fc_config *cfg, const fc_visit_input *in,
		       fc_visit_result *out, fc_error *err)
{
	fc_card_view view;
	fc_record rec;
	int grade_index;
	memset(out, 0, sizeof *out);
	out->anonymous = !in->card_id; /* "" is a card id left empty: refused below */
	fc_status s = visit_check_input(cfg, in, &grade_index, err);
	if (!s && !out->anonymous) {
		char canonical[80];
		s = lookup_canonical_card(in->card_id, canonical, err);
	}
	if (!s)
		s = record_begin(db, &rec, "visit", err);
	if (s)
		return s;
	const fc_card_view *v = out->anonymous ? NULL : &view;
	if (v) {
		s = visit_card(db, cfg, in, &view, err);
		if (s == FC_ERR_BLOCKED)
			return s; /* committed the blocked_card_seen record */
	}
	if (!s)
		s = visit_price(cfg, in, grade_index, v, out, err);
	if (!s && v) {
		out->tier = view.tier;
		out->points_earned = lookup_points_for(cfg, view.tier, out->volume_ml);
	}
	if (!s)
		s = visit_insert_rows(db, &rec, in, v, out, err);
	if (!s && v)
		s = visit_classify(db, cfg, &rec, v, out, err);
	if (!s)
		s = visit_enqueue(db, cfg, &rec, in, v, out, err);
	/* the ledger row after the outbox row: it is written with its seq */
	if (!s && v && out->points_earned > 0)
		s = lookup_points_add(db, &rec, view.customer_id, out->points_earned, "earn", err);
	if (!s && v)
		s = lookup_points_balance(db, view.customer_id, &out->points_balance, err);
	s = db_finish(db, s, err);
	if (!s) {
		memcpy(out->id, rec.id, UUID_STR_LEN);
		out->seq = rec.seq;
	}
	return s;
}

/* meta key of a terminal's last pump: "ui_last_pump:/dev/tty1". */
static void visit_pump_key(const char *terminal, char *buf, size_t n)
{
	snprintf(buf, n, "ui_last_pump:%s", terminal && *terminal ? terminal : "?");
}

int visit_pump_last(sqlite3 *db, const char *terminal)
{
	char key[300], value[32];
	visit_pump_key(terminal, key, sizeof key);
	int pump = db_meta_get(db, key, value, sizeof value) ? atoi(value) : 0;
	return visit_pump_valid(pump) ? pump : 1;
}

fc_status visit_pump_remember(sqlite3 *db, const char *terminal, int pump, fc_error *err)
{
	char key[300], value[16];
	visit_pump_key(terminal, key, sizeof key);
	snprintf(value, sizeof value, "%d", pump);
	return db_meta_set(db, key, value, err);
}

bool visit_pump_valid(int pump)
{
	return pump >= 1 && pump <= VISIT_PUMP_MAX;
}
