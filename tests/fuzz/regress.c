/*
 * regress.c -- replay saved inputs through a fuzz target without libFuzzer.
 *
 * Linked with one target's LLVMFuzzerTestOneInput; every argument is a
 * file or a directory whose files (sorted, not recursive, dot files
 * skipped) are each passed in once, as an exact-size heap copy so a
 * sanitizer build sees the same overruns libFuzzer would.  A crash or a
 * failed check aborts (with -v the input's name is printed before it is
 * run); the exit status is 1 when an argument cannot be read or nothing
 * was replayed.
 *
 *	regress [-v] PATH...
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static bool	regress_verbose;
static size_t	regress_count;

/* Read PATH whole into a malloc'd buffer of exactly its size. */
static int
regress_read(const char *path, uint8_t **out, size_t *len)
{
	struct stat	 sb;
	uint8_t		*p;
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1 || (p = malloc(sb.st_size > 0 ?
	    (size_t)sb.st_size : 1)) == NULL) {
		close(fd);
		return -1;
	}
	while (got < (size_t)sb.st_size &&
	    (n = read(fd, p + got, sb.st_size - got)) > 0)
		got += n;
	close(fd);
	if (got != (size_t)sb.st_size) {
		free(p);
		errno = EIO;
		return -1;
	}
	*out = p;
	*len = got;
	return 0;
}

static int
regress_file(const char *path)
{
	uint8_t	*data;
	size_t	 len;

	if (regress_read(path, &data, &len) == -1) {
		fprintf(stderr, "regress: %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* Named before the run, so that the last name before a crash
	 * report is the input that caused it. */
	if (regress_verbose)
		fprintf(stderr, "regress: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	regress_count++;
	return 0;
}

static int
regress_namecmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
regress_visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int
regress_dir(const char *dir)
{
	struct dirent	**names;
	char		 *path;
	int		  n, i, status = 0;

	if ((n = scandir(dir, &names, regress_visible,
	    regress_namecmp)) == -1) {
		fprintf(stderr, "regress: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]->d_name) == -1)
			abort();
		if (regress_file(path) == -1)
			status = -1;
		free(path);
		free(names[i]);
	}
	free(names);
	return status;
}

int
main(int argc, char *argv[])
{
	struct stat	sb;
	int		i, status = 0;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		regress_verbose = true;
		argc--, argv++;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) == -1) {
			fprintf(stderr, "regress: %s: %s\n", argv[i],
			    strerror(errno));
			status = 1;
		} else if (S_ISDIR(sb.st_mode) ? regress_dir(argv[i]) == -1 :
		    regress_file(argv[i]) == -1)
			status = 1;
	}
	fprintf(stderr, "regress: %zu inputs replayed%s\n", regress_count,
	    status != 0 ? ", some could not be read" : "");
	return status != 0 || regress_count == 0;
}
