/*
 * cfgglobal.h -- procd's own settings: [procd] (alias [supervisord]),
 * [unix_http_server], [supervisorctl] and [rpcinterface:x], with the
 * defaults of CONTRACT §2.
 */
#ifndef PROCD_CFGGLOBAL_H
#define PROCD_CFGGLOBAL_H

#include <stdbool.h>

#include "cfgget.h"
#include "config.h"

/*
 * Settings given on supervisord's command line (svdargs.h).  As in
 * supervisord, each wins over the config file's, at every load (a reload
 * on SIGHUP too).  NULL or -1: not given.  Paths are absolute.
 */
struct cfgglobal_cmdline {
	const char	*logfile, *pidfile, *childlogdir, *directory, *user;
	int		 loglevel;	/* LOG_LEVEL_* */
	int		 umask;
	long		 minfds;
};

/* Fill CF's global fields from ST; problems go into ST's diagnostics. */
void	cfgglobal_build(struct cfgstore *st, struct config *cf);
/*
 * From now on, also refuse what procd could not start with on this host:
 * an unknown user or group (user=, chown=), a directory= that is not one,
 * a pidfile or logfile whose directory procd could not create.  procd
 * (check, start, reload) turns this on; procctl, which reads a config only
 * to find the socket, does not.
 */
void	cfgglobal_set_host_checks(bool on);
bool	cfgglobal_host_checks(void);
/* Lay CL over every config loaded from now on (CL must outlive them). */
void	cfgglobal_set_cmdline(const struct cfgglobal_cmdline *cl);

#endif
