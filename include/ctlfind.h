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
 * The socket path for A (malloc'd); warnings go to stderr.  NULL with
 * *CAUSE (malloc'd) when there is none to try: an http:// URL (*USAGE
 * false), or a bad -s or a missing -c file (*USAGE true: a usage error).
 */
char	*ctlfind_socket(const struct ctlargs *a, char **cause, int *usage);
/*
 * The socket F names, read line by line without parsing the rest:
 * [supervisorctl] serverurl=unix://P, else [procd]/[supervisord] socket=,
 * else [unix_http_server] file=; %(here)s and %(ENV_X)s expanded, made
 * absolute against HERE.  NULL when none (malloc'd); *LINE its line.
 */
char	*ctlfind_scan(FILE *f, const char *here, int *line);

#endif
