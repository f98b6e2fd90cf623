// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld's clocks: monotonic time for intervals and RTTs, the wall clock
 * STAMP carries, and whether that wall clock is synchronised.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_CLOCK_H
#define _TUNNEL_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

/* The wall clock in milliseconds since the epoch: when events happened, for show. */
extern int64_t tunnel_clock_real_ms(void);

/* CLOCK_MONOTONIC in nanoseconds. */
extern uint64_t tunnel_clock_mono_ns(void);

/*
 * Whether the kernel says the wall clock is synchronised (adjtimex: not
 * TIME_ERROR, no STA_UNSYNC) and its estimated error bound in ns.  Read at
 * most once a second: probes and replies ask for it on every packet.
 */
extern bool tunnel_clock_synced(uint64_t *err_ns);

/* The STAMP error estimate field for our own clock (RFC 8762 4.2.1). */
extern uint16_t tunnel_clock_errest(void);

/*
 * The receive time of a packet: the kernel's SO_TIMESTAMPNS stamp in the
 * control messages (the wall clock) when there, else now.  *mono_ns gets it
 * on the monotonic clock, *real the wall clock itself.
 */
extern void tunnel_clock_rx_time(struct msghdr *msg, uint64_t *mono_ns, struct timespec *real);

#endif /* _TUNNEL_CLOCK_H */
