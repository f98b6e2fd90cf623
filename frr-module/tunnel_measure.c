// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Everything measured about a tunnel.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * The prober, BFD session and counters of a tunnel are set up from its
 * configuration and follow its interface: a re-created interface (new
 * ifindex) keeps its figures and its sessions, the way an operator expects
 * a tunnel's history to survive a re-creation.
 */
#include <zebra.h>

#include <libmnl/libmnl.h>

#include "lib/if.h"
#include "lib/log.h"
#include "lib/memory.h"

#include "tunneld/tunnel_bfd.h"
#include "tunneld/tunnel_clock.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunnel_memory.h"
#include "tunneld/tunnel_netlink.h"
#include "tunneld/tunnel_peer.h"
#include "tunneld/tunnel_wireguard.h"

DEFINE_MTYPE_STATIC(TUNNELD, TUNNEL_MEASURE, "Tunnel measurement");
DEFINE_HOOK(tunnel_measure_changed, (struct tunnel *tun, bool urgent), (tun, urgent));

#define COUNTERS_PERIOD_MS 1000

static struct event_loop *meas_master;
static struct event *t_counters;

const char *tunnel_liveness_name(enum tunnel_liveness l)
{
	switch (l) {
	case TUNNEL_ALIVE:
		return "up";
	case TUNNEL_DEAD_LINK:
		return "down (interface)";
	case TUNNEL_DEAD_BFD:
		return "down (BFD)";
	case TUNNEL_DEAD_PROBES:
		return "down (probes lost)";
	}
	return "?";
}

static void liveness_eval(struct tunnel *tun)
{
	struct tunnel_measure *m = tun->meas;
	struct interface *ifp = tunnel_ifp(tun);
	enum tunnel_liveness l = TUNNEL_ALIVE;

	if (!tun->st.ifindex || !ifp || !if_is_operative(ifp))
		l = TUNNEL_DEAD_LINK;
	else if (tunnel_bfd_down(tun))
		l = TUNNEL_DEAD_BFD;
	else if (m->prober && m->prober->down)
		l = TUNNEL_DEAD_PROBES;
	if (l == m->liveness)
		return;
	zlog_info("tunnel %s: %s (was %s)", tun->name, tunnel_liveness_name(l),
		  tunnel_liveness_name(m->liveness));
	m->liveness = l;
	m->liveness_changed_ms = tunnel_clock_real_ms();
	hook_call(tunnel_measure_changed, tun, true);
}

static void prober_notify(void *arg, enum tunnel_prober_event ev)
{
	struct tunnel *tun = arg;

	if (ev == TUNNEL_PROBER_LIVENESS) {
		const struct tunnel_prober *p = tun->meas->prober;

		if (p->down)
			zlog_info("tunnel %s: probes lost: no reply for %u intervals of %u ms",
				  tun->name, p->cfg.timing.miss_count, p->cfg.timing.interval_ms);
		else
			zlog_info("tunnel %s: probes answered again", tun->name);
		liveness_eval(tun);
	}
	else
		hook_call(tunnel_measure_changed, tun, false);
}

void tunnel_measure_bfd_changed(struct tunnel *tun)
{
	liveness_eval(tun);
}

/* The far end to probe: configured, or the other end of a /30, /31, /127. */
static bool probe_destination(const struct tunnel *tun, struct ipaddr *dst, char *why,
			      size_t whylen)
{
	const struct tunnel_prefix *tp;
	struct tunnel_ip addr, peer;

	if (!ipaddr_is_zero(&tun->cfg.probe.destination)) {
		*dst = tun->cfg.probe.destination;
		return true;
	}
	frr_each (tunnel_prefixes_const, &tun->cfg.addresses, tp) {
		tunnel_ip_from_prefix(&addr, &tp->p);
		if (tunnel_peer_from_subnet(&addr, tp->p.prefixlen, &peer) < 0)
			continue;
		memset(dst, 0, sizeof(*dst));
		if (peer.family == AF_INET) {
			SET_IPADDR_V4(dst);
			dst->ipaddr_v4 = peer.u.v4;
		} else {
			SET_IPADDR_V6(dst);
			dst->ipaddr_v6 = peer.u.v6;
		}
		return true;
	}
	snprintf(why, whylen,
		 "no probe destination: configure 'probe destination' or a /30, /31 or /127 address");
	return false;
}

