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
 *   - a decoded Authorization header fits the buffers it was given;
 *   - a struct written member by member (xmlrpc_member_*, how
 *     getAllProcessInfo is answered) parses back, the integer intact;
 *   - supervisord's log offset rules (rpclogrule.c) never overflow and
 *     never answer a negative offset or length;
 *   - procd's rpcinfo lines (rpcline.c) split into eleven fields or none,
 *     and unescaping never grows a field.
 */
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "httpauth.h"
#include "jsonread.h"
#include "rpcline.h"
#include "rpclogrule.h"
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
	case XR_RAW:	/* written by methods, never read */
		return 0;
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

/* TEXT (NUL-terminated) and V as a struct's members, read back. */
static void
fuzz_members(const char *text, int64_t v)
{
	struct xmlrpc_call c;
	const struct xr_value *s;
	char why[128];
	struct buf b;

	buf_init(&b);
	buf_addstr(&b, "<methodCall><methodName>m</methodName><params><param>"
	    "<value><struct>\n");
	xmlrpc_member_str(&b, text, text);
	xmlrpc_member_int(&b, "i", v);
	buf_addstr(&b, "</struct></value></param></params></methodCall>");
	FUZZ_CHECK(xmlrpc_parse(b.data, b.len, &c, why, sizeof why) == 0);
	s = c.params->items[0];
	FUZZ_CHECK(s->type == XR_STRUCT && s->n == 2);
	FUZZ_CHECK(s->items[1]->type == XR_INT && s->items[1]->i == v);
	xmlrpc_call_free(&c);
	buf_free(&b);
}

static void
fuzz_log_rules(const uint8_t *data, size_t size)
{
	int64_t x[3], from, n;
	bool overflow;

	if (size < sizeof x)
		return;
	memcpy(x, data, sizeof x);
	(void)rpclog_read_rule(x[1], x[2]);
	rpclog_tail_rule(x[0] < 0 ? -(x[0] + 1) : x[0], x[1], x[2], &from, &n,
	    &overflow);
	FUZZ_CHECK(from >= 0 && n >= 0);
}

/* TEXT (a NUL-terminated copy of the input, changed here) as rpcinfo
 * lines. */
static void
fuzz_rpclines(char *text)
{
	char *line, *save = NULL, *f[F_COUNT];

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);
		if (!rpcline_split(line, f))
			continue;
		for (int i = 0; i < F_COUNT; i++) {
			size_t before = strlen(f[i]);
			FUZZ_CHECK(f[i] >= line && f[i] + before <= line + len);
			FUZZ_CHECK(strchr(f[i], '\t') == NULL);
			rpcline_unescape(f[i]);
			FUZZ_CHECK(strlen(f[i]) <= before);
		}
	}
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
	fuzz_log_rules(data, size);
	if (size >= sizeof(int64_t)) {
		int64_t v;
		memcpy(&v, data, sizeof v);
		fuzz_members(hdr, v);
	}
	if (httpauth_parse(hdr, user, pass, sizeof user) == 0) {
		FUZZ_CHECK(strlen(user) < sizeof user);
		FUZZ_CHECK(strlen(pass) < sizeof pass);
		(void)httpauth_check(user, pass, "u", "{SHA}0123");
	}
	fuzz_rpclines(hdr);
	free(hdr);
	return 0;
}
