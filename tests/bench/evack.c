/*
 * evack.c -- the event listener of the benchmark: it acknowledges every
 * event at once, so what is measured is the supervisor's delivery.
 *
 *   evack FILE
 *
 * It speaks supervisord's listener protocol on stdin/stdout: READY, a
 * header line, len bytes of payload (ASCII in the benchmark, so bytes and
 * characters agree), RESULT 2 OK.  It appends to FILE (one write each):
 *   "NS EXITED\n"   when a PROCESS_STATE_EXITED event arrives (latency);
 *   "NS COUNT N\n"  after the first and every 100th event of any type
 *                  (throughput; the first says it is up).
 * NS is CLOCK_MONOTONIC in nanoseconds, read as the header line is in.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char	inbuf[1 << 16];
static size_t	inlen, inpos;

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
put(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, s, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			exit(1);
		s += w;
		n -= (size_t)w;
	}
}

/* Make sure some input is buffered; exits at EOF. */
static void
fill(void)
{
	ssize_t n;

	if (inpos < inlen)
		return;
	do
		n = read(0, inbuf, sizeof inbuf);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		exit(0);
	inlen = (size_t)n;
	inpos = 0;
}

/* The next input byte. */
static int
next(void)
{
	fill();
	return (unsigned char)inbuf[inpos++];
}

/* Skip LEN bytes of input, a buffer at a time. */
static void
skip(size_t len)
{
	while (len > 0) {
		size_t k;

		fill();
		k = inlen - inpos < len ? inlen - inpos : len;
		inpos += k;
		len -= k;
	}
}

static void
record(const char *path, const char *what)
{
	char buf[128];
	int fd, n;

	n = snprintf(buf, sizeof buf, "%lld %s\n", now_ns(), what);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1 || n < 0 || write(fd, buf, (size_t)n) != n)
		exit(111);
	close(fd);
}

int
main(int argc, char **argv)
{
	char line[1024], what[64];
	unsigned long count = 0;

	if (argc != 2)
		return 2;
	for (;;) {
		size_t n = 0, len;
		const char *l;
		int c;

		put("READY\n", 6);
		while ((c = next()) != '\n')
			if (n < sizeof line - 1)
				line[n++] = (char)c;
		line[n] = '\0';
		if ((l = strstr(line, " len:")) == NULL)
			return 1;
		len = strtoul(l + 5, NULL, 10);
		skip(len);
		if (strstr(line, "eventname:PROCESS_STATE_EXITED ") != NULL)
			record(argv[1], "EXITED");
		if (++count % 100 == 0 || count == 1) {
			snprintf(what, sizeof what, "COUNT %lu", count);
			record(argv[1], what);
		}
		put("RESULT 2\nOK", 11);
	}
}
