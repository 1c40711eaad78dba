/*
 * evtype.c -- supervisord's event type names and base names (evtype.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "evtype.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static const char *const evtype_names[] = {
	[EVT_PROCESS_STATE_STOPPED] = "PROCESS_STATE_STOPPED",
	[EVT_PROCESS_STATE_EXITED] = "PROCESS_STATE_EXITED",
	[EVT_PROCESS_STATE_STARTING] = "PROCESS_STATE_STARTING",
	[EVT_PROCESS_STATE_STOPPING] = "PROCESS_STATE_STOPPING",
	[EVT_PROCESS_STATE_BACKOFF] = "PROCESS_STATE_BACKOFF",
	[EVT_PROCESS_STATE_FATAL] = "PROCESS_STATE_FATAL",
	[EVT_PROCESS_STATE_RUNNING] = "PROCESS_STATE_RUNNING",
	[EVT_PROCESS_STATE_UNKNOWN] = "PROCESS_STATE_UNKNOWN",
	[EVT_PROCESS_COMMUNICATION_STDOUT] = "PROCESS_COMMUNICATION_STDOUT",
	[EVT_PROCESS_COMMUNICATION_STDERR] = "PROCESS_COMMUNICATION_STDERR",
	[EVT_PROCESS_LOG_STDOUT] = "PROCESS_LOG_STDOUT",
	[EVT_PROCESS_LOG_STDERR] = "PROCESS_LOG_STDERR",
	[EVT_REMOTE_COMMUNICATION] = "REMOTE_COMMUNICATION",
	[EVT_SUPERVISOR_STATE_CHANGE_RUNNING] =
	    "SUPERVISOR_STATE_CHANGE_RUNNING",
	[EVT_SUPERVISOR_STATE_CHANGE_STOPPING] =
	    "SUPERVISOR_STATE_CHANGE_STOPPING",
	[EVT_TICK_5] = "TICK_5",
	[EVT_TICK_60] = "TICK_60",
	[EVT_TICK_3600] = "TICK_3600",
	[EVT_PROCESS_GROUP_ADDED] = "PROCESS_GROUP_ADDED",
	[EVT_PROCESS_GROUP_REMOVED] = "PROCESS_GROUP_REMOVED",
};
_Static_assert(nitems(evtype_names) == EVT_NTYPES, "a name for every type");

#define EVMASK_RANGE(a, b) ((EVMASK(b) << 1) - EVMASK(a))

/* supervisord's abstract classes: subscribing to one takes its subtypes. */
static const struct {
	const char	*name;
	evmask		 mask;
} evtype_bases[] = {
	{ "EVENT", EVMASK_RANGE(EVT_PROCESS_STATE_STOPPED,
	    EVT_PROCESS_GROUP_REMOVED) },
	{ "PROCESS_STATE", EVMASK_RANGE(EVT_PROCESS_STATE_STOPPED,
	    EVT_PROCESS_STATE_UNKNOWN) },
	{ "PROCESS_COMMUNICATION", EVMASK(EVT_PROCESS_COMMUNICATION_STDOUT) |
	    EVMASK(EVT_PROCESS_COMMUNICATION_STDERR) },
	{ "PROCESS_LOG", EVMASK(EVT_PROCESS_LOG_STDOUT) |
	    EVMASK(EVT_PROCESS_LOG_STDERR) },
	{ "SUPERVISOR_STATE_CHANGE",
	    EVMASK(EVT_SUPERVISOR_STATE_CHANGE_RUNNING) |
	    EVMASK(EVT_SUPERVISOR_STATE_CHANGE_STOPPING) },
	{ "TICK", EVMASK_TICK },
	{ "PROCESS_GROUP", EVMASK(EVT_PROCESS_GROUP_ADDED) |
	    EVMASK(EVT_PROCESS_GROUP_REMOVED) },
};

const char *
evtype_name(enum evtype t)
{
	return (unsigned)t < EVT_NTYPES ? evtype_names[t] : "EVENT";
}

enum evtype
evtype_of_state(enum proc_state s)
{
	switch (s) {
	case PROC_STOPPED:
		return EVT_PROCESS_STATE_STOPPED;
	case PROC_STARTING:
		return EVT_PROCESS_STATE_STARTING;
	case PROC_RUNNING:
		return EVT_PROCESS_STATE_RUNNING;
	case PROC_BACKOFF:
		return EVT_PROCESS_STATE_BACKOFF;
	case PROC_STOPPING:
		return EVT_PROCESS_STATE_STOPPING;
	case PROC_EXITED:
		return EVT_PROCESS_STATE_EXITED;
	case PROC_FATAL:
		return EVT_PROCESS_STATE_FATAL;
	case PROC_NSTATES:
		break;
	}
	return EVT_PROCESS_STATE_UNKNOWN;
}

int
evtype_lookup(const char *name, evmask *mask)
{
	for (size_t i = 0; i < nitems(evtype_names); i++) {
		if (strcasecmp(name, evtype_names[i]) == 0) {
			*mask = EVMASK(i);
			return 0;
		}
	}
	for (size_t i = 0; i < nitems(evtype_bases); i++) {
		if (strcasecmp(name, evtype_bases[i].name) == 0) {
			*mask = evtype_bases[i].mask;
			return 0;
		}
	}
	return -1;
}

/* The next comma-separated word of *P into WORD, spaces trimmed. */
static size_t
evtype_word(const char **p, char *word, size_t len)
{
	const char	*s = *p, *e;
	size_t		 n;

	e = strchr(s, ',');
	if (e == NULL)
		e = s + strlen(s);
	*p = *e == ',' ? e + 1 : e;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - s);
	if (n >= len)
		n = len - 1;	/* too long to be a name: stays unknown */
	memcpy(word, s, n);
	word[n] = '\0';
	return (size_t)(e - s);
}

int
evtype_parse_list(const char *list, evmask *mask, char *badbuf,
    size_t badlen)
{
	char	word[64];
	evmask	one;

	*mask = 0;
	badbuf[0] = '\0';
	while (*list != '\0') {
		if (evtype_word(&list, word, sizeof word) == 0)
			continue;	/* "a,,b" and a trailing comma */
		if (evtype_lookup(word, &one) == -1) {
			snprintf(badbuf, badlen, "%s", word);
			return -1;
		}
		*mask |= one;
	}
	return *mask == 0 ? -1 : 0;
}
