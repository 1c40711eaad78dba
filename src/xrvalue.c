/*
 * xrvalue.c -- the gateway's value tree (xrvalue.h).
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xrvalue.h"

static struct xr_value *
xr_new(enum xr_type t)
{
	struct xr_value *v = calloc(1, sizeof *v);

	if (v == NULL)
		fatal("calloc");
	v->type = t;
	return v;
}

struct xr_value *
xr_nil(void)
{
	return xr_new(XR_NIL);
}

struct xr_value *
xr_int(int64_t i)
{
	struct xr_value *v = xr_new(XR_INT);

	v->i = i;
	return v;
}

struct xr_value *
xr_bool(bool b)
{
	struct xr_value *v = xr_new(XR_BOOL);

	v->i = b;
	return v;
}

struct xr_value *
xr_double(double d)
{
	struct xr_value *v = xr_new(XR_DOUBLE);

	v->d = d;
	return v;
}

struct xr_value *
xr_strn(const char *s, size_t len)
{
	struct xr_value *v = xr_new(XR_STRING);

	if ((v->s = malloc(len + 1)) == NULL)
		fatal("malloc");
	memcpy(v->s, s, len);
	v->s[len] = '\0';
	v->len = len;
	return v;
}

struct xr_value *
xr_str(const char *s)
{
	return xr_strn(s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

struct xr_value *
xr_raw(char *xml, size_t len)
{
	struct xr_value *v = xr_new(XR_RAW);

	v->s = xml;
	v->len = len;
	return v;
}

struct xr_value *
xr_array(void)
{
	return xr_new(XR_ARRAY);
}

struct xr_value *
xr_struct(void)
{
	return xr_new(XR_STRUCT);
}

static void
xr_grow(struct xr_value *a)
{
	if (a->n < a->cap)
		return;
	a->cap = a->cap ? a->cap * 2 : 8;
	if ((a->items = reallocarray(a->items, a->cap, sizeof *a->items))
	    == NULL)
		fatal("reallocarray");
	if (a->type == XR_STRUCT && (a->keys = reallocarray(a->keys, a->cap,
	    sizeof *a->keys)) == NULL)
		fatal("reallocarray");
}

void
xr_push(struct xr_value *a, struct xr_value *v)
{
	xr_grow(a);
	a->items[a->n++] = v;
}

void
xr_set(struct xr_value *s, const char *key, struct xr_value *v)
{
	xr_grow(s);
	if ((s->keys[s->n] = strdup(key)) == NULL)
		fatal("strdup");
	s->items[s->n++] = v;
}

const struct xr_value *
xr_get(const struct xr_value *s, const char *key)
{
	if (s == NULL || s->type != XR_STRUCT)
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->keys[i], key) == 0)
			return s->items[i];
	return NULL;
}

const char *
xr_get_str(const struct xr_value *s, const char *key)
{
	const struct xr_value *v = xr_get(s, key);

	return v != NULL && v->type == XR_STRING ? v->s : "";
}

int64_t
xr_get_int(const struct xr_value *s, const char *key)
{
	const struct xr_value *v = xr_get(s, key);

	return v != NULL && (v->type == XR_INT || v->type == XR_BOOL) ?
	    v->i : 0;
}

void
xr_free(struct xr_value *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n; i++) {
		xr_free(v->items[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	free(v);
}
