/*
 * cmd.c -- the procctl commands: dispatch (only status and pid while procd
 * shuts down or reloads), name resolution, and the commands that answer at
 * once (status, signal, pid, version, shutdown).  start/stop/restart are in
 * cmdjob.c, tail/maintail/clear/logread/mainclear in cmdlog.c, stdin
 * and commevent in cmdsend.c, reread/update/reload/avail/
 * add/remove in cmdconf.c, watch in cmdwatch.c, wait in cmdwait.c;
 * cmd_observe, cmd_forget, cmd_settled and cmd_client_gone pass the
 * process table's and the transport's events on to them.  JSON is written with json.h.
 *
 * Output and exit codes follow supervisorctl 4.x (CONTRACT §4).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "cmd.h"
#include "cmdint.h"
#include "cfgval.h"
#include "config.h"
#include "evbus.h"
#include "health.h"
#include "json.h"
#include "control.h"
#include "log.h"
#include "logstream.h"
#include "proc.h"
#include "reexec.h"
#include "render.h"
#include "selfstat.h"
#include "sup.h"

static struct cmd_hooks hooks;

void
cmd_init(const struct cmd_hooks *h)
{
	hooks = *h;
	cmdwait_init(h->loop);
}

/* Split "group:name"; "group:*" and "group:" mean the whole group. */
static bool
spec_is_group(const char *spec, size_t *glen)
{
	const char *colon = strchr(spec, ':');

	if (colon == NULL || (colon[1] != '\0' && strcmp(colon + 1, "*") != 0))
		return false;
	*glen = (size_t)(colon - spec);
	return true;
}

/*
 * Append to OUT the processes SPEC names ("all", "g:*", "g:n", "n").
 * Returns how many matched.
 */
size_t
cmd_resolve_one(const char *spec, struct process ***out, size_t *n)
{
	size_t glen, before = *n;
	struct process *p;

	for (size_t i = 0; i < sup_count(); i++) {
		p = sup_at(i);
		if (strcmp(spec, "all") == 0 || (spec_is_group(spec, &glen) &&
		    strncmp(p->cfg->group, spec, glen) == 0 &&
		    p->cfg->group[glen] == '\0')) {
			if ((*out = reallocarray(*out, *n + 1, sizeof **out))
			    == NULL)
				fatal("reallocarray");
			(*out)[(*n)++] = p;
		}
	}
	if (*n > before || strcmp(spec, "all") == 0)
		return *n - before;
	if ((p = sup_find(spec)) == NULL)
		return 0;
	if ((*out = reallocarray(*out, *n + 1, sizeof **out)) == NULL)
		fatal("reallocarray");
	(*out)[(*n)++] = p;
	return 1;
}

/* Resolve every name; unknown ones are reported with supervisorctl's
 * line.  Returns false if any was unknown. */
bool
cmd_resolve(struct client *c, int argc, char **argv, struct process ***out,
    size_t *n)
{
	bool ok = true;

	*out = NULL;
	*n = 0;
	for (int i = 0; i < argc; i++) {
		if (cmd_resolve_one(argv[i], out, n) == 0 &&
		    strcmp(argv[i], "all") != 0) {
			/* With --json, stdout must stay one JSON document. */
			if (client_json(c))
				client_errf(c, "%s: ERROR (no such process)\n",
				    argv[i]);
			else
				client_outf(c, "%s: ERROR (no such process)\n",
				    argv[i]);
			ok = false;
		}
	}
	return ok;
}

void
cmd_log_request(struct client *c, int argc, char **argv)
{
	struct buf b;

	buf_init(&b);
	for (int i = 0; i < argc; i++)
		buf_addf(&b, "%s%s", i ? " " : "", argv[i]);
	log_info("control: uid %ld pid %ld asked: %s", (long)client_uid(c),
	    (long)client_pid(c), b.data);
	buf_free(&b);
}

