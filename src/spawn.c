/*
 * spawn.c -- fork/exec with the child's set-up and exec-status pipe
 * (see spawn.h for the discipline).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"
#include "envfile.h"
#include "envlist.h"
#include "sig.h"
#include "sockspec.h"
#include "spawn.h"
#include "sys.h"

/* Where in the child a failure happened; reported back to procd. */
enum spawn_stage {
	STAGE_STDIO,
	STAGE_LISTEN,
	STAGE_SETPGID,
	STAGE_CHDIR,
	STAGE_GROUPS,
	STAGE_SETGID,
	STAGE_SETUID,
	STAGE_PDEATHSIG,
	STAGE_EXEC,
	STAGE_NSTAGES
};

static const char *const stage_names[] = {
	[STAGE_STDIO] = "redirecting stdio",
	[STAGE_LISTEN] = "passing sockets",
	[STAGE_SETPGID] = "setpgid",
	[STAGE_CHDIR] = "chdir",
	[STAGE_GROUPS] = "setgroups",
	[STAGE_SETGID] = "setgid",
	[STAGE_SETUID] = "setuid",
	[STAGE_PDEATHSIG] = "prctl(PR_SET_PDEATHSIG)",
	[STAGE_EXEC] = "exec",
};
_Static_assert(sizeof(stage_names) / sizeof(stage_names[0]) ==
    STAGE_NSTAGES, "stage_names");

struct spawn_report {
	int	stage;
	int	err;
};

/* Look NAME up in PATH the way execvp would, but before fork. */
static char *
spawn_find_exec(const char *name, const char *path)
{
	char buf[PATH_MAX];
	const char *p = path ? path : "/usr/local/bin:/usr/bin:/bin";

	while (*p != '\0') {
		size_t n = strcspn(p, ":");
		int len = snprintf(buf, sizeof buf, "%.*s%s%s", (int)n, p,
		    n ? "/" : "", name);
		if (len > 0 && (size_t)len < sizeof buf &&
		    access(buf, X_OK) == 0)
			return strdup(buf);
		p += n;
		if (*p == ':')
			p++;
	}
	return NULL;
}

/* "SUPERVISOR_SERVER_URL=unix://..." or NULL (spawn_set_server_url). */
static char *spawn_server_url;

void
spawn_set_server_url(const char *url)
{
	free(spawn_server_url);
	spawn_server_url = NULL;
	if (url != NULL && asprintf(&spawn_server_url,
	    "SUPERVISOR_SERVER_URL=%s", url) == -1)
		spawn_server_url = NULL;
}

/* Lay LAYER over *ENV (replacing it); -1 when memory ran out. */
static int
spawn_env_over(char ***env, char *const *layer, char *cause, size_t len)
{
	char **next;

	if (layer == NULL)
		return 0;
	if ((next = envlist_merge(*env, layer)) == NULL) {
		snprintf(cause, len, "out of memory building environment");
		return -1;
	}
	envlist_free(*env);
	*env = next;
	return 0;
}

/* Lay the environment_file PATH (NULL: none) over *ENV, read now, so that
 * an edited file takes effect at the next start. */
static int
spawn_env_file(char ***env, const char *path, char *cause, size_t len)
{
	char **file, *why;
	int r;

	if (path == NULL)
		return 0;
	if ((file = envfile_read(path, &why)) == NULL) {
		snprintf(cause, len, "environment_file %s",
		    why != NULL ? why : "out of memory");
		free(why);
		return -1;
	}
	r = spawn_env_over(env, file, cause, len);
	envlist_free(file);
	return r;
}

/*
 * The environment a program starts with, later layers winning: procd's
 * (or BASE_ENV), the SUPERVISOR_* names (SUPERVISOR_SERVER_URL too),
 * [procd] environment_file=, [procd] environment=, the program's
 * environment_file=, its own environment=, then EXTRA_ENV.  pc->env holds both environment= layers
 * merged, so it goes below the program's file and env_own again above.
 */
