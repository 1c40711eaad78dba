/*
 * envfile.h -- environment_file=: a file of KEY=VALUE lines, read at each
 * start of a program (so an edited file takes effect on restart).
 *
 * The format, one setting per line:
 *   KEY=VALUE          KEY: a letter or '_', then letters, digits, '_'
 *   export KEY=VALUE   (the shell's form; "export" is dropped)
 *   KEY="VALUE"        one matching pair of single or double quotes around
 *   KEY='VALUE'        the whole value is removed; nothing inside is special
 *   # a comment        (a line whose first non-blank character is '#')
 *   (blank lines)
 * Blanks around the key and around '=' are ignored, and so are trailing
 * blanks and a '\r' before the newline (CRLF files).  There is no shell
 * expansion, no escape and no inline comment: VALUE is taken as written.
 * A key given twice keeps its last value.
 */
#ifndef PROCD_ENVFILE_H
#define PROCD_ENVFILE_H

#include <stddef.h>

/* The largest file read (so a wrong path, e.g. a log, cannot make procd
 * allocate without bound at every start). */
#define ENVFILE_MAX	(1024 * 1024)

/*
 * Parse the LEN bytes of DATA (a file's contents; NAME says which in
 * messages) into a malloc'd "K=V" vector.  Returns NULL with a malloc'd
 * *CAUSE "NAME:LINE: what is wrong" for a malformed line -- never quoting
 * the line, which may hold a secret -- or with *CAUSE NULL when memory ran
 * out.
 */
char	**envfile_parse(const char *data, size_t len, const char *name,
	    char **cause);

/*
 * Read and parse the file at PATH.  Only a regular file of at most
 * ENVFILE_MAX bytes is read; anything else (missing, unreadable, a FIFO,
 * a directory, a device) is refused at once, never waited on.  NULL with
 * a malloc'd *CAUSE (NULL: out of memory).
 */
char	**envfile_read(const char *path, char **cause);

#endif
