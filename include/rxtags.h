/*
 * rxtags.h -- the tags of the re-exec state's records, shared by its
 * writer (rxstate.c) and its reader (rxstateread.c), and nothing else.
 * A tag is never reused for another meaning: a later release adds tags.
 */
#ifndef PROCD_RXTAGS_H
#define PROCD_RXTAGS_H

#include <stddef.h>
#include <stdint.h>

#include "rxrec.h"

/* Top-level tags.  Critical: a reader that skipped it would leak a
 * descriptor or lose a program, so an older procd must refuse instead. */
enum {
	RX_GENERATION	= 0x0001,
	RX_ARGV		= 0x0002 | RXREC_CRITICAL,
	RX_CONTROL	= 0x0003 | RXREC_CRITICAL,
	RX_PIDFILE	= 0x0004 | RXREC_CRITICAL,
	RX_NOTIFY	= 0x0005 | RXREC_CRITICAL,
	RX_HTTP		= 0x0006 | RXREC_CRITICAL,
	RX_GATEWAY	= 0x0007,
	RX_REPLY	= 0x0008 | RXREC_CRITICAL,
	RX_PROG		= 0x0009 | RXREC_CRITICAL,
	RX_FOLLOW	= 0x000a | RXREC_CRITICAL,
	RX_EVSERIAL	= 0x000b,
	RX_POOL		= 0x000c,
	RX_LISTENER	= 0x000d | RXREC_CRITICAL,
	RX_HELD		= 0x000e | RXREC_CRITICAL,
};

/* In RX_HELD (its descriptor is RXC_FD): */
enum {
	RXH_GROUP	= 0x0002 | RXREC_CRITICAL,
	RXH_URL		= 0x0003 | RXREC_CRITICAL,
};

/* In RX_POOL (its serial is RXR_ID) and RX_LISTENER: */
enum {
	RXL_NAME	= 0x0001 | RXREC_CRITICAL,
	RXL_IN		= 0x0002 | RXREC_CRITICAL,
	RXL_OUT		= 0x0003 | RXREC_CRITICAL,
	RXL_STATE	= 0x0004 | RXREC_CRITICAL,
	RXL_GARBAGE	= 0x0005,
};

/* In RX_FOLLOW (its descriptor is RXC_FD, its id RXR_ID): */
enum {
	RXF_FLAGS	= 0x0003,
	RXF_NAME	= 0x0004,
	RXF_STREAM	= 0x0005,
	RXF_PENDING	= 0x0006,
};

/* More than procd queues for one client (ctlclient.h's cap): a bound
 * for hostile input. */
#define RX_PENDING_MAX	(8u << 20)

/* In RX_ARGV, RX_CONTROL, RX_REPLY: */
enum {
	RXA_ARG		= 0x0001,
	RXC_FD		= 0x0001 | RXREC_CRITICAL,
	RXC_PATH	= 0x0002,
	RXR_ID		= 0x0002,
};

/* In RX_PROG: integers by table, then strings and streams. */
enum {
	RXP_NAME	= 0x0001 | RXREC_CRITICAL,
	RXP_SPAWNERR	= 0x0020,
	RXP_STATUS	= 0x0021,
	RXP_OUT		= 0x0022 | RXREC_CRITICAL,
	RXP_ERR		= 0x0023 | RXREC_CRITICAL,
	RXP_READY_FD	= 0x0024 | RXREC_CRITICAL,
	/* Not critical: an image that cannot take it closes the pipe, and
	 * the program sees the end of its stdin. */
	RXP_STDIN_FD	= 0x0025,
};

/* In RXP_OUT and RXP_ERR: */
enum {
	RXS_FD		= 0x0001 | RXREC_CRITICAL,
	RXS_MIDLINE	= 0x0002,
	RXS_HELD	= 0x0003,
};

/* Descriptors are small numbers: a bound for hostile input. */
#define RX_FD_MAX	(1 << 24)

/* struct rxprog's integers: tag, offset, the range a reader accepts. */
struct rxprog_int {
	uint16_t	 tag;
	size_t		 off;
	int64_t		 min, max;
};
extern const struct rxprog_int rxprog_ints[];
extern const size_t rxprog_nints;

#endif
