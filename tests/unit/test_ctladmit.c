/*
 * test_ctladmit.c -- who gets a slot on the control socket (ctladmit.h):
 * root can always get in, no other uid can take every slot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "ctladmit.h"

#define NOBODY	65534

static void
test_root_gets_in_until_the_cap_then_by_eviction(void **state)
{
	(void)state;
	assert_int_equal(ctladmit_decide(0, 0, 0, 0), ADMIT);
	assert_int_equal(ctladmit_decide(0, CLIENTS_MAX - 1, CLIENTS_MAX - 1,
	    0), ADMIT);
	assert_int_equal(ctladmit_decide(0, CLIENTS_MAX, CLIENTS_MAX -
	    CLIENTS_RESERVED, 0), ADMIT_AFTER_EVICT);
	/* however many slots others hold */
	assert_int_equal(ctladmit_decide(0, CLIENTS_MAX, CLIENTS_MAX, 0),
	    ADMIT_AFTER_EVICT);
}

static void
test_procds_own_user_counts_as_root(void **state)
{
	(void)state;
	assert_true(ctladmit_privileged(geteuid()));
	assert_true(ctladmit_privileged(0));
	if (geteuid() != NOBODY)
		assert_false(ctladmit_privileged(NOBODY));
}

static void
test_others_never_get_the_reserved_slots(void **state)
{
	(void)state;
	if (geteuid() == NOBODY)
		skip();
	assert_int_equal(ctladmit_decide(NOBODY, 10, 10, 10), ADMIT);
	assert_int_equal(ctladmit_decide(NOBODY + 1,
	    CLIENTS_MAX - CLIENTS_RESERVED - 1,
	    CLIENTS_MAX - CLIENTS_RESERVED - 1, 0), ADMIT);
	assert_int_equal(ctladmit_decide(NOBODY + 1,
	    CLIENTS_MAX - CLIENTS_RESERVED, CLIENTS_MAX - CLIENTS_RESERVED,
	    0), REFUSE_FULL);
	/* root's clients fill the table: an idle one may make room */
	assert_int_equal(ctladmit_decide(NOBODY, CLIENTS_MAX, 5, 5),
	    ADMIT_AFTER_EVICT);
}

static void
test_one_uid_gets_its_share_and_no_more(void **state)
{
	(void)state;
	if (geteuid() == NOBODY)
		skip();
	assert_int_equal(ctladmit_decide(NOBODY, CLIENTS_PER_UID - 1,
	    CLIENTS_PER_UID - 1, CLIENTS_PER_UID - 1), ADMIT);
	assert_int_equal(ctladmit_decide(NOBODY, CLIENTS_PER_UID,
	    CLIENTS_PER_UID, CLIENTS_PER_UID), REFUSE_UID);
	assert_true(CLIENTS_PER_UID < CLIENTS_MAX - CLIENTS_RESERVED);
}

static void
test_the_peer_check_follows_mode_and_group(void **state)
{
	(void)state;
	if (geteuid() == NOBODY)
		skip();
	assert_true(ctladmit_allowed(0, 0, 0600, (gid_t)-1));
	assert_false(ctladmit_allowed(NOBODY, NOBODY, 0600, 1234));
	assert_false(ctladmit_allowed(NOBODY, NOBODY, 0666, (gid_t)-1));
	assert_true(ctladmit_allowed(NOBODY, 1234, 0660, 1234));
	assert_false(ctladmit_allowed(NOBODY, 1234, 0600, 1234));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_gets_in_until_the_cap_then_by_eviction),
		cmocka_unit_test(test_procds_own_user_counts_as_root),
		cmocka_unit_test(test_others_never_get_the_reserved_slots),
		cmocka_unit_test(test_one_uid_gets_its_share_and_no_more),
		cmocka_unit_test(test_the_peer_check_follows_mode_and_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
