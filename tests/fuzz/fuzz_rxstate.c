/*
 * fuzz_rxstate.c -- the state a re-exec hands over (rxstate_decode, and
 * rxrec.c under it) over any bytes: a corrupted memfd, a state of
 * another release.
 *
 * Checked besides the sanitizers:
 *   - a state comes back exactly when there is no cause;
 *   - what is accepted names no descriptor twice, has a command line and
 *     a control socket, and only pids in states that have one;
 *   - written again and read back, it is the same state: encoding what
 *     was read is stable (a second encoding is byte for byte the first).
 */
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "proc.h"
#include "rxstate.h"

static void
fuzz_rxstate_invariants(const struct rxstate *st)
{
	size_t n;
	int *fds = rxstate_fds(st, &n);

	FUZZ_CHECK(fds != NULL);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			FUZZ_CHECK(fds[i] != fds[j]);
	free(fds);
	FUZZ_CHECK(st->argc > 0 && st->argv[st->argc] == NULL);
	FUZZ_CHECK(st->control_fd >= 0 && st->control_path != NULL);
	for (size_t i = 0; i < st->nprogs; i++) {
		const struct rxprog *p = &st->progs[i];
		FUZZ_CHECK(p->name != NULL && p->name[0] != '\0');
		FUZZ_CHECK(p->state >= 0 && p->state < PROC_NSTATES);
		FUZZ_CHECK(p->pid == 0 || p->state == PROC_STARTING ||
		    p->state == PROC_RUNNING || p->state == PROC_STOPPING);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rxstate st, again;
	struct buf one, two;
	const char *cause = NULL;

	rxstate_init(&st);
	if (rxstate_decode(data, size, &st, &cause) == -1) {
		FUZZ_CHECK(cause != NULL && st.progs == NULL);
		return 0;
	}
	fuzz_rxstate_invariants(&st);
	buf_init(&one);
	rxstate_encode(&st, &one);
	rxstate_init(&again);
	FUZZ_CHECK(rxstate_decode(one.data, one.len, &again, &cause) == 0);
	FUZZ_CHECK(again.nprogs == st.nprogs && again.nfollows ==
	    st.nfollows && again.argc == st.argc);
	buf_init(&two);
	rxstate_encode(&again, &two);
	FUZZ_CHECK(one.len == two.len && memcmp(one.data, two.data,
	    one.len) == 0);
	buf_free(&one);
	buf_free(&two);
	rxstate_free(&again);
	rxstate_free(&st);
	return 0;
}
