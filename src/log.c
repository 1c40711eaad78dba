/*
 * log.c -- procd's own log: one line per message, with time and level,
 * to a file or to syslog, to stderr in the foreground, and to a tap
 * (log_set_tap: procctl maintail -f).  The file is reopened on SIGUSR2.
 *
 * Each line is formatted into one buffer (cut at 4 KiB, newline kept) and
 * written whole with sys_write_all, so lines from procd never interleave
 * with each other.  A failed log write is dropped and counted: procd must
 * not stop for its own log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cause.h"
#include "buf.h"
#include "log.h"
#include "textsafe.h"
#include "logfile.h"
#include "sys.h"

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "ERROR",
	[LOG_LEVEL_WARN] = "WARN",
	[LOG_LEVEL_INFO] = "INFO",
	[LOG_LEVEL_DEBUG] = "DEBUG",
};
_Static_assert(sizeof(level_names) / sizeof(level_names[0]) ==
    LOG_LEVEL_DEBUG + 1, "level_names");

static const int level_syslog[] = {
	[LOG_LEVEL_ERROR] = LOG_ERR,
	[LOG_LEVEL_WARN] = LOG_WARNING,
	[LOG_LEVEL_INFO] = LOG_INFO,
	[LOG_LEVEL_DEBUG] = LOG_DEBUG,
};
_Static_assert(sizeof(level_syslog) / sizeof(level_syslog[0]) ==
    LOG_LEVEL_DEBUG + 1, "level_syslog");

static struct {
	const char	*progname;
	enum log_level	 level;
	bool		 to_stderr;
	bool		 to_syslog;
	int		 fd;		/* -1: no file */
	char		*path;
	unsigned long	 dropped;
	void		(*tap)(const char *, size_t);
	bool		 in_tap;
	uint64_t	 maxbytes;	/* rotate the file at; 0 never */
	int		 backups;
	uint64_t	 size;		/* of the file, as written */
	bool		 rotating;
	const struct log_divert *divert;	/* the file's lines go there */
	bool		 sock;		/* fd: a socket shared (stdio) */
	int		 err_fd;	/* stderr, non-blocking; -1: fd 2 */
	bool		 err_sock;
} lg = { "procd", LOG_LEVEL_INFO, true, false, -1, NULL, 0, NULL, false,
    0, 10, 0, false, NULL, false, -1, false };

void
log_set_tap(void (*fn)(const char *, size_t))
{
	lg.tap = fn;
}

int
log_level_parse(const char *s)
{
	static const struct { const char *name; enum log_level level; } t[] = {
		{ "critical", LOG_LEVEL_ERROR }, { "error", LOG_LEVEL_ERROR },
		{ "warn", LOG_LEVEL_WARN }, { "warning", LOG_LEVEL_WARN },
		{ "info", LOG_LEVEL_INFO }, { "debug", LOG_LEVEL_DEBUG },
		{ "trace", LOG_LEVEL_DEBUG }, { "blather", LOG_LEVEL_DEBUG },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(s, t[i].name) == 0)
			return t[i].level;
	return -1;
}

void
log_init(const char *progname)
{
	lg.progname = progname;
	lg.level = LOG_LEVEL_INFO;
	lg.to_stderr = true;
}

/* procd's own stdout or stderr, named the way people name them. */
static bool
log_is_stdio(const char *path)
{
	return strcmp(path, "/dev/stdout") == 0 ||
	    strcmp(path, "/dev/stderr") == 0 ||
	    strncmp(path, "/dev/fd/", 8) == 0 ||
	    strncmp(path, "/proc/self/fd/", 14) == 0;
}

/*
 * Any other path goes through logfile.c: never through a symlink, only a
 * file with one link owned by root or procd's user, so that swapping the
 * log for a link before a SIGUSR2 cannot aim procd at another file.
 */
static int
log_open_file(const char *path, char **cause)
{
	int fd, which;

	lg.sock = false;
	if (!log_is_stdio(path))
		return logfile_open(path, LOGFILE_APPEND, LOGFILE_NOBODY,
		    cause);
	/* Never blocking: a reader that stalls costs lines, not the loop. */
	which = strcmp(path, "/dev/stdout") == 0 ? STDOUT_FILENO :
	    strcmp(path, "/dev/stderr") == 0 ? STDERR_FILENO :
	    atoi(path + (path[1] == 'd' ? 8 : 14));
	fd = logfile_open_stdio(which, &lg.sock);
	if (fd == -1)
		return cause_set(cause, "log file %s: %s", path,
		    strerror(errno));
	return fd;
}

