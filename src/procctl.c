/*
 * procctl.c -- procctl's main: the command line (ctlargs.c), then one
 * command or the interactive shell (ctlrun.c).  Invoked as supervisorctl
 * it takes supervisorctl's options and behaves as it does.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "ctlargs.h"
#include "ctlcmds.h"
#include "ctlrun.h"
#include "proto.h"

static void
usage(enum ctl_persona p)
{
	if (p == CTL_SUPERVISORCTL) {
		printf(
"supervisorctl (procd's procctl) -- control the programs procd runs.\n"
"\n"
"Usage: supervisorctl [options] [action [arguments]]\n"
"\n"
"Options:\n"
"-c/--configuration FILENAME -- the config file (searched for if not given)\n"
"-h/--help -- this message\n"
"-i/--interactive -- the shell (also when no action is given)\n"
"-s/--serverurl URL -- where procd listens: unix:///PATH\n"
"-u/--username USERNAME -- accepted; procd checks a unix peer's credentials\n"
"-p/--password PASSWORD -- accepted; procd checks a unix peer's credentials\n"
"-r/--history-file FILE -- accepted (this shell keeps no history)\n"
"-v/--version -- procd's version\n"
"\n"
"Actions are commands like \"status\" or \"stop\"; \"help\" lists them and\n"
"\"help ACTION\" explains one.\n");
		return;
	}
	printf(
"usage: procctl [-c FILE] [-s SOCKET|unix://SOCKET|http://HOST:PORT]\n"
"               [-u USER] [-p PASSWORD] [--json] [-i]\n"
"               COMMAND [ARGS...] [-c FILE] [-s SOCKET] [--json]\n"
"       procctl -v|--version | -h|--help | help [COMMAND]\n"
"\n"
"commands (help COMMAND explains one):\n"
"  status [NAME|GROUP:*|all ...]   start NAME...|all\n"
"  stop NAME...|all                restart [--rolling] NAME...|all\n"
"  signal SIG NAME...|all          pid [NAME|all]\n"
"  tail [-f] [-N] NAME [stdout|stderr]\n"
"  maintail [-f] [-N]              clear NAME...|all\n"
"  wait [--timeout S] [NAME...]    add GROUP...   remove GROUP...\n"
"  reread   update [GROUP...|all]  reload   avail\n"
"  watch    version   shutdown     help [COMMAND]\n");
}

int
main(int argc, char **argv)
{
	enum ctl_persona persona = ctlargs_persona(argv[0]);
	struct ctlargs a;
	char *err, *status_argv[] = { "status", NULL };
	uint8_t flags = 0;
	int code;

	/* A write to a procd that hung up must fail, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if (ctlargs_parse(&a, persona, argc - 1, argv + 1, &err) == -1) {
		fprintf(stderr, "Error: %s\nFor help, use %s -h\n",
		    err ? err : "out of memory", argv[0]);
		free(err);
		return 2;
	}
	a.argv0 = argv[0];
	if (a.help && a.argc > 0) {
		char *topic[] = { "help", a.argv[0], NULL };
		code = ctlrun_command(&a, 2, topic, 0);
	} else if (a.help)
		usage(persona), code = 0;
	else if (a.version) {
		printf(persona == CTL_PROCCTL ? "procctl %s\n" : "%s\n",
		    PROCD_VERSION);
		code = 0;
	} else {
		if (a.json)
			flags |= PROTO_F_JSON;
		/* Colour only for a person at a terminal, and never with
		 * NO_COLOR (https://no-color.org: set to anything). */
		else if (isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL)
			flags |= PROTO_F_COLOR;
		if (a.argc > 0)
			code = ctlrun_command(&a, a.argc, a.argv, flags);
		else if (a.interactive || persona == CTL_SUPERVISORCTL)
			code = ctlrun_shell(&a, flags);
		else
			code = ctlrun_command(&a, 1, status_argv, flags);
	}
	ctlargs_free(&a);
	return code;
}
