/*
 * config.c -- loading a config: the main file and its [include]s (globbed,
 * sorted, each file read once), then the model built from them; where the
 * config file and the socket are looked for when not given; finding and
 * freeing programs of a loaded config.
 *
 * Reading lines is cfgread.c's job, knowing keys is cfgstore.c's, the
 * global sections ([procd]/[supervisord], [unix_http_server],
 * [supervisorctl], [rpcinterface:x]) are cfgglobal.c's, [program:] and
 * [group:] are cfgprog.c's and cfggroup.c's, depends_on is checked by
 * cfgdeps.c.  A load is all or nothing: every problem is collected, and
 * any error means no config.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgglobal.h"
#include "cfgdeps.h"
#include "cfggroup.h"
#include "cfgget.h"
#include "cfgpath.h"
#include "cfgprog.h"
#include "cfgread.h"
#include "cfgstore.h"
#include "config.h"
#include "cfghttp.h"
#include "envlist.h"

/* Loading state shared by the main file and all the files it includes. */
struct config_loader {
	struct cfgstore	 st;
	char		**open;		/* real paths being read: cycles */
	size_t		 nopen;
	char		**done;		/* real paths already read */
	size_t		 ndone;
};

/* Reading one file. */
struct config_file {
	struct config_loader *ld;
	size_t		 file;		/* index in ld->st.files */
	long		 sect;		/* current section, -1 before any */
	int		 incline;	/* first [include] header in this file */
	long		 incsect;
	struct cfgkey	 inc;		/* this file's last files= */
};

static int	config_read(struct config_loader *, const char *path,
		    long fromsect, const struct cfgkey *fromkey);

static bool
config_listed(char **v, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return true;
	}
	return false;
}

static int
config_push(char ***v, size_t *n, const char *s)
{
	char	**nv, *dup;

	if ((dup = strdup(s)) == NULL)
		return -1;
	if ((nv = reallocarray(*v, *n + 1, sizeof *nv)) == NULL) {
		free(dup);
		return -1;
	}
	nv[(*n)++] = dup;
	*v = nv;
	return 0;
}

/* cfgread's callback: every header and key of the file, in order. */
static int
config_entry_cb(const struct cfgread_entry *e, void *arg)
{
	struct config_file	*cf = arg;
	struct cfgstore		*st = &cf->ld->st;

	if (e->kind == CFGREAD_SECTION) {
		if ((cf->sect = cfgstore_section(st, e->name, cf->file,
		    e->line)) == -1)
			return -1;
		if (st->sects[cf->sect].type == CFGSECT_INCLUDE &&
		    cf->incline == 0) {
			cf->incline = e->line;
			cf->incsect = cf->sect;
		}
		return 0;
	}
	/* files= belongs to the file that says it, not to the merged
	 * [include] section: each file's includes are its own. */
	if (st->sects[cf->sect].type != CFGSECT_INCLUDE ||
	    strcmp(e->name, "files") != 0)
		return cfgstore_set(st, cf->sect, e->name, e->value, cf->file,
		    e->line);
	if (cf->inc.value != NULL)
		diag_add(st->diags, DIAG_WARNING, st->files[cf->file].path,
		    e->line, "duplicate key 'files' in [include] (first set at "
		    "line %d; the last one wins)", cf->inc.line);
	free(cf->inc.value);
	if ((cf->inc.value = strdup(e->value)) == NULL)
		return -1;
	cf->inc.line = e->line;
	return 0;
}

