/*
 * evpayload.h -- what supervisord writes for each event: the payloads and
 * the header line ("envelope") in front of them, byte for byte.  Pure.
 *
 * supervisord's len: is Python's len() of the payload string: characters,
 * not bytes, which is what a Python listener's sys.stdin.read(len) takes
 * (childutils).  procd counts the same way: one per UTF-8 character (and
 * one per byte that is not UTF-8, which procd never puts in a payload).
 */
#ifndef PROCD_EVPAYLOAD_H
#define PROCD_EVPAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "evtype.h"
#include "proc.h"

struct buf;

/* What a PROCESS_STATE_* payload says. */
struct evpayload_state {
	const char	*name;		/* process name */
	const char	*group;
	enum proc_state	 from;
	enum proc_state	 to;
	unsigned	 tries;		/* STARTING, BACKOFF */
	pid_t		 pid;		/* RUNNING, STOPPING, STOPPED, EXITED */
	bool		 expected;	/* EXITED */
};

/* "processname:web groupname:web from_state:STARTING pid:42" */
void	evpayload_state(struct buf *, const struct evpayload_state *);
/* PROCESS_LOG_*: "processname:N groupname:G pid:P channel:stdout\n"
 * and the data; PROCESS_COMMUNICATION_* (CHANNEL NULL) without channel:. */
void	evpayload_output(struct buf *, const char *name, const char *group,
	    pid_t pid, const char *channel, const char *data, size_t len);
/* "groupname:G\n" */
void	evpayload_group(struct buf *, const char *group);
/* "when:T" */
void	evpayload_tick(struct buf *, int64_t when);
/* "type:T\n" and the data */
void	evpayload_remote(struct buf *, const char *type, const char *data);
/* DATA as Python 3 shows undecodable output: "Undecodable: b'\xff'". */
void	evpayload_undecodable(struct buf *, const char *data, size_t len);
/* Characters in P[0..LEN), as Python's len() of the decoded string. */
size_t	evpayload_chars(const char *p, size_t len);
/* "ver:3.0 server:S serial:N pool:P poolserial:N eventname:E len:N\n" */
void	evpayload_envelope(struct buf *, const char *server, uint64_t serial,
	    const char *pool, uint64_t poolserial, enum evtype,
	    const char *payload, size_t len);

#endif
