/*
 * stdinfeed.h -- what procd writes to a program's stdin pipe
 * (supervisord's sendProcessStdin): written at once when the pipe has
 * room, else kept (bounded) and written from the loop when it drains, so
 * a program that does not read its stdin never blocks procd.
 */
#ifndef PROCD_STDINFEED_H
#define PROCD_STDINFEED_H

#include <stddef.h>

struct ev_loop;
struct stdinfeed;

/* The most that may wait for a program to read it. */
#define STDINFEED_MAX	(1024 * 1024)

/* Take FD, the write end of a program's stdin pipe (close-on-exec);
 * it is made non-blocking here. */
struct stdinfeed *stdinfeed_new(struct ev_loop *, int fd);
/* Queue LEN bytes of DATA.  0, or -1 with errno: EPIPE when the program
 * closed its stdin (or it failed before), ENOBUFS when STDINFEED_MAX
 * bytes already wait (nothing of DATA is taken then). */
int		  stdinfeed_write(struct stdinfeed *, const char *data,
		    size_t len);
/* The pipe (across a re-exec), or -1 once closed; what waits for the
 * program to read it is not carried. */
int		  stdinfeed_fd(const struct stdinfeed *);
/* Close the pipe (the program exited); what waits is dropped. */
void		  stdinfeed_free(struct stdinfeed *);

#endif
