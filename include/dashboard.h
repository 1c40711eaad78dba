/*
 * dashboard.h -- the web dashboard, served by the gateway:
 *
 *	GET  /			the page: every process, rendered here (so it
 *				reads without JavaScript), and the script
 *				that keeps it live and adds the buttons
 *	GET  /dash/dash.css, /dash/dash.js
 *	GET  /dash/events	the live stream (dashsse.h)
 *	POST /dash/act/OP/TARGET	OP (start, stop, restart) of TARGET (a
 *				name, GROUP:* or all), with the page's
 *				token (dashguard.h); answers JSON
 *
 * Basic auth, when configured, is checked before any of this (httpd.c).
 * Without it, a request whose Host is a name rather than an address is
 * refused (DNS rebinding would make another site's page same-origin).
 */
#ifndef PROCD_DASHBOARD_H
#define PROCD_DASHBOARD_H

#include <stdbool.h>

#include <microhttpd.h>

/* Is URL the dashboard's? */
bool		dashboard_match(const char *url);
/* Answer METHOD URL on CONN (in the request's first call: the dashboard
 * reads no request bodies), procd being over LINK.  AUTHED: the server
 * asks for a password (otherwise only requests for an address are
 * answered: dashguard_host_ok). */
enum MHD_Result	dashboard_begin(struct MHD_Connection *conn,
		    const char *method, const char *url, int link,
		    bool authed);

#endif
