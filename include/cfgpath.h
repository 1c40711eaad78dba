/*
 * cfgpath.h -- the paths a config names, made absolute.
 *
 * Relative paths in a config are relative to the directory of the file that
 * holds them; "~" and "~user" are expanded as supervisord (Python's
 * os.path.expanduser) does.  Normalizing is lexical, like os.path.normpath:
 * nothing here touches the file system except the home-directory lookup.
 */
#ifndef PROCD_CFGPATH_H
#define PROCD_CFGPATH_H

/* PATH made absolute against the absolute directory DIR; malloc'd. */
char	*cfgpath_resolve(const char *dir, const char *path);
/* PATH made absolute against the working directory; malloc'd. */
char	*cfgpath_abs(const char *path);
/* The directory of the absolute normalized PATH ("/" for "/x"); malloc'd. */
char	*cfgpath_dirname(const char *path);
/* DIR + "/" + NAME without doubling a slash; malloc'd. */
char	*cfgpath_join(const char *dir, const char *name);

#endif
