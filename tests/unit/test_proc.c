/*
 * test_proc.c -- CONTRACT §3, the supervisord state machine, as proc_step()
 * sees it.
 *
 * The clock is a plain int64 of milliseconds and the test plays sup.c: it
 * reads the PACT_* bits proc_step() returns and reports back what a real
 * spawner would (PEV_SPAWNED with a pid, PEV_EXITED with a wait status,
 * PEV_SPAWN_FAILED with spawnerr).  Nothing forks; nothing sleeps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "config.h"
#include "proc.h"

#define QUICK_EXIT_MSG "Exited too quickly (process log may have details)"

/* A program as supervisord's defaults describe it. */
static struct program_config
default_program(void)
{
	struct program_config c;

	memset(&c, 0, sizeof c);
	c.name = "web";
	c.group = "web";
	c.program = "web";
	c.priority = CONFIG_PRIORITY_DEFAULT;
	c.umask = -1;
	c.autostart = true;
	c.autorestart = AUTORESTART_UNEXPECTED;
	c.startsecs = 1;
	c.startretries = 3;
	c.exitcodes[0] = 1;		/* exitcodes=0 */
	c.stopsignal = SIGTERM;
	c.stopwaitsecs = 10;
	return c;
}

/* Mark exit CODE as expected in CFG's exitcodes. */
static void
expect_code(struct program_config *c, int code)
{
	c->exitcodes[code / 8] |= (uint8_t)(1u << (code % 8));
}

/* --- the fake spawner: what sup.c does with proc_step()'s answers --- */

static pid_t next_pid = 100;

/* proc asked for a spawn and fork worked: report the new pid. */
static void
spawn_succeeds(struct process *p, unsigned act, int64_t now)
{
	assert_int_equal(act, PACT_SPAWN);
	p->pid = next_pid++;
	assert_int_equal(proc_step(p, PEV_SPAWNED, now), 0);
}

/* proc asked for a spawn and fork failed with WHY. */
static unsigned
spawn_fails(struct process *p, unsigned act, const char *why, int64_t now)
{
	assert_int_equal(act, PACT_SPAWN);
	strncpy(p->spawnerr, why, sizeof p->spawnerr - 1);
	return proc_step(p, PEV_SPAWN_FAILED, now);
}

/* The child is reaped with wait status WSTATUS and its output drained. */
static unsigned
child_exits(struct process *p, int wstatus, int64_t now)
{
	p->wstatus = wstatus;
	return proc_step(p, PEV_EXITED, now);
}

/* STOPPED -> start -> spawned at NOW: the process is STARTING. */
static void
start_at(struct process *p, int64_t now)
{
	spawn_succeeds(p, proc_step(p, PEV_START, now), now);
	assert_int_equal(p->state, PROC_STARTING);
}

/* ... and its startsecs pass: RUNNING. */
static void
run_at(struct process *p, int64_t now)
{
	start_at(p, now);
	assert_int_equal(proc_step(p, PEV_DEADLINE, p->deadline), 0);
	assert_int_equal(p->state, PROC_RUNNING);
}

/* ===================== starting ===================== */

static void
test_new_process_is_stopped_and_wanted_down(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	assert_ptr_equal(p.cfg, &cfg);
	assert_int_equal(p.state, PROC_STOPPED);
	assert_int_equal(p.want, WANT_DOWN);
	assert_int_equal(p.pid, 0);
	assert_int_equal(p.deadline, 0);
	assert_int_equal(p.backoff, 0);
	assert_int_equal(p.restarts, 0);
	assert_int_equal(p.spawns, 0);
	assert_string_equal(p.spawnerr, "");
	assert_false(proc_has_pid(&p));
}

static void
test_start_asks_for_a_spawn(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	assert_int_equal(proc_step(&p, PEV_START, 1000), PACT_SPAWN);
	assert_int_equal(p.want, WANT_UP);
	/* the state only moves once sup reports how the spawn went */
	assert_int_equal(p.state, PROC_STOPPED);
}

static void
test_spawned_is_starting_until_startsecs(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.startsecs = 7;
	proc_init(&p, &cfg);
	spawn_succeeds(&p, proc_step(&p, PEV_START, 5000), 5000);
	assert_int_equal(p.state, PROC_STARTING);
	assert_int_equal(p.deadline, 5000 + 7 * 1000);
	assert_int_equal(p.start_mono, 5000);
	assert_true(proc_has_pid(&p));
	assert_int_equal(p.spawns, 1);
	assert_int_equal(p.restarts, 0);
}

/* startsecs=0: STARTING with a deadline that is already due, which the
 * caller runs at once -- so STARTING is observable on the way. */
static void
test_startsecs_zero_is_running_at_once(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.startsecs = 0;
	proc_init(&p, &cfg);
	spawn_succeeds(&p, proc_step(&p, PEV_START, 5000), 5000);
	assert_int_equal(p.state, PROC_STARTING);
	assert_int_equal(p.deadline, 5000);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 5000), 0);
	assert_int_equal(p.state, PROC_RUNNING);
	assert_int_equal(p.deadline, 0);
	assert_int_equal(p.start_mono, 5000);
}

static void
test_deadline_before_startsecs_changes_nothing(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 5999), 0);
	assert_int_equal(p.state, PROC_STARTING);
	assert_int_equal(p.deadline, 6000);
}

static void
test_deadline_at_startsecs_is_running(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 6000), 0);
	assert_int_equal(p.state, PROC_RUNNING);
	assert_int_equal(p.deadline, 0);
	assert_true(proc_has_pid(&p));
}

static void
test_deadline_late_is_running_too(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	/* a loop that was busy fires the timer late */
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 9000), 0);
	assert_int_equal(p.state, PROC_RUNNING);
}

static void
test_ready_is_running_before_startsecs(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	assert_int_equal(proc_step(&p, PEV_READY, 5100), 0);
	assert_int_equal(p.state, PROC_RUNNING);
	assert_int_equal(p.deadline, 0);
}

