/*
 * httpd.h -- the gateway's HTTP servers (libmicrohttpd): POST /RPC2 is
 * XML-RPC (rpc.h), GET / and /dash/ the dashboard (dashboard.h); basic auth
 * when credentials are configured; bounded bodies, connections and time.
 */
#ifndef PROCD_HTTPD_H
#define PROCD_HTTPD_H

/* Request bodies larger than this are refused (413). */
#define HTTPD_BODY_MAX		(1024 * 1024)
/* Connections served at once, per server (each has a thread; most have
 * a control channel in procd): 16 for clients, plus the dashboard's live
 * streams (dashsse.h), which share one channel and hold their
 * connection for as long as the page is open. */
#define HTTPD_CONN_MAX		(16 + 32)
/* Seconds a connection may stay idle. */
#define HTTPD_IDLE_SECS		30

struct httpd;

/* A server on listening socket LISTEN_FD, or (-1) one that is handed its
 * connections (httpd_add).  USER/PASS: required credentials, NULL: none.
 * LINK: the gateway's link to procd.  NULL on failure (logged). */
struct httpd	*httpd_start(int listen_fd, const char *user,
		    const char *pass, int link);
/* Serve connection FD (an accepted unix socket); it is the server's. */
int		 httpd_add(struct httpd *, int fd);
/* Connections being served. */
unsigned	 httpd_busy(struct httpd *);

#endif
