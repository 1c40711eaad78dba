/*
 * test_sup.c -- the process table (sup.h) driven through the seam (sys.h):
 * children are fake pids that never run, their deaths are handed to
 * sup_reap() by the test, the clock moves only when a test moves it, and
 * every signal sent is recorded.  The libev loop is real: it is what
 * delivers state changes to observers and serves the spawn queue.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ev.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cfgdiff.h"
#include "config.h"
#include "log.h"
#include "sup.h"
#include "sys.h"

#define MAXREC 64

static struct {
	int64_t	 now;
	int64_t	 armed;
	int64_t	 spawn_ms;	/* what each spawn takes of the clock */
	pid_t	 next_pid;
	struct { pid_t pid; int signo; } kills[MAXREC];
	size_t	 nkills;
	struct { pid_t pid; int status; } exits[MAXREC];
	size_t	 nexits;
	/* what the observers heard */
	struct { char name[64]; enum proc_state old, new; } notes[MAXREC];
	size_t	 nnotes;
	char	 gone[MAXREC][64];
	size_t	 ngone;
	int	 settled;
	int	 down;
	bool	 in_call;	/* a sup_* call of the test is on the stack */
	void	(*react)(struct process *, enum proc_state);
} fk;

static int64_t fake_now(void) { return fk.now; }

static int
fake_arm(int64_t deadline, int64_t now)
{
	(void)now;
	fk.armed = deadline;
	return 0;
}

static pid_t
fake_spawn(void (*child)(void *), void *arg)
{
	(void)child;	/* never run: there is no child */
	(void)arg;
	fk.now += fk.spawn_ms;
	return fk.next_pid++;
}

static int
fake_kill(pid_t pid, int signo)
{
	assert_true(fk.nkills < MAXREC);
	fk.kills[fk.nkills].pid = pid;
	fk.kills[fk.nkills++].signo = signo;
	return 0;
}

static pid_t
fake_reap(int *status)
{
	if (fk.nexits == 0)
		return 0;
	fk.nexits--;
	*status = fk.exits[0].status;
	pid_t pid = fk.exits[0].pid;
	memmove(&fk.exits[0], &fk.exits[1], fk.nexits * sizeof fk.exits[0]);
	return pid;
}

static const struct sys_ops fake_sys = {
	.now = fake_now, .arm = fake_arm, .spawn = fake_spawn,
	.kill = fake_kill, .reap = fake_reap, .pipe2 = pipe2,
};

static void
observe(struct process *p, enum proc_state old, enum proc_state new)
{
	assert_false(fk.in_call);	/* never inside a call of ours */
	assert_true(fk.nnotes < MAXREC);
	snprintf(fk.notes[fk.nnotes].name, sizeof fk.notes[0].name, "%s",
	    sup_name(p));
	fk.notes[fk.nnotes].old = old;
	fk.notes[fk.nnotes++].new = new;
	if (fk.react != NULL)
		fk.react(p, new);
}

static void
gone(struct process *p)
{
	assert_false(fk.in_call);
	assert_non_null(p->cfg->group);	/* its config is still there */
	assert_true(strlen(p->cfg->group) > 0);
	snprintf(fk.gone[fk.ngone++], sizeof fk.gone[0], "%s", sup_name(p));
}

static void settled(void) { fk.settled++; }
static void all_down(void) { fk.down++; }

struct fixture {
	char		 dir[PATH_MAX];
	struct ev_loop	*loop;
	struct config	*cf;
};

static struct fixture F;

/* Load "[program:...]" sections (logs off) as the table's config. */
static struct config *
load(const char *programs)
{
	char path[PATH_MAX + 16];
	struct diag_list dl = { 0 };
	struct config *cf;
	FILE *f;

	snprintf(path, sizeof path, "%s/procd.ini", F.dir);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "[procd]\nsocket = %s/s.sock\n\n%s", F.dir, programs);
	fclose(f);
	cf = config_load(path, &dl);
	if (cf == NULL)
		diag_print(&dl, stderr);
	diag_free(&dl);
	assert_non_null(cf);
	return cf;
}

#define PROG(name, extra) "[program:" name "]\ncommand = /bin/sleep 1000\n" \
	"stdout_logfile = NONE\nstderr_logfile = NONE\n" extra "\n"

static void
start_table(const char *programs)
{
	F.cf = load(programs);
	assert_int_equal(sup_init(F.loop, F.cf), 0);
	sup_set_observer(observe, gone, settled);
}

/* Let the loop deliver what is queued (changes, spawns). */
static void
pump(void)
{
	for (int i = 0; i < 8; i++)
		ev_run(F.loop, EVRUN_NOWAIT);
}

