/* atomic_file.h — files that appear whole or not at all, for anything not
 * kept in SQLite: a temporary file beside the destination, fsynced, renamed
 * (or linked) into place, and the directory fsynced. */
#ifndef FC_ATOMIC_FILE_H
#define FC_ATOMIC_FILE_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/status.h"

typedef struct atomic_file {
	char path[PATH_MAX]; /* the destination given to atomic_file_open, named in messages */
	char tmp[PATH_MAX];  /* the temporary beside it: "PATH.tmpXXXXXX" */
	int fd;              /* open on tmp; -1 once committed or aborted */
} atomic_file;

/* Create the temporary file for path, with mode (e.g. 0600), in path's
 * directory.  Others may write it by name too (f->tmp: SQLite's backup).
 * After FC_OK end with atomic_file_commit, atomic_file_link or
 * atomic_file_abort; after a failure there is nothing to end. */
fc_status atomic_file_open(atomic_file *f, const char *path, mode_t mode, fc_error *err);

/* Append len bytes to the temporary file. */
fc_status atomic_file_write(atomic_file *f, const void *buf, size_t len, fc_error *err);

/* fsync and close the temporary file, rename it over dest (NULL: the path
 * given to atomic_file_open; another name must be in the same directory)
 * and fsync the directory.  On failure the temporary file is removed and
 * dest is as it was. */
fc_status atomic_file_commit(atomic_file *f, const char *dest, fc_error *err);

/* The same, but linked into place: an existing file at the path is kept
 * and the new content dropped (FC_OK either way), for files that must not
 * change once made (the pepper). */
fc_status atomic_file_link(atomic_file *f, fc_error *err);

/* Close and remove the temporary file; nothing after a commit. */
void atomic_file_abort(atomic_file *f);

/* The whole file in one call: open, write data, commit over path. */
fc_status atomic_file_write_all(const char *path, const void *data, size_t len, mode_t mode,
				fc_error *err);

/* Put a finished file that was written by name (a database built by
 * SQLite) in place: fsync from, rename it to to, fsync the directory. */
fc_status atomic_file_rename(const char *from, const char *to, fc_error *err);

#endif
