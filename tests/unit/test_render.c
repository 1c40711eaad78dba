/*
 * test_render.c -- what `procctl status` prints (CONTRACT §4): the
 * supervisorctl line format, the description column, the uptime, and the
 * --json document.
 *
 * Processes are built with proc_init() and their fields set by hand; the
 * clocks are passed in, so nothing here depends on when it runs (the one
 * wall-clock string is computed from the same time_t with strftime).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "proc.h"
#include "render.h"

#define NOW_WALL ((time_t)1700000000)	/* Nov 2023, any fixed instant */

/* A program as supervisord's defaults describe it. */
static struct program_config
program(char *group, char *name)
{
	struct program_config c;

	memset(&c, 0, sizeof c);
	c.name = name;
	c.group = group;
	c.program = group;
	c.priority = CONFIG_PRIORITY_DEFAULT;
	c.umask = -1;
	c.autostart = true;
	c.autorestart = AUTORESTART_UNEXPECTED;
	c.startsecs = 1;
	c.startretries = 3;
	c.exitcodes[0] = 1;
	c.stopsignal = SIGTERM;
	c.stopwaitsecs = 10;
	return c;
}

/* A RUNNING process: pid PID, spawned at START_MONO. */
static void
test_status_text_color_keeps_columns(void **state)
{
	struct program_config cfg = program("web", "web");
	struct process p;
	struct render_row r;
	struct buf b;

	(void)state;
	proc_init(&p, &cfg);
	p.state = PROC_FATAL;
	snprintf(p.spawnerr, sizeof p.spawnerr, "boom");
	r = (struct render_row){ .p = &p, .name = "web" };
	buf_init(&b);
	render_status_text(&b, &r, 1, 0, NOW_WALL, true);
	assert_string_equal(b.data, "web                              "
	    "\033[31mFATAL\033[0m     boom\n");
	buf_free(&b);
}

static void
running(struct process *p, const struct program_config *c, pid_t pid,
    int64_t start_mono)
{
	proc_init(p, c);
	p->state = PROC_RUNNING;
	p->want = WANT_UP;
	p->pid = pid;
	p->spawns = 1;
	p->start_mono = start_mono;
	p->start_wall = NOW_WALL - 100;
}

/* An EXITED process whose last wait status was WSTATUS. */
static void
exited(struct process *p, const struct program_config *c, int wstatus)
{
	proc_init(p, c);
	p->state = PROC_EXITED;
	p->spawns = 2;
	p->restarts = 1;
	p->wstatus = wstatus;
	p->exit_expected = proc_exit_expected(c, wstatus);
	p->start_wall = NOW_WALL - 100;
	p->stop_wall = NOW_WALL - 10;
}

/* The description column for P shown as NAME at NOW_MONO. */
static const char *
describe(const struct process *p, const char *name, int64_t now_mono)
{
	static char out[256];
	struct render_row r = { .p = p, .name = name };

	memset(out, 'Z', sizeof out);
	render_description(&r, now_mono, NOW_WALL, out, sizeof out);
	return out;
}

static const char *
uptime(int64_t secs)
{
	static char out[64];

	render_uptime(secs, out, sizeof out);
	return out;
}

/* ===================== uptime ===================== */

static void
test_uptime_is_h_mm_ss(void **state)
{
	(void)state;
	assert_string_equal(uptime(0), "0:00:00");
	assert_string_equal(uptime(5), "0:00:05");
	assert_string_equal(uptime(62), "0:01:02");
	assert_string_equal(uptime(3723), "1:02:03");
	assert_string_equal(uptime(86399), "23:59:59");
}

static void
test_uptime_counts_days_like_pythons_timedelta(void **state)
{
	(void)state;
	assert_string_equal(uptime(86400), "1 day, 0:00:00");
	assert_string_equal(uptime(86400 + 1), "1 day, 0:00:01");
	assert_string_equal(uptime(2 * 86400 + 3 * 3600 + 4 * 60 + 5),
	    "2 days, 3:04:05");
	assert_string_equal(uptime(400 * 86400), "400 days, 0:00:00");
}

static void
test_uptime_of_a_clock_gone_backwards_is_zero(void **state)
{
	(void)state;
	assert_string_equal(uptime(-5), "0:00:00");
}

static void
test_uptime_truncates_to_the_buffer(void **state)
{
	char out[5];

	(void)state;
	render_uptime(3723, out, sizeof out);
	assert_string_equal(out, "1:02");
}

/* ===================== description ===================== */

static void
test_running_shows_pid_and_uptime(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;

	(void)state;
	running(&p, &c, 42, 1000);
	assert_string_equal(describe(&p, "web", 1000 + 62 * 1000),
	    "pid 42, uptime 0:01:02");
	/* whole seconds only, rounded down */
	assert_string_equal(describe(&p, "web", 1000 + 62999),
	    "pid 42, uptime 0:01:02");
	assert_string_equal(describe(&p, "web", 1000 + (86400 + 1) * 1000),
	    "pid 42, uptime 1 day, 0:00:01");
}

static void
test_backoff_and_fatal_show_the_spawn_error(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;

	(void)state;
	proc_init(&p, &c);
	p.state = PROC_BACKOFF;
	snprintf(p.spawnerr, sizeof p.spawnerr,
	    "Exited too quickly (process log may have details)");
	assert_string_equal(describe(&p, "web", 0),
	    "Exited too quickly (process log may have details)");
	p.state = PROC_FATAL;
	snprintf(p.spawnerr, sizeof p.spawnerr,
	    "spawn failed at exec /nope: No such file or directory");
	assert_string_equal(describe(&p, "web", 0),
	    "spawn failed at exec /nope: No such file or directory");
}

