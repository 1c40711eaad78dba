/*
 * rpcmethods.c -- the XML-RPC method table (rpc.h): names, signatures,
 * help; the checks every call goes through; asking procd; system.*.
 * The methods about supervisord itself are in rpcsup.c, those about
 * processes in rpcproc.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rpcint.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static rpc_fn list_methods, method_help, method_signature, multicall;

/*
 * SIG: the result's type, ':', each parameter's; after '|' the optional
 * ones.  s string, i int, b boolean (an int will do), x string or int,
 * a array, S struct, ? anything.
 */
static const struct method {
	const char	*name;
	rpc_fn		*fn;
	const char	*sig;
	const char	*help;
} methods[] = {
	{ "supervisor.getAPIVersion", rpcsup_api_version, "s:",
	    "The version of the RPC API (3.0)." },
	{ "supervisor.getVersion", rpcsup_api_version, "s:",
	    "The version of the RPC API (deprecated name)." },
	{ "supervisor.getSupervisorVersion", rpcsup_version, "s:",
	    "The version of procd." },
	{ "supervisor.getIdentification", rpcsup_identification, "s:",
	    "The identifying string of this server." },
	{ "supervisor.getState", rpcsup_state, "S:",
	    "The state of the server: {statecode, statename}." },
	{ "supervisor.getPID", rpcsup_pid, "i:", "The pid of procd." },
	{ "supervisor.readLog", rpclog_read_main, "s:ii",
	    "Read LENGTH bytes (0: to the end) of procd's log from OFFSET; a "
	    "negative OFFSET with LENGTH 0: the last -OFFSET bytes." },
	{ "supervisor.readMainLog", rpclog_read_main, "s:ii",
	    "The same as readLog." },
	{ "supervisor.clearLog", rpclog_clear_main, "b:",
	    "Empty procd's log file." },
	{ "supervisor.shutdown", rpcsup_shutdown, "b:",
	    "Stop every process and procd." },
	{ "supervisor.restart", rpcsup_restart, "b:",
	    "Restart every process from a fresh configuration." },
	{ "supervisor.reloadConfig", rpcsup_reload_config, "a:",
	    "Reread the configuration: [[added, changed, removed]]." },
	{ "supervisor.addProcessGroup", rpcsup_add_group, "b:s",
	    "Start serving a group the configuration has gained." },
	{ "supervisor.removeProcessGroup", rpcsup_remove_group, "b:s",
	    "Stop serving a stopped group the configuration has lost." },
	{ "supervisor.getAllConfigInfo", rpcsup_config_info, "a:",
	    "What the configuration says about every process." },
	{ "supervisor.getProcessInfo", rpcinfo_one, "S:s",
	    "The state of the process NAME." },
	{ "supervisor.getAllProcessInfo", rpcinfo_all, "a:",
	    "The state of every process." },
	{ "supervisor.startProcess", rpcproc_start, "b:s|b",
	    "Start the process NAME (and wait until it is RUNNING)." },
	{ "supervisor.startProcessGroup", rpcproc_start_group, "a:s|b",
	    "Start the processes of group NAME." },
	{ "supervisor.startAllProcesses", rpcproc_start_all, "a:|b",
	    "Start every process." },
	{ "supervisor.stopProcess", rpcproc_stop, "b:s|b",
	    "Stop the process NAME." },
	{ "supervisor.stopProcessGroup", rpcproc_stop_group, "a:s|b",
	    "Stop the processes of group NAME." },
	{ "supervisor.stopAllProcesses", rpcproc_stop_all, "a:|b",
	    "Stop every process." },
	{ "supervisor.signalProcess", rpcproc_signal, "b:sx",
	    "Send SIGNAL (a name or a number) to the process NAME." },
	{ "supervisor.signalProcessGroup", rpcproc_signal_group, "a:sx",
	    "Send SIGNAL to the processes of group NAME." },
	{ "supervisor.signalAllProcesses", rpcproc_signal_all, "a:x",
	    "Send SIGNAL to every process." },
	{ "supervisor.readProcessStdoutLog", rpclog_read_out, "s:sii",
	    "Read LENGTH bytes (0: to the end) of NAME's stdout log from "
	    "OFFSET; a negative OFFSET with LENGTH 0: the last bytes." },
	{ "supervisor.readProcessLog", rpclog_read_out, "s:sii",
	    "The same as readProcessStdoutLog." },
	{ "supervisor.readProcessStderrLog", rpclog_read_err, "s:sii",
	    "Read LENGTH bytes of NAME's stderr log from OFFSET." },
	{ "supervisor.tailProcessStdoutLog", rpclog_tail_out, "a:sii",
	    "At most LENGTH of the newest bytes of NAME's stdout log past "
	    "OFFSET: [bytes, new offset, overflow]." },
	{ "supervisor.tailProcessLog", rpclog_tail_out, "a:sii",
	    "The same as tailProcessStdoutLog." },
	{ "supervisor.tailProcessStderrLog", rpclog_tail_err, "a:sii",
	    "The same for NAME's stderr log." },
	{ "supervisor.clearProcessLogs", rpcproc_clear, "b:s",
	    "Truncate the logs of the process NAME." },
	{ "supervisor.clearProcessLog", rpcproc_clear, "b:s",
	    "The same as clearProcessLogs." },
	{ "supervisor.clearAllProcessLogs", rpcproc_clear_all, "a:",
	    "Truncate every process's logs." },
	{ "supervisor.sendProcessStdin", rpcproc_stdin, "b:s?",
	    "Write CHARS to the stdin of the process NAME." },
	{ "supervisor.sendRemoteCommEvent", rpcsup_remote_event, "b:ss",
	    "Send a REMOTE_COMMUNICATION event of TYPE with DATA to the "
	    "listeners subscribed to it." },
	{ "system.listMethods", list_methods, "a:",
	    "The names of the methods this server has." },
	{ "system.methodHelp", method_help, "s:s",
	    "What the method NAME does." },
	{ "system.methodSignature", method_signature, "a:s",
	    "The types of the method NAME's result and parameters." },
	{ "system.multicall", multicall, "a:a",
	    "Call several methods: [{methodName, params}, ...]." },
};