static struct process *
P(const char *name)
{
	struct process *p = sup_find(name);

	assert_non_null(p);
	return p;
}

static void
call_start(const char *name)
{
	fk.in_call = true;
	sup_start(P(name));
	fk.in_call = false;
}

static void
call_stop(const char *name)
{
	fk.in_call = true;
	sup_stop(P(name));
	fk.in_call = false;
}

/* The child of NAME dies with STATUS; procd reaps it. */
static void
dies(const char *name, int status)
{
	fk.exits[fk.nexits].pid = P(name)->pid;
	fk.exits[fk.nexits++].status = status;
	fk.in_call = true;
	sup_reap();
	fk.in_call = false;
}

/* Time passes; the one-shot heartbeat fires if it was due. */
static void
advance(int64_t ms)
{
	fk.now += ms;
	if (fk.armed != 0 && fk.armed <= fk.now)
		fk.armed = 0;
	fk.in_call = true;
	sup_tick();
	fk.in_call = false;
}

static bool
killed(pid_t pid, int signo)
{
	for (size_t i = 0; i < fk.nkills; i++)
		if (fk.kills[i].pid == pid && fk.kills[i].signo == signo)
			return true;
	return false;
}

static int
setup(void **state)
{
	char tmpl[] = "/tmp/procd-test-sup-XXXXXX";

	(void)state;
	memset(&fk, 0, sizeof fk);
	fk.now = 1000000;
	fk.next_pid = 1000;
	assert_non_null(mkdtemp(tmpl));
	snprintf(F.dir, sizeof F.dir, "%s", tmpl);
	assert_non_null(F.loop = ev_loop_new(0));
	sys_set(&fake_sys);
	log_init("test_sup");
	log_set_stderr(false);
	return 0;
}

static int
teardown(void **state)
{
	char path[PATH_MAX + 16];

	(void)state;
	sup_free();	/* frees the configs it holds, not the first */
	config_free(F.cf);
	F.cf = NULL;
	ev_loop_destroy(F.loop);
	sys_set(NULL);
	snprintf(path, sizeof path, "%s/procd.ini", F.dir);
	unlink(path);
	rmdir(F.dir);
	return 0;
}

static void
test_autostart_spawns_by_priority_and_runs_after_startsecs(void **state)
{
	(void)state;
	start_table(PROG("late", "priority = 20\nstartsecs = 1")
	    PROG("early", "priority = 10\nstartsecs = 1"));
	sup_autostart();
	/* The first pass of the spawn queue is made at once. */
	assert_false(sup_spawn_pending(P("early")));
	assert_int_equal(P("early")->pid, 1000);
	assert_int_equal(P("late")->pid, 1001);
	assert_int_equal(P("early")->state, PROC_STARTING);
	assert_int_equal(fk.armed, fk.now + 1000);	/* startsecs */
	advance(1000);
	assert_int_equal(P("early")->state, PROC_RUNNING);
	assert_int_equal(P("late")->state, PROC_RUNNING);
	assert_int_equal(fk.armed, 0);	/* nothing due: no heartbeat */
}

/* Past the first pass, autostart goes a pass of the loop at a time. */
static void
test_autostart_of_many_goes_through_the_queue(void **state)
{
	char progs[64][160], all[64 * 160] = "", name[16];
	size_t n = sizeof progs / sizeof progs[0], spawned = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		snprintf(progs[i], sizeof progs[i], PROG("p%02zu", ""), i);
		strcat(all, progs[i]);
	}
	start_table(all);
	sup_autostart();
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "p%02zu", i);
		spawned += P(name)->pid > 0;
	}
	assert_true(spawned > 0);
	assert_true(spawned < n);	/* the rest wait for the loop */
	pump();
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "p%02zu", i);
		assert_true(P(name)->pid > 0);
	}
}

/* A pass of the spawn queue also ends after SPAWN_PASS_MS: with spawns
 * of 3 ms each, two to a pass (the loop then serves clients), not 16. */
static void
test_a_spawn_pass_is_bounded_in_time(void **state)
{
	char progs[32][160], all[32 * 160] = "", name[16];
	size_t n = sizeof progs / sizeof progs[0], spawned = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		snprintf(progs[i], sizeof progs[i], PROG("p%02zu", ""), i);
		strcat(all, progs[i]);
	}
	start_table(all);
	fk.spawn_ms = 3;
	sup_autostart();
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "p%02zu", i);
		spawned += P(name)->pid > 0;
	}
	assert_int_equal(spawned, 2);
	for (size_t pass = 0; pass < n; pass++)	/* 2 a pass: 16 passes */
		pump();
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "p%02zu", i);
		assert_true(P(name)->pid > 0);
	}
}

