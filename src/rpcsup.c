/*
 * rpcsup.c -- the XML-RPC methods about supervisord itself (rpc.h):
 * versions and identity, state, pid, its log, shutdown and restart, and
 * the configuration (reloadConfig, add/removeProcessGroup,
 * getAllConfigInfo).  Each is one procctl request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "rpcint.h"

struct xr_value *
rpcsup_api_version(struct rpc_ctx *c, const struct xr_value *p)
{
	(void)c;
	(void)p;
	return xr_str("3.0");
}

/* The first line procd answers to ARGV, as a string value. */
static struct xr_value *
ask_line(struct rpc_ctx *c, const char *const *argv)
{
	struct gwreply r;
	struct xr_value *v;

	if (rpc_ask(c, false, argv, &r) == -1)
		return NULL;
	if (r.code != 0)
		v = rpc_fault(c, FAULT_FAILED, r.out.data);
	else
		v = xr_strn(r.out.data ? r.out.data : "",
		    r.out.data ? strcspn(r.out.data, "\n") : 0);
	gwreply_free(&r);
	return v;
}

struct xr_value *
rpcsup_version(struct rpc_ctx *c, const struct xr_value *p)
{
	static const char *const argv[] = { "version", NULL };

	(void)p;
	return ask_line(c, argv);
}

struct xr_value *
rpcsup_identification(struct rpc_ctx *c, const struct xr_value *p)
{
	(void)c;
	(void)p;
	/* supervisord's default identifier=; procd has no such key. */
	return xr_str("supervisor");
}

struct xr_value *
rpcsup_state(struct rpc_ctx *c, const struct xr_value *p)
{
	/* version is refused while procd shuts down: that is the probe. */
	static const char *const argv[] = { "version", NULL };
	struct xr_value *s;
	struct gwreply r;
	bool down;

	(void)p;
	if (rpc_ask(c, false, argv, &r) == -1)
		return NULL;
	down = rpc_shutting_down(&r);
	gwreply_free(&r);
	s = xr_struct();
	/* supervisord's SupervisorStates: RUNNING 1, SHUTDOWN -1. */
	xr_set(s, "statecode", xr_int(down ? -1 : 1));
	xr_set(s, "statename", xr_str(down ? "SHUTDOWN" : "RUNNING"));
	return s;
}

struct xr_value *
rpcsup_pid(struct rpc_ctx *c, const struct xr_value *p)
{
	static const char *const argv[] = { "pid", NULL };
	struct xr_value *v;

	(void)p;
	if ((v = ask_line(c, argv)) == NULL)
		return NULL;
	long n = atol(v->s);
	xr_free(v);
	return xr_int(n);
}

/* A command whose success is all there is to say: true, or a fault. */
static struct xr_value *
ask_ok(struct rpc_ctx *c, const char *const *argv)
{
	struct gwreply r;
	struct xr_value *v;

	if (rpc_ask(c, false, argv, &r) == -1)
		return NULL;
	if (rpc_shutting_down(&r))
		v = rpc_fault(c, FAULT_SHUTDOWN_STATE, NULL);
	else if (r.code != 0)
		v = rpc_fault(c, FAULT_FAILED, r.out.data ? r.out.data :
		    r.err.data);
	else
		v = xr_bool(true);
	gwreply_free(&r);
	return v;
}

struct xr_value *
rpcsup_shutdown(struct rpc_ctx *c, const struct xr_value *p)
{
	static const char *const argv[] = { "shutdown", NULL };

	(void)p;
	return ask_ok(c, argv);
}

struct xr_value *
rpcsup_restart(struct rpc_ctx *c, const struct xr_value *p)
{
	static const char *const argv[] = { "reload", NULL };

	(void)p;
	return ask_ok(c, argv);
}