static char **
spawn_env(const struct program_config *pc, char *const *base_env,
    char *const *extra_env, char *cause, size_t len)
{
	char *own[5] = { NULL, NULL, NULL, NULL, NULL };
	char **envp = NULL;
	bool ok;

	ok = asprintf(&own[0], "SUPERVISOR_ENABLED=1") != -1 &&
	    asprintf(&own[1], "SUPERVISOR_PROCESS_NAME=%s", pc->name) != -1 &&
	    asprintf(&own[2], "SUPERVISOR_GROUP_NAME=%s", pc->group) != -1 &&
	    (spawn_server_url == NULL ||
	    (own[3] = strdup(spawn_server_url)) != NULL) &&
	    (envp = envlist_merge(base_env, own)) != NULL;
	for (size_t i = 0; i < 4; i++)
		free(own[i]);
	if (!ok) {
		snprintf(cause, len, "out of memory building environment");
		goto fail;
	}
	if (spawn_env_file(&envp, pc->env_files[0], cause, len) == -1 ||
	    spawn_env_over(&envp, pc->env, cause, len) == -1 ||
	    spawn_env_file(&envp, pc->env_files[1], cause, len) == -1 ||
	    (pc->env_files[1] != NULL &&
	    spawn_env_over(&envp, pc->env_own, cause, len) == -1) ||
	    spawn_env_over(&envp, extra_env, cause, len) == -1)
		goto fail;
	return envp;
fail:
	envlist_free(envp);
	return NULL;
}

static int
spawn_resolve_user(struct spawn_plan *sp, const char *user, char *cause,
    size_t len)
{
	struct passwd *pw;
	int ng = 64;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(cause, len, "no such user '%s'", user);
		return -1;
	}
	if (pw->pw_uid == geteuid())
		return 0;	/* already that user: nothing to switch */
	if (geteuid() != 0) {
		snprintf(cause, len, "cannot switch to user '%s': procd is "
		    "not running as root", user);
		return -1;
	}
	sp->setuser = true;
	sp->uid = pw->pw_uid;
	sp->gid = pw->pw_gid;
	for (;;) {
		gid_t *g = realloc(sp->groups, (size_t)ng * sizeof *g);
		int want = ng;
		if (g == NULL)
			goto nomem;
		sp->groups = g;
		if (getgrouplist(user, pw->pw_gid, g, &want) != -1) {
			sp->ngroups = want;
			return 0;
		}
		if (want <= ng)
			want = ng * 2;
		ng = want;
	}
nomem:
	snprintf(cause, len, "out of memory resolving user '%s'", user);
	return -1;
}

/* Where the child writes its pid: the digits of our own LISTEN_PID entry
 * (the last layer, so no other value of it survives the merge). */
static char *
spawn_listen_pid_slot(char **envp)
{
	size_t n = strlen("LISTEN_PID=");

	for (; envp != NULL && *envp != NULL; envp++)
		if (strcmp(*envp, SPAWN_LISTEN_PID) == 0)
			return *envp + n;
	return NULL;
}

int
spawn_plan(struct spawn_plan *sp, const struct program_config *pc,
    char *const *base_env, char *const *extra_env, char *cause, size_t len)
{
	struct stat st;
	const char *name;

	memset(sp, 0, sizeof *sp);
	sp->umask = pc->umask;
	sp->directory = pc->directory;
	sp->argv = pc->argv;
	if (pc->argv == NULL || pc->argv[0] == NULL) {
		snprintf(cause, len, "empty command");
		return -1;
	}
	if ((sp->envp = spawn_env(pc, base_env, extra_env, cause, len)) ==
	    NULL)
		return -1;
	name = pc->argv[0];
	if (strchr(name, '/') != NULL) {
		sp->path = strdup(name);
		/* A relative path is found from the program's directory. */
		if (name[0] != '/' && pc->directory != NULL)
			goto checked;
		if (stat(name, &st) == -1) {
			snprintf(cause, len, "can't find command '%s'", name);
			goto fail;
		}
		if (!S_ISREG(st.st_mode) || access(name, X_OK) == -1) {
			snprintf(cause, len, "command at '%s' is not "
			    "executable", name);
			goto fail;
		}
	} else if ((sp->path = spawn_find_exec(name,
	    envlist_get(sp->envp, "PATH"))) == NULL) {
		snprintf(cause, len, "can't find command '%s'", name);
		goto fail;
	}
checked:
	if (sp->path == NULL) {
		snprintf(cause, len, "out of memory");
		goto fail;
	}
	if (pc->user != NULL &&
	    spawn_resolve_user(sp, pc->user, cause, len) == -1)
		goto fail;
	sp->listen_pid = spawn_listen_pid_slot(sp->envp);
	return 0;
fail:
	spawn_plan_free(sp);
	return -1;
}

void
spawn_plan_free(struct spawn_plan *sp)
{
	envlist_free(sp->envp);
	free(sp->path);
	free(sp->groups);
	memset(sp, 0, sizeof *sp);
}

/* Child: report STAGE and errno, then die.  Only async-signal-safe calls. */
static void __attribute__((noreturn))
spawn_child_fail(int fd, int stage)
{
	struct spawn_report r = { stage, errno };

	(void)!write(fd, &r, sizeof r);
	_exit(127);
}

