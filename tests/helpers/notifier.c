/*
 * notifier.c -- a test program that speaks sd_notify to $NOTIFY_SOCKET:
 *
 *   notifier [-s STATUS] [-r READY_AFTER_MS] [-w PING_MS] [-n PINGS]
 *
 * Sends STATUS= at once (if given), READY=1 after READY_AFTER_MS (-1:
 * never), then WATCHDOG=1 every PING_MS, PINGS times (-1: for ever), and
 * then stays up without a word, as a hung program would.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static void
send_msg(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t len;
	int fd;

	if (path == NULL || (len = strlen(path)) >= sizeof sun.sun_path) {
		fprintf(stderr, "notifier: no usable NOTIFY_SOCKET\n");
		exit(3);
	}
	memcpy(sun.sun_path, path, len);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sun,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) ==
	    -1) {
		perror("notifier: send");
		exit(3);
	}
	close(fd);
	printf("sent %s\n", msg);
	fflush(stdout);
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) == -1)
		;
}

int
main(int argc, char **argv)
{
	const char *status = NULL;
	long ready = 0, ping = 0, pings = -1;
	char msg[512];
	int c;

	while ((c = getopt(argc, argv, "s:r:w:n:")) != -1) {
		switch (c) {
		case 's': status = optarg; break;
		case 'r': ready = atol(optarg); break;
		case 'w': ping = atol(optarg); break;
		case 'n': pings = atol(optarg); break;
		default: return 2;
		}
	}
	if (status != NULL) {
		snprintf(msg, sizeof msg, "STATUS=%s", status);
		send_msg(msg);
	}
	if (ready >= 0) {
		sleep_ms(ready);
		send_msg("READY=1");
	}
	for (long i = 0; ping > 0 && (pings < 0 || i < pings); i++) {
		sleep_ms(ping);
		send_msg("WATCHDOG=1");
	}
	for (;;)
		pause();
}