static const char *const fault_names[] = {
	[FAULT_UNKNOWN_METHOD] = "UNKNOWN_METHOD",
	[FAULT_INCORRECT_PARAMETERS] = "INCORRECT_PARAMETERS",
	[FAULT_BAD_ARGUMENTS] = "BAD_ARGUMENTS",
	[FAULT_SIGNATURE_UNSUPPORTED] = "SIGNATURE_UNSUPPORTED",
	[FAULT_SHUTDOWN_STATE] = "SHUTDOWN_STATE",
	[FAULT_BAD_NAME] = "BAD_NAME",
	[FAULT_BAD_SIGNAL] = "BAD_SIGNAL",
	[FAULT_NO_FILE] = "NO_FILE",
	[FAULT_NOT_EXECUTABLE] = "NOT_EXECUTABLE",
	[FAULT_FAILED] = "FAILED",
	[FAULT_ABNORMAL_TERMINATION] = "ABNORMAL_TERMINATION",
	[FAULT_SPAWN_ERROR] = "SPAWN_ERROR",
	[FAULT_ALREADY_STARTED] = "ALREADY_STARTED",
	[FAULT_NOT_RUNNING] = "NOT_RUNNING",
	[FAULT_SUCCESS] = "SUCCESS",
	[FAULT_ALREADY_ADDED] = "ALREADY_ADDED",
	[FAULT_STILL_RUNNING] = "STILL_RUNNING",
	[FAULT_CANT_REREAD] = "CANT_REREAD",
};
_Static_assert(nitems(fault_names) == FAULT_CANT_REREAD + 1,
    "a name for every fault code");

const char *
rpc_fault_name(int code)
{
	if (code < 0 || (size_t)code >= nitems(fault_names) ||
	    fault_names[code] == NULL)
		return "UNKNOWN";
	return fault_names[code];
}

struct xr_value *
rpc_fault(struct rpc_ctx *c, int code, const char *extra)
{
	c->fault = code;
	if (extra != NULL)
		snprintf(c->fault_text, sizeof c->fault_text, "%s: %s",
		    rpc_fault_name(code), extra);
	else
		snprintf(c->fault_text, sizeof c->fault_text, "%s",
		    rpc_fault_name(code));
	return NULL;
}

int
rpc_ask(struct rpc_ctx *c, bool json, const char *const *argv,
    struct gwreply *r)
{
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	/* A channel that failed (procd dropped it) is replaced once. */
	for (int tries = 0; tries < 2; tries++) {
		if (c->chan == -1 && (c->chan = gwctl_open(c->link)) == -1)
			break;
		if (gwctl_call(c->chan, argc, (char *const *)argv, json, r)
		    == 0)
			return 0;
		gwreply_free(r);
		close(c->chan);
		c->chan = -1;
	}
	rpc_fault(c, FAULT_FAILED, "procd did not answer");
	return -1;
}

bool
rpc_shutting_down(const struct gwreply *r)
{
	return r->out.data != NULL &&
	    strncmp(r->out.data, "ERROR: procd is ", 16) == 0;
}

int
rpc_line_code(const char *t)
{
	static const struct { const char *text; int code; } codes[] = {
		{ "started", FAULT_SUCCESS },
		{ "stopped", FAULT_SUCCESS },
		{ "stopping", FAULT_SUCCESS },	/* wait=false */
		{ "signalled", FAULT_SUCCESS },
		{ "cleared", FAULT_SUCCESS },
		{ "ERROR (already started)", FAULT_ALREADY_STARTED },
		{ "ERROR (not running)", FAULT_NOT_RUNNING },
		{ "ERROR (spawn error)", FAULT_SPAWN_ERROR },
		{ "ERROR (abnormal termination)", FAULT_ABNORMAL_TERMINATION },
		{ "ERROR (no such process)", FAULT_BAD_NAME },
		{ "ERROR (no such process name)", FAULT_BAD_NAME },
		{ "ERROR (no log file)", FAULT_NO_FILE },
	};

	for (size_t i = 0; i < nitems(codes); i++)
		if (strcmp(t, codes[i].text) == 0)
			return codes[i].code;
	return FAULT_FAILED;
}

