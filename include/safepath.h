/*
 * safepath.h -- open a directory without following a symlink that someone
 * other than root or procd's user could have planted (see safepath.c).
 */
#ifndef PROCD_SAFEPATH_H
#define PROCD_SAFEPATH_H

/* DIR as an O_PATH, close-on-exec descriptor; -1 with errno and *CAUSE
 * ("directory DIR: ...") when missing or refused. */
int	safepath_open_dir(const char *dir, char **cause);
/* PATH opened with FLAGS (close-on-exec added), its last component too
 * followed only when a trusted link; -1 with errno and *CAUSE
 * ("PATH: ..."). */
int	safepath_open(const char *path, int flags, char **cause);

#endif
