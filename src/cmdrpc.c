/*
 * cmdrpc.c -- rpcinfo [NAME...]: what the gateway makes getProcessInfo
 * and getAllProcessInfo of, one line a process and nothing more, so that
 * 1,000 processes cost procd and the gateway little (status --json has
 * twice the fields, and a JSON tree to build on the other side).
 *
 * Each line holds eleven fields separated by tabs: process name, group,
 * start, stop (wall clock seconds), state name, spawn error, exit status
 * (0 unless it exited), pid, description, stdout's and stderr's log file
 * ("" for none).  In the text fields a
 * backslash, a tab and a newline are written \\, \t and \n; the gateway
 * undoes that, and makes whatever else the text holds valid XML itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "cmdint.h"
#include "config.h"
#include "control.h"
#include "proc.h"
#include "render.h"
#include "sup.h"

/* TEXT with the three framing characters escaped, then SEP. */
static void
rpcinfo_text(struct buf *b, const char *text, char sep)
{
	const char *s = text != NULL ? text : "";

	for (;;) {
		size_t run = strcspn(s, "\\\t\n");
		buf_add(b, s, run);
		s += run;
		if (*s == '\0')
			break;
		buf_add(b, *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : "\\n", 2);
		s++;
	}
	buf_add(b, &sep, 1);
}

static void
rpcinfo_line(struct buf *b, const struct render_row *r, int64_t now_mono,
    time_t now_wall)
{
	const struct process *p = r->p;
	bool exited = p->spawns > 0 && p->pid == 0 && !p->exec_failed &&
	    WIFEXITED(p->wstatus);
	char desc[256];

	render_description(r, now_mono, now_wall, desc, sizeof desc);
	rpcinfo_text(b, p->cfg->name, '\t');
	rpcinfo_text(b, p->cfg->group, '\t');
	buf_addf(b, "%lld\t%lld\t%s\t", (long long)p->start_wall,
	    (long long)p->stop_wall, proc_state_name(p->state));
	rpcinfo_text(b, p->spawnerr, '\t');
	buf_addf(b, "%d\t%ld\t", exited ? WEXITSTATUS(p->wstatus) : 0,
	    (long)p->pid);
	rpcinfo_text(b, desc, '\t');
	rpcinfo_text(b, sup_log_path(p, false), '\t');
	rpcinfo_text(b, sup_log_path(p, true), '\n');
}

void
cmd_rpcinfo(struct client *c, int argc, char **argv)
{
	struct process **ps;
	struct render_row row;
	int64_t now_mono = clock_now();
	time_t now_wall = time(NULL);
	struct buf b;
	size_t n;
	int code;

	code = cmd_resolve_args(c, argc, argv, &ps, &n);
	buf_init(&b);
	buf_reserve(&b, 160 * (n + 1));
	for (size_t i = 0; i < n && code == EXIT_OK; i++) {
		cmd_status_row(ps[i], &row);
		rpcinfo_line(&b, &row, now_mono, now_wall);
	}
	client_out(c, b.data ? b.data : "", b.len);
	buf_free(&b);
	free(ps);
	client_end(c, code);
}
