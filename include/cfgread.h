/*
 * cfgread.h -- the lexical layer of the config: INI lines read exactly as
 * supervisord's Python RawConfigParser reads them, driven through inih.
 *
 * It knows nothing of what sections or keys mean; config.c does.
 */
#ifndef PROCD_CFGREAD_H
#define PROCD_CFGREAD_H

#include <stdio.h>

#include "config.h"

/* Physical lines longer than this are an error (never truncated). */
#define CFGREAD_LINE_MAX (64 * 1024)
/* A file longer than this is an error (and /dev/zero cannot hang us). */
#define CFGREAD_FILE_MAX (16 * 1024 * 1024)

enum cfgread_kind {
	CFGREAD_SECTION,	/* "[name]": NAME is the header, VALUE NULL */
	CFGREAD_KEY,		/* "key = value" with its continuation lines */
};

struct cfgread_entry {
	enum cfgread_kind kind;
	int		 line;		/* where the header or key starts */
	char		*name;		/* header, or key (lower-cased) */
	char		*value;		/* whole value, lines joined by \n */
};

/* Called once per entry, in file order; nonzero stops the read. */
typedef int (*cfgread_cb)(const struct cfgread_entry *, void *arg);

/*
 * Read the open file FP (called FILE in messages) and call CB for every
 * section header and every key.  Syntax errors go into DIAGS as
 * "FILE:LINE: error: ..." and reading goes on.  Returns -1 (with a
 * diagnostic) when the file could not be read to its end or CB failed.
 */
int	cfgread_parse(FILE *fp, const char *file, struct diag_list *diags,
	    cfgread_cb cb, void *arg);

#endif
