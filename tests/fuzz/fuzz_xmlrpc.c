/*
 * fuzz_xmlrpc.c -- what the gateway reads from the network: an XML-RPC
 * request body (xmlrpc_parse.c), an Authorization header (httpauth.c),
 * and, for the same price, the JSON reader it points at procd's answers.
 *
 * Besides "no crash, no sanitizer report" it checks:
 *   - a request that parses is written back (xmlrpc_write.c) as a
 *     <methodCall> that parses again to the very same values: the writer
 *     escapes everything the reader could have decoded;
 *   - a refused request leaves no call behind and says why;
 *   - a decoded Authorization header fits the buffers it was given.
 */
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "httpauth.h"
#include "jsonread.h"
#include "xmlrpc.h"

static int
fuzz_same(const struct xr_value *a, const struct xr_value *b)
{
	if (a->type != b->type || a->n != b->n)
		return 0;
	switch (a->type) {
	case XR_INT:
	case XR_BOOL:
		return a->i == b->i;
	case XR_DOUBLE:
		return memcmp(&a->d, &b->d, sizeof a->d) == 0 ||
		    a->d == b->d;
	case XR_STRING:
		return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	case XR_NIL:
		return 1;
	case XR_ARRAY:
	case XR_STRUCT:
		for (size_t i = 0; i < a->n; i++) {
			if (a->type == XR_STRUCT &&
			    strcmp(a->keys[i], b->keys[i]) != 0)
				return 0;
			if (!fuzz_same(a->items[i], b->items[i]))
				return 0;
		}
		return 1;
	}
	return 0;
}

static void
fuzz_roundtrip(const struct xmlrpc_call *c)
{
	struct xmlrpc_call again;
	char why[128];
	struct buf b;

	buf_init(&b);
	buf_addstr(&b, "<methodCall><methodName>m</methodName><params>");
	for (size_t i = 0; i < c->params->n; i++) {
		buf_addstr(&b, "<param>");
		xmlrpc_write_value(&b, c->params->items[i]);
		buf_addstr(&b, "</param>");
	}
	buf_addstr(&b, "</params></methodCall>");
	FUZZ_CHECK(xmlrpc_parse(b.data, b.len, &again, why, sizeof why) == 0);
	FUZZ_CHECK(fuzz_same(c->params, again.params));
	xmlrpc_call_free(&again);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xmlrpc_call c;
	char why[128] = "", user[64], pass[64], *hdr;
	struct xr_value *j;

	if (xmlrpc_parse((const char *)data, size, &c, why, sizeof why) == 0) {
		FUZZ_CHECK(c.method != NULL && *c.method != '\0');
		fuzz_roundtrip(&c);
		xmlrpc_call_free(&c);
	} else
		FUZZ_CHECK(c.method == NULL && c.params == NULL && *why);
	if ((j = jsonread((const char *)data, size)) != NULL)
		xr_free(j);
	if ((hdr = malloc(size + 1)) == NULL)
		return 0;
	memcpy(hdr, data, size);
	hdr[size] = '\0';
	if (httpauth_parse(hdr, user, pass, sizeof user) == 0) {
		FUZZ_CHECK(strlen(user) < sizeof user);
		FUZZ_CHECK(strlen(pass) < sizeof pass);
		(void)httpauth_check(user, pass, "u", "{SHA}0123");
	}
	free(hdr);
	return 0;
}
