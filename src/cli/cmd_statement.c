/* cmd_statement.c — `forecourt statement CODE [--month YYYY-MM] [--card ID]
 * [--format text|csv|json]`: the fuel ledger 用油台账 of statement.c. */
#include <csv.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/text_width.h"
#include "cli/commands.h"
#include "report/statement.h"

/* "1234.567" litres from millilitres into buf[32]. */
static const char *statement_litres(int64_t ml, char *buf)
{
	snprintf(buf, 32, "%s%" PRId64 ".%03" PRId64, ml < 0 ? "-" : "", (ml < 0 ? -ml : ml) / 1000,
		 (ml < 0 ? -ml : ml) % 1000);
	return buf;
}

/* "1234.56" yuan from fen into buf[32]. */
static const char *statement_yuan(int64_t fen, char *buf)
{
	snprintf(buf, 32, "%s%" PRId64 ".%02" PRId64, fen < 0 ? "-" : "",
		 (fen < 0 ? -fen : fen) / 100, (fen < 0 ? -fen : fen) % 100);
	return buf;
}

static void text_total(const char *key, const statement_total *t)
{
	char l[32], a[32], d[32];
	printf("  %-10s %6" PRId64 " %13s %13s %11s %9" PRId64 "\n", key, t->fuellings,
	       statement_litres(t->volume_ml, l), statement_yuan(t->amount_fen, a),
	       statement_yuan(t->discount_fen, d), t->points);
}

static void print_text(const statement *s)
{
	char l[32], a[32], d[32], cell[96];
	printf("fuel ledger %s %s (%s), month %s (%s .. %s), station %s\n", s->code, s->name,
	       nature_key(s->nature), s->month, s->from, s->to, s->station);
	printf("plates: %s%s%s\n", s->plate[0] ? s->plate : "none",
	       s->card[0] ? "   card: " : "", s->card);
	printf("%-16s %-8s %-8s %-10s %-6s %10s %10s %8s %6s\n", "date", "station", "card", "plate",
	       "grade", "litres", "amount", "discount", "points");
	for (size_t i = 0; i < s->count; i++) {
		const statement_row *r = &s->rows[i];
		printf("%-16s %-8s %-8s %s %-6s %10s %10s %8s %6" PRId64 "\n", r->local, s->station,
		       r->card, text_width_cell(cell, sizeof cell, s->plate, 10), r->grade,
		       statement_litres(r->volume_ml, l), statement_yuan(r->amount_fen, a),
		       statement_yuan(r->discount_fen, d), r->points);
	}
	printf("totals per card:\n  %-10s %6s %13s %13s %11s %9s\n", "card", "count", "litres",
	       "amount", "discount", "points");
	for (size_t i = 0; i < s->card_count; i++)
		text_total(s->by_card[i].key, &s->by_card[i]);
	printf("totals per grade:\n");
	for (size_t i = 0; i < s->grade_count; i++)
		text_total(s->by_grade[i].key, &s->by_grade[i]);
	printf("total:\n");
	text_total(s->month, &s->total);
}

/* One CSV field, quoted (libcsv) only when it needs it. */
static void csv_field(const char *f, bool last)
{
	if (strpbrk(f, ",\"\r\n"))
		csv_fwrite(stdout, f, strlen(f));
	else
		fputs(f, stdout);
	fputc(last ? '\n' : ',', stdout);
}

/* kind,date,station,card,plate,grade,fuellings,volume_ml,amount_fen,discount_fen,points */
static void csv_line(const char *kind, const char *date, const statement *s, const char *card,
		     const char *grade, const statement_total *t)
{
	char n[5][24];
	snprintf(n[0], sizeof n[0], "%" PRId64, t->fuellings);
	snprintf(n[1], sizeof n[1], "%" PRId64, t->volume_ml);
	snprintf(n[2], sizeof n[2], "%" PRId64, t->amount_fen);
	snprintf(n[3], sizeof n[3], "%" PRId64, t->discount_fen);
	snprintf(n[4], sizeof n[4], "%" PRId64, t->points);
	const char *f[] = { kind, date, s->station, card, s->plate, grade,
			    n[0], n[1], n[2], n[3], n[4] };
	for (int i = 0; i < 11; i++)
		csv_field(f[i], i == 10);
}

static void print_csv(const statement *s)
{
	puts("kind,date,station,card,plate,grade,fuellings,volume_ml,amount_fen,discount_fen,"
	     "points");
	for (size_t i = 0; i < s->count; i++) {
		const statement_row *r = &s->rows[i];
		statement_total t = { .fuellings = 1, .volume_ml = r->volume_ml,
				      .amount_fen = r->amount_fen, .discount_fen = r->discount_fen,
				      .points = r->points };
		csv_line("fuelling", r->at, s, r->card, r->grade, &t);
	}
	for (size_t i = 0; i < s->card_count; i++)
		csv_line("card", s->month, s, s->by_card[i].key, "", &s->by_card[i]);
	for (size_t i = 0; i < s->grade_count; i++)
		csv_line("grade", s->month, s, "", s->by_grade[i].key, &s->by_grade[i]);
	csv_line("total", s->month, s, s->card, "", &s->total);
}

