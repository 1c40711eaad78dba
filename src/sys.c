/*
 * sys.c -- the real system calls behind the seam (sys.h), and the one
 * place that handles EINTR and short writes.
 */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sys.h"

/* The one loop of its kind: CALL again while it fails with EINTR. */
#define SYS_RETRY(type, call) do {					\
	type r_;							\
	do {								\
		r_ = (call);						\
	} while (r_ == -1 && errno == EINTR);				\
	return r_;							\
} while (0)

static int64_t
sys_real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
sys_real_arm(int64_t deadline, int64_t now)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	int64_t ms;

	if (deadline != 0) {
		ms = deadline - now;
		if (ms < 1)
			ms = 1;	/* already due: fire as soon as possible */
		it.it_value.tv_sec = ms / 1000;
		it.it_value.tv_usec = (ms % 1000) * 1000;
	}
	return setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * vfork: the child borrows procd's memory until it execs, so no page table
 * is copied and no copy-on-write fault follows in procd -- most of a
 * spawn's cost for a procd with many programs (see make bench).  CHILD
 * never returns, so this frame is never left by the child.
 */
static pid_t
sys_real_spawn(void (*child)(void *), void *arg)
{
	pid_t pid = vfork();

	if (pid == 0)
		child(arg);
	return pid;
}

static pid_t
sys_real_reap(int *status)
{
	SYS_RETRY(pid_t, waitpid(-1, status, WNOHANG));
}

static const struct sys_ops sys_real = {
	.now = sys_real_now,
	.arm = sys_real_arm,
	.spawn = sys_real_spawn,
	.kill = kill,
	.reap = sys_real_reap,
	.pipe2 = pipe2,
};

const struct sys_ops *sys = &sys_real;

void
sys_set(const struct sys_ops *ops)
{
	sys = ops != NULL ? ops : &sys_real;
}

ssize_t
sys_read(int fd, void *buf, size_t len)
{
	SYS_RETRY(ssize_t, read(fd, buf, len));
}

ssize_t
sys_write(int fd, const void *buf, size_t len)
{
	SYS_RETRY(ssize_t, write(fd, buf, len));
}

ssize_t
sys_pread(int fd, void *buf, size_t len, off_t off)
{
	SYS_RETRY(ssize_t, pread(fd, buf, len, off));
}

ssize_t
sys_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	SYS_RETRY(ssize_t, pwrite(fd, buf, len, off));
}

int
sys_flock(int fd, int op)
{
	SYS_RETRY(int, flock(fd, op));
}

ssize_t
sys_sendto(int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *to, socklen_t tolen)
{
	SYS_RETRY(ssize_t, sendto(fd, buf, len, flags, to, tolen));
}

ssize_t
sys_recvmsg(int fd, struct msghdr *mh, int flags)
{
	SYS_RETRY(ssize_t, recvmsg(fd, mh, flags));
}

/* One write(2), or for SOCK a non-blocking send(2) that never raises
 * SIGPIPE; EINTR retried. */
static ssize_t
sys_out(int fd, const void *buf, size_t len, bool sock)
{
	if (sock)
		return sys_sendto(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL,
		    NULL, 0);
	return sys_write(fd, buf, len);
}

static ssize_t
sys_out_all(int fd, const void *buf, size_t len, bool sock)
{
	const char *p = buf;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		if ((n = sys_out(fd, p + done, len - done, sock)) > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    done == 0)
			return -1;
		break;	/* would block, or an error after a partial write */
	}
	return (ssize_t)done;
}

int
sys_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = sys_read(fd, p, len)) <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t
sys_write_all(int fd, const void *buf, size_t len)
{
	return sys_out_all(fd, buf, len, false);
}

ssize_t
sys_send_all_nb(int fd, const void *buf, size_t len)
{
	return sys_out_all(fd, buf, len, true);
}
