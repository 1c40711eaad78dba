/*
 * metrics.h -- what GET /metrics says (Prometheus text format 0.0.4,
 * promtext.h), made from procd's own answers: `status --json` (ROWS, one
 * object per process) and `pid --json` (SELF: procd's figures,
 * selfstat.h).  Pure: the gateway's httpobs.c asks procd and serves it.
 *
 * Per process, labelled name (the process) and group, as supervisord's
 * getProcessInfo names them:
 *	procd_process_state{state=...}	1 for the state it is in, 0 for the
 *					six others (an enum as a gauge)
 *	procd_process_up		1 with a live pid
 *	procd_process_ready		1 when RUNNING (ready= passed)
 *	procd_process_wanted_up		1 when procd is to keep it up
 *	procd_process_restarts_total
 *	procd_process_uptime_seconds
 *	procd_process_start_time_seconds	(once it has started)
 *	procd_process_last_exit_status	(once it has exited with a code)
 *	procd_process_last_exit_signal	(once a signal has ended it)
 *	procd_process_log_lost_bytes_total
 * and procd's own: procd_build_info{version}, procd_start_time_seconds,
 * procd_processes, procd_events_{emitted,delivered,dropped}_total,
 * procd_control_connections_{accepted,refused}_total.
 */
#ifndef PROCD_METRICS_H
#define PROCD_METRICS_H

struct buf;
struct xr_value;

/* Append the document to B.  ROWS: an XR_ARRAY of status rows; SELF: an
 * XR_STRUCT (NULL: procd's own figures are left out). */
void	metrics_render(struct buf *b, const struct xr_value *rows,
	    const struct xr_value *self);

#endif
