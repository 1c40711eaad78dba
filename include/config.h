/*
 * config.h -- the configuration model procd runs from, and its loader.
 *
 * A config is loaded whole into a fresh struct config (transactionally: the
 * caller swaps it in only when it has no errors).  Everything here is plain
 * data; nothing in this file forks, binds or opens logs.
 */
#ifndef PROCD_CONFIG_H
#define PROCD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define CONFIG_PRIORITY_DEFAULT 999

struct sockspec;

enum autorestart {
	AUTORESTART_FALSE,
	AUTORESTART_UNEXPECTED,
	AUTORESTART_TRUE,
};

/* How the wait before a retry grows (procd's addition to supervisord). */
enum backoff_kind {
	BACKOFF_LINEAR,		/* n-th retry waits n s (supervisord) */
	BACKOFF_EXPONENTIAL,	/* 1, 2, 4, 8 ... s */
};

/* When a started process counts as ready, i.e. RUNNING. */
enum ready_kind {
	READY_STARTSECS,	/* up for startsecs seconds (supervisord) */
	READY_NOTIFY,		/* READY=1 on NOTIFY_SOCKET (sd_notify) */
	READY_FD,		/* a newline written on fd N (s6) */
	READY_TCP,		/* HOST:PORT accepts a connection */
	READY_EXEC,		/* COMMAND exits 0 */
};

struct ready_config {
	enum ready_kind	 kind;
	int		 fd;		/* READY_FD: the child's fd, >= 3 */
	char		*host;		/* READY_TCP */
	char		*port;		/* READY_TCP */
	char		*command;	/* READY_EXEC: for /bin/sh -c */
};

/* Periodic liveness checks while RUNNING (health=, cfghealth.c). */
enum health_kind {
	HEALTH_NONE,		/* no check: no timer at all */
	HEALTH_TCP,		/* HOST:PORT accepts a connection */
	HEALTH_HTTP,		/* GET http://HOST:PORT/PATH answers 2xx */
	HEALTH_EXEC,		/* COMMAND exits 0 */
};

struct health_config {
	enum health_kind kind;
	char		*host;		/* TCP, HTTP: for getaddrinfo */
	char		*port;		/* TCP, HTTP: digits */
	char		*authority;	/* HTTP: the Host header, as written */
	char		*path;		/* HTTP: the request target */
	char		*command;	/* EXEC: for /bin/sh -c */
	int		 interval;	/* s between checks; default 10 */
	int		 timeout;	/* s one check may take; default 5 */
	int		 retries;	/* failures in a row that act; 3 */
};

#define CONFIG_HEALTH_INTERVAL_DEFAULT 10
#define CONFIG_HEALTH_TIMEOUT_DEFAULT 5
#define CONFIG_HEALTH_RETRIES_DEFAULT 3

/* When a program's end ends procd (shutdown_on=), a ladder: each value
 * includes the ones before it. */
enum shutdown_on {
	SHUTDOWN_ON_NEVER,
	SHUTDOWN_ON_FATAL,	/* it went FATAL */
	SHUTDOWN_ON_UNEXPECTED,	/* ... or exited unexpectedly */
	SHUTDOWN_ON_EXIT,	/* ... or exited at all */
};

#define CONFIG_RETRIES_INFINITE	(-1)
#define CONFIG_READY_TIMEOUT_DEFAULT 90
#define CONFIG_BACKOFF_MAX_DEFAULT 60

/* Where one output stream of a program goes. */
enum logdest_kind {
	LOGDEST_NONE,		/* discarded (child gets /dev/null) */
	LOGDEST_FILE,		/* a path; AUTO is resolved to a path at load */
	LOGDEST_STDOUT,		/* procd's own stdout (/dev/stdout, /dev/fd/1) */
	LOGDEST_STDERR,		/* procd's own stderr (/dev/stderr, /dev/fd/2) */
};

