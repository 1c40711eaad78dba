/*
 * httpstat.h -- the two ends of an HTTP/1.x health check that need no
 * HTTP library: the GET request, and the verdict of the status line that
 * starts the answer.  Pure: no I/O, so a fuzzer can drive the parser.
 */
#ifndef PROCD_HTTPSTAT_H
#define PROCD_HTTPSTAT_H

#include <stddef.h>

/* Bytes of an answer that always decide: "HTTP/1.1 200" and what ends
 * the code. */
#define HTTPSTAT_DECIDES 13

/* "GET PATH HTTP/1.0" with Host: AUTHORITY into BUF; its length, or -1
 * when it does not fit in LEN. */
int	httpstat_request(char *buf, size_t len, const char *authority,
	    const char *path);
/*
 * The status line at the start of the N bytes at BUF: 1 with the status
 * code (100-999) in *CODE once it is in; 0 when the bytes so far may
 * still become one; -1 when they cannot (not an HTTP/1.x answer).  More
 * bytes never change a 1 or a -1.
 */
int	httpstat_parse(const char *buf, size_t n, int *code);

#endif
