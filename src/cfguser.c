/*
 * cfguser.c -- user and group names or numbers to ids (cfguser.h).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "cfguser.h"

/* NAME as a whole non-negative decimal number into *N; -1 if it is not. */
static int
cfguser_number(const char *name, unsigned long *n)
{
	char	*end;

	if (*name < '0' || *name > '9')
		return -1;
	errno = 0;
	*n = strtoul(name, &end, 10);
	return *end == '\0' && errno == 0 && *n <= (unsigned long)(uid_t)-2 ?
	    0 : -1;
}

int
cfguser_uid(const char *name, uid_t *uid, char **cause)
{
	struct passwd	*pw;
	unsigned long	 n;

	pw = cfguser_number(name, &n) == 0 ? getpwuid((uid_t)n) :
	    getpwnam(name);
	if (pw == NULL)
		return cause_set(cause, "no such user '%s'", name);
	*uid = pw->pw_uid;
	return 0;
}

int
cfguser_gid(const char *name, gid_t *gid, char **cause)
{
	struct group	*gr;
	unsigned long	 n;

	gr = cfguser_number(name, &n) == 0 ? getgrgid((gid_t)n) :
	    getgrnam(name);
	if (gr == NULL)
		return cause_set(cause, "no such group '%s'", name);
	*gid = gr->gr_gid;
	return 0;
}

int
cfguser_owner(const char *spec, uid_t *uid, gid_t *gid, char **cause)
{
	const char	*colon = strchr(spec, ':');
	char		*user;
	int		 r;

	*gid = (gid_t)-1;
	if (colon == NULL)
		return cfguser_uid(spec, uid, cause);
	if ((user = strndup(spec, (size_t)(colon - spec))) == NULL)
		return cause_set(cause, "out of memory");
	r = cfguser_uid(user, uid, cause);
	free(user);
	return r == -1 ? -1 : cfguser_gid(colon + 1, gid, cause);
}
