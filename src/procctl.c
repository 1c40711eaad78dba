/*
 * procctl.c -- procctl's main: options, finding the socket, one call.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctlconn.h"
#include "config.h"
#include "proto.h"

/* supervisorctl's exit codes when procd cannot be reached. */
#define EXIT_STATUS_UNREACHABLE	4
#define EXIT_ACTION_UNREACHABLE	7

static void __attribute__((noreturn))
usage(int code)
{
	FILE *f = code ? stderr : stdout;

	fprintf(f,
	    "usage: procctl [-c FILE] [-s SOCKET] [--json] COMMAND [ARGS...]\n"
	    "       procctl --version | --help\n"
	    "\n"
	    "commands:\n"
	    "  status [NAME|GROUP:*|all ...]   start NAME...|all\n"
	    "  stop NAME...|all                restart [--rolling] NAME...|all\n"
	    "  signal SIG NAME...|all          pid [NAME|all]\n"
	    "  tail [-f] [-N] NAME [stdout|stderr]\n"
	    "  maintail [-f] [-N]              clear NAME...|all\n"
	    "  reread   update [GROUP...|all]  reload   avail\n"
	    "  watch    version   shutdown\n");
	exit(code);
}

/* -s, $PROCD_SOCKET, the config's socket, the default path. */
static char *
find_socket(const char *opt, const char *cfgpath)
{
	struct diag_list diags = { 0 };
	struct config *cfg;
	char *found = NULL, *sock = NULL;
	const char *env = getenv("PROCD_SOCKET");

	if (opt != NULL)
		return strdup(opt);
	if (env != NULL && *env != '\0')
		return strdup(env);
	if (cfgpath == NULL)
		cfgpath = found = config_find_default();
	if (cfgpath != NULL) {
		if ((cfg = config_load(cfgpath, &diags)) == NULL) {
			diag_print(&diags, stderr);
			fprintf(stderr, "procctl: cannot read %s (give the "
			    "socket with -s)\n", cfgpath);
			exit(2);
		}
		sock = strdup(cfg->ctl_socket ? cfg->ctl_socket : cfg->socket);
		config_free(cfg);
		diag_free(&diags);
	}
	free(found);
	return sock != NULL ? sock : config_default_socket();
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cfgpath = NULL, *sockopt = NULL;
	char *status_argv[] = { "status", NULL }, *sock;
	uint8_t flags = 0;
	int ch, fd, code;
	bool is_status;

	/* A write to a procd that hung up must fail, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	/* '+': options stop at the command, so `tail -f` reaches procd. */
	while ((ch = getopt_long(argc, argv, "+c:s:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': cfgpath = optarg; break;
		case 's': sockopt = optarg; break;
		case 'j': flags |= PROTO_F_JSON; break;
		case 'V': printf("procctl %s\n", PROCD_VERSION); return 0;
		case 'h': usage(0);
		default: usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		argc = 1;
		argv = status_argv;
	}
	if (strcmp(argv[0], "help") == 0)
		usage(0);
	is_status = strcmp(argv[0], "status") == 0;
	/* Colour only for a person at a terminal, and never with NO_COLOR
	 * (https://no-color.org: set to anything). */
	if (isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL &&
	    (flags & PROTO_F_JSON) == 0)
		flags |= PROTO_F_COLOR;
	sock = find_socket(sockopt, cfgpath);
	if (sock == NULL || (fd = ctlconn_connect(sock)) == -1) {
		fprintf(stderr, "procctl: cannot reach procd at %s: %s\n",
		    sock ? sock : "(no socket)", strerror(errno));
		free(sock);
		return is_status ? EXIT_STATUS_UNREACHABLE :
		    EXIT_ACTION_UNREACHABLE;
	}
	code = ctlconn_call(fd, argc, argv, flags);
	free(sock);
	if (code == -1)
		return is_status ? EXIT_STATUS_UNREACHABLE :
		    EXIT_ACTION_UNREACHABLE;
	return code;
}
