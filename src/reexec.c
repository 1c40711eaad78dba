/*
 * reexec.c -- the old image's side of procctl reexec (reexec.h): the
 * safe point, the state into a memfd, the new binary's check, the exec,
 * and undoing it all when the exec fails.
 *
 * Guarantee: until execve succeeds nothing the programs depend on is
 * touched (pipes are not read meanwhile, but stay open; nothing is
 * closed); if it fails, close-on-exec and the signal mask are put back
 * and the loop goes on.  Once it succeeds, the pids are the same process
 * (exec keeps them our children), so a program that dies meanwhile is a
 * zombie the new image reaps.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cfgdiff.h"
#include "cmd.h"
#include "config.h"
#include "control.h"
#include "evbus.h"
#include "gwsup.h"
#include "heldsock.h"
#include "log.h"
#include "notify.h"
#include "notifysrv.h"
#include "reexec.h"
#include "reread.h"
#include "rxstate.h"
#include "sockspec.h"
#include "sig.h"
#include "supcarry.h"
#include "sys.h"

/* How long the log files may take to be written out, and the new binary
 * to say it can read the state. */
#define REEXEC_FLUSH_MS		2000
#define REEXEC_CHECK_MS		5000

static struct {
	char		 exe[4096];	/* the binary to run again */
	int		 self_fd;	/* this image's own binary (O_PATH):
					 * the next image's way back */
	char		**argv;		/* as procd was started */
	int		 argc;
	int		 pid_fd;
	const char	*config;	/* the server's */
	uint64_t	 generation;
} rx = { .pid_fd = -1, .self_fd = -1 };

void
reexec_init(int argc, char **argv)
{
	ssize_t n = readlink("/proc/self/exe", rx.exe, sizeof rx.exe - 1);

	rx.exe[n > 0 ? n : 0] = '\0';
	/* Kept open: an upgrade may delete the file, and the next image
	 * may need to come back to this one. */
	rx.self_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	rx.argc = argc;
	rx.argv = argv;		/* main's: they live as long as procd */
}

void
reexec_set_server(int pid_fd, const char *config)
{
	rx.pid_fd = pid_fd;
	rx.config = config;
}

void
reexec_set_generation(unsigned long long g)
{
	rx.generation = g;
}

/* A -c value in any form procd and supervisord take ("-c F", "-cF",
 * "--config[uration] F", "--config[uration]=F"): how much of ARGV[*I]
 * comes before it, with *I moved to the word that holds it; -1: not one. */
static int
reexec_config_arg(char **argv, size_t argc, size_t *i)
{
	const char *a = argv[*i];

	if ((strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0 ||
	    strcmp(a, "--configuration") == 0) && *i + 1 < argc) {
		(*i)++;
		return 0;
	}
	if (strncmp(a, "--config=", 9) == 0)
		return 9;
	if (strncmp(a, "--configuration=", 16) == 0)
		return 16;
	if (a[0] == '-' && a[1] == 'c' && a[2] != '\0')
		return 2;
	return -1;
}

/*
 * The next image (and, should it fail, this binary again) starts with
 * procd's command line, but in "/", a daemon's directory: a relative -c
 * would not be found there, and procd would die with every program.  So
 * every -c names the file this image read, by its absolute path, and a
 * command line without one (the default search) gets one.
 */
static int
reexec_argv_config(struct rxstate *st)
{
	bool named = false;
	char *v;
	int keep;

	if (rx.config == NULL)
		return 0;
	for (size_t i = 1; i < st->argc; i++) {
		if (strcmp(st->argv[i], "--") == 0)
			break;
		if ((keep = reexec_config_arg(st->argv, st->argc, &i)) == -1)
			continue;
		if (asprintf(&v, "%.*s%s", keep, st->argv[i], rx.config) == -1)
			return -1;
		free(st->argv[i]);
		st->argv[i] = v;
		named = true;
	}
	if (named)
		return 0;
	if ((st->argv[st->argc] = strdup("-c")) == NULL ||
	    (st->argv[st->argc + 1] = strdup(rx.config)) == NULL)
		return -1;
	st->argc += 2;
	return 0;
}

/* The config file must still say what runs: the new image reads it and
 * takes the carried state by name.  Programs added to it (not running)
 * are fine; anything changed or removed must be applied first. */
