/*
 * rxresume.c -- the new image's side of procctl reexec (reexec.h):
 * reading the state the old image left in a memfd, checking every
 * descriptor it names, taking the programs back once the table is
 * built, and answering the client that asked.  Also `procd
 * __reexec-check`, which the old image runs first to learn whether this
 * binary can read its state at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "evbus.h"
#include "log.h"
#include "proto.h"
#include "reexec.h"
#include "rxstate.h"
#include "sup.h"
#include "supcarry.h"
#include "sys.h"

/* No state is this large (some hundred bytes per program): a bound for
 * a descriptor that is not what it should be. */
#define RXRESUME_MAX	(256u << 20)

static struct rxstate carried;
static bool resuming;

/* All of FD from its start, NUL-terminated; NULL with *CAUSE. */
static char *
rxresume_slurp(int fd, size_t *len, const char **cause)
{
	struct stat sb;
	char *data;

	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    (unsigned long long)sb.st_size > RXRESUME_MAX) {
		*cause = "the state is not a file of a sane size";
		return NULL;
	}
	*len = (size_t)sb.st_size;
	if ((data = malloc(*len + 1)) == NULL) {
		*cause = "out of memory";
		return NULL;
	}
	if (lseek(fd, 0, SEEK_SET) == -1 ||
	    sys_read_all(fd, data, *len) == -1) {
		free(data);
		*cause = "the state cannot be read";
		return NULL;
	}
	return data;
}

static int
rxresume_decode(int fd, struct rxstate *st, const char **cause)
{
	size_t len;
	char *data = rxresume_slurp(fd, &len, cause);
	int r;

	if (data == NULL)
		return -1;
	rxstate_init(st);
	r = rxstate_decode(data, len, st, cause);
	free(data);
	return r;
}

/* Every descriptor named is open, and is close-on-exec again at once:
 * no program spawned from now on may inherit one. */
static int
rxresume_fds(const struct rxstate *st, const char **cause)
{
	size_t n;
	int *fds = rxstate_fds(st, &n), r = 0;

	if (fds == NULL) {
		*cause = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		if (fcntl(fds[i], F_SETFD, FD_CLOEXEC) == -1) {
			*cause = "the state names a descriptor that is not "
			    "open";
			r = -1;
		}
	}
	free(fds);
	return r;
}

int
rxresume_load(int fd, int *argc, char ***argv)
{
	const char *cause = NULL;

	if (rxresume_decode(fd, &carried, &cause) == -1 ||
	    rxresume_fds(&carried, &cause) == -1) {
		/* The old image checked that we read it; this is a broken
		 * invariant, and nothing is left to fall back to. */
		fprintf(stderr, "procd: reexec: %s\n", cause);
		return -1;
	}
	close(fd);
	resuming = true;
	reexec_set_generation(carried.generation);
	*argc = (int)carried.argc;
	*argv = carried.argv;
	return 0;
}

int
rxresume_check_main(const char *config)
{
	struct diag_list diags = { 0 };
	struct rxstate st;
	struct config *cfg;
	const char *cause = NULL;

	if (rxresume_decode(0, &st, &cause) == -1) {
		fprintf(stderr, "its state: %s\n", cause);
		return 1;
	}
	rxstate_free(&st);
	if ((cfg = config_load(config, &diags)) == NULL) {
		for (size_t i = 0; i < diags.n; i++)
			if (diags.v[i].severity == DIAG_ERROR) {
				fprintf(stderr, "the config: %s:%d: %s\n",
				    diags.v[i].file, diags.v[i].line,
				    diags.v[i].msg);
				break;
			}
		diag_free(&diags);
		return 1;
	}
	diag_free(&diags);
	config_free(cfg);
	return 0;
}

const struct rxstate *
rxresume_state(void)
{
	return resuming ? &carried : NULL;
}

/* One reply frame to the client the old image was answering. */
static void
rxresume_frame(int fd, uint32_t id, enum proto_type type, const void *p,
    size_t n)
{
	struct proto_hdr h = { (uint32_t)n, (uint16_t)type, PROTO_VERSION, 0,
	    id };
	uint8_t hdr[PROTO_HDR_LEN];

	proto_hdr_pack(&h, hdr);
	if (sys_write_all(fd, hdr, sizeof hdr) != sizeof hdr ||
	    sys_write_all(fd, p, n) != (ssize_t)n)
		log_warn("reexec: answering the client");
}

/* Who asked hears it from the new image: done, and which procd runs. */
static void
rxresume_answer(const struct rxstate *st)
{
	char msg[256];
	uint8_t code = 0;
	int n;

	if (st->reply_fd == -1)
		return;
	n = snprintf(msg, sizeof msg, "procd %s (pid %ld) re-executed: %zu "
	    "program%s carried, generation %llu\n", PROCD_VERSION,
	    (long)getpid(), st->nprogs, st->nprogs == 1 ? "" : "s",
	    (unsigned long long)st->generation);
	rxresume_frame(st->reply_fd, (uint32_t)st->reply_id, PROTO_OUT, msg,
	    (size_t)n);
	rxresume_frame(st->reply_fd, (uint32_t)st->reply_id, PROTO_END, &code,
	    1);
	close(st->reply_fd);
}

void
rxresume_finish(void)
{
	char why[512];

	if (!resuming)
		return;
	if (sup_carry_restore(&carried, why, sizeof why) == -1)
		log_warnx("reexec: %s", why);
	/* A program that died during the handover is a zombie of ours
	 * whose SIGCHLD the old image may have taken: reap now. */
	evbus_resume(&carried);
	sup_reap();
	cmdlog_resume(&carried);
	log_info("reexec: procd %s resumed with pid %ld (%zu programs "
	    "carried, generation %llu)", PROCD_VERSION, (long)getpid(),
	    carried.nprogs, (unsigned long long)carried.generation);
	rxresume_answer(&carried);
	/* main's argv points into the command line: it stays. */
	carried.argv = NULL;
	carried.argc = 0;
	rxstate_free(&carried);
	resuming = false;
}
