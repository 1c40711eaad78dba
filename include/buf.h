/*
 * buf.h -- a growable byte buffer, for replies and rendered text.
 *
 * The data is always NUL-terminated (once anything was added), so it can
 * be used as a C string.  Allocation failure is treated as fatal: procd cannot do anything useful
 * without memory, and checking every append would bury the logic.
 */
#ifndef PROCD_BUF_H
#define PROCD_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len, cap;
};

void	buf_init(struct buf *);
void	buf_free(struct buf *);
void	buf_reserve(struct buf *, size_t more);
void	buf_add(struct buf *, const void *, size_t);
void	buf_addstr(struct buf *, const char *);
void	buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Drop the first N bytes. */
void	buf_consume(struct buf *, size_t n);
/* Up to MAX bytes of B from *OFF into OUT, *OFF moved past them: how many
 * (a streamed HTTP response's callback hands out a buffer so). */
size_t	buf_copy_out(const struct buf *, size_t *off, char *out, size_t max);
void	buf_reset(struct buf *);

#endif