/* Does V fit the type letter T? */
static bool
type_fits(char t, const struct xr_value *v)
{
	switch (t) {
	case 's':
		return v->type == XR_STRING;
	case 'i':
		return v->type == XR_INT;
	case 'b':
		return v->type == XR_BOOL || v->type == XR_INT;
	case 'x':
		return v->type == XR_STRING || v->type == XR_INT;
	case 'a':
		return v->type == XR_ARRAY;
	case 'S':
		return v->type == XR_STRUCT;
	default:
		return true;
	}
}

static bool
params_fit(struct rpc_ctx *c, const char *sig, const struct xr_value *p)
{
	const char *s = strchr(sig, ':') + 1;
	size_t need = strcspn(s, "|"), most = need;

	if (s[need] == '|')
		most += strlen(s + need + 1);
	if (p->n < need || p->n > most) {
		rpc_fault(c, FAULT_INCORRECT_PARAMETERS, NULL);
		return false;
	}
	for (size_t i = 0, k = 0; i < p->n; i++, k++) {
		if (s[k] == '|')
			k++;
		if (!type_fits(s[k], p->items[i])) {
			rpc_fault(c, FAULT_BAD_ARGUMENTS, NULL);
			return false;
		}
	}
	return true;
}

static const struct method *
method_find(const char *name)
{
	for (size_t i = 0; i < nitems(methods); i++)
		if (strcmp(methods[i].name, name) == 0)
			return &methods[i];
	return NULL;
}

struct xr_value *
rpc_call(struct rpc_ctx *c, const char *name, const struct xr_value *params)
{
	const struct method *m = method_find(name);

	c->fault = 0;
	if (m == NULL)
		return rpc_fault(c, FAULT_UNKNOWN_METHOD, NULL);
	if (!params_fit(c, m->sig, params))
		return NULL;
	return m->fn(c, params);
}

/* ---- system.* ---- */

static struct xr_value *
list_methods(struct rpc_ctx *c, const struct xr_value *p)
{
	struct xr_value *a = xr_array();

	(void)c;
	(void)p;
	for (size_t i = 0; i < nitems(methods); i++)
		xr_push(a, xr_str(methods[i].name));
	return a;
}

static struct xr_value *
method_help(struct rpc_ctx *c, const struct xr_value *p)
{
	const struct method *m = method_find(p->items[0]->s);

	if (m == NULL)
		return rpc_fault(c, FAULT_SIGNATURE_UNSUPPORTED, NULL);
	return xr_str(m->help);
}

static const char *
type_name(char t)
{
	switch (t) {
	case 's': return "string";
	case 'i': return "int";
	case 'b': return "boolean";
	case 'a': return "array";
	case 'S': return "struct";
	default: return "undef";
	}
}

static struct xr_value *
method_signature(struct rpc_ctx *c, const struct xr_value *p)
{
	const struct method *m = method_find(p->items[0]->s);
	struct xr_value *sig;

	if (m == NULL)
		return rpc_fault(c, FAULT_SIGNATURE_UNSUPPORTED, NULL);
	sig = xr_array();
	for (const char *s = m->sig; *s != '\0'; s++)
		if (*s != ':' && *s != '|')
			xr_push(sig, xr_str(type_name(*s)));
	/* supervisord's form: [result type, parameter types...]. */
	return sig;
}

static struct xr_value *
fault_struct(int code, const char *text)
{
	struct xr_value *f = xr_struct();

	xr_set(f, "faultCode", xr_int(code));
	xr_set(f, "faultString", xr_str(text));
	return f;
}

static struct xr_value *
multicall(struct rpc_ctx *c, const struct xr_value *p)
{
	const struct xr_value *calls = p->items[0];
	struct xr_value *out = xr_array(), *v;

	for (size_t i = 0; i < calls->n; i++) {
		const struct xr_value *name = xr_get(calls->items[i],
		    "methodName");
		const struct xr_value *args = xr_get(calls->items[i],
		    "params");
		if (name == NULL || name->type != XR_STRING) {
			xr_push(out, fault_struct(FAULT_INCORRECT_PARAMETERS,
			    "INCORRECT_PARAMETERS"));
			continue;
		}
		/* No multicall inside a multicall: no recursion to bound. */
		if (strcmp(name->s, "system.multicall") == 0) {
			xr_push(out, fault_struct(FAULT_INCORRECT_PARAMETERS,
			    "INCORRECT_PARAMETERS: Recursive system.multicall forbidden"));
			continue;
		}
		struct xr_value *none = NULL;
		if (args == NULL || args->type != XR_ARRAY)
			args = none = xr_array();
		v = rpc_call(c, name->s, args);
		xr_free(none);
		if (v == NULL) {
			xr_push(out, fault_struct(c->fault, c->fault_text));
			continue;
		}
		/* supervisord's form: the value itself, not [value]. */
		xr_push(out, v);
	}
	c->fault = 0;
	return out;
}