static void
test_start_while_starting_or_running_does_nothing(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	pid_t pid;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	pid = p.pid;
	assert_int_equal(proc_step(&p, PEV_START, 5500), 0);
	assert_int_equal(p.state, PROC_STARTING);
	assert_int_equal(p.deadline, 6000);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 6000), 0);
	assert_int_equal(proc_step(&p, PEV_START, 7000), 0);
	assert_int_equal(p.state, PROC_RUNNING);
	assert_int_equal(p.pid, pid);
	assert_int_equal(p.spawns, 1);
}

/* ===================== backoff and FATAL ===================== */

static void
test_death_while_starting_is_backoff_for_one_second(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	assert_int_equal(child_exits(&p, W_EXITCODE(1, 0), 5300), 0);
	assert_int_equal(p.state, PROC_BACKOFF);
	assert_int_equal(p.deadline, 5300 + 1000);
	assert_int_equal(p.backoff, 1);
	assert_int_equal(p.pid, 0);
	assert_string_equal(p.spawnerr, QUICK_EXIT_MSG);
}

static void
test_even_expected_exit_while_starting_is_backoff(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	/* exit 0 is in exitcodes, but it did not stay up for startsecs */
	assert_int_equal(child_exits(&p, W_EXITCODE(0, 0), 5300), 0);
	assert_int_equal(p.state, PROC_BACKOFF);
}

static void
test_backoff_deadline_early_changes_nothing(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	child_exits(&p, W_EXITCODE(1, 0), 5300);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 6299), 0);
	assert_int_equal(p.state, PROC_BACKOFF);
	assert_int_equal(p.deadline, 6300);
}

static void
test_nth_quick_failure_waits_n_seconds(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	int64_t now = 10000;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, now);
	for (int n = 1; n <= 3; n++) {
		now += 200;		/* dies 0.2 s after each spawn */
		assert_int_equal(child_exits(&p, W_EXITCODE(1, 0), now), 0);
		assert_int_equal(p.state, PROC_BACKOFF);
		assert_int_equal(p.backoff, n);
		assert_int_equal(p.deadline, now + n * 1000);
		now = p.deadline;
		spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, now), now);
		assert_int_equal(p.state, PROC_STARTING);
		assert_int_equal(p.start_mono, now);
	}
}

static void
test_startretries_3_is_4_attempts_then_fatal(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	int64_t now = 10000;
	int attempts = 0;

	(void)state;
	proc_init(&p, &cfg);
	spawn_succeeds(&p, proc_step(&p, PEV_START, now), now);
	for (;;) {
		attempts++;
		now += 100;
		assert_int_equal(child_exits(&p, W_EXITCODE(1, 0), now), 0);
		if (p.state != PROC_BACKOFF)
			break;
		now = p.deadline;
		spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, now), now);
	}
	assert_int_equal(attempts, 4);
	assert_int_equal(p.state, PROC_FATAL);
	assert_int_equal(p.deadline, 0);
	assert_int_equal(p.pid, 0);
	assert_string_equal(p.spawnerr, QUICK_EXIT_MSG);
	assert_int_equal(p.spawns, 4);
	assert_int_equal(p.restarts, 3);
	assert_false(proc_is_active(p.state));
	/* FATAL stays FATAL: no timer revives it */
	assert_int_equal(proc_step(&p, PEV_DEADLINE, now + 60000), 0);
	assert_int_equal(p.state, PROC_FATAL);
}

static void
test_startretries_0_is_fatal_on_first_quick_failure(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.startretries = 0;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	assert_int_equal(child_exits(&p, W_EXITCODE(1, 0), 5100), 0);
	assert_int_equal(p.state, PROC_FATAL);
	assert_int_equal(p.spawns, 1);
}

static void
test_spawn_failure_is_backoff_keeping_the_reason(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	unsigned act;

	(void)state;
	proc_init(&p, &cfg);
	act = proc_step(&p, PEV_START, 5000);
	assert_int_equal(spawn_fails(&p, act, "fork: Resource temporarily "
	    "unavailable", 5000), 0);
	assert_int_equal(p.state, PROC_BACKOFF);
	assert_int_equal(p.deadline, 6000);
	assert_int_equal(p.backoff, 1);
	assert_int_equal(p.pid, 0);
	assert_string_equal(p.spawnerr, "fork: Resource temporarily "
	    "unavailable");
	assert_int_equal(p.spawns, 0);	/* nothing was spawned */
}

static void
test_spawn_failures_follow_the_same_backoff_to_fatal(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	int64_t now = 5000;
	unsigned act;
	int attempts = 0;

	(void)state;
	proc_init(&p, &cfg);
	act = proc_step(&p, PEV_START, now);
	for (;;) {
		attempts++;
		assert_int_equal(spawn_fails(&p, act, "spawn failed", now), 0);
		if (p.state != PROC_BACKOFF)
			break;
		assert_int_equal(p.deadline, now + attempts * 1000);
		now = p.deadline;
		act = proc_step(&p, PEV_DEADLINE, now);
	}
	assert_int_equal(attempts, 4);
	assert_int_equal(p.state, PROC_FATAL);
	assert_string_equal(p.spawnerr, "spawn failed");
}

static void
test_exec_failure_reported_by_child_is_kept(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	/* the child's exec-status pipe said why before it died */
	snprintf(p.spawnerr, sizeof p.spawnerr,
	    "spawn failed at exec /nope: No such file or directory");
	p.exec_failed = true;
	assert_int_equal(child_exits(&p, W_EXITCODE(127, 0), 5001), 0);
	assert_int_equal(p.state, PROC_BACKOFF);
	assert_string_equal(p.spawnerr,
	    "spawn failed at exec /nope: No such file or directory");
}