/* reread --json's changes, sorted into supervisord's three lists. */
struct xr_value *
rpcsup_reload_config(struct rpc_ctx *c, const struct xr_value *p)
{
	static const char *const argv[] = { "reread", NULL };
	struct xr_value *doc, *lists[3], *outer, *inner;
	struct gwreply r;

	(void)p;
	if (rpc_ask(c, true, argv, &r) == -1)
		return NULL;
	doc = r.code == 0 ? jsonread(r.out.data, r.out.len) : NULL;
	if (doc == NULL || doc->type != XR_ARRAY) {
		xr_free(doc);
		rpc_fault(c, FAULT_CANT_REREAD, r.err.data ? r.err.data :
		    "procd could not read its configuration");
		gwreply_free(&r);
		return NULL;
	}
	gwreply_free(&r);
	for (int i = 0; i < 3; i++)
		lists[i] = xr_array();
	for (size_t i = 0; i < doc->n; i++) {
		const char *group = xr_get_str(doc->items[i], "group");
		const char *ch = xr_get_str(doc->items[i], "change");
		int k = strcmp(ch, "added") == 0 ? 0 :
		    strcmp(ch, "removed") == 0 ? 2 : 1;
		bool seen = false;
		/* supervisord lists groups, each once. */
		for (size_t j = 0; j < lists[k]->n && !seen; j++)
			seen = strcmp(lists[k]->items[j]->s, group) == 0;
		if (!seen)
			xr_push(lists[k], xr_str(group));
	}
	xr_free(doc);
	inner = xr_array();
	for (int i = 0; i < 3; i++)
		xr_push(inner, lists[i]);
	outer = xr_array();
	xr_push(outer, inner);
	return outer;
}

/* add or remove: supervisord's faults from procd's line. */
static struct xr_value *
group_change(struct rpc_ctx *c, const char *cmd, const char *name)
{
	const char *argv[] = { cmd, name, NULL };
	struct gwreply r;
	struct xr_value *v;
	const char *o;

	if (rpc_ask(c, false, argv, &r) == -1)
		return NULL;
	o = r.out.data ? r.out.data : "";
	if (rpc_shutting_down(&r))
		v = rpc_fault(c, FAULT_SHUTDOWN_STATE, NULL);
	else if (strstr(o, "already active") != NULL)
		v = rpc_fault(c, FAULT_ALREADY_ADDED, name);
	else if (strstr(o, "still running") != NULL)
		v = rpc_fault(c, FAULT_STILL_RUNNING, name);
	else if (strstr(o, "no such") != NULL)
		v = rpc_fault(c, FAULT_BAD_NAME, name);
	else if (r.code != 0 || strstr(o, "ERROR") != NULL)
		v = rpc_fault(c, FAULT_FAILED, o);
	else
		v = xr_bool(true);
	gwreply_free(&r);
	return v;
}

struct xr_value *
rpcsup_add_group(struct rpc_ctx *c, const struct xr_value *p)
{
	return group_change(c, "add", p->items[0]->s);
}

struct xr_value *
rpcsup_remove_group(struct rpc_ctx *c, const struct xr_value *p)
{
	return group_change(c, "remove", p->items[0]->s);
}

/* avail --json, in getAllConfigInfo's field names (those procd has). */
struct xr_value *
rpcsup_config_info(struct rpc_ctx *c, const struct xr_value *p)
{
	static const char *const argv[] = { "avail", NULL };
	struct xr_value *doc, *out;
	struct gwreply r;

	(void)p;
	if (rpc_ask(c, true, argv, &r) == -1)
		return NULL;
	doc = jsonread(r.out.data, r.out.len);
	gwreply_free(&r);
	if (doc == NULL || doc->type != XR_ARRAY) {
		xr_free(doc);
		return rpc_fault(c, FAULT_FAILED, "avail");
	}
	out = xr_array();
	for (size_t i = 0; i < doc->n; i++) {
		const struct xr_value *e = doc->items[i];
		const char *full = xr_get_str(e, "name"), *colon;
		struct xr_value *s = xr_struct();
		colon = strchr(full, ':');
		xr_set(s, "name", xr_str(colon ? colon + 1 : full));
		xr_set(s, "group", xr_str(xr_get_str(e, "group")));
		xr_set(s, "inuse", xr_bool(xr_get_int(e, "in_use")));
		xr_set(s, "autostart", xr_bool(xr_get_int(e, "autostart")));
		xr_set(s, "process_prio", xr_int(xr_get_int(e, "priority")));
		xr_set(s, "group_prio", xr_int(xr_get_int(e, "priority")));
		xr_push(out, s);
	}
	xr_free(doc);
	return out;
}

/* sendRemoteCommEvent: a REMOTE_COMMUNICATION event, TYPE and DATA. */
struct xr_value *
rpcsup_remote_event(struct rpc_ctx *c, const struct xr_value *p)
{
	const char *argv[] = { "commevent", p->items[0]->s, p->items[1]->s,
	    NULL };

	return ask_ok(c, argv);
}
