/*
 * evfloor.c -- the floor of event delivery: the least a supervisor can do
 * to hand events to a listener one at a time.
 *
 *   evfloor LISTENER FILE COUNT
 *
 * Starts "LISTENER FILE" (the benchmark's evack) with a pipe on its stdin
 * and one on its stdout, then, COUNT times: waits for READY, writes a
 * header line and a payload shaped like procd's PROCESS_COMMUNICATION
 * event in one write(2), and reads the RESULT.  Blocking reads and writes,
 * no loop, no queue, no logs: what is left is the two processes' round
 * trip through the kernel, to hold the supervisors' events/s against.
 * Then it closes the listener's stdin, reaps it and exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char	inbuf[4096];
static size_t	inlen, inpos;
static int	from_l;

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

/* Read until TOKEN has been seen (the listener's words are short). */
static void
expect(const char *token)
{
	size_t tl = strlen(token), have = 0;

	while (have < tl) {
		if (inpos == inlen) {
			ssize_t n = read(from_l, inbuf, sizeof inbuf);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				die("read");
			inlen = (size_t)n;
			inpos = 0;
		}
		have = inbuf[inpos++] == token[have] ? have + 1 :
		    inbuf[inpos - 1] == token[0];
	}
}

static void
put(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write");
		p += w;
		n -= (size_t)w;
	}
}

int
main(int argc, char **argv)
{
	int to[2], from[2], status;
	char payload[128], msg[512];
	unsigned long count;
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: evfloor LISTENER FILE COUNT\n");
		return 2;
	}
	count = strtoul(argv[3], NULL, 10);
	if (pipe2(to, O_CLOEXEC) == -1 || pipe2(from, O_CLOEXEC) == -1)
		die("pipe2");
	if ((pid = fork()) == -1)
		die("fork");
	if (pid == 0) {
		if (dup2(to[0], 0) == -1 || dup2(from[1], 1) == -1)
			_exit(127);
		execl(argv[1], argv[1], argv[2], (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	from_l = from[0];
	for (unsigned long i = 0; i < count; i++) {
		int pl = snprintf(payload, sizeof payload, "processname:p00000 "
		    "groupname:p00000 pid:%ld\n%lu", (long)pid, i);
		int n = snprintf(msg, sizeof msg, "ver:3.0 server:supervisor "
		    "serial:%lu pool:ack poolserial:%lu "
		    "eventname:PROCESS_COMMUNICATION_STDOUT len:%d\n%s",
		    i, i, pl, payload);
		expect("READY\n");
		put(to[1], msg, (size_t)n);
		expect("RESULT 2\nOK");
	}
	close(to[1]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return 0;
}
