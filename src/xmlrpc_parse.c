/*
 * xmlrpc_parse.c -- a <methodCall> document to a method name and an array
 * of values (xmlrpc.h), with expat.  Runs only in the unprivileged
 * gateway; still, nothing a client sends may crash it or make it grow
 * without bound: the body is capped before it gets here, nesting is capped
 * here, DTDs and entity declarations are refused outright.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "buf.h"
#include "xmlrpc.h"

/* The elements of XML-RPC, and where each may appear. */
enum el {
	EL_NONE, EL_CALL, EL_NAME_M, EL_PARAMS, EL_PARAM, EL_VALUE,
	EL_STRUCT, EL_MEMBER, EL_NAME, EL_ARRAY, EL_DATA,
	EL_INT, EL_I8, EL_BOOL, EL_STRING, EL_DOUBLE, EL_DATE, EL_B64,
	EL_NIL, EL_COUNT
};

static const struct {
	const char	*tag;
	enum el		 parent;	/* EL_VALUE for every type */
} els[] = {
	[EL_NONE] = { "", EL_NONE },
	[EL_CALL] = { "methodCall", EL_NONE },
	[EL_NAME_M] = { "methodName", EL_CALL },
	[EL_PARAMS] = { "params", EL_CALL },
	[EL_PARAM] = { "param", EL_PARAMS },
	[EL_VALUE] = { "value", EL_NONE },	/* param, member or data */
	[EL_STRUCT] = { "struct", EL_VALUE },
	[EL_MEMBER] = { "member", EL_STRUCT },
	[EL_NAME] = { "name", EL_MEMBER },
	[EL_ARRAY] = { "array", EL_VALUE },
	[EL_DATA] = { "data", EL_ARRAY },
	[EL_INT] = { "int", EL_VALUE },
	[EL_I8] = { "i8", EL_VALUE },
	[EL_BOOL] = { "boolean", EL_VALUE },
	[EL_STRING] = { "string", EL_VALUE },
	[EL_DOUBLE] = { "double", EL_VALUE },
	[EL_DATE] = { "dateTime.iso8601", EL_VALUE },
	[EL_B64] = { "base64", EL_VALUE },
	[EL_NIL] = { "nil", EL_VALUE },
};
_Static_assert(sizeof els / sizeof els[0] == EL_COUNT, "a row per element");

struct frame {
	enum el		 el;
	struct xr_value	*v;	/* value, struct, array: what it holds */
	char		*name;	/* member: its name */
};

struct parse {
	XML_Parser	 p;
	struct frame	 st[XMLRPC_DEPTH_MAX];
	int		 depth;
	struct buf	 text;
	bool		 typed;	/* the open <value> got a type element */
	struct xmlrpc_call *call;
	const char	*why;
	bool		 done;	/* </methodCall> seen */
};

static void
parse_fail(struct parse *ps, const char *why)
{
	if (ps->why == NULL)
		ps->why = why;
	XML_StopParser(ps->p, XML_FALSE);
}

static enum el
el_lookup(const char *tag)
{
	/* "i4" is another name for int. */
	if (strcmp(tag, "i4") == 0)
		return EL_INT;
	for (int e = EL_CALL; e < EL_COUNT; e++)
		if (strcmp(els[e].tag, tag) == 0)
			return (enum el)e;
	return EL_NONE;
}

static bool
el_allowed(enum el e, enum el parent)
{
	if (e == EL_VALUE)
		return parent == EL_PARAM || parent == EL_MEMBER ||
		    parent == EL_DATA;
	return els[e].parent == parent;
}

