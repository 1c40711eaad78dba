/*
 * server.c -- start-up, the loop and shutdown of the daemon.
 *
 * Start-up order matters: the pidfile lock is taken while the user's
 * terminal still shows errors; then we detach; then everything that can
 * still fail (log, socket) reports back through the readiness pipe; only
 * once the control socket listens does `procd start` return 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ev.h>

#include "cause.h"
#include "cmd.h"
#include "config.h"
#include "control.h"
#include "daemon.h"
#include "evbus.h"
#include "gwsup.h"
#include "heldsock.h"
#include "health.h"
#include "log.h"
#include "ownlog.h"
#include "notify.h"
#include "onfail.h"
#include "pidfile.h"
#include "privdrop.h"
#include "reexec.h"
#include "reread.h"
#include "rxstate.h"
#include "selfstat.h"
#include "server.h"
#include "sig.h"
#include "sup.h"
#include "sys.h"

static struct {
	struct ev_loop	*loop;
	struct config	*cfg;
	ev_io		 sig_w;
	int		 ready_fd;	/* readiness pipe; -1 in the foreground */
	int		 pid_fd;
	int		 status;	/* procd's exit status (shutdown_on=) */
} srv = { .ready_fd = -1, .pid_fd = -1 };

/* Report a start-up failure where the user will see it. */
static int
server_fail(const char *msg)
{
	if (srv.ready_fd != -1) {
		daemon_fail(srv.ready_fd, msg);
		srv.ready_fd = -1;
	} else
		fprintf(stderr, "procd: %s\n", msg);
	return 1;
}

/* STATUS= for the service manager: "12 running, 1 fatal", sent when the
 * summary changes (once per settled batch at most). */
static void
server_notify_status(void)
{
	static char last[256];
	size_t count[PROC_NSTATES] = { 0 };
	char msg[256];
	int n;

	if (!notify_enabled())
		return;
	for (size_t i = 0; i < sup_count(); i++)
		count[sup_at(i)->state]++;
	n = snprintf(msg, sizeof msg, "STATUS=%zu running", count[PROC_RUNNING]);
	for (int s = 0; s < PROC_NSTATES; s++) {
		char lower[16];
		const char *name = proc_state_name((enum proc_state)s);
		size_t k;
		if (s == PROC_RUNNING || count[s] == 0 || n < 0 ||
		    (size_t)n >= sizeof msg)
			continue;
		for (k = 0; name[k] != '\0' && k + 1 < sizeof lower; k++)
			lower[k] = (char)(name[k] - 'A' + 'a');
		lower[k] = '\0';
		n += snprintf(msg + n, sizeof msg - (size_t)n, ", %zu %s",
		    count[s], lower);
	}
	if (strcmp(msg, last) == 0)
		return;
	snprintf(last, sizeof last, "%s", msg);
	(void)notify_send(msg);
}

/* sup has one observer: each part that follows the table, in turn. */
static void
server_observe(struct process *p, enum proc_state old, enum proc_state new)
{
	cmd_observe(p, old, new);
	onfail_observe(p, old, new);
}

static void
server_forget(struct process *p)
{
	cmd_forget(p);
	health_forget(p);
}

static void
server_settled(void)
{
	cmd_settled();
	health_settled();
	evbus_settled();
	server_notify_status();
}

static void
server_all_stopped(void)
{
	log_info("all programs stopped");
	ev_break(srv.loop, EVBREAK_ALL);
}

static void
server_shutdown(void)
{
	if (!sup_shutting_down() && notify_send("STOPPING=1") == -1)
		log_warn("sd_notify STOPPING=1");
	sup_shutdown(server_all_stopped);
}

/* shutdown_on=: a program's end ends procd, with STATUS. */
static void
server_shutdown_status(int status)
{
	if (sup_shutting_down())
		return;
	srv.status = status;
	server_shutdown();
}

static void
server_signal_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	uint64_t m = sig_drain(w->fd);

	(void)loop;
	(void)revents;
#define HAS(s) (m & ((uint64_t)1 << (s)))
	if (HAS(SIGCHLD))
		sup_reap();
	if (HAS(SIGALRM))
		sup_tick();
	if (HAS(SIGUSR2)) {
		log_info("SIGUSR2: reopening log files");
		log_reopen();
		sup_reopen_logs();
	}
	if (HAS(SIGHUP) && !sup_shutting_down()) {
		(void)notify_reloading();
		reread_sighup();
		(void)notify_send("READY=1");
	}
	if (HAS(SIGTERM) || HAS(SIGINT) || HAS(SIGQUIT)) {
		if (!sup_shutting_down())
			log_info("received SIG%s: shutting down",
			    HAS(SIGTERM) ? "TERM" : HAS(SIGINT) ? "INT" :
			    "QUIT");
		server_shutdown();
	}
