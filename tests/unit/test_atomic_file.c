/* test_atomic_file.c — files written whole or not at all: content and mode,
 * the old file intact when a write or the rename fails, no temporary left,
 * the file named in every error, link that keeps an existing file. */
#include "testutil.h"

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "base/atomic_file.h"

/* The file's content into buf (size n); "" when it cannot be read. */
static const char *slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	buf[0] = '\0';
	if (f) {
		size_t got = fread(buf, 1, n - 1, f);
		buf[got] = '\0';
		fclose(f);
	}
	return buf;
}

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* Each test gets its own empty directory as *state. */
static int setup(void **state)
{
	*state = tu_tempdir();
	return 0;
}

static int teardown(void **state)
{
	tu_rmdir(*state);
	return 0;
}

static void write_all_makes_the_file_with_its_mode(void **state)
{
	const char *dir = *state;
	char path[4096], buf[64];
	fc_error err;
	tu_path(path, dir, "a.txt");
	assert_int_equal(atomic_file_write_all(path, "first\n", 6, 0640, &err), FC_OK);
	assert_string_equal(slurp(path, buf, sizeof buf), "first\n");
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	assert_int_equal(atomic_file_write_all(path, "second\n", 7, 0600, &err), FC_OK);
	assert_string_equal(slurp(path, buf, sizeof buf), "second\n");
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(entries(dir), 1); /* no temporary left */
}

static void failed_write_keeps_the_old_file(void **state)
{
	const char *dir = *state;
	char path[4096], buf[64], big[4096];
	fc_error err;
	tu_write(path, dir, "keep.txt", "old\n");
	/* A file size limit makes write() fail with EFBIG (SIGXFSZ ignored). */
	struct rlimit was, small;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
	small = was;
	small.rlim_cur = 1024;
	void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	memset(big, 'x', sizeof big);
	fc_status s = atomic_file_write_all(path, big, sizeof big, 0600, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
	signal(SIGXFSZ, old_handler);
	assert_int_equal(s, FC_ERR_IO);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "cannot write"));
	assert_string_equal(slurp(path, buf, sizeof buf), "old\n");
	assert_int_equal(entries(dir), 1);
}

static void missing_directory_is_named(void **state)
{
	const char *dir = *state;
	char path[4096];
	fc_error err;
	tu_path(path, dir, "no/such/dir/x.txt");
	assert_int_equal(atomic_file_write_all(path, "x", 1, 0600, &err), FC_ERR_IO);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "cannot create"));
	assert_int_equal(entries(dir), 0);
}

static void unwritable_directory_keeps_the_old_file(void **state)
{
	const char *dir = *state;
	if (geteuid() == 0)
		skip(); /* root writes anywhere */
	char path[4096], buf[64];
	fc_error err;
	tu_write(path, dir, "keep.txt", "old\n");
	assert_int_equal(chmod(dir, 0500), 0);
	fc_status s = atomic_file_write_all(path, "new\n", 4, 0600, &err);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(s, FC_ERR_IO);
	assert_non_null(strstr(err.msg, path));
	assert_string_equal(slurp(path, buf, sizeof buf), "old\n");
	assert_int_equal(entries(dir), 1);
}

static void failed_rename_keeps_the_old_file(void **state)
{
	const char *dir = *state;
	char path[4096], dest[4096], inner[4096];
	fc_error err;
	tu_path(dest, dir, "taken");
	assert_int_equal(mkdir(dest, 0700), 0); /* a non-empty directory cannot be replaced */
	tu_write(inner, dir, "taken/inside", "old\n");
	atomic_file f;
	tu_path(path, dir, "hidden");
	assert_int_equal(atomic_file_open(&f, path, 0600, &err), FC_OK);
	assert_int_equal(atomic_file_write(&f, "new\n", 4, &err), FC_OK);
	assert_int_equal(atomic_file_commit(&f, dest, &err), FC_ERR_IO);
	assert_non_null(strstr(err.msg, dest));
	assert_non_null(strstr(err.msg, "cannot rename into place"));
	assert_int_equal(entries(dir), 1); /* only the directory: the temporary went */
	assert_int_equal(entries(dest), 1);
}

static void commit_to_another_name_and_abort(void **state)
{
	const char *dir = *state;
	char path[4096], dest[4096], buf[64];
	fc_error err;
	atomic_file f;
	tu_path(path, dir, ".export");
	tu_path(dest, dir, "export-1-2.ndjson");
	assert_int_equal(atomic_file_open(&f, path, 0600, &err), FC_OK);
	assert_int_equal(entries(dir), 1); /* the temporary, not yet the file */
	assert_int_equal(atomic_file_write(&f, "a\n", 2, &err), FC_OK);
	assert_int_equal(atomic_file_write(&f, "b\n", 2, &err), FC_OK);
	assert_int_equal(atomic_file_commit(&f, dest, &err), FC_OK);
	assert_string_equal(slurp(dest, buf, sizeof buf), "a\nb\n");
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(atomic_file_open(&f, path, 0600, &err), FC_OK);
	assert_int_equal(atomic_file_write(&f, "c\n", 2, &err), FC_OK);
	atomic_file_abort(&f);
	atomic_file_abort(&f); /* twice is harmless */
	assert_int_equal(entries(dir), 1);
}

static void link_keeps_an_existing_file(void **state)
{
	const char *dir = *state;
	char path[4096], buf[64];
	fc_error err;
	atomic_file f;
	tu_path(path, dir, "pepper");
	assert_int_equal(atomic_file_open(&f, path, 0600, &err), FC_OK);
	assert_int_equal(atomic_file_write(&f, "one", 3, &err), FC_OK);
	assert_int_equal(atomic_file_link(&f, &err), FC_OK);
	assert_string_equal(slurp(path, buf, sizeof buf), "one");
	assert_int_equal(atomic_file_open(&f, path, 0600, &err), FC_OK);
	assert_int_equal(atomic_file_write(&f, "two", 3, &err), FC_OK);
	assert_int_equal(atomic_file_link(&f, &err), FC_OK);
	assert_string_equal(slurp(path, buf, sizeof buf), "one"); /* kept */
	assert_int_equal(entries(dir), 1);
}

static void rename_puts_a_file_written_by_name_in_place(void **state)
{
	const char *dir = *state;
	char from[4096], to[4096], buf[64];
	fc_error err;
	tu_write(from, dir, "x.building", "built\n");
	tu_path(to, dir, "x.db");
	assert_int_equal(atomic_file_rename(from, to, &err), FC_OK);
	assert_string_equal(slurp(to, buf, sizeof buf), "built\n");
	assert_int_equal(entries(dir), 1);
	assert_int_equal(atomic_file_rename(from, to, &err), FC_ERR_IO); /* gone now */
	assert_non_null(strstr(err.msg, to));
	assert_string_equal(slurp(to, buf, sizeof buf), "built\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(write_all_makes_the_file_with_its_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_write_keeps_the_old_file, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_directory_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(unwritable_directory_keeps_the_old_file, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_rename_keeps_the_old_file, setup, teardown),
		cmocka_unit_test_setup_teardown(commit_to_another_name_and_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(link_keeps_an_existing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(rename_puts_a_file_written_by_name_in_place, setup, teardown),
	};
	return cmocka_run_group_tests_name("atomic_file", tests, NULL, NULL);
}
