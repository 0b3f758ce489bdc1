/*
 * tsr_collector.h - the data-collection firmware's streaming: from boot, one Serial Plotter line per
 * sensor reading, "t_us:<slot in board microseconds>,<axis>:<value>,...", at a fixed rate (the stamp is the
 * reading's slot on the sampling grid; missed slots show as gaps), until the host sends a
 * byte. The names on every line (and the board's own clock) let a capture that opens the port at any
 * moment know the axes and the true rate. Built when TSR_COLLECT_INTERVAL_US is defined; the build gives
 * TSR_COLLECT_AXES, the axis names separated by commas (a string literal).
 */
#ifndef TSR_COLLECTOR_H
#define TSR_COLLECTOR_H

#include <stdint.h>

/* Stream until a byte arrives (it is consumed); returns the number of lines sent. */
uint32_t tsr_collector_run(void);

#endif /* TSR_COLLECTOR_H */
