// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Make the kernel's tunnel interfaces match the configuration.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_RECONCILE_H
#define _TUNNEL_RECONCILE_H

#include "lib/frrevent.h"

struct tunnel;

extern void tunnel_reconcile_init(struct event_loop *master);
extern void tunnel_reconcile_fini(void);

/* Reconcile one tunnel soon (coalesced), or all of them. */
extern void tunnel_reconcile_schedule(struct tunnel *tun);
extern void tunnel_reconcile_all(void);

/*
 * The tunnel leaves the configuration: delete its link if tunneld owns it.
 * Called before the tunnel is freed.
 */
extern void tunnel_reconcile_remove(struct tunnel *tun);

/* zebra resolved (or lost) the route to a tunnel's underlay destination. */
extern void tunnel_reconcile_underlay(const struct prefix *p, ifindex_t ifindex);

#endif /* _TUNNEL_RECONCILE_H */