/* Child: close LO..HI, an empty span being fine. */
static int
spawn_child_close_span(unsigned lo, unsigned hi)
{
	return lo > hi ? 0 : (int)syscall(SYS_close_range, lo, hi, 0);
}

/* Child: close every descriptor from FROM (3 and more) but KEEP and
 * KEEP2 (-1: none; both at or above FROM). */
static void
spawn_child_close_fds(int from, int keep, int keep2)
{
	unsigned a = (unsigned)keep, b = keep2 == -1 ? a : (unsigned)keep2;
	long max;

	if (a > b) {
		unsigned t = a;
		a = b;
		b = t;
	}
	if (spawn_child_close_span((unsigned)from, a - 1) == 0 &&
	    spawn_child_close_span(a + 1, b - 1) == 0 &&
	    spawn_child_close_span(b + 1, ~0U) == 0)
		return;
	max = sysconf(_SC_OPEN_MAX);
	for (long fd = from; fd < max; fd++)
		if (fd != keep && fd != keep2)
			close((int)fd);
}

/*
 * Child: put FDS->extra at FDS->extra_at, without close-on-exec; the
 * status pipe *WFD is moved out of the way first if it sits there.
 */
static int
spawn_child_extra(const struct spawn_fds *fds, int *wfd)
{
	int moved;

	if (fds->extra_at == -1)
		return 0;
	if (*wfd == fds->extra_at) {
		moved = fcntl(*wfd, F_DUPFD_CLOEXEC, fds->extra_at + 1);
		if (moved == -1)
			return -1;
		*wfd = moved;
	}
	if (fds->extra == fds->extra_at)
		return fcntl(fds->extra, F_SETFD, 0) == -1 ? -1 : 0;
	return dup2(fds->extra, fds->extra_at) == -1 ? -1 : 0;
}

/*
 * Child: the sockets= descriptors at 3, 4, ... (LISTEN_FDS).  Everything
 * still needed -- the status pipe *WFD, the ready=fd:N source, every
 * socket -- is first copied above the range, so that no dup2 into it
 * can clobber a source; the copies are close-on-exec.  FDS is the
 * child's own copy.
 */
static int
spawn_child_listen(struct spawn_fds *fds, int *wfd)
{
	int base = 3 + fds->nlisten, tmp[SOCKSPEC_MAX];

	if (fds->nlisten == 0)
		return 0;
	if (fds->nlisten < 0 || fds->nlisten > SOCKSPEC_MAX) {
		errno = EINVAL;
		return -1;
	}
	if ((*wfd = fcntl(*wfd, F_DUPFD_CLOEXEC, base)) == -1)
		return -1;
	if (fds->extra_at != -1 &&
	    (fds->extra = fcntl(fds->extra, F_DUPFD_CLOEXEC, base)) == -1)
		return -1;
	for (int i = 0; i < fds->nlisten; i++)
		if ((tmp[i] = fcntl(fds->listen[i], F_DUPFD_CLOEXEC, base)) ==
		    -1)
			return -1;
	/* dup2 leaves the new descriptor without close-on-exec. */
	for (int i = 0; i < fds->nlisten; i++)
		if (dup2(tmp[i], 3 + i) == -1)
			return -1;
	return 0;
}

/* Child: its own pid into the LISTEN_PID slot of its environment.  Under
 * vfork the slot is procd's copy of the plan, which only this child
 * reads. */
static void
spawn_child_listen_pid(char *slot)
{
	char digits[24];
	unsigned long v = (unsigned long)getpid();
	size_t n = 0;

	if (slot == NULL)
		return;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0 && n < sizeof digits);
	while (n > 0)
		*slot++ = digits[--n];
	*slot = '\0';
}

static int
spawn_child_dup(int fd, int target, int devnull)
{
	return dup2(fd == -1 ? devnull : fd, target) == -1 ? -1 : 0;
}

/* What the child needs, handed through the seam (sys->spawn). */
struct spawn_args {
	const struct spawn_plan	*sp;
	const struct spawn_fds	*fds;
	int			 devnull, wfd;
	pid_t			 procd;
};