static void
test_backoff_retry_clears_the_old_reason(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	spawn_fails(&p, proc_step(&p, PEV_START, 5000), "spawn failed", 5000);
	spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, 6000), 6000);
	assert_int_equal(p.state, PROC_STARTING);
	assert_string_equal(p.spawnerr, "");
}

static void
test_running_forgets_earlier_quick_failures(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	child_exits(&p, W_EXITCODE(1, 0), 5100);
	spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, 6100), 6100);
	child_exits(&p, W_EXITCODE(1, 0), 6200);
	spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, 8200), 8200);
	assert_int_equal(p.backoff, 2);
	proc_step(&p, PEV_DEADLINE, 9200);
	assert_int_equal(p.state, PROC_RUNNING);
	assert_int_equal(p.backoff, 0);
	assert_string_equal(p.spawnerr, "");
}

static void
test_start_in_backoff_does_nothing(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	child_exits(&p, W_EXITCODE(1, 0), 5100);
	/* already trying: no second spawn, no reset of the count */
	assert_int_equal(proc_step(&p, PEV_START, 5200), 0);
	assert_int_equal(p.state, PROC_BACKOFF);
	assert_int_equal(p.backoff, 1);
	assert_int_equal(p.deadline, 6100);
}

static void
test_start_in_fatal_resets_backoff(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	int64_t now = 5000;
	int attempts = 0;

	(void)state;
	cfg.startretries = 1;
	proc_init(&p, &cfg);
	start_at(&p, now);
	now += 100;
	child_exits(&p, W_EXITCODE(1, 0), now);
	now = p.deadline;
	spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, now), now);
	now += 100;
	child_exits(&p, W_EXITCODE(1, 0), now);
	assert_int_equal(p.state, PROC_FATAL);

	/* someone fixes the program and runs `procctl start web` */
	now += 60000;
	assert_int_equal(proc_step(&p, PEV_START, now), PACT_SPAWN);
	assert_int_equal(p.backoff, 0);
	assert_int_equal(p.want, WANT_UP);
	assert_string_equal(p.spawnerr, "");
	spawn_succeeds(&p, PACT_SPAWN, now);
	/* a full new set of startretries + 1 attempts, from a 1 s wait */
	for (;;) {
		attempts++;
		now += 100;
		child_exits(&p, W_EXITCODE(1, 0), now);
		if (p.state != PROC_BACKOFF)
			break;
		assert_int_equal(p.deadline, now + attempts * 1000);
		now = p.deadline;
		spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, now), now);
	}
	assert_int_equal(attempts, 2);
	assert_int_equal(p.state, PROC_FATAL);
}

/* ===================== exits while RUNNING ===================== */

static void
test_expected_exit_is_exited_without_restart(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	assert_int_equal(child_exits(&p, W_EXITCODE(0, 0), 20000), 0);
	assert_int_equal(p.state, PROC_EXITED);
	assert_true(p.exit_expected);
	assert_int_equal(p.pid, 0);
	assert_int_equal(p.deadline, 0);
	assert_int_equal(p.wstatus, W_EXITCODE(0, 0));
}

static void
test_unexpected_exit_restarts_at_once(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	/* no backoff delay for a program that had reached RUNNING */
	assert_int_equal(child_exits(&p, W_EXITCODE(1, 0), 20000), PACT_SPAWN);
	assert_int_equal(p.state, PROC_EXITED);
	assert_false(p.exit_expected);
	spawn_succeeds(&p, PACT_SPAWN, 20000);
	assert_int_equal(p.state, PROC_STARTING);
	assert_int_equal(p.deadline, 21000);
	assert_int_equal(p.restarts, 1);
}

static void
test_signal_death_is_never_expected(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	/* exitcodes=0,9 is about exit codes, not signal numbers */
	expect_code(&cfg, SIGKILL);
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	assert_int_equal(child_exits(&p, SIGKILL, 20000), PACT_SPAWN);
	assert_int_equal(p.state, PROC_EXITED);
	assert_false(p.exit_expected);
}

static void
test_autorestart_true_restarts_after_expected_exit(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.autorestart = AUTORESTART_TRUE;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	assert_int_equal(child_exits(&p, W_EXITCODE(0, 0), 20000), PACT_SPAWN);
	assert_true(p.exit_expected);
}

static void
test_autorestart_true_restarts_after_unexpected_exit(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.autorestart = AUTORESTART_TRUE;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	assert_int_equal(child_exits(&p, W_EXITCODE(3, 0), 20000), PACT_SPAWN);
	assert_false(p.exit_expected);
}

static void
test_autorestart_false_never_restarts(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.autorestart = AUTORESTART_FALSE;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	assert_int_equal(child_exits(&p, W_EXITCODE(1, 0), 20000), 0);
	assert_int_equal(p.state, PROC_EXITED);
	assert_false(p.exit_expected);

	proc_init(&p, &cfg);
	run_at(&p, 5000);
	assert_int_equal(child_exits(&p, SIGSEGV, 20000), 0);
	assert_int_equal(p.state, PROC_EXITED);
}

static void
test_exitcodes_decide_what_is_expected(void **state)
{
	struct program_config cfg = default_program();

	(void)state;
	memset(cfg.exitcodes, 0, sizeof cfg.exitcodes);
	expect_code(&cfg, 2);
	expect_code(&cfg, 255);		/* exitcodes=2,255 */
	assert_true(proc_exit_expected(&cfg, W_EXITCODE(2, 0)));
	assert_true(proc_exit_expected(&cfg, W_EXITCODE(255, 0)));
	assert_false(proc_exit_expected(&cfg, W_EXITCODE(0, 0)));
	assert_false(proc_exit_expected(&cfg, W_EXITCODE(1, 0)));
	assert_false(proc_exit_expected(&cfg, W_EXITCODE(3, 0)));
	assert_false(proc_exit_expected(&cfg, W_EXITCODE(254, 0)));
	assert_false(proc_exit_expected(&cfg, SIGTERM));
	assert_false(proc_exit_expected(&cfg, SIGKILL | 0x80)); /* core */
}

