/* transport_serial.c — serial card readers: libserialport (8N1, no flow
 * control, DTR and RTS on), else termios for ttys it refuses; flock'd
 * before anything configures the port. */
#include "drivers/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

/* Exclusive use: two kiosks on one reader would each get part of its bytes. */
static reader_status serial_lock(int fd, const char *path, char *err, size_t errlen)
{
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return READER_OK;
	if (errno == EWOULDBLOCK) {
		snprintf(err, errlen, "%s: in use by another process", path);
		return READER_ERR_BUSY;
	}
	snprintf(err, errlen, "%s: flock: %s", path, strerror(errno));
	return READER_ERR_OPEN;
}

static speed_t serial_speed(int baud)
{
	switch (baud) {
	case 300: return B300;
	case 600: return B600;
	case 1200: return B1200;
	case 2400: return B2400;
	case 4800: return B4800;
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	case 230400: return B230400;
	case 460800: return B460800;
	case 921600: return B921600;
	default: return 0;
	}
}

/* termios: raw 8N1, receiver on, no modem control or flow control. */
/* fd: the port, opened and flock'd by transport_serial_connect; closed on
 * failure, else it becomes t->fd. */
static reader_status serial_termios_open(transport *t, int fd, const char *real, const char *why,
					 char *err, size_t errlen)
{
	speed_t sp = serial_speed(t->baud);
	if (!sp) {
		snprintf(err, errlen, "%s: unsupported baud rate %d", real, t->baud);
		close(fd);
		return READER_ERR_CONFIG;
	}
	struct termios tio;
	if (tcgetattr(fd, &tio) != 0) {
		snprintf(err, errlen, "%s: not a terminal: %s", real, strerror(errno));
		close(fd);
		return READER_ERR_CONFIG;
	}
	cfmakeraw(&tio);
	tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS);
	tio.c_cflag |= CS8 | CLOCAL | CREAD;
	tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, sp);
	cfsetospeed(&tio, sp);
	if (tcsetattr(fd, TCSANOW, &tio) != 0) {
		snprintf(err, errlen, "%s: tcsetattr: %s", real, strerror(errno));
		close(fd);
		return READER_ERR_CONFIG;
	}
	int bits = TIOCM_DTR | TIOCM_RTS; /* port-powered readers; ptys have none */
	(void)ioctl(fd, TIOCMBIS, &bits);
	tcflush(fd, TCIFLUSH);
	t->fd = fd;
	snprintf(t->how, sizeof t->how, "%.100s via termios, %d 8N1 (libserialport refused it: %.160s)", real,
		 t->baud, why);
	return READER_OK;
}

static reader_status serial_configure(struct sp_port *port, int baud)
{
	struct sp_port_config *cfg = NULL;
	if (sp_new_config(&cfg) != SP_OK)
		return READER_ERR_NOMEM;
	bool ok = sp_set_config_baudrate(cfg, baud) == SP_OK && sp_set_config_bits(cfg, 8) == SP_OK &&
		  sp_set_config_parity(cfg, SP_PARITY_NONE) == SP_OK &&
		  sp_set_config_stopbits(cfg, 1) == SP_OK &&
		  sp_set_config_flowcontrol(cfg, SP_FLOWCONTROL_NONE) == SP_OK &&
		  sp_set_config_dtr(cfg, SP_DTR_ON) == SP_OK && sp_set_config_rts(cfg, SP_RTS_ON) == SP_OK &&
		  sp_set_config(port, cfg) == SP_OK;
	sp_free_config(cfg);
	return ok ? READER_OK : READER_ERR_CONFIG;
}

/* The text of libserialport's last error (its buffer must be freed). */
static void serial_sp_error(const char *what, enum sp_return rc, char *out, size_t outlen)
{
	if (rc == SP_ERR_ARG) {
		snprintf(out, outlen, "%s: not a serial port it knows", what);
		return;
	}
	char *m = sp_last_error_message();
	snprintf(out, outlen, "%s: %s", what, m && *m ? m : "failed");
	sp_free_error_message(m);
}

reader_status transport_serial_connect(transport *t, char *err, size_t errlen)
{
	/* libserialport 0.1.1 rejects by-id/by-path symlinks: resolve first. */
	char real[PATH_MAX];
	if (!realpath(t->path, real)) {
		snprintf(err, errlen, "%s: %s", t->path, strerror(errno));
		return READER_ERR_OPEN;
	}
	/* The lock comes first: sp_open (and termios) configure the port, which
	 * must not happen under a kiosk that is using it. */
	int lock_fd = open(real, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (lock_fd < 0) {
		snprintf(err, errlen, "%s: %s", real, strerror(errno));
		return READER_ERR_OPEN;
	}
	reader_status locked = serial_lock(lock_fd, real, err, errlen);
	if (locked != READER_OK) {
		close(lock_fd);
		return locked;
	}
	char why[160];
	struct sp_port *port = NULL;
	enum sp_return rc = sp_get_port_by_name(real, &port);
	if (rc != SP_OK) {
		serial_sp_error("sp_get_port_by_name", rc, why, sizeof why);
		return serial_termios_open(t, lock_fd, real, why, err, errlen);
	}
	rc = sp_open(port, SP_MODE_READ_WRITE);
	if (rc != SP_OK) {
		serial_sp_error("sp_open", rc, why, sizeof why);
		sp_free_port(port);
		return serial_termios_open(t, lock_fd, real, why, err, errlen);
	}
	int fd = -1;
	reader_status st = READER_OK;
	if (sp_get_port_handle(port, &fd) != SP_OK || fd < 0) {
		snprintf(err, errlen, "%s: no handle from libserialport", real);
		st = READER_ERR_OPEN;
	}
	if (st == READER_OK && (st = serial_configure(port, t->baud)) != READER_OK) {
		char m[120];
		serial_sp_error("sp_set_config", SP_ERR_FAIL, m, sizeof m);
		snprintf(err, errlen, "%s: %d 8N1: %s", real, t->baud, m);
	}
	if (st == READER_OK && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "%s: O_NONBLOCK: %s", real, strerror(errno));
		st = READER_ERR_OPEN;
	}
	if (st != READER_OK) {
		sp_close(port);
		sp_free_port(port);
		close(lock_fd);
		return st;
	}
	sp_flush(port, SP_BUF_INPUT);
	t->sp = port;
	t->fd = fd;
	t->lock_fd = lock_fd; /* held while the port is open */
	snprintf(t->how, sizeof t->how, "%.200s via libserialport, %d 8N1", real, t->baud);
	return READER_OK;
}
