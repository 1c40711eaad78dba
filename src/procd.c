/*
 * procd.c -- procd's main: arguments, then `check` or `start`.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "cfgglobal.h"
#include "config.h"
#include "log.h"
#include "reexec.h"
#include "server.h"
#include "svdargs.h"

static void __attribute__((noreturn))
usage(int code)
{
	FILE *f = code ? stderr : stdout;

	fprintf(f,
	    "usage: procd start [-c FILE] [-n|--foreground] [--pidfile PATH] "
	    "[--socket PATH]\n"
	    "       procd check [-c FILE]\n"
	    "       procd --version | --help\n");
	exit(code);
}

/* procd must never hand out 0-2 as its own descriptors: a child's dup2
 * onto them would then clobber ours. */
static void
ensure_stdio(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) != -1 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

static struct config *
load(const char *path, bool quiet_ok)
{
	struct diag_list diags = { 0 };
	struct config *cfg;
	char *found = NULL;

	if (path == NULL && (path = found = config_find_default()) == NULL) {
		fprintf(stderr, "procd: no config file: give -c FILE, set "
		    "$PROCD_CONFIG, or create ./procd.ini, /etc/procd.ini or "
		    "/etc/procd/procd.ini\n");
		exit(2);
	}
	cfg = config_load(path, &diags);
	diag_print(&diags, stderr);
	if (cfg == NULL) {
		fprintf(stderr, "procd: %s: %zu error%s\n", path,
		    diags.nerrors, diags.nerrors == 1 ? "" : "s");
		diag_free(&diags);
		free(found);
		exit(2);
	}
	if (!quiet_ok)
		printf("%s: ok (%zu program%s)\n", path, cfg->nprogs,
		    cfg->nprogs == 1 ? "" : "s");
	diag_free(&diags);
	free(found);
	return cfg;
}

static void
override(char **field, const char *value, const char *what)
{
	if (value == NULL)
		return;
	if (strcmp(what, "socket") == 0 &&
	    strlen(value) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		fprintf(stderr, "procd: --socket: path too long: %s\n", value);
		exit(2);
	}
	free(*field);
	if (value[0] == '/')
		*field = strdup(value);
	else {
		char cwd[4096];
		if (getcwd(cwd, sizeof cwd) == NULL ||
		    asprintf(field, "%s/%s", cwd, value) == -1)
			*field = NULL;
	}
	if (*field == NULL) {
		fprintf(stderr, "procd: --%s: out of memory\n", what);
		exit(1);
	}
}

/* Whether ARGV0's last component is NAME (a link named NAME to procd). */
static bool
invoked_as(const char *argv0, const char *name)
{
	const char *slash = strrchr(argv0, '/');

	return strcmp(slash != NULL ? slash + 1 : argv0, name) == 0;
}

/* procd run as `supervisord`: supervisord's command line, the same
 * start as `procd start` (daemonized unless -n or nodaemon=true). */
static int
main_supervisord(int argc, char **argv)
{
	/* Static: the config's command-line values live as long as procd. */
	static struct svdargs a;
	struct server_opts o = { 0 };
	struct config *cfg;
	char *cause = NULL;

	if (svdargs_parse(argc, argv, &a, &cause) == -1) {
		fprintf(stderr, "Error: %s\nFor help, use %s -h\n",
		    cause != NULL ? cause : "out of memory", argv[0]);
		exit(2);
	}
	if (a.action == SVDARGS_HELP) {
		svdargs_help(stdout, argv[0]);
		return 0;
	}
	if (a.action == SVDARGS_VERSION) {
		printf("%s\n", PROCD_VERSION);
		return 0;
	}
	for (size_t i = 0; i < a.nwarn; i++)
		fprintf(stderr, "supervisord: warning: %s\n", a.warn[i]);
	cfgglobal_set_cmdline(&a.cl);
	cfg = load(a.config, true);
	o.foreground = a.nodaemon || cfg->nodaemon;
	return server_run(cfg, &o);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'n' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "socket", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *pidfile = NULL, *sock = NULL, *verb;
	struct server_opts o = { 0 };
	struct config *cfg;
	int ch;

	ensure_stdio();
	log_init("procd");
	cfgglobal_set_host_checks(true);
	/* procctl reexec: the old image asks whether we can read its state,
	 * then becomes us with the command line it was started with. */
	if (argc == 3 && strcmp(argv[1], "__reexec-check") == 0)
		return rxresume_check_main(argv[2]);
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "__reexec") == 0 &&
	    rxresume_load(atoi(argv[2]), argc == 4 ? atoi(argv[3]) : -1,
	    &argc, &argv) == -1)
		return 1;
	reexec_init(argc, argv);
	if (argc > 0 && invoked_as(argv[0], "supervisord"))
		return main_supervisord(argc, argv);
	while ((ch = getopt_long(argc, argv, "c:nh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'n': o.foreground = true; break;
		case 'p': pidfile = optarg; break;
		case 's': sock = optarg; break;
		case 'V': printf("procd %s\n", PROCD_VERSION); return 0;
		case 'h': usage(0);
		default: usage(2);
		}
	}
	if (optind != argc - 1)
		usage(2);
	verb = argv[optind];
	if (strcmp(verb, "check") == 0) {
		config_free(load(path, false));
		return 0;
	}
	if (strcmp(verb, "start") != 0)
		usage(2);
	cfg = load(path, true);
	override(&cfg->pidfile, pidfile, "pidfile");
	override(&cfg->socket, sock, "socket");
	o.foreground = o.foreground || cfg->nodaemon;
	return server_run(cfg, &o);
}