#undef HAS
}

/* Create DIR (one level) if it is missing. */
static void
server_mkdir(const char *path)
{
	char *dir = strdup(path), *slash;

	if (dir == NULL)
		return;
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST)
			log_warn("mkdir %s", dir);
	}
	free(dir);
}

/* A container's idiom: logfile=/dev/stdout.  Then stderr would say it all
 * a second time. */
static bool
server_log_is_stdio(const char *path)
{
	return strcmp(path, "/dev/stdout") == 0 ||
	    strcmp(path, "/dev/stderr") == 0 ||
	    strcmp(path, "/dev/fd/1") == 0 || strcmp(path, "/dev/fd/2") == 0;
}

/* What running every program at once holds, besides procd's own: in the
 * loop's descriptor table a pipe per stream procd reads, one to its stdin
 * (and a ready=fd pipe until it is ready); in the log writers' own table (lwpool.c) a
 * file per stream logged to a file.  Each table may hold up to the
 * limit. */
static void
server_fds_needed(const struct config *cfg, unsigned long long *loop,
    unsigned long long *files)
{
	*loop = *files = 0;
	for (size_t i = 0; i < cfg->nprogs; i++) {
		const struct program_config *pc = &cfg->progs[i];
		const struct logdest_config *ds[2] = { &pc->out,
		    pc->redirect_stderr ? NULL : &pc->err };

		for (size_t k = 0; k < 2; k++) {
			if (ds[k] == NULL || ds[k]->kind == LOGDEST_NONE)
				continue;
			(*loop)++;
			*files += ds[k]->kind == LOGDEST_FILE;
		}
		if (pc->ready.kind == READY_FD)
			(*loop)++;	/* held until it says it is ready */
		if (!pc->listener && !pc->fcgi)
			(*loop)++;	/* its stdin pipe (sendProcessStdin) */
	}
}

/*
 * procd's own share of the loop's table: the socket, the self-pipe, the
 * pidfile, the notify socket, a spare for accept(), the spawns in flight
 * (a pass of the spawn queue: exec-status pipes and the pipes being
 * handed over), and room for clients; the writers need a few of their
 * own.  Say now, precisely, when the limit cannot hold them all, rather
 * than as spawn errors later.
 */
#define SERVER_OWN_FDS 96
#define SERVER_WRITER_FDS 8

static void
server_fd_budget(const struct config *cfg)
{
	unsigned long long loop, files, need;
	struct rlimit rl;

	server_fds_needed(cfg, &loop, &files);
	need = loop + SERVER_OWN_FDS > files + SERVER_WRITER_FDS ?
	    loop + SERVER_OWN_FDS : files + SERVER_WRITER_FDS;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= need)
		return;
	log_warnx("%zu programs hold %llu pipes in procd's loop (1 per "
	    "stream it reads, 1 to each program's stdin) and %llu log files in its writers' table (1 per "
	    "stream logged to a file); each table may hold up to the limit, "
	    "%llu, and the loop needs %d more of its own: raise minfds to at "
	    "least %llu, or spawns will fail with 'Too many open files'",
	    cfg->nprogs, loop, files, (unsigned long long)rl.rlim_cur,
	    SERVER_OWN_FDS, need);
}

static void
server_rlimits(long minfds)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_cur >= (rlim_t)minfds)
		return;
	if (rl.rlim_max < (rlim_t)minfds && geteuid() == 0)
		rl.rlim_max = (rlim_t)minfds;
	rl.rlim_cur = rl.rlim_max < (rlim_t)minfds ? rl.rlim_max :
	    (rlim_t)minfds;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("setrlimit(RLIMIT_NOFILE, %ld)", minfds);
}

static void
server_unblock(void)
{
	sigset_t none;

	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) == -1)
		log_warn("sigprocmask");
}

