/*
 * ctlhttpparse.c -- the pure parts of procctl over HTTP (ctlhttp.h): the
 * server URL, base64 for the Authorization header, and the response head,
 * which is network input and so read strictly: a status line, header
 * lines of printable bytes, an empty line; anything else is refused with
 * why, never guessed at.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctlhttp.h"

/* Copy the LEN bytes at S into OUT (SIZE bytes) NUL-terminated: -1 when
 * they do not fit or hold a NUL. */
static int
copy_part(const char *s, size_t len, char *out, size_t size)
{
	if (len >= size || memchr(s, '\0', len) != NULL)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

/* USER[:PASS] of the LEN bytes at S into U. */
static int
url_cred(const char *s, size_t len, struct ctlhttp_url *u, const char **why)
{
	const char *colon = memchr(s, ':', len);
	size_t ulen = colon != NULL ? (size_t)(colon - s) : len;

	*why = "user name or password too long";
	if (copy_part(s, ulen, u->user, sizeof u->user) == -1)
		return -1;
	if (colon != NULL && copy_part(colon + 1, len - ulen - 1, u->pass,
	    sizeof u->pass) == -1)
		return -1;
	u->has_cred = 1;
	return 0;
}

/* PORT: 1..65535, digits only. */
static int
url_port(const char *s, size_t len, struct ctlhttp_url *u, const char **why)
{
	unsigned long n = 0;

	*why = "bad port (1-65535)";
	if (len == 0 || len > 5)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		n = n * 10 + (unsigned long)(s[i] - '0');
	}
	if (n == 0 || n > 65535)
		return -1;
	memcpy(u->port, s, len);
	u->port[len] = '\0';
	return 0;
}

/* HOST[:PORT] or [V6][:PORT], the LEN bytes at S. */
static int
url_hostport(const char *s, size_t len, struct ctlhttp_url *u,
    const char **why)
{
	const char *end = s + len, *colon;

	*why = "no host";
	if (len == 0)
		return -1;
	if (*s == '[') {
		const char *close = memchr(s, ']', len);
		*why = "unclosed [ in an IPv6 address";
		if (close == NULL || close == s + 1)
			return -1;
		*why = "host too long";
		if (copy_part(s + 1, (size_t)(close - s - 1), u->host,
		    sizeof u->host) == -1)
			return -1;
		/* hex digits and colons, an IPv4 tail, a %zone */
		for (const char *c = u->host; *c != '\0'; c++) {
			*why = "bad character in the IPv6 address";
			if (!isalnum((unsigned char)*c) && *c != ':' &&
			    *c != '.' && *c != '%' && *c != '-' && *c != '_')
				return -1;
		}
		if (close + 1 == end)
			return 0;
		*why = "junk after the IPv6 address";
		if (close[1] != ':')
			return -1;
		return url_port(close + 2, (size_t)(end - close - 2), u, why);
	}
	colon = memchr(s, ':', len);
	*why = colon == s ? "no host" : "host too long";
	if (colon == s || copy_part(s, colon != NULL ? (size_t)(colon - s) :
	    len, u->host, sizeof u->host) == -1)
		return -1;
	for (const char *c = u->host; *c != '\0'; c++) {
		*why = "bad character in the host";
		if (!isalnum((unsigned char)*c) && *c != '.' && *c != '-' &&
		    *c != '_')
			return -1;
	}
	return colon != NULL ? url_port(colon + 1, (size_t)(end - colon - 1),
	    u, why) : 0;
}

int
ctlhttp_url_parse(const char *url, struct ctlhttp_url *u, const char **why,
    int *https)
{
	const char *auth, *at, *end;

	memset(u, 0, sizeof *u);
	strcpy(u->port, "80");
	*https = strncasecmp(url, "https://", 8) == 0;
	if (*https) {
		*why = "https:// is not supported";
		return -1;
	}
	if (strncasecmp(url, "http://", 7) != 0) {
		*why = "not an http:// URL";
		return -1;
	}
	auth = url + 7;
	end = auth + strcspn(auth, "/?#");
	/* The last @ ends the credentials: a password may hold one. */
	at = NULL;
	for (const char *c = auth; c < end; c++)
		if (*c == '@')
			at = c;
	if (at != NULL) {
		if (url_cred(auth, (size_t)(at - auth), u, why) == -1)
			return -1;
		auth = at + 1;
	}
	return url_hostport(auth, (size_t)(end - auth), u, why);
}