static void
test_custom_exitcodes_drive_autorestart_unexpected(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	memset(cfg.exitcodes, 0, sizeof cfg.exitcodes);
	expect_code(&cfg, 2);
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	assert_int_equal(child_exits(&p, W_EXITCODE(2, 0), 20000), 0);
	assert_true(p.exit_expected);

	proc_init(&p, &cfg);
	run_at(&p, 5000);
	assert_int_equal(child_exits(&p, W_EXITCODE(0, 0), 20000), PACT_SPAWN);
	assert_false(p.exit_expected);
}

static void
test_start_after_exited_spawns_again(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	child_exits(&p, W_EXITCODE(0, 0), 20000);
	spawn_succeeds(&p, proc_step(&p, PEV_START, 30000), 30000);
	assert_int_equal(p.state, PROC_STARTING);
	assert_int_equal(p.restarts, 1);
}

/* ===================== stopping ===================== */

static void
test_stop_while_running_sends_stopsignal(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	assert_int_equal(proc_step(&p, PEV_STOP, 20000), PACT_STOP);
	assert_int_equal(p.state, PROC_STOPPING);
	assert_int_equal(p.want, WANT_DOWN);
	assert_int_equal(p.deadline, 20000 + 10 * 1000);
	assert_true(proc_has_pid(&p));
	assert_true(proc_is_active(p.state));
}

static void
test_stop_while_starting_sends_stopsignal(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.stopwaitsecs = 3;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	assert_int_equal(proc_step(&p, PEV_STOP, 5500), PACT_STOP);
	assert_int_equal(p.state, PROC_STOPPING);
	assert_int_equal(p.deadline, 5500 + 3 * 1000);
	/* it dies of the signal: STOPPED, not BACKOFF */
	assert_int_equal(child_exits(&p, SIGTERM, 5600), 0);
	assert_int_equal(p.state, PROC_STOPPED);
	assert_int_equal(p.backoff, 0);
}

static void
test_exit_while_stopping_is_stopped_without_restart(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.autorestart = AUTORESTART_TRUE;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	proc_step(&p, PEV_STOP, 20000);
	assert_int_equal(child_exits(&p, SIGTERM, 20100), 0);
	assert_int_equal(p.state, PROC_STOPPED);
	assert_int_equal(p.pid, 0);
	assert_int_equal(p.deadline, 0);
	assert_int_equal(p.want, WANT_DOWN);
	assert_false(proc_is_active(p.state));
}

static void
test_stop_deadline_early_changes_nothing(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	proc_step(&p, PEV_STOP, 20000);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 29999), 0);
	assert_int_equal(p.state, PROC_STOPPING);
	assert_int_equal(p.deadline, 30000);
}

static void
test_stopwaitsecs_passed_sends_sigkill_again_if_it_lingers(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	int64_t again;

	(void)state;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	proc_step(&p, PEV_STOP, 20000);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 30000), PACT_KILL);
	assert_int_equal(p.state, PROC_STOPPING);
	/* a new deadline, so a process stuck in D state is killed again */
	again = p.deadline;
	assert_true(again > 30000);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, again - 1), 0);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, again), PACT_KILL);
	assert_true(p.deadline > again);
	assert_int_equal(p.state, PROC_STOPPING);

	assert_int_equal(child_exits(&p, SIGKILL, again + 10), 0);
	assert_int_equal(p.state, PROC_STOPPED);
	assert_int_equal(p.deadline, 0);
}

static void
test_second_stop_while_stopping_does_nothing(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	proc_step(&p, PEV_STOP, 20000);
	assert_int_equal(proc_step(&p, PEV_STOP, 25000), 0);
	assert_int_equal(p.deadline, 30000);	/* not pushed back */
}

static void
test_stop_in_backoff_is_stopped_at_once(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	child_exits(&p, W_EXITCODE(1, 0), 5100);
	assert_int_equal(p.state, PROC_BACKOFF);
	assert_int_equal(proc_step(&p, PEV_STOP, 5200), 0);
	assert_int_equal(p.state, PROC_STOPPED);
	assert_int_equal(p.want, WANT_DOWN);
	assert_int_equal(p.deadline, 0);
	/* and the old retry timer, if it still fires, spawns nothing */
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 6100), 0);
	assert_int_equal(p.state, PROC_STOPPED);
}

static void
test_backoff_deadline_when_wanted_down_is_stopped(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	child_exits(&p, W_EXITCODE(1, 0), 5100);
	/* sup gave up on it (e.g. shutting down) without a PEV_STOP */
	p.want = WANT_DOWN;
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 6100), 0);
	assert_int_equal(p.state, PROC_STOPPED);
	assert_int_equal(p.deadline, 0);
}

static void
test_stop_when_not_running_only_changes_want(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	assert_int_equal(proc_step(&p, PEV_STOP, 1000), 0);
	assert_int_equal(p.state, PROC_STOPPED);

	run_at(&p, 5000);
	child_exits(&p, W_EXITCODE(0, 0), 9000);
	assert_int_equal(proc_step(&p, PEV_STOP, 9100), 0);
	assert_int_equal(p.state, PROC_EXITED);
	assert_int_equal(p.want, WANT_DOWN);
}

static void
test_start_while_stopping_restarts_once_stopped(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	proc_step(&p, PEV_STOP, 20000);
	/* `procctl restart`: stop, then start before it is down */
	assert_int_equal(proc_step(&p, PEV_START, 20001), 0);
	assert_int_equal(p.state, PROC_STOPPING);
	assert_int_equal(p.want, WANT_UP);
	assert_int_equal(child_exits(&p, SIGTERM, 20500), PACT_SPAWN);
	assert_int_equal(p.state, PROC_STOPPED);
	spawn_succeeds(&p, PACT_SPAWN, 20500);
	assert_int_equal(p.state, PROC_STARTING);
	assert_int_equal(p.restarts, 1);
}

