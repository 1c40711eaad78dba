/*
 * ctlrun.h -- procctl running command lines: one from argv, or one per
 * line in the interactive shell (-i, or supervisorctl with no command).
 * A command procctl can judge alone (unknown, wrong argument count, help)
 * is answered without contacting procd.
 */
#ifndef PROCD_CTLRUN_H
#define PROCD_CTLRUN_H

#include <stdint.h>

struct ctlargs;

/* Run the command ARGV (ARGV[0] the command); its exit code. */
int	ctlrun_command(const struct ctlargs *, int argc, char **argv,
	    uint8_t flags);
/* The shell: "status", then a prompt and a command per line of stdin
 * until EOF, quit or exit.  Always 0, as supervisorctl's shell. */
int	ctlrun_shell(const struct ctlargs *, uint8_t flags);

#endif