static void
test_observers_hear_only_after_the_batch_from_the_loop(void **state)
{
	(void)state;
	start_table(PROG("a", "autostart = false\nstartsecs = 0"));
	call_start("a");	/* observe() asserts it is not called here */
	assert_int_equal(P("a")->state, PROC_RUNNING);
	assert_int_equal(fk.nnotes, 0);
	pump();
	assert_int_equal(fk.nnotes, 2);
	assert_int_equal(fk.notes[0].old, PROC_STOPPED);
	assert_int_equal(fk.notes[0].new, PROC_STARTING);
	assert_int_equal(fk.notes[1].old, PROC_STARTING);
	assert_int_equal(fk.notes[1].new, PROC_RUNNING);
	assert_true(fk.settled >= 1);
}

/* The observer acts on the table (as cmdjob does) while being told. */
static void
stop_on_running(struct process *p, enum proc_state new)
{
	if (new == PROC_RUNNING)
		sup_stop(p);
}

static void
test_observer_may_act_on_the_table_while_told(void **state)
{
	(void)state;
	start_table(PROG("a", "autostart = false\nstartsecs = 0")
	    PROG("b", "autostart = false\nstartsecs = 0"));
	fk.react = stop_on_running;
	call_start("a");
	call_start("b");
	pump();
	assert_int_equal(P("a")->state, PROC_STOPPING);
	assert_int_equal(P("b")->state, PROC_STOPPING);
	assert_true(killed(P("a")->pid, SIGTERM));
	assert_true(killed(P("b")->pid, SIGTERM));
	dies("a", W_EXITCODE(0, SIGTERM));
	dies("b", W_EXITCODE(0, SIGTERM));
	pump();
	assert_int_equal(P("a")->state, PROC_STOPPED);
	assert_int_equal(fk.notes[fk.nnotes - 1].new, PROC_STOPPED);
}

static void
test_dependent_waits_for_its_dependency_to_be_running(void **state)
{
	const char *names[4];

	(void)state;
	start_table(PROG("db", "startsecs = 2")
	    PROG("web", "startsecs = 0\ndepends_on = db"));
	sup_autostart();
	pump();
	assert_int_equal(P("db")->state, PROC_STARTING);
	assert_true(P("db")->pid > 0);
	assert_int_equal(P("web")->state, PROC_STARTING);
	assert_int_equal(P("web")->pid, 0);	/* held, not spawned */
	assert_true(P("web")->waiting);
	assert_int_equal(sup_waiting_for(P("web"), names, 4), 1);
	assert_string_equal(names[0], "db");
	advance(2000);
	assert_int_equal(P("db")->state, PROC_RUNNING);
	pump();		/* let go from a tick: through the spawn queue */
	assert_true(P("web")->pid > 0);
	assert_int_equal(P("web")->state, PROC_RUNNING);	/* startsecs=0 */
}

static void
test_stop_takes_dependents_down_first(void **state)
{
	pid_t db, web;

	(void)state;
	start_table(PROG("db", "startsecs = 0")
	    PROG("web", "startsecs = 0\ndepends_on = db"));
	sup_autostart();
	pump();
	db = P("db")->pid;
	web = P("web")->pid;
	call_stop("db");
	assert_true(killed(web, SIGTERM));
	assert_false(killed(db, SIGTERM));	/* waits for web */
	assert_int_equal(P("db")->state, PROC_RUNNING);
	dies("web", W_EXITCODE(0, SIGTERM));
	assert_true(killed(db, SIGTERM));
	dies("db", W_EXITCODE(0, SIGTERM));
	assert_int_equal(P("db")->state, PROC_STOPPED);
	/* started again, db brings web back (it was stopped for db) */
	call_start("db");
	assert_true(P("db")->pid > 0);
	assert_true(P("web")->pid > 0);
}

static void
test_quick_death_backs_off_then_the_retry_is_queued(void **state)
{
	(void)state;
	start_table(PROG("a", "startsecs = 5\nstartretries = 3"));
	sup_autostart();
	pump();
	dies("a", W_EXITCODE(1, 0));
	assert_int_equal(P("a")->state, PROC_BACKOFF);
	assert_int_equal(fk.armed, fk.now + 1000);
	advance(1000);
	/* From a tick, the spawn waits for the queue, served by the loop. */
	assert_int_equal(P("a")->pid, 0);
	assert_true(sup_spawn_pending(P("a")));
	pump();
	assert_int_equal(P("a")->pid, 1001);
	assert_int_equal(P("a")->state, PROC_STARTING);
}

