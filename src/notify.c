/*
 * notify.c -- sd_notify, implemented directly (notify.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "notify.h"
#include "sys.h"

static char *notify_path;

void
notify_init(void)
{
	const char *p = getenv("NOTIFY_SOCKET");

	if (p != NULL && *p != '\0')
		notify_path = strdup(p);
	/* The socket is procd's; a program must not talk to our manager. */
	unsetenv("NOTIFY_SOCKET");
}

bool
notify_enabled(void)
{
	return notify_path != NULL;
}

int
notify_send(const char *msg)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = notify_path;
	size_t len;
	socklen_t slen;
	ssize_t n;
	int fd;

	if (path == NULL || *path == '\0')
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof sun.sun_path) {
		errno = EINVAL;
		return -1;
	}
	memcpy(sun.sun_path, path, len);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';	/* abstract namespace */
	slen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	n = sys_sendto(fd, msg, strlen(msg), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, slen);
	close(fd);
	return n == -1 ? -1 : 0;
}

int
notify_reloading(void)
{
	struct timespec ts;
	char msg[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof msg, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
	return notify_send(msg);
}

const char *
notify_socket(void)
{
	return notify_path;
}