void
cmd_status_row(struct process *p, struct render_row *r)
{
	*r = (struct render_row){ p, sup_name(p), sup_lost_bytes(p), { NULL },
	    0, sup_status_text(p), health_info(p), evbus_listener_state(p) };
	r->nwaiting = sup_waiting_for(p, r->waiting, RENDER_WAITING_MAX);
}

int
cmd_resolve_args(struct client *c, int argc, char **argv,
    struct process ***out, size_t *n)
{
	char *all[] = { "all" };

	if (argc == 1) {
		cmd_resolve(c, 1, all, out, n);
		return EXIT_OK;
	}
	return cmd_resolve(c, argc - 1, argv + 1, out, n) ? EXIT_OK :
	    EXIT_UNKNOWN;
}

static void
cmd_status(struct client *c, int argc, char **argv)
{
	struct process **ps;
	struct render_row *rows;
	struct buf b;
	size_t n;
	int code;

	code = cmd_resolve_args(c, argc, argv, &ps, &n);
	if ((rows = calloc(n ? n : 1, sizeof *rows)) == NULL)
		fatal("calloc");
	for (size_t i = 0; i < n; i++) {
		cmd_status_row(ps[i], &rows[i]);
		if (!proc_is_active(ps[i]->state) && code == EXIT_OK)
			code = EXIT_NOT_RUNNING;
	}
	buf_init(&b);
	if (client_json(c))
		render_status_json(&b, rows, n, clock_now(), time(NULL));
	else
		render_status_text(&b, rows, n, clock_now(), time(NULL),
		    client_color(c));
	client_out(c, b.data ? b.data : "", b.len);
	buf_free(&b);
	free(rows);
	free(ps);
	client_end(c, code);
}

static void
cmd_signal(struct client *c, int argc, char **argv)
{
	struct process **ps;
	size_t n;
	int signo, code = EXIT_OK;
	char *cause = NULL;

	if (argc < 3) {
		client_errf(c, "Error: signal requires a signal name and a "
		    "process name\n");
		client_end(c, EXIT_USAGE);
		return;
	}
	/* The names stopsignal= takes: one parser, one accepted set. */
	if (cfgval_signal(argv[1], &signo, &cause) == -1) {
		free(cause);
		client_outf(c, "ERROR: bad signal name '%s'\n", argv[1]);
		client_end(c, EXIT_GENERIC);
		return;
	}
	cmd_log_request(c, argc, argv);
	if (!cmd_resolve(c, argc - 2, argv + 2, &ps, &n))
		code = EXIT_GENERIC;
	for (size_t i = 0; i < n; i++) {
		if (sup_signal(ps[i], signo) == 0) {
			client_outf(c, "%s: signalled\n", sup_name(ps[i]));
			continue;
		}
		client_outf(c, "%s: ERROR (not running)\n", sup_name(ps[i]));
		code = EXIT_DEAD;
	}
	free(ps);
	client_end(c, code);
}

/* JSON: {"pid":N, ...selfstat.h} for procd; [{"name":..,"pid":N}|{"name":..,"error":..}]. */
static void
cmd_pid_json(int argc, char **argv, struct buf *b)
{
	struct process **ps;
	struct json j;
	size_t n;

	json_init(&j, b);
	if (argc == 1) {
		json_object_begin(&j);
		json_kint(&j, "pid", getpid());
		selfstat_json(&j);
		json_object_end(&j);
		buf_addstr(b, "\n");
		return;
	}
	json_array_begin(&j);
	for (int i = 1; i < argc; i++) {
		ps = NULL;
		n = 0;
		if (cmd_resolve_one(argv[i], &ps, &n) == 0 &&
		    strcmp(argv[i], "all") != 0) {
			json_object_begin(&j);
			json_kstr(&j, "name", argv[i]);
			json_kstr(&j, "error", "no such process");
			json_object_end(&j);
		}
		for (size_t k = 0; k < n; k++) {
			json_object_begin(&j);
			json_kstr(&j, "name", sup_name(ps[k]));
			json_kint(&j, "pid", ps[k]->pid);
			json_object_end(&j);
		}
		free(ps);
	}
	json_array_end(&j);
	buf_addstr(b, "\n");
}

