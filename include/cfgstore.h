/*
 * cfgstore.h -- the config as read, before it becomes a struct config: every
 * file, every section (merged by name, as supervisord merges them) and the
 * last value of every key with the file and line it came from.
 *
 * This is where procd decides which keys it knows and warns about the ones
 * it ignores; cfgget.h turns a key into a typed value.
 */
#ifndef PROCD_CFGSTORE_H
#define PROCD_CFGSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

enum cfgsect_type {
	CFGSECT_PROCD,
	CFGSECT_SUPERVISORD,
	CFGSECT_UNIX_HTTP,
	CFGSECT_SUPERVISORCTL,
	CFGSECT_INCLUDE,
	CFGSECT_PROGRAM,
	CFGSECT_GROUP,
	CFGSECT_RPCINTERFACE,
	CFGSECT_INET_HTTP,
	CFGSECT_EVENTLISTENER,
	CFGSECT_FCGI,
	CFGSECT_CTLPLUGIN,
	CFGSECT_DEFAULT,
	CFGSECT_UNKNOWN,
};

struct cfgfile {
	char		*path;		/* as shown in messages */
	char		*dir;		/* absolute: %(here)s, relative paths */
};

struct cfgkey {
	char		*name;
	char		*value;		/* raw: not yet %(x)s-expanded */
	size_t		 file;		/* index in cfgstore.files */
	int		 line;
};

struct cfgsect {
	char		*name;		/* the header: "program:web" */
	enum cfgsect_type type;
	char		*arg;		/* after "type:", stripped; "" if none */
	size_t		 file;		/* where the header first appears */
	int		 line;
	struct cfgkey	*keys;
	size_t		 nkeys, cap;
};

struct cfgstore {
	struct cfgfile	*files;
	size_t		 nfiles;
	struct cfgsect	*sects;		/* in order of first appearance */
	size_t		 nsects, sectcap;
	size_t		*byname;	/* a hash of sects by name: index + 1,
					 * 0 empty; byname_cap slots */
	size_t		 byname_cap;
	struct diag_list *diags;
};

/* Add a file; returns its index, or -1 when memory ran out. */
long		 cfgstore_file(struct cfgstore *, const char *path,
		    const char *dir);
/* The section NAME, created (with any warning it deserves) if new; its
 * index, or -1 when memory ran out. */
long		 cfgstore_section(struct cfgstore *, const char *name,
		    size_t file, int line);
/* Set KEY in section SECT, warning about unknown, unimplemented and
 * duplicate keys; -1 when memory ran out. */
int		 cfgstore_set(struct cfgstore *, size_t sect, const char *key,
		    const char *value, size_t file, int line);
/* The first section called NAME, or NULL. */
const struct cfgsect *cfgstore_find(const struct cfgstore *,
		    const char *name);
void		 cfgstore_free(struct cfgstore *);

/* The key NAME of S, or NULL when unset (S may be NULL). */
const struct cfgkey *cfgstore_key(const struct cfgsect *, const char *name);
/* Add a diagnostic about key K of S: "[section] key: message". */
void		 cfgstore_diag(struct cfgstore *, const struct cfgsect *,
		    const struct cfgkey *, enum diag_severity, const char *fmt,
		    ...) __attribute__((format(printf, 5, 6)));

#endif
