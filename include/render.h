/*
 * render.h -- status as supervisorctl prints it, and as JSON.  Pure: the
 * caller passes the time, so tests can pin it.
 */
#ifndef PROCD_RENDER_H
#define PROCD_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct buf;
struct health_info;
struct process;

/* Dependencies named in one row; more are counted, not named. */
#define RENDER_WAITING_MAX 8

struct render_row {
	const struct process *p;
	const char	*name;		/* "name" or "group:name" */
	uint64_t	 lost;		/* log bytes lost */
	const char	*waiting[RENDER_WAITING_MAX]; /* held for these */
	size_t		 nwaiting;	/* how many in all */
	const char	*status_text;	/* sd_notify STATUS=, or NULL */
	const struct health_info *health; /* health=, or NULL for none */
	const char	*listener;	/* an event listener's protocol state
					 * (READY, BUSY...), or NULL */
};

/* What wait status WSTATUS says, as procd's log and status say it:
 * "exit status 3" or "terminated by SIGKILL" ("SIG?" for no name). */
void	render_wstatus(int wstatus, char *out, size_t len);
/* supervisorctl's description column ("pid 42, uptime 0:01:02", ...). */
void	render_description(const struct render_row *, int64_t now_mono,
	    time_t now_wall, char *out, size_t len);
/* "H:MM:SS", "1 day, H:MM:SS", "N days, H:MM:SS" (Python's timedelta). */
void	render_uptime(int64_t secs, char *out, size_t len);
/* printf("%-*s%-10s%s\n", maxlen + 3, name, state, description), maxlen
 * being the longest name and at least 30.  COLOR: the state in colour
 * (green up, yellow on its way, red down), padding unchanged. */
void	render_status_text(struct buf *, const struct render_row *, size_t n,
	    int64_t now_mono, time_t now_wall, bool color);
/* A JSON array of objects, one per row, newline-terminated. */
void	render_status_json(struct buf *, const struct render_row *, size_t n,
	    int64_t now_mono, time_t now_wall);

#endif
