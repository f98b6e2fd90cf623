// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Active probes: STAMP (RFC 8762) Session-Senders and ICMP echo, one
 * prober per tunnel, over sockets shared per VRF and protocol.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#ifndef _TUNNEL_PROBE_H
#define _TUNNEL_PROBE_H

#include "lib/frrevent.h"
#include "lib/ipaddr.h"
#include "lib/typesafe.h"
#include "lib/vrf.h"

#include "tunneld/tunneld.h"
#include "tunneld/tunnel_quality.h"

/* What a prober is told to do; tunnel_prober_set() follows any change. */
struct tunnel_prober_cfg {
	enum tunnel_probe_mode mode; /* STAMP or ICMP */
	struct ipaddr dst;
	uint16_t port; /* STAMP reflector's UDP port */
	vrf_id_t vrf_id;
	/*
	 * The tunnel: probes leave through it, replies must come in through
	 * it (or its VRF device, which the kernel may report instead).  0:
	 * the tunnel has no interface now, and probes count as lost.
	 */
	ifindex_t ifindex;
	ifindex_t master_ifindex;
	struct tunnel_probe_timing timing; /* complete: profile merged in */
	double alpha;
};

struct tunnel_probe_sock;
struct tunnel_prober;

PREDECL_HASH(tunnel_probers);
PREDECL_HEAP(tunnel_probe_sched);

enum tunnel_prober_event {
	TUNNEL_PROBER_SAMPLE,	/* a reply or a loss changed the figures */
	TUNNEL_PROBER_LIVENESS, /* came up or went down */
};

typedef void (*tunnel_prober_notify)(void *arg, enum tunnel_prober_event ev);

struct tunnel_prober {
	struct tunnel_prober_cfg cfg;
	struct tunnel_quality q;
	struct tunnel_sample *ring;
	uint16_t ring_size;
	struct tunnel_probe *pending;
	uint32_t pending_size;

	struct tunnel_probe_sock *sock;
	uint16_t echo_id;
	uint32_t last_seq; /* the last sequence number sent */
	bool sent_any;

	/*
	 * Liveness: down when miss-count intervals pass with no reply, once
	 * the far end has answered at all: a far end still coming up is not
	 * a failure (BFD's Init state, likewise).
	 */
	bool answered;
	bool down;
	uint64_t last_reply_ns;
	uint32_t sent_since_reply;
	uint64_t down_transitions;
	int64_t down_changed_ms; /* wall clock of the last change of down; 0: none */

	/* Replies that were not samples, beyond what tunnel_quality counts. */
	uint64_t malformed;  /* not a STAMP/echo reply we can read */
	uint64_t off_tunnel; /* ours, but came in on another interface */
	uint64_t send_errors;
	int last_send_errno;

	tunnel_prober_notify notify;
	void *arg;

	uint64_t next_send_ns;
	struct tunnel_probe_sched_item sched;
	struct tunnel_probers_item item;
};

/* Counters of a shared socket: replies that match no prober at all. */
struct tunnel_probe_sock_stats {
	uint64_t unmatched;
};

extern struct tunnel_prober *tunnel_prober_new(const struct tunnel_prober_cfg *cfg,
					       tunnel_prober_notify notify, void *arg);
extern void tunnel_prober_set(struct tunnel_prober *p, const struct tunnel_prober_cfg *cfg);
extern void tunnel_prober_free(struct tunnel_prober **p);

/* Forget the figures but keep the session (counters stay cumulative). */
extern void tunnel_prober_clear(struct tunnel_prober *p);

extern void tunnel_probe_unmatched(uint64_t *unmatched);

extern void tunnel_probe_init(struct event_loop *master);
extern void tunnel_probe_fini(void);

#endif /* _TUNNEL_PROBE_H */
