/* atomic_file.c — temporary file, fsync, rename or link into place, fsync
 * of the directory. */
#include "base/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* fsync the directory that holds path, so a rename or link in it survives
 * a power cut.  Best effort: the file itself is already safe. */
static void sync_parent(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

fc_status atomic_file_open(atomic_file *f, const char *path, mode_t mode, fc_error *err)
{
	f->fd = -1;
	f->tmp[0] = '\0';
	int w = snprintf(f->tmp, sizeof f->tmp, "%s.tmpXXXXXX", path);
	if (w < 0 || (size_t)w >= sizeof f->tmp)
		return fc_error_set(err, FC_ERR_INVALID, "%s: path too long", path);
	snprintf(f->path, sizeof f->path, "%s", path);
	f->fd = mkostemp(f->tmp, O_CLOEXEC); /* mode 0600 until fchmod */
	if (f->fd < 0) {
		f->tmp[0] = '\0';
		return fc_error_set(err, FC_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
	}
	if (fchmod(f->fd, mode) != 0) {
		fc_status s = fc_error_set(err, FC_ERR_IO, "%s: cannot create: %s", path,
					   strerror(errno));
		atomic_file_abort(f);
		return s;
	}
	return FC_OK;
}

fc_status atomic_file_write(atomic_file *f, const void *buf, size_t len, fc_error *err)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t w = write(f->fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return fc_error_set(err, FC_ERR_IO, "%s: cannot write: %s", f->path,
					    w < 0 ? strerror(errno) : "nothing written");
		p += w;
		len -= (size_t)w;
	}
	return FC_OK;
}

/* fsync and close the temporary file; named as dest in messages. */
static fc_status close_synced(atomic_file *f, const char *dest, fc_error *err)
{
	fc_status s = FC_OK;
	if (fsync(f->fd) != 0)
		s = fc_error_set(err, FC_ERR_IO, "%s: cannot sync: %s", dest, strerror(errno));
	if (close(f->fd) != 0 && !s)
		s = fc_error_set(err, FC_ERR_IO, "%s: cannot close: %s", dest, strerror(errno));
	f->fd = -1;
	return s;
}

fc_status atomic_file_commit(atomic_file *f, const char *dest, fc_error *err)
{
	const char *to = dest ? dest : f->path;
	fc_status s = close_synced(f, to, err);
	if (!s && rename(f->tmp, to) != 0)
		s = fc_error_set(err, FC_ERR_IO, "%s: cannot rename into place: %s", to,
				 strerror(errno));
	if (s) {
		atomic_file_abort(f);
		return s;
	}
	f->tmp[0] = '\0';
	sync_parent(to);
	return FC_OK;
}

fc_status atomic_file_link(atomic_file *f, fc_error *err)
{
	fc_status s = close_synced(f, f->path, err);
	if (!s && link(f->tmp, f->path) != 0 && errno != EEXIST)
		s = fc_error_set(err, FC_ERR_IO, "%s: cannot link into place: %s", f->path,
				 strerror(errno));
	atomic_file_abort(f); /* the temporary name goes either way */
	if (!s)
		sync_parent(f->path);
	return s;
}

void atomic_file_abort(atomic_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp[0])
		unlink(f->tmp);
	f->tmp[0] = '\0';
}

fc_status atomic_file_write_all(const char *path, const void *data, size_t len, mode_t mode,
				fc_error *err)
{
	atomic_file f;
	fc_status s = atomic_file_open(&f, path, mode, err);
	if (s)
		return s;
	s = atomic_file_write(&f, data, len, err);
	if (s) {
		atomic_file_abort(&f);
		return s;
	}
	return atomic_file_commit(&f, NULL, err);
}

fc_status atomic_file_rename(const char *from, const char *to, fc_error *err)
{
	fc_status s = FC_OK;
	int fd = open(from, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		s = fc_error_set(err, FC_ERR_IO, "%s: cannot sync: %s", to, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (!s && rename(from, to) != 0)
		s = fc_error_set(err, FC_ERR_IO, "%s: cannot rename into place: %s", to,
				 strerror(errno));
	if (!s)
		sync_parent(to);
	return s;
}
