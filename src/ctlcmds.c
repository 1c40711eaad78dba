/*
 * ctlcmds.c -- the command table procctl checks a command line against
 * and takes its help from (ctlcmds.h).  The error lines and exit codes
 * for a wrong argument count are supervisorctl 4.x's, so a script that
 * matched them still does; the help texts are procctl's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctlcmds.h"

/* LSB init-script exit codes (supervisorctl's LSBInitExitStatuses). */
#define GENERIC		1
#define INVALID_ARGS	2

#define NAMES(verb, what)						\
	verb " <name>\t\t" what " a process\n"				\
	verb " <gname>:*\t\t" what " every process of a group\n"		\
	verb " <name> <name>\t" what " several processes or groups\n"	\
	verb " all\t\t" what " every process\n"

static const struct ctlcmd cmds[] = {
	{ "add", CTLCMD_REMOTE, 0, -1, 0, NULL, false,
	    "add <gname> [...]\tActivate groups added to the config file "
	    "(as update <gname>)\n" },
	{ "avail", CTLCMD_REMOTE, 0, 0, GENERIC, NULL, false,
	    "avail\t\t\tList the config file's programs, in use or not\n" },
	{ "clear", CTLCMD_REMOTE, 1, -1, GENERIC,
	    "Error: clear requires a process name", false,
	    "clear <name>\t\tEmpty a process's log files\n"
	    "clear <name> <name>\tEmpty several processes' log files\n"
	    "clear all\t\tEmpty every process's log files\n" },
	{ "exit", CTLCMD_LOCAL, 0, -1, 0, NULL, false,
	    "exit\tLeave the interactive shell.\n" },
	{ "fg", CTLCMD_UNSUPPORTED, 0, -1, 0, NULL, false, NULL },
	{ "help", CTLCMD_LOCAL, 0, -1, 0, NULL, false,
	    "help\t\tList the commands\n"
	    "help <command>\tExplain <command>\n" },
	{ "maintail", CTLCMD_REMOTE, 0, -1, 0, NULL, false,
	    "maintail -f\tFollow procd's own log (Ctrl-C to stop)\n"
	    "maintail -100\tThe last 100 bytes of procd's log\n"
	    "maintail\t\tThe last 1600 bytes of procd's log\n" },
	{ "open", CTLCMD_UNSUPPORTED, 0, -1, 0, NULL, false, NULL },
	{ "pid", CTLCMD_REMOTE, 0, -1, 0, NULL, false,
	    "pid\t\t\tprocd's own pid\n"
	    "pid <name>\t\tThe pid of a process\n"
	    "pid all\t\t\tThe pid of every process, one a line\n" },
	{ "quit", CTLCMD_LOCAL, 0, -1, 0, NULL, false,
	    "quit\tLeave the interactive shell.\n" },
	{ "reexec", CTLCMD_REMOTE, 0, 0, GENERIC, NULL, false,
	    "reexec \t\tRun procd's binary from disk again (after an "
	    "upgrade); every program keeps running\n" },
	{ "reload", CTLCMD_REMOTE, 0, 0, GENERIC, NULL, false,
	    "reload \t\tStop everything and run the config file afresh\n" },
	{ "remove", CTLCMD_REMOTE, 0, -1, 0, NULL, false,
	    "remove <gname> [...]\tRemove stopped groups from what procd "
	    "runs\n" },
	{ "reread", CTLCMD_REMOTE, 0, 0, GENERIC, NULL, false,
	    "reread \t\t\tRead the config file again and say what changed "
	    "(nothing is applied)\n" },
	{ "restart", CTLCMD_REMOTE, 1, -1, GENERIC,
	    "Error: restart requires a process name", false,
	    NAMES("restart", "Restart")
	    "restart --rolling <gname>:*\tone at a time, each RUNNING before "
	    "the next\n"
	    "Note: restart does not read the config file; see reread and "
	    "update.\n" },
	{ "shutdown", CTLCMD_REMOTE, 0, 0, GENERIC, NULL, false,
	    "shutdown \tStop every process, then procd\n" },
	{ "signal", CTLCMD_REMOTE, 2, -1, GENERIC,
	    "Error: signal requires a signal name and a process name", false,
	    "signal <signal name> <name>\t\tSend a signal to a process\n"
	    "signal <signal name> <gname>:*\t\tto every process of a group\n"
	    "signal <signal name> <name> <name>\tto several processes or "
	    "groups\n"
	    "signal <signal name> all\t\tto every process\n" },
	{ "start", CTLCMD_REMOTE, 1, -1, INVALID_ARGS,
	    "Error: start requires a process name", false,
	    NAMES("start", "Start")
	    "start --no-wait <name>\tanswer once spawned, not when RUNNING\n" },
	{ "status", CTLCMD_REMOTE, 0, -1, 0, NULL, true,
	    "status <name>\t\tThe state of a process\n"
	    "status <gname>:*\tThe state of every process of a group\n"
	    "status <name> <name>\tThe state of several processes\n"
	    "status\t\t\tThe state of every process\n" },
	{ "stop", CTLCMD_REMOTE, 1, -1, GENERIC,
	    "Error: stop requires a process name", false,
	    NAMES("stop", "Stop")
	    "stop --no-wait <name>\tanswer once the stop signal is sent\n" },
	{ "tail", CTLCMD_REMOTE, 1, 3, GENERIC, "Error: too few arguments",
	    false,
	    "tail [-f] <name> [stdout|stderr] (default stdout)\n"
	    "tail -f <name>\t\tFollow a process's stdout (Ctrl-C to stop)\n"
	    "tail -100 <name>\tThe last 100 *bytes* of its stdout\n"
	    "tail <name> stderr\tThe last 1600 *bytes* of its stderr\n" },
	{ "update", CTLCMD_REMOTE, 0, -1, 0, NULL, false,
	    "update\t\t\tRead the config file and apply it: start the added, "
	    "stop the removed, restart the changed\n"
	    "update all\t\tThe same\n"
	    "update <gname> [...]\tOnly for these groups\n" },
	{ "version", CTLCMD_REMOTE, 0, 0, GENERIC, NULL, false,
	    "version\t\t\tprocd's version\n" },
	{ "wait", CTLCMD_REMOTE, 0, -1, 0, NULL, true,
	    "wait [--timeout S] [<name>|<gname>:*|all ...]\n"
	    "\t\t\tUntil every named process is RUNNING (ready); no name: "
	    "every autostart process.\n"
	    "\t\t\tExit 0 once they are, 1 as soon as one is FATAL, 3 when "
	    "S seconds (default 60; 0: no limit) pass first.\n" },
	{ "watch", CTLCMD_REMOTE, 0, 0, GENERIC, NULL, false,
	    "watch\t\t\tPrint every state change as it happens (Ctrl-C to "
	    "stop)\n" },
};

