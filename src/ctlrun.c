/*
 * ctlrun.c -- procctl running command lines (ctlrun.h): what procctl
 * answers itself, finding the socket once, one connection per command,
 * and the interactive shell.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "ctlargs.h"
#include "ctlcmds.h"
#include "ctlconn.h"
#include "ctlfind.h"
#include "ctlhttp.h"
#include "ctlrun.h"

/* supervisorctl's LSB exit codes (LSBInitExitStatuses and
 * LSBStatusExitStatuses). */
#define EXIT_GENERIC		1
#define EXIT_USAGE		2
#define EXIT_UNIMPLEMENTED	3
#define EXIT_STATUS_UNKNOWN	4
#define EXIT_NO_PRIVILEGES	4
#define EXIT_NOT_RUNNING	7

/* The socket (or http:// URL), looked for once (its warnings printed
 * once); the config's credentials for a URL it names. */
static char	*sock;
static char	*sock_cause;
static int	 sock_usage;
static bool	 sock_tried;
static char	*cfg_user, *cfg_pass;
/* sock as it may be shown: a URL without its credentials. */
static char	 url_shown[CTLHTTP_HOST_MAX + 32];
static const char *sock_shown;

static const char *
ctl_name(const struct ctlargs *a)
{
	return a->persona == CTL_SUPERVISORCTL ? "supervisorctl" : "procctl";
}

/* Where the errors procctl finds itself go: supervisorctl prints them on
 * stdout; procctl keeps stdout for answers. */
static FILE *
ctl_errout(const struct ctlargs *a)
{
	return a->persona == CTL_SUPERVISORCTL ? stdout : stderr;
}

