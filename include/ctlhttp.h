/*
 * ctlhttp.h -- procctl over HTTP: `-s http://…` reaches procd through its
 * gateway's POST /procd/ctl (httpctl.h), which carries procctl's own
 * framed protocol (proto.h) unchanged: one REQUEST frame as the request
 * body, the reply frames as the response body.  Nothing is translated, so
 * the output and exit codes are those of a run on the unix socket.
 *
 * The pure parts (ctlhttpparse.c: the URL, base64, the response head)
 * take no I/O, for the unit test and the fuzzer; ctlhttp.c does the
 * exchange.
 */
#ifndef PROCD_CTLHTTP_H
#define PROCD_CTLHTTP_H

#include <stddef.h>
#include <stdint.h>

/* The gateway's route for procctl's protocol. */
#define CTLHTTP_PATH		"/procd/ctl"
#define CTLHTTP_TYPE		"application/x-procd-frames"
/* A response head longer than this is not a gateway's: refused. */
#define CTLHTTP_HEAD_MAX	8192
#define CTLHTTP_HOST_MAX	256
#define CTLHTTP_CRED_MAX	256

struct ctlhttp_url {
	char	host[CTLHTTP_HOST_MAX];	/* without an IPv6 literal's [] */
	char	port[6];		/* digits; "80" when not given */
	char	user[CTLHTTP_CRED_MAX];	/* "" when the URL has none */
	char	pass[CTLHTTP_CRED_MAX];
	int	has_cred;		/* the URL had USER[:PASS]@ */
};

/*
 * Parse http://[USER[:PASS]@]HOST[:PORT][/PATH] into U (a path is
 * ignored: supervisorctl's is too).  0, or -1 with *WHY a static string;
 * *HTTPS is set for an https:// URL (refused: not supported).
 */
int	ctlhttp_url_parse(const char *url, struct ctlhttp_url *u,
	    const char **why, int *https);

/* URL as it may be shown: without its credentials or path, cut to SIZE
 * bytes ("http://u:p@h:1/x" -> "http://h:1"). */
void	ctlhttp_url_show(const char *url, char *out, size_t size);

/* Base64 of IN (LEN bytes) into OUT, NUL-terminated: 0, or -1 when OUT
 * (SIZE bytes) is too small. */
int	ctlhttp_b64(const void *in, size_t len, char *out, size_t size);

struct ctlhttp_head {
	int	status;			/* 100..599 */
	char	reason[128];		/* the status line's text, cut */
	char	type[128];		/* Content-Type, "" when none */
};

/*
 * Parse a response head: the status line and header lines, each ended by
 * CRLF (or a bare LF), up to the empty line.  BUF holds LEN bytes that
 * end with that empty line (ctlhttp_head_done).  0, or -1 with *WHY.
 */
int	ctlhttp_head_parse(const char *buf, size_t len, struct ctlhttp_head *,
	    const char **why);
/* Do the LEN bytes of BUF end a head (an empty line)? */
int	ctlhttp_head_done(const char *buf, size_t len);

/* What ctlhttp_call ends with besides procd's own exit code (>= 0). */
enum ctlhttp_fail {
	CTLHTTP_UNREACHABLE = -1,	/* no connection: errno; nothing said */
	CTLHTTP_REFUSED = -2,		/* 401: the login was refused */
	CTLHTTP_NO_PROCD = -3,		/* no procd there: a name without an
					   address, https, not its gateway */
	CTLHTTP_BROKEN = -4,		/* the answer was cut or garbled */
	CTLHTTP_DENIED = -5,		/* 403: not a command for HTTP */
};

/*
 * Send ARGV (FLAGS: proto.h's PROTO_F_*) to the procd at URL, with USER
 * and PASS (NULL: those of the URL, if any), and relay the answer to
 * stdout and stderr as ctlconn_call does.  Returns procd's exit code, or
 * an enum ctlhttp_fail (its message printed, but for UNREACHABLE).
 */
int	ctlhttp_call(const char *url, const char *user, const char *pass,
	    int argc, char *const argv[], uint8_t flags);

#endif
