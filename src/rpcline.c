/*
 * rpcline.c -- a line of procd's rpcinfo answer (rpcline.h), split into
 * its fields and its text unescaped, in place.  Pure; fuzzed.
 */
#include <string.h>

#include "rpcline.h"

void
rpcline_unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

bool
rpcline_split(char *line, char *f[F_COUNT])
{
	for (int i = 0; i < F_COUNT; i++) {
		f[i] = line;
		if ((line = strchr(line, '\t')) == NULL) {
			if (i != F_COUNT - 1)
				return false;
			break;
		}
		if (i == F_COUNT - 1)
			return false;
		*line++ = '\0';
	}
	return true;
}
