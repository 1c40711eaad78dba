/*
 * gwsup.c -- procd's side of the HTTP/XML-RPC gateway (gwsup.h): the
 * inet socket, starting the gateway, the link to it, restarts.
 *
 * The link is a SOCK_SEQPACKET socketpair (gwctl.h has the messages).
 * procd's end is non-blocking: a gateway that does not read costs an
 * HTTP connection refused, never a wait.  Whatever the gateway sends is
 * taken as coming from an unprivileged local user: a channel it opens is
 * an ordinary control client with the slot limits of its uid.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "cause.h"
#include "config.h"
#include "control.h"
#include "gateway.h"
#include "gwctl.h"
#include "gwsup.h"
#include "log.h"
#include "sig.h"
#include "sys.h"

/* Backoff after the gateway dies: 1, 2, 4 ... at most this many seconds;
 * a gateway that lived GWSUP_STABLE seconds starts again from 1. */
#define GWSUP_BACKOFF_MAX	60
#define GWSUP_STABLE		30.0
/* The gateway's executable, in procd's own directory. */
#define GWSUP_EXE		"procd-gateway"

static struct {
	struct ev_loop	*loop;
	int		 exe_fd;	/* procd-gateway, for fexecve */
	char		*missing;	/* why there is none: -1 above */
	int		 listen_fd;	/* [inet_http_server]'s, or -1 */
	char		 init[GWMSG_MAX];
	size_t		 init_len;
	bool		 drop;		/* switch to uid/gid in the child */
	uid_t		 uid;
	gid_t		 gid;
	bool		 exposed;	/* listening beyond loopback, no password */
	char		 where[300];	/* "HOST:PORT", for the log */
	int		 link;		/* -1: no gateway */
	pid_t		 pid;
	int		 pidfd;
	ev_io		 link_w;
	ev_timer	 restart_w;
	ev_tstamp	 started;
	unsigned	 fails;
	bool		 stopping;
} gw = { .exe_fd = -1, .listen_fd = -1, .link = -1, .pidfd = -1 };

static void	gwsup_spawn(void);

/* Add S and its NUL to the INIT payload. */
static int
gwsup_init_add(const char *s)
{
	size_t n = strlen(s != NULL ? s : "") + 1;

	if (gw.init_len + n > sizeof gw.init)
		return -1;
	memcpy(gw.init + gw.init_len, s != NULL ? s : "", n);
	gw.init_len += n;
	return 0;
}

static bool
gwsup_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0
	    || strcmp(host, "::1") == 0;
}

/* Bind and listen on HOST:PORT ("" or "*": every address). */
static int
gwsup_bind(const char *host, int port, char **cause)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE,
	    .ai_socktype = SOCK_STREAM }, *res, *ai;
	char sport[16];
	int fd = -1, err, on = 1, saved = 0;

	snprintf(sport, sizeof sport, "%d", port);
	if (*host == '\0' || strcmp(host, "*") == 0)
		host = NULL;
	if ((err = getaddrinfo(host, sport, &hints, &res)) != 0)
		return cause_set(cause, "[inet_http_server] port=%s: %s",
		    gw.where, gai_strerror(err));
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
		if (fd == -1)
			continue;
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on)
		    == -1 || bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
		    listen(fd, 64) == -1) {
			saved = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd == -1)
		return cause_set(cause, "[inet_http_server] port=%s: %s",
		    gw.where, strerror(saved ? saved : EADDRNOTAVAIL));
	gw.listen_fd = fd;
	return 0;
}

/* Whom the gateway runs as: [procd] user= (procd becomes that user and
 * the gateway with it), else nobody when procd is root. */
static void
gwsup_user(const struct config *cfg)
{
	struct passwd *pw;

	gw.drop = cfg->user == NULL && geteuid() == 0;
	if (!gw.drop)
		return;
	gw.uid = 65534;
	gw.gid = 65534;
	if ((pw = getpwnam("nobody")) != NULL) {
		gw.uid = pw->pw_uid;
		gw.gid = pw->pw_gid;
	}
}

/* procd-gateway, beside the procd that runs (make install puts both in
 * one directory; a build tree has both in build/): opened now, so that
 * what is exec'd later is the file there at start-up. */
