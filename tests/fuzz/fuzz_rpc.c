/*
 * fuzz_rpc.c -- the gateway's method dispatcher (rpcmethods.c, rpcsup.c,
 * rpcproc.c) from a request body to a response, with procd played by the
 * input itself.
 *
 * The input is three parts split at NUL bytes: an XML-RPC request body,
 * what "procd" prints on stdout for every question the method asks (JSON
 * or text), and what it prints on stderr; the first byte of the stderr
 * part, if any, picks the exit code.  A method may ask many questions (a
 * multicall, a group's start); each gets the same answer.  procd is not
 * an attacker, but its answers carry names from configs and output of
 * programs, and the dispatcher must not trust their shape.
 *
 * Besides "no crash, no sanitizer report" it checks that every call ends
 * in exactly one of a result or a named fault, and that either is written
 * as a response.
 */
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "gwctl.h"
#include "rpc.h"
#include "xmlrpc.h"

static struct {
	const char	*out, *err;
	size_t		 outlen, errlen;
	int		 code;
} procd;

/* The channel: always "open" (a number nothing else uses, never read). */
int
gwctl_open(int link)
{
	(void)link;
	return 1000;
}

int
gwctl_call(int fd, int argc, char *const argv[], int json,
    struct gwreply *r)
{
	(void)fd;
	(void)json;
	for (int i = 0; i < argc; i++)
		FUZZ_CHECK(argv[i] != NULL);
	FUZZ_CHECK(argv[argc] == NULL);
	buf_init(&r->out);
	buf_init(&r->err);
	buf_add(&r->out, procd.out, procd.outlen);
	buf_add(&r->err, procd.err, procd.errlen);
	r->code = procd.code;
	return 0;
}

void
gwreply_free(struct gwreply *r)
{
	buf_free(&r->out);
	buf_free(&r->err);
}

/* The next NUL-ended part of [*P, END), and its length in *LEN. */
static const char *
fuzz_part(const char **p, const char *end, size_t *len)
{
	const char *start = *p, *nul = memchr(start, '\0', (size_t)(end -
	    start));

	*len = (size_t)((nul != NULL ? nul : end) - start);
	*p = nul != NULL ? nul + 1 : end;
	return start;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *body;
	struct rpc_ctx ctx = { .link = -1, .chan = -1 };
	struct xmlrpc_call call;
	struct xr_value *v;
	struct buf out;
	char why[128];
	size_t len;

	body = fuzz_part(&p, end, &len);
	procd.out = fuzz_part(&p, end, &procd.outlen);
	procd.err = fuzz_part(&p, end, &procd.errlen);
	procd.code = procd.errlen > 0 ? (unsigned char)procd.err[0] % 4 : 0;
	if (xmlrpc_parse(body, len, &call, why, sizeof why) == -1)
		return 0;
	v = rpc_call(&ctx, call.method, call.params);
	buf_init(&out);
	if (v != NULL) {
		FUZZ_CHECK(ctx.fault == 0);
		xmlrpc_write_response(&out, v);
	} else {
		FUZZ_CHECK(ctx.fault != 0 && ctx.fault_text[0] != '\0');
		FUZZ_CHECK(strcmp(rpc_fault_name(ctx.fault), "UNKNOWN") != 0);
		xmlrpc_write_fault(&out, ctx.fault, ctx.fault_text);
	}
	FUZZ_CHECK(out.len > 0);
	buf_free(&out);
	xr_free(v);
	xmlrpc_call_free(&call);
	return 0;
}