static int
reexec_config_same(char *why, size_t len)
{
	struct buf err = { 0 };
	struct cfgdiff d;
	struct config *cfg = reread_read(&err);
	int r = 0;

	if (cfg == NULL) {
		snprintf(why, len, "the config file has errors: %s",
		    err.data != NULL ? err.data : "out of memory");
		buf_free(&err);
		return -1;
	}
	buf_free(&err);
	if (reread_diff(cfg, &d) == -1) {
		config_free(cfg);
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < d.n && r == 0; i++) {
		const struct cfgdiff_entry *e = &d.v[i];
		if (e->kind == DIFF_SAME || e->kind == DIFF_ADDED)
			continue;
		snprintf(why, len, "the config file differs from what runs "
		    "(%s: %s); apply it first with procctl update",
		    e->old != NULL ? e->old->name : e->new->name,
		    e->kind == DIFF_REMOVED ? "removed" : "changed");
		r = -1;
	}
	cfgdiff_free(&d);
	config_free(cfg);
	return r;
}

/* The sockets held for programs (heldsock.h), bound ones only. */
static int
reexec_carry_sockets(struct rxstate *st)
{
	struct heldsock_info info;
	struct rxheld *h;

	for (size_t i = 0; i < heldsock_count(); i++) {
		if (heldsock_at(i, &info) == -1 || info.fd == -1)
			continue;
		if ((h = rxstate_add_held(st)) == NULL ||
		    (h->group = strdup(info.group)) == NULL ||
		    (h->url = strdup(info.spec->url)) == NULL)
			return -1;
		h->fd = info.fd;
	}
	return 0;
}

/* The state, as the new image will read it; -1 and why. */
static int
reexec_collect(struct rxstate *st, struct client *c, char *why, size_t len)
{
	const char *path;
	pid_t gwpid = 0;
	uint32_t id;

	snprintf(why, len, "out of memory");
	st->generation = rx.generation + 1;
	/* Room for a "-c FILE" added at the end. */
	if ((st->argv = calloc((size_t)rx.argc + 3, sizeof *st->argv)) ==
	    NULL)
		return -1;
	for (; st->argc < (size_t)rx.argc; st->argc++)
		if ((st->argv[st->argc] = strdup(rx.argv[st->argc])) == NULL)
			return -1;
	if (reexec_argv_config(st) == -1)
		return -1;
	st->control_fd = control_fd(&path);
	if ((st->control_path = strdup(path)) == NULL)
		return -1;
	st->pid_fd = rx.pid_fd;
	st->notify_fd = notifysrv_fd();
	st->http_fd = gwsup_carry(&gwpid);
	st->gateway_pid = gwpid;
	st->reply_fd = client_fd(c, &id);
	st->reply_id = id;
	if (sup_carry_save(st) == -1 || cmdlog_carry(st) == -1 ||
	    reexec_carry_sockets(st) == -1)
		return -1;
	return evbus_carry(st, why, len);
}

/* The state in a memfd, read from its start. */
static int
reexec_memfd(const struct buf *b)
{
	int fd = memfd_create("procd-state", MFD_CLOEXEC);

	if (fd == -1)
		return -1;
	if (sys_write_all(fd, b->data, b->len) != (ssize_t)b->len ||
	    lseek(fd, 0, SEEK_SET) == -1) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Read what the check says until EOF or the deadline; -1 at the deadline. */
static int
reexec_check_read(int fd, char *out, size_t len)
{
	struct timespec t0, t;
	size_t got = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		long ms;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &t);
		ms = REEXEC_CHECK_MS - ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (ms <= 0)
			return -1;
		if (poll(&pfd, 1, (int)ms) == -1 && errno != EINTR)
			return -1;
		n = sys_read(fd, out + got, len - 1 - got);
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
			break;
		if (n > 0 && (got += (size_t)n) == len - 1)
			break;
	}
	out[got] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

/* Can the binary on disk read this state?  It is run as `procd
 * __reexec-check CONFIG` with the state on its stdin; it says why not on
 * its stderr, read from *ERR_FD.  Nothing of ours is touched meanwhile,
 * and the old image checks its own side at the same time.  The child's
 * pid, or -1 with WHY. */