static void
test_a_stop_wins_over_a_queued_restart(void **state)
{
	(void)state;
	start_table(PROG("a", "startsecs = 0\nautorestart = true"));
	sup_autostart();
	pump();
	dies("a", W_EXITCODE(1, 0));	/* reaped: the restart is queued */
	assert_true(sup_spawn_pending(P("a")));
	call_stop("a");
	pump();
	assert_int_equal(P("a")->pid, 0);
	assert_int_equal(fk.next_pid, 1001);	/* no second spawn */
}

static void
test_shutdown_goes_in_priority_waves_then_says_done(void **state)
{
	pid_t lo, hi;

	(void)state;
	start_table(PROG("lo", "priority = 1\nstartsecs = 0")
	    PROG("hi", "priority = 999\nstartsecs = 0"));
	sup_autostart();
	pump();
	lo = P("lo")->pid;
	hi = P("hi")->pid;
	fk.in_call = true;
	sup_shutdown(all_down);
	fk.in_call = false;
	assert_true(killed(hi, SIGTERM));
	assert_false(killed(lo, SIGTERM));
	dies("hi", W_EXITCODE(0, SIGTERM));
	assert_true(killed(lo, SIGTERM));
	dies("lo", W_EXITCODE(0, SIGTERM));
	assert_int_equal(fk.down, 0);	/* told from the loop, */
	pump();
	assert_int_equal(fk.down, 1);	/* once */
}

static void
test_stubborn_process_gets_sigkill_after_stopwaitsecs(void **state)
{
	pid_t pid;

	(void)state;
	start_table(PROG("a", "startsecs = 0\nstopwaitsecs = 3"));
	sup_autostart();
	pump();
	pid = P("a")->pid;
	call_stop("a");
	assert_int_equal(fk.armed, fk.now + 3000);
	advance(2999);
	assert_false(killed(pid, SIGKILL));
	advance(1);
	assert_true(killed(pid, SIGKILL));
}

/* A removed process is told as gone and freed only after that round; an
 * observer holding it meanwhile can still read it and cannot start it. */
static void
test_removed_program_is_told_then_freed(void **state)
{
	const struct program_config **cur;
	struct config *next;
	struct cfgdiff d;
	struct process *old;
	size_t n;

	(void)state;
	start_table(PROG("keep", "startsecs = 0") PROG("drop", "startsecs = 0"));
	sup_autostart();
	pump();
	old = P("drop");
	next = load(PROG("keep", "startsecs = 0"));
	n = sup_configs(&cur);
	assert_int_equal(cfgdiff_compute(cur, n, next, &d), 0);
	free(cur);
	fk.in_call = true;
	sup_update(next, &d, NULL, NULL);
	fk.in_call = false;
	cfgdiff_free(&d);
	assert_true(killed(old->pid, SIGTERM));
	dies("drop", W_EXITCODE(0, SIGTERM));
	assert_null(sup_find("drop"));	/* out of the table at once */
	sup_start(old);			/* held by someone: does nothing */
	assert_int_equal(old->pid, 0);
	assert_int_equal(fk.ngone, 0);
	pump();
	assert_int_equal(fk.ngone, 1);
	assert_string_equal(fk.gone[0], "drop");
	assert_int_equal(sup_count(), 1);
	assert_int_equal(P("keep")->state, PROC_RUNNING);
}

/* An observer told of one change acts on the table, which settles and
 * frees configs nobody in the table uses -- but a process removed in the
 * same round is still to be told of, and its config must live until then
 * (found by the chaos test under ASan, seed 406). */
static void
start_keep(struct process *p, enum proc_state new)
{
	if (new == PROC_STOPPED && strcmp(sup_name(p), "drop") == 0)
		sup_start(sup_find("keep"));
}

/* Apply CF to the table as an update. */
static void
update_to(struct config *cf)
{
	const struct program_config **cur;
	struct cfgdiff d;
	size_t n = sup_configs(&cur);

	assert_int_equal(cfgdiff_compute(cur, n, cf, &d), 0);
	free(cur);
	fk.in_call = true;
	sup_update(cf, &d, NULL, NULL);
	fk.in_call = false;
	cfgdiff_free(&d);
}

static void
test_a_removed_process_keeps_its_config_through_its_round(void **state)
{
	(void)state;
	start_table(PROG("keep", "startsecs = 0\nautostart = false"));
	/* drop comes with a second config, which only it will use */
	update_to(load(PROG("keep", "startsecs = 0\nautostart = false")
	    PROG("drop", "startsecs = 0")));
	pump();
	assert_true(P("drop")->pid > 0);
	update_to(load(PROG("keep", "startsecs = 0\nautostart = false")));
	fk.react = start_keep;
	dies("drop", W_EXITCODE(0, SIGTERM));
	pump();		/* gone() reads drop's config: ASan would say */
	assert_int_equal(fk.ngone, 1);
	assert_true(P("keep")->pid > 0);
}