static void
test_backoff_and_fatal_without_reason_point_at_tail(void **state)
{
	struct program_config c = program("grp", "web");
	struct process p;

	(void)state;
	proc_init(&p, &c);
	p.state = PROC_FATAL;
	assert_string_equal(describe(&p, "web", 0),
	    "unknown error (try \"tail web\")");
	p.state = PROC_BACKOFF;
	/* the name as the user must type it to tail a grouped process */
	assert_string_equal(describe(&p, "grp:web", 0),
	    "unknown error (try \"tail grp:web\")");
}

static void
test_stopped_never_started_is_not_started(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;

	(void)state;
	proc_init(&p, &c);
	assert_string_equal(describe(&p, "web", 0), "Not started");
}

static void
test_stopped_shows_when_it_stopped(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	char want[64];
	struct tm tm;

	(void)state;
	proc_init(&p, &c);
	p.start_wall = NOW_WALL - 3600;
	p.stop_wall = NOW_WALL - 60;
	assert_non_null(localtime_r(&p.stop_wall, &tm));
	assert_true(strftime(want, sizeof want, "%b %d %I:%M %p", &tm) > 0);
	assert_string_equal(describe(&p, "web", 0), want);
}

static void
test_exited_shows_the_exit_status(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;

	(void)state;
	exited(&p, &c, W_EXITCODE(1, 0));
	assert_string_equal(describe(&p, "web", 0),
	    "exit status 1; not expected");
	exited(&p, &c, W_EXITCODE(0, 0));
	assert_string_equal(describe(&p, "web", 0),
	    "exit status 0; expected");
}

static void
test_exited_by_signal_names_the_signal(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;

	(void)state;
	exited(&p, &c, SIGKILL);
	assert_string_equal(describe(&p, "web", 0),
	    "terminated by SIGKILL; not expected");
	exited(&p, &c, SIGSEGV | 0x80);		/* and dumped core */
	assert_string_equal(describe(&p, "web", 0),
	    "terminated by SIGSEGV; not expected");
}

static void
test_starting_and_stopping_have_no_description(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;

	(void)state;
	running(&p, &c, 42, 1000);
	p.state = PROC_STARTING;
	assert_string_equal(describe(&p, "web", 5000), "");
	p.state = PROC_STOPPING;
	assert_string_equal(describe(&p, "web", 5000), "");
}

/* ===================== status text ===================== */

static void
test_status_line_pads_a_short_name_to_33(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r;
	struct buf b;

	(void)state;
	running(&p, &c, 42, 1000);
	r = (struct render_row){ .p = &p, .name = "web" };
	buf_init(&b);
	render_status_text(&b, &r, 1, 1000 + 62 * 1000, NOW_WALL, false);
	/* name, padded to 30 + 3 | state, padded to 10 | description */
	assert_string_equal(b.data,
	    "web                              "
	    "RUNNING   "
	    "pid 42, uptime 0:01:02\n");
	assert_int_equal(b.len, strlen(b.data));
	buf_free(&b);
}

/* The line supervisorctl would print, from CONTRACT §4's format. */
static void
expect_line(char *out, size_t len, size_t maxlen, const char *name,
    const char *state, const char *desc)
{
	snprintf(out, len, "%-*s%-10s%s\n", (int)maxlen + 3, name, state,
	    desc);
}

static void
test_status_lines_share_the_width_of_the_longest_name(void **state)
{
	const char *long_name = "a_rather_long_group:with_a_long_process";
	struct program_config c1 = program("web", "web");
	struct program_config c2 = program("a_rather_long_group",
	    "with_a_long_process");
	struct process p1, p2;
	struct render_row rows[2];
	char want[512], line2[256];
	struct buf b;

	(void)state;
	assert_int_equal(strlen(long_name), 39);
	running(&p1, &c1, 42, 1000);
	exited(&p2, &c2, W_EXITCODE(1, 0));
	rows[0] = (struct render_row){ .p = &p1, .name = "web" };
	rows[1] = (struct render_row){ .p = &p2, .name = long_name };
	buf_init(&b);
	render_status_text(&b, rows, 2, 1000 + 62 * 1000, NOW_WALL, false);
	expect_line(want, sizeof want, 39, "web", "RUNNING",
	    "pid 42, uptime 0:01:02");
	expect_line(line2, sizeof line2, 39, long_name, "EXITED",
	    "exit status 1; not expected");
	strcat(want, line2);
	assert_string_equal(b.data, want);
	/* "web" then 39 spaces: column 42 is where the state starts */
	assert_memory_equal(b.data + 42, "RUNNING", 7);
	buf_free(&b);
}

static void
test_status_line_of_a_40_char_name_is_padded_to_43(void **state)
{
	char name[41];
	struct program_config c = program("x", "x");
	struct process p;
	struct render_row r;
	char want[256];
	struct buf b;

	(void)state;
	memset(name, 'n', 40);
	name[40] = '\0';
	proc_init(&p, &c);
	r = (struct render_row){ .p = &p, .name = name };
	buf_init(&b);
	render_status_text(&b, &r, 1, 0, NOW_WALL, false);
	expect_line(want, sizeof want, 40, name, "STOPPED", "Not started");
	assert_string_equal(b.data, want);
	assert_memory_equal(b.data + 40, "   STOPPED   Not started\n", 25);
	buf_free(&b);
}

static void
test_names_of_30_and_31_chars_set_the_width(void **state)
{
	char name[32];
	struct program_config c = program("x", "x");
	struct process p;
	struct render_row r;
	struct buf b;

	(void)state;
	proc_init(&p, &c);
	r = (struct render_row){ .p = &p, .name = name };
	buf_init(&b);

	memset(name, 'n', 30);
	name[30] = '\0';
	render_status_text(&b, &r, 1, 0, NOW_WALL, false);
	assert_memory_equal(b.data + 30, "   STOPPED", 10);

	buf_reset(&b);
	memset(name, 'n', 31);
	name[31] = '\0';
	render_status_text(&b, &r, 1, 0, NOW_WALL, false);
	assert_memory_equal(b.data + 31, "   STOPPED", 10);
	buf_free(&b);
}