/* log_timestamps=: a time before each line of a program's output. */
enum log_timestamps {
	LOGTS_NONE,		/* false (the default) */
	LOGTS_LOCAL,		/* true: "2026-12-03 16:52:50.123", procd's own */
	LOGTS_ISO8601,		/* "2026-12-03T16:52:50.123+01:00" */
};

struct logdest_config {
	enum logdest_kind kind;
	char		*prefix;	/* stdout_prefix=, expanded; NULL: none */
	enum log_timestamps stamps;	/* log_timestamps= */
	char		*path;		/* absolute, for LOGDEST_FILE */
	bool		 is_auto;	/* came from AUTO (for diffing/clear) */
	const char	*user;		/* the program's user=, borrowed */
	uint64_t	 maxbytes;	/* 0: never rotate; default 50 MiB */
	int		 backups;	/* default 10 */
};

/* One process to supervise (numprocs already expanded: one per process). */
struct program_config {
	char		*name;		/* process name, unique within group */
	char		*group;		/* group name; == program unless [group:] */
	char		*program;	/* the NAME of [program:NAME] */
	int		 process_num;

	char		*command;	/* after %(x)s expansion, as written */
	char	       **argv;		/* NULL-terminated, shell-word split */
	char		*directory;	/* NULL: procd's directory */
	int		 umask;		/* -1: inherit procd's */
	char		*user;		/* NULL: procd's user */
	char	       **env;		/* NULL-terminated "K=V" to add */
	char	       **env_own;	/* of those, the program's own
					 * environment= (NULL: none) */
	/* environment_file= of [procd] ([0]) and of the program ([1]),
	 * absolute, read at each spawn; NULL: none.  The order is in
	 * spawn.c (spawn_env). */
	char		*env_files[2];

	int		 priority;	/* default 999 */
	bool		 autostart;	/* default true */
	enum autorestart autorestart;	/* default unexpected */
	int		 startsecs;	/* default 1 */
	int		 startretries;	/* default 3; -1: infinite */
	enum backoff_kind backoff;	/* default linear */
	int		 backoff_max;	/* seconds; default 60 */
	int		 restart_limit;	/* restarts allowed ... default 0: off */
	int		 restart_window; /* ... within this many seconds */
	uint8_t		 exitcodes[256 / 8]; /* bitset; default {0} */
	int		 stopsignal;	/* default SIGTERM */
	int		 stopwaitsecs;	/* default 10 */
	bool		 stopasgroup;	/* default false */
	bool		 killasgroup;	/* default false; true if stopasgroup */
	bool		 redirect_stderr; /* default false */
	struct logdest_config out, err;

	char	       **depends_on;	/* NULL-terminated specs, or NULL */
	char		*depends_file;	/* where depends_on= was set */
	int		 depends_line;
	struct ready_config ready;
	int		 ready_timeout;	/* seconds; 0: wait forever */
	int		 watchdog;	/* seconds; 0: off */
	struct health_config health;	/* health=, health_* */
	enum shutdown_on shutdown_on;	/* default never */

	/* Events (evconf.c): */
	bool		 listener;	/* an [eventlistener:] process: its
					 * group is its pool, its stdin and
					 * stdout the protocol channel */
	uint32_t	 listen_events;	/* evmask (evtype.h) it subscribes to */
	int		 buffer_size;	/* the pool's queue; default 10 */
	bool		 stdout_events;	/* stdout_events_enabled */
	bool		 stderr_events;	/* stderr_events_enabled */
	uint64_t	 stdout_capture; /* stdout_capture_maxbytes; 0: off */
	uint64_t	 stderr_capture;

	/* Held sockets (cfgsock.c; bound by heldsock.c): */
	struct sockspec	*sockets;	/* sockets=, or [fcgi-program:]
					 * socket=; NULL: none */
	size_t		 nsockets;
	bool		 fcgi;		/* sockets[0] is its stdin (fd 0);
					 * else they are fds 3.. with
					 * LISTEN_FDS */