static int
config_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read every file PATTERN (from files= of F) matches, sorted. */
static void
config_glob(struct config_file *f, const char *pattern)
{
	/* Not a pointer: reading the included files may move the sections. */
	const struct cfgsect *s = &f->ld->st.sects[f->incsect];
	struct cfgstore	*st = &f->ld->st;
	glob_t		 g;
	char		*dir, *full;
	size_t		 i;

	dir = cfgpath_dirname(st->files[f->file].path);
	if (dir == NULL || (full = pattern[0] == '/' || strcmp(dir, ".") == 0 ?
	    strdup(pattern) : cfgpath_join(dir, pattern)) == NULL) {
		free(dir);
		cfgstore_diag(st, s, &f->inc, DIAG_ERROR, "out of memory");
		return;
	}
	free(dir);
	if (glob(full, GLOB_NOSORT, NULL, &g) != 0 || g.gl_pathc == 0) {
		cfgstore_diag(st, s, &f->inc, DIAG_WARNING, "no file matches "
		    "\"%s\"", full);
		free(full);
		return;
	}
	/* Python's sorted(): byte order, whatever the locale. */
	qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, config_strcmp);
	for (i = 0; i < g.gl_pathc; i++)
		config_read(f->ld, g.gl_pathv[i], f->incsect, &f->inc);
	globfree(&g);
	free(full);
}

/* After a file is read: follow its [include] files=, or say it has none. */
static void
config_includes(struct config_file *f)
{
	struct cfgstore		*st = &f->ld->st;
	const struct cfgsect	*s;
	struct cfgexp		 exp = { NULL, 0, NULL };
	char			*v, *word, *p;

	if (f->incline == 0)
		return;
	s = &st->sects[f->incsect];
	if (f->inc.value == NULL) {
		diag_add(st->diags, DIAG_ERROR, st->files[f->file].path,
		    f->incline, "[include] has no files= (list the files to "
		    "include, or remove the section)");
		return;
	}
	f->inc.name = "files";
	f->inc.file = f->file;
	if (cfgget_expand(st, s, &f->inc, &exp, &v) == -1)
		return;
	for (p = v; (word = strsep(&p, " \t\r\n\v\f")) != NULL;) {
		if (*word != '\0')
			config_glob(f, word);
	}
	free(v);
}

/* "a FIFO", "a directory", ...: what MODE says a file is. */
static const char *
config_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO:	return "a FIFO";
	case S_IFDIR:	return "a directory";
	case S_IFCHR:	return "a character device";
	case S_IFBLK:	return "a block device";
	case S_IFSOCK:	return "a socket";
	default:	return "not a file";
	}
}

/*
 * Open PATH for reading if it is a regular file, without ever blocking:
 * a FIFO would block a plain open (and a device never end), which would
 * hang `procd check` or freeze a running procd on SIGHUP.  So the open is
 * non-blocking, fstat decides, and only then is the descriptor made
 * blocking again for stdio.  NULL when refused or failed, with *WHY
 * saying why: what the file is when *NOTREG, else strerror.
 */
FILE *
config_open(const char *path, const char **why, bool *notreg)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	*notreg = false;
	if (fd == -1) {
		*why = strerror(errno);
		return NULL;
	}
	return config_fdopen(fd, why, notreg);
}

FILE *
config_fdopen(int fd, const char **why, bool *notreg)
{
	struct stat sb;
	FILE *fp;
	int saved;

	*notreg = false;
	if (fstat(fd, &sb) == -1)
		*why = strerror(errno);
	else if (!S_ISREG(sb.st_mode)) {
		*notreg = true;
		*why = config_kind(sb.st_mode);
	} else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) ==
	    -1 || (fp = fdopen(fd, "r")) == NULL)
		*why = strerror(errno);
	else
		return fp;
	saved = errno;
	close(fd);
	errno = saved;
	return NULL;
}

/* Say that PATH could not be read, at the include line when included. */
static void
config_cannot(struct config_loader *ld, const char *path, long fromsect,
    const struct cfgkey *fromkey, enum diag_severity sev, const char *why)
{
	if (fromsect == -1)
		diag_add(ld->st.diags, sev, path, 0, "cannot read: %s", why);
	else
		cfgstore_diag(&ld->st, &ld->st.sects[fromsect], fromkey, sev,
		    "%s: %s", path, why);
}

