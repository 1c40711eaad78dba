/*
 * cfghealth.c -- health=, health_interval, health_timeout, health_retries
 * and shutdown_on= of a [program:] section (cfghealth.h).
 *
 * tcp:, http:// and exec: are read by cfgcheck.c, as ready= reads them,
 * so the two keys take the same spellings.  Only the form is checked
 * here: whether anything listens is the check's job.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cause.h"
#include "cfgcheck.h"
#include "cfghealth.h"
#include "cfgval.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

void
cfghealth_free(struct health_config *h)
{
	cfgcheck_free(h->check);
	h->check = NULL;
}

int
cfghealth_check(const char *s, void *out, char **cause)
{
	struct health_config *h = out;
	struct check_spec *c = NULL;
	char q[CFGVAL_QUOTE_SIZE];
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 4 && strncasecmp(s, "none", 4) == 0)
		;
	else if (cfgcheck_is(s)) {
		if (cfgcheck_parse(s, &c, cause) == -1)
			return -1;
	} else
		return cause_set(cause, "%s is not a health check (use none, "
		    "tcp:HOST:PORT, http://HOST:PORT/PATH or exec:COMMAND)",
		    cfgval_quote(s, q, sizeof q));
	cfgcheck_free(h->check);
	h->check = c;
	return 0;
}

int
cfghealth_shutdown_on(const char *s, void *out, char **cause)
{
	static const char *const names[] = {
		[SHUTDOWN_ON_NEVER] = "never",
		[SHUTDOWN_ON_FATAL] = "fatal",
		[SHUTDOWN_ON_UNEXPECTED] = "unexpected",
		[SHUTDOWN_ON_EXIT] = "exit",
	};
	_Static_assert(nitems(names) == SHUTDOWN_ON_EXIT + 1, "names");
	char q[CFGVAL_QUOTE_SIZE], w[16];
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n < sizeof w) {
		memcpy(w, s, n);
		w[n] = '\0';
		for (size_t i = 0; i < nitems(names); i++)
			if (strcasecmp(w, names[i]) == 0) {
				*(enum shutdown_on *)out = (enum shutdown_on)i;
				return 0;
			}
	}
	return cause_set(cause, "%s is not one of never, fatal, unexpected, "
	    "exit", cfgval_quote(s, q, sizeof q));
}

/* health_interval, health_timeout, health_retries, with their ranges. */
static int
cfghealth_numbers(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp, struct health_config *h)
{
	long interval = CONFIG_HEALTH_INTERVAL_DEFAULT,
	    timeout = CONFIG_HEALTH_TIMEOUT_DEFAULT,
	    retries = CONFIG_HEALTH_RETRIES_DEFAULT;
	int bad = 0;

	bad |= cfgget_int(st, s, "health_interval", exp, 1, 86400, &interval);
	bad |= cfgget_int(st, s, "health_timeout", exp, 1, 3600, &timeout);
	bad |= cfgget_int(st, s, "health_retries", exp, 1, 1000, &retries);
	h->interval = (int)interval;
	h->timeout = (int)timeout;
	h->retries = (int)retries;
	return bad;
}

/* health_* without health= does nothing: say so, once per section. */
static void
cfghealth_unused(struct cfgstore *st, const struct cfgsect *s)
{
	static const char *const keys[] = {
		"health_interval", "health_timeout", "health_retries",
	};
	const struct cfgkey *k;

	for (size_t i = 0; i < nitems(keys); i++)
		if ((k = cfgstore_key(s, keys[i])) != NULL)
			cfgstore_diag(st, s, k, DIAG_WARNING, "does nothing "
			    "without health=");
}

int
cfghealth_settings(struct cfgstore *st, const struct cfgsect *s,
    const struct cfgexp *exp, struct program_config *p, bool first)
{
	int bad = 0;

	p->shutdown_on = SHUTDOWN_ON_NEVER;
	bad |= cfghealth_numbers(st, s, exp, &p->health);
	bad |= cfgget_typed(st, s, "health", exp, cfghealth_check,
	    &p->health);
	bad |= cfgget_typed(st, s, "shutdown_on", exp, cfghealth_shutdown_on,
	    &p->shutdown_on);
	if (bad == 0 && first && p->health.check == NULL)
		cfghealth_unused(st, s);
	return bad;
}
