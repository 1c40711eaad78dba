/*
 * selfstat.c -- procd's own figures (selfstat.h): the counters live here,
 * the code that counts is where each thing happens.
 */
#include "json.h"
#include "selfstat.h"
#include "sup.h"

struct selfstat selfstat;

void
selfstat_json(struct json *j)
{
	json_kstr(j, "version", PROCD_VERSION);
	json_kint(j, "start", selfstat.start);
	json_kuint(j, "processes", sup_count());
	json_kuint(j, "events_emitted", selfstat.events_emitted);
	json_kuint(j, "events_delivered", selfstat.events_delivered);
	json_kuint(j, "events_dropped", selfstat.events_dropped);
	json_kuint(j, "clients_accepted", selfstat.clients_accepted);
	json_kuint(j, "clients_refused", selfstat.clients_refused);
}
