/*
 * peek.h -- which protocol a new control-socket connection speaks, from
 * its first bytes, read with MSG_PEEK so they stay for whoever serves it.
 *
 * A procctl frame starts with its payload length, big-endian and at most
 * PROTO_MAX_PAYLOAD (64 KiB): its first byte is always 0.  HTTP starts
 * with a method.  So one byte decides, and a client that sent only part
 * of "POST " is never waited for: what it sent so far is an HTTP prefix
 * or it is not.  Only POST, GET and HEAD go to the HTTP gateway; anything
 * else is taken as a (bad) procctl frame and refused as such.
 */
#ifndef PROCD_PEEK_H
#define PROCD_PEEK_H

#include <stddef.h>

enum peek_kind {
	PEEK_NOTHING,	/* nothing to read yet */
	PEEK_GONE,	/* EOF or an error: drop the connection */
	PEEK_PROTO,	/* procctl's framed protocol */
	PEEK_HTTP,	/* an HTTP request: the gateway's */
};

/* Classify the N > 0 first bytes at BUF (pure, for tests). */
enum peek_kind	peek_classify(const char *buf, size_t n);
/* Peek at non-blocking socket FD, never consuming or waiting. */
enum peek_kind	peek_socket(int fd);

#endif
