/*
 * ctlfind.h -- where procctl finds procd: -s, $PROCD_SOCKET, the config's
 * socket, the default path (CONTRACT §1).
 *
 * A config with errors does not lock the operator out: its errors are
 * shown as warnings and the socket is taken by a minimal scan that needs
 * only the lines that name it.
 */
#ifndef PROCD_CTLFIND_H
#define PROCD_CTLFIND_H

#include <stdio.h>

struct ctlargs;

/*
 * Where procd is for A: a socket path, or an http:// URL (-s, or the
 * config's [supervisorctl] serverurl when the config names no unix
 * socket: then *USER and *PASS are its username= and password=, else
 * NULL); malloc'd.  Warnings go to stderr.  NULL with *CAUSE (malloc'd)
 * when there is none to try: a bad -s or a missing -c file (*USAGE true:
 * a usage error).
 */
char	*ctlfind_socket(const struct ctlargs *a, char **cause, int *usage,
	    char **user, char **pass);
/*
 * The socket F names, read line by line without parsing the rest:
 * [supervisorctl] serverurl=unix://P, else [procd]/[supervisord] socket=,
 * else [unix_http_server] file=; %(here)s and %(ENV_X)s expanded, made
 * absolute against HERE.  NULL when none (malloc'd); *LINE its line.
 */
char	*ctlfind_scan(FILE *f, const char *here, int *line);
/*
 * F's [supervisorctl] serverurl=http://… (malloc'd) and its username=
 * and password= (*USER, *PASS: malloc'd or NULL), expanded as
 * ctlfind_scan's; NULL when F names no such URL or names a unix socket.
 */
char	*ctlfind_http(FILE *f, const char *here, char **user, char **pass);

#endif