	char		*file;		/* where [program:] was declared */
	int		 line;
};

/* [inet_http_server] and [unix_http_server]'s credentials (cfghttp.c). */
struct http_config {
	char		*inet_port;	/* port= as written; NULL: no server */
	char		*inet_host;	/* its host part; "" or "*": any */
	int		 inet_portnum;
	char		*inet_user, *inet_pass;	/* NULL: no authentication */
	char		*unix_user, *unix_pass;
};

struct config {
	char		*path;		/* absolute path of the main file */
	char		*here;		/* its directory */

	char		*socket;	/* absolute; <= sizeof(sun_path) - 1 */
	mode_t		 socket_mode;	/* default 0600 */
	char		*socket_owner;	/* "user[:group]" or NULL */
	char		*pidfile;
	char		*logfile;	/* a path, or "syslog" */
	uint64_t	 logfile_maxbytes; /* rotate at; 0 never (50 MiB) */
	int		 logfile_backups; /* default 10 */
	int		 loglevel;	/* LOG_LEVEL_* from log.h */
	char		*childlogdir;
	int		 umask;		/* default 022 */
	char		*directory;	/* NULL: "/" once daemonized */
	bool		 nodaemon;
	long		 minfds;	/* default 1024 */
	char		*user;		/* NULL: don't switch */
	char	       **env;		/* NULL-terminated "K=V" */
	char		*env_file;	/* environment_file=, or NULL */
	/* stdout_prefix= and stderr_prefix= of [procd] are defaults that
	 * each program expands with its own names (cfgprog.c). */
	enum log_timestamps log_timestamps; /* the default for programs */
	char		*ctl_socket;	/* [supervisorctl] serverurl=unix://P */
	struct http_config http;	/* the XML-RPC gateway's sockets */

	struct program_config *progs;	/* in file order */
	size_t		 nprogs;
};

enum diag_severity { DIAG_WARNING, DIAG_ERROR };

/* One message about the config, always with the place it is about. */
struct diag {
	enum diag_severity severity;
	char		*file;
	int		 line;		/* 0 when about the file as a whole */
	char		*msg;
};

struct diag_list {
	struct diag	*v;
	size_t		 n, cap;
	size_t		 nerrors;
};

/*
 * Load PATH into a new config.  Every problem found goes into DIAGS (all of
 * them, not just the first).  Returns the config when there are no errors,
 * NULL otherwise.  Warnings never make it fail.
 */
struct config	*config_load(const char *path, struct diag_list *diags);
/* Open a config file for reading, refusing at once, without blocking,
 * anything but a regular file (a FIFO would hang the reader): NULL with
 * *WHY (what it is when *NOTREG, else strerror). */
FILE		*config_open(const char *path, const char **why, bool *notreg);
/* The same for FD, opened O_NONBLOCK by the caller (closed on failure). */
FILE		*config_fdopen(int fd, const char **why, bool *notreg);
void		 config_free(struct config *);

/* The first existing file of $PROCD_CONFIG, ./procd.ini, /etc/procd.ini,
 * /etc/procd/procd.ini, then supervisord's: EXE/../../etc/supervisord.conf,
 * EXE/../../supervisord.conf (EXE: argv[0]), ./supervisord.conf,
 * ./etc/supervisord.conf, /etc/supervisord.conf,
 * /etc/supervisor/supervisord.conf; NULL when none exists. Caller frees. */
char		*config_find_default(void);

/* The default socket path for this user (CONTRACT §2). Caller frees. */
char		*config_default_socket(void);

const struct program_config *config_find(const struct config *,
		    const char *group, const char *name);

void		 diag_add(struct diag_list *, enum diag_severity,
		    const char *file, int line, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
/* Print each as "FILE:LINE: error: msg" / "FILE:LINE: warning: msg". */
void		 diag_print(const struct diag_list *, FILE *);
void		 diag_free(struct diag_list *);

#endif
