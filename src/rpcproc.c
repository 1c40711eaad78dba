/*
 * rpcproc.c -- the XML-RPC methods about processes: start/stop/signal of
 * one, a group or all (from the result lines procctl would print),
 * clearing their logs, their stdin.  Their state is in rpcinfo.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rpcint.h"


/* Names that mean more than one process. */
bool
rpc_names_many(const char *name)
{
	size_t n = strlen(name);

	return strcmp(name, "all") == 0 || (n > 0 && (name[n - 1] == ':' ||
	    (n > 1 && strcmp(name + n - 2, ":*") == 0)));
}

/* supervisord's per-process result: {name, group, status, description}. */
static struct xr_value *
result_struct(const char *full, int code)
{
	struct xr_value *s = xr_struct();
	const char *colon = strchr(full, ':');
	char desc[512];

	if (colon != NULL) {
		xr_set(s, "name", xr_str(colon + 1));
		xr_set(s, "group", xr_strn(full, (size_t)(colon - full)));
	} else {
		xr_set(s, "name", xr_str(full));
		xr_set(s, "group", xr_str(full));
	}
	xr_set(s, "status", xr_int(code));
	if (code == FAULT_SUCCESS)
		snprintf(desc, sizeof desc, "OK");
	else
		snprintf(desc, sizeof desc, "%s: %s", rpc_fault_name(code),
		    full);
	xr_set(s, "description", xr_str(desc));
	return s;
}

/*
 * procctl's result lines ("web: started", "db: ERROR (spawn error)") as
 * supervisord's results, leaving out those with code SKIP (a group start
 * leaves out what already runs, as supervisord does).  *BAD: a line said
 * there is no such name.
 */
static struct xr_value *
results_from_lines(char *out, int skip, bool *bad)
{
	struct xr_value *a = xr_array();
	char *line, *save = NULL, *sep;
	int code;

	*bad = false;
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((sep = strstr(line, ": ")) == NULL)
			continue;
		*sep = '\0';
		code = rpc_line_code(sep + 2);
		if (code == FAULT_BAD_NAME)
			*bad = true;
		if (code != skip && code != FAULT_BAD_NAME)
			xr_push(a, result_struct(line, code));
	}
	return a;
}

/* Run ARGV and return its result lines as an array (group and all). */
static struct xr_value *
ask_results(struct rpc_ctx *c, const char *const *argv, const char *name,
    int skip)
{
	struct gwreply r;
	struct xr_value *v;
	bool bad;

	if (rpc_ask(c, false, argv, &r) == -1)
		return NULL;
	if (rpc_shutting_down(&r)) {
		gwreply_free(&r);
		return rpc_fault(c, FAULT_SHUTDOWN_STATE, NULL);
	}
	v = results_from_lines(r.out.data ? r.out.data : (char *)"", skip,
	    &bad);
	if (bad && strcmp(name, "all") != 0) {
		xr_free(v);
		v = rpc_fault(c, FAULT_BAD_NAME, name);
	}
	gwreply_free(&r);
	return v;
}

/* The group spec procctl takes for group NAME. */
static void
group_spec(const char *name, char *spec, size_t size)
{
	size_t n = strcspn(name, ":");

	snprintf(spec, size, "%.*s:*", (int)n, name);
}

/* One process: true, or the fault its result line says. */
static struct xr_value *
ask_one(struct rpc_ctx *c, const char *const *argv, const char *name)
{
	struct xr_value *a, *v;
	int code;

	if ((a = ask_results(c, argv, name, -1)) == NULL)
		return NULL;
	code = a->n == 0 ? FAULT_BAD_NAME : (int)xr_get_int(a->items[0],
	    "status");
	v = code == FAULT_SUCCESS ? xr_bool(true) : rpc_fault(c, code, name);
	xr_free(a);
	return v;
}

/* The wait parameter at INDEX of P (true when left out): false asks
 * procd for --no-wait, which ARGV[1] then holds. */
static const char *const *
wait_argv(const struct xr_value *p, size_t index, const char **argv)
{
	if (p->n > index && p->items[index]->i == 0) {
		argv[2] = argv[1];
		argv[1] = "--no-wait";
	}
	return argv;
}