static void
test_restart_while_backing_off_gives_fresh_retries(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	start_at(&p, 5000);
	child_exits(&p, W_EXITCODE(1, 0), 5100);
	spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, 6100), 6100);
	child_exits(&p, W_EXITCODE(1, 0), 6200);
	spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, 8200), 8200);
	assert_int_equal(p.backoff, 2);
	/* `procctl restart web` during the third attempt */
	assert_int_equal(proc_step(&p, PEV_STOP, 8300), PACT_STOP);
	proc_step(&p, PEV_START, 8300);
	spawn_succeeds(&p, child_exits(&p, SIGTERM, 8400), 8400);
	assert_int_equal(p.backoff, 0);
	/* the next quick failure is the first one again */
	child_exits(&p, W_EXITCODE(1, 0), 8500);
	assert_int_equal(p.state, PROC_BACKOFF);
	assert_int_equal(p.deadline, 8500 + 1000);
}

static void
test_stop_then_start_while_stopping_is_the_last_word(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	proc_step(&p, PEV_STOP, 20000);
	proc_step(&p, PEV_START, 20001);
	proc_step(&p, PEV_STOP, 20002);
	assert_int_equal(child_exits(&p, SIGTERM, 20500), 0);
	assert_int_equal(p.state, PROC_STOPPED);
}

/* ===================== counters ===================== */

static void
test_restarts_counts_spawns_after_the_first(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	run_at(&p, 5000);
	assert_int_equal(p.restarts, 0);
	/* autorestart after a crash */
	spawn_succeeds(&p, child_exits(&p, W_EXITCODE(1, 0), 9000), 9000);
	assert_int_equal(p.restarts, 1);
	proc_step(&p, PEV_DEADLINE, 10000);
	/* stop, then start by hand */
	proc_step(&p, PEV_STOP, 11000);
	child_exits(&p, SIGTERM, 11100);
	assert_int_equal(p.restarts, 1);
	spawn_succeeds(&p, proc_step(&p, PEV_START, 12000), 12000);
	assert_int_equal(p.restarts, 2);
	assert_int_equal(p.spawns, 3);
	/* a backoff retry is a spawn too */
	child_exits(&p, W_EXITCODE(1, 0), 12100);
	spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, 13100), 13100);
	assert_int_equal(p.restarts, 3);
	assert_int_equal(p.spawns, 4);
}

/* ===================== names and predicates ===================== */

static void
test_state_names_are_supervisords(void **state)
{
	(void)state;
	assert_string_equal(proc_state_name(PROC_STOPPED), "STOPPED");
	assert_string_equal(proc_state_name(PROC_STARTING), "STARTING");
	assert_string_equal(proc_state_name(PROC_RUNNING), "RUNNING");
	assert_string_equal(proc_state_name(PROC_BACKOFF), "BACKOFF");
	assert_string_equal(proc_state_name(PROC_STOPPING), "STOPPING");
	assert_string_equal(proc_state_name(PROC_EXITED), "EXITED");
	assert_string_equal(proc_state_name(PROC_FATAL), "FATAL");
	assert_string_equal(proc_state_name(PROC_NSTATES), "UNKNOWN");
	assert_string_equal(proc_state_name((enum proc_state)-1), "UNKNOWN");
}

static void
test_every_event_has_a_name(void **state)
{
	(void)state;
	for (int e = 0; e < PEV_NEVENTS; e++) {
		assert_non_null(proc_event_name((enum proc_event)e));
		assert_string_not_equal(proc_event_name((enum proc_event)e),
		    "unknown");
	}
	assert_string_equal(proc_event_name(PEV_NEVENTS), "unknown");
}

static void
test_active_means_up_or_trying_to_be(void **state)
{
	(void)state;
	/* status exits 0 for these, 3 for the others (CONTRACT §4) */
	assert_true(proc_is_active(PROC_STARTING));
	assert_true(proc_is_active(PROC_RUNNING));
	assert_true(proc_is_active(PROC_BACKOFF));
	assert_true(proc_is_active(PROC_STOPPING));
	assert_false(proc_is_active(PROC_STOPPED));
	assert_false(proc_is_active(PROC_EXITED));
	assert_false(proc_is_active(PROC_FATAL));
	assert_false(proc_is_active(PROC_NSTATES));
}


/* ===================== restart policy (procd's additions) ============== */

static void
test_backoff_delays_linear_exponential_capped(void **state)
{
	struct program_config cfg = default_program();

	(void)state;
	cfg.backoff_max = 0;	/* no cap: supervisord's n seconds */
	assert_int_equal(proc_backoff_delay(&cfg, 1), 1000);
	assert_int_equal(proc_backoff_delay(&cfg, 7), 7000);
	cfg.backoff = BACKOFF_EXPONENTIAL;
	assert_int_equal(proc_backoff_delay(&cfg, 1), 1000);
	assert_int_equal(proc_backoff_delay(&cfg, 2), 2000);
	assert_int_equal(proc_backoff_delay(&cfg, 4), 8000);
	cfg.backoff_max = 5;
	assert_int_equal(proc_backoff_delay(&cfg, 4), 5000);
	assert_int_equal(proc_backoff_delay(&cfg, 1000), 5000);
	cfg.backoff = BACKOFF_LINEAR;
	assert_int_equal(proc_backoff_delay(&cfg, 9), 5000);
}

/* startretries=infinite: quick failures never end in FATAL; the waits
 * grow by the policy and stay at backoff_max. */