static json_t *json_total(const char *name, const statement_total *t)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", name, t->key, "fuellings",
			 (json_int_t)t->fuellings, "volume_ml", (json_int_t)t->volume_ml,
			 "amount_fen", (json_int_t)t->amount_fen, "discount_fen",
			 (json_int_t)t->discount_fen, "points", (json_int_t)t->points);
}

static int print_json(const statement *s)
{
	json_t *rows = json_array(), *cards = json_array(), *grades = json_array();
	for (size_t i = 0; rows && i < s->count; i++) {
		const statement_row *r = &s->rows[i];
		json_array_append_new(
			rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "at", r->at,
					"local", r->local, "station", s->station, "card", r->card,
					"grade", r->grade, "volume_ml", (json_int_t)r->volume_ml,
					"amount_fen", (json_int_t)r->amount_fen, "discount_fen",
					(json_int_t)r->discount_fen, "points", (json_int_t)r->points));
	}
	for (size_t i = 0; cards && i < s->card_count; i++)
		json_array_append_new(cards, json_total("card", &s->by_card[i]));
	for (size_t i = 0; grades && i < s->grade_count; i++)
		json_array_append_new(grades, json_total("grade", &s->by_grade[i]));
	json_t *total = json_total("card", &s->total);
	json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
				 "code", s->code, "name", s->name, "nature",
				 nature_key(s->nature), "plate", s->plate, "station", s->station,
				 "month", s->month, "from", s->from, "to", s->to, "card", s->card,
				 "fuellings", rows, "by_card", cards, "by_grade", grades, "total",
				 total);
	if (!root || json_array_size(rows) != s->count) {
		fprintf(stderr, "forecourt statement: cannot build the JSON (out of memory?)\n");
		json_decref(root);
		return 1;
	}
	int rc = json_dumpf(root, stdout, JSON_INDENT(1));
	json_decref(root);
	putchar('\n');
	return rc ? 1 : 0;
}

static int cmd_statement_run(fc_app *app, int argc, char **argv)
{
	const char *month = NULL, *card = NULL, *format = NULL;
	const cli_option opts[] = { { "month", &month, NULL },
				    { "card", &card, NULL },
				    { "format", &format, NULL } };
	char *pos[1];
	if (argc < 2 || argv[1][0] == '-')
		return cli_usage(&cmd_statement, "give the customer code first");
	if (cli_parse_options(argc, argv, opts, 3, pos, 0) < 0)
		return cli_usage(&cmd_statement, NULL);
	if (format && strcmp(format, "text") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0) {
		fprintf(stderr, "forecourt statement: --format '%s': give text, csv or json\n", format);
		return 2;
	}
	fc_error err;
	fc_error_clear(&err);
	statement s;
	memset(&s, 0, sizeof s);
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (!st)
		st = statement_compute(app->db, &app->cfg, argv[1], month, card, &s, &err);
	int rc = 0;
	if (st)
		rc = cli_fail(st, &err);
	else if (!format || strcmp(format, "text") == 0)
		print_text(&s);
	else if (strcmp(format, "csv") == 0)
		print_csv(&s);
	else
		rc = print_json(&s);
	statement_free(&s);
	if (!rc && fflush(stdout) != 0) {
		perror("forecourt statement: writing the output");
		rc = 1;
	}
	return rc;
}

const cli_command cmd_statement = {
	.name = "statement",
	.run = cmd_statement_run,
	.usage = "forecourt statement CODE [--month YYYY-MM] [--card ID] [--format text|csv|json]",
	.summary = "the fuel ledger of a customer (a unit's whole fleet) for a month",
	.help = "Every fuelling of customer CODE at this station in one station-local month\n"
		"(default: the current one): date, station, card (masked, ****1234), plate (the\n"
		"customer's: a fuelling records none), grade, litres, amount, discount and\n"
		"points; then the totals per card (every card of the customer, a unit\n"
		"customer's whole fleet) and per grade, and of the month.  --card ID: only\n"
		"that card (one of the customer's).  csv: one header row, then\n"
		"kind,date,station,card,plate,grade,fuellings,volume_ml,amount_fen,discount_fen,\n"
		"points rows, kind fuelling (date in UTC), card, grade or total.  json: one\n"
		"object (volumes in ml, money in fen).  Exit 2 for an unknown code, a bad\n"
		"--month, --card or --format.\n",
};
