/*
 * evpayload.c -- event payloads and envelopes (evpayload.h).
 *
 * The layouts are supervisord 4.2's (supervisor/events.py), learned from
 * its documentation and output: "key:value" pairs joined by one space, in
 * a fixed order, a newline before any free-form data.
 */
#include <inttypes.h>
#include <string.h>

#include "buf.h"
#include "evpayload.h"
#include "textsafe.h"

/* The pairs after from_state that each state's event carries. */
static void
evpayload_state_extra(struct buf *b, const struct evpayload_state *s)
{
	switch (s->to) {
	case PROC_STARTING:
	case PROC_BACKOFF:
		buf_addf(b, " tries:%u", s->tries);
		break;
	case PROC_EXITED:
		buf_addf(b, " expected:%d pid:%ld", s->expected ? 1 : 0,
		    (long)s->pid);
		break;
	case PROC_RUNNING:
	case PROC_STOPPING:
	case PROC_STOPPED:
		buf_addf(b, " pid:%ld", (long)s->pid);
		break;
	case PROC_FATAL:
	case PROC_NSTATES:
		break;
	}
}

void
evpayload_state(struct buf *b, const struct evpayload_state *s)
{
	buf_addf(b, "processname:%s groupname:%s from_state:%s", s->name,
	    s->group, proc_state_name(s->from));
	evpayload_state_extra(b, s);
}

/* Python's repr() of a bytes object, the quote it would pick. */
static void
evpayload_repr(struct buf *b, const char *data, size_t len)
{
	bool sq = memchr(data, '\'', len) != NULL;
	bool dq = memchr(data, '"', len) != NULL;
	char q = sq && !dq ? '"' : '\'';

	buf_addf(b, "b%c", q);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\\' || c == (unsigned char)q)
			buf_addf(b, "\\%c", c);
		else if (c == '\t')
			buf_addstr(b, "\\t");
		else if (c == '\n')
			buf_addstr(b, "\\n");
		else if (c == '\r')
			buf_addstr(b, "\\r");
		else if (c < 0x20 || c >= 0x7f)
			buf_addf(b, "\\x%02x", c);
		else
			buf_add(b, &data[i], 1);
	}
	buf_addf(b, "%c", q);
}

void
evpayload_undecodable(struct buf *b, const char *data, size_t len)
{
	buf_addstr(b, "Undecodable: ");
	evpayload_repr(b, data, len);
}

/* Whether all of DATA is UTF-8 (as Python's strict decode would take). */
static bool
evpayload_is_utf8(const char *data, size_t len)
{
	uint32_t cp;
	size_t n;

	for (size_t i = 0; i < len; i += n) {
		n = textsafe_utf8((const unsigned char *)data + i, len - i, &cp);
		if (n == 0)
			return false;
	}
	return true;
}

void
evpayload_output(struct buf *b, const char *name, const char *group,
    pid_t pid, const char *channel, const char *data, size_t len)
{
	buf_addf(b, "processname:%s groupname:%s pid:%ld", name, group,
	    (long)pid);
	if (channel != NULL)
		buf_addf(b, " channel:%s", channel);
	buf_addstr(b, "\n");
	if (evpayload_is_utf8(data, len))
		buf_add(b, data, len);
	else
		evpayload_undecodable(b, data, len);
}

void
evpayload_group(struct buf *b, const char *group)
{
	buf_addf(b, "groupname:%s\n", group);
}

void
evpayload_tick(struct buf *b, int64_t when)
{
	buf_addf(b, "when:%" PRId64, when);
}

void
evpayload_remote(struct buf *b, const char *type, const char *data)
{
	buf_addf(b, "type:%s\n%s", type, data);
}

size_t
evpayload_chars(const char *p, size_t len)
{
	size_t count = 0, n;
	uint32_t cp;

	for (size_t i = 0; i < len; i += n, count++) {
		n = textsafe_utf8((const unsigned char *)p + i, len - i, &cp);
		if (n == 0)
			n = 1;
	}
	return count;
}

void
evpayload_envelope(struct buf *b, const char *server, uint64_t serial,
    const char *pool, uint64_t poolserial, enum evtype t,
    const char *payload, size_t len)
{
	buf_addf(b, "ver:3.0 server:%s serial:%" PRIu64 " pool:%s "
	    "poolserial:%" PRIu64 " eventname:%s len:%zu\n", server, serial,
	    pool, poolserial, evtype_name(t), evpayload_chars(payload, len));
	buf_add(b, payload, len);
}
