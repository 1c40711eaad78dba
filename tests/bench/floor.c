/*
 * floor.c -- the physical floor: the least a supervisor can do.
 *
 *   floor [-n] HELPER FILE N [ARGS...]
 *
 * Starts N copies of "HELPER FILE pNNNNN [ARGS...]" the way procd does
 * (two close-on-exec pipes for stdout/stderr -- /dev/null with -n, as procd
 * does for logs set to NONE -- stdin from /dev/null, its own process group,
 * every other descriptor closed, default signal state),
 * respawns any that dies at once, and on SIGTERM/SIGINT kills them all,
 * reaps them and exits 0.  No config, no logs, no control socket: a plain
 * loop over fork, exec and waitpid, to hold procd's figures against.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct child {
	pid_t	pid;
	int	out, err;	/* read ends, kept open, never read */
	char	name[16];
};

static struct child *kids;
static int nkids;
static char **child_argv;
static int devnull;
static int nopipes;		/* -n: stdout/stderr to /dev/null */

static void
die(const char *what)
{
	perror(what);
	exit(111);
}

/* Child side: stdio, descriptors, process group, signals, exec. */
static void __attribute__((noreturn))
child(int out, int err)
{
	sigset_t none;

	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(devnull, 0) == -1 || dup2(out, 1) == -1 || dup2(err, 2) == -1)
		_exit(126);
	if (syscall(SYS_close_range, 3, ~0U, 0) == -1)
		_exit(126);
	setpgid(0, 0);
	execv(child_argv[0], child_argv);
	_exit(127);
}

static void
spawn(struct child *c)
{
	int o[2], e[2];

	if (nopipes) {
		o[0] = e[0] = -1;
		o[1] = e[1] = devnull;
	} else if (pipe2(o, O_CLOEXEC) == -1 || pipe2(e, O_CLOEXEC) == -1)
		die("pipe2");
	child_argv[2] = c->name;
	if ((c->pid = fork()) == -1)
		die("fork");
	if (c->pid == 0)
		child(o[1], e[1]);
	if (!nopipes) {
		close(o[1]);
		close(e[1]);
	}
	c->out = o[0];
	c->err = e[0];
}

static struct child *
find(pid_t pid)
{
	for (int i = 0; i < nkids; i++)
		if (kids[i].pid == pid)
			return &kids[i];
	return NULL;
}

/* Reap every dead child there is; returns how many were ours. */
static int
collect(void)
{
	struct child *c;
	int st, n = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if ((c = find(pid)) == NULL)
			continue;
		if (c->out != -1) {
			close(c->out);
			close(c->err);
		}
		c->pid = 0;
		n++;
	}
	return n;
}

/* Reap, then respawn the dead unless we are going down.  Reaping again
 * before each spawn keeps a burst of deaths from leaving zombies behind
 * the spawns.  Returns how many children are alive. */
static int
reap(int respawn)
{
	int live = 0;

	collect();
	if (respawn)
		for (int i = 0; i < nkids; i++)
			if (kids[i].pid == 0) {
				collect();
				spawn(&kids[i]);
			}
	for (int i = 0; i < nkids; i++)
		live += kids[i].pid > 0;
	return live;
}

int
main(int argc, char **argv)
{
	struct rlimit rl;
	sigset_t set;
	int sig;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		nopipes = 1;
		argv++;
		argc--;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: floor [-n] HELPER FILE N [ARGS...]\n");
		return 2;
	}
	nkids = atoi(argv[3]);
	if (nkids <= 0 || (kids = calloc((size_t)nkids, sizeof *kids)) == NULL)
		die("N");
	/* HELPER FILE NAME ARGS... NULL */
	if ((child_argv = calloc((size_t)argc, sizeof *child_argv)) == NULL)
		die("calloc");
	child_argv[0] = argv[1];
	child_argv[1] = argv[2];
	for (int i = 4; i < argc; i++)
		child_argv[i - 1] = argv[i];
	/* Two pipes per child; root may raise the hard limit too. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rlim_t want = 2 * (rlim_t)nkids + 64;
		if (rl.rlim_max < want && geteuid() == 0)
			rl.rlim_max = want;
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		die("/dev/null");
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < nkids; i++) {
		snprintf(kids[i].name, sizeof kids[i].name, "p%05d", i);
		spawn(&kids[i]);
	}
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			die("sigwait");
		if (sig == SIGCHLD) {
			reap(1);
			continue;
		}
		break;
	}
	for (int i = 0; i < nkids; i++)
		if (kids[i].pid > 0)
			kill(kids[i].pid, SIGTERM);
	while (reap(0) > 0)
		if (sigwait(&set, &sig) != 0)
			die("sigwait");
	return 0;
}