static int
gwsup_open_exe(char **cause)
{
	char path[PATH_MAX], *slash;
	size_t dir;
	ssize_t n;
	int fd, saved;

	if ((n = readlink("/proc/self/exe", path, sizeof path - 1)) == -1)
		return cause_set(cause, "HTTP gateway: /proc/self/exe: %s",
		    strerror(errno));
	path[n] = '\0';
	dir = (slash = strrchr(path, '/')) != NULL ?
	    (size_t)(slash - path) + 1 : 0;
	if (dir + sizeof GWSUP_EXE > sizeof path)
		return cause_set(cause, "HTTP gateway: %s: path too long",
		    path);
	memcpy(path + dir, GWSUP_EXE, sizeof GWSUP_EXE);
	/* Above the gateway's link (fd 3), which the child's dup2 would
	 * otherwise replace before the exec. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (gw.exe_fd = fcntl(fd, F_DUPFD_CLOEXEC, GATEWAY_LINK_FD + 1))
	    == -1) {
		saved = errno;
		if (fd != -1)
			close(fd);
		return cause_set(cause, "HTTP gateway: %s: %s", path,
		    strerror(saved));
	}
	close(fd);
	return 0;
}

int
gwsup_prepare(const struct config *cfg, char **cause)
{
	const struct http_config *h = &cfg->http;

	gwsup_user(cfg);
	/* Without the gateway procd still supervises and procctl works;
	 * only a port the config asks for makes it a failure to start. */
	if (gw.exe_fd == -1 && gwsup_open_exe(cause) == -1) {
		if (h->inet_port != NULL)
			return -1;
		free(gw.missing);	/* said once the log is open */
		gw.missing = *cause;
		*cause = NULL;
	}
	if (gwsup_init_add(h->inet_user) == -1 ||
	    gwsup_init_add(h->inet_pass) == -1 ||
	    gwsup_init_add(h->unix_user) == -1 ||
	    gwsup_init_add(h->unix_pass) == -1)
		return cause_set(cause, "HTTP credentials are too long");
	if (h->inet_port == NULL) {
		if (gw.listen_fd != -1)	/* carried, and not wanted now */
			close(gw.listen_fd);
		gw.listen_fd = -1;
		return 0;
	}
	snprintf(gw.where, sizeof gw.where, "%s", h->inet_port);
	gw.exposed = h->inet_user == NULL && !gwsup_loopback(h->inet_host);
	if (gw.listen_fd != -1)	/* bound by the image before a re-exec */
		return 0;
	return gwsup_bind(h->inet_host, h->inet_portnum, cause);
}

int
gwsup_carry(pid_t *pid)
{
	*pid = gw.link != -1 ? gw.pid : 0;
	return gw.listen_fd;
}

void
gwsup_carried(int fd)
{
	gw.listen_fd = fd;
}

/* What the child does between fork and exec: system calls only (it may
 * be a vfork child), and raw ones for credentials -- glibc's setuid()
 * would try to signal procd's other threads. */
struct gwchild {
	pid_t	 procd;
	int	 link, exe_fd;
	bool	 drop;
	uid_t	 uid;
	gid_t	 gid;
};

static void
gwsup_child(void *arg)
{
	const struct gwchild *a = arg;
	char *argv[] = { GWSUP_EXE, GATEWAY_ARG, NULL }, *envp[] = { NULL };

	sig_child_reset();
	if (a->link == GATEWAY_LINK_FD ? fcntl(a->link, F_SETFD, 0) == -1 :
	    dup2(a->link, GATEWAY_LINK_FD) == -1)
		_exit(127);
	if (a->drop && (syscall(SYS_setgroups, 0, NULL) == -1 ||
	    syscall(SYS_setresgid, a->gid, a->gid, a->gid) == -1 ||
	    syscall(SYS_setresuid, a->uid, a->uid, a->uid) == -1))
		_exit(126);
	/* The gateway goes with procd, whatever kills procd.  After the
	 * switch of user, which clears it; and if procd is already gone,
	 * at once. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != a->procd)
		_exit(127);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		_exit(127);
	fexecve(a->exe_fd, argv, envp);
	_exit(127);
}

static void
gwsup_restart_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	gwsup_spawn();
}

/* The gateway is gone (or misbehaved): clean up, come back later. */
static void
gwsup_down(const char *why)
{
	double delay;

	if (gw.link != -1) {
		ev_io_stop(gw.loop, &gw.link_w);
		close(gw.link);
		gw.link = -1;
	}
	if (gw.pidfd != -1) {	/* a pidfd cannot hit a reused pid */
		(void)syscall(SYS_pidfd_send_signal, gw.pidfd, SIGKILL, NULL,
		    0);
		close(gw.pidfd);
		gw.pidfd = -1;
	}
	if (ev_now(gw.loop) - gw.started >= GWSUP_STABLE)
		gw.fails = 0;
	delay = gw.fails < 6 ? (double)(1u << gw.fails) : GWSUP_BACKOFF_MAX;
	gw.fails++;
	log_warnx("HTTP gateway (pid %ld) %s; restarting it in %.0f s",
	    (long)gw.pid, why, delay);
	gw.pid = 0;
	ev_timer_set(&gw.restart_w, delay, 0);
	ev_timer_start(gw.loop, &gw.restart_w);
}

/* A channel the gateway opened: a control client from now on. */
static void
gwsup_channel(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == -1 || !S_ISSOCK(st.st_mode) ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) == -1) {
		log_warnx("HTTP gateway sent a descriptor that is not a "
		    "socket; ignored");
		close(fd);
		return;
	}
	control_adopt(fd);
}