static void
test_status_text_of_nothing_is_empty(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	render_status_text(&b, NULL, 0, 0, NOW_WALL, false);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* ===================== a small strict JSON reader ===================== */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype	 t;
	double		 num;
	bool		 b;
	char		*str;		/* J_STR, decoded */
	size_t		 n;		/* J_ARR, J_OBJ */
	char	       **keys;		/* J_OBJ */
	struct jval	*kids;		/* J_ARR, J_OBJ */
};

static int	 j_value(const char **, struct jval *);

static void
j_free(struct jval *v)
{
	free(v->str);
	for (size_t i = 0; i < v->n; i++) {
		if (v->keys != NULL)
			free(v->keys[i]);
		j_free(&v->kids[i]);
	}
	free(v->keys);
	free(v->kids);
}

static void
j_ws(const char **s)
{
	while (**s == ' ' || **s == '\t' || **s == '\n' || **s == '\r')
		(*s)++;
}

static int
j_hex4(const char *s, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		*out = *out << 4 | d;
	}
	return 0;
}

/* A string literal; raw control characters are not JSON. */
/* Code point U (below U+10000) to B as UTF-8. */
static void
j_utf8(struct buf *b, unsigned u)
{
	unsigned char c[3];

	if (u < 0x80) {
		c[0] = (unsigned char)u;
		buf_add(b, c, 1);
	} else if (u < 0x800) {
		c[0] = (unsigned char)(0xc0 | u >> 6);
		c[1] = (unsigned char)(0x80 | (u & 0x3f));
		buf_add(b, c, 2);
	} else {
		c[0] = (unsigned char)(0xe0 | u >> 12);
		c[1] = (unsigned char)(0x80 | (u >> 6 & 0x3f));
		c[2] = (unsigned char)(0x80 | (u & 0x3f));
		buf_add(b, c, 3);
	}
}