static void
cmd_pid(struct client *c, int argc, char **argv)
{
	struct process **ps;
	struct buf b;
	size_t n;
	int code = EXIT_OK;

	buf_init(&b);
	for (int i = 1; i < argc; i++) {
		ps = NULL;
		n = 0;
		if (cmd_resolve_one(argv[i], &ps, &n) == 0 &&
		    strcmp(argv[i], "all") != 0) {
			if (!client_json(c))
				buf_addf(&b, "No such process %s\n", argv[i]);
			code = EXIT_GENERIC;
		}
		for (size_t k = 0; k < n && !client_json(c); k++)
			buf_addf(&b, "%ld\n", (long)ps[k]->pid);
		free(ps);
	}
	if (argc == 1 && !client_json(c))
		buf_addf(&b, "%ld\n", (long)getpid());
	if (client_json(c))
		cmd_pid_json(argc, argv, &b);
	client_out(c, b.data ? b.data : "", b.len);
	buf_free(&b);
	client_end(c, code);
}

static void
cmd_version(struct client *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	client_outf(c, "%s\n", PROCD_VERSION);
	client_end(c, EXIT_OK);
}

static void
cmd_shutdown(struct client *c, int argc, char **argv)
{
	cmd_log_request(c, argc, argv);
	client_outf(c, "Shut down\n");
	client_end(c, EXIT_OK);
	hooks.shutdown();
}

/* Answered by the new image, or here with why it was not done. */
static void
cmd_reexec(struct client *c, int argc, char **argv)
{
	cmd_log_request(c, argc, argv);
	reexec_request(c);
}

static const struct {
	const char	*name;
	void		(*fn)(struct client *, int, char **);
} commands[] = {
	{ "status", cmd_status },
	{ "start", cmd_start },
	{ "stop", cmd_stop },
	{ "restart", cmd_restart },
	{ "signal", cmd_signal },
	{ "pid", cmd_pid },
	{ "tail", cmd_tail },
	{ "maintail", cmd_maintail },
	{ "watch", cmd_watch },
	{ "clear", cmd_clear },
	{ "logread", cmd_logread },
	{ "mainclear", cmd_mainclear },
	{ "stdin", cmd_stdin },
	{ "rpcinfo", cmd_rpcinfo },
	{ "commevent", cmd_commevent },
	{ "avail", cmd_avail },
	{ "add", cmd_add },
	{ "remove", cmd_remove },
	{ "wait", cmd_wait },
	{ "reread", cmd_reread },
	{ "update", cmd_update },
	{ "reload", cmd_reload },
	{ "version", cmd_version },
	{ "shutdown", cmd_shutdown },
	{ "reexec", cmd_reexec },
};

void
cmd_dispatch(struct client *c, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].name) == 0) {
			if (sup_shutting_down() &&
			    commands[i].fn != cmd_status &&
			    commands[i].fn != cmd_rpcinfo &&
			    commands[i].fn != cmd_pid) {
				client_outf(c, "ERROR: procd is %s\n",
				    sup_reloading() ? "reloading" :
				    "shutting down");
				client_end(c, EXIT_GENERIC);
				return;
			}
			commands[i].fn(c, argc, argv);
			return;
		}
	}
	client_outf(c, "*** Unknown syntax: %s\n", argv[0]);
	client_end(c, EXIT_USAGE);
}

void
cmd_observe(struct process *p, enum proc_state old, enum proc_state new)
{
	cmdwatch_observe(p, old, new);
	cmdjob_observe(p, new);
	cmdwait_observe(p);
}

void
cmd_forget(struct process *p)
{
	cmdjob_forget(p);
	cmdwait_forget(p);
}

void
cmd_settled(void)
{
	cmdconf_settled();
}

void
cmd_client_gone(struct client *c)
{
	cmdjob_client_gone(c);
	cmdconf_client_gone(c);
	cmdlog_client_gone(c);
	cmdwatch_client_gone(c);
	cmdwait_client_gone(c);
}
