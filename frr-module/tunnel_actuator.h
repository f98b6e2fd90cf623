// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Actuators: the values tunneld wants in ospfd, ospf6d and bgpd, applied
 * over their vty sockets the way vtysh talks to them.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_ACTUATOR_H
#define _TUNNEL_ACTUATOR_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/frrevent.h"
#include "lib/json.h"
#include "lib/vty.h"

struct tunnel;

enum tunnel_actuator_target {
	TUNNEL_ACT_OSPF,  /* ospfd: ip ospf cost */
	TUNNEL_ACT_OSPF6, /* ospf6d: ipv6 ospf6 cost */
	TUNNEL_ACT_BGP,	  /* bgpd: route-map set local-preference */
	TUNNEL_ACT_MAX,
};

/* What one knob of a tunnel is at: wanted, and confirmed by the daemon. */
struct tunnel_actuator_status {
	bool managed;	 /* tunneld drives this knob for the tunnel */
	bool wanted_set; /* a value is wanted (for costs: once measured) */
	uint32_t wanted;
	bool applied_set; /* the daemon acknowledged a value */
	uint32_t applied;
	bool pending; /* wanted != applied, or a re-apply is due */
	char last_error[128];
};

/*
 * Follow the tunnel's configuration: which knobs it has (its OSPF/OSPF6
 * interface, its route-map entry).  A new route-map entry is applied at
 * once with the neutral local-preference, before any measurement: bgpd
 * denies every route of a neighbour whose route-map is missing.
 */
extern void tunnel_actuator_sync(struct tunnel *tun);
extern void tunnel_actuator_remove(struct tunnel *tun);

/* Ask for a value; applied as soon as the daemon and rate limits allow. */
extern void tunnel_actuator_set(struct tunnel *tun, enum tunnel_actuator_target t,
				uint32_t value);

extern void tunnel_actuator_status(const struct tunnel *tun, enum tunnel_actuator_target t,
				   struct tunnel_actuator_status *st);

/* dry-run changed: when it ends, what is wanted goes out. */
extern void tunnel_actuator_dry_run_changed(void);

extern void tunnel_actuator_show(struct vty *vty, json_object *js);

extern const char *tunnel_actuator_daemon(enum tunnel_actuator_target t);

extern void tunnel_actuator_init(struct event_loop *master);
extern void tunnel_actuator_fini(void);

#endif /* _TUNNEL_ACTUATOR_H */
