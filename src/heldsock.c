/*
 * heldsock.c -- the listening sockets procd holds for its programs
 * (heldsock.h): the table, binding, ownership and mode, closing.
 *
 * A socket is identified by (group, URL): every process of a pool shares
 * one, and the same URL in another group is another socket (which then
 * fails to bind, with the reason, for that group only).  A unix socket's
 * file is made only where nothing live is (a stale socket is replaced; a
 * socket something answers on, or anything that is not a socket, is
 * refused), its owner and mode are set through an O_PATH descriptor, so
 * no symlink planted meanwhile is followed, and it is unlinked at the end
 * only if it is still the file procd made.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cause.h"
#include "cfguser.h"
#include "config.h"
#include "heldsock.h"
#include "log.h"
#include "sockspec.h"

/* supervisord's default socket_mode for a unix socket. */
#define HELDSOCK_UNIX_MODE	0700

struct heldsock {
	char		*group;
	struct sockspec	 spec;
	char		*user;		/* the program's user=: default owner */
	int		 fd;		/* -1: not bound */
	unsigned	 refs;
	bool		 made_file;	/* a unix socket file procd made: */
	dev_t		 dev;		/* its identity, so that only that */
	ino_t		 ino;		/* file is ever unlinked */
	char		*error;		/* the last bind failure */
	bool		 told;		/* its bind was logged */
};

static struct heldsock **held;
static size_t nheld;
/* heldsock_prepare runs before procd's log is open: what it binds is
 * logged once a process holds it (heldsock_tell). */
static bool heldsock_quiet;
/* [procd] user=, whom procd becomes after heldsock_prepare: a unix
 * socket made before that is given to that user, as supervisord, which
 * binds after becoming it, would have it. */
static char *heldsock_procd_user;

static struct heldsock *
heldsock_lookup(const char *group, const char *url)
{
	long i = heldsock_find(group, url);

	return i == -1 ? NULL : held[i];
}

long
heldsock_find(const char *group, const char *url)
{
	for (size_t i = 0; i < nheld; i++)
		if (strcmp(held[i]->group, group) == 0 &&
		    strcmp(held[i]->spec.url, url) == 0)
			return (long)i;
	return -1;
}

/* The owner a unix socket gets: owner=, else the program's user when it
 * is not procd's (supervisord's rule); *UID -1: leave it. */
static int
heldsock_owner(const struct heldsock *h, uid_t *uid, gid_t *gid,
    char **cause)
{
	struct passwd *pw;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (h->spec.owner != NULL)
		return cfguser_owner(h->spec.owner, uid, gid, cause);
	if (h->user == NULL)
		return 0;
	if ((pw = getpwnam(h->user)) == NULL)
		return cause_set(cause, "no such user '%s'", h->user);
	if (pw->pw_uid != geteuid()) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	}
	return 0;
}

/* Whether something answers on the unix socket at PATH: 1 yes, 0 no
 * (stale), -1 could not tell. */
static int
heldsock_live(const struct sockaddr_un *sun)
{
	int fd, r;

	/* Non-blocking: a listener with a full queue must not hold procd. */
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return -1;
	r = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	if (r == 0 || errno == EAGAIN || errno == EINPROGRESS ||
	    errno == EINTR)
		r = 1;	/* accepted, or queued behind others: live */
	else
		r = errno == ECONNREFUSED ? 0 : -1;
	close(fd);
	return r;
}

/* Make room for a unix socket at SUN: nothing there, or a stale socket
 * (removed); anything else is refused. */
static int
heldsock_unix_room(const struct sockaddr_un *sun, char **cause)
{
	const char *path = sun->sun_path;
	struct stat sb;

	if (lstat(path, &sb) == -1)
		return errno == ENOENT ? 0 : cause_set(cause, "%s: %s", path,
		    strerror(errno));
	if (!S_ISSOCK(sb.st_mode))
		return cause_set(cause, "%s exists and is not a socket (not "
		    "replaced)", path);
	switch (heldsock_live(sun)) {
	case 1:
		return cause_set(cause, "%s: a running program listens there "
		    "already", path);
	case 0:
		if (unlink(path) == -1 && errno != ENOENT)
			return cause_set(cause, "unlink stale socket %s: %s",
			    path, strerror(errno));
		return 0;
	default:
		return cause_set(cause, "%s: %s", path, strerror(errno));
	}
}

/* The owner and mode of the socket file H just made, set on the file
 * itself (an O_PATH descriptor taken without following symlinks). */