static void __attribute__((noreturn))
spawn_child(const struct spawn_plan *sp, const struct spawn_fds *pfds,
    int devnull, int wfd, pid_t procd)
{
	struct spawn_fds own = *pfds, *fds = &own;

	sig_child_reset();
	if (spawn_child_dup(fds->in, 0, devnull) == -1 ||
	    spawn_child_dup(fds->out, 1, devnull) == -1 ||
	    spawn_child_dup(fds->err, 2, devnull) == -1)
		spawn_child_fail(wfd, STAGE_STDIO);
	if (spawn_child_listen(fds, &wfd) == -1)
		spawn_child_fail(wfd, STAGE_LISTEN);
	if (spawn_child_extra(fds, &wfd) == -1)
		spawn_child_fail(wfd, STAGE_STDIO);
	/* The status pipe must survive until exec. */
	spawn_child_close_fds(3 + fds->nlisten, wfd, fds->extra_at);
	if (setpgid(0, 0) == -1)
		spawn_child_fail(wfd, STAGE_SETPGID);
	if (sp->directory != NULL && chdir(sp->directory) == -1)
		spawn_child_fail(wfd, STAGE_CHDIR);
	if (sp->umask != -1)
		umask((mode_t)sp->umask);
	if (sp->setuser) {
		if (setgroups((size_t)sp->ngroups, sp->groups) == -1)
			spawn_child_fail(wfd, STAGE_GROUPS);
		if (setgid(sp->gid) == -1)
			spawn_child_fail(wfd, STAGE_SETGID);
		if (setuid(sp->uid) == -1)
			spawn_child_fail(wfd, STAGE_SETUID);
	}
	/*
	 * If procd is killed (-9), its programs get SIGTERM instead of
	 * running on unsupervised.  Set after the credential change, which
	 * clears it; if procd died before this line, stop here.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
		spawn_child_fail(wfd, STAGE_PDEATHSIG);
	if (getppid() != procd)
		_exit(127);
	spawn_child_listen_pid(sp->listen_pid);
	execve(sp->path, sp->argv, sp->envp);
	spawn_child_fail(wfd, STAGE_EXEC);
}

static void
spawn_child_cb(void *arg)
{
	const struct spawn_args *a = arg;

	spawn_child(a->sp, a->fds, a->devnull, a->wfd, a->procd);
}

int
spawn_run(const struct spawn_plan *sp, const struct spawn_fds *fds,
    pid_t *pid, int *status_fd, char *cause, size_t len)
{
	struct spawn_args a;
	int p[2], devnull, saved;
	pid_t procd = getpid();
	sigset_t old;

	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1) {
		snprintf(cause, len, "open /dev/null: %s", strerror(errno));
		return -1;
	}
	/* Above 2, so the child's dup2 onto 0-2 cannot clobber it. */
	if (sys->pipe2(p, O_CLOEXEC) == -1 ||
	    (p[1] < 3 && (p[1] = fcntl(p[1], F_DUPFD_CLOEXEC, 3)) == -1)) {
		snprintf(cause, len, "pipe: %s", strerror(errno));
		close(devnull);
		return -1;
	}
	/*
	 * The child (vfork, sys.c) only makes system calls, never returns
	 * from spawn_child, and ends in execve or _exit; it has its own
	 * descriptor table and signal dispositions, and every signal stays
	 * blocked until it has reset them all to SIG_DFL.
	 */
	a = (struct spawn_args){ .sp = sp, .fds = fds, .devnull = devnull,
	    .wfd = p[1], .procd = procd };
	sig_block_all(&old);
	*pid = sys->spawn(spawn_child_cb, &a);
	saved = errno;
	sig_restore(&old);
	close(devnull);
	close(p[1]);
	if (*pid == -1) {
		close(p[0]);
		snprintf(cause, len, "fork: %s", strerror(saved));
		return -1;
	}
	/* Blocking would only matter if read before the child is gone. */
	(void)fcntl(p[0], F_SETFL, O_NONBLOCK);
	*status_fd = p[0];
	return 0;
}

int
spawn_read_status(int fd, const struct program_config *pc, char *cause,
    size_t len)
{
	const char *what = "";
	struct spawn_report r;
	ssize_t n;

	n = sys_read(fd, &r, sizeof r);
	if (n == -1 && errno == EAGAIN)
		return -1;
	if (n != (ssize_t)sizeof r)
		return 0;
	if (r.stage < 0 || r.stage >= STAGE_NSTAGES)
		r.stage = STAGE_EXEC;
	if (r.stage == STAGE_CHDIR && pc->directory != NULL)
		what = pc->directory;
	else if (r.stage == STAGE_EXEC && pc->argv != NULL)
		what = pc->argv[0];
	snprintf(cause, len, "spawn failed at %s%s%s: %s",
	    stage_names[r.stage], *what ? " " : "", what, strerror(r.err));
	return 1;
}
