// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld: the daemon's configuration model and tunnel registry.
 * Copyright (C) 2026 The frr-tunneld authors
 */
#include <zebra.h>

#include "lib/memory.h"

#include "tunneld/tunnel_decide.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunneld.h"
#include "tunneld/tunnel_memory.h"

struct tunneld_globals tunneld_globals;
struct tunnels_head tunnels;
struct tunnel_profiles_head tunnel_profiles;

/*
 * The built-in profile.  These are the defaults of frr-tunneld.yang's
 * profile list (seed 004's model); keep the two in step.
 */
const struct tunnel_profile tunnel_profile_builtin = {
	.name = "default",
	.probe = {
		.interval_ms = 1000,
		.window = 30,
		.timeout_ms = 2000,
		.miss_count = 3,
		.dscp = 0,
		.size = 44,
	},
	.alpha = 0.25,
	.score = {
		.w_bandwidth = 45,
		.w_rtt = 35,
		.w_jitter = 10,
		.w_loss = 300,
		.ref_bandwidth_kbps = 200000,
		.ref_rtt_ms = 50,
		.ref_jitter_ms = 20,
	},
	.lp = {
		.base = 100,
		.scale = 2,
		.max_score = 50,
	},
	.cost = {
		.mode = TUNNEL_COST_LATENCY,
		.beta = 0.5,
		.gamma = 10000,
		.delta = 1000,
		.minimum = 1,
		.maximum = 65534,
		.step = 1,
		.penalty = 65535,
	},
	.health = {
		.max_loss_pct = 5,
		.max_rtt_ms = 500,
		.recovery_s = 60,
	},
	.hysteresis = {
		.lp_deadband = 5,
		.cost_deadband_pct = 10,
		.holddown = 8,
		.dwell_s = 120,
	},
};

int tunnel_cmp(const struct tunnel *a, const struct tunnel *b)
{
	return strcmp(a->name, b->name);
}

int tunnel_profile_cmp(const struct tunnel_profile *a,
		       const struct tunnel_profile *b)
{
	return strcmp(a->name, b->name);
}

int tunnel_prefix_cmp(const struct tunnel_prefix *a,
		      const struct tunnel_prefix *b)
{
	int r;

	if (a->p.family != b->p.family)
		return a->p.family == AF_INET ? -1 : 1;
	r = memcmp(&a->p.u.prefix, &b->p.u.prefix,
		   a->p.family == AF_INET ? sizeof(struct in_addr)
					  : sizeof(struct in6_addr));
	if (r)
		return r;
	return numcmp(a->p.prefixlen, b->p.prefixlen);
}

struct tunnel *tunnel_find(const char *name)
{
	struct tunnel key = {};

	strlcpy(key.name, name, sizeof(key.name));
	return tunnels_find(&tunnels, &key);
}

struct tunnel *tunnel_new(const char *name)
{
	struct tunnel *tun = XCALLOC(MTYPE_TUNNEL, sizeof(*tun));

	strlcpy(tun->name, name, sizeof(tun->name));
	tunnel_config_init(&tun->cfg);
	tunnel_measure_new(tun);
	tunnel_decide_new(tun);
	tunnels_add(&tunnels, tun);
	return tun;
}

void tunnel_free(struct tunnel *tun)
{
	tunnels_del(&tunnels, tun);
	tunnel_decide_free(tun);
	tunnel_measure_free(tun);
	tunnel_config_clear(&tun->cfg);
	tunnel_prefixes_fini(&tun->cfg.addresses);
	tunnel_wg_peers_fini(&tun->cfg.wg.peers);
	XFREE(MTYPE_TUNNEL, tun);
}

void tunnel_config_init(struct tunnel_config *cfg)
{
	tunnel_prefixes_init(&cfg->addresses);
	tunnel_wg_peers_init(&cfg->wg.peers);
}

static void tunnel_prefixes_clear(struct tunnel_prefixes_head *head)
{
	struct tunnel_prefix *tp;

	while ((tp = tunnel_prefixes_pop(head)))
		XFREE(MTYPE_TUNNEL_ADDR, tp);
}

/* Reset to an empty configuration, keeping the containers usable. */
void tunnel_config_clear(struct tunnel_config *cfg)
{
	struct tunnel_wg_peer *peer;

	XFREE(MTYPE_TUNNEL_STR, cfg->description);
	tunnel_prefixes_clear(&cfg->addresses);
	while ((peer = tunnel_wg_peers_pop(&cfg->wg.peers))) {
		tunnel_prefixes_clear(&peer->allowed_ips);
		tunnel_prefixes_fini(&peer->allowed_ips);
		XFREE(MTYPE_TUNNEL_WG_PEER, peer);
	}
	tunnel_prefixes_fini(&cfg->addresses);
	tunnel_wg_peers_fini(&cfg->wg.peers);

	/* The list heads point at themselves: re-initialise, never copy. */
	memset(cfg, 0, sizeof(*cfg));
	tunnel_config_init(cfg);
}

struct tunnel_profile *tunnel_profile_find(const char *name)
{
	struct tunnel_profile key = {};

	strlcpy(key.name, name, sizeof(key.name));
	return tunnel_profiles_find(&tunnel_profiles, &key);
}

struct tunnel_profile *tunnel_profile_new(const char *name)
{
	struct tunnel_profile *prof = XCALLOC(MTYPE_TUNNEL_PROFILE,
					      sizeof(*prof));

	*prof = tunnel_profile_builtin;
	memset(&prof->item, 0, sizeof(prof->item));
	strlcpy(prof->name, name, sizeof(prof->name));
	tunnel_profiles_add(&tunnel_profiles, prof);
	return prof;
}

