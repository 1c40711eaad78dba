/*
 * jsonread.h -- procd's --json answers, read back by the gateway into the
 * value tree (xrvalue.h): objects become XR_STRUCT, arrays XR_ARRAY,
 * integers XR_INT, other numbers XR_DOUBLE, strings XR_STRING (\u escapes
 * decoded to UTF-8), null XR_NIL.  The text comes from procd, but the
 * reader is strict anyway (RFC 8259, nesting capped): it never trusts a
 * length or a depth it did not check.
 */
#ifndef PROCD_JSONREAD_H
#define PROCD_JSONREAD_H

#include <stddef.h>

#include "xrvalue.h"

#define JSONREAD_DEPTH_MAX	32

/* The one JSON document in the LEN bytes at S (blanks around it allowed),
 * or NULL when it is not well-formed. */
struct xr_value	*jsonread(const char *s, size_t len);

#endif