static void XMLCALL
parse_start(void *ud, const XML_Char *tag, const XML_Char **attrs)
{
	struct parse *ps = ud;
	enum el e = el_lookup(tag), parent;

	(void)attrs;
	parent = ps->depth > 0 ? ps->st[ps->depth - 1].el : EL_NONE;
	if (e == EL_NONE || ps->done || !el_allowed(e, parent)) {
		parse_fail(ps, "not an XML-RPC method call");
		return;
	}
	if (ps->depth == XMLRPC_DEPTH_MAX) {
		parse_fail(ps, "nested too deeply");
		return;
	}
	if (parent == EL_VALUE) {
		/* One type element per value, and no text beside it. */
		if (ps->typed || ps->st[ps->depth - 1].v != NULL) {
			parse_fail(ps, "a value with two types");
			return;
		}
		ps->typed = true;
	}
	ps->st[ps->depth++] = (struct frame){ e, NULL, NULL };
	if (e == EL_STRUCT)
		ps->st[ps->depth - 1].v = xr_struct();
	else if (e == EL_ARRAY)
		ps->st[ps->depth - 1].v = xr_array();
	if (e == EL_VALUE)
		ps->typed = false;
	buf_reset(&ps->text);
}

static void XMLCALL
parse_text(void *ud, const XML_Char *s, int len)
{
	struct parse *ps = ud;

	if (ps->depth > 0 && ps->why == NULL)
		buf_add(&ps->text, s, (size_t)len);
}

/* The text of a scalar, without the blanks around it. */
static const char *
parse_trimmed(struct parse *ps)
{
	char *s = ps->text.data != NULL ? ps->text.data : "";
	size_t n;

	s += strspn(s, " \t\r\n");
	n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		s[--n] = '\0';
	return s;
}

static struct xr_value *
parse_int(struct parse *ps, bool wide)
{
	const char *s = parse_trimmed(ps);
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 ||
	    (!wide && (v < INT32_MIN || v > INT32_MAX))) {
		parse_fail(ps, "bad integer");
		return NULL;
	}
	return xr_int(v);
}

static struct xr_value *
parse_scalar(struct parse *ps, enum el e)
{
	const char *s;
	char *end;
	double d;

	switch (e) {
	case EL_INT:
	case EL_I8:
		return parse_int(ps, e == EL_I8);
	case EL_BOOL:
		s = parse_trimmed(ps);
		if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0)
			break;
		return xr_bool(*s == '1');
	case EL_DOUBLE:
		s = parse_trimmed(ps);
		d = strtod(s, &end);
		if (*s == '\0' || *end != '\0' || !isfinite(d))
			break;
		return xr_double(d);
	case EL_NIL:
		return xr_nil();
	default:	/* string, dateTime, base64: kept as text */
		return xr_strn(ps->text.data ? ps->text.data : "",
		    ps->text.len);
	}
	parse_fail(ps, "bad scalar value");
	return NULL;
}

/* A finished value V goes where its <value> element was. */
static void
parse_attach(struct parse *ps, struct xr_value *v)
{
	struct frame *parent = &ps->st[ps->depth - 1];

	switch (parent->el) {
	case EL_PARAM:
		xr_push(ps->call->params, v);
		break;
	case EL_DATA:
		xr_push(ps->st[ps->depth - 2].v, v);
		break;
	case EL_MEMBER:
		if (parent->v != NULL) {
			xr_free(v);
			parse_fail(ps, "a member with two values");
			break;
		}
		parent->v = v;
		break;
	default:
		xr_free(v);
		parse_fail(ps, "a value out of place");
	}
}

static void
parse_end_member(struct parse *ps, struct frame *f)
{
	if (f->name == NULL || f->v == NULL) {
		parse_fail(ps, "a struct member without name or value");
		return;
	}
	xr_set(ps->st[ps->depth - 1].v, f->name, f->v);
	f->v = NULL;
}

static void
parse_end_value(struct parse *ps, struct frame *f)
{
	struct xr_value *v = f->v;

	/* <value>text</value> is a string. */
	if (v == NULL && !ps->typed)
		v = xr_strn(ps->text.data ? ps->text.data : "", ps->text.len);
	f->v = NULL;
	if (v == NULL)
		parse_fail(ps, "an empty value");
	else
		parse_attach(ps, v);
}

