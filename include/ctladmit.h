/*
 * ctladmit.h -- who gets a slot on the control socket, and how refusals
 * are told without letting a flood of them fill procd's log.
 *
 * Slots: CLIENTS_MAX in all; the last CLIENTS_RESERVED only for root and
 * procd's own user, and CLIENTS_PER_UID at most for any other uid, so no
 * local peer can take every slot and lock root out.
 */
#ifndef PROCD_CTLADMIT_H
#define PROCD_CTLADMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CLIENTS_MAX		256
#define CLIENTS_RESERVED	32
#define CLIENTS_PER_UID		64

struct ev_loop;

/* Root and procd's own user: always allowed, and the reserved slots. */
bool	ctladmit_privileged(uid_t);
/* May this peer use the socket at all?  Root, procd's own user, or --
 * when MODE grants it -- a member of GROUP (socket_owner's group). */
bool	ctladmit_allowed(uid_t, gid_t, mode_t mode, gid_t group);

enum ctladmit_verdict {
	ADMIT,			/* there is room */
	ADMIT_AFTER_EVICT,	/* room once another client goes */
	REFUSE_FULL,		/* no slot this peer may have */
	REFUSE_UID,		/* this uid has its share */
};

/* A new peer UID, with TOTAL clients connected, UNPRIV of them
 * unprivileged, OF_UID of them from UID. */
enum ctladmit_verdict ctladmit_decide(uid_t uid, size_t total,
	    size_t unpriv, size_t of_uid);

/*
 * Log WHAT ("refused", "bad request from") of peer UID (PID), for WHY:
 * both static strings, compared by address.  The first time at once, then
 * a sum per uid and reason every CTLADMIT_SUMMARY_SECS ("control: refused
 * uid 65534 369112 more times in the last 10 s: permission denied").
 */
#define CTLADMIT_SUMMARY_SECS	10.0
void	ctladmit_log(struct ev_loop *, uid_t uid, pid_t pid,
	    const char *what, const char *why);
/* Write out what is pending and forget it (control_close). */
void	ctladmit_flush(void);

#endif