static int
heldsock_unix_attrs(struct heldsock *h, char **cause)
{
	const char *path = h->spec.path;
	char proc[64];
	struct stat sb;
	uid_t uid;
	gid_t gid;
	int fd, r = -1;

	if (heldsock_owner(h, &uid, &gid, cause) == -1)
		return -1;
	if ((fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return cause_set(cause, "%s: %s", path, strerror(errno));
	if (fstat(fd, &sb) == -1 || !S_ISSOCK(sb.st_mode)) {
		cause_set(cause, "%s: not the socket just made", path);
		goto out;
	}
	h->made_file = true;
	h->dev = sb.st_dev;
	h->ino = sb.st_ino;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    fchownat(fd, "", uid, gid, AT_EMPTY_PATH) == -1) {
		cause_set(cause, "chown %s: %s", path, strerror(errno));
		goto out;
	}
	if (chmod(proc, (mode_t)(h->spec.mode != -1 ? h->spec.mode :
	    HELDSOCK_UNIX_MODE)) == -1) {
		cause_set(cause, "chmod %s: %s", path, strerror(errno));
		goto out;
	}
	r = 0;
out:
	close(fd);
	return r;
}

/* Unlink H's socket file if it is still the one procd made. */
static void
heldsock_unlink(struct heldsock *h)
{
	struct stat sb;

	if (!h->made_file)
		return;
	h->made_file = false;
	if (lstat(h->spec.path, &sb) == 0 && sb.st_dev == h->dev &&
	    sb.st_ino == h->ino && unlink(h->spec.path) == -1)
		log_warn("socket %s: unlink", h->spec.url);
}

/* A bound unix socket for H in *FD. */
static int
heldsock_bind_unix(struct heldsock *h, int *fd, char **cause)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	/* sockspec.c checked the length. */
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", h->spec.path);
	if (heldsock_unix_room(&sun, cause) == -1)
		return -1;
	if ((*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return cause_set(cause, "socket: %s", strerror(errno));
	if (bind(*fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		cause_set(cause, "bind %s: %s", h->spec.path, strerror(errno));
		close(*fd);
		return -1;
	}
	if (heldsock_unix_attrs(h, cause) == -1) {
		heldsock_unlink(h);
		close(*fd);
		return -1;
	}
	return 0;
}

/* A bound TCP socket for H in *FD: IPv4 unless the host is [IPv6], as
 * supervisord binds tcp://localhost:N on 127.0.0.1. */
static int
heldsock_bind_tcp(struct heldsock *h, int *fd, char **cause)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
	    .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *ai;
	int one = 1, r;

	hints.ai_family = strncmp(h->spec.url, "tcp://[", 7) == 0 ?
	    AF_INET6 : AF_INET;
	if ((r = getaddrinfo(h->spec.host, h->spec.port, &hints, &ai)) != 0)
		return cause_set(cause, "%s: %s", h->spec.host,
		    r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
	*fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*fd == -1) {
		cause_set(cause, "socket: %s", strerror(errno));
		freeaddrinfo(ai);
		return -1;
	}
	if (setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ==
	    -1 || bind(*fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		cause_set(cause, "bind: %s", strerror(errno));
		close(*fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	return 0;
}

/* listen() with H's backlog; again on a bound socket, it changes it. */
static int
heldsock_listen(const struct heldsock *h, char **cause)
{
	if (listen(h->fd, h->spec.backlog != -1 ? h->spec.backlog :
	    SOMAXCONN) == -1)
		return cause_set(cause, "listen: %s", strerror(errno));
	return 0;
}

/* Log how H's last bind went, once. */
static void
heldsock_tell(struct heldsock *h)
{
	if (h->told)
		return;
	h->told = true;
	if (h->fd != -1)
		log_info("socket %s: listening for %s", h->spec.url, h->group);
	else
		log_warnx("%s: %s", h->group, h->error != NULL ? h->error :
		    "socket: out of memory");
}

/* Bind H if it is not; a failure is remembered in h->error and logged. */
static int
heldsock_bind(struct heldsock *h)
{
	char *cause = NULL;
	int fd = -1, r;

	if (h->fd != -1)
		return 0;
	r = h->spec.kind == SOCKSPEC_UNIX ? heldsock_bind_unix(h, &fd,
	    &cause) : heldsock_bind_tcp(h, &fd, &cause);
	if (r == 0) {
		h->fd = fd;
		if ((r = heldsock_listen(h, &cause)) == -1) {
			close(h->fd);
			h->fd = -1;
			heldsock_unlink(h);
		}
	}
	free(h->error);
	h->error = NULL;
	if (r == -1 && asprintf(&h->error, "socket %s: %s", h->spec.url,
	    cause != NULL ? cause : "out of memory") == -1)
		h->error = NULL;
	free(cause);
	h->told = false;
	if (!heldsock_quiet)
		heldsock_tell(h);
	return r;
}

static void
heldsock_free(struct heldsock *h)
{
	if (h->fd != -1) {
		close(h->fd);
		heldsock_unlink(h);
		log_info("socket %s: closed (%s)", h->spec.url, h->group);
	}
	free(h->group);
	free(h->user);
	free(h->error);
	sockspec_free(&h->spec);
	free(h);
}

/* A new entry for SPEC in GROUP (not bound yet), or NULL. */
static struct heldsock *
heldsock_new(const char *group, const struct sockspec *spec,
    const char *user)
{
	struct heldsock **v, *h;

	if ((v = reallocarray(held, nheld + 1, sizeof *v)) == NULL)
		return NULL;
	held = v;
	if ((h = calloc(1, sizeof *h)) == NULL)
		return NULL;
	h->fd = -1;
	if ((h->group = strdup(group)) == NULL ||
	    (user != NULL && (h->user = strdup(user)) == NULL) ||
	    sockspec_copy(&h->spec, spec) == -1) {
		free(h->group);
		free(h->user);
		free(h);
		return NULL;
	}
	held[nheld++] = h;
	return h;
}

/* A held socket whose options changed (update): apply the new ones. */
static void
heldsock_retune(struct heldsock *h, const struct sockspec *spec)
{
	struct sockspec copy;
	char *cause = NULL;

	if (sockspec_same(&h->spec, spec) || sockspec_copy(&copy, spec) == -1)
		return;
	sockspec_free(&h->spec);
	h->spec = copy;
	if (h->fd == -1)
		return;
	if (heldsock_listen(h, &cause) == -1 || (h->spec.kind ==
	    SOCKSPEC_UNIX && heldsock_unix_attrs(h, &cause) == -1))
		log_warnx("%s: socket %s: %s", h->group, h->spec.url,
		    cause != NULL ? cause : "out of memory");
	free(cause);
}

/* The entry for socket I of PC, made (and bound) if there was none. */
static struct heldsock *
heldsock_get(const struct program_config *pc, size_t i)
{
	const struct sockspec *spec = &pc->sockets[i];
	struct heldsock *h = heldsock_lookup(pc->group, spec->url);

	if (h != NULL) {
		heldsock_retune(h, spec);
		return h;
	}
	if ((h = heldsock_new(pc->group, spec, pc->user != NULL ? pc->user :
	    heldsock_procd_user)) == NULL) {
		log_warnx("%s: socket %s: out of memory", pc->group,
		    spec->url);
		return NULL;
	}
	(void)heldsock_bind(h);
	return h;
}

void
heldsock_prepare(const struct config *cf)
{
	free(heldsock_procd_user);
	heldsock_procd_user = NULL;
	if (cf->user != NULL && (heldsock_procd_user = strdup(cf->user)) ==
	    NULL)
		log_warnx("heldsock: out of memory");
	heldsock_quiet = true;
	for (size_t p = 0; p < cf->nprogs; p++)
		for (size_t i = 0; i < cf->progs[p].nsockets; i++)
			(void)heldsock_get(&cf->progs[p], i);
	heldsock_quiet = false;
}

void
heldsock_hold(const struct program_config *pc)
{
	struct heldsock *h;

	for (size_t i = 0; i < pc->nsockets; i++) {
		if ((h = heldsock_get(pc, i)) == NULL)
			continue;
		h->refs++;
		heldsock_tell(h);
	}
}

/* Take entry I out of the table and close it. */
static void
heldsock_remove(size_t i)
{
	struct heldsock *h = held[i];

	memmove(&held[i], &held[i + 1], (nheld - i - 1) * sizeof *held);
	nheld--;
	heldsock_free(h);
}

void
heldsock_drop(const struct program_config *pc)
{
	long i;

	for (size_t k = 0; k < pc->nsockets; k++) {
		i = heldsock_find(pc->group, pc->sockets[k].url);
		if (i == -1 || held[i]->refs == 0)
			continue;
		if (--held[i]->refs == 0)
			heldsock_remove((size_t)i);
	}
}

int
heldsock_fds(const struct program_config *pc, int *fds, char *cause,
    size_t len)
{
	struct heldsock *h;

	for (size_t i = 0; i < pc->nsockets; i++) {
		if ((h = heldsock_get(pc, i)) == NULL) {
			snprintf(cause, len, "socket %s: out of memory",
			    pc->sockets[i].url);
			return -1;
		}
		if (heldsock_bind(h) == -1) {
			snprintf(cause, len, "%s", h->error != NULL ?
			    h->error : "socket: out of memory");
			return -1;
		}
		fds[i] = h->fd;
	}
	return 0;
}

void
heldsock_close_all(void)
{
	while (nheld > 0)
		heldsock_remove(nheld - 1);
	free(held);
	held = NULL;
	free(heldsock_procd_user);
	heldsock_procd_user = NULL;
}

size_t
heldsock_count(void)
{
	return nheld;
}

int
heldsock_at(size_t i, struct heldsock_info *out)
{
	if (i >= nheld)
		return -1;
	*out = (struct heldsock_info){ held[i]->group, &held[i]->spec,
	    held[i]->fd, held[i]->refs, held[i]->error };
	return 0;
}

int
heldsock_adopt(const char *group, const struct sockspec *spec, int fd)
{
	struct heldsock *h;

	struct stat sb;

	if ((h = heldsock_new(group, spec, NULL)) == NULL)
		return -1;
	h->fd = fd;
	/* The previous image made this file: it goes with the socket. */
	if (spec->kind == SOCKSPEC_UNIX && lstat(spec->path, &sb) == 0 &&
	    S_ISSOCK(sb.st_mode)) {
		h->made_file = true;
		h->dev = sb.st_dev;
		h->ino = sb.st_ino;
	}
	return 0;
}
