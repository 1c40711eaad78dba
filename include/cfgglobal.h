/*
 * cfgglobal.h -- procd's own settings: [procd] (alias [supervisord]),
 * [unix_http_server], [supervisorctl] and [rpcinterface:x], with the
 * defaults of CONTRACT §2.
 */
#ifndef PROCD_CFGGLOBAL_H
#define PROCD_CFGGLOBAL_H

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
/* Lay CL over every config loaded from now on (CL must outlive them). */
void	cfgglobal_set_cmdline(const struct cfgglobal_cmdline *cl);

#endif
