/*
 * stamp.c -- the program every supervisor in the benchmark runs.
 *
 *   stamp FILE NAME [sleep | log BYTES | comm [COUNT] | exit CODE]
 *
 * Its first instruction reads CLOCK_MONOTONIC; it then appends one record
 * "NS PID NAME\n" to FILE (O_APPEND, one write(2): records from concurrent
 * instances never interleave).  "Alive" in the benchmark is the helper's own
 * word, never the supervisor's.  Then:
 *   sleep       wait for a signal, doing nothing (the default);
 *   log BYTES   write BYTES of 64-byte lines to stdout, append a second
 *               record "NS PID NAME:done", then sleep;
 *   comm [COUNT] write supervisord's capture-mode blocks
 *               (<!--XSUPERVISOR:BEGIN-->N<!--XSUPERVISOR:END-->) to
 *               stdout, one write(2) each: one PROCESS_COMMUNICATION
 *               event per block however the supervisor's reads cut the
 *               stream; COUNT of them then sleep, or without end;
 *               with COUNT, paced at 10 blocks per 200 us (about
 *               40,000/s, more than any supervisor delivers), so that no
 *               read takes in hundreds of blocks: supervisord's parser
 *               recurses once per block in a read and, past Python's
 *               recursion limit, closes the program's stdout;
 *   exit CODE   exit at once with CODE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE	64
#define CHUNK	(64 * 1024)

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Append "NS PID NAME[SUFFIX]\n" to PATH in one write. */
static void
record(const char *path, long long ns, const char *name, const char *suffix)
{
	char buf[512];
	int fd, n;

	n = snprintf(buf, sizeof buf, "%lld %ld %s%s\n", ns, (long)getpid(),
	    name, suffix);
	if (n < 0 || (size_t)n >= sizeof buf)
		exit(111);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1 || write(fd, buf, (size_t)n) != n)
		exit(111);
	close(fd);
}

/* One line: a 16-digit line number, then dots, then a newline. */
static void
fill_line(char *p, long long n)
{
	memset(p, '.', LINE - 1);
	p[LINE - 1] = '\n';
	for (int i = 15; i >= 0; i--, n /= 10)
		p[i] = (char)('0' + n % 10);
}

/* Write BYTES (rounded down to whole lines) of numbered 64-byte lines. */
static void
emit(long long bytes)
{
	static char buf[CHUNK];
	long long line = 0;

	while (bytes >= LINE) {
		size_t fill = 0, off = 0;
		while (fill + LINE <= sizeof buf && bytes - (long long)fill >= LINE) {
			fill_line(buf + fill, line++);
			fill += LINE;
		}
		while (off < fill) {
			ssize_t w = write(STDOUT_FILENO, buf + off, fill - off);
			if (w == -1 && errno == EINTR)
				continue;
			if (w <= 0)
				exit(112);
			off += (size_t)w;
		}
		bytes -= (long long)fill;
	}
}

/* COUNT capture-mode blocks (0: until stdout fails), one write each. */
static void
comm(unsigned long long count)
{
	char buf[96];

	for (unsigned long long i = 0; count == 0 || i < count; i++) {
		if (count > 0 && i % 10 == 0 && i > 0)
			nanosleep(&(struct timespec){ 0, 200000 }, NULL);
		int n = snprintf(buf, sizeof buf, "<!--XSUPERVISOR:BEGIN-->"
		    "%llu<!--XSUPERVISOR:END-->", i);
		if (write(STDOUT_FILENO, buf, (size_t)n) == -1 && errno != EINTR)
			exit(112);
	}
}

int
main(int argc, char **argv)
{
	long long t0 = now_ns();

	if (argc < 3) {
		fprintf(stderr, "usage: stamp FILE NAME [sleep | log BYTES | "
		    "comm [COUNT] | exit CODE]\n");
		return 2;
	}
	record(argv[1], t0, argv[2], "");
	if (argc >= 5 && strcmp(argv[3], "exit") == 0)
		return atoi(argv[4]);
	if (argc >= 4 && strcmp(argv[3], "comm") == 0)
		comm(argc >= 5 ? strtoull(argv[4], NULL, 10) : 0);
	if (argc >= 5 && strcmp(argv[3], "log") == 0) {
		emit(atoll(argv[4]));
		record(argv[1], now_ns(), argv[2], ":done");
	}
	for (;;)
		pause();
}
