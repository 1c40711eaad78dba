/*
 * rpcline.h -- the lines procd answers the gateway's rpcinfo with
 * (cmdrpc.c): eleven tab-separated fields a process, in this order; in
 * the text fields (name, group, spawn error, description, the two log
 * files) a backslash, a tab and a newline are written as two characters
 * each: a backslash, then a backslash, 't' or 'n'.
 */
#ifndef PROCD_RPCLINE_H
#define PROCD_RPCLINE_H

#include <stdbool.h>

enum { F_NAME, F_GROUP, F_START, F_STOP, F_STATE, F_SPAWNERR, F_EXIT,
	F_PID, F_DESC, F_OUTLOG, F_ERRLOG, F_COUNT };

/* Split LINE (NUL-terminated, no newline) into F, in place; false if it
 * is not a line of F_COUNT fields. */
bool	rpcline_split(char *line, char *f[F_COUNT]);
/* Undo the escapes of a text field, in place (it can only shrink). */
void	rpcline_unescape(char *s);

#endif
