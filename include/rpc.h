/*
 * rpc.h -- supervisord's XML-RPC API 3.0, in the gateway: a fixed table
 * of method names (rpcmethods.c), each carried out as one or more procctl
 * requests to procd over this connection's control channel.  Nothing is
 * reachable by a name that is not in the table.
 */
#ifndef PROCD_RPC_H
#define PROCD_RPC_H

#include "xrvalue.h"

/* supervisord's fault codes (xmlrpc.py's Faults). */
enum rpc_fault {
	FAULT_UNKNOWN_METHOD = 1,
	FAULT_INCORRECT_PARAMETERS = 2,
	FAULT_BAD_ARGUMENTS = 3,
	FAULT_SIGNATURE_UNSUPPORTED = 4,
	FAULT_SHUTDOWN_STATE = 6,
	FAULT_BAD_NAME = 10,
	FAULT_BAD_SIGNAL = 11,
	FAULT_NO_FILE = 20,
	FAULT_NOT_EXECUTABLE = 21,
	FAULT_FAILED = 30,
	FAULT_ABNORMAL_TERMINATION = 40,
	FAULT_SPAWN_ERROR = 50,
	FAULT_ALREADY_STARTED = 60,
	FAULT_NOT_RUNNING = 70,
	FAULT_SUCCESS = 80,
	FAULT_ALREADY_ADDED = 90,
	FAULT_STILL_RUNNING = 91,
	FAULT_CANT_REREAD = 92,
};

struct rpc_ctx {
	int	 link;		/* to procd: where channels come from */
	int	 chan;		/* this connection's channel; -1: none yet */
	int	 fault;		/* set (non-zero) when a method failed */
	char	 fault_text[512];
	int	 depth;		/* multicall nesting */
};

/* Call METHOD with PARAMS (an XR_ARRAY).  The result, or NULL with
 * ctx->fault and ctx->fault_text set. */
struct xr_value	*rpc_call(struct rpc_ctx *, const char *method,
		    const struct xr_value *params);
/* supervisord's name of fault CODE ("BAD_NAME"), "UNKNOWN" if none. */
const char	*rpc_fault_name(int code);

#endif