static struct xr_value *
proc_action(struct rpc_ctx *c, const char *cmd, const struct xr_value *p,
    int skip)
{
	const char *name = p->items[0]->s;
	const char *argv[] = { cmd, name, NULL, NULL };
	char spec[256];

	if (*name == '\0' || strlen(name) >= sizeof spec - 2)
		return rpc_fault(c, FAULT_BAD_NAME, name);
	/* supervisord's startProcess("g:*") is startProcessGroup("g"). */
	if (rpc_names_many(name) && strcmp(name, "all") != 0) {
		group_spec(name, spec, sizeof spec);
		argv[1] = spec;
		return ask_results(c, wait_argv(p, 1, argv), name, skip);
	}
	if (strcmp(name, "all") == 0)
		return rpc_fault(c, FAULT_BAD_NAME, name);
	return ask_one(c, wait_argv(p, 1, argv), name);
}

static struct xr_value *
group_action(struct rpc_ctx *c, const char *cmd, const struct xr_value *p,
    int skip)
{
	const char *name = p->items[0]->s;
	char spec[256];
	const char *argv[] = { cmd, spec, NULL, NULL };

	if (*name == '\0' || strlen(name) >= sizeof spec - 2)
		return rpc_fault(c, FAULT_BAD_NAME, name);
	group_spec(name, spec, sizeof spec);
	return ask_results(c, wait_argv(p, 1, argv), name, skip);
}

struct xr_value *
rpcproc_start(struct rpc_ctx *c, const struct xr_value *p)
{
	return proc_action(c, "start", p, FAULT_ALREADY_STARTED);
}

struct xr_value *
rpcproc_stop(struct rpc_ctx *c, const struct xr_value *p)
{
	return proc_action(c, "stop", p, FAULT_NOT_RUNNING);
}

struct xr_value *
rpcproc_start_group(struct rpc_ctx *c, const struct xr_value *p)
{
	return group_action(c, "start", p, FAULT_ALREADY_STARTED);
}

struct xr_value *
rpcproc_stop_group(struct rpc_ctx *c, const struct xr_value *p)
{
	return group_action(c, "stop", p, FAULT_NOT_RUNNING);
}

struct xr_value *
rpcproc_start_all(struct rpc_ctx *c, const struct xr_value *p)
{
	const char *argv[] = { "start", "all", NULL, NULL };

	return ask_results(c, wait_argv(p, 0, argv), "all",
	    FAULT_ALREADY_STARTED);
}

struct xr_value *
rpcproc_stop_all(struct rpc_ctx *c, const struct xr_value *p)
{
	const char *argv[] = { "stop", "all", NULL, NULL };

	return ask_results(c, wait_argv(p, 0, argv), "all",
	    FAULT_NOT_RUNNING);
}

/* The signal parameter as procd takes it: a name or a number. */
static const char *
signal_arg(const struct xr_value *v, char *buf, size_t size)
{
	if (v->type == XR_STRING)
		return v->s;
	snprintf(buf, size, "%lld", (long long)v->i);
	return buf;
}

/* The lines of signal SIG SPEC as results (or one process's fault). */
static struct xr_value *
signal_lines(struct rpc_ctx *c, const char *spec, const struct xr_value *sv,
    bool one)
{
	char num[32];
	const char *sig = signal_arg(sv, num, sizeof num);
	const char *argv[] = { "signal", sig, spec, NULL };
	struct gwreply r;
	struct xr_value *a, *v;
	bool bad;

	if (*sig == '\0')
		return rpc_fault(c, FAULT_BAD_SIGNAL, sig);
	if (rpc_ask(c, false, argv, &r) == -1)
		return NULL;
	if (r.out.data != NULL &&
	    strncmp(r.out.data, "ERROR: bad signal name", 22) == 0) {
		gwreply_free(&r);
		return rpc_fault(c, FAULT_BAD_SIGNAL, sig);
	}
	if (rpc_shutting_down(&r)) {
		gwreply_free(&r);
		return rpc_fault(c, FAULT_SHUTDOWN_STATE, NULL);
	}
	a = results_from_lines(r.out.data ? r.out.data : (char *)"", -1, &bad);
	gwreply_free(&r);
	if (bad && strcmp(spec, "all") != 0) {
		xr_free(a);
		return rpc_fault(c, FAULT_BAD_NAME, spec);
	}
	if (!one)
		return a;
	int code = a->n == 0 ? FAULT_BAD_NAME : (int)xr_get_int(a->items[0],
	    "status");
	v = code == FAULT_SUCCESS ? xr_bool(true) : rpc_fault(c, code, spec);
	xr_free(a);
	return v;
}

