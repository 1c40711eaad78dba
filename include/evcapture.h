/*
 * evcapture.h -- supervisord's capture mode on a program's output: what it
 * writes between <!--XSUPERVISOR:BEGIN--> and <!--XSUPERVISOR:END--> is
 * not logged but becomes one PROCESS_COMMUNICATION event (at most
 * *_capture_maxbytes of it, the newest).  Pure: bytes in, pieces out; a
 * token split across reads is found.
 */
#ifndef PROCD_EVCAPTURE_H
#define PROCD_EVCAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define EVCAPTURE_BEGIN "<!--XSUPERVISOR:BEGIN-->"
#define EVCAPTURE_END "<!--XSUPERVISOR:END-->"

struct evcapture {
	bool		 capturing;
	uint64_t	 maxbytes;
	char		 held[sizeof EVCAPTURE_BEGIN]; /* maybe a token's start */
	size_t		 nheld;
	struct buf	 cap;		/* captured so far (the newest) */
};

/* What to log, or a whole captured message. */
typedef void (*evcapture_fn)(void *arg, bool message, const char *,
	    size_t);

void	evcapture_init(struct evcapture *, uint64_t maxbytes);
void	evcapture_free(struct evcapture *);
/* Take N bytes at P: FN gets, in order, the pieces to log (MESSAGE false)
 * and each captured message once its END token is in (MESSAGE true). */
void	evcapture_feed(struct evcapture *, const char *p, size_t n,
	    evcapture_fn fn, void *arg);

#endif
