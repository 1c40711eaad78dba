/*
 * ctlreply.c -- replies to control clients: framing what the command
 * layer says (OUT, ERR, END frames), and the bounds on what may be queued
 * -- for one client and for all -- past which a client's reply is cut and
 * the client let go.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <ev.h>

#include "buf.h"
#include "control.h"
#include "ctladmit.h"
#include "ctlclient.h"
#include "log.h"
#include "proto.h"

static void
client_frame(struct client *c, enum proto_type type, const void *p,
    size_t len)
{
	struct proto_hdr h = {
		.len = (uint32_t)len, .type = type, .version = PROTO_VERSION,
		.flags = 0, .id = c->h.id,
	};
	uint8_t hdr[PROTO_HDR_LEN];

	if (c->overflowed || c->out.len > CLIENT_OUT_MAX ||
	    ctl.out_total + len > CONTROL_OUT_MAX) {
		/* Not reading its reply (or too much is queued for all):
		 * stop queueing for good -- a later frame after a gap would
		 * look like a whole reply -- and hang up once the request is
		 * over (the command layer may still hold this client). */
		if (!c->overflowed)
			ctladmit_log(ctl.loop, c->uid, c->pid, "dropping",
			    "not reading its reply");
		c->overflowed = c->closing = true;
		return;
	}
	proto_hdr_pack(&h, hdr);
	buf_add(&c->out, hdr, sizeof hdr);
	buf_add(&c->out, p, len);
	ctl.out_total += sizeof hdr + len;
	ev_io_start(ctl.loop, &c->ww);
}

static void
client_frames(struct client *c, enum proto_type type, const char *p,
    size_t len)
{
	do {	/* an empty OUT still makes one (empty) frame */
		size_t n = len > PROTO_MAX_PAYLOAD ? PROTO_MAX_PAYLOAD : len;
		client_frame(c, type, p, n);
		p += n;
		len -= n;
	} while (len > 0);
}

void
client_out(struct client *c, const char *p, size_t len)
{
	client_frames(c, PROTO_OUT, p, len);
}

static void
client_vframe(struct client *c, enum proto_type type, const char *fmt,
    va_list ap)
{
	char *s;
	int n;

	if ((n = vasprintf(&s, fmt, ap)) == -1)
		fatal("vasprintf");
	client_frames(c, type, s, (size_t)n);
	free(s);
}

void
client_outf(struct client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	client_vframe(c, PROTO_OUT, fmt, ap);
	va_end(ap);
}

void
client_errf(struct client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	client_vframe(c, PROTO_ERR, fmt, ap);
	va_end(ap);
}

void
client_end(struct client *c, int code)
{
	uint8_t b = (uint8_t)code;

	client_frame(c, PROTO_END, &b, 1);
	c->busy = false;
	c->streaming = false;
	c->hdr_got = c->pay_got = 0;
	free(c->payload);
	c->payload = NULL;
	/* The next request is read once this reply is out (write_cb): a
	 * client that pipelines requests without reading gets no more
	 * replies queued.  A new deadline for reading it and asking again. */
	ev_io_stop(ctl.loop, &c->rw);
	ev_timer_again(ctl.loop, &c->idle);
	if (c->out.len == 0 && !c->closing)
		ev_io_start(ctl.loop, &c->rw);
}

void
client_stream(struct client *c)
{
	c->streaming = true;
	ev_io_start(ctl.loop, &c->rw);
}

bool
client_json(const struct client *c)
{
	return (c->h.flags & PROTO_F_JSON) != 0;
}

bool
client_color(const struct client *c)
{
	return (c->h.flags & PROTO_F_COLOR) != 0;
}

uid_t
client_uid(const struct client *c)
{
	return c->uid;
}

pid_t
client_pid(const struct client *c)
{
	return c->pid;
}