/* The control socket: bound now, or the one a re-exec carried. */
static int
server_control(const struct config *cfg, const struct control_hooks *hooks,
    char **cause)
{
	const struct rxstate *rx = rxresume_state();

	if (rx == NULL)
		return control_listen(srv.loop, cfg, hooks, cause);
	return control_resume(srv.loop, cfg, hooks, rx->control_fd,
	    rx->control_path, cause);
}

/* Everything after detaching that may still fail. */
static int
server_setup(const struct server_opts *o)
{
	static const struct control_hooks hooks = {
		.request = cmd_dispatch, .gone = cmd_client_gone,
		.http = gwsup_pass,
	};
	struct config *cfg = srv.cfg;
	char *cause = NULL;
	int fd;

	if (strcmp(cfg->logfile, "syslog") != 0)
		server_mkdir(cfg->logfile);
	if (log_open(cfg->logfile, cfg->loglevel,
	    o->foreground && !server_log_is_stdio(cfg->logfile), &cause) == -1)
		goto fail;
	log_set_rotation(cfg->logfile_maxbytes, cfg->logfile_backups);
	/* The signal handlers before the pidfile: whoever reads the pid may
	 * send SIGTERM at once, and it must find procd ready for it. */
	if ((srv.loop = ev_loop_new(EVFLAG_NOSIGMASK)) == NULL) {
		cause = strdup("cannot create the event loop");
		goto fail;
	}
	if ((fd = sig_init(&cause)) == -1)
		goto fail;
	ev_io_init(&srv.sig_w, server_signal_cb, fd, EV_READ);
	ev_io_start(srv.loop, &srv.sig_w);
	/* A re-exec kept signals blocked for these handlers: what came
	 * meanwhile (a child's end) now waits in the self-pipe. */
	if (rxresume_state() != NULL)
		server_unblock();
	/* An empty pidfile would mislead init scripts: refuse to go on. */
	if (pidfile_write(srv.pid_fd, getpid()) == -1) {
		cause_set(&cause, "writing pidfile %s: %s", cfg->pidfile,
		    strerror(errno));
		goto fail;
	}
	umask((mode_t)cfg->umask);
	if (cfg->directory != NULL && chdir(cfg->directory) == -1) {
		cause_set(&cause, "directory %s: %s", cfg->directory,
		    strerror(errno));
		goto fail;
	}
	server_fd_budget(cfg);
	/* Orphans of our programs come to us: reaped, never zombies. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		log_warn("prctl(PR_SET_CHILD_SUBREAPER)");
	ownlog_start(srv.loop, cfg->logfile_maxbytes, cfg->logfile_backups);
	if (server_control(cfg, &hooks, &cause) == -1)
		goto fail;
	gwsup_start(srv.loop);
	return 0;
fail:
	server_fail(cause ? cause : "out of memory");
	log_warnx("start-up failed: %s", cause ? cause : "out of memory");
	free(cause);
	return -1;
}

/* Our children right now (adopted orphans, once the programs are down). */
static int
server_children(pid_t *out, int max)
{
	char path[64], buf[4096];
	int fd, n = 0;
	ssize_t len;
	char *p, *end;

	snprintf(path, sizeof path, "/proc/self/task/%ld/children",
	    (long)getpid());
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	for (p = buf; n < max; p = end) {
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		out[n++] = (pid_t)pid;
	}
	return n;
}

/* Signal the children listed now; reap what is gone, never waiting.
 * Returns how many were listed (the list holds up to 256 at a time, so
 * more than that go in later rounds). */
static int
server_orphans_round(int signo)
{
	pid_t kids[256];
	int n = server_children(kids, 256), st;

	for (int i = 0; i < n; i++)
		(void)sys->kill(kids[i], signo);
	while (sys->reap(&st) > 0)
		;
	return n;
}

/*
 * The programs are down; anything still our child is a descendant that
 * escaped its process group (setsid) and was handed to us as subreaper.
 * Leave nothing behind: SIGTERM, a grace period (5 s), then SIGKILL for
 * as long again.  Never a blocking wait: one that cannot die (stuck in
 * the kernel) is logged and left, procd still exits.
 */
static void
server_stop_orphans(void)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int n = server_orphans_round(SIGTERM);

	if (n == 0)
		return;
	log_info("stopping %d%s leftover process%s (descendants of stopped "
	    "programs; stopasgroup catches those that stay in the group)", n,
	    n == 256 ? " or more" : "", n == 1 ? "" : "es");
	/* Exiting: a short poll here holds up nothing else. */
	for (int i = 0; i < 250 && n > 0; i++) {
		nanosleep(&tick, NULL);
		n = server_orphans_round(i % 50 == 49 ? SIGTERM : 0);
	}
	for (int i = 0; i < 250 && n > 0; i++) {
		n = server_orphans_round(SIGKILL);
		if (n > 0)
			nanosleep(&tick, NULL);
	}
	if (n > 0)
		log_warnx("%d leftover process%s would not die; leaving "
		    "them", n, n == 1 ? "" : "es");
}

