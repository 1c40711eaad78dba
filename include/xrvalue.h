/*
 * xrvalue.h -- the gateway's value tree: what an XML-RPC request decodes
 * to (xmlrpc_parse.c), what procd's JSON answers decode to (jsonread.c),
 * and what an XML-RPC response is written from (xmlrpc_write.c).
 *
 * One shape for all three, so a method reads procd's answer and builds
 * its result with the same few calls.  Allocation failure is fatal: this
 * runs only in the gateway process, which procd restarts.
 */
#ifndef PROCD_XRVALUE_H
#define PROCD_XRVALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum xr_type {
	XR_NIL,		/* JSON null; XML-RPC <nil/> (an extension) */
	XR_INT,		/* <int>/<i4>: 32-bit on the wire */
	XR_BOOL,
	XR_DOUBLE,
	XR_STRING,	/* also <base64> and <dateTime.iso8601>, as text */
	XR_ARRAY,
	XR_STRUCT,
	XR_RAW,		/* a value already written as XML (the inside of
			 * its <value>): big answers built straight from
			 * procd's rows, without a tree to build and free */
};

struct xr_value {
	enum xr_type	 type;
	int64_t		 i;		/* XR_INT, XR_BOOL */
	double		 d;
	char		*s;		/* XR_STRING: NUL-terminated ... */
	size_t		 len;		/* ... and its length (may hold NULs) */
	struct xr_value **items;	/* XR_ARRAY, XR_STRUCT */
	char		**keys;		/* XR_STRUCT: one per item */
	size_t		 n, cap;
};

struct xr_value	*xr_nil(void);
struct xr_value	*xr_int(int64_t);
struct xr_value	*xr_bool(bool);
struct xr_value	*xr_double(double);
struct xr_value	*xr_str(const char *);
struct xr_value	*xr_strn(const char *, size_t);
struct xr_value	*xr_array(void);
/* XR_RAW: takes XML (LEN bytes, from malloc; escaped by its writer). */
struct xr_value	*xr_raw(char *xml, size_t len);
struct xr_value	*xr_struct(void);
/* Append V to array A; V is A's from now on. */
void		 xr_push(struct xr_value *a, struct xr_value *v);
/* Add KEY: V to struct S (a copy of KEY is kept). */
void		 xr_set(struct xr_value *s, const char *key, struct xr_value *v);
/* The member KEY of struct S, or NULL (also when S is not a struct). */
const struct xr_value *xr_get(const struct xr_value *s, const char *key);
/* Helpers that read a member with a default for a missing or odd one. */
const char	*xr_get_str(const struct xr_value *s, const char *key);
int64_t		 xr_get_int(const struct xr_value *s, const char *key);
void		 xr_free(struct xr_value *);

#endif
