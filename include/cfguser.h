/*
 * cfguser.h -- users and groups named in a config (or on supervisord's
 * command line), by name or by number, as supervisord's name_to_uid and
 * name_to_gid take them: a number must be a user (group) that exists.
 */
#ifndef PROCD_CFGUSER_H
#define PROCD_CFGUSER_H

#include <sys/types.h>

/* NAME (or a number) as a uid; -1 with "no such user 'x'" if none. */
int	cfguser_uid(const char *name, uid_t *uid, char **cause);
/* NAME (or a number) as a gid; -1 with "no such group 'x'" if none. */
int	cfguser_gid(const char *name, gid_t *gid, char **cause);
/*
 * "user" or "user:group" (chown=, socket_owner=): the ids.  With no group
 * *GID is (gid_t)-1, i.e. "leave the group as it is", as supervisord.
 */
int	cfguser_owner(const char *spec, uid_t *uid, gid_t *gid, char **cause);

#endif