static void
test_infinite_retries_with_capped_exponential_backoff(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	int64_t now = 1000;
	const int64_t want[] = { 1000, 2000, 4000, 4000, 4000, 4000 };

	(void)state;
	cfg.startretries = CONFIG_RETRIES_INFINITE;
	cfg.backoff = BACKOFF_EXPONENTIAL;
	cfg.backoff_max = 4;
	proc_init(&p, &cfg);
	start_at(&p, now);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		child_exits(&p, W_EXITCODE(1, 0), now + 100);
		assert_int_equal(p.state, PROC_BACKOFF);
		assert_int_equal(p.deadline - (now + 100), want[i]);
		now = p.deadline;
		spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, now), now);
	}
	assert_int_equal(p.state, PROC_STARTING);
}

/* restart_limit=2/60: the third restart within 60 s waits in BACKOFF,
 * longer each time it trips; a quiet window resets it. */
static void
test_restart_limit_turns_a_crash_loop_into_backoff(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	int64_t now = 10000;

	(void)state;
	cfg.autorestart = AUTORESTART_TRUE;
	cfg.restart_limit = 2;
	cfg.restart_window = 60;
	proc_init(&p, &cfg);
	run_at(&p, now);
	for (int i = 0; i < 2; i++) {	/* two restarts are allowed */
		now += 2000;
		spawn_succeeds(&p, child_exits(&p, W_EXITCODE(1, 0), now), now);
		assert_int_equal(proc_step(&p, PEV_DEADLINE, p.deadline), 0);
		assert_int_equal(p.state, PROC_RUNNING);
	}
	now += 2000;
	assert_int_equal(child_exits(&p, W_EXITCODE(1, 0), now), 0);
	assert_int_equal(p.state, PROC_BACKOFF);
	assert_int_equal(p.deadline, now + 1000);
	assert_non_null(strstr(p.spawnerr, "restart_limit"));
	now = p.deadline;
	spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, now), now);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, p.deadline), 0);
	now += 2000;
	assert_int_equal(child_exits(&p, W_EXITCODE(1, 0), now), 0);
	assert_int_equal(p.deadline, now + 2000);	/* second trip */
	/* A window later, it may restart at once again. */
	now = p.deadline;
	spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, now), now);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, p.deadline), 0);
	now += 61000;
	spawn_succeeds(&p, child_exits(&p, W_EXITCODE(1, 0), now), now);
}

/* ===================== readiness (ready=) ===================== */

/* ready=notify: startsecs means nothing; only PEV_READY makes it RUNNING,
 * and ready_timeout bounds the wait. */
static void
test_ready_mode_waits_for_ready_not_startsecs(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.ready.kind = READY_NOTIFY;
	cfg.ready_timeout = 30;
	proc_init(&p, &cfg);
	start_at(&p, 1000);
	assert_int_equal(p.deadline, 31000);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 2000), 0);  /* early */
	assert_int_equal(p.state, PROC_STARTING);
	assert_int_equal(proc_step(&p, PEV_READY, 5000), 0);
	assert_int_equal(p.state, PROC_RUNNING);
	assert_int_equal(p.deadline, 0);
	assert_int_equal(p.backoff, 0);
}

static void
test_ready_timeout_zero_waits_for_ever(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.ready.kind = READY_FD;
	cfg.ready.fd = 3;
	cfg.ready_timeout = 0;
	proc_init(&p, &cfg);
	start_at(&p, 1000);
	assert_int_equal(p.deadline, 0);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 1000000), 0);
	assert_int_equal(p.state, PROC_STARTING);
}

/* Not ready in time: stopped, then a failed start (BACKOFF, retried),
 * and FATAL once startretries run out. */
static void
test_ready_timeout_stops_and_counts_a_failed_start(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	int64_t now = 1000;

	(void)state;
	cfg.ready.kind = READY_CHECK;
	cfg.ready_timeout = 5;
	cfg.startretries = 1;
	proc_init(&p, &cfg);
	start_at(&p, now);
	now = p.deadline;
	assert_int_equal(proc_step(&p, PEV_DEADLINE, now), PACT_STOP);
	assert_int_equal(p.state, PROC_STOPPING);
	assert_string_equal(p.spawnerr, "not ready after 5 s (ready_timeout)");
	assert_int_equal(p.want, WANT_UP);
	assert_int_equal(child_exits(&p, W_EXITCODE(0, SIGTERM), now + 10), 0);
	assert_int_equal(p.state, PROC_BACKOFF);
	assert_int_equal(p.backoff, 1);
	assert_string_equal(p.spawnerr, "not ready after 5 s (ready_timeout)");
	now = p.deadline;
	spawn_succeeds(&p, proc_step(&p, PEV_DEADLINE, now), now);
	now = p.deadline;
	assert_int_equal(proc_step(&p, PEV_DEADLINE, now), PACT_STOP);
	assert_int_equal(child_exits(&p, W_EXITCODE(0, SIGKILL), now), 0);
	assert_int_equal(p.state, PROC_FATAL);
}

/* Stopped by hand while procd was stopping it for ready_timeout. */
static void
test_stop_during_ready_timeout_stop_ends_stopped(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.ready.kind = READY_CHECK;
	cfg.ready_timeout = 1;
	proc_init(&p, &cfg);
	start_at(&p, 0);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 1000), PACT_STOP);
	assert_int_equal(proc_step(&p, PEV_STOP, 1100), 0);
	assert_int_equal(child_exits(&p, W_EXITCODE(0, SIGTERM), 1200), 0);
	assert_int_equal(p.state, PROC_STOPPED);
	assert_false(p.ready_failed);
}

/* ===================== watchdog= ===================== */

static void
test_watchdog_pings_push_the_deadline(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.ready.kind = READY_NOTIFY;
	cfg.watchdog = 3;
	proc_init(&p, &cfg);
	start_at(&p, 1000);
	/* pings while STARTING do not arm it: it starts with RUNNING */
	assert_int_equal(proc_step(&p, PEV_WATCHDOG, 1500), 0);
	assert_int_equal(proc_step(&p, PEV_READY, 2000), 0);
	assert_int_equal(p.deadline, 5000);
	assert_int_equal(proc_step(&p, PEV_WATCHDOG, 4000), 0);
	assert_int_equal(p.deadline, 7000);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 5000), 0);	/* stale */
	assert_int_equal(p.state, PROC_RUNNING);
}

