/*
 * tmptree.h -- the unit tests' scratch directories: removed whole, with
 * whatever a test left in them (files, links, subdirectories), never
 * following a link out of them.
 */
#ifndef PROCD_TEST_TMPTREE_H
#define PROCD_TEST_TMPTREE_H

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

static int
tmptree_rm_cb(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove DIR and everything below it; 0, or -1 when something stayed. */
static inline int
tmptree_remove(const char *dir)
{
	return nftw(dir, tmptree_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
