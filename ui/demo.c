/* demo.c — `forecourt demo`: build the deterministic demo database (seeds/)
 * once, atomically, then start the kiosk on it with the simulated reader. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/atomic_file.h"
#include "base/clock.h"
#include "base/log.h"
#include "customers/classify.h"
#include "customers/search.h"
#include "pump/lookup.h"
#include "seeds/seed.h"
#include "ui/kiosk.h"

#define DEMO_DEFAULT_DB "build/demo.db"

typedef struct demo_args {
	long customers;
	uint64_t seed;
	int build_only;
} demo_args;

typedef struct demo_progress {
	int tty;                 /* stdout is a terminal: one updating line */
	int64_t started_ms;      /* monotonic */
	char phase[32];
} demo_progress;

/* Print "forecourt demo: WHAT 'ARG'" and the usage; exit code 2. */
static int demo_usage(const char *what, const char *arg)
{
	fprintf(stderr, "forecourt demo: %s '%s'\n", what, arg);
	return cli_usage(&demo_cli_command, NULL);
}

static int demo_parse_number(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int demo_parse_args(int argc, char **argv, demo_args *a)
{
	a->customers = SEED_DEFAULT_CUSTOMERS;
	a->seed = 1;
	a->build_only = 0;
	for (int i = 1; i < argc; i++) {
		unsigned long long v;
		if (strcmp(argv[i], "--build-only") == 0) {
			a->build_only = 1;
		} else if (strcmp(argv[i], "--customers") == 0) {
			if (demo_parse_number(i + 1 < argc ? argv[i + 1] : NULL, SEED_MAX_CUSTOMERS, &v) ||
			    v < 1)
				return demo_usage("--customers needs a number 1..1500000, not",
						  i + 1 < argc ? argv[i + 1] : "");
			a->customers = (long)v;
			i++;
		} else if (strcmp(argv[i], "--seed") == 0) {
			if (demo_parse_number(i + 1 < argc ? argv[i + 1] : NULL, UINT64_MAX, &v))
				return demo_usage("--seed needs a non-negative whole number, not",
						  i + 1 < argc ? argv[i + 1] : "");
			a->seed = v;
			i++;
		} else {
			return demo_usage("unknown argument", argv[i]);
		}
	}
	return 0;
}

/* Processor seconds used so far (user + system). */
static double demo_cpu_seconds(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void demo_show_progress(void *ctx, const char *phase, long done, long total)
{
	demo_progress *p = ctx;
	double secs = (double)(clock_mono_ms() - p->started_ms) / 1000.0;
	int percent = total > 0 ? (int)(done * 100 / total) : 100;
	if (p->tty) {
		printf("\rdemo: %-10s %3d%%  %ld/%ld  %.1f s   ", phase, percent, done, total, secs);
		if (done >= total)
			printf("\n");
	} else if (done >= total) {
		printf("demo: %-10s %ld  %.1f s (cpu %.1f s)\n", phase, total, secs,
		       demo_cpu_seconds());
	}
	fflush(stdout);
}

static void demo_remove_building(const char *tmp)
{
	char side[PATH_MAX + 8];
	unlink(tmp);
	snprintf(side, sizeof side, "%s-wal", tmp);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", tmp);
	unlink(side);
}

/* Build into PATH.building, then rename: PATH exists only when complete. */
static int demo_build(fc_app *app, const char *path, const demo_args *a)
{
	char tmp[PATH_MAX];
	fc_error err;
	sqlite3 *db = NULL;
	fc_error_clear(&err);
	if (snprintf(tmp, sizeof tmp, "%s.building", path) >= (int)sizeof tmp)
		return demo_usage("database path too long:", path);
	if (access(app->cfg.holidays_file, R_OK) != 0) {
		fprintf(stderr, "forecourt demo: holidays file %s ([complaints] holidays_file%s%s): %s\n",
			app->cfg.holidays_file, app->config_path[0] ? " in " : "", app->config_path,
			strerror(errno));
		return 1;
	}
	demo_remove_building(tmp); /* a build interrupted earlier */
	demo_progress prog = { .tty = isatty(STDOUT_FILENO), .started_ms = clock_mono_ms() };
	seed_options opt;
	seed_options_defaults(&opt, &app->cfg);
	opt.seed = a->seed;
	opt.customers = a->customers;
	/* The data's "now" is today's UTC midnight: the same seed gives the same
	 * database all day (and always with FORECOURT_NOW). */
	opt.reference_ms = clock_now_ms() / 86400000LL * 86400000LL;
	opt.holidays_path = app->cfg.holidays_file;
	opt.fresh_file = true;
	opt.progress = demo_show_progress;
	opt.progress_ctx = &prog;
	printf("demo: building %s (%ld customers, seed %" PRIu64 ")\n", path, a->customers, a->seed);
	fc_status st = db_open(tmp, DB_OPEN_CREATE, &db, &err);
	if (!st)
		st = seed_generate(db, &opt, &err);
	if (!st) /* the generator loads customers without their triggers */
		st = search_rebuild_grams(db, &err);
	if (!st) /* nor the cards' copy of the swipe decision's columns */
		st = lookup_decision_rebuild(db, &err);
	if (!st) /* ... and their visits with last_visit_at, not last_visit_ml */
		st = classify_rebuild_last_visit(db, &err);
	seed_counts n = { 0, 0, 0, 0 };
	if (!st)
		st = seed_count(db, &n, &err);
	db_close(db);
	if (!st) /* flushed here: the bulk load ran with synchronous=OFF */
		st = atomic_file_rename(tmp, path, &err);
	if (st) {
		demo_remove_building(tmp);
		fprintf(stderr, "forecourt demo: %s\n", fc_error_text(&err));
		return app_exit_code(st);
	}
	double secs = (double)(clock_mono_ms() - prog.started_ms) / 1000.0;
	printf("demo: built %s in %.1f s (cpu %.1f s): %ld customers, %ld cards (%ld blocked), "
	       "%ld visits\n",
	       path, secs, demo_cpu_seconds(), (long)n.customers, (long)n.cards, (long)n.blocked,
	       (long)n.visits);
	log_msg(LOG_INFO, "demo database %s built in %.1f s: %ld customers, seed %" PRIu64, path,
		secs, (long)n.customers, a->seed);
	return 0;
}

/* An existing file: fine when it is a completed demo (brought to the
 * latest schema), refused otherwise (it may be a real station's database). */
static int demo_check_existing(const char *path)
{
	sqlite3 *db;
	fc_error err;
	seed_demo_info demo;
	fc_error_clear(&err);
	seed_demo_peek(path, &demo);
	if (!demo.complete[0]) {
		fprintf(stderr,
			"forecourt demo: %s exists and is not a demo database: "
			"give another --db or remove it\n",
			path);
		return 1;
	}
	fc_status st = db_open(path, DB_OPEN_CREATE, &db, &err);
	if (st) {
		fprintf(stderr, "forecourt demo: %s\n", fc_error_text(&err));
		return app_exit_code(st);
	}
	db_close(db);
	printf("demo: using %s (built for %s, %s customers, seed %s)\n", path, demo.complete,
	       demo.customers, demo.seed);
	return 0;
}

int demo_command(fc_app *app, int argc, char **argv)
{
	demo_args a;
	int rc = demo_parse_args(argc, argv, &a);
	if (rc)
		return rc;
	/* Without --db the configured path is a station's real database: the
	 * demo goes to DEMO_DEFAULT_DB instead. */
	if (strcmp(app->db_path, app->cfg.db_path) == 0)
		snprintf(app->db_path, sizeof app->db_path, "%s", DEMO_DEFAULT_DB);
	const char *path = app->db_path;
	if (access(path, F_OK) == 0)
		rc = demo_check_existing(path);
	else
		rc = demo_build(app, path, &a);
	if (rc || a.build_only)
		return rc;
	/* The demo always runs with the simulated reader (F2 swipes). */
	if (strncmp(app->cfg.reader_port, "sim", 3) != 0)
		snprintf(app->cfg.reader_port, sizeof app->cfg.reader_port, "sim");
	char *kiosk_argv[] = { (char *)"kiosk", NULL };
	return kiosk_command(app, 1, kiosk_argv);
}

const cli_command demo_cli_command = {
	.name = "demo",
	.run = demo_command,
	.usage = "forecourt demo [--customers N] [--seed S] [--build-only]",
	.summary = "build the demo database and start the kiosk on it",
	.help = "Builds a deterministic demo database at --db (default build/demo.db) when it\n"
		"does not exist yet, then starts the kiosk with a simulated reader (F2 swipes).\n"
		"An existing demo database is reused; any other existing file is refused.\n"
		"Same seed and count, same data (dates end today, or at FORECOURT_NOW in a\n"
		"test build).\n"
		"  --customers N  number of customers (default 10000)\n"
		"  --seed S       generator seed (default 1); same seed, same database\n"
		"  --build-only   build the database and exit\n",
};