static int
j_string(const char **s, char **out)
{
	const char *p = *s;
	struct buf b;

	if (*p++ != '"')
		return -1;
	buf_init(&b);
	buf_reserve(&b, 1);
	b.data[0] = '\0';	/* so "" decodes to "" (reserve sets no NUL) */
	for (;;) {
		unsigned char c = (unsigned char)*p++;
		unsigned u;

		if (c == '"')
			break;
		if (c < 0x20)
			goto bad;
		if (c != '\\') {
			buf_add(&b, &c, 1);
			continue;
		}
		switch (*p++) {
		case '"': buf_addstr(&b, "\""); break;
		case '\\': buf_addstr(&b, "\\"); break;
		case '/': buf_addstr(&b, "/"); break;
		case 'b': buf_addstr(&b, "\b"); break;
		case 'f': buf_addstr(&b, "\f"); break;
		case 'n': buf_addstr(&b, "\n"); break;
		case 'r': buf_addstr(&b, "\r"); break;
		case 't': buf_addstr(&b, "\t"); break;
		case 'u':
			/* the BMP without surrogates: enough for these tests */
			if (j_hex4(p, &u) == -1 || u == 0 ||
			    (u >= 0xd800 && u <= 0xdfff))
				goto bad;
			j_utf8(&b, u);
			p += 4;
			break;
		default:
			goto bad;
		}
	}
	*s = p;
	*out = b.data;
	return 0;
bad:
	buf_free(&b);
	return -1;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
j_number(const char **s, double *out)
{
	const char *p = *s;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return -1;
	if (*p == '.') {
		if (*++p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	*out = strtod(*s, NULL);
	*s = p;
	return 0;
}

/* The members of an array (KEYED false) or object, after the bracket. */
static int
j_members(const char **s, struct jval *v, bool keyed, char close)
{
	j_ws(s);
	if (**s == close) {
		(*s)++;
		return 0;
	}
	for (;;) {
		struct jval *kid;
		char **key;

		v->kids = realloc(v->kids, (v->n + 1) * sizeof *v->kids);
		assert_non_null(v->kids);
		kid = memset(&v->kids[v->n], 0, sizeof *kid);
		if (keyed) {
			v->keys = realloc(v->keys,
			    (v->n + 1) * sizeof *v->keys);
			assert_non_null(v->keys);
			key = &v->keys[v->n];
			*key = NULL;
		}
		v->n++;	/* counted now, so j_free sees it on error */
		if (keyed) {
			j_ws(s);
			if (j_string(s, key) == -1)
				return -1;
			j_ws(s);
			if (*(*s)++ != ':')
				return -1;
		}
		if (j_value(s, kid) == -1)
			return -1;
		j_ws(s);
		if (**s == close) {
			(*s)++;
			return 0;
		}
		if (*(*s)++ != ',')
			return -1;
	}
}

static int
j_value(const char **s, struct jval *v)
{
	memset(v, 0, sizeof *v);
	j_ws(s);
	switch (**s) {
	case '{':
		(*s)++;
		v->t = J_OBJ;
		return j_members(s, v, true, '}');
	case '[':
		(*s)++;
		v->t = J_ARR;
		return j_members(s, v, false, ']');
	case '"':
		v->t = J_STR;
		return j_string(s, &v->str);
	case 'n':
		v->t = J_NULL;
		return strncmp(*s, "null", 4) == 0 ? (*s += 4, 0) : -1;
	case 't':
		v->t = J_BOOL;
		v->b = true;
		return strncmp(*s, "true", 4) == 0 ? (*s += 4, 0) : -1;
	case 'f':
		v->t = J_BOOL;
		return strncmp(*s, "false", 5) == 0 ? (*s += 5, 0) : -1;
	default:
		v->t = J_NUM;
		return j_number(s, &v->num);
	}
}

/* Parse all of TEXT as one JSON document: 0, or -1 at *END. */
static int
j_parse_text(const char *text, struct jval *v, size_t *end)
{
	const char *s = text;
	int rc = j_value(&s, v);

	if (rc == 0) {
		j_ws(&s);
		if (*s != '\0')
			rc = -1;
	}
	*end = (size_t)(s - text);
	return rc;
}

/* Parse TEXT as one JSON document, or fail the test. */
static void
j_parse(const char *text, struct jval *v)
{
	size_t end;

	if (j_parse_text(text, v, &end) == -1) {
		print_error("invalid JSON near offset %zu of: %s\n", end, text);
		j_free(v);
		fail();
	}
}

/* Object O's member KEY, which must be there exactly once. */
static const struct jval *
j_get(const struct jval *o, const char *key)
{
	const struct jval *found = NULL;

	assert_int_equal(o->t, J_OBJ);
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0) {
			assert_null(found);
			found = &o->kids[i];
		}
	if (found == NULL) {
		print_error("JSON object has no \"%s\"\n", key);
		fail();
	}
	return found;
}

static const char *
j_str(const struct jval *o, const char *key)
{
	const struct jval *v = j_get(o, key);

	assert_int_equal(v->t, J_STR);
	return v->str;
}

static double
j_num(const struct jval *o, const char *key)
{
	const struct jval *v = j_get(o, key);

	assert_int_equal(v->t, J_NUM);
	return v->num;
}

static void
test_json_reader_rejects_what_it_should(void **state)
{
	const char *bad[] = { "[", "{\"a\"}", "[1,]", "\"a\nb\"", "01",
	    "\"\\x\"", "nul", "{\"a\":1,}", "-", "1.", "[] x", "{1:2}",
	    "\"open" };

	(void)state;
	/* the checks below are only as good as this reader */
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct jval v;
		size_t end;
		int rc = j_parse_text(bad[i], &v, &end);

		j_free(&v);
		assert_int_equal(rc, -1);
	}
}

/* ===================== status JSON ===================== */

static void
test_json_is_an_array_of_one_object_per_process(void **state)
{
	struct program_config c1 = program("web", "web");
	struct program_config c2 = program("workers", "worker_00");
	struct program_config c3 = program("cron", "cron");
	struct process p1, p2, p3;
	struct render_row rows[3];
	const char *keys[] = { "name", "group", "state", "pid", "uptime",
	    "exitstatus", "restarts", "description" };
	struct jval doc;
	struct buf b;

	(void)state;
	running(&p1, &c1, 42, 1000);
	exited(&p2, &c2, W_EXITCODE(1, 0));
	proc_init(&p3, &c3);
	rows[0] = (struct render_row){ .p = &p1, .name = "web" };
	rows[1] = (struct render_row){ .p = &p2, .name = "workers:worker_00" };
	rows[2] = (struct render_row){ .p = &p3, .name = "cron" };
	buf_init(&b);
	render_status_json(&b, rows, 3, 1000 + 62 * 1000, NOW_WALL);
	assert_true(b.len > 0);
	assert_int_equal(b.data[b.len - 1], '\n');
	j_parse(b.data, &doc);

	assert_int_equal(doc.t, J_ARR);
	assert_int_equal(doc.n, 3);
	for (size_t i = 0; i < doc.n; i++)
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			(void)j_get(&doc.kids[i], keys[k]);

	assert_string_equal(j_str(&doc.kids[0], "name"), "web");
	assert_string_equal(j_str(&doc.kids[0], "group"), "web");
	assert_string_equal(j_str(&doc.kids[0], "state"), "RUNNING");
	assert_true(j_num(&doc.kids[0], "pid") == 42);
	assert_true(j_num(&doc.kids[0], "uptime") == 62);
	assert_int_equal(j_get(&doc.kids[0], "exitstatus")->t, J_NULL);
	assert_true(j_num(&doc.kids[0], "restarts") == 0);
	assert_string_equal(j_str(&doc.kids[0], "description"),
	    "pid 42, uptime 0:01:02");

	assert_string_equal(j_str(&doc.kids[1], "name"),
	    "workers:worker_00");
	assert_string_equal(j_str(&doc.kids[1], "group"), "workers");
	assert_string_equal(j_str(&doc.kids[1], "state"), "EXITED");
	assert_true(j_num(&doc.kids[1], "pid") == 0);
	assert_true(j_num(&doc.kids[1], "uptime") == 0);
	assert_true(j_num(&doc.kids[1], "exitstatus") == 1);
	assert_true(j_num(&doc.kids[1], "restarts") == 1);
	assert_string_equal(j_str(&doc.kids[1], "description"),
	    "exit status 1; not expected");

	assert_string_equal(j_str(&doc.kids[2], "state"), "STOPPED");
	assert_int_equal(j_get(&doc.kids[2], "exitstatus")->t, J_NULL);
	assert_string_equal(j_str(&doc.kids[2], "description"),
	    "Not started");

	j_free(&doc);
	buf_free(&b);
}

static void
test_json_death_by_signal_has_no_exit_status(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r;
	struct jval doc;
	struct buf b;

	(void)state;
	exited(&p, &c, SIGKILL);
	r = (struct render_row){ .p = &p, .name = "web" };
	buf_init(&b);
	render_status_json(&b, &r, 1, 0, NOW_WALL);
	j_parse(b.data, &doc);
	assert_int_equal(doc.n, 1);
	assert_int_equal(j_get(&doc.kids[0], "exitstatus")->t, J_NULL);
	assert_string_equal(j_str(&doc.kids[0], "description"),
	    "terminated by SIGKILL; not expected");
	j_free(&doc);
	buf_free(&b);
}

static void
test_json_escapes_quotes_backslashes_and_controls(void **state)
{
	char name[] = "we\"b\\1";
	char group[] = "g\"\\";
	const char *err =
	    "bad \"quote\" \\ back\nline\ttab\x01" "ctl\x1f" "end";
	struct program_config c = program(group, name);
	struct process p;
	struct render_row r;
	struct jval doc;
	struct buf b;

	(void)state;
	proc_init(&p, &c);
	p.state = PROC_FATAL;
	snprintf(p.spawnerr, sizeof p.spawnerr, "%s", err);
	r = (struct render_row){ .p = &p, .name = "g\"\\:we\"b\\1" };
	buf_init(&b);
	render_status_json(&b, &r, 1, 0, NOW_WALL);

	/* on the wire: escaped, and no raw control byte but the last \n */
	assert_non_null(strstr(b.data, "\"g\\\"\\\\:we\\\"b\\\\1\""));
	assert_non_null(strstr(b.data,
	    "bad \\\"quote\\\" \\\\ back\\nline\\ttab\\u0001ctl\\u001fend"));
	for (size_t i = 0; i + 1 < b.len; i++)
		assert_true((unsigned char)b.data[i] >= 0x20 ||
		    b.data[i] == '\n');

	/* and read back: the very same strings */
	j_parse(b.data, &doc);
	assert_string_equal(j_str(&doc.kids[0], "name"), "g\"\\:we\"b\\1");
	assert_string_equal(j_str(&doc.kids[0], "group"), group);
	assert_string_equal(j_str(&doc.kids[0], "state"), "FATAL");
	assert_string_equal(j_str(&doc.kids[0], "description"), err);
	j_free(&doc);
	buf_free(&b);
}

static void
test_json_of_nothing_is_an_empty_array(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	render_status_json(&b, NULL, 0, 0, NOW_WALL);
	assert_string_equal(b.data, "[]\n");
	buf_free(&b);
}

/* ===================== dependencies and readiness ===================== */

/* The description of ROW (its p, name, waiting and status_text). */
static const char *
describe_row(const struct render_row *r, int64_t now_mono)
{
	static char out[512];

	memset(out, 'Z', sizeof out);
	render_description(r, now_mono, NOW_WALL, out, sizeof out);
	return out;
}

/* STARTING, held for its dependencies (as sup.c marks it). */
static void
waiting(struct process *p, const struct program_config *c)
{
	proc_init(p, c);
	p->state = PROC_STARTING;
	p->want = WANT_UP;
	p->waiting = true;
}

static void
test_starting_waiting_names_the_dependencies(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };

	(void)state;
	waiting(&p, &c);
	r.waiting[0] = "db";
	r.nwaiting = 1;
	assert_string_equal(describe_row(&r, 0), "waiting for db");
	r.waiting[1] = "cache:redis";
	r.nwaiting = 2;
	assert_string_equal(describe_row(&r, 0),
	    "waiting for db, cache:redis");
	/* while it waits, STATUS= text (from an earlier run) is not shown */
	r.status_text = "old text";
	assert_string_equal(describe_row(&r, 0),
	    "waiting for db, cache:redis");
}