static void prober_cfg(const struct tunnel *tun, struct tunnel_prober_cfg *pc)
{
	struct interface *ifp = tunnel_ifp(tun);
	const struct tunnel_profile *prof = tunnel_profile_of(tun);

	memset(pc, 0, sizeof(*pc));
	pc->mode = tun->cfg.probe.mode;
	pc->dst = tun->meas->probe_dst;
	pc->port = tun->cfg.probe.port;
	pc->vrf_id = ifp ? ifp->vrf->vrf_id : VRF_DEFAULT;
	if (tun->cfg.vrf[0] && !ifp) {
		struct vrf *vrf = vrf_lookup_by_name(tun->cfg.vrf);

		pc->vrf_id = vrf ? vrf->vrf_id : VRF_UNKNOWN;
	}
	pc->ifindex = ifp && tun->st.ifindex ? ifp->ifindex : 0;
	if (ifp && ifp->vrf->vrf_id != VRF_DEFAULT) {
		struct interface *vrf_ifp = if_lookup_by_name(ifp->vrf->name, ifp->vrf->vrf_id);

		pc->master_ifindex = vrf_ifp ? vrf_ifp->ifindex : 0;
	}
	tunnel_probe_timing_of(tun, &pc->timing);
	pc->alpha = prof->alpha;
}

static void probe_update(struct tunnel *tun)
{
	struct tunnel_measure *m = tun->meas;
	struct tunnel_prober_cfg pc;
	bool want = tun->cfg.probe.mode != TUNNEL_PROBE_NONE && !tunnel_config_missing(&tun->cfg);

	m->no_probe[0] = '\0';
	if (tun->cfg.probe.mode == TUNNEL_PROBE_NONE)
		snprintf(m->no_probe, sizeof(m->no_probe), "probes are off (probe mode none)");
	else if (tunnel_config_missing(&tun->cfg))
		snprintf(m->no_probe, sizeof(m->no_probe), "the tunnel is incomplete");
	else if (!probe_destination(tun, &m->probe_dst, m->no_probe, sizeof(m->no_probe)))
		want = false;
	if (want) {
		prober_cfg(tun, &pc);
		if (pc.vrf_id == VRF_UNKNOWN) {
			snprintf(m->no_probe, sizeof(m->no_probe), "VRF %s is not known yet",
				 tun->cfg.vrf);
			want = false;
		}
	}
	if (!want) {
		if (m->prober)
			zlog_info("tunnel %s: probes stopped: %s", tun->name, m->no_probe);
		tunnel_prober_free(&m->prober);
		return;
	}
	if (m->prober) {
		tunnel_prober_set(m->prober, &pc);
		return;
	}
	m->prober = tunnel_prober_new(&pc, prober_notify, tun);
	zlog_info("tunnel %s: probing %pIA with %s every %u ms", tun->name, &pc.dst,
		  tunnel_probe_mode_name(pc.mode), pc.timing.interval_ms);
}

void tunnel_measure_update(struct tunnel *tun)
{
	struct tunnel_measure *m = tun->meas;

	if (tun->st.ifindex && m->seen_ifindex && tun->st.ifindex != m->seen_ifindex) {
		m->recreations++;
		/* Counters start again on a new interface: a new baseline. */
		m->stats_valid = false;
		DEBUGD(&tunnel_dbg_probe, "tunnel %s: measuring the new interface (ifindex %u, was %u)",
		       tun->name, tun->st.ifindex, m->seen_ifindex);
	}
	if (tun->st.ifindex)
		m->seen_ifindex = tun->st.ifindex;
	probe_update(tun);
	tunnel_bfd_update(tun);
	liveness_eval(tun);
}

