/*
 * reexec.h -- procctl reexec: procd replaces its own image with the
 * binary on disk (an upgraded one) while every program runs on.
 *
 * The old image, at a safe point (nothing half-spawned, no update under
 * way, every log file written out), writes its state (rxstate.h) into a
 * memfd, has the new binary check that it can read it (`procd
 * __reexec-check`), then clears close-on-exec on what must survive and
 * execs `procd __reexec FD`.  The new image (rxresume.c) builds its
 * table from the same config and takes the state back by name.  When the
 * binary is missing, cannot read the state or the exec fails, the old
 * image carries on and the client is told why.
 */
#ifndef PROCD_REEXEC_H
#define PROCD_REEXEC_H

#include <stdbool.h>

struct client;
struct rxstate;

/* From main, first: the binary's path (the one a re-exec runs again,
 * found now: after an upgrade /proc/self/exe says "(deleted)") and the
 * command line, kept to be carried. */
void	reexec_init(int argc, char **argv);
/* What server.c knows: the pidfile's descriptor (carried) and the
 * config file procd runs (the new binary is asked to read it first). */
void	reexec_set_server(int pid_fd, const char *config);
/* procctl reexec: hand over, or answer C why not. */
void	reexec_request(struct client *c);
/* The generation (re-execs so far) of the state resumed from. */
void	reexec_set_generation(unsigned long long);

/* rxresume.c, the new image: `procd __reexec FD [BACK]` reads the state
 * (the command line in it is then run as main would).  BACK is the old
 * image's binary: should this image exit before it has taken over (a
 * config it refuses, a fatal error), it execs that one again with the
 * same state, which answers the client why.  `procd __reexec-check
 * CONFIG` reads a state on stdin and says whether it can take it. */
int	rxresume_load(int fd, int back_fd, int *argc, char ***argv);
int	rxresume_check_main(const char *config);
/* Before heldsock_prepare: the held sockets carried are taken over for
 * the groups of CFG that still name them (the others are closed). */
struct config;
void	rxresume_sockets(const struct config *cfg);
/* The state being resumed from, or NULL at a plain start. */
const struct rxstate *rxresume_state(void);
/* The table is built: take the programs back, answer who asked. */
void	rxresume_finish(void);

#endif
