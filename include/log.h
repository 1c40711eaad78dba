/*
 * log.h -- procd's own log: a file, syslog, and (in the foreground) stderr.
 *
 * Modelled on OpenBSD's log.c: log_warn keeps errno's text, log_warnx does
 * not; fatal/fatalx are for start-up and broken invariants only -- never for
 * anything a config line, a client or a child can cause.
 */
#ifndef PROCD_LOG_H
#define PROCD_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/* Parse "error", "warn", "info", "debug" (also supervisord's "critical",
 * "warning", "trace", "blather"); -1 if unknown. */
int	log_level_parse(const char *);

/* Log to stderr only, at INFO, until log_open. */
void	log_init(const char *progname);
/* Open TARGET (a path or "syslog"); keep stderr too when TO_STDERR. */
int	log_open(const char *target, enum log_level, bool to_stderr,
	    char **cause);
/* Rotate the log file at MAXBYTES (0: never) keeping BACKUPS, at a line
 * boundary, as a program's log rotates (logfile_maxbytes, _backups). */
void	log_set_rotation(uint64_t maxbytes, int backups);
/* Reopen the file (SIGUSR2, after logrotate moved it). */
void	log_reopen(void);
void	log_set_stderr(bool);
void	log_close(void);
/* The file currently written, or NULL (stderr only, syslog). */
const char *log_path(void);
/* Also hand every line written to FN (maintail -f); NULL to stop. */
void	log_set_tap(void (*fn)(const char *, size_t));

/*
 * Once the loop runs, the file's lines go to a writer thread (ownlog.c):
 * PUT takes each whole line, REOPEN is SIGUSR2, FLUSH waits a little for
 * what is queued (at exit), TAIL copies the file's newest bytes (-1: not
 * now).  log.c then closes its descriptor.  False when the log is no
 * file (syslog, stdio).  NULL: lines stop going there.
 */
struct log_divert {
	void	(*put)(const char *, size_t);
	void	(*reopen)(void);
	void	(*flush)(void);
	/* LEN bytes from OFF (< 0: the newest LEN), and the size. */
	ssize_t	(*read)(char *, size_t len, off_t off, off_t *size);
	void	(*clear)(void);
};
bool	log_divert(const struct log_divert *);
/* Whether the log is a file of log.c's own (not syslog, not stdio). */
bool	log_has_file(void);
void	log_flush(void);
/* The newest LEN bytes of a diverted log: -1 not now, -2 not diverted
 * (read log_path() directly). */
ssize_t	log_tail(char *out, size_t len);
/* The same from OFF (< 0: the newest LEN bytes); *SIZE the log's size. */
ssize_t	log_read(char *out, size_t len, off_t off, off_t *size);
/* Empty procd's log file (supervisord's clearLog), by its writer: 0, or
 * -1 when procd's log is not a file of its own. */
int	log_clear(void);

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
