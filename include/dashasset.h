/*
 * dashasset.h -- the dashboard's page, style sheet and script, compiled
 * into the binary from src/dash/ (dashasset.c): no files to install, no
 * build step but the compiler's.
 */
#ifndef PROCD_DASHASSET_H
#define PROCD_DASHASSET_H

#include <stddef.h>

struct dashasset {
	const char	*data;
	size_t		 len;
};

/* src/dash/index.html: the page, a template (dashboard.c fills it). */
struct dashasset	dashasset_page(void);
/* src/dash/dash.css and src/dash/dash.js, served as they are. */
struct dashasset	dashasset_css(void);
struct dashasset	dashasset_js(void);

#endif
