/*
 * ctladmit.c -- admission to the control socket: the peer check, slots
 * kept for root, a cap per uid, and refusal logs that summarise a flood
 * instead of writing a line per connection (see ctladmit.h).
 */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "ctladmit.h"
#include "log.h"

/* Peers whose refusals are being counted; more are summed as "others". */
#define NOTED_MAX	32

struct noted {
	uid_t		 uid;
	const char	*what, *why;
	unsigned long	 count;		/* since the last summary */
	bool		 quiet;		/* a period passed with none */
};

static struct {
	struct ev_loop	*loop;
	ev_timer	 summary_w;
	struct noted	 v[NOTED_MAX];
	size_t		 n;
	unsigned long	 others;	/* refusals of peers not in V */
} adm;

bool
ctladmit_privileged(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

bool
ctladmit_allowed(uid_t uid, gid_t gid, mode_t mode, gid_t group)
{
	struct passwd *pw;
	gid_t groups[256];
	int n = 256;

	if (ctladmit_privileged(uid))
		return true;
	if ((mode & 0060) == 0 || group == (gid_t)-1)
		return false;
	if (gid == group)
		return true;
	if ((pw = getpwuid(uid)) == NULL ||
	    getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == group)
			return true;
	return false;
}

enum ctladmit_verdict
ctladmit_decide(uid_t uid, size_t total, size_t unpriv, size_t of_uid)
{
	if (ctladmit_privileged(uid))
		return total < CLIENTS_MAX ? ADMIT : ADMIT_AFTER_EVICT;
	if (of_uid >= CLIENTS_PER_UID)
		return REFUSE_UID;
	if (unpriv >= CLIENTS_MAX - CLIENTS_RESERVED)
		return REFUSE_FULL;
	return total < CLIENTS_MAX ? ADMIT : ADMIT_AFTER_EVICT;
}

static void
ctladmit_summary(void)
{
	size_t k = 0;

	for (size_t i = 0; i < adm.n; i++) {
		struct noted *e = &adm.v[i];
		if (e->count > 0)
			log_warnx("control: %s uid %ld %lu more time%s in the "
			    "last %.0f s: %s", e->what, (long)e->uid, e->count,
			    e->count == 1 ? "" : "s", CTLADMIT_SUMMARY_SECS,
			    e->why);
		/* Kept one quiet period, so a slow flood still sums up. */
		if (e->count > 0 || !e->quiet) {
			e->quiet = e->count == 0;
			e->count = 0;
			adm.v[k++] = *e;
		}
	}
	adm.n = k;
	if (adm.others > 0)
		log_warnx("control: %lu more refusals or bad requests from "
		    "other uids in the last %.0f s", adm.others,
		    CTLADMIT_SUMMARY_SECS);
	adm.others = 0;
}

static void
ctladmit_summary_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)revents;
	ctladmit_summary();
	if (adm.n == 0)
		ev_timer_stop(loop, w);
}

void
ctladmit_log(struct ev_loop *loop, uid_t uid, pid_t pid, const char *what,
    const char *why)
{
	adm.loop = loop;
	for (size_t i = 0; i < adm.n; i++) {
		struct noted *e = &adm.v[i];
		if (e->uid == uid && e->what == what && e->why == why) {
			e->count++;
			return;
		}
	}
	if (adm.n == NOTED_MAX) {
		adm.others++;
		return;
	}
	log_warnx("control: %s uid %ld pid %ld: %s (more of these are summed "
	    "up every %.0f s)", what, (long)uid, (long)pid, why,
	    CTLADMIT_SUMMARY_SECS);
	adm.v[adm.n++] = (struct noted){ .uid = uid, .what = what,
	    .why = why };
	if (!ev_is_active(&adm.summary_w)) {
		ev_timer_init(&adm.summary_w, ctladmit_summary_cb,
		    CTLADMIT_SUMMARY_SECS, CTLADMIT_SUMMARY_SECS);
		ev_timer_start(loop, &adm.summary_w);
	}
}

void
ctladmit_flush(void)
{
	ctladmit_summary();
	if (adm.loop != NULL)
		ev_timer_stop(adm.loop, &adm.summary_w);
	adm.n = 0;
}
