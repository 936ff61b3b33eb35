/* cmd_import.c — `forecourt import customers|cards|blocked|prices|holidays|
 * tiers|litres FILE`: the importer with a progress bar on a terminal and a
 * summary line. */
#include <inttypes.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "cli/commands.h"
#include "customers/search.h"
#include "import/import.h"

typedef struct progress_state {
	int64_t started_ms; /* of the pass (reading, applying) */
	int64_t last_ms;
	int64_t total;      /* of the pass */
} progress_state;

/* "[#####.....]  42%  120000 rows  61234 rows/s  ETA 3 s" on stderr: the
 * file read, then the rows applied. */
static void import_show_progress(void *user, int64_t rows, int64_t done, int64_t total)
{
	progress_state *p = user;
	int64_t now = clock_mono_ms();
	if (done < 0) {
		fprintf(stderr, "waiting for another import, master pull or tier evaluation to end\n");
		return;
	}
	if (total != p->total) { /* the next pass */
		p->total = total;
		p->started_ms = now;
		if (p->last_ms) /* the reading's bar stays */
			fputc('\n', stderr);
	}
	if (now - p->last_ms < 200 && !(total && done >= total))
		return;
	p->last_ms = now;
	double secs = (double)(now - p->started_ms) / 1000.0;
	double rate = secs > 0 ? (double)rows / secs : 0;
	int percent = total > 0 ? (int)(done * 100 / total) : 0;
	char bar[31];
	int filled = percent * 30 / 100;
	for (int i = 0; i < 30; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[30] = '\0';
	double eta = done > 0 && total > done ? secs * (double)(total - done) / (double)done : 0;
	fprintf(stderr, "\r[%s] %3d%%  %" PRId64 " rows  %.0f rows/s  ETA %.0f s   ", bar,
		percent, rows, rate, eta);
	fflush(stderr);
}

/* The search entries a big import leaves to be made (search_pending, also
 * those of an earlier import whose builder stopped): made by a child
 * process in the background (the import has returned; search scans the
 * customers not indexed yet meanwhile), or before returning when
 * FORECOURT_SEARCH_INDEX is "now", or left when it is "later" (the next
 * import makes them).  The database is closed first: the child opens its
 * own connection (SQLite's must not cross a fork). */
static void import_index_search(fc_app *app)
{
	const char *when = getenv("FORECOURT_SEARCH_INDEX");
	int64_t pending = 0;
	fc_error err;
	fc_error_clear(&err);
	if ((when && strcmp(when, "later") == 0) ||
	    db_query_int64(app->db, "SELECT EXISTS (SELECT 1 FROM search_pending)", &pending, &err) ||
	    !pending)
		return;
	if (when && strcmp(when, "now") == 0) {
		if (search_index_pending(app->db, app->db_path, 0, NULL, NULL, &err))
			fprintf(stderr, "forecourt import: the search index: %s\n", fc_error_text(&err));
		return;
	}
	app_close(app);
	fflush(NULL);
	pid_t pid = fork();
	if (pid != 0)
		return; /* the parent (or no child: the next import makes them) */
	setsid();
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	sqlite3 *db = NULL;
	if (!db_open(app->db_path, DB_OPEN_EXISTING, &db, &err))
		search_index_pending(db, app->db_path, 0, NULL, NULL, &err);
	db_close(db);
	_exit(0);
}

static int cmd_import_run(fc_app *app, int argc, char **argv)
{
	import_kind kind;
	if (argc != 3 || !import_kind_parse(argv[1], &kind))
		return cli_usage(&cmd_import, NULL);
	fc_error err;
	fc_error_clear(&err);
	fc_status st = app_open_db(app, DB_OPEN_EXISTING, &err);
	if (st)
		return cli_fail(st, &err);
#ifdef __GLIBC__
	/* Each changed customer row makes SQLite build and drop small b-trees
	 * (the CHECK constraints' IN lists); with glibc's defaults the heap
	 * then shrinks and grows back at every row, faulting fresh pages in
	 * (3x slower).  This process ends with the import: keep the memory. */
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
	progress_state prog = { .started_ms = clock_mono_ms() };
	bool tty = isatty(STDERR_FILENO);
	import_result res;
	int64_t t0 = clock_mono_ms();
	fc_actor by = cli_actor(app);
	st = import_file(app->db, &app->cfg, kind, argv[2], &by,
			 tty ? import_show_progress : NULL, &prog, &res, &err);
	if (tty)
		fputc('\n', stderr);
	if (st && res.errors.total) { /* bad values, like a bad argument: exit 2 */
		rowfile_errors_print(&res.errors, stderr);
		fprintf(stderr, "forecourt import: %" PRId64 " bad rows in %s: nothing was changed\n",
			res.errors.total, argv[2]);
		return 2;
	}
	if (st) {
		fprintf(stderr, "forecourt import: %s: nothing was changed\n", fc_error_text(&err));
		return app_exit_code(st);
	}
	printf("%s: %" PRId64 " rows: %" PRId64 " inserted, %" PRId64 " updated, %" PRId64
	       " unchanged", import_kind_name(kind), res.rows, res.inserted, res.updated,
	       res.unchanged);
	if (kind == IMPORT_BLOCKED)
		printf(", %" PRId64 " not held here", res.skipped);
	printf(" (%.1f s)\n", (double)(clock_mono_ms() - t0) / 1000.0);
	import_index_search(app);
	return 0;
}

const cli_command cmd_import = {
	.name = "import",
	.run = cmd_import_run,
	.usage = "forecourt import customers|cards|blocked|prices|holidays|tiers|litres FILE",
	.summary = "load a head-office file (CSV or NDJSON) into the database",
	.help = "FILE is CSV with a header row (UTF-8), or NDJSON when it ends in .ndjson or\n"
		".jsonl.  All rows or none: any bad row is listed as FILE:LINE: column 'x': why\n"
		"(up to 20) and nothing is changed.  Columns (required first):\n"
		"  customers  code (at most 31 bytes), name, nature, industry, then tier,\n"
		"             points, phone, plate, contact, address, fuel_grades,\n"
		"             yearly_litres, refuel_cycle_days, other_channels,\n"
		"             potential_needs, person_in_charge, handler, special_needs,\n"
		"             last_purchase_at (UTC 2026-07-01T08:00:00Z, any station),\n"
		"             home_station (station id), owner_staff (staff number >= 1),\n"
		"             owner_name, points_seq (with points only)\n"
		"  cards      card_id, customer_code, kind (unit|personal), then status\n"
		"  blocked    card_id, then reason\n"
		"  prices     grade, tier, nature, discount_fen_per_litre\n"
		"  holidays   date (YYYY-MM-DD), kind (holiday|workday), then name\n"
		"  tiers      customer_code, tier, period (2026H2): head office's tier, with\n"
		"             its history\n"
		"  litres     customer_code, period, litres (the half-year at all stations)\n"
		"points is head office's balance; points_seq S says this station's records\n"
		"1..S are in it: the kiosk shows points + this station's movements above S\n"
		"(without points_seq: + the records head office has not acknowledged).\n"
		"A file may start with a UTF-8 byte order mark; a line over 65536 bytes and a\n"
		"key given twice (naming both lines) are bad rows, as is a price's discount\n"
		"not below the grade's [fuel] price_fen.  Exit 2 when rows are refused, 1\n"
		"when the file or the database cannot be used.\n"
		"Prints inserted / updated / unchanged; a progress bar on a terminal.\n"
		"The search entries of more than 1000 new or renamed customers are made after\n"
		"the import returns, by a process in the background (search finds them by a\n"
		"slower scan meanwhile); FORECOURT_SEARCH_INDEX=now makes them before it\n"
		"returns, =later leaves them to the next import.\n",
};
