/*
 * dashctl.h -- the dashboard's requests to procd, over the gateway's
 * control channels (gwctl.h): the status of every process or of some,
 * read back as values; an action, as procctl would send it.
 */
#ifndef PROCD_DASHCTL_H
#define PROCD_DASHCTL_H

#include "gwctl.h"
#include "xrvalue.h"

/* status --json for the NAMES (N of them; 0: every process) on channel
 * CHAN: the array of rows (unknown names are left out), or NULL when
 * the channel failed or the answer was not JSON. */
struct xr_value	*dashctl_status(int chan, char *const names[], int n);
/* The same on a channel of its own over LINK, closed after. */
struct xr_value	*dashctl_status_once(int link);
/* OP (start, stop, restart) of TARGET (a name, GROUP:* or all) on a
 * channel of its own over LINK, the reply in R (gwreply_free after).
 * 0, or -1 when procd could not be asked. */
int		 dashctl_act(int link, const char *op, const char *target,
		    struct gwreply *r);

#endif
