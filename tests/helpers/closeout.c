/*
 * closeout.c -- a test program that closes its stdin, stdout and stderr
 * at once and keeps running (until a signal), so procd sees EOF on its
 * log pipes while the process lives on.
 */
#include <unistd.h>

int
main(void)
{
	close(0);
	close(1);
	close(2);
	for (;;)
		pause();
}