/* Is the server S an http:// (or https://) URL? */
static bool
is_http(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

static void
find_socket(const struct ctlargs *a)
{
	if (sock_tried)
		return;
	sock_tried = true;
	sock = ctlfind_socket(a, &sock_cause, &sock_usage, &cfg_user,
	    &cfg_pass);
	sock_shown = sock;
	if (sock != NULL && is_http(sock)) {
		ctlhttp_url_show(sock, url_shown, sizeof url_shown);
		sock_shown = url_shown;
	}
	if (sock != NULL && (a->username != NULL || a->password != NULL) &&
	    !is_http(sock))
		fprintf(stderr, "%s: warning: -u/-p are not used on a unix "
		    "socket (procd checks the peer's credentials)\n",
		    ctl_name(a));
}

/* procd cannot be reached: say so, and the exit code for it. */
static int
unreachable(const struct ctlargs *a, const struct ctlcmd *c, int err)
{
	const char *scheme = is_http(sock) ? "" : "unix://";
	bool status = c->status_like;

	if (a->persona == CTL_PROCCTL) {
		fprintf(stderr, "procctl: cannot reach procd at %s: %s\n",
		    sock_shown, strerror(err));
		return status ? EXIT_STATUS_UNKNOWN : EXIT_NOT_RUNNING;
	}
	/* supervisorctl's upcheck: the URL, then what went wrong */
	if (err == ENOENT)
		printf("%s%s no such file\n", scheme, sock_shown);
	else if (err == ECONNREFUSED)
		printf("%s%s refused connection\n", scheme, sock_shown);
	else
		printf("%s%s: %s\n", scheme, sock_shown, strerror(err));
	if (status)
		return EXIT_STATUS_UNKNOWN;
	return err == ENOENT ? EXIT_NOT_RUNNING : err == ECONNREFUSED ?
	    EXIT_NO_PRIVILEGES : EXIT_GENERIC;
}

/* The command over HTTP: -u/-p, else the URL's or the config's login. */
static int
run_http(const struct ctlargs *a, const struct ctlcmd *c, int argc,
    char **argv, uint8_t flags)
{
	const char *user = a->username, *pass = a->password;
	int code;

	if (user == NULL && cfg_user != NULL) {
		user = cfg_user;
		pass = pass != NULL ? pass : cfg_pass;
	}
	code = ctlhttp_call(sock, user, pass, argc, argv, flags);
	switch (code) {
	case CTLHTTP_UNREACHABLE:
		return unreachable(a, c, errno);
	case CTLHTTP_REFUSED:
		return EXIT_USAGE;
	case CTLHTTP_DENIED:
		return EXIT_GENERIC;
	case CTLHTTP_NO_PROCD:
	case CTLHTTP_BROKEN:
		return c->status_like ? EXIT_STATUS_UNKNOWN : EXIT_NOT_RUNNING;
	}
	return code;
}

static int
run_remote(const struct ctlargs *a, const struct ctlcmd *c, int argc,
    char **argv, uint8_t flags)
{
	int fd, code;

	find_socket(a);
	if (sock == NULL) {
		if (sock_usage) {
			fprintf(stderr, "Error: %s\nFor help, use %s -h\n",
			    sock_cause ? sock_cause : "out of memory",
			    a->argv0);
			return EXIT_USAGE;
		}
		fprintf(stderr, "%s: %s\n", ctl_name(a),
		    sock_cause ? sock_cause : "out of memory");
		return c->status_like ? EXIT_STATUS_UNKNOWN : EXIT_NOT_RUNNING;
	}
	if (is_http(sock))
		return run_http(a, c, argc, argv, flags);
	if ((fd = ctlconn_connect(sock)) == -1)
		return unreachable(a, c, errno);
	code = ctlconn_call(fd, argc, argv, flags);
	close(fd);
	if (code == -1)
		return c->status_like ? EXIT_STATUS_UNKNOWN : EXIT_NOT_RUNNING;
	return code;
}

int
ctlrun_command(const struct ctlargs *a, int argc, char **argv, uint8_t flags)
{
	const struct ctlcmd *c = ctlcmds_find(argv[0]);
	struct buf out;
	int code;

	if (c == NULL) {
		printf("*** Unknown syntax:");
		for (int i = 0; i < argc; i++)
			printf(" %s", argv[i]);
		printf("\n");
		return EXIT_GENERIC;
	}
	buf_init(&out);
	if ((code = ctlcmds_check(c, argc, argv, &out)) != -1) {
		fwrite(out.data, 1, out.len, ctl_errout(a));
		buf_free(&out);
		return code;
	}
	switch (c->where) {
	case CTLCMD_LOCAL:
		if (strcmp(c->name, "help") == 0) {
			ctlcmds_help(argc > 1 ? argv[1] : NULL, &out);
			fwrite(out.data, 1, out.len, stdout);
		} else
			printf("\n");	/* quit, exit: as the shell's ^D */
		buf_free(&out);
		return 0;
	case CTLCMD_UNSUPPORTED:
		fprintf(ctl_errout(a), "Error: %s is not supported by procctl"
		    "%s\n", c->name, strcmp(c->name, "fg") == 0 ?
		    " (use tail -f NAME)" : "");
		buf_free(&out);
		return EXIT_UNIMPLEMENTED;
	case CTLCMD_REMOTE:
		break;
	}
	buf_free(&out);
	/* supervisorctl: add/remove with no names ask nothing */
	if (argc == 1 && (strcmp(c->name, "add") == 0 ||
	    strcmp(c->name, "remove") == 0))
		return 0;
	return run_remote(a, c, argc, argv, flags);
}

int
ctlrun_shell(const struct ctlargs *a, uint8_t flags)
{
	const char *prompt = a->persona == CTL_SUPERVISORCTL ?
	    "supervisor> " : "procctl> ";
	char *status[] = { "status", NULL }, *line = NULL, **w;
	size_t cap = 0;
	int n;

	ctlrun_command(a, 1, status, flags);
	for (;;) {
		fputs(prompt, stdout);
		fflush(stdout);
		if (getline(&line, &cap, stdin) == -1) {
			printf("\n");
			break;
		}
		/* Python's cmd: "?x" is "help x" */
		if ((w = ctlargs_split(line[0] == '?' ? line + 1 : line, &n))
		    == NULL)
			break;
		if (line[0] == '?' || n > 0) {
			if (line[0] == '?') {
				char **h = calloc((size_t)n + 2, sizeof *h);
				if (h == NULL)
					break;
				h[0] = strdup("help");
				memcpy(h + 1, w, (size_t)n * sizeof *w);
				free(w);
				w = h;
				n++;
			}
			if (strcmp(w[0], "quit") == 0 ||
			    strcmp(w[0], "exit") == 0 ||
			    strcmp(w[0], "EOF") == 0) {
				printf("\n");
				ctlargs_words_free(w);
				break;
			}
			ctlrun_command(a, n, w, flags);
			fflush(stdout);
		}
		ctlargs_words_free(w);
	}
	free(line);
	return 0;
}