static void
test_starting_waiting_for_many_counts_the_rest(void **state)
{
	static const char *names[] = { "d0", "d1", "d2", "d3", "d4", "d5",
	    "d6", "d7", "d8", "d9" };
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };

	(void)state;
	assert_int_equal(RENDER_WAITING_MAX, 8);
	waiting(&p, &c);
	for (size_t i = 0; i < RENDER_WAITING_MAX; i++)
		r.waiting[i] = names[i];
	/* exactly as many as a row names: all named, nothing counted */
	r.nwaiting = RENDER_WAITING_MAX;
	assert_string_equal(describe_row(&r, 0),
	    "waiting for d0, d1, d2, d3, d4, d5, d6, d7");
	r.nwaiting = RENDER_WAITING_MAX + 1;
	assert_string_equal(describe_row(&r, 0),
	    "waiting for d0, d1, d2, d3, d4, d5, d6, d7 and 1 more");
	r.nwaiting = 42;
	assert_string_equal(describe_row(&r, 0),
	    "waiting for d0, d1, d2, d3, d4, d5, d6, d7 and 34 more");
}

/* Long names in a short buffer: cut, terminated, nothing past it. */
static void
test_waiting_truncates_to_the_buffer(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };
	char name[100], out[64], *exact;
	size_t lens[] = { 1, 5, 11, 12, 13, 20, 63, 64 };

	(void)state;
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	waiting(&p, &c);
	for (size_t i = 0; i < RENDER_WAITING_MAX; i++)
		r.waiting[i] = name;
	r.nwaiting = 12;
	for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		char full[2048];

		memset(out, 'Z', sizeof out);
		render_description(&r, 0, NOW_WALL, out, lens[k]);
		assert_true(strlen(out) < lens[k]);
		for (size_t j = lens[k]; j < sizeof out; j++)
			assert_int_equal(out[j], 'Z');
		/* a prefix of the whole text */
		render_description(&r, 0, NOW_WALL, full, sizeof full);
		assert_memory_equal(out, full, strlen(out));
	}
	/* the whole text, for the record */
	if (asprintf(&exact, "waiting for %s, %s, %s, %s, %s, %s, %s, %s "
	    "and 4 more", name, name, name, name, name, name, name, name) ==
	    -1)
		fail();
	{
		char full[2048];

		render_description(&r, 0, NOW_WALL, full, sizeof full);
		assert_string_equal(full, exact);
	}
	free(exact);
}

static void
test_starting_shows_the_status_text(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };

	(void)state;
	running(&p, &c, 42, 1000);
	p.state = PROC_STARTING;
	assert_string_equal(describe_row(&r, 5000), "");
	r.status_text = "";
	assert_string_equal(describe_row(&r, 5000), "");
	r.status_text = "Loading 3 of 7 tables";
	assert_string_equal(describe_row(&r, 5000), "Loading 3 of 7 tables");
	/* the rest of the row does not matter */
	r.waiting[0] = "db";
	r.nwaiting = 1;
	assert_string_equal(describe_row(&r, 5000), "Loading 3 of 7 tables");
}

