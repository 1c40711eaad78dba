/*
 * rxrec.h -- the record format procd's state is carried in across a
 * re-exec (procctl reexec): versioned, tagged, length-prefixed.
 *
 * Pure encode/decode, no I/O: the reader is fuzzed, since a state file is
 * input like any other (a corrupted memfd, a newer or older writer).
 *
 *	header	8	magic "PROCDRX\n"
 *		4	format version, big-endian (RXREC_VERSION)
 *		4	length of the records that follow, big-endian
 *	record	2	tag, big-endian; bit 15 (RXREC_CRITICAL) set: a
 *			reader that does not know the tag must refuse the
 *			whole state, otherwise it skips the record
 *		4	value length, big-endian
 *		LEN	value: an integer is 8 bytes big-endian, a string
 *			its bytes (no NUL), a group more records
 *
 * A reader takes every version up to its own: a later release adds tags,
 * and bumps the version only when an old reader could misread the state
 * (then it refuses with the two versions named).
 */
#ifndef PROCD_RXREC_H
#define PROCD_RXREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define RXREC_MAGIC	"PROCDRX\n"
#define RXREC_MAGIC_LEN	8
#define RXREC_HDR_LEN	16
#define RXREC_VERSION	1
#define RXREC_CRITICAL	0x8000
/* Deeper than any state procd writes: a bound for hostile input. */
#define RXREC_MAX_DEPTH	4

/* Writing: header, records, then rxrec_finish fills in the length. */
void	rxrec_begin(struct buf *);
void	rxrec_u64(struct buf *, uint16_t tag, uint64_t);
void	rxrec_i64(struct buf *, uint16_t tag, int64_t);
void	rxrec_str(struct buf *, uint16_t tag, const char *);
void	rxrec_bytes(struct buf *, uint16_t tag, const void *, size_t);
/* A group: its records go between open and close. */
size_t	rxrec_open(struct buf *, uint16_t tag);
void	rxrec_close(struct buf *, size_t at);
void	rxrec_finish(struct buf *);

/* Reading: a cursor over a run of records (the file's, or a group's). */
struct rxcur {
	const uint8_t	*p;
	size_t		 len, off;
	int		 depth;
};

/* Check the header; the cursor then walks the top-level records.  -1 with
 * *CAUSE (a static string) when it is no state of a version we read. */
int	rxrec_read(const void *, size_t, struct rxcur *, uint32_t *version,
	    const char **cause);
/* The next record: 1 with its tag and value, 0 at the end, -1 with
 * *CAUSE when the run is malformed. */
int	rxrec_next(struct rxcur *, uint16_t *tag, struct rxcur *value,
	    const char **cause);
/* A value as an integer (exactly 8 bytes), a string (no NUL; malloc'd
 * copy, NULL when out of memory or malformed), a group. */
int	rxrec_get_u64(const struct rxcur *, uint64_t *);
int	rxrec_get_i64(const struct rxcur *, int64_t *);
char	*rxrec_get_str(const struct rxcur *);
int	rxrec_get_group(const struct rxcur *, struct rxcur *);

#endif
