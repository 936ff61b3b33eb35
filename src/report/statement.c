/* statement.c — the fuel ledger 用油台账: one customer's fuellings of one
 * station-local month, read through visits_customer, totalled per card and
 * per grade. */
#include "report/statement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/tr.h"
#include "pump/lookup.h"
#include "store/db.h"

/* The total of key in *list (appended, zeroed, when new); NULL when out
 * of memory. */
static statement_total *total_for(statement_total **list, size_t *count, const char *key)
{
	for (size_t i = 0; i < *count; i++)
		if (strcmp((*list)[i].key, key) == 0)
			return &(*list)[i];
	statement_total *grown = realloc(*list, (*count + 1) * sizeof **list);
	if (!grown)
		return NULL;
	*list = grown;
	statement_total *t = &grown[(*count)++];
	memset(t, 0, sizeof *t);
	snprintf(t->key, sizeof t->key, "%s", key);
	return t;
}

static void total_add(statement_total *t, const statement_row *r)
{
	t->fuellings++;
	t->volume_ml += r->volume_ml;
	t->amount_fen += r->amount_fen;
	t->discount_fen += r->discount_fen;
	t->points += r->points;
}

static int total_by_key(const void *a, const void *b)
{
	return strcmp(((const statement_total *)a)->key, ((const statement_total *)b)->key);
}

/* The customer of code; FC_ERR_INVALID when there is none. */
static fc_status read_customer(sqlite3 *db, const char *code, int64_t *id, statement *out,
			       fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT id, code, name, nature, coalesce(plate, '') "
				     "FROM customers WHERE code = ?1", &st, err);
	if (s)
		return s;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, out->code, sizeof out->code);
		db_column_copy(st, 2, out->name, sizeof out->name);
		if (!nature_parse(db_column_text(st, 3), &out->nature))
			out->nature = NATURE_INDIVIDUAL;
		db_column_copy(st, 4, out->plate, sizeof out->plate);
	} else if (rc == SQLITE_DONE) {
		s = fc_error_set(err, FC_ERR_INVALID, FC_TR("no customer with code '%.40s'"), code);
	} else {
		s = db_fail(db, rc, "reading the customer", err);
	}
	sqlite3_finalize(st);
	return s;
}

/* The customer's cards (only card when given: refused when not its own),
 * each with a zero total, by card id. */
static fc_status read_cards(sqlite3 *db, int64_t customer, const char *card, statement *out,
			    fc_error *err)
{
	sqlite3_stmt *st;
	fc_status s = db_prepare(db, "SELECT card_id FROM cards WHERE customer_id = ?1 "
				     "AND (?2 IS NULL OR card_id = ?2) ORDER BY card_id", &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, customer);
	db_bind_text_opt(st, 2, card);
	int rc;
	while (!s && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char masked[24];
		lookup_mask_card(db_column_text(st, 0), masked);
		/* two cards ending alike share a line: what the kiosk shows of them */
		if (!total_for(&out->by_card, &out->card_count, masked))
			s = fc_error_set(err, FC_ERR_NOMEM, "out of memory reading the cards");
	}
	if (!s && rc != SQLITE_DONE)
		s = db_fail(db, rc, "reading the cards", err);
	sqlite3_finalize(st);
	if (!s && card && out->card_count == 0)
		s = fc_error_set(err, FC_ERR_INVALID,
				 FC_TR("--card %s: not a card of customer %s"), out->card, out->code);
	return s;
}