static void
server_cleanup(void)
{
	control_close();
	health_free();
	evbus_free();
	sup_free();
	heldsock_close_all();
	pidfile_remove(srv.cfg->pidfile, srv.pid_fd);
	ownlog_stop();	/* procd's last lines, before the loop goes */
	if (srv.loop != NULL) {
		ev_io_stop(srv.loop, &srv.sig_w);
		close(srv.sig_w.fd);
		ev_loop_destroy(srv.loop);
	}
	config_free(srv.cfg);
	log_close();
}

int
server_run(struct config *cfg, const struct server_opts *o)
{
	char *cause = NULL;
	struct cmd_hooks hooks = { .shutdown = server_shutdown };

	const struct rxstate *rx = rxresume_state();

	srv.cfg = cfg;
	notify_init();
	/* As root still: the hard limit can be raised only now. */
	server_rlimits(cfg->minfds);
	if (rx != NULL)
		gwsup_carried(rx->http_fd);
	/* As root still: [inet_http_server]'s port may be below 1024. */
	if (gwsup_prepare(cfg, &cause) == -1) {
		server_fail(cause ? cause : "out of memory");
		free(cause);
		config_free(cfg);
		return 1;
	}
	/* As root still: held sockets may be below 1024 or root's paths
	 * (after a re-exec, those the old image held are taken over). */
	rxresume_sockets(cfg);
	heldsock_prepare(cfg);
	/* Before any file of ours exists, so all of them are the user's. */
	if (rx == NULL && cfg->user != NULL &&
	    privdrop(cfg->user, &cause) == -1) {
		server_fail(cause ? cause : "out of memory");
		free(cause);
		config_free(cfg);
		return 1;
	}
	server_mkdir(cfg->pidfile);
	/* A re-exec carried the locked pidfile: the lock is the same open
	 * file's, and the pid the same process's. */
	if (rx != NULL)
		srv.pid_fd = rx->pid_fd;
	else if ((srv.pid_fd = pidfile_lock(cfg->pidfile, &cause)) == -1) {
		server_fail(cause ? cause : "out of memory");
		free(cause);
		config_free(cfg);
		return 1;
	}
	reexec_set_server(srv.pid_fd, cfg->path);
	if (!o->foreground && rx == NULL) {
		if ((srv.ready_fd = daemon_detach()) == -1)
			return server_fail("fork failed");
		if (chdir("/") == -1 || daemon_stdio_null() == -1)
			return server_fail("detaching from the terminal");
	}
	if (server_setup(o) == -1) {
		server_cleanup();
		return 1;
	}
	reread_init(cfg->path);
	sup_init(srv.loop, cfg);
	health_init(srv.loop);
	onfail_init(server_shutdown_status);
	sup_set_observer(server_observe, server_forget, server_settled);
	sup_set_event_observer(evbus_observe);
	hooks.loop = srv.loop;
	cmd_init(&hooks);
	selfstat.start = time(NULL);
	log_info("procd %s started with pid %ld (%zu programs, socket %s)",
	    PROCD_VERSION, (long)getpid(), cfg->nprogs, cfg->socket);
	evbus_init(srv.loop, cfg->socket);
	if (rx != NULL)
		rxresume_finish();	/* the programs run already */
	else
		sup_autostart();
	if (srv.ready_fd != -1) {
		daemon_ready(srv.ready_fd);
		srv.ready_fd = -1;
	}
	if (notify_send("READY=1") == -1)
		log_warn("sd_notify READY=1");
	ev_run(srv.loop, 0);
	/* Last replies out (a shutdown asked over HTTP), then the gateway
	 * goes before the leftover-process sweep would count it. */
	control_close();
	gwsup_stop();
	server_stop_orphans();
	if (srv.status != 0)
		log_info("procd exiting with status %d (shutdown_on)",
		    srv.status);
	else
		log_info("procd exiting");
	server_cleanup();
	return srv.status;
}
