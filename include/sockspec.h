/*
 * sockspec.h -- listening sockets as a config names them: the URL of
 * [fcgi-program:] socket= and the list of [program:] sockets= (pure
 * parsing, no system calls; heldsock.h binds them).
 *
 *   tcp://HOST:PORT        HOST a name, an IPv4 address or [IPv6]
 *   unix:///ABSOLUTE/PATH
 *
 * sockets= is a comma-separated list of such URLs, each followed by
 * options separated by blanks: name=NAME (its LISTEN_FDNAMES entry),
 * backlog=N (1-65535), and for unix sockets mode=OCTAL and
 * owner=USER[:GROUP].
 */
#ifndef PROCD_SOCKSPEC_H
#define PROCD_SOCKSPEC_H

#include <stdbool.h>
#include <stddef.h>

/* The most sockets= may list (descriptors 3 .. 3 + max - 1). */
#define SOCKSPEC_MAX		64
/* systemd's limit on one LISTEN_FDNAMES name. */
#define SOCKSPEC_NAME_MAX	255
#define SOCKSPEC_BACKLOG_MAX	65535

enum sockspec_kind {
	SOCKSPEC_TCP,
	SOCKSPEC_UNIX,
};

struct sockspec {
	enum sockspec_kind kind;
	char	*url;		/* canonical: tcp://host:port, unix:///path */
	char	*host;		/* TCP: for getaddrinfo (no brackets) */
	char	*port;		/* TCP: digits, 1-65535 */
	char	*path;		/* UNIX: absolute, normalized */
	char	*name;		/* name=; NULL: the caller's default */
	char	*owner;		/* UNIX: "user[:group]"; NULL: default */
	int	 mode;		/* UNIX: permission bits; -1: default */
	int	 backlog;	/* -1: SOMAXCONN */
};

/* One URL (socket= of [fcgi-program:]) into *SPEC; -1 with CAUSE. */
int	sockspec_url(const char *text, struct sockspec *spec, char **cause);
/* sockets=: *V (N entries, at least one) or -1 with CAUSE. */
int	sockspec_list(const char *text, struct sockspec **v, size_t *n,
	    char **cause);
/* The same socket, bound the same way (name aside). */
bool	sockspec_same(const struct sockspec *, const struct sockspec *);
/* A copy of A into *B; -1 when memory ran out. */
int	sockspec_copy(struct sockspec *b, const struct sockspec *a);
void	sockspec_free(struct sockspec *);
void	sockspec_list_free(struct sockspec *v, size_t n);

#endif