/* Parse FP as PATH (real path REAL), then the files it includes. */
static void
config_parse(struct config_loader *ld, FILE *fp, const char *path,
    const char *real)
{
	struct config_file	 f = { ld, 0, -1, 0, -1, { 0 } };
	char			*abs, *dir = NULL;
	long			 idx;

	/* %(here)s is lexical, as supervisord's os.path.abspath: the real
	 * path only tells files apart. */
	if ((abs = cfgpath_abs(path)) != NULL)
		dir = cfgpath_dirname(abs);
	free(abs);
	if (dir == NULL ||
	    (idx = cfgstore_file(&ld->st, path, dir)) == -1 ||
	    config_push(&ld->open, &ld->nopen, real) == -1 ||
	    config_push(&ld->done, &ld->ndone, real) == -1) {
		diag_add(ld->st.diags, DIAG_ERROR, path, 0, "out of memory");
		free(dir);
		return;
	}
	free(dir);
	f.file = idx;
	cfgread_parse(fp, path, ld->st.diags, config_entry_cb, &f);
	fclose(fp);
	config_includes(&f);
	free(f.inc.value);
	free(ld->open[--ld->nopen]);
}

/* Read PATH, included by FROMKEY of section FROMSECT (-1: the main file). */
static int
config_read(struct config_loader *ld, const char *path, long fromsect,
    const struct cfgkey *fromkey)
{
	const char	*why;
	char		*real;
	FILE		*fp;
	bool		 notreg;

	/* Only regular files are read (config_open): an included one that is
	 * not is skipped with a warning, a main file that is not is an
	 * error, and so is any file that cannot be opened. */
	if ((fp = config_open(path, &why, &notreg)) == NULL) {
		char msg[64];
		if (notreg) {
			snprintf(msg, sizeof msg, "not a regular file (%s%s)",
			    why, fromsect != -1 ? "; skipped" : "");
			why = msg;
		}
		config_cannot(ld, path, fromsect, fromkey, notreg &&
		    fromsect != -1 ? DIAG_WARNING : DIAG_ERROR, why);
		return -1;
	}
	if ((real = realpath(path, NULL)) == NULL)
		real = cfgpath_abs(path);
	/* A glob like *.conf that matches its own file is common, and
	 * harmless in supervisord (which re-reads the same values); any
	 * other way back to a file being read is a cycle. */
	if (real != NULL && ld->nopen > 0 &&
	    strcmp(ld->open[ld->nopen - 1], real) == 0)
		config_cannot(ld, path, fromsect, fromkey, DIAG_WARNING,
		    "matches the including file itself (skipped)");
	else if (real != NULL && config_listed(ld->open, ld->nopen, real))
		config_cannot(ld, path, fromsect, fromkey, DIAG_ERROR,
		    "include cycle (the file is already being read)");
	else if (real != NULL && config_listed(ld->done, ld->ndone, real))
		config_cannot(ld, path, fromsect, fromkey, DIAG_WARNING,
		    "already included (skipped)");
	else if (real != NULL) {
		config_parse(ld, fp, path, real);
		fp = NULL;
	} else
		config_cannot(ld, path, fromsect, fromkey, DIAG_ERROR,
		    strerror(errno));
	if (fp != NULL)
		fclose(fp);
	free(real);
	return 0;
}

static void
config_loader_free(struct config_loader *ld)
{
	size_t	i;

	for (i = 0; i < ld->nopen; i++)
		free(ld->open[i]);
	for (i = 0; i < ld->ndone; i++)
		free(ld->done[i]);
	free(ld->open);
	free(ld->done);
	cfgstore_free(&ld->st);
}

