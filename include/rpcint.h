/*
 * rpcint.h -- what rpcmethods.c (the table, system.*), rpcsup.c
 * (supervisord-wide methods) and rpcproc.c (process methods) share.
 */
#ifndef PROCD_RPCINT_H
#define PROCD_RPCINT_H

#include <stdbool.h>
#include <stdint.h>

#include "gwctl.h"
#include "rpc.h"

/* A method: PARAMS already checked against its signature. */
typedef struct xr_value *rpc_fn(struct rpc_ctx *, const struct xr_value *p);

/* Set the fault CODE with supervisord's text ("BAD_NAME: web"; EXTRA may
 * be NULL) and return NULL, for "return rpc_fault(...)". */
struct xr_value	*rpc_fault(struct rpc_ctx *, int code, const char *extra);
/* Ask procd: ARGV (NULL-terminated) as procctl would, with --json if
 * JSON.  0 with R filled (free it), or -1 with a FAILED fault set. */
int		 rpc_ask(struct rpc_ctx *, bool json, const char *const *argv,
		    struct gwreply *r);
/* The fault code a procctl result line's text means ("started" ->
 * SUCCESS, "ERROR (spawn error)" -> SPAWN_ERROR, ...). */
int		 rpc_line_code(const char *text);
/* procd refused because it is shutting down or reloading. */
bool		 rpc_shutting_down(const struct gwreply *r);

/* rpcsup.c */
rpc_fn rpcsup_api_version, rpcsup_version, rpcsup_identification,
    rpcsup_state, rpcsup_pid, rpcsup_shutdown, rpcsup_restart,
    rpcsup_reload_config, rpcsup_add_group, rpcsup_remove_group,
    rpcsup_config_info, rpcsup_remote_event;

/* rpcinfo.c */
rpc_fn rpcinfo_one, rpcinfo_all;

/* rpcproc.c */
/* NAME means more than one process ("all", "g:*", "g:"). */
bool	rpc_names_many(const char *name);
rpc_fn rpcproc_start, rpcproc_start_group,
    rpcproc_start_all, rpcproc_stop, rpcproc_stop_group, rpcproc_stop_all,
    rpcproc_signal, rpcproc_signal_group, rpcproc_signal_all,
    rpcproc_clear, rpcproc_clear_all, rpcproc_stdin;

/* rpclog.c */
rpc_fn rpclog_read_main, rpclog_read_out, rpclog_read_err, rpclog_tail_out,
    rpclog_tail_err, rpclog_clear_main;


#endif
