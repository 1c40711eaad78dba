/*
 * listener.c -- a test program for ready=tcp: a server that is slow to
 * come up.
 *
 *   listener DELAY_MS PORT
 *
 * Sleeps DELAY_MS, then listens on 127.0.0.1:PORT, prints "listening"
 * and accepts (and closes) connections for ever.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct timespec ts;
	long delay;
	int fd, c, on = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: listener DELAY_MS PORT\n");
		return 2;
	}
	delay = atol(argv[1]);
	ts.tv_sec = delay / 1000;
	ts.tv_nsec = delay % 1000 * 1000000;
	while (nanosleep(&ts, &ts) == -1)
		;
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(fd, 16) == -1) {
		perror("listener");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (;;)
		if ((c = accept(fd, NULL, NULL)) != -1)
			close(c);
}