const struct ctlcmd *
ctlcmds_find(const char *name)
{
	/* The shell's ^D, as Python's cmd module spells it. */
	if (strcmp(name, "EOF") == 0)
		name = "quit";
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

int
ctlcmds_check(const struct ctlcmd *c, int argc, char **argv, struct buf *out)
{
	int nargs = argc - 1;

	(void)argv;
	if (nargs < c->min && c->few != NULL)
		buf_addf(out, "%s\n", c->few);
	else if (c->max != -1 && nargs > c->max && c->max == 0)
		buf_addf(out, "Error: %s accepts no arguments\n", c->name);
	else if (c->max != -1 && nargs > c->max)
		buf_addstr(out, "Error: too many arguments\n");
	else
		return -1;
	if (c->help != NULL)
		buf_addstr(out, c->help);
	return c->code;
}

/* Python's cmd.Cmd.columnize: the fewest rows that fit WIDTH columns,
 * two spaces between columns, each padded to its widest word. */
static void
columnize(const char *const *w, size_t n, size_t width, struct buf *out)
{
	size_t rows, cols, colw[64], total = 0;

	for (rows = 1; rows <= n; rows++) {
		cols = (n + rows - 1) / rows;
		total = 0;
		for (size_t c = 0; c < cols && c < 64; c++) {
			colw[c] = 0;
			for (size_t r = 0; r < rows && c * rows + r < n; r++)
				if (strlen(w[c * rows + r]) > colw[c])
					colw[c] = strlen(w[c * rows + r]);
			total += colw[c] + (c ? 2 : 0);
		}
		if (total <= width && cols <= 64)
			break;
	}
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c * rows + r < n; c++)
			buf_addf(out, "%s%-*s", c ? "  " : "", (int)colw[c],
			    w[c * rows + r]);
		buf_addstr(out, "\n");
	}
}

void
ctlcmds_help(const char *topic, struct buf *out)
{
	const char *names[sizeof cmds / sizeof cmds[0]];
	const struct ctlcmd *c;
	const char *header = "default commands (type help <topic>):";
	size_t n = 0;

	if (topic != NULL) {
		if ((c = ctlcmds_find(topic)) != NULL && c->help != NULL &&
		    strcmp(topic, "EOF") != 0)
			buf_addstr(out, c->help);
		else
			buf_addf(out, "*** No help on %s\n", topic);
		return;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (cmds[i].help != NULL && strcmp(cmds[i].name, "help") != 0)
			names[n++] = cmds[i].name;
	buf_addf(out, "\n%s\n", header);
	for (size_t i = 0; i < strlen(header); i++)
		buf_addstr(out, "=");
	buf_addstr(out, "\n");
	columnize(names, n, 79, out);
	buf_addstr(out, "\n");
}