static pid_t
reexec_check_start(int memfd, const char *config, int *err_fd, char *why,
    size_t len)
{
	char *argv[] = { rx.argv[0], "__reexec-check", (char *)config, NULL };
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) == -1) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		snprintf(why, len, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		sig_child_reset();
		if (dup2(memfd, 0) == -1 || dup2(p[1], 2) == -1)
			_exit(126);
		execv(rx.exe, argv);
		dprintf(2, "cannot execute %s: %s\n", rx.exe, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	*err_fd = p[0];
	return pid;
}

/* The check's answer: 0 when it can take over, else -1 and WHY.  QUIT:
 * the old image found a reason of its own; the child is only reaped. */
static int
reexec_check_end(pid_t pid, int err_fd, bool quit, char *why, size_t len)
{
	char msg[512] = "";
	int st;

	if (quit)
		(void)kill(pid, SIGKILL);
	else if (reexec_check_read(err_fd, msg, sizeof msg) == -1) {
		(void)kill(pid, SIGKILL);
		snprintf(msg, sizeof msg, "no answer in %d s",
		    REEXEC_CHECK_MS / 1000);
	}
	close(err_fd);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (quit)
		return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	snprintf(why, len, "%.400s cannot take over: %s", rx.exe,
	    msg[0] != '\0' ? msg : "it failed without a word");
	return -1;
}

/* Close-on-exec off (INHERIT) or back on, for every descriptor carried. */
static int
reexec_inherit(const int *fds, size_t n, bool inherit)
{
	for (size_t i = 0; i < n; i++)
		if (fcntl(fds[i], F_SETFD, inherit ? 0 : FD_CLOEXEC) == -1)
			return -1;
	return 0;
}

/* The exec itself.  Returns only when it failed, with errno. */
static void
reexec_exec(int memfd, const int *fds, size_t n)
{
	char fdarg[16], backarg[16], *argv[] = { rx.argv[0], "__reexec",
	    fdarg, rx.self_fd != -1 ? backarg : NULL, NULL };
	sigset_t old;
	int saved;

	snprintf(fdarg, sizeof fdarg, "%d", memfd);
	snprintf(backarg, sizeof backarg, "%d", rx.self_fd);
	if (notify_socket() != NULL)
		setenv("NOTIFY_SOCKET", notify_socket(), 1);
	if (reexec_inherit(fds, n, true) == -1 ||
	    fcntl(memfd, F_SETFD, 0) == -1 || (rx.self_fd != -1 &&
	    fcntl(rx.self_fd, F_SETFD, 0) == -1)) {
		saved = errno;
		goto undo;
	}
	/* Signals wait for the new image's handlers: kept blocked across
	 * exec, they are delivered once its self-pipe is there. */
	sig_block_all(&old);
	sig_requeue();
	execv(rx.exe, argv);
	saved = errno;
	sig_restore(&old);
undo:
	(void)reexec_inherit(fds, n, false);
	(void)fcntl(memfd, F_SETFD, FD_CLOEXEC);
	if (rx.self_fd != -1)
		(void)fcntl(rx.self_fd, F_SETFD, FD_CLOEXEC);
	unsetenv("NOTIFY_SOCKET");
	errno = saved;
}

/* Everything up to the exec; -1 with WHY when procd must carry on. */
static int
reexec_handover(struct client *c, const char *config, char *why, size_t len)
{
	struct rxstate st;
	struct buf b = { 0 };
	size_t nfds = 0;
	int memfd = -1, *fds = NULL, r = -1, err_fd;
	bool quit;
	pid_t pid;

	rxstate_init(&st);
	if (reexec_collect(&st, c, why, len) == -1)
		goto out;
	if ((fds = rxstate_fds(&st, &nfds)) == NULL) {
		snprintf(why, len, "out of memory");
		goto out;
	}
	rxstate_encode(&st, &b);
	/* A test seam (t_reexec): a state the new binary must refuse. */
	if (getenv("PROCD_TEST_REEXEC_CORRUPT") != NULL && b.len > 20)
		b.data[12] ^= 0x01;	/* its length no longer matches */
	if ((memfd = reexec_memfd(&b)) == -1) {
		snprintf(why, len, "memfd: %s", strerror(errno));
		goto out;
	}
	if ((pid = reexec_check_start(memfd, config, &err_fd, why, len)) ==
	    -1)
		goto out;
	/* Meanwhile, our side: the config says what runs, the logs are out. */
	quit = reexec_config_same(why, len) == -1 ||
	    sup_carry_flush(REEXEC_FLUSH_MS, why, len) == -1;
	if (reexec_check_end(pid, err_fd, quit, why, len) == -1)
		goto out;
	log_info("reexec: handing over to %s (%zu programs, generation "
	    "%llu)", rx.exe, st.nprogs, (unsigned long long)st.generation);
	log_flush();
	reexec_exec(memfd, fds, nfds);
	snprintf(why, len, "cannot execute %.400s: %s", rx.exe, strerror(errno));
out:
	if (memfd != -1)
		close(memfd);
	free(fds);
	buf_free(&b);
	rxstate_free(&st);
	return r;
}

void
reexec_request(struct client *c)
{
	char why[1024];

	log_info("reexec: asked to run %s again", rx.exe);
	if (access(rx.exe, X_OK) == -1)
		snprintf(why, sizeof why, "cannot execute %.400s: %s", rx.exe,
		    strerror(errno));
	else if (sup_carry_ready(why, sizeof why) == 0)
		(void)reexec_handover(c, rx.config, why, sizeof why);
	log_warnx("reexec: not done, procd %s carries on: %s", PROCD_VERSION,
	    why);
	client_errf(c, "ERROR: reexec not done, procd carries on: %s\n", why);
	client_end(c, 1);
}