static void
parse_end_child_of_value(struct parse *ps, struct frame *f)
{
	struct xr_value *v = f->v;

	f->v = NULL;
	if (v == NULL)
		v = parse_scalar(ps, f->el);
	if (v != NULL)
		ps->st[ps->depth - 1].v = v;
}

static void XMLCALL
parse_end(void *ud, const XML_Char *tag)
{
	struct parse *ps = ud;
	struct frame f;

	(void)tag;	/* expat has checked it matches */
	/* After a stop, expat may still close an empty element whose start
	 * we refused (never pushed): nothing to pop then. */
	if (ps->why != NULL)
		return;
	f = ps->st[--ps->depth];
	switch (f.el) {
	case EL_NAME_M:
		free(ps->call->method);
		ps->call->method = strdup(ps->text.data ? ps->text.data : "");
		break;
	case EL_NAME:
		free(ps->st[ps->depth - 1].name);
		ps->st[ps->depth - 1].name = strdup(ps->text.data ?
		    ps->text.data : "");
		break;
	case EL_MEMBER:
		parse_end_member(ps, &f);
		break;
	case EL_VALUE:
		parse_end_value(ps, &f);
		break;
	case EL_CALL:
		ps->done = true;
		break;
	default:
		if (els[f.el].parent == EL_VALUE)
			parse_end_child_of_value(ps, &f);
		break;
	}
	xr_free(f.v);
	free(f.name);
	buf_reset(&ps->text);
}

static void XMLCALL
parse_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	parse_fail(ud, "DTDs are not accepted");
}

static void XMLCALL
parse_entity(void *ud, const XML_Char *name, int is_param,
    const XML_Char *value, int value_len, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	(void)name; (void)is_param; (void)value; (void)value_len;
	(void)base; (void)sysid; (void)pubid; (void)notation;
	parse_fail(ud, "entity declarations are not accepted");
}

static XML_Parser
parse_new(struct parse *ps)
{
	XML_Parser p = XML_ParserCreate("UTF-8");

	if (p == NULL)
		return NULL;
	XML_SetUserData(p, ps);
	XML_SetElementHandler(p, parse_start, parse_end);
	XML_SetCharacterDataHandler(p, parse_text);
	XML_SetStartDoctypeDeclHandler(p, parse_doctype);
	XML_SetEntityDeclHandler(p, parse_entity);
	return p;
}

/* What is left on the stack after a failure. */
static void
parse_unwind(struct parse *ps)
{
	while (ps->depth > 0) {
		struct frame *f = &ps->st[--ps->depth];
		xr_free(f->v);
		free(f->name);
	}
}

int
xmlrpc_parse(const char *doc, size_t len, struct xmlrpc_call *call,
    char *why, size_t whylen)
{
	struct parse ps = { .call = call };
	int ok;

	call->method = NULL;
	call->params = xr_array();
	buf_init(&ps.text);
	if (len > INT32_MAX || (ps.p = parse_new(&ps)) == NULL) {
		snprintf(why, whylen, "cannot parse");
		buf_free(&ps.text);
		return -1;
	}
	ok = XML_Parse(ps.p, doc, (int)len, XML_TRUE) == XML_STATUS_OK;
	if (ok && (!ps.done || call->method == NULL || *call->method == '\0'))
		ps.why = "no method name", ok = 0;
	if (!ok)
		snprintf(why, whylen, "%s", ps.why != NULL ? ps.why :
		    XML_ErrorString(XML_GetErrorCode(ps.p)));
	parse_unwind(&ps);
	XML_ParserFree(ps.p);
	buf_free(&ps.text);
	if (!ok)
		xmlrpc_call_free(call);
	return ok ? 0 : -1;
}

void
xmlrpc_call_free(struct xmlrpc_call *call)
{
	free(call->method);
	xr_free(call->params);
	call->method = NULL;
	call->params = NULL;
}
