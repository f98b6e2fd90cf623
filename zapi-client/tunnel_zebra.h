// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld's session with zebra.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_ZEBRA_H
#define _TUNNEL_ZEBRA_H

#include "lib/frrevent.h"
#include "lib/privs.h"
#include "lib/vty.h"

/* vrf_init() with the callbacks that follow VRFs in zebra. */
extern void tunnel_zebra_vrf_init(void);
extern void tunnel_zebra_init(struct event_loop *master,
			      struct zebra_privs_t *privs);
extern void tunnel_zebra_stop(void);
extern bool tunnel_zebra_connected(void);
/* Interfaces zebra has reported (present in the kernel), over all VRFs. */
extern uint32_t tunnel_zebra_interface_count(void);
/* Follow (or stop following) the route to an underlay destination. */
struct prefix;
struct vrf;
extern bool tunnel_zebra_nht(const struct prefix *p, struct vrf *vrf, bool reg);
/* 'show tunnel zebra [json]' */
extern void tunnel_zebra_show(struct vty *vty, bool json);

#endif /* _TUNNEL_ZEBRA_H */