void tunnel_measure_update_all(void)
{
	struct tunnel *tun;

	frr_each (tunnels, &tunnels, tun)
		tunnel_measure_update(tun);
}

struct tunnel_reflector_tunnel_stats *tunnel_measure_reflector_stats(struct tunnel *tun)
{
	return &tun->meas->refl;
}

/* Counters. */

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct tunnel_link *tl = arg;

	/* A kind we do not know still has counters: -1 only for malformed. */
	return tunnel_link_parse(nlh, tl) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

static void counters_one(struct tunnel *tun, uint64_t now)
{
	struct tunnel_measure *m = tun->meas;
	const struct tunnel_profile *prof = tunnel_profile_of(tun);
	char buf[MNL_SOCKET_BUFFER_SIZE], err[128];
	struct nlmsghdr *nlh;
	struct tunnel_link tl;

	if (!tun->st.ifindex)
		return;
	nlh = tunnel_link_build_getstats(buf, sizeof(buf), tunnel_nl_seq(), tun->st.ifindex);
	if (!nlh || tunnel_nl_talk(TUNNEL_NL_ROUTE, nlh, stats_cb, &tl, err, sizeof(err)) < 0 ||
	    !tl.stats_valid) {
		m->stats_valid = false;
		return;
	}
	if (!m->stats_valid) {
		/* A new interface or a gap: start the rates from here. */
		tunnel_rate_init(&m->rx);
		tunnel_rate_init(&m->tx);
	}
	m->stats = tl.stats;
	m->stats_valid = true;
	tunnel_rate_update(&m->rx, tl.stats.rx_bytes, now, prof->alpha);
	tunnel_rate_update(&m->tx, tl.stats.tx_bytes, now, prof->alpha);

	if (tun->cfg.kind && tun->cfg.kind->kind == TUNNEL_KIND_WIREGUARD)
		m->wg_seen = tunnel_wireguard_handshake(tun, &m->wg_handshake_age_s,
							&m->wg_rx_bytes, &m->wg_tx_bytes) == 0;
}

static void counters_tick(struct event *e)
{
	struct tunnel *tun;
	uint64_t now = tunnel_clock_mono_ns();

	event_add_timer_msec(meas_master, counters_tick, NULL, COUNTERS_PERIOD_MS, &t_counters);
	frr_each (tunnels, &tunnels, tun)
		counters_one(tun, now);
}

void tunnel_measure_new(struct tunnel *tun)
{
	tun->meas = XCALLOC(MTYPE_TUNNEL_MEASURE, sizeof(*tun->meas));
	tun->meas->tun = tun;
	tun->meas->bfd_state = BSS_UNKNOWN;
	tun->meas->wg_handshake_age_s = -1;
	tun->meas->liveness = TUNNEL_DEAD_LINK;
	tunnel_rate_init(&tun->meas->rx);
	tunnel_rate_init(&tun->meas->tx);
}

void tunnel_measure_free(struct tunnel *tun)
{
	if (!tun->meas)
		return;
	tunnel_prober_free(&tun->meas->prober);
	tunnel_bfd_remove(tun);
	XFREE(MTYPE_TUNNEL_MEASURE, tun->meas);
}

void tunnel_measure_init(struct event_loop *m)
{
	meas_master = m;
	tunnel_probe_init(m);
	tunnel_reflector_init(m);
	event_add_timer_msec(m, counters_tick, NULL, COUNTERS_PERIOD_MS, &t_counters);
	/* Answer the far ends' probes even before any configuration arrives. */
	tunnel_reflector_update();
}

void tunnel_measure_fini(void)
{
	EVENT_OFF(t_counters);
	tunnel_reflector_fini();
	tunnel_probe_fini();
}
