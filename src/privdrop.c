/*
 * privdrop.c -- [procd] user= (privdrop.h).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cause.h"
#include "privdrop.h"

/* A name, or a number as supervisord also accepts. */
static struct passwd *
privdrop_lookup(const char *user)
{
	char *end;
	long uid;

	errno = 0;
	uid = strtol(user, &end, 10);
	if (*user != '\0' && *end == '\0' && errno == 0 && uid >= 0)
		return getpwuid((uid_t)uid);
	return getpwnam(user);
}

int
privdrop(const char *user, char **cause)
{
	struct passwd *pw;

	if ((pw = privdrop_lookup(user)) == NULL)
		return cause_set(cause, "[procd] user: no such user '%s'",
		    user);
	if (pw->pw_uid == getuid() && pw->pw_uid == geteuid())
		return 0;
	if (geteuid() != 0)
		return cause_set(cause, "[procd] user: cannot switch to user "
		    "'%s': procd is not running as root", user);
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
		return cause_set(cause, "[procd] user: switching to user "
		    "'%s': %s", user, strerror(errno));
	/* A switch that left a way back to root is no switch at all. */
	if (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
		return cause_set(cause, "[procd] user: switching to user "
		    "'%s': root could be regained", user);
	return 0;
}