void tunnel_profile_free(struct tunnel_profile *prof)
{
	tunnel_profiles_del(&tunnel_profiles, prof);
	XFREE(MTYPE_TUNNEL_PROFILE, prof);
}

const struct tunnel_profile *tunnel_profile_of(const struct tunnel *tun)
{
	const struct tunnel_profile *prof = NULL;

	if (tun->cfg.profile[0])
		prof = tunnel_profile_find(tun->cfg.profile);
	return prof ? prof : &tunnel_profile_builtin;
}

struct interface *tunnel_ifp(const struct tunnel *tun)
{
	struct vrf *vrf;
	struct interface *ifp;

	/*
	 * Names are unique in a network namespace: look in every VRF, as the
	 * interface is in its old VRF until zebra reports a move.  lib/if also
	 * keeps configured-but-absent interfaces; those are not real.
	 */
	RB_FOREACH (vrf, vrf_name_head, &vrfs_by_name) {
		ifp = if_lookup_by_name_vrf(tun->name, vrf);
		if (ifp && ifp->ifindex != IFINDEX_INTERNAL)
			return ifp;
	}
	return NULL;
}

void tunnel_probe_timing_of(const struct tunnel *tun, struct tunnel_probe_timing *out)
{
	const struct tunnel_probe_timing *t = &tun->cfg.probe.timing;
	const struct tunnel_probe_timing *d = &tunnel_profile_of(tun)->probe;

	out->interval_ms = t->interval_ms ?: d->interval_ms;
	out->window = t->window ?: d->window;
	out->timeout_ms = t->timeout_ms ?: d->timeout_ms;
	out->miss_count = t->miss_count ?: d->miss_count;
	out->dscp = t->dscp_set ? t->dscp : d->dscp;
	out->dscp_set = true;
	out->size = t->size ?: d->size;
}

/* What each kind needs beyond what every kind needs. */
static const char *vti_missing(const struct tunnel_config *cfg)
{
	return cfg->vti.ikey ? NULL : "vti key";
}

static const char *xfrm_missing(const struct tunnel_config *cfg)
{
	return cfg->xfrm.if_id ? NULL : "xfrm if-id";
}

static const char *wireguard_missing(const struct tunnel_config *cfg)
{
	return cfg->wg.private_key_file[0] ? NULL : "wireguard private-key-file";
}

static const char *(*const kind_missing[TUNNEL_KIND_MAX])(const struct tunnel_config *cfg) = {
	[TUNNEL_KIND_VTI] = vti_missing,
	[TUNNEL_KIND_VTI6] = vti_missing,
	[TUNNEL_KIND_XFRM] = xfrm_missing,
	[TUNNEL_KIND_WIREGUARD] = wireguard_missing,
};

const char *tunnel_config_missing(const struct tunnel_config *cfg)
{
	if (!cfg->kind)
		return "kind";
	if (cfg->kind->needs_destination &&
	    cfg->underlay.destination.ipa_type == IPADDR_NONE)
		return "underlay destination";
	if (kind_missing[cfg->kind->kind])
		return kind_missing[cfg->kind->kind](cfg);
	return NULL;
}

void tunnel_ip_from_ipaddr(struct tunnel_ip *out, const struct ipaddr *in)
{
	memset(out, 0, sizeof(*out));
	if (IS_IPADDR_V4(in)) {
		out->family = AF_INET;
		out->u.v4 = in->ipaddr_v4;
	} else if (IS_IPADDR_V6(in)) {
		out->family = AF_INET6;
		out->u.v6 = in->ipaddr_v6;
	}
}

void tunnel_ip_from_prefix(struct tunnel_ip *out, const struct prefix *p)
{
	memset(out, 0, sizeof(*out));
	out->family = p->family;
	if (p->family == AF_INET)
		out->u.v4 = p->u.prefix4;
	else
		out->u.v6 = p->u.prefix6;
}

const char *tunnel_mtu_source_name(enum tunnel_mtu_source src)
{
	static const char *const names[] = {
		[TUNNEL_MTU_KERNEL] = "kernel",
		[TUNNEL_MTU_CONFIG] = "config",
		[TUNNEL_MTU_AUTO] = "auto",
	};

	return names[src];
}

const char *tunnel_probe_mode_name(enum tunnel_probe_mode mode)
{
	static const char *const names[] = {
		[TUNNEL_PROBE_STAMP] = "stamp",
		[TUNNEL_PROBE_ICMP] = "icmp",
		[TUNNEL_PROBE_NONE] = "none",
	};

	return names[mode];
}

const char *tunnel_cost_mode_name(enum tunnel_cost_mode mode)
{
	static const char *const names[] = {
		[TUNNEL_COST_LATENCY] = "latency",
		[TUNNEL_COST_COMPOSITE] = "composite",
		[TUNNEL_COST_SCORE] = "score",
	};

	return names[mode];
}

void tunneld_init(void)
{
	tunnels_init(&tunnels);
	tunnel_profiles_init(&tunnel_profiles);

	/* The YANG defaults of the global leaves. */
	tunneld_globals.dry_run = false;
	tunneld_globals.change_budget = 20;
	tunneld_globals.reflector.enable = true;
	tunneld_globals.reflector.port = 862;
	tunneld_globals.reflector.all_interfaces = false;
}

void tunneld_terminate(void)
{
	struct tunnel *tun;
	struct tunnel_profile *prof;

	while ((tun = tunnels_first(&tunnels)))
		tunnel_free(tun);
	while ((prof = tunnel_profiles_first(&tunnel_profiles)))
		tunnel_profile_free(prof);
	tunnels_fini(&tunnels);
	tunnel_profiles_fini(&tunnel_profiles);
}
