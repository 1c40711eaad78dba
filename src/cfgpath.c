/*
 * cfgpath.c -- absolute, normalized paths for the config loader.
 *
 * Lexical only (like Python's os.path.normpath): "a/./b/../c" is "a/c" even
 * when b is a symlink, which is what supervisord users expect from
 * %(here)s-relative paths.  The one look-up is the home directory for "~".
 */

#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgpath.h"

char *
cfgpath_join(const char *dir, const char *name)
{
	size_t	 n = strlen(dir);
	char	*p;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (asprintf(&p, "%.*s%s%s", (int)n, dir,
	    n > 0 && dir[n - 1] == '/' ? "" : "/", name) == -1)
		return NULL;
	return p;
}

/* Remove ".", "..", empty components and trailing slashes, in place. */
static void
cfgpath_normalize(char *path)
{
	char	*src = path, *dst = path, *comp;
	size_t	 len;

	while (*src != '\0') {
		while (*src == '/')
			src++;
		comp = src;
		len = strcspn(comp, "/");
		src += len;
		if (len == 0 || (len == 1 && comp[0] == '.'))
			continue;
		if (len == 2 && comp[0] == '.' && comp[1] == '.') {
			while (dst > path && *--dst != '/')
				;
			continue;
		}
		*dst++ = '/';
		memmove(dst, comp, len);
		dst += len;
	}
	if (dst == path)
		*dst++ = '/';
	*dst = '\0';
}

/* The home directory for a "~" or "~user" prefix of LEN bytes, or NULL. */
static const char *
cfgpath_home(const char *user, size_t len)
{
	struct passwd	*pw;
	const char	*home;
	char		 name[LOGIN_NAME_MAX + 1];

	if (len == 0) {
		if ((home = getenv("HOME")) != NULL && *home != '\0')
			return home;
		pw = getpwuid(getuid());
	} else {
		if (len >= sizeof name)
			return NULL;
		memcpy(name, user, len);
		name[len] = '\0';
		pw = getpwnam(name);
	}
	return pw != NULL ? pw->pw_dir : NULL;
}

char *
cfgpath_resolve(const char *dir, const char *path)
{
	const char	*home;
	char		*p;
	size_t		 ulen;

	if (path[0] == '~') {
		ulen = strcspn(path + 1, "/");
		if ((home = cfgpath_home(path + 1, ulen)) != NULL) {
			if (asprintf(&p, "%s%s", home, path + 1 + ulen) == -1)
				return NULL;
			if (p[0] == '/') {
				cfgpath_normalize(p);
				return p;
			}
			free(p);
		}
	}
	if (path[0] == '/')
		p = strdup(path);
	else
		p = cfgpath_join(dir, path);
	if (p != NULL)
		cfgpath_normalize(p);
	return p;
}

char *
cfgpath_abs(const char *path)
{
	char	*cwd, *p;

	if (path[0] == '/' || path[0] == '~')
		return cfgpath_resolve("/", path);
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return NULL;
	p = cfgpath_resolve(cwd, path);
	free(cwd);
	return p;
}

char *
cfgpath_dirname(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, slash - path);
}