/* STARTING with a readiness check and nothing said yet: which check. */
static void
test_starting_names_the_readiness_check(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };
	static char h4[] = "127.0.0.1", p4[] = "5432", h6[] = "::1",
	    p6[] = "80", cmd[] = "test -e /run/x", auth[] = "h:8080",
	    path[] = "/up";
	static struct check_spec tcp4 = { CHECK_TCP, h4, p4, NULL, NULL,
	    NULL }, tcp6 = { CHECK_TCP, h6, p6, NULL, NULL, NULL },
	    ex = { CHECK_EXEC, NULL, NULL, NULL, NULL, cmd },
	    http = { CHECK_HTTP, h6, p6, auth, path, NULL };
	static const struct {
		struct ready_config rc;
		const char *want;
	} cases[] = {
		{ { READY_STARTSECS, 0, NULL }, "" },
		{ { READY_NOTIFY, 0, NULL }, "not ready yet (notify)" },
		{ { READY_FD, 3, NULL }, "not ready yet (fd:3)" },
		{ { READY_CHECK, 0, &tcp4 },
		    "not ready yet (tcp:127.0.0.1:5432)" },
		{ { READY_CHECK, 0, &tcp6 }, "not ready yet (tcp:[::1]:80)" },
		{ { READY_CHECK, 0, &ex },
		    "not ready yet (exec:test -e /run/x)" },
		{ { READY_CHECK, 0, &http },
		    "not ready yet (http://h:8080/up)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c.ready = cases[i].rc;
		running(&p, &c, 42, 1000);
		p.state = PROC_STARTING;
		r.status_text = NULL;
		assert_string_equal(describe_row(&r, 5000), cases[i].want);
		/* what the program says itself comes first */
		r.status_text = "warming up";
		assert_string_equal(describe_row(&r, 5000), "warming up");
	}
}

static void
test_running_appends_the_status_text(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };

	(void)state;
	running(&p, &c, 42, 1000);
	r.status_text = "Serving 12 clients";
	assert_string_equal(describe_row(&r, 1000 + 5 * 1000),
	    "pid 42, uptime 0:00:05, Serving 12 clients");
	r.status_text = "";
	assert_string_equal(describe_row(&r, 1000 + 5 * 1000),
	    "pid 42, uptime 0:00:05");
	r.status_text = NULL;
	assert_string_equal(describe_row(&r, 1000 + 5 * 1000),
	    "pid 42, uptime 0:00:05");
}

/* A long STATUS= text in a short buffer: cut, never overrun. */
static void
test_running_status_text_truncates(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };
	char text[300], out[40];

	(void)state;
	memset(text, 't', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	running(&p, &c, 42, 1000);
	r.status_text = text;
	memset(out, 'Z', sizeof out);
	render_description(&r, 1000, NOW_WALL, out, 30);
	assert_int_equal(strlen(out), 29);
	assert_memory_equal(out, "pid 42, uptime 0:00:00, ttttt", 29);
	for (size_t j = 30; j < sizeof out; j++)
		assert_int_equal(out[j], 'Z');
	/* no room left after the pid and uptime: no separator either */
	render_description(&r, 1000, NOW_WALL, out, 23);
	assert_string_equal(out, "pid 42, uptime 0:00:00");
}

static void
test_exited_with_a_reason_shows_it_first(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };

	(void)state;
	exited(&p, &c, SIGKILL);
	snprintf(p.spawnerr, sizeof p.spawnerr,
	    "watchdog timeout (no WATCHDOG=1 for 5 s)");
	assert_string_equal(describe_row(&r, 0),
	    "watchdog timeout (no WATCHDOG=1 for 5 s); terminated by "
	    "SIGKILL; not expected");
	exited(&p, &c, W_EXITCODE(0, 0));
	snprintf(p.spawnerr, sizeof p.spawnerr, "why");
	assert_string_equal(describe_row(&r, 0),
	    "why; exit status 0; expected");
	/* no reason: as before */
	p.spawnerr[0] = '\0';
	assert_string_equal(describe_row(&r, 0), "exit status 0; expected");
}

/* The longest reason there can be, in a row's usual buffer and a short one. */
static void
test_exited_with_a_long_reason_truncates(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };
	char out[64];
	const char *d;

	(void)state;
	exited(&p, &c, W_EXITCODE(1, 0));
	memset(p.spawnerr, 'e', sizeof p.spawnerr - 1);
	p.spawnerr[sizeof p.spawnerr - 1] = '\0';
	d = describe_row(&r, 0);
	assert_int_equal(strlen(d), sizeof p.spawnerr - 1 +
	    strlen("; exit status 1; not expected"));
	assert_string_equal(d + sizeof p.spawnerr - 1,
	    "; exit status 1; not expected");
	memset(out, 'Z', sizeof out);
	render_description(&r, 0, NOW_WALL, out, 50);
	assert_int_equal(strlen(out), 49);
	for (size_t j = 50; j < sizeof out; j++)
		assert_int_equal(out[j], 'Z');
}

static void
test_status_line_of_a_waiting_process(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };
	struct buf b;

	(void)state;
	waiting(&p, &c);
	r.waiting[0] = "db";
	r.waiting[1] = "cache";
	r.nwaiting = 2;
	buf_init(&b);
	render_status_text(&b, &r, 1, 0, NOW_WALL, false);
	assert_string_equal(b.data,
	    "web                              "
	    "STARTING  "
	    "waiting for db, cache\n");
	buf_free(&b);
}

