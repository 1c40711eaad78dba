/*
 * sys.h -- the seam between procd's logic and the kernel.
 *
 * The process table and the control server make their system calls that
 * matter to a test -- creating a child, signalling, reaping, the clock and
 * the heartbeat -- through one table of function pointers, so unit tests
 * can drive them with fake children and a fake clock (as dinit's bp_sys).
 * The real table is the default; sys_set() swaps it.
 *
 * Also here, once for every caller: read and write that retry EINTR, and
 * a write that goes on after a short write.  No other file loops on EINTR.
 */
#ifndef PROCD_SYS_H
#define PROCD_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct sys_ops {
	/* Milliseconds on CLOCK_MONOTONIC. */
	int64_t	(*now)(void);
	/* The one-shot heartbeat: SIGALRM at DEADLINE (ms), 0 disarms. */
	int	(*arm)(int64_t deadline, int64_t now);
	/* A new process (vfork) running CHILD(ARG), which must end in
	 * execve or _exit; returns its pid, or -1 with errno. */
	pid_t	(*spawn)(void (*child)(void *), void *arg);
	int	(*kill)(pid_t, int signo);
	/* waitpid(-1, status, WNOHANG): a pid, 0 for none yet, -1. */
	pid_t	(*reap)(int *status);
	int	(*pipe2)(int fds[2], int flags);
};

extern const struct sys_ops *sys;
/* Tests: use OPS (NULL: the real ones again). */
void	sys_set(const struct sys_ops *ops);

/* read(2) and write(2), retried on EINTR. */
ssize_t	sys_read(int fd, void *buf, size_t len);
ssize_t	sys_write(int fd, const void *buf, size_t len);
/* The same for the other calls that may be interrupted. */
ssize_t	sys_pread(int fd, void *buf, size_t len, off_t off);
ssize_t	sys_pwrite(int fd, const void *buf, size_t len, off_t off);
int	sys_flock(int fd, int op);
ssize_t	sys_sendto(int fd, const void *buf, size_t len, int flags,
	    const struct sockaddr *to, socklen_t tolen);
ssize_t	sys_recvmsg(int fd, struct msghdr *mh, int flags);
/* Read exactly LEN bytes into BUF (a blocking descriptor): 0, or -1 on
 * an error or end of file first. */
int	sys_read_all(int fd, void *buf, size_t len);
/* Write all of BUF, going on after short writes and EINTR.  Returns how
 * much went out: LEN, or less when the fd would block (errno EAGAIN);
 * -1 on any other error before anything went out. */
ssize_t	sys_write_all(int fd, const void *buf, size_t len);
/* The same to a socket someone else shares (procd's stdout, systemd's
 * journal): each send(2) is non-blocking (MSG_DONTWAIT) without setting
 * O_NONBLOCK on the file, which would change it for them too. */
ssize_t	sys_send_all_nb(int fd, const void *buf, size_t len);

#endif
