/*
 * fuzz_config.c -- config_load (config.c and everything behind it: the line
 * reader and inih, sections, %(x)s, command=, environment=, typed values,
 * [include]) on any file content.
 *
 * Each input becomes main.ini in a sandbox directory made once per process,
 * next to a few files an [include] can find (a program, a file including
 * main.ini back, a directory).  The loader's open and glob are wrapped
 * (-Wl,--wrap=open,--wrap=glob) so that while it runs they reach nothing
 * outside the sandbox: an input saying "files=/dev/zero", or globbing the
 * whole file system, must not make the result depend on the machine, or
 * hang.  geteuid and getuid are wrapped too, so that the defaults for root
 * and for a user are both reached whoever runs the fuzzer: an input of odd
 * length is loaded as uid 1000, and one whose length has bit 1 set with
 * $XDG_RUNTIME_DIR set (to a path too long for a socket next to it).
 *
 * Checked besides sanitizer reports, as config.h promises: a config comes
 * back exactly when there is no error; every diagnostic has a file and a
 * message; a loaded config has absolute paths, a socket path that fits, and
 * processes that config_find finds again; and a config compared with
 * itself (cfgdiff, as a reload does) has no change to apply.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgdiff.h"
#include "config.h"
#include "fuzz.h"

typedef int (*fuzz_config_globerr)(const char *, int);

int	 __real_open(const char *, int, ...);
int	 __wrap_open(const char *, int, ...);
int	 __real_glob(const char *, int, fuzz_config_globerr, glob_t *);
int	 __wrap_glob(const char *, int, fuzz_config_globerr, glob_t *);
uid_t	 __real_geteuid(void);
uid_t	 __wrap_geteuid(void);
uid_t	 __real_getuid(void);
uid_t	 __wrap_getuid(void);

#define FUZZ_CONFIG_UID	1000
#define FUZZ_CONFIG_XDG	"/run/user/1000/a-runtime-directory-whose-" \
			"name-is-so-long-that-procd.sock-in-it-could-" \
			"never-be-bound"

/* Files next to main.ini, for [include] files= to find. */
static const struct {
	const char	*name;
	const char	*text;		/* NULL: a directory */
} fuzz_config_files[] = {
	{ "inc-prog.conf", "[program:inc]\ncommand=/bin/sleep "
	    "%(ENV_FUZZ_NUM)s\nenvironment=A=\"%(here)s\",B=2\n" },
	{ "inc-back.conf", "[include]\nfiles = main.ini\n" },
	{ "inc-dir.conf", NULL },
};

/* Variables an input may name as %(ENV_X)s. */
static const struct {
	const char	*name;
	const char	*value;
} fuzz_config_env[] = {
	{ "FUZZ_NUM", "3" },
	{ "FUZZ_STR", "hello world" },
	{ "FUZZ_EMPTY", "" },
	{ "FUZZ_PATH", "/srv/app" },
	{ "FUZZ_QUOTE", "it's \"quoted\" \\ %(x)s" },
	{ "HOME", "/home/fuzz" },
};

/* tmpfs first: rewriting a file on ext4 costs milliseconds (truncation
 * makes it flush on close), five times the rest of a run. */
static const char *const fuzz_config_templates[] = {
	"/dev/shm/procd-fuzz-XXXXXX", "/tmp/procd-fuzz-XXXXXX",
};
static char	 fuzz_config_dir[32];
static char	 fuzz_config_main[sizeof fuzz_config_dir + 16];
static bool	 fuzz_config_active;	/* inside config_load */
static bool	 fuzz_config_user;	/* ... as uid FUZZ_CONFIG_UID */

/* True when the loader may touch PATH: inside the sandbox, no "..". */
static bool
fuzz_config_allowed(const char *path)
{
	size_t	n = strlen(fuzz_config_dir);

	return strncmp(path, fuzz_config_dir, n) == 0 && path[n] == '/' &&
	    strstr(path, "/..") == NULL;
}

int
__wrap_open(const char *path, int flags, ...)
{
	mode_t	mode = 0;
	va_list	ap;

	if (fuzz_config_active && !fuzz_config_allowed(path)) {
		errno = EACCES;
		return -1;
	}
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return __real_open(path, flags, mode);
}

int
__wrap_glob(const char *pattern, int flags, fuzz_config_globerr errfunc,
    glob_t *g)
{
	if (fuzz_config_active && !fuzz_config_allowed(pattern)) {
		memset(g, 0, sizeof *g);
		return GLOB_NOMATCH;
	}
	return __real_glob(pattern, flags, errfunc, g);
}

uid_t
__wrap_geteuid(void)
{
	if (fuzz_config_active)
		return fuzz_config_user ? FUZZ_CONFIG_UID : 0;
	return __real_geteuid();
}

uid_t
__wrap_getuid(void)
{
	if (fuzz_config_active)
		return fuzz_config_user ? FUZZ_CONFIG_UID : 0;
	return __real_getuid();
}

/* Write LEN bytes of P to PATH (created or truncated). */
static void
fuzz_config_write(const char *path, const void *p, size_t len)
{
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		fuzz_fail(__FILE__, __LINE__, path);
	for (; len > 0; len -= n, p = (const char *)p + n) {
		if ((n = write(fd, p, len)) <= 0)
			fuzz_fail(__FILE__, __LINE__, "write");
	}
	close(fd);
}

static void
fuzz_config_cleanup(void)
{
	char	path[sizeof fuzz_config_main + 32];
	size_t	i;

	for (i = 0; i < sizeof fuzz_config_files / sizeof
	    fuzz_config_files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", fuzz_config_dir,
		    fuzz_config_files[i].name);
		if (fuzz_config_files[i].text != NULL)
			unlink(path);
		else
			rmdir(path);
	}
	unlink(fuzz_config_main);
	rmdir(fuzz_config_dir);
}

