/*
 * rotate.c -- the renames of a size-based log rotation (rotate.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "rotate.h"

int
rotate_files(const char *path, int backups)
{
	char from[PATH_MAX], to[PATH_MAX];

	if (backups <= 0)
		return 0;
	for (int i = backups - 1; i >= 1; i--) {
		snprintf(from, sizeof from, "%s.%d", path, i);
		snprintf(to, sizeof to, "%s.%d", path, i + 1);
		if (rename(from, to) == -1 && errno != ENOENT)
			return -1;
	}
	snprintf(to, sizeof to, "%s.1", path);
	if (rename(path, to) == -1 && errno != ENOENT)
		return -1;
	return 0;
}
