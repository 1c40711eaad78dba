/*
 * evtype.h -- supervisord's event types: their names, the abstract base
 * names a listener may subscribe to (PROCESS_STATE, TICK, EVENT ...), and
 * the parsing of an events= line.  Pure: no I/O.
 */
#ifndef PROCD_EVTYPE_H
#define PROCD_EVTYPE_H

#include <stdint.h>

#include "proc.h"

enum evtype {
	EVT_PROCESS_STATE_STOPPED,
	EVT_PROCESS_STATE_EXITED,
	EVT_PROCESS_STATE_STARTING,
	EVT_PROCESS_STATE_STOPPING,
	EVT_PROCESS_STATE_BACKOFF,
	EVT_PROCESS_STATE_FATAL,
	EVT_PROCESS_STATE_RUNNING,
	EVT_PROCESS_STATE_UNKNOWN,
	EVT_PROCESS_COMMUNICATION_STDOUT,
	EVT_PROCESS_COMMUNICATION_STDERR,
	EVT_PROCESS_LOG_STDOUT,
	EVT_PROCESS_LOG_STDERR,
	EVT_REMOTE_COMMUNICATION,
	EVT_SUPERVISOR_STATE_CHANGE_RUNNING,
	EVT_SUPERVISOR_STATE_CHANGE_STOPPING,
	EVT_TICK_5,
	EVT_TICK_60,
	EVT_TICK_3600,
	EVT_PROCESS_GROUP_ADDED,
	EVT_PROCESS_GROUP_REMOVED,
	EVT_NTYPES
};

/* A set of event types, one bit each. */
typedef uint32_t evmask;
_Static_assert(EVT_NTYPES <= 32, "an evmask holds every type");
#define EVMASK(t)	((evmask)1 << (t))
#define EVMASK_TICK	(EVMASK(EVT_TICK_5) | EVMASK(EVT_TICK_60) | \
			 EVMASK(EVT_TICK_3600))

/* "PROCESS_STATE_EXITED" */
const char	*evtype_name(enum evtype);
/* The type a process entering STATE announces. */
enum evtype	 evtype_of_state(enum proc_state);
/*
 * A subscription NAME (a type or a base name such as PROCESS_STATE, any
 * case, as supervisord upper-cases them) into *MASK; -1 when it names
 * nothing.
 */
int		 evtype_lookup(const char *name, evmask *mask);
/*
 * An events= value: names separated by commas (spaces around them
 * ignored).  -1 with *BAD pointing at the first unknown name (copied into
 * BADBUF) or at "" when the list is empty.
 */
int		 evtype_parse_list(const char *list, evmask *mask,
		    char *badbuf, size_t badlen);

#endif
