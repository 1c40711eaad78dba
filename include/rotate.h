/*
 * rotate.h -- shift NAME.log -> NAME.log.1 -> ... -> NAME.log.N on disk.
 */
#ifndef PROCD_ROTATE_H
#define PROCD_ROTATE_H

/* Rename PATH.(N-1) to PATH.N ... PATH to PATH.1, dropping the oldest.
 * BACKUPS 0 keeps nothing (the caller truncates).  -1 on the first
 * rename that fails (errno set); what was renamed stays renamed. */
int	rotate_files(const char *path, int backups);

#endif
