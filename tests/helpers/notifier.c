/*
 * notifier.c -- a test program that speaks sd_notify to $NOTIFY_SOCKET:
 *
 *   notifier [-s STATUS] [-r READY_AFTER_MS] [-w PING_MS] [-n PINGS]
 *            [-x FLOOD] [-f]
 *
 * Sends STATUS= at once (if given), READY=1 after READY_AFTER_MS (-1:
 * never), then WATCHDOG=1 every PING_MS, PINGS times (-1: for ever), and
 * then stays up without a word, as a hung program would.  Abuse, for the
 * trust tests: -x sends FLOOD datagrams of STATUS=flood N first; -f
 * attaches a descriptor (SCM_RIGHTS) to every message.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int attach_fd = -1;

/* sendto, with ATTACH_FD passed along when set. */
static ssize_t
send_dgram(int fd, const char *msg, const struct sockaddr_un *sun,
    socklen_t slen)
{
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { (void *)msg, strlen(msg) };
	struct msghdr mh = { .msg_name = (void *)sun, .msg_namelen = slen,
	    .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (attach_fd != -1) {
		memset(&ctl, 0, sizeof ctl);
		mh.msg_control = &ctl;
		mh.msg_controllen = sizeof ctl.space;
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &attach_fd, sizeof(int));
	}
	return sendmsg(fd, &mh, 0);
}

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
	    send_dgram(fd, msg, &sun,
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
	long ready = 0, ping = 0, pings = -1, flood = 0;
	char msg[512];
	int c;

	while ((c = getopt(argc, argv, "s:r:w:n:x:f")) != -1) {
		switch (c) {
		case 's':
			status = optarg;
			break;
		case 'r':
			ready = atol(optarg);
			break;
		case 'w':
			ping = atol(optarg);
			break;
		case 'n':
			pings = atol(optarg);
			break;
		case 'x':
			flood = atol(optarg);
			break;
		case 'f':
			attach_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			break;
		default:
			return 2;
		}
	}
	for (long i = 0; i < flood; i++) {
		snprintf(msg, sizeof msg, "STATUS=flood %ld", i);
		send_msg(msg);
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