/*
 * Holds on dependencies are let go once nothing is left to wait for --
 * also when an update took away the last depends_on of the whole table
 * (the chaos test, seed 402: "restart" answered never, its process held
 * in STARTING "waiting for" nobody).
 */
static void
test_a_start_held_for_a_dependency_taken_away_goes_on(void **state)
{
	(void)state;
	start_table(PROG("db", "startsecs = 2")
	    PROG("web", "startsecs = 0\ndepends_on = db"));
	sup_autostart();
	pump();
	assert_true(P("web")->waiting);
	update_to(load(PROG("web", "startsecs = 0")));
	dies("db", W_EXITCODE(0, SIGTERM));
	pump();
	assert_null(sup_find("db"));
	assert_false(P("web")->waiting);
	assert_true(P("web")->pid > 0);
	assert_int_equal(P("web")->state, PROC_RUNNING);
}

static void
test_a_stop_held_for_a_dependent_taken_away_goes_on(void **state)
{
	pid_t db;

	(void)state;
	start_table(PROG("db", "startsecs = 0")
	    PROG("web", "startsecs = 0\ndepends_on = db"));
	sup_autostart();
	pump();
	db = P("db")->pid;
	call_stop("db");		/* held: web goes first */
	assert_false(killed(db, SIGTERM));
	update_to(load(PROG("db", "startsecs = 0")));
	dies("web", W_EXITCODE(0, SIGTERM));
	pump();
	assert_null(sup_find("web"));
	assert_true(killed(db, SIGTERM));
	dies("db", W_EXITCODE(0, SIGTERM));
	assert_int_equal(P("db")->state, PROC_STOPPED);
}

/* An update pairs processes by group and name whatever their order, and
 * lists them in the new config's order, then the removed in the old's. */
static void
test_diff_pairs_by_name_in_the_new_order(void **state)
{
	const struct program_config **cur;
	struct config *next;
	struct cfgdiff d;
	size_t n;

	(void)state;
	start_table(PROG("a", "") PROG("b", "") PROG("c", "")
	    PROG("e", ""));
	next = load(PROG("c", "") PROG("d", "") PROG("a", "priority = 5")
	    PROG("e", ""));
	n = sup_configs(&cur);
	assert_int_equal(cfgdiff_compute(cur, n, next, &d), 0);
	free(cur);
	assert_int_equal(d.n, 5);
	assert_string_equal(d.v[0].new->name, "c");
	assert_int_equal(d.v[0].kind, DIFF_SAME);
	assert_string_equal(d.v[0].old->name, "c");
	assert_string_equal(d.v[1].new->name, "d");
	assert_int_equal(d.v[1].kind, DIFF_ADDED);
	assert_string_equal(d.v[2].new->name, "a");
	assert_string_equal(d.v[2].old->name, "a");
	assert_int_not_equal(d.v[2].kind, DIFF_SAME);	/* priority changed */
	assert_string_equal(d.v[3].new->name, "e");
	assert_int_equal(d.v[3].kind, DIFF_SAME);
	assert_int_equal(d.v[4].kind, DIFF_REMOVED);
	assert_string_equal(d.v[4].old->name, "b");
	cfgdiff_free(&d);
	config_free(next);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_autostart_spawns_by_priority_and_runs_after_startsecs),
		T(test_autostart_of_many_goes_through_the_queue),
		T(test_a_spawn_pass_is_bounded_in_time),
		T(test_observers_hear_only_after_the_batch_from_the_loop),
		T(test_observer_may_act_on_the_table_while_told),
		T(test_dependent_waits_for_its_dependency_to_be_running),
		T(test_stop_takes_dependents_down_first),
		T(test_quick_death_backs_off_then_the_retry_is_queued),
		T(test_a_stop_wins_over_a_queued_restart),
		T(test_shutdown_goes_in_priority_waves_then_says_done),
		T(test_stubborn_process_gets_sigkill_after_stopwaitsecs),
		T(test_removed_program_is_told_then_freed),
		T(test_a_removed_process_keeps_its_config_through_its_round),
		T(test_a_start_held_for_a_dependency_taken_away_goes_on),
		T(test_a_stop_held_for_a_dependent_taken_away_goes_on),
		T(test_diff_pairs_by_name_in_the_new_order),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