static fc_status read_visits(sqlite3 *db, int64_t customer, const char *card, statement *out,
			     fc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	fc_status s = db_prepare(db, "SELECT created_at, card_id, grade, volume_ml, amount_fen, "
				     "discount_fen, points_earned FROM visits "
				     "WHERE customer_id = ?1 AND created_at >= ?2 AND created_at < ?3 "
				     "AND (?4 IS NULL OR card_id = ?4) ORDER BY created_at, id",
				 &st, err);
	if (s)
		return s;
	sqlite3_bind_int64(st, 1, customer);
	sqlite3_bind_text(st, 2, out->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, out->to, -1, SQLITE_STATIC);
	db_bind_text_opt(st, 4, card);
	int rc;
	while (!s && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->count == cap) {
			size_t n = cap ? cap * 2 : 64;
			statement_row *grown = realloc(out->rows, n * sizeof *grown);
			if (!grown) {
				s = fc_error_set(err, FC_ERR_NOMEM, "out of memory reading the ledger");
				break;
			}
			out->rows = grown;
			cap = n;
		}
		statement_row *r = &out->rows[out->count++];
		memset(r, 0, sizeof *r);
		int64_t ms;
		db_column_copy(st, 0, r->at, sizeof r->at);
		if (clock_parse_iso(r->at, &ms))
			clock_format_local(ms, r->local);
		else
			snprintf(r->local, sizeof r->local, "%s", r->at);
		lookup_mask_card(db_column_text(st, 1), r->card);
		db_column_copy(st, 2, r->grade, sizeof r->grade);
		r->volume_ml = sqlite3_column_int64(st, 3);
		r->amount_fen = sqlite3_column_int64(st, 4);
		r->discount_fen = sqlite3_column_int64(st, 5);
		r->points = sqlite3_column_int64(st, 6);
		statement_total *c = total_for(&out->by_card, &out->card_count, r->card);
		statement_total *g = total_for(&out->by_grade, &out->grade_count, r->grade);
		if (!c || !g) {
			s = fc_error_set(err, FC_ERR_NOMEM, "out of memory totalling the ledger");
			break;
		}
		total_add(c, r);
		total_add(g, r);
		total_add(&out->total, r);
	}
	if (!s && rc != SQLITE_DONE)
		s = db_fail(db, rc, "reading the fuellings", err);
	sqlite3_finalize(st);
	if (!s && out->grade_count > 1)
		qsort(out->by_grade, out->grade_count, sizeof *out->by_grade, total_by_key);
	return s;
}

fc_status statement_compute(sqlite3 *db, const fc_config *cfg, const char *code,
			    const char *month, const char *card, statement *out, fc_error *err)
{
	memset(out, 0, sizeof *out);
	snprintf(out->station, sizeof out->station, "%s", cfg->station_id);
	fc_status s;
	if (month)
		s = report_parse_month(month, out->month, err);
	else {
		report_month_of(clock_now_ms(), out->month);
		s = FC_OK;
	}
	if (s)
		return s; /* FC_ERR_USAGE: exit 2 like a bad value */
	char canon[80], next[REPORT_MONTH_LEN];
	if (card) {
		fc_error why;
		fc_error_clear(&why);
		if (lookup_canonical_card(card, canon, &why))
			return fc_error_set(err, FC_ERR_INVALID, FC_TR("--card '%.40s': %s"), card,
					    fc_error_text(&why));
		lookup_mask_card(canon, out->card);
	}
	report_month_step(out->month, 1, next);
	s = report_month_start_iso(out->month, out->from, err);
	if (!s)
		s = report_month_start_iso(next, out->to, err);
	if (s)
		return s;
	int64_t customer = 0;
	int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL); /* one consistent read */
	if (rc != SQLITE_OK)
		return db_fail(db, rc, "starting the ledger", err);
	s = read_customer(db, code ? code : "", &customer, out, err);
	if (!s)
		s = read_cards(db, customer, card ? canon : NULL, out, err);
	if (!s)
		s = read_visits(db, customer, card ? canon : NULL, out, err);
	sqlite3_exec(db, s ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	return s;
}

void statement_free(statement *s)
{
	free(s->rows);
	free(s->by_card);
	free(s->by_grade);
	s->rows = NULL;
	s->by_card = s->by_grade = NULL;
	s->count = s->card_count = s->grade_count = 0;
}
