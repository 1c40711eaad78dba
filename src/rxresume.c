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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "evbus.h"
#include "heldsock.h"
#include "log.h"
#include "proto.h"
#include "reexec.h"
#include "sockspec.h"
#include "rxstate.h"
#include "sig.h"
#include "sup.h"
#include "supcarry.h"
#include "sys.h"

extern char **environ;

/* No state is this large (some hundred bytes per program): a bound for
 * a descriptor that is not what it should be. */
#define RXRESUME_MAX	(256u << 20)

static struct rxstate carried;
static bool resuming;
static int state_fd = -1;	/* the memfd, kept for the way back */
static int back_fd = -1;	/* the old image's binary, or -1 */

/* Set in the old image when it is run again because its successor could
 * not take over: the client is told so, not "re-executed". */
#define RXRESUME_FALLBACK_ENV	"PROCD_REEXEC_FALLBACK"

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

/* An exit before the programs were taken over (atexit): the old image's
 * binary again, with the same state, its descriptors inherited again.
 * Returns only when that exec failed: the programs are then left as
 * after a crash of procd. */
static void
rxresume_fall_back(void)
{
	char fdarg[16], *argv[] = { carried.argc > 0 ? carried.argv[0] :
	    "procd", "__reexec", fdarg, NULL };
	size_t n = 0;
	int *fds;
	sigset_t old;

	if (!resuming || back_fd == -1)
		return;
	snprintf(fdarg, sizeof fdarg, "%d", state_fd);
	if ((fds = rxstate_fds(&carried, &n)) != NULL)
		for (size_t i = 0; i < n; i++)
			(void)fcntl(fds[i], F_SETFD, 0);
	free(fds);
	(void)fcntl(state_fd, F_SETFD, 0);
	setenv(RXRESUME_FALLBACK_ENV, "the new binary exited before it took "
	    "over; the old one runs again", 1);
	sig_block_all(&old);
	sig_requeue();
	syscall(SYS_execveat, back_fd, "", argv, environ, AT_EMPTY_PATH);
	sig_restore(&old);
	fprintf(stderr, "procd: reexec: going back to the old binary: %s\n",
	    strerror(errno));
}

int
rxresume_load(int fd, int back, int *argc, char ***argv)
{
	const char *cause = NULL;

	back_fd = back;
	state_fd = fd;
	if (back_fd != -1 && fcntl(back_fd, F_SETFD, FD_CLOEXEC) == -1)
		back_fd = -1;
	/* The old image checked that we read the state: failing here is
	 * a broken invariant, and the way back is taken at once (with the
	 * descriptors made inheritable again, those named at least). */
	if (rxresume_decode(fd, &carried, &cause) == -1 ||
	    rxresume_fds(&carried, &cause) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		fprintf(stderr, "procd: reexec: %s\n", cause != NULL ? cause :
		    strerror(errno));
		resuming = true;
		rxresume_fall_back();
		return -1;
	}
	resuming = true;
	if (back_fd != -1 && atexit(rxresume_fall_back) != 0)
		fprintf(stderr, "procd: reexec: atexit failed\n");
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

/* The spec of GROUP's socket at URL in CFG, or NULL. */
static const struct sockspec *
rxresume_spec(const struct config *cfg, const char *group, const char *url)
{
	for (size_t p = 0; p < cfg->nprogs; p++) {
		const struct program_config *pc = &cfg->progs[p];
		if (strcmp(pc->group, group) != 0)
			continue;
		for (size_t i = 0; i < pc->nsockets; i++)
			if (strcmp(pc->sockets[i].url, url) == 0)
				return &pc->sockets[i];
	}
	return NULL;
}

void
rxresume_sockets(const struct config *cfg)
{
	if (!resuming)
		return;
	for (size_t i = 0; i < carried.nheld; i++) {
		const struct rxheld *h = &carried.held[i];
		const struct sockspec *spec = rxresume_spec(cfg, h->group,
		    h->url);

		if (spec == NULL || heldsock_adopt(h->group, spec, h->fd) ==
		    -1) {
			log_warnx("reexec: socket %s of %s not taken over",
			    h->url, h->group);
			close(h->fd);
		}
	}
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

/* Who asked hears it from the new image: done, and which procd runs;
 * or from the old one run again (FALLBACK): why not. */
static void
rxresume_answer(const struct rxstate *st, const char *fallback)
{
	char msg[512];
	uint8_t code = fallback != NULL;
	int n;

	if (st->reply_fd == -1)
		return;
	if (fallback != NULL)
		n = snprintf(msg, sizeof msg, "ERROR: reexec not done, procd "
		    "carries on: %s\n", fallback);
	else
		n = snprintf(msg, sizeof msg, "procd %s (pid %ld) re-executed: "
		    "%zu program%s carried, generation %llu\n", PROCD_VERSION,
		    (long)getpid(), st->nprogs, st->nprogs == 1 ? "" : "s",
		    (unsigned long long)st->generation);
	if (n < 0 || (size_t)n >= sizeof msg)
		n = (int)strlen(msg);
	rxresume_frame(st->reply_fd, (uint32_t)st->reply_id,
	    fallback != NULL ? PROTO_ERR : PROTO_OUT, msg, (size_t)n);
	rxresume_frame(st->reply_fd, (uint32_t)st->reply_id, PROTO_END, &code,
	    1);
	close(st->reply_fd);
}

void
rxresume_finish(void)
{
	const char *fallback = getenv(RXRESUME_FALLBACK_ENV);
	char why[512];

	if (!resuming)
		return;
	/* A test seam (t_reexec): a new image that fails to take over. */
	if (fallback == NULL && getenv("PROCD_TEST_REEXEC_FAIL") != NULL)
		fatalx("reexec: failing on purpose (PROCD_TEST_REEXEC_FAIL)");
	if (sup_carry_restore(&carried, why, sizeof why) == -1)
		log_warnx("reexec: %s", why);
	/* A program that died during the handover is a zombie of ours
	 * whose SIGCHLD the old image may have taken: reap now. */
	evbus_resume(&carried);
	sup_reap();
	cmdlog_resume(&carried);
	if (fallback != NULL)
		log_warnx("reexec: not done: %s", fallback);
	log_info("reexec: procd %s resumed with pid %ld (%zu programs "
	    "carried, generation %llu)", PROCD_VERSION, (long)getpid(),
	    carried.nprogs, (unsigned long long)carried.generation);
	rxresume_answer(&carried, fallback);
	/* Taken over: no way back is needed any more. */
	resuming = false;
	if (back_fd != -1)
		close(back_fd);
	close(state_fd);
	back_fd = state_fd = -1;
	unsetenv(RXRESUME_FALLBACK_ENV);
	/* main's argv points into the command line: it stays. */
	carried.argv = NULL;
	carried.argc = 0;
	rxstate_free(&carried);
}