struct xr_value *
rpcproc_signal(struct rpc_ctx *c, const struct xr_value *p)
{
	const char *name = p->items[0]->s;

	if (rpc_names_many(name))
		return rpc_fault(c, FAULT_BAD_NAME, name);
	return signal_lines(c, name, p->items[1], true);
}

struct xr_value *
rpcproc_signal_group(struct rpc_ctx *c, const struct xr_value *p)
{
	char spec[256];

	if (strlen(p->items[0]->s) >= sizeof spec - 2)
		return rpc_fault(c, FAULT_BAD_NAME, p->items[0]->s);
	group_spec(p->items[0]->s, spec, sizeof spec);
	return signal_lines(c, spec, p->items[1], false);
}

struct xr_value *
rpcproc_signal_all(struct rpc_ctx *c, const struct xr_value *p)
{
	return signal_lines(c, "all", p->items[0], false);
}

/* The most one stdin request carries (a control frame is 64 KiB). */
#define STDIN_CHUNK	(32 * 1024)

/* sendProcessStdin: CHARS to NAME's stdin, in frames procd takes. */
struct xr_value *
rpcproc_stdin(struct rpc_ctx *c, const struct xr_value *p)
{
	const char *name = p->items[0]->s;
	const struct xr_value *chars = p->items[1];
	char chunk[STDIN_CHUNK + 1];
	const char *argv[] = { "stdin", name, chunk, NULL };
	size_t done = 0, n;
	struct gwreply r;
	const char *o;
	int code;

	/* supervisord's check: anything but a string is the caller's
	 * mistake, not a bad type of argument. */
	if (chars->type != XR_STRING)
		return rpc_fault(c, FAULT_INCORRECT_PARAMETERS, NULL);
	if (rpc_names_many(name) || *name == '\0')
		return rpc_fault(c, FAULT_BAD_NAME, name);
	do {
		n = chars->len - done > STDIN_CHUNK ? STDIN_CHUNK :
		    chars->len - done;
		/* A NUL cannot travel in an argument (XML cannot carry it
		 * either): the chunk ends there. */
		memcpy(chunk, chars->s + done, n);
		chunk[n] = '\0';
		n = strlen(chunk) + (strlen(chunk) < n);
		if (rpc_ask(c, false, argv, &r) == -1)
			return NULL;
		o = r.out.data ? r.out.data : "";
		code = r.code == 0 ? FAULT_SUCCESS :
		    rpc_shutting_down(&r) ? FAULT_SHUTDOWN_STATE :
		    strstr(o, "(no such process") ? FAULT_BAD_NAME :
		    strstr(o, "(not running)") ? FAULT_NOT_RUNNING :
		    strstr(o, "(stdin closed)") ? FAULT_NO_FILE : FAULT_FAILED;
		gwreply_free(&r);
		if (code != FAULT_SUCCESS)
			return rpc_fault(c, code, code == FAULT_FAILED ?
			    "procd keeps at most 1 MiB for a process's stdin" :
			    name);
		done += n;
	} while (done < chars->len);
	return xr_bool(true);
}

struct xr_value *
rpcproc_clear(struct rpc_ctx *c, const struct xr_value *p)
{
	const char *name = p->items[0]->s;
	const char *argv[] = { "clear", name, NULL };

	if (rpc_names_many(name) || *name == '\0')
		return rpc_fault(c, FAULT_BAD_NAME, name);
	return ask_one(c, argv, name);
}

struct xr_value *
rpcproc_clear_all(struct rpc_ctx *c, const struct xr_value *p)
{
	static const char *const argv[] = { "clear", "all", NULL };

	(void)p;
	return ask_results(c, argv, "all", -1);
}
