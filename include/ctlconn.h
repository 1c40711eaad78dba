/*
 * ctlconn.h -- procctl's side of the control protocol: connect, send one
 * request, relay the reply to stdout/stderr, return the exit code.
 */
#ifndef PROCD_CTLCONN_H
#define PROCD_CTLCONN_H

#include <stdbool.h>
#include <stdint.h>

/* Connect to PATH; the fd, or -1 (errno set). */
int	ctlconn_connect(const char *path);
/* Send ARGV as one request and relay the answer.  Returns the exit code
 * procd chose, or -1 if the connection failed mid-way (message printed). */
int	ctlconn_call(int fd, int argc, char *const argv[], uint8_t flags);
/* Relay the reply frames on FD to stdout/stderr, up to END: its exit
 * code, or -1 (message printed; SENT: whether the request went out). */
int	ctlconn_relay(int fd, bool sent);
/* Send one request frame (procctl's and the gateway's): 0, or -1 with
 * errno (EMSGSIZE: too large for the protocol). */
int	ctlconn_send(int fd, int argc, char *const argv[], uint8_t flags);

#endif
