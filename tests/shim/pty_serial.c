/* pty_serial.c — test-only LD_PRELOAD shim that lets libserialport 0.1.1 open
 * a pseudo-terminal, so the tests exercise its path without USB hardware.
 *
 * libserialport refuses a pty twice: sp_get_port_by_name looks the device up
 * in sysfs (/sys/class/tty/pts/N does not exist: lstat and readlink fail),
 * and sp_open reads the modem lines with TIOCMGET, which ptys do not support.
 * This shim answers exactly those questions for ptys and passes everything
 * else to libc: lstat/readlink of /sys/class/tty/pts/N describe a virtual
 * tty, and TIOCMGET/TIOCMSET/TIOCMBIS/TIOCMBIC on a pty succeed (TIOCMGET
 * reports DTR, RTS, CTS, DSR and CD up).  It keeps no state. */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define SYS_PTS "/sys/class/tty/pts/"
#define SYS_PTS_TARGET "../../devices/virtual/tty/pts"

/* glibc < 2.33 ABI that libserialport 0.1.1 was linked against. */
int __lxstat(int ver, const char *path, struct stat *buf);

static bool shim_is_sys_pts(const char *path)
{
	return path && strncmp(path, SYS_PTS, strlen(SYS_PTS)) == 0;
}

static void shim_fake_link(struct stat *buf)
{
	memset(buf, 0, sizeof *buf);
	buf->st_mode = S_IFLNK | 0777;
	buf->st_nlink = 1;
	buf->st_size = (off_t)strlen(SYS_PTS_TARGET);
}

int __lxstat(int ver, const char *path, struct stat *buf)
{
	if (shim_is_sys_pts(path)) {
		shim_fake_link(buf);
		return 0;
	}
	int (*real)(int, const char *, struct stat *) =
		(int (*)(int, const char *, struct stat *))dlsym(RTLD_NEXT, "__lxstat");
	if (real)
		return real(ver, path, buf);
	return lstat(path, buf);
}

ssize_t readlink(const char *restrict path, char *restrict buf, size_t len)
{
	if (shim_is_sys_pts(path)) {
		size_t n = strlen(SYS_PTS_TARGET);
		if (n > len)
			n = len;
		memcpy(buf, SYS_PTS_TARGET, n);
		return (ssize_t)n;
	}
	ssize_t (*real)(const char *, char *, size_t) =
		(ssize_t (*)(const char *, char *, size_t))dlsym(RTLD_NEXT, "readlink");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(path, buf, len);
}

/* A pty slave: its name is /dev/pts/N. */
static bool shim_is_pty(int fd)
{
	char name[64];
	return ttyname_r(fd, name, sizeof name) == 0 && strncmp(name, "/dev/pts/", 9) == 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	int (*real)(int, unsigned long, ...) = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	bool modem = request == TIOCMGET || request == TIOCMSET || request == TIOCMBIS || request == TIOCMBIC;
	if (!modem || !shim_is_pty(fd))
		return real(fd, request, arg);
	if (request == TIOCMGET && arg)
		*(int *)arg = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CD;
	return 0;
}
