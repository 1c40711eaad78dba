/*
 * gwmain.c -- procd-gateway's main: the HTTP/XML-RPC gateway as an
 * executable of its own, exec'd by procd (gwsup.c) from the directory
 * procd itself was started from.
 *
 * Its own executable because of what it links: libmicrohttpd brings
 * GnuTLS, p11-kit, nettle, gmp and more, whose pages and start-up heap
 * (about 400 KiB) every procd would otherwise carry, HTTP face or not.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gateway.h"

int
main(int argc, char **argv)
{
	int fd;

	if (argc != 2 || strcmp(argv[1], GATEWAY_ARG) != 0) {
		fprintf(stderr, "procd-gateway: started by procd only "
		    "([inet_http_server], [unix_http_server])\n");
		return 2;
	}
	/* As procd: 0-2 are never the gateway's own descriptors. */
	while ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) != -1 && fd <= 2)
		(void)fcntl(fd, F_SETFD, 0);
	if (fd > 2)
		close(fd);
	return gateway_main();
}
