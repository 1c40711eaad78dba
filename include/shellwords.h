/*
 * shellwords.h -- split a command= value into argv the way supervisord does
 * (Python's shlex.split, POSIX mode), without ever running a shell.
 */
#ifndef PROCD_SHELLWORDS_H
#define PROCD_SHELLWORDS_H

/*
 * Split S into a malloc'd NULL-terminated vector of malloc'd words (an empty
 * or all-blank S gives a vector holding only NULL).  On an unterminated
 * quote or a trailing backslash return NULL with *CAUSE set (malloc'd); on
 * allocation failure return NULL with *CAUSE NULL.
 */
char	**shellwords_split(const char *s, char **cause);
/* Free a vector from shellwords_split (NULL is fine). */
void	  shellwords_free(char **);

#endif