struct config *
config_load(const char *path, struct diag_list *diags)
{
	struct config_loader	 ld = { .st = { .diags = diags } };
	struct config		*cf;
	size_t			 nerrors = diags->nerrors;
	bool			 read;

	if ((cf = calloc(1, sizeof *cf)) == NULL) {
		diag_add(diags, DIAG_ERROR, path, 0, "out of memory");
		return NULL;
	}
	if (config_read(&ld, path, -1, NULL) == 0 && ld.st.nfiles > 0) {
		cf->path = cfgpath_abs(path);
		cf->here = strdup(ld.st.files[0].dir);
		if (cf->path == NULL || cf->here == NULL)
			diag_add(diags, DIAG_ERROR, path, 0, "out of memory");
		cfgglobal_build(&ld.st, cf);
		cfggroup_build(&ld.st, cf);
		if (diags->nerrors == nerrors)
			cfgdeps_check(cf, diags);
	}
	read = ld.st.nfiles > 0;
	config_loader_free(&ld);
	if (diags->nerrors > nerrors || !read) {
		config_free(cf);
		return NULL;
	}
	return cf;
}

char *
config_default_socket(void)
{
	const char	*xdg = getenv("XDG_RUNTIME_DIR");
	char		*p;

	if (geteuid() == 0)
		return strdup("/run/procd.sock");
	if (xdg != NULL && xdg[0] == '/')
		return cfgpath_join(xdg, "procd.sock");
	if (asprintf(&p, "/tmp/procd-%u/procd.sock", (unsigned)getuid()) == -1)
		return NULL;
	return p;
}

/*
 * procd's own paths, then supervisord's (its options.py searchpaths): the
 * first two are relative to the directory above the executable as it was
 * invoked (argv[0]), so an argv[0] without a slash makes them relative to
 * the working directory, as in supervisord.
 */
char *
config_find_default(void)
{
	static const char *const sv[] = { "etc/supervisord.conf",
	    "supervisord.conf" };
	const char	*fixed[] = { getenv("PROCD_CONFIG"), "./procd.ini",
			    "/etc/procd.ini", "/etc/procd/procd.ini",
			    NULL, NULL, "supervisord.conf",
			    "etc/supervisord.conf", "/etc/supervisord.conf",
			    "/etc/supervisor/supervisord.conf" };
	char		*exe = strdup(program_invocation_name), *up = NULL;
	char		*rel[2] = { NULL, NULL }, *found = NULL;
	struct stat	 sb;
	size_t		 i;

	if (exe != NULL && (up = strrchr(exe, '/')) != NULL) {
		*up = '\0';
		up = strrchr(exe, '/');
	}
	for (i = 0; i < 2 && exe != NULL; i++) {
		/* dirname(dirname(argv[0])): "" when argv[0] has < 2 slashes */
		if (up == NULL)
			rel[i] = strdup(sv[i]);
		else if (asprintf(&rel[i], "%.*s/%s", (int)(up - exe), exe,
		    sv[i]) == -1)
			rel[i] = NULL;
		fixed[4 + i] = rel[i];
	}
	for (i = 0; i < sizeof fixed / sizeof fixed[0] && found == NULL; i++) {
		if (fixed[i] != NULL && *fixed[i] != '\0' &&
		    stat(fixed[i], &sb) == 0)
			found = strdup(fixed[i]);
	}
	free(rel[0]);
	free(rel[1]);
	free(exe);
	return found;
}

const struct program_config *
config_find(const struct config *cf, const char *group, const char *name)
{
	size_t	i;

	for (i = 0; i < cf->nprogs; i++) {
		if ((group == NULL || strcmp(cf->progs[i].group, group) == 0) &&
		    strcmp(cf->progs[i].name, name) == 0)
			return &cf->progs[i];
	}
	return NULL;
}

void
config_free(struct config *cf)
{
	size_t	i;

	if (cf == NULL)
		return;
	for (i = 0; i < cf->nprogs; i++)
		cfgprog_free(&cf->progs[i]);
	free(cf->progs);
	for (i = 0; i < cf->nfiles; i++)
		free(cf->files[i]);
	free(cf->files);
	free(cf->path);
	free(cf->here);
	free(cf->socket);
	free(cf->socket_owner);
	free(cf->pidfile);
	free(cf->logfile);
	free(cf->childlogdir);
	free(cf->directory);
	free(cf->user);
	envlist_free(cf->env);
	free(cf->env_file);
	free(cf->ctl_socket);
	cfghttp_free(&cf->http);
	free(cf);
}
