/*
 * privdrop.h -- [procd] user=: become that user at start-up, as
 * supervisord does, before procd creates any file of its own.
 */
#ifndef PROCD_PRIVDROP_H
#define PROCD_PRIVDROP_H

/*
 * Switch to USER (a name or a numeric uid) with its primary and
 * supplementary groups.  Nothing to do when procd already is that user;
 * anyone else needs root.  -1 with a reason in *CAUSE.
 */
int	privdrop(const char *user, char **cause);

#endif