/* waiting_for and status_text close every object, in that order. */
static void
test_json_ends_with_waiting_for_and_status_text(void **state)
{
	struct program_config c1 = program("web", "web");
	struct program_config c2 = program("api", "api");
	struct program_config c3 = program("db", "db");
	struct process p1, p2, p3;
	struct render_row rows[3] = {
		{ .p = &p1, .name = "web" },
		{ .p = &p2, .name = "api" },
		{ .p = &p3, .name = "db" },
	};
	const struct jval *w;
	struct jval doc;
	struct buf b;

	(void)state;
	waiting(&p1, &c1);
	rows[0].waiting[0] = "db";
	rows[0].waiting[1] = "cache:redis";
	rows[0].nwaiting = 2;
	running(&p2, &c2, 43, 1000);
	rows[1].status_text = "Serving \"all\"\n\\ok";
	proc_init(&p3, &c3);
	buf_init(&b);
	render_status_json(&b, rows, 3, 1000 + 62 * 1000, NOW_WALL);
	j_parse(b.data, &doc);
	assert_int_equal(doc.t, J_ARR);
	assert_int_equal(doc.n, 3);
	for (size_t i = 0; i < doc.n; i++) {
		const struct jval *o = &doc.kids[i];

		assert_true(o->n >= 2);
		assert_string_equal(o->keys[o->n - 2], "waiting_for");
		assert_string_equal(o->keys[o->n - 1], "status_text");
	}

	assert_string_equal(j_str(&doc.kids[0], "state"), "STARTING");
	assert_string_equal(j_str(&doc.kids[0], "description"),
	    "waiting for db, cache:redis");
	w = j_get(&doc.kids[0], "waiting_for");
	assert_int_equal(w->t, J_ARR);
	assert_int_equal(w->n, 2);
	assert_int_equal(w->kids[0].t, J_STR);
	assert_string_equal(w->kids[0].str, "db");
	assert_string_equal(w->kids[1].str, "cache:redis");
	assert_int_equal(j_get(&doc.kids[0], "status_text")->t, J_NULL);

	w = j_get(&doc.kids[1], "waiting_for");
	assert_int_equal(w->t, J_ARR);
	assert_int_equal(w->n, 0);
	assert_string_equal(j_str(&doc.kids[1], "status_text"),
	    "Serving \"all\"\n\\ok");
	assert_string_equal(j_str(&doc.kids[1], "description"),
	    "pid 43, uptime 0:01:02, Serving \"all\"\n\\ok");

	w = j_get(&doc.kids[2], "waiting_for");
	assert_int_equal(w->t, J_ARR);
	assert_int_equal(w->n, 0);
	assert_int_equal(j_get(&doc.kids[2], "status_text")->t, J_NULL);
	/* the wire form of the empty ones */
	assert_non_null(strstr(b.data,
	    "\"waiting_for\":[],\"status_text\":null}"));
	j_free(&doc);
	buf_free(&b);
}

/* An empty STATUS= is still a string in JSON (only NULL is null). */
static void
test_json_empty_status_text_is_a_string(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };
	struct jval doc;
	struct buf b;

	(void)state;
	running(&p, &c, 42, 1000);
	r.status_text = "";
	buf_init(&b);
	render_status_json(&b, &r, 1, 1000, NOW_WALL);
	j_parse(b.data, &doc);
	assert_string_equal(j_str(&doc.kids[0], "status_text"), "");
	j_free(&doc);
	buf_free(&b);
}

/* Past RENDER_WAITING_MAX the row holds no more names: JSON lists those. */
static void
test_json_waiting_for_lists_the_named(void **state)
{
	static const char *names[] = { "d0", "d1", "d2", "d3", "d4", "d5",
	    "d6", "d7" };
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };
	const struct jval *w;
	struct jval doc;
	struct buf b;

	(void)state;
	waiting(&p, &c);
	for (size_t i = 0; i < RENDER_WAITING_MAX; i++)
		r.waiting[i] = names[i];
	r.nwaiting = 11;
	buf_init(&b);
	render_status_json(&b, &r, 1, 0, NOW_WALL);
	j_parse(b.data, &doc);
	w = j_get(&doc.kids[0], "waiting_for");
	assert_int_equal(w->n, RENDER_WAITING_MAX);
	for (size_t i = 0; i < RENDER_WAITING_MAX; i++)
		assert_string_equal(w->kids[i].str, names[i]);
	assert_string_equal(j_str(&doc.kids[0], "description"),
	    "waiting for d0, d1, d2, d3, d4, d5, d6, d7 and 3 more");
	j_free(&doc);
	buf_free(&b);
}

/* In colour, only escapes are added: the columns stay where they are. */
/* ===================== hostile bytes ===================== */

/* What a program can put in its row: an escape sequence, CSI, a bidi
 * override and a byte that is not UTF-8, in STATUS= and a spawn error. */
#define HOSTILE "a\x1b[2J\xc2\x9b" "1m\xe2\x80\xae" "z\xff!"
#define HOSTILE_SHOWN "a\\x1b[2J\\u009b1m\\u202ez\\xff!"

/* Nothing in TEXT a terminal would obey: no C0 but the line ends, no DEL,
 * no C1, no bidi control, nothing that is not UTF-8. */
static void
assert_inert(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		assert_true(*p >= 0x20 || *p == '\n');
		assert_true(*p != 0x7f && *p != 0xff && *p != 0x9b);
	}
	assert_null(strstr(text, "\xc2\x9b"));
	assert_null(strstr(text, "\xe2\x80\xae"));
}