void
ctlhttp_url_show(const char *url, char *out, size_t size)
{
	const char *auth = strstr(url, "://"), *end, *at = NULL;

	auth = auth != NULL ? auth + 3 : url;
	end = auth + strcspn(auth, "/?#");
	for (const char *c = auth; c < end; c++)
		if (*c == '@')
			at = c;
	if (at == NULL)
		snprintf(out, size, "%.*s", (int)(end - url), url);
	else
		snprintf(out, size, "%.*s%.*s", (int)(auth - url), url,
		    (int)(end - at - 1), at + 1);
}

int
ctlhttp_b64(const void *in, size_t len, char *out, size_t size)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = in;
	size_t o = 0;

	if (size == 0 || (len + 2) / 3 > (size - 1) / 4)
		return -1;
	for (size_t i = 0; i < len; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;
		if (n > 1)
			v |= (unsigned long)p[i + 1] << 8;
		if (n > 2)
			v |= p[i + 2];
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		out[o++] = n > 1 ? abc[v >> 6 & 63] : '=';
		out[o++] = n > 2 ? abc[v & 63] : '=';
	}
	out[o] = '\0';
	return 0;
}

int
ctlhttp_head_done(const char *buf, size_t len)
{
	/* the last line is empty: "\n" or "\r\n" after a line's end */
	if (len < 2 || buf[len - 1] != '\n')
		return 0;
	len--;
	if (buf[len - 1] == '\r')
		len--;
	return len >= 1 && buf[len - 1] == '\n';
}

/* The line at *P (before END) without its CRLF or LF; *P moves past it.
 * Its length, or -1 when it has a byte no head may have. */
static long
head_line(const char **p, const char *end, const char **line)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t len;

	if (nl == NULL)
		return -1;
	*line = *p;
	len = (size_t)(nl - *p);
	*p = nl + 1;
	if (len > 0 && (*line)[len - 1] == '\r')
		len--;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)(*line)[i] < 0x20 && (*line)[i] != '\t')
			return -1;
	return (long)len;
}

/* "HTTP/1.x NNN reason" */
static int
head_status(const char *l, size_t len, struct ctlhttp_head *h,
    const char **why)
{
	size_t rlen;

	*why = "bad status line";
	if (len < 12 || memcmp(l, "HTTP/1.", 7) != 0 ||
	    !isdigit((unsigned char)l[7]) || l[8] != ' ' ||
	    !isdigit((unsigned char)l[9]) || !isdigit((unsigned char)l[10]) ||
	    !isdigit((unsigned char)l[11]) || (len > 12 && l[12] != ' '))
		return -1;
	h->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (h->status < 100)
		return -1;
	rlen = len > 13 ? len - 13 : 0;
	if (rlen >= sizeof h->reason)
		rlen = sizeof h->reason - 1;
	if (rlen > 0)
		memcpy(h->reason, l + 13, rlen);
	h->reason[rlen] = '\0';
	return 0;
}

/* "Name: value": the name a token, white space around the value. */
static int
head_field(const char *l, size_t len, struct ctlhttp_head *h,
    const char **why)
{
	const char *colon = memchr(l, ':', len), *v, *e = l + len;

	*why = "bad header line";
	if (colon == NULL || colon == l)
		return -1;
	for (const char *c = l; c < colon; c++)
		if (!isgraph((unsigned char)*c))
			return -1;	/* also a folded line's leading space */
	for (v = colon + 1; v < e && (*v == ' ' || *v == '\t'); v++)
		;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((size_t)(colon - l) == 12 && strncasecmp(l, "Content-Type", 12)
	    == 0) {
		*why = "Content-Type too long";
		if ((size_t)(e - v) >= sizeof h->type)
			return -1;
		memcpy(h->type, v, (size_t)(e - v));
		h->type[e - v] = '\0';
	}
	return 0;
}

int
ctlhttp_head_parse(const char *buf, size_t len, struct ctlhttp_head *h,
    const char **why)
{
	const char *p = buf, *end = buf + len, *l;
	long n;

	memset(h, 0, sizeof *h);
	*why = "response head too long";
	if (len > CTLHTTP_HEAD_MAX)
		return -1;
	*why = "response head not ended by an empty line";
	if (!ctlhttp_head_done(buf, len))
		return -1;
	if ((n = head_line(&p, end, &l)) == -1 ||
	    head_status(l, (size_t)n, h, why) == -1) {
		*why = "bad status line";
		return -1;
	}
	for (;;) {
		*why = "control byte in a header line";
		if ((n = head_line(&p, end, &l)) == -1)
			return -1;
		if (n == 0)
			break;
		if (head_field(l, (size_t)n, h, why) == -1)
			return -1;
	}
	*why = "bytes after the head";
	return p == end ? 0 : -1;
}
