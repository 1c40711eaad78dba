/*
 * cfgglobal.h -- procd's own settings: [procd] (alias [supervisord]),
 * [unix_http_server], [supervisorctl] and [rpcinterface:x], with the
 * defaults of CONTRACT §2.
 */
#ifndef PROCD_CFGGLOBAL_H
#define PROCD_CFGGLOBAL_H

#include "cfgget.h"
#include "config.h"

/* Fill CF's global fields from ST; problems go into ST's diagnostics. */
void	cfgglobal_build(struct cfgstore *st, struct config *cf);

#endif