static void
gwsup_link_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	char data[GWMSG_MAX];
	uint8_t type;
	long n;
	int fd;

	(void)loop;
	(void)w;
	(void)revents;
	/* A bounded number per pass: the loop has other clients. */
	for (int i = 0; i < 16; i++) {
		if ((n = gwmsg_recv(gw.link, &type, data, &fd)) == -1 &&
		    errno == EAGAIN)
			return;
		if (n <= 0) {
			gwsup_down(n == 0 ? "exited" : "link failed");
			return;
		}
		if (type == GWMSG_CHANNEL && fd != -1)
			gwsup_channel(fd);
		else {
			if (fd != -1)
				close(fd);
			log_warnx("HTTP gateway sent an unknown message; "
			    "ignored");
		}
	}
}

static void
gwsup_spawn(void)
{
	struct gwchild a;
	sigset_t old;
	int sv[2];

	if (gw.link != -1 || gw.stopping)
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("HTTP gateway: socketpair");
		return;
	}
	a = (struct gwchild){ getpid(), sv[1], gw.exe_fd, gw.drop, gw.uid,
	    gw.gid };
	sig_block_all(&old);
	gw.pid = sys->spawn(gwsup_child, &a);
	sig_restore(&old);
	close(sv[1]);
	if (gw.pid == -1) {
		log_warn("HTTP gateway: fork");
		close(sv[0]);
		gw.started = ev_now(gw.loop);
		gwsup_down("could not be started");
		return;
	}
	gw.pidfd = (int)syscall(SYS_pidfd_open, gw.pid, 0);
	gw.link = sv[0];
	gw.started = ev_now(gw.loop);
	if (fcntl(gw.link, F_SETFL, O_NONBLOCK) == -1 ||
	    gwmsg_send(gw.link, GWMSG_INIT, gw.init, gw.init_len,
	    gw.listen_fd) == -1)
		log_warn("HTTP gateway: link");
	ev_io_init(&gw.link_w, gwsup_link_cb, gw.link, EV_READ);
	ev_io_start(gw.loop, &gw.link_w);
	log_info("HTTP gateway started with pid %ld%s%s", (long)gw.pid,
	    gw.listen_fd != -1 ? ", serving " : "",
	    gw.listen_fd != -1 ? gw.where : "");
}

void
gwsup_start(struct ev_loop *loop)
{
	gw.loop = loop;
	ev_init(&gw.restart_w, gwsup_restart_cb);
	if (gw.missing != NULL) {
		log_warnx("%s: HTTP clients on the control socket "
		    "(supervisorctl, browsers) are refused; procctl is not "
		    "affected", gw.missing);
		free(gw.missing);
		gw.missing = NULL;
	}
	if (gw.listen_fd == -1)
		return;
	if (gw.exposed)
		log_warnx("[inet_http_server] listens on %s beyond loopback "
		    "with no username and password: anyone who can reach it "
		    "controls every program", gw.where);
	gwsup_spawn();
}

int
gwsup_pass(int fd)
{
	if (gw.loop == NULL || gw.exe_fd == -1)
		return -1;
	/* Started at the first HTTP client; not while backing off. */
	if (gw.link == -1 && !ev_is_active(&gw.restart_w))
		gwsup_spawn();
	if (gw.link == -1)
		return -1;
	return gwmsg_send(gw.link, GWMSG_CONN, "", 0, fd);
}

/* Wait up to about MS milliseconds for the gateway to exit. */
static bool
gwsup_wait(int ms)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int st;

	for (int i = 0; i < ms / 10; i++) {
		if (waitpid(gw.pid, &st, WNOHANG) != 0)
			return true;	/* reaped, or not ours any more */
		nanosleep(&tick, NULL);
	}
	return false;
}

void
gwsup_stop(void)
{
	gw.stopping = true;
	if (gw.loop != NULL) {
		ev_timer_stop(gw.loop, &gw.restart_w);
		if (gw.link != -1)
			ev_io_stop(gw.loop, &gw.link_w);
	}
	if (gw.link != -1) {
		/* At its EOF the gateway finishes what it is answering (a
		 * shutdown's own reply) and exits: procd is exiting too, so
		 * a short wait here holds up nothing. */
		close(gw.link);
		gw.link = -1;
		if (gw.pid > 0 && !gwsup_wait(2000) && gw.pidfd != -1) {
			(void)syscall(SYS_pidfd_send_signal, gw.pidfd, SIGKILL,
			    NULL, 0);
			(void)gwsup_wait(1000);
		}
	}
	if (gw.pidfd != -1)
		close(gw.pidfd);
	gw.pidfd = -1;
	if (gw.listen_fd != -1)
		close(gw.listen_fd);
	gw.listen_fd = -1;
	if (gw.exe_fd != -1)
		close(gw.exe_fd);
	gw.exe_fd = -1;
	free(gw.missing);
	gw.missing = NULL;
}