static void
test_status_text_escapes_what_a_program_wrote(void **state)
{
	struct program_config c1 = program("web", "web");
	struct program_config c2 = program("db", "db");
	struct process p[2];
	struct render_row r[2];
	struct buf b;

	(void)state;
	running(&p[0], &c1, 42, 1000);
	proc_init(&p[1], &c2);
	p[1].state = PROC_FATAL;
	snprintf(p[1].spawnerr, sizeof p[1].spawnerr, "exec %s: nope",
	    HOSTILE);
	r[0] = (struct render_row){ .p = &p[0], .name = "web",
	    .status_text = HOSTILE };
	r[1] = (struct render_row){ .p = &p[1], .name = "d\x1b" };
	buf_init(&b);
	render_status_text(&b, r, 2, 1000, NOW_WALL, false);
	assert_inert(b.data);
	assert_non_null(strstr(b.data, "pid 42, uptime 0:00:00, "
	    HOSTILE_SHOWN "\n"));
	assert_non_null(strstr(b.data, "exec " HOSTILE_SHOWN ": nope\n"));
	/* the escaped name is padded as it is shown */
	assert_non_null(strstr(b.data, "\nd\\x1b" "                    "
	    "        FATAL     exec"));
	buf_free(&b);
}

static void
test_json_of_any_bytes_is_valid_utf8(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web",
	    .status_text = HOSTILE };
	struct jval doc;
	struct buf b;

	(void)state;
	running(&p, &c, 42, 1000);
	buf_init(&b);
	render_status_json(&b, &r, 1, 1000, NOW_WALL);
	assert_inert(b.data);
	assert_non_null(strstr(b.data, "\"status_text\":\"a\\u001b[2J"
	    "\\u009b1m\\u202ez\\ufffd!\""));
	j_parse(b.data, &doc);
	assert_string_equal(j_str(&doc.kids[0], "status_text"),
	    "a\x1b[2J\xc2\x9b" "1m\xe2\x80\xaez\xef\xbf\xbd!");
	j_free(&doc);
	buf_free(&b);
}

/* Cut to fit, a program's text loses whole characters only. */
static void
test_truncation_keeps_whole_characters(void **state)
{
	struct program_config c = program("web", "web");
	struct process p;
	struct render_row r = { .p = &p, .name = "web" };
	char text[64] = "", out[40];

	(void)state;
	for (int i = 0; i < 10; i++)
		strcat(text, "\xe2\x82\xac");	/* U+20AC, 3 bytes */
	running(&p, &c, 42, 1000);
	r.status_text = text;
	/* 24 bytes of "pid 42, uptime 0:00:00, ", 5 left: one euro */
	render_description(&r, 1000, NOW_WALL, out, 30);
	assert_string_equal(out, "pid 42, uptime 0:00:00, \xe2\x82\xac");
	/* a spawn error cut the same way */
	proc_init(&p, &c);
	p.state = PROC_FATAL;
	snprintf(p.spawnerr, sizeof p.spawnerr, "x%s", text);
	render_description(&r, 1000, NOW_WALL, out, 6);
	assert_string_equal(out, "x\xe2\x82\xac");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_text_escapes_what_a_program_wrote),
		cmocka_unit_test(test_json_of_any_bytes_is_valid_utf8),
		cmocka_unit_test(test_truncation_keeps_whole_characters),
		cmocka_unit_test(test_status_text_color_keeps_columns),
		cmocka_unit_test(test_uptime_is_h_mm_ss),
		cmocka_unit_test(
		    test_uptime_counts_days_like_pythons_timedelta),
		cmocka_unit_test(test_uptime_of_a_clock_gone_backwards_is_zero),
		cmocka_unit_test(test_uptime_truncates_to_the_buffer),
		cmocka_unit_test(test_running_shows_pid_and_uptime),
		cmocka_unit_test(test_backoff_and_fatal_show_the_spawn_error),
		cmocka_unit_test(
		    test_backoff_and_fatal_without_reason_point_at_tail),
		cmocka_unit_test(test_stopped_never_started_is_not_started),
		cmocka_unit_test(test_stopped_shows_when_it_stopped),
		cmocka_unit_test(test_exited_shows_the_exit_status),
		cmocka_unit_test(test_exited_by_signal_names_the_signal),
		cmocka_unit_test(
		    test_starting_and_stopping_have_no_description),
		cmocka_unit_test(test_status_line_pads_a_short_name_to_33),
		cmocka_unit_test(
		    test_status_lines_share_the_width_of_the_longest_name),
		cmocka_unit_test(
		    test_status_line_of_a_40_char_name_is_padded_to_43),
		cmocka_unit_test(test_names_of_30_and_31_chars_set_the_width),
		cmocka_unit_test(test_status_text_of_nothing_is_empty),
		cmocka_unit_test(test_json_reader_rejects_what_it_should),
		cmocka_unit_test(
		    test_json_is_an_array_of_one_object_per_process),
		cmocka_unit_test(test_json_death_by_signal_has_no_exit_status),
		cmocka_unit_test(
		    test_json_escapes_quotes_backslashes_and_controls),
		cmocka_unit_test(test_json_of_nothing_is_an_empty_array),
		cmocka_unit_test(test_starting_waiting_names_the_dependencies),
		cmocka_unit_test(
		    test_starting_waiting_for_many_counts_the_rest),
		cmocka_unit_test(test_waiting_truncates_to_the_buffer),
		cmocka_unit_test(test_starting_shows_the_status_text),
		cmocka_unit_test(test_starting_names_the_readiness_check),
		cmocka_unit_test(test_running_appends_the_status_text),
		cmocka_unit_test(test_running_status_text_truncates),
		cmocka_unit_test(test_exited_with_a_reason_shows_it_first),
		cmocka_unit_test(test_exited_with_a_long_reason_truncates),
		cmocka_unit_test(test_status_line_of_a_waiting_process),
		cmocka_unit_test(
		    test_json_ends_with_waiting_for_and_status_text),
		cmocka_unit_test(test_json_empty_status_text_is_a_string),
		cmocka_unit_test(test_json_waiting_for_lists_the_named),
	};

	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
