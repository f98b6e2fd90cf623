// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Everything measured about a tunnel: probes, BFD, the kernel's counters
 * and WireGuard handshakes, and whether the tunnel is alive.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_MEASURE_H
#define _TUNNEL_MEASURE_H

#include "lib/bfd.h"
#include "lib/hook.h"
#include "lib/ipaddr.h"

#include "tunneld/tunnel_link.h"
#include "tunneld/tunnel_probe.h"
#include "tunneld/tunnel_quality.h"
#include "tunneld/tunnel_reflector.h"
#include "tunneld/tunneld.h"

enum tunnel_liveness {
	TUNNEL_ALIVE,
	TUNNEL_DEAD_LINK,   /* no interface, or it is down */
	TUNNEL_DEAD_BFD,    /* BFD says down */
	TUNNEL_DEAD_PROBES, /* no reply for miss-count intervals */
};

struct tunnel_measure {
	struct tunnel *tun;

	/* Active probes: none when the mode is none or no far end is known. */
	struct tunnel_prober *prober;
	struct ipaddr probe_dst;
	char no_probe[128]; /* why there is no prober */

	/* Kernel counters, sampled every second. */
	bool stats_valid;
	struct tunnel_link_stats stats;
	struct tunnel_rate rx, tx;

	/* BFD through bfdd. */
	struct bfd_session_params *bfd;
	enum bfd_session_state bfd_state;
	bool bfd_was_up;
	uint64_t bfd_down_events;
	char no_bfd[160];

	/* WireGuard: the most recent handshake of any peer. */
	bool wg_seen;
	int64_t wg_handshake_age_s; /* -1: never */
	uint64_t wg_rx_bytes, wg_tx_bytes;

	struct tunnel_reflector_tunnel_stats refl;

	/* The interface re-creations measurement has followed. */
	uint32_t seen_ifindex;
	uint32_t recreations;

	enum tunnel_liveness liveness;
	/* Wall-clock times (ms) of the last changes, for show; 0: none. */
	int64_t liveness_changed_ms;
	int64_t bfd_changed_ms;
};

/*
 * Called when figures change; urgent when liveness changed (a BFD or probe
 * down must be acted on at once).
 */
DECLARE_HOOK(tunnel_measure_changed, (struct tunnel *tun, bool urgent), (tun, urgent));

extern void tunnel_measure_new(struct tunnel *tun);
extern void tunnel_measure_free(struct tunnel *tun);

/* Follow the configuration and the interface (after config or zebra news). */
extern void tunnel_measure_update(struct tunnel *tun);
extern void tunnel_measure_update_all(void);

/* BFD's state changed (tunnel_bfd.c). */
extern void tunnel_measure_bfd_changed(struct tunnel *tun);

extern struct tunnel_reflector_tunnel_stats *tunnel_measure_reflector_stats(struct tunnel *tun);

extern const char *tunnel_liveness_name(enum tunnel_liveness l);

extern void tunnel_measure_init(struct event_loop *master);
extern void tunnel_measure_fini(void);

#endif /* _TUNNEL_MEASURE_H */
