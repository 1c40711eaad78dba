/*
 * httpstat.c -- an HTTP/1.0 GET and the status line of its answer
 * (httpstat.h).
 *
 * HTTP/1.0 with "Connection: close": the server closes after one answer,
 * and neither chunked coding nor a body matter -- the check reads only as
 * far as the status code (RFC 9112 section 4: "HTTP/" DIGIT "." DIGIT SP
 * 3DIGIT SP reason CRLF; a missing reason and a bare LF are tolerated, as
 * clients do).
 */
#include <stdio.h>

#include "httpstat.h"

int
httpstat_request(char *buf, size_t len, const char *authority,
    const char *path)
{
	int n;

	n = snprintf(buf, len, "GET %s HTTP/1.0\r\nHost: %s\r\n"
	    "User-Agent: procd/%s (health check)\r\nAccept: */*\r\n"
	    "Connection: close\r\n\r\n", path, authority, PROCD_VERSION);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

static int
httpstat_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
httpstat_parse(const char *buf, size_t n, int *code)
{
	/* '#' is a digit; the byte after the code must end it. */
	static const char form[] = "HTTP/#.# ###";
	size_t i;
	char end;

	for (i = 0; i < n && i < sizeof form - 1; i++) {
		if (form[i] == '#' ? !httpstat_digit(buf[i]) :
		    buf[i] != form[i])
			return -1;
	}
	if (n < HTTPSTAT_DECIDES)
		return 0;
	end = buf[HTTPSTAT_DECIDES - 1];
	if (end != ' ' && end != '\r' && end != '\n')
		return -1;
	if (buf[9] == '0')
		return -1;	/* a status code is 100-999 */
	*code = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
	return 1;
}
