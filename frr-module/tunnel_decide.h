// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decisions: measured quality turned into an OSPF cost and a BGP
 * local-preference per tunnel, through the profile's score and the
 * hysteresis state machine (core/tunnel_score.c, core/tunnel_policy.c).
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_DECIDE_H
#define _TUNNEL_DECIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/frrevent.h"

#include "tunneld/tunnel_policy.h"
#include "tunneld/tunnel_score.h"

struct tunnel;

struct tunnel_decision {
	struct tunnel_policy_state st;
	struct tunnel_policy_decision last; /* of the latest evaluation */
	bool evaluated;
	bool measured;	    /* had figures to decide on */
	bool measured_once; /* ever had: before that, nothing is decided */
	struct tunnel_score_result result;
	struct tunnel_metrics metrics;
};

extern void tunnel_decide_new(struct tunnel *tun);
extern void tunnel_decide_free(struct tunnel *tun);

/* Configuration of the tunnel, its profile or the globals changed. */
extern void tunnel_decide_update(struct tunnel *tun);
extern void tunnel_decide_globals_changed(void);

extern uint32_t tunnel_decide_budget_tokens(void);

/* The score, its components and inputs, for logs and show. */
extern void tunnel_score_format(char *buf, size_t len, const struct tunnel_score *s,
				const struct tunnel_metrics *m);

extern void tunnel_decide_init(struct event_loop *master);
extern void tunnel_decide_fini(void);

#endif /* _TUNNEL_DECIDE_H */