/* Silent past watchdog seconds: stopped, EXITED as unexpected, and
 * restarted per autorestart. */
static void
test_watchdog_timeout_stops_and_restarts(void **state)
{
	struct program_config cfg = default_program();
	struct process p;
	int64_t now;

	(void)state;
	cfg.watchdog = 2;
	proc_init(&p, &cfg);
	run_at(&p, 0);				/* startsecs mode too */
	now = p.deadline;
	assert_int_equal(now, 1000 + 2000);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, now), PACT_STOP);
	assert_int_equal(p.state, PROC_STOPPING);
	assert_string_equal(p.spawnerr,
	    "watchdog timeout (no WATCHDOG=1 for 2 s)");
	/* exit code 0 is in exitcodes, but a hung program is no success */
	assert_int_equal(child_exits(&p, W_EXITCODE(0, 0), now + 5),
	    PACT_SPAWN);
	assert_int_equal(p.state, PROC_EXITED);
	assert_false(p.exit_expected);
}

static void
test_watchdog_timeout_with_autorestart_false_stays_exited(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.watchdog = 1;
	cfg.autorestart = AUTORESTART_FALSE;
	proc_init(&p, &cfg);
	run_at(&p, 0);
	assert_int_equal(proc_step(&p, PEV_DEADLINE, p.deadline), PACT_STOP);
	assert_int_equal(child_exits(&p, W_EXITCODE(0, SIGTERM), 3000), 0);
	assert_int_equal(p.state, PROC_EXITED);
	assert_non_null(strstr(p.spawnerr, "watchdog timeout"));
}

/* ===================== dependencies (waiting) ===================== */

/* A spawn held for dependencies: STARTING with no pid, then spawned once
 * let go. */
static void
test_blocked_spawn_waits_in_starting(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	assert_int_equal(proc_step_deps(&p, PEV_START, 1000, false), 0);
	assert_int_equal(p.state, PROC_STARTING);
	assert_true(p.waiting);
	assert_int_equal(p.deadline, 0);
	assert_false(proc_has_pid(&p));
	assert_true(proc_is_active(p.state));
	/* a deadline or a second start changes nothing */
	assert_int_equal(proc_step(&p, PEV_DEADLINE, 99999), 0);
	assert_int_equal(proc_step(&p, PEV_START, 2000), 0);
	assert_true(p.waiting);
	spawn_succeeds(&p, proc_step(&p, PEV_UNBLOCKED, 3000), 3000);
	assert_int_equal(p.state, PROC_STARTING);
	assert_false(p.waiting);
	assert_int_equal(p.deadline, 4000);	/* startsecs from the spawn */
}

static void
test_waiting_process_stops_at_once(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	(void)proc_step_deps(&p, PEV_START, 0, false);
	assert_int_equal(proc_step(&p, PEV_STOP, 10), 0);
	assert_int_equal(p.state, PROC_STOPPED);
	assert_false(p.waiting);
	assert_int_equal(p.want, WANT_DOWN);
	/* let go after being stopped: no spawn */
	assert_int_equal(proc_step(&p, PEV_UNBLOCKED, 20), 0);
}

static void
test_dependency_failure_makes_a_waiting_process_fatal(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	proc_init(&p, &cfg);
	(void)proc_step_deps(&p, PEV_START, 0, false);
	snprintf(p.spawnerr, sizeof p.spawnerr, "dependency db failed "
	    "(FATAL)");
	assert_int_equal(proc_step(&p, PEV_DEP_FAILED, 10), 0);
	assert_int_equal(p.state, PROC_FATAL);
	assert_false(p.waiting);
	assert_true(p.dep_failed);
	/* and a later start tries again */
	assert_int_equal(proc_step(&p, PEV_START, 20), PACT_SPAWN);
	assert_false(p.dep_failed);
}

/* A restart after a crash can be held too: EXITED -> STARTING waiting. */
static void
test_restart_after_exit_can_be_held(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.autorestart = AUTORESTART_TRUE;
	proc_init(&p, &cfg);
	run_at(&p, 0);
	p.wstatus = W_EXITCODE(1, 0);
	assert_int_equal(proc_step_deps(&p, PEV_EXITED, 5000, false), 0);
	assert_int_equal(p.state, PROC_STARTING);
	assert_true(p.waiting);
	spawn_succeeds(&p, proc_step(&p, PEV_UNBLOCKED, 6000), 6000);
	assert_int_equal(p.restarts, 1);
}

/* Wanted down while its stop waits (for dependents, or a shutdown
 * wave): an exit then is not restarted, and nothing is signalled. */
static void
test_stop_held_means_no_restart(void **state)
{
	struct program_config cfg = default_program();
	struct process p;

	(void)state;
	cfg.autorestart = AUTORESTART_TRUE;
	proc_init(&p, &cfg);
	run_at(&p, 0);
	assert_int_equal(proc_step(&p, PEV_STOP_HELD, 5000), 0);
	assert_int_equal(p.state, PROC_RUNNING);
	assert_int_equal(p.want, WANT_DOWN);
	assert_int_equal(child_exits(&p, W_EXITCODE(1, 0), 6000), 0);
	assert_int_equal(p.state, PROC_EXITED);
	/* and a later stop of the exited process asks for nothing */
	assert_int_equal(proc_step(&p, PEV_STOP, 7000), 0);
}

static const struct process *
wave_cand(size_t i, void *arg)
{
	const struct process *ps = arg;

	return ps[i].pid > 0 ? &ps[i] : NULL;
}