/* Make the sandbox and the environment, once per process. */
static void
fuzz_config_init(void)
{
	char	path[sizeof fuzz_config_main + 32];
	size_t	i;

	for (i = 0; i < sizeof fuzz_config_env / sizeof fuzz_config_env[0];
	    i++)
		setenv(fuzz_config_env[i].name, fuzz_config_env[i].value, 1);
	for (i = 0; i < sizeof fuzz_config_templates /
	    sizeof fuzz_config_templates[0]; i++) {
		snprintf(fuzz_config_dir, sizeof fuzz_config_dir, "%s",
		    fuzz_config_templates[i]);
		if (mkdtemp(fuzz_config_dir) != NULL)
			break;
	}
	if (i == sizeof fuzz_config_templates /
	    sizeof fuzz_config_templates[0])
		fuzz_fail(__FILE__, __LINE__, "mkdtemp");
	atexit(fuzz_config_cleanup);
	snprintf(fuzz_config_main, sizeof fuzz_config_main, "%s/main.ini",
	    fuzz_config_dir);
	for (i = 0; i < sizeof fuzz_config_files / sizeof
	    fuzz_config_files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", fuzz_config_dir,
		    fuzz_config_files[i].name);
		if (fuzz_config_files[i].text == NULL)
			mkdir(path, 0700);
		else
			fuzz_config_write(path, fuzz_config_files[i].text,
			    strlen(fuzz_config_files[i].text));
	}
}

/* What config.h promises about a loaded config. */
static void
fuzz_config_check(const struct config *cf)
{
	const struct program_config	*p;
	size_t				 i;

	FUZZ_CHECK(cf->path != NULL && cf->path[0] == '/');
	FUZZ_CHECK(cf->here != NULL && cf->here[0] == '/');
	FUZZ_CHECK(cf->socket != NULL && cf->socket[0] == '/' &&
	    strlen(cf->socket) < 108);
	FUZZ_CHECK(cf->ctl_socket == NULL || cf->ctl_socket[0] == '/');
	FUZZ_CHECK(cf->nprogs == 0 || cf->progs != NULL);
	for (i = 0; i < cf->nprogs; i++) {
		p = &cf->progs[i];
		FUZZ_CHECK(p->name != NULL && p->group != NULL &&
		    p->program != NULL && p->command != NULL);
		FUZZ_CHECK(p->argv == NULL || p->argv[0] != NULL);
		FUZZ_CHECK(p->out.kind != LOGDEST_FILE ||
		    (p->out.path != NULL && p->out.path[0] == '/'));
		FUZZ_CHECK(p->err.kind != LOGDEST_FILE ||
		    (p->err.path != NULL && p->err.path[0] == '/'));
		FUZZ_CHECK(p->directory == NULL || p->directory[0] == '/');
		FUZZ_CHECK(config_find(cf, p->group, p->name) == p);
	}
}

/* A reload to the same config restarts and changes nothing. */
static void
fuzz_config_selfdiff(const struct config *cf)
{
	const struct program_config	**old;
	struct cfgdiff			  d;
	size_t				  i;

	if ((old = calloc(cf->nprogs + 1, sizeof *old)) == NULL)
		abort();
	for (i = 0; i < cf->nprogs; i++)
		old[i] = &cf->progs[i];
	FUZZ_CHECK(cfgdiff_compute(old, cf->nprogs, cf, &d) == 0);
	FUZZ_CHECK(d.n == cf->nprogs);
	for (i = 0; i < d.n; i++)
		FUZZ_CHECK(d.v[i].kind == DIFF_SAME && d.v[i].old == old[i] &&
		    d.v[i].new == old[i] && d.v[i].keys[0] == '\0');
	cfgdiff_free(&d);
	FUZZ_CHECK(cfgdiff_compute(old, 0, cf, &d) == 0);
	FUZZ_CHECK(d.n == cf->nprogs);
	for (i = 0; i < d.n; i++)
		FUZZ_CHECK(d.v[i].kind == DIFF_ADDED && d.v[i].new == old[i]);
	cfgdiff_free(&d);
	free(old);
}

/* Every diagnostic is printable and says where it is about. */
static void
fuzz_config_diags(const struct diag_list *dl)
{
	size_t	 i, len;
	char	*text;
	FILE	*fp;

	for (i = 0; i < dl->n; i++) {
		FUZZ_CHECK(dl->v[i].file != NULL && dl->v[i].msg != NULL);
		FUZZ_CHECK(dl->v[i].line >= 0);
	}
	if ((fp = open_memstream(&text, &len)) == NULL)
		abort();
	diag_print(dl, fp);
	fclose(fp);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool		 inited;
	struct diag_list	 dl = { 0 };
	struct config		*cf;

	if (!inited) {
		fuzz_config_init();
		inited = true;
	}
	fuzz_config_write(fuzz_config_main, data, size);
	fuzz_config_user = size & 1;
	if (size & 2)
		setenv("XDG_RUNTIME_DIR", FUZZ_CONFIG_XDG, 1);
	else
		unsetenv("XDG_RUNTIME_DIR");
	fuzz_config_active = true;
	cf = config_load(fuzz_config_main, &dl);
	fuzz_config_active = false;
	FUZZ_CHECK((cf != NULL) == (dl.nerrors == 0));
	if (cf != NULL) {
		fuzz_config_check(cf);
		fuzz_config_selfdiff(cf);
	}
	fuzz_config_diags(&dl);
	config_free(cf);
	diag_free(&dl);
	return 0;
}
