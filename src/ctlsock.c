/*
 * ctlsock.c -- the control socket as a file: its directory (created 0700,
 * refused when others could replace the socket), a stale socket left by a
 * dead procd (removed; a live one never is), bind and listen, and its mode
 * and owner.  Serving clients on it is control.c's business.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cause.h"
#include "config.h"
#include "ctlsock.h"
#include "log.h"
#include "cfguser.h"

/* Is there a procd answering on PATH?  1 yes, 0 no (stale), -1 error. */
static int
ctlsock_probe(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, r;

	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	r = connect(fd, (struct sockaddr *)&sun, sizeof sun);
	close(fd);
	if (r == 0)
		return 1;
	return errno == ECONNREFUSED ? 0 : -1;
}

/* Make sure nothing live is at PATH; remove a stale socket. */
static int
ctlsock_clear_path(const char *path, char **cause)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 :
		    cause_set(cause, "socket %s: %s", path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return cause_set(cause, "socket %s: exists and is not a "
		    "socket; not touching it", path);
	switch (ctlsock_probe(path)) {
	case 1:
		return cause_set(cause, "socket %s is busy: another procd "
		    "answers there", path);
	case 0:
		log_info("removing stale socket %s", path);
		if (unlink(path) == -1)
			return cause_set(cause, "unlink stale socket %s: %s",
			    path, strerror(errno));
		return 0;
	default:
		return cause_set(cause, "socket %s: %s", path,
		    strerror(errno));
	}
}

/*
 * Whoever can write the socket's directory can replace the socket (and
 * impersonate procd to procctl): refuse a directory that is not ours or
 * root's, or that others may write without the sticky bit (as /tmp has).
 */
static int
ctlsock_check_dir(const char *dir, char **cause)
{
	struct stat st;

	if (lstat(dir, &st) == -1)
		return cause_set(cause, "socket directory %s: %s", dir,
		    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cause_set(cause, "unsafe socket directory %s: not a "
		    "directory (a symlink?)", dir);
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return cause_set(cause, "unsafe socket directory %s: owned "
		    "by uid %ld", dir, (long)st.st_uid);
	if ((st.st_mode & 0022) != 0 && (st.st_mode & S_ISVTX) == 0)
		return cause_set(cause, "unsafe socket directory %s: "
		    "writable by others (mode %04o)", dir,
		    (unsigned)(st.st_mode & 07777));
	return 0;
}

/* Create the socket's directory 0700 if it is missing; check it. */
static int
ctlsock_make_dir(const char *path, char **cause)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof dir, "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return cause_set(cause, "socket directory %s: %s", dir,
		    strerror(errno));
	return ctlsock_check_dir(dir, cause);
}

/* socket_owner=USER[:GROUP], names or numbers; *GROUP becomes the
 * socket's group.  With no GROUP the group is left as it is, as
 * supervisord's chown=user does. */
static int
ctlsock_chown(const char *path, const char *owner, gid_t *groupp,
    char **cause)
{
	struct stat sb;
	uid_t uid;
	gid_t gid;
	char *why = NULL;

	if (cfguser_owner(owner, &uid, &gid, &why) == -1) {
		cause_set(cause, "socket_owner: %s", why ? why : "out of memory");
		free(why);
		return -1;
	}
	if (chown(path, uid, gid) == -1 || stat(path, &sb) == -1)
		return cause_set(cause, "chown %s: %s", path, strerror(errno));
	*groupp = sb.st_gid;
	return 0;
}

static int
ctlsock_bind(const struct config *cfg, char **cause)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, r;

	if (strlen(cfg->socket) >= sizeof sun.sun_path)
		return cause_set(cause, "socket path too long (%zu bytes, "
		    "at most %zu): %s", strlen(cfg->socket),
		    sizeof sun.sun_path - 1, cfg->socket);
	memcpy(sun.sun_path, cfg->socket, strlen(cfg->socket) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return cause_set(cause, "socket: %s", strerror(errno));
	/* No moment where the socket exists with looser permissions. */
	old = umask(~cfg->socket_mode & 0777);
	r = bind(fd, (struct sockaddr *)&sun, sizeof sun);
	umask(old);
	if (r == -1 || listen(fd, 128) == -1) {
		cause_set(cause, "bind %s: %s", cfg->socket, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
ctlsock_open(const struct config *cfg, gid_t *group, char **cause)
{
	int fd;

	*group = (gid_t)-1;
	if (ctlsock_make_dir(cfg->socket, cause) == -1 ||
	    ctlsock_clear_path(cfg->socket, cause) == -1)
		return -1;
	if ((fd = ctlsock_bind(cfg, cause)) == -1)
		return -1;
	if (chmod(cfg->socket, cfg->socket_mode) == -1 ||
	    (cfg->socket_owner != NULL && ctlsock_chown(cfg->socket,
	    cfg->socket_owner, group, cause) == -1)) {
		if (*cause == NULL)
			cause_set(cause, "chmod %s: %s", cfg->socket,
			    strerror(errno));
		close(fd);
		unlink(cfg->socket);
		return -1;
	}
	return fd;
}