/* Say so when someone besides root may swap procd's log for a link. */
static void
log_check_dir(const char *path)
{
	char *cause = NULL;

	if (log_is_stdio(path) ||
	    logfile_check_dir(path, LOGFILE_NOBODY, &cause) == 0)
		return;
	log_warnx("procd's %s", cause != NULL ? cause : "log directory is "
	    "unsafe");
	free(cause);
}

int
log_open(const char *target, enum log_level level, bool to_stderr,
    char **cause)
{
	char *path = NULL;
	int fd = -1;

	if (strcmp(target, "syslog") != 0 &&
	    (fd = log_open_file(target, cause)) == -1)
		return -1;
	/* Without its path the log could never be reopened (SIGUSR2): fail
	 * now, with the old log still open, rather than later in silence. */
	if (fd != -1 && (path = strdup(target)) == NULL) {
		close(fd);
		return cause_set(cause, "log %s: %s", target,
		    strerror(ENOMEM));
	}
	log_close();
	lg.level = level;
	lg.to_stderr = to_stderr;
	if (to_stderr)
		lg.err_fd = logfile_open_stdio(STDERR_FILENO, &lg.err_sock);
	if (fd == -1) {
		lg.to_syslog = true;
		openlog(lg.progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	} else {
		lg.fd = fd;
		lg.path = path;
		log_check_dir(path);
	}
	return 0;
}

/* The file opened anew onto procd's descriptor; -1 with CAUSE. */
static int
log_file_reopen(char **cause)
{
	int fd;

	if ((fd = log_open_file(lg.path, cause)) == -1)
		return -1;
	if (dup3(fd, lg.fd, O_CLOEXEC) == -1) {
		cause_set(cause, "reopen %s: dup3: %s", lg.path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

void
log_reopen(void)
{
	char *cause = NULL;

	if (lg.divert != NULL) {
		lg.divert->reopen();
		return;
	}
	if (lg.path != NULL && log_file_reopen(&cause) == -1)
		log_warnx("reopen: %s", cause != NULL ? cause : lg.path);
	free(cause);
}

void
log_set_rotation(uint64_t maxbytes, int backups)
{
	struct stat sb;

	lg.maxbytes = maxbytes;
	lg.backups = backups;
	lg.size = lg.fd != -1 && fstat(lg.fd, &sb) == 0 &&
	    S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
}

/*
 * Before a line of N bytes: rotate the file (renames of checked files,
 * logfile.c) when the line would take it past maxbytes, so that no line
 * is split between two files; with no backups, truncate it.  Never the
 * stdio targets.  A failure is said once, in the file as it is.
 */
static void
log_rotate_if_due(size_t n)
{
	char *cause = NULL;
	int r;

	if (lg.maxbytes == 0 || lg.size == 0 || lg.size + n <= lg.maxbytes ||
	    lg.path == NULL || log_is_stdio(lg.path) || lg.rotating)
		return;
	lg.rotating = true;
	if (lg.backups <= 0)
		r = ftruncate(lg.fd, 0) == -1 ? cause_set(&cause,
		    "truncating %s: %s", lg.path, strerror(errno)) : 0;
	else if ((r = logfile_rotate(lg.fd, lg.path, lg.backups,
	    LOGFILE_NOBODY, &cause)) == 0)
		r = log_file_reopen(&cause);
	if (r == 0)
		lg.size = 0;
	else {
		lg.maxbytes = 0;	/* once: not at every line */
		log_warnx("procd's log not rotated: %s (rotation off until "
		    "restart)", cause != NULL ? cause : lg.path);
	}
	free(cause);
	lg.rotating = false;
}

bool
log_has_file(void)
{
	return lg.fd != -1 && lg.path != NULL && !log_is_stdio(lg.path);
}

bool
log_divert(const struct log_divert *d)
{
	if (d == NULL) {
		lg.divert = NULL;
		return true;
	}
	if (!log_has_file())
		return false;
	/* The descriptor goes: children copy the loop's table (lwpool.c). */
	close(lg.fd);
	lg.fd = -1;
	lg.divert = d;
	return true;
}

ssize_t
log_tail(char *out, size_t len)
{
	return log_read(out, len, -1, NULL);
}

int
log_clear(void)
{
	if (lg.divert == NULL)
		return -1;
	lg.divert->clear();
	return 0;
}

ssize_t
log_read(char *out, size_t len, off_t off, off_t *size)
{
	return lg.divert != NULL ? lg.divert->read(out, len, off, size) : -2;
}

void
log_set_stderr(bool on)
{
	lg.to_stderr = on;
}

void
log_close(void)
{
	lg.divert = NULL;
	if (lg.err_fd != -1)
		close(lg.err_fd);
	lg.err_fd = -1;
	if (lg.fd != -1)
		close(lg.fd);
	lg.fd = -1;
	free(lg.path);
	lg.path = NULL;
	if (lg.to_syslog)
		closelog();
	lg.to_syslog = false;
}

void
log_flush(void)
{
	if (lg.divert != NULL)
		lg.divert->flush();
}

const char *
log_path(void)
{
	return lg.path;
}

/* write() all of it, or give up quietly: there is nowhere to report to. */
static void
log_write(int fd, bool sock, const char *p, size_t len)
{
	if ((sock ? sys_send_all_nb(fd, p, len) : sys_write_all(fd, p, len))
	    != (ssize_t)len)
		lg.dropped++;
}

static void	log_rotate_if_due(size_t);

static void
log_emit(enum log_level level, const char *msg)
{
	char line[4096], stamp[32];
	struct timespec ts;
	struct tm tm;
	int n;

	if (level > lg.level)
		return;
	if (lg.to_syslog)
		syslog(level_syslog[level], "%s", msg);
	if (lg.fd == -1 && lg.divert == NULL && !lg.to_stderr)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	n = snprintf(line, sizeof line, "%s.%03ld %s %s\n", stamp,
	    ts.tv_nsec / 1000000, level_names[level], msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line) {	/* keep the newline on long lines */
		n = sizeof line - 1;
		line[n - 1] = '\n';
	}
	if (lg.divert != NULL)
		lg.divert->put(line, (size_t)n);
	else if (lg.fd != -1) {
		log_rotate_if_due((size_t)n);
		log_write(lg.fd, lg.sock, line, (size_t)n);
		lg.size += (size_t)n;
	}
	if (lg.to_stderr)
		log_write(lg.err_fd != -1 ? lg.err_fd : STDERR_FILENO,
		    lg.err_sock, line, (size_t)n);
	if (lg.tap != NULL && !lg.in_tap) {	/* a tap may log, once */
		lg.in_tap = true;
		lg.tap(line, (size_t)n);
		lg.in_tap = false;
	}
}

/*
 * Messages quote what programs control (a spawn error naming a path, a
 * STATUS= text): control and bidi characters are escaped (textsafe.h)
 * before they reach a file that `procctl maintail` prints to a terminal.
 */
static void
log_emit_safe(enum log_level level, const char *msg)
{
	struct buf b;
	const unsigned char *p;

	for (p = (const unsigned char *)msg; *p >= 0x20 && *p < 0x7f; p++)
		;
	if (*p == '\0') {	/* plain ASCII: as it is */
		log_emit(level, msg);
		return;
	}
	buf_init(&b);
	textsafe_escape(&b, msg);
	buf_add(&b, "", 1);
	log_emit(level, b.data);
	buf_free(&b);
}

static void __attribute__((format(printf, 3, 0)))
log_vemit(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	char msg[3072];
	int n;

	n = vsnprintf(msg, sizeof msg, fmt, ap);
	if (n >= 0 && errnum != 0 && (size_t)n < sizeof msg)
		snprintf(msg + n, sizeof msg - (size_t)n, ": %s",
		    strerror(errnum));
	log_emit_safe(level, msg);
}

#define LOG_FN(name, level, keep_errno)				\
void									\
name(const char *fmt, ...)						\
{									\
	int saved = errno;						\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	log_vemit(level, (keep_errno) ? saved : 0, fmt, ap);		\
	va_end(ap);							\
	errno = saved;							\
}

LOG_FN(log_warn, LOG_LEVEL_WARN, 1)
LOG_FN(log_warnx, LOG_LEVEL_WARN, 0)
LOG_FN(log_info, LOG_LEVEL_INFO, 0)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_LEVEL_ERROR, saved, fmt, ap);
	va_end(ap);
	log_flush();
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_LEVEL_ERROR, 0, fmt, ap);
	va_end(ap);
	log_flush();
	exit(1);
}
