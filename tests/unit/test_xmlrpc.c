/*
 * test_xmlrpc.c -- XML-RPC requests in (xmlrpc_parse.c) and responses out
 * (xmlrpc_write.c): what supervisorctl and xmlrpc.client send is read
 * exactly; anything else is refused with a reason; what goes out is valid
 * XML whatever bytes a program wrote.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "xmlrpc.h"

#define CALL(m, params) "<?xml version='1.0'?>\n<methodCall>\n" \
	"<methodName>" m "</methodName>\n<params>\n" params \
	"</params>\n</methodCall>\n"
#define PARAM(v) "<param>\n<value>" v "</value>\n</param>\n"

static struct xmlrpc_call call;
static char why[128];

static int
parse(const char *doc)
{
	why[0] = '\0';
	return xmlrpc_parse(doc, strlen(doc), &call, why, sizeof why);
}

static void
test_a_call_as_xmlrpc_client_writes_it(void **state)
{
	(void)state;
	assert_int_equal(parse(CALL("supervisor.startProcess",
	    PARAM("<string>web</string>") PARAM("<boolean>1</boolean>"))), 0);
	assert_string_equal(call.method, "supervisor.startProcess");
	assert_int_equal(call.params->n, 2);
	assert_int_equal(call.params->items[0]->type, XR_STRING);
	assert_string_equal(call.params->items[0]->s, "web");
	assert_int_equal(call.params->items[1]->type, XR_BOOL);
	assert_int_equal(call.params->items[1]->i, 1);
	xmlrpc_call_free(&call);
}

static void
test_no_params_and_untyped_strings(void **state)
{
	(void)state;
	assert_int_equal(parse("<methodCall><methodName>supervisor.getPID"
	    "</methodName></methodCall>"), 0);
	assert_int_equal(call.params->n, 0);
	xmlrpc_call_free(&call);
	/* A value with no type element is a string, blanks and all. */
	assert_int_equal(parse(CALL("m", PARAM(" a &amp; b&#13;"))), 0);
	assert_string_equal(call.params->items[0]->s, " a & b\r");
	xmlrpc_call_free(&call);
}

static void
test_every_scalar_type(void **state)
{
	(void)state;
	assert_int_equal(parse(CALL("m",
	    PARAM("<int>-5</int>") PARAM("<i4> 7 </i4>")
	    PARAM("<i8>9000000000</i8>") PARAM("<double>1.5</double>")
	    PARAM("<nil/>") PARAM("<dateTime.iso8601>20260101T00:00:00"
	    "</dateTime.iso8601>") PARAM("<base64>aGk=</base64>")
	    PARAM("<string></string>"))), 0);
	assert_int_equal(call.params->n, 8);
	assert_int_equal(call.params->items[0]->i, -5);
	assert_int_equal(call.params->items[1]->i, 7);
	assert_int_equal(call.params->items[2]->i, 9000000000LL);
	assert_true(call.params->items[3]->d == 1.5);
	assert_int_equal(call.params->items[4]->type, XR_NIL);
	assert_string_equal(call.params->items[5]->s, "20260101T00:00:00");
	assert_string_equal(call.params->items[6]->s, "aGk=");
	assert_string_equal(call.params->items[7]->s, "");
	xmlrpc_call_free(&call);
}

static void
test_multicall_structs_in_arrays(void **state)
{
	const struct xr_value *calls, *first;

	(void)state;
	assert_int_equal(parse(CALL("system.multicall", PARAM(
	    "<array><data>"
	    "<value><struct>"
	    "<member><name>methodName</name>"
	    "<value><string>supervisor.getPID</string></value></member>"
	    "<member><name>params</name>"
	    "<value><array><data></data></array></value></member>"
	    "</struct></value>"
	    "</data></array>"))), 0);
	calls = call.params->items[0];
	assert_int_equal(calls->type, XR_ARRAY);
	assert_int_equal(calls->n, 1);
	first = calls->items[0];
	assert_string_equal(xr_get_str(first, "methodName"),
	    "supervisor.getPID");
	assert_int_equal(xr_get(first, "params")->type, XR_ARRAY);
	assert_null(xr_get(first, "nosuch"));
	xmlrpc_call_free(&call);
}

static void
test_what_is_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"<methodCall>",
		"<methodCall><methodName></methodName></methodCall>",
		"<methodResponse/>",
		"<methodCall><methodName>m</methodName><foo/></methodCall>",
		CALL("m", PARAM("<int>x</int>")),
		CALL("m", PARAM("<int>2147483648</int>")),
		CALL("m", PARAM("<boolean>2</boolean>")),
		CALL("m", PARAM("<double>nan</double>")),
		CALL("m", PARAM("<int>1</int><int>2</int>")),
		CALL("m", PARAM("<struct><member><name>a</name></member>"
		    "</struct>")),
		CALL("m", "<value>loose</value>"),
		"<!DOCTYPE x [<!ENTITY a 'b'>]><methodCall><methodName>&a;"
		    "</methodName></methodCall>",
		"<methodCall><methodName>m</methodName></methodCall><x/>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(parse(bad[i]), -1);
		assert_true(why[0] != '\0');
		assert_null(call.method);
	}
}

static void
test_nesting_is_capped(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_addstr(&b, "<methodCall><methodName>m</methodName><params><param>");
	for (int i = 0; i < 40; i++)
		buf_addstr(&b, "<value><array><data>");
	for (int i = 0; i < 40; i++)
		buf_addstr(&b, "</data></array></value>");
	buf_addstr(&b, "</param></params></methodCall>");
	assert_int_equal(parse(b.data), -1);
	assert_string_equal(why, "nested too deeply");
	buf_free(&b);
}

static void
test_response_escapes_and_replaces_bad_bytes(void **state)
{
	struct xr_value *s = xr_struct();
	struct buf b;

	(void)state;
	xr_set(s, "out", xr_strn("a<b>&\x01\xff\r\xc3\xa9", 10));
	xr_set(s, "n", xr_int(20));
	xr_set(s, "big", xr_int(5000000000LL));
	xr_set(s, "ok", xr_bool(true));
	buf_init(&b);
	xmlrpc_write_response(&b, s);
	assert_non_null(strstr(b.data, "<name>out</name><value><string>"
	    "a&lt;b&gt;&amp;\xef\xbf\xbd\xef\xbf\xbd&#13;\xc3\xa9</string>"));
	assert_non_null(strstr(b.data, "<int>20</int>"));
	assert_non_null(strstr(b.data, "<i8>5000000000</i8>"));
	assert_non_null(strstr(b.data, "<boolean>1</boolean>"));
	assert_non_null(strstr(b.data, "<methodResponse>"));
	buf_free(&b);
	xr_free(s);
}

static void
test_fault_response(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	xmlrpc_write_fault(&b, 10, "BAD_NAME: web");
	assert_non_null(strstr(b.data, "<fault>"));
	assert_non_null(strstr(b.data, "<name>faultCode</name><value><int>10"
	    "</int>"));
	assert_non_null(strstr(b.data, "<string>BAD_NAME: web</string>"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_call_as_xmlrpc_client_writes_it),
		cmocka_unit_test(test_no_params_and_untyped_strings),
		cmocka_unit_test(test_every_scalar_type),
		cmocka_unit_test(test_multicall_structs_in_arrays),
		cmocka_unit_test(test_what_is_refused),
		cmocka_unit_test(test_nesting_is_capped),
		cmocka_unit_test(test_response_escapes_and_replaces_bad_bytes),
		cmocka_unit_test(test_fault_response),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
