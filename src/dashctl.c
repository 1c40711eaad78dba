/*
 * dashctl.c -- the dashboard's requests to procd (dashctl.h).  Blocking,
 * as all of the gateway's: each HTTP connection has a thread of its own.
 */
#include <stdlib.h>
#include <unistd.h>

#include "dashctl.h"
#include "jsonread.h"

/* Names asked for at once, and the argv that holds them. */
#define DASHCTL_ARGV_MAX	256

struct xr_value *
dashctl_status(int chan, char *const names[], int n)
{
	char *argv[DASHCTL_ARGV_MAX + 2];
	struct xr_value *v = NULL;
	struct gwreply r;

	if (n < 0 || n > DASHCTL_ARGV_MAX)
		return NULL;
	argv[0] = "status";
	for (int i = 0; i < n; i++)
		argv[1 + i] = names[i];
	argv[1 + n] = NULL;
	/* Exit code 3 (something down) and 4 (an unknown name) still come
	 * with the rows procd knows. */
	if (gwctl_call(chan, 1 + n, argv, 1, &r) == 0 && r.out.len > 0)
		v = jsonread(r.out.data, r.out.len);
	gwreply_free(&r);
	if (v != NULL && v->type != XR_ARRAY) {
		xr_free(v);
		v = NULL;
	}
	return v;
}

struct xr_value *
dashctl_status_once(int link)
{
	int chan = gwctl_open(link);
	struct xr_value *v;

	if (chan == -1)
		return NULL;
	v = dashctl_status(chan, NULL, 0);
	close(chan);
	return v;
}

int
dashctl_act(int link, const char *op, const char *target, struct gwreply *r)
{
	char *argv[] = { (char *)op, (char *)target, NULL };
	int chan = gwctl_open(link), rc;

	if (chan == -1) {
		buf_init(&r->out);
		buf_init(&r->err);
		r->code = -1;
		return -1;
	}
	rc = gwctl_call(chan, 2, argv, 0, r);
	close(chan);
	return rc;
}