static void
test_wave_top_is_the_highest_candidate_priority(void **state)
{
	struct program_config c[3];
	struct process ps[3];
	int top = -1;

	(void)state;
	for (int i = 0; i < 3; i++) {
		c[i] = default_program();
		proc_init(&ps[i], &c[i]);
	}
	assert_false(proc_wave_top(3, wave_cand, ps, &top));
	c[0].priority = 5, ps[0].pid = 10;
	c[1].priority = 900, ps[1].pid = 0;	/* not a candidate */
	c[2].priority = 7, ps[2].pid = 12;
	assert_true(proc_wave_top(3, wave_cand, ps, &top));
	assert_int_equal(top, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_delays_linear_exponential_capped),
		cmocka_unit_test(test_stop_held_means_no_restart),
		cmocka_unit_test(test_wave_top_is_the_highest_candidate_priority),
		cmocka_unit_test(test_ready_mode_waits_for_ready_not_startsecs),
		cmocka_unit_test(test_ready_timeout_zero_waits_for_ever),
		cmocka_unit_test(
		    test_ready_timeout_stops_and_counts_a_failed_start),
		cmocka_unit_test(
		    test_stop_during_ready_timeout_stop_ends_stopped),
		cmocka_unit_test(test_watchdog_pings_push_the_deadline),
		cmocka_unit_test(test_watchdog_timeout_stops_and_restarts),
		cmocka_unit_test(
		    test_watchdog_timeout_with_autorestart_false_stays_exited),
		cmocka_unit_test(test_blocked_spawn_waits_in_starting),
		cmocka_unit_test(test_waiting_process_stops_at_once),
		cmocka_unit_test(
		    test_dependency_failure_makes_a_waiting_process_fatal),
		cmocka_unit_test(test_restart_after_exit_can_be_held),
		cmocka_unit_test(test_infinite_retries_with_capped_exponential_backoff),
		cmocka_unit_test(test_restart_limit_turns_a_crash_loop_into_backoff),
		cmocka_unit_test(test_new_process_is_stopped_and_wanted_down),
		cmocka_unit_test(test_start_asks_for_a_spawn),
		cmocka_unit_test(test_spawned_is_starting_until_startsecs),
		cmocka_unit_test(test_startsecs_zero_is_running_at_once),
		cmocka_unit_test(
		    test_deadline_before_startsecs_changes_nothing),
		cmocka_unit_test(test_deadline_at_startsecs_is_running),
		cmocka_unit_test(test_deadline_late_is_running_too),
		cmocka_unit_test(test_ready_is_running_before_startsecs),
		cmocka_unit_test(
		    test_start_while_starting_or_running_does_nothing),
		cmocka_unit_test(
		    test_death_while_starting_is_backoff_for_one_second),
		cmocka_unit_test(
		    test_even_expected_exit_while_starting_is_backoff),
		cmocka_unit_test(test_backoff_deadline_early_changes_nothing),
		cmocka_unit_test(test_nth_quick_failure_waits_n_seconds),
		cmocka_unit_test(test_startretries_3_is_4_attempts_then_fatal),
		cmocka_unit_test(
		    test_startretries_0_is_fatal_on_first_quick_failure),
		cmocka_unit_test(
		    test_spawn_failure_is_backoff_keeping_the_reason),
		cmocka_unit_test(
		    test_spawn_failures_follow_the_same_backoff_to_fatal),
		cmocka_unit_test(test_exec_failure_reported_by_child_is_kept),
		cmocka_unit_test(test_backoff_retry_clears_the_old_reason),
		cmocka_unit_test(test_running_forgets_earlier_quick_failures),
		cmocka_unit_test(test_start_in_backoff_does_nothing),
		cmocka_unit_test(test_start_in_fatal_resets_backoff),
		cmocka_unit_test(test_expected_exit_is_exited_without_restart),
		cmocka_unit_test(test_unexpected_exit_restarts_at_once),
		cmocka_unit_test(test_signal_death_is_never_expected),
		cmocka_unit_test(
		    test_autorestart_true_restarts_after_expected_exit),
		cmocka_unit_test(
		    test_autorestart_true_restarts_after_unexpected_exit),
		cmocka_unit_test(test_autorestart_false_never_restarts),
		cmocka_unit_test(test_exitcodes_decide_what_is_expected),
		cmocka_unit_test(
		    test_custom_exitcodes_drive_autorestart_unexpected),
		cmocka_unit_test(test_start_after_exited_spawns_again),
		cmocka_unit_test(test_stop_while_running_sends_stopsignal),
		cmocka_unit_test(test_stop_while_starting_sends_stopsignal),
		cmocka_unit_test(
		    test_exit_while_stopping_is_stopped_without_restart),
		cmocka_unit_test(test_stop_deadline_early_changes_nothing),
		cmocka_unit_test(
		    test_stopwaitsecs_passed_sends_sigkill_again_if_it_lingers),
		cmocka_unit_test(test_second_stop_while_stopping_does_nothing),
		cmocka_unit_test(test_stop_in_backoff_is_stopped_at_once),
		cmocka_unit_test(
		    test_backoff_deadline_when_wanted_down_is_stopped),
		cmocka_unit_test(test_stop_when_not_running_only_changes_want),
		cmocka_unit_test(
		    test_start_while_stopping_restarts_once_stopped),
		cmocka_unit_test(
		    test_restart_while_backing_off_gives_fresh_retries),
		cmocka_unit_test(
		    test_stop_then_start_while_stopping_is_the_last_word),
		cmocka_unit_test(test_restarts_counts_spawns_after_the_first),
		cmocka_unit_test(test_state_names_are_supervisords),
		cmocka_unit_test(test_every_event_has_a_name),
		cmocka_unit_test(test_active_means_up_or_trying_to_be),
	};

	return cmocka_run_group_tests_name("proc", tests, NULL, NULL);
}
