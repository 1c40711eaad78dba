/*
 * cfghttp.h -- [inet_http_server] port=/username=/password= and
 * [unix_http_server] username=/password=: what the XML-RPC gateway
 * serves and whom it lets in.
 */
#ifndef PROCD_CFGHTTP_H
#define PROCD_CFGHTTP_H

struct cfgstore;
struct config;
struct cfgexp;
struct http_config;

/* Fill CF->http from ST, adding FILE:LINE diagnostics to ST's list. */
void	cfghttp_build(struct cfgstore *st, struct config *cf,
	    const struct cfgexp *exp);
void	cfghttp_free(struct http_config *);

/* Split "HOST:PORT", "*:PORT", ":PORT" or "PORT": 0, or -1 with *WHY. */
int	cfghttp_port(const char *s, char **host, int *port, const char **why);

#endif
