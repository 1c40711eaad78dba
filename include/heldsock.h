/*
 * heldsock.h -- listening sockets procd holds for its programs: bound
 * once per (group, URL), handed to every process of the group at each
 * spawn ([fcgi-program:] as fd 0, sockets= from fd 3 with systemd's
 * LISTEN_FDS), kept open across restarts, closed (a unix socket's file
 * unlinked) when the last process of the group that uses it is gone.
 *
 * Every descriptor here is close-on-exec in procd.  A failed bind is
 * logged and tried again at the next spawn, which fails with the reason
 * until it works: a busy address costs that program only.
 *
 * For a re-exec of procd: heldsock_count/heldsock_at list what is held,
 * heldsock_find looks one up, heldsock_adopt takes one over from the
 * previous image.
 */
#ifndef PROCD_HELDSOCK_H
#define PROCD_HELDSOCK_H

#include <stddef.h>

struct config;
struct program_config;
struct sockspec;

/* What is known of one held socket (borrowed; valid until it changes). */
struct heldsock_info {
	const char	*group;
	const struct sockspec *spec;	/* ->url identifies it */
	int		 fd;		/* -1: not bound (see error) */
	unsigned	 refs;		/* processes that hold it */
	const char	*error;		/* the last bind failure, or NULL */
};

/* At start-up, before privileges are dropped: bind every socket CF's
 * programs name, so that ports below 1024 and root-only paths work. */
void	heldsock_prepare(const struct config *cf);
/* A process of PC comes (goes): hold (drop) the sockets it names.  The
 * last drop closes a socket. */
void	heldsock_hold(const struct program_config *pc);
void	heldsock_drop(const struct program_config *pc);
/* The descriptors PC's next process gets, in its sockets' order, into
 * FDS (pc->nsockets of them); -1 with CAUSE when one cannot be bound. */
int	heldsock_fds(const struct program_config *pc, int *fds, char *cause,
	    size_t len);
/* Close everything (shutdown). */
void	heldsock_close_all(void);

size_t	heldsock_count(void);
/* Entry I (< heldsock_count()); the order changes as sockets come and go. */
int	heldsock_at(size_t i, struct heldsock_info *out);
/* The socket GROUP holds at URL: its index, or -1. */
long	heldsock_find(const char *group, const char *url);
/* Hold FD, already bound and listening as SPEC, for GROUP (no process
 * holds it yet): a re-exec's new image.  -1 when memory ran out. */
int	heldsock_adopt(const char *group, const struct sockspec *spec, int fd);

#endif
