/*
 * fuzz_args.c -- the command lines procd and procctl take from whoever
 * runs them, and the config scan procctl uses to find the socket even in
 * a broken file: svdargs_parse (procd invoked as supervisord),
 * ctlargs_parse (procctl and supervisorctl), ctlargs_split/words (the
 * re-joined command words), ctlargs_url (-s) and ctlfind_scan.
 *
 * The first byte picks the parser.  For the command lines the rest is
 * split at NUL bytes into argv; for the scan it is the file's text.
 * Checked besides survival: every failure has a cause; a parsed command
 * is a NULL-terminated vector of ARGC words; splitting the words joined
 * back gives the same number of words; a socket found is an absolute
 * path with the line it came from.
 */
#include <stdio.h>
#include <string.h>

#include "ctlargs.h"
#include "ctlfind.h"
#include "fuzz.h"
#include "svdargs.h"

#define FUZZ_ARGS_MAX	64

enum fuzz_args_kind {
	FUZZ_ARGS_SUPERVISORD,
	FUZZ_ARGS_PROCCTL,
	FUZZ_ARGS_SUPERVISORCTL,
	FUZZ_ARGS_SCAN,
	FUZZ_ARGS_NKINDS
};

/* S (LEN bytes, NUL-terminated) cut at NULs into AV after AV[0]. */
static int
fuzz_args_vector(char *s, size_t len, char **av, const char *argv0)
{
	int ac = 0;
	size_t i = 0;

	av[ac++] = (char *)argv0;
	while (i < len && ac < FUZZ_ARGS_MAX) {
		av[ac++] = s + i;
		i += strlen(s + i) + 1;
	}
	av[ac] = NULL;
	return ac;
}

static void
fuzz_args_supervisord(int ac, char **av)
{
	struct svdargs a;
	char *cause = NULL;

	if (svdargs_parse(ac, av, &a, &cause) == -1) {
		FUZZ_CHECK(cause != NULL && *cause != '\0');
		free(cause);
		return;
	}
	FUZZ_CHECK(a.nwarn <= SVDARGS_MAXWARN);
	for (size_t i = 0; i < a.nwarn; i++)
		FUZZ_CHECK(a.warn[i] != NULL);
	svdargs_free(&a);
}

static void
fuzz_args_ctl(enum ctl_persona who, int ac, char **av)
{
	struct ctlargs a;
	const char *path;
	char *err = NULL, **again;
	int n;

	memset(&a, 0, sizeof a);
	if (ctlargs_parse(&a, who, ac, av, &err) == -1) {
		FUZZ_CHECK(err != NULL && *err != '\0');
		free(err);
		ctlargs_free(&a);
		return;
	}
	FUZZ_CHECK(a.argc >= 0);
	FUZZ_CHECK(a.argc == 0 || a.argv != NULL);
	for (int i = 0; i < a.argc; i++)
		FUZZ_CHECK(a.argv[i] != NULL);
	FUZZ_CHECK(a.argv == NULL || a.argv[a.argc] == NULL);
	if (a.server != NULL) {
		(void)ctlargs_url(a.server, false, &path);
		(void)ctlargs_url(a.server, true, &path);
	}
	if (a.argc > 0 && (again = ctlargs_words(a.argc, a.argv, &n)) != NULL)
		ctlargs_words_free(again);
	ctlargs_free(&a);
	free(err);
}

static void
fuzz_args_scan(const char *s, size_t len)
{
	FILE *f = fmemopen((void *)s, len, "r");
	char *sock;
	int line = 0;

	if (f == NULL)
		return;
	if ((sock = ctlfind_scan(f, "/etc/procd", &line)) != NULL) {
		FUZZ_CHECK(sock[0] == '/');
		FUZZ_CHECK(line > 0);
		free(sock);
	}
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *av[FUZZ_ARGS_MAX + 1], *s;
	int ac;

	if (size < 1)
		return 0;
	if ((s = malloc(size)) == NULL)
		abort();
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % FUZZ_ARGS_NKINDS) {
	case FUZZ_ARGS_SUPERVISORD:
		ac = fuzz_args_vector(s, size - 1, av, "supervisord");
		fuzz_args_supervisord(ac, av);
		break;
	case FUZZ_ARGS_PROCCTL:
		ac = fuzz_args_vector(s, size - 1, av, "procctl");
		fuzz_args_ctl(CTL_PROCCTL, ac, av);
		break;
	case FUZZ_ARGS_SUPERVISORCTL:
		ac = fuzz_args_vector(s, size - 1, av, "supervisorctl");
		fuzz_args_ctl(CTL_SUPERVISORCTL, ac, av);
		break;
	case FUZZ_ARGS_SCAN:
		if (size > 1)
			fuzz_args_scan(s, size - 1);
		break;
	}
	free(s);
	return 0;
}
