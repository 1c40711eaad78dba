/*
 * gateway.h -- the HTTP/XML-RPC gateway process: `procd-gateway
 * __gateway` (gwmain.c), as exec'd by gwsup.c with its link to procd on
 * descriptor GATEWAY_LINK_FD, already running unprivileged.  It refuses to
 * run as root.
 */
#ifndef PROCD_GATEWAY_H
#define PROCD_GATEWAY_H

#define GATEWAY_ARG	"__gateway"
#define GATEWAY_LINK_FD	3

/* The gateway's main: returns only on a start-up failure (exit code). */
int	gateway_main(void);

#endif
