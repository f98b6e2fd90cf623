// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunneld northbound: configuration callbacks.
 * Copyright (C) 2026 The frr-tunneld authors
 *
 * mgmtd has validated the whole candidate against frr-tunneld.yang before
 * any of this runs, so the loaders only translate data nodes into the
 * daemon's structures.  Each tunnel and profile is re-read as a whole in
 * apply_finish: one place decides what a configuration means, whatever
 * subset of leaves a transaction touched.
 */
#include <zebra.h>

#include "lib/log.h"
#include "lib/northbound.h"
#include "lib/yang.h"

#include "tunneld/tunneld.h"
#include "tunneld/tunnel_debug.h"
#include "tunneld/tunnel_memory.h"
#include "tunneld/tunnel_name.h"
#include "tunneld/tunnel_nb.h"
#include "tunneld/tunnel_decide.h"
#include "tunneld/tunnel_measure.h"
#include "tunneld/tunnel_reconcile.h"
#include "tunneld/tunnel_reflector.h"

/* Leaves are acknowledged here and read by their owner's apply_finish. */
int tunnel_nb_leaf_modify(struct nb_cb_modify_args *args)
{
	return NB_OK;
}

int tunnel_nb_leaf_destroy(struct nb_cb_destroy_args *args)
{
	return NB_OK;
}

int tunnel_nb_node_create(struct nb_cb_create_args *args)
{
	return NB_OK;
}

int tunnel_nb_node_destroy(struct nb_cb_destroy_args *args)
{
	return NB_OK;
}

/* Small readers for leaves that may be absent (optional, no default). */
static uint32_t dn_u32(const struct lyd_node *dn, const char *xp, uint32_t def)
{
	return yang_dnode_exists(dn, xp) ? yang_dnode_get_uint32(dn, "%s", xp)
					 : def;
}

static uint16_t dn_u16(const struct lyd_node *dn, const char *xp, uint16_t def)
{
	return yang_dnode_exists(dn, xp) ? yang_dnode_get_uint16(dn, "%s", xp)
					 : def;
}

static uint8_t dn_u8(const struct lyd_node *dn, const char *xp, uint8_t def)
{
	return yang_dnode_exists(dn, xp) ? yang_dnode_get_uint8(dn, "%s", xp)
					 : def;
}

static double dn_dec(const struct lyd_node *dn, const char *xp, double def)
{
	return yang_dnode_exists(dn, xp) ? yang_dnode_get_dec64(dn, "%s", xp)
					 : def;
}

static bool dn_bool(const struct lyd_node *dn, const char *xp, bool def)
{
	return yang_dnode_exists(dn, xp) ? yang_dnode_get_bool(dn, "%s", xp)
					 : def;
}

static void dn_str(char *buf, size_t size, const struct lyd_node *dn,
		   const char *xp)
{
	buf[0] = '\0';
	if (yang_dnode_exists(dn, xp))
		strlcpy(buf, yang_dnode_get_string(dn, "%s", xp), size);
}

static void dn_ip(struct ipaddr *ip, const struct lyd_node *dn, const char *xp)
{
	memset(ip, 0, sizeof(*ip));
	ip->ipa_type = IPADDR_NONE;
	if (yang_dnode_exists(dn, xp))
		yang_dnode_get_ip(ip, dn, "%s", xp);
}

/*
 * Global settings.
 */
void tunneld_nb_apply_finish(struct nb_cb_apply_finish_args *args)
{
	const struct lyd_node *dn = args->dnode;
	const char *scope = yang_dnode_exists(dn, "stamp-reflector/scope")
				    ? yang_dnode_get_string(dn, "stamp-reflector/scope")
				    : "managed";

	tunneld_globals.dry_run = dn_bool(dn, "dry-run", false);
	tunneld_globals.change_budget = dn_u16(dn, "change-budget", 20);
	tunneld_globals.reflector.enable =
		dn_bool(dn, "stamp-reflector/enable", true);
	tunneld_globals.reflector.port = dn_u16(dn, "stamp-reflector/port", 862);
	tunneld_globals.reflector.all_interfaces = strmatch(scope, "all");
	tunnel_reflector_update();
	tunnel_decide_globals_changed();
}

/*
 * Profiles.
 */
int tunnel_nb_profile_create(struct nb_cb_create_args *args)
{
	const char *name;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	name = yang_dnode_get_string(args->dnode, "name");
	if (!tunnel_profile_find(name))
		tunnel_profile_new(name);
	return NB_OK;
}

int tunnel_nb_profile_destroy(struct nb_cb_destroy_args *args)
{
	struct tunnel_profile *prof;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	prof = tunnel_profile_find(yang_dnode_get_string(args->dnode, "name"));
	if (prof)
		tunnel_profile_free(prof);
	return NB_OK;
}

static enum tunnel_cost_mode cost_mode_parse(const char *s)
{
	if (strmatch(s, "composite"))
		return TUNNEL_COST_COMPOSITE;
	if (strmatch(s, "score"))
		return TUNNEL_COST_SCORE;
	return TUNNEL_COST_LATENCY;
}

static void profile_load(struct tunnel_profile *p, const struct lyd_node *dn)
{
	const struct tunnel_profile *d = &tunnel_profile_builtin;

	p->probe.interval_ms = dn_u32(dn, "probe/interval", d->probe.interval_ms);
	p->probe.window = dn_u16(dn, "probe/window", d->probe.window);
	p->probe.timeout_ms = dn_u32(dn, "probe/timeout", d->probe.timeout_ms);
	p->probe.miss_count = dn_u8(dn, "probe/miss-count", d->probe.miss_count);
	p->probe.dscp = dn_u8(dn, "probe/dscp", d->probe.dscp);
	p->probe.size = dn_u16(dn, "probe/size", d->probe.size);
	p->alpha = dn_dec(dn, "alpha", d->alpha);

	p->score.w_bandwidth = dn_dec(dn, "score/weight-bandwidth", d->score.w_bandwidth);
	p->score.w_rtt = dn_dec(dn, "score/weight-rtt", d->score.w_rtt);
	p->score.w_jitter = dn_dec(dn, "score/weight-jitter", d->score.w_jitter);
	p->score.w_loss = dn_dec(dn, "score/weight-loss", d->score.w_loss);
	p->score.ref_bandwidth_kbps =
		dn_u32(dn, "score/reference-bandwidth", d->score.ref_bandwidth_kbps);
	p->score.ref_rtt_ms = dn_u32(dn, "score/reference-rtt", d->score.ref_rtt_ms);
	p->score.ref_jitter_ms =
		dn_u32(dn, "score/reference-jitter", d->score.ref_jitter_ms);

	p->lp.base = dn_u32(dn, "local-preference/base", d->lp.base);
	p->lp.scale = dn_dec(dn, "local-preference/scale", d->lp.scale);
	p->lp.max_score = dn_dec(dn, "local-preference/max-score", d->lp.max_score);

	p->cost.mode = yang_dnode_exists(dn, "ospf-cost/mode")
			       ? cost_mode_parse(yang_dnode_get_string(dn, "ospf-cost/mode"))
			       : d->cost.mode;
	p->cost.beta = dn_dec(dn, "ospf-cost/beta", d->cost.beta);
	p->cost.gamma = dn_dec(dn, "ospf-cost/gamma", d->cost.gamma);
	p->cost.delta = dn_dec(dn, "ospf-cost/delta", d->cost.delta);
	p->cost.minimum = dn_u16(dn, "ospf-cost/minimum", d->cost.minimum);
	p->cost.maximum = dn_u16(dn, "ospf-cost/maximum", d->cost.maximum);
	p->cost.step = dn_u16(dn, "ospf-cost/step", d->cost.step);
	p->cost.penalty = dn_u16(dn, "ospf-cost/penalty", d->cost.penalty);

	p->health.max_loss_pct = dn_dec(dn, "health/max-loss", d->health.max_loss_pct);
	p->health.max_rtt_ms = dn_u32(dn, "health/max-rtt", d->health.max_rtt_ms);
	p->health.recovery_s = dn_u32(dn, "health/recovery-time", d->health.recovery_s);

	p->hysteresis.lp_deadband =
		dn_u32(dn, "hysteresis/lp-deadband", d->hysteresis.lp_deadband);
	p->hysteresis.cost_deadband_pct =
		dn_u8(dn, "hysteresis/cost-deadband", d->hysteresis.cost_deadband_pct);
	p->hysteresis.holddown = dn_u32(dn, "hysteresis/holddown", d->hysteresis.holddown);
	p->hysteresis.dwell_s = dn_u32(dn, "hysteresis/dwell", d->hysteresis.dwell_s);
}

void tunnel_nb_profile_apply_finish(struct nb_cb_apply_finish_args *args)
{
	struct tunnel_profile *prof;
	struct tunnel *tun;

	prof = tunnel_profile_find(yang_dnode_get_string(args->dnode, "name"));
	if (!prof)
		return;
	profile_load(prof, args->dnode);
	DEBUGD(&tunnel_dbg_policy, "profile %s: configuration applied",
	       prof->name);
	/* Probe timing, smoothing and policy of the tunnels that use it. */
	tunnel_measure_update_all();
	frr_each (tunnels, &tunnels, tun)
		tunnel_decide_update(tun);
}

/*
 * Tunnels.
 */
int tunnel_nb_tunnel_create(struct nb_cb_create_args *args)
{
	const char *name = yang_dnode_get_string(args->dnode, "name");
	const char *why;

	switch (args->event) {
	case NB_EV_VALIDATE:
		/* YANG checks the pattern; this is the kernel's own rule. */
		if (!tunnel_name_valid(name, &why)) {
			snprintf(args->errmsg, args->errmsg_len,
				 "tunnel %s: %s", name, why);
			return NB_ERR_VALIDATION;
		}
		break;
	case NB_EV_PREPARE:
	case NB_EV_ABORT:
		break;
	case NB_EV_APPLY:
		if (!tunnel_find(name))
			tunnel_new(name);
		break;
	}
	return NB_OK;
}

int tunnel_nb_tunnel_destroy(struct nb_cb_destroy_args *args)
{
	struct tunnel *tun;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	tun = tunnel_find(yang_dnode_get_string(args->dnode, "name"));
	if (tun) {
		tunnel_reconcile_remove(tun);
		tunnel_free(tun);
	}
	return NB_OK;
}

static int address_load(const struct lyd_node *dn, void *arg)
{
	struct tunnel_prefixes_head *head = arg;
	struct tunnel_prefix *tp = XCALLOC(MTYPE_TUNNEL_ADDR, sizeof(*tp));
	struct ipaddr ip;

	yang_dnode_get_ip(&ip, dn, "ip");
	if (IS_IPADDR_V4(&ip)) {
		tp->p.family = AF_INET;
		tp->p.u.prefix4 = ip.ipaddr_v4;
	} else {
		tp->p.family = AF_INET6;
		tp->p.u.prefix6 = ip.ipaddr_v6;
	}
	tp->p.prefixlen = yang_dnode_get_uint8(dn, "prefix-length");
	if (tunnel_prefixes_add(head, tp))
		XFREE(MTYPE_TUNNEL_ADDR, tp); /* a duplicate: YANG keys prevent it */
	return YANG_ITER_CONTINUE;
}

static int prefix_load(const struct lyd_node *dn, void *arg)
{
	struct tunnel_prefixes_head *head = arg;
	struct tunnel_prefix *tp = XCALLOC(MTYPE_TUNNEL_ADDR, sizeof(*tp));

	yang_dnode_get_prefix(&tp->p, dn, NULL);
	if (tunnel_prefixes_add(head, tp))
		XFREE(MTYPE_TUNNEL_ADDR, tp); /* a duplicate: YANG keys prevent it */
	return YANG_ITER_CONTINUE;
}

static int wg_peer_load(const struct lyd_node *dn, void *arg)
{
	struct tunnel_wg_peers_head *peers = arg;
	struct tunnel_wg_peer *peer = XCALLOC(MTYPE_TUNNEL_WG_PEER, sizeof(*peer));

	tunnel_prefixes_init(&peer->allowed_ips);
	dn_str(peer->public_key, sizeof(peer->public_key), dn, "public-key");
	dn_str(peer->psk_file, sizeof(peer->psk_file), dn, "preshared-key-file");
	dn_ip(&peer->endpoint, dn, "endpoint-address");
	peer->endpoint_port = dn_u16(dn, "endpoint-port", 51820);
	peer->keepalive_s = dn_u16(dn, "persistent-keepalive", 0);
	yang_dnode_iterate(prefix_load, &peer->allowed_ips, dn, "allowed-ips");
	tunnel_wg_peers_add_tail(peers, peer);
	return YANG_ITER_CONTINUE;
}

static enum tunnel_probe_mode probe_mode_parse(const char *s)
{
	if (strmatch(s, "icmp"))
		return TUNNEL_PROBE_ICMP;
	if (strmatch(s, "none"))
		return TUNNEL_PROBE_NONE;
	return TUNNEL_PROBE_STAMP;
}

static void tunnel_config_load(struct tunnel_config *c, const struct lyd_node *dn)
{
	const char *mtu;

	tunnel_config_clear(c);

	c->kind = yang_dnode_exists(dn, "kind")
			  ? tunnel_kind_by_name(yang_dnode_get_string(dn, "kind"))
			  : NULL;
	if (yang_dnode_exists(dn, "description"))
		c->description = XSTRDUP(MTYPE_TUNNEL_STR,
					 yang_dnode_get_string(dn, "description"));
	c->shutdown = dn_bool(dn, "shutdown", false);
	c->adopt = dn_bool(dn, "adopt", false);
	dn_str(c->vrf, sizeof(c->vrf), dn, "vrf");
	mtu = yang_dnode_exists(dn, "mtu") ? yang_dnode_get_string(dn, "mtu")
					   : "auto";
	c->mtu = strmatch(mtu, "auto") ? 0 : (uint16_t)strtoul(mtu, NULL, 10);
	dn_str(c->profile, sizeof(c->profile), dn, "profile");

	dn_ip(&c->underlay.source, dn, "underlay/source-address");
	dn_str(c->underlay.source_ifname, sizeof(c->underlay.source_ifname), dn,
	       "underlay/source-interface");
	dn_ip(&c->underlay.destination, dn, "underlay/destination");
	dn_str(c->underlay.vrf, sizeof(c->underlay.vrf), dn, "underlay/vrf");
	dn_str(c->underlay.device, sizeof(c->underlay.device), dn,
	       "underlay/device");

	yang_dnode_iterate(address_load, &c->addresses, dn, "address");

	c->gre.key_set = yang_dnode_exists(dn, "gre/key");
	c->gre.key = dn_u32(dn, "gre/key", 0);
	c->gre.ttl = dn_u8(dn, "gre/ttl", 0);
	c->gre.checksum = dn_bool(dn, "gre/checksum", false);
	c->vti.ikey = dn_u32(dn, "vti/ikey", 0);
	c->vti.okey = dn_u32(dn, "vti/okey", 0);
	c->xfrm.if_id = dn_u32(dn, "xfrm/if-id", 0);

	dn_str(c->wg.private_key_file, sizeof(c->wg.private_key_file), dn,
	       "wireguard/private-key-file");
	c->wg.listen_port = dn_u16(dn, "wireguard/listen-port", 0);
	c->wg.fwmark = dn_u32(dn, "wireguard/fwmark", 0);
	yang_dnode_iterate(wg_peer_load, &c->wg.peers, dn, "wireguard/peer");

	c->probe.mode = yang_dnode_exists(dn, "probe/mode")
				? probe_mode_parse(yang_dnode_get_string(dn, "probe/mode"))
				: TUNNEL_PROBE_STAMP;
	dn_ip(&c->probe.destination, dn, "probe/destination");
	c->probe.port = dn_u16(dn, "probe/port", 862);
	c->probe.timing.interval_ms = dn_u32(dn, "probe/interval", 0);
	c->probe.timing.window = dn_u16(dn, "probe/window", 0);
	c->probe.timing.timeout_ms = dn_u32(dn, "probe/timeout", 0);
	c->probe.timing.miss_count = dn_u8(dn, "probe/miss-count", 0);
	c->probe.timing.dscp_set = yang_dnode_exists(dn, "probe/dscp");
	c->probe.timing.dscp = dn_u8(dn, "probe/dscp", 0);
	c->probe.timing.size = dn_u16(dn, "probe/size", 0);

	c->bfd.enabled = yang_dnode_exists(dn, "bfd");
	dn_str(c->bfd.profile, sizeof(c->bfd.profile), dn, "bfd/profile");

	c->ospf_dynamic_cost = dn_bool(dn, "ospf/dynamic-cost", false);
	c->ospf6_dynamic_cost = dn_bool(dn, "ospf6/dynamic-cost", false);
	dn_str(c->bgp.route_map, sizeof(c->bgp.route_map), dn, "bgp/route-map");
	c->bgp.sequence = dn_u16(dn, "bgp/sequence", 10);
}

void tunnel_nb_tunnel_apply_finish(struct nb_cb_apply_finish_args *args)
{
	struct tunnel *tun;

	tun = tunnel_find(yang_dnode_get_string(args->dnode, "name"));
	if (!tun)
		return;
	tunnel_config_load(&tun->cfg, args->dnode);
	tunnel_reconcile_schedule(tun);
	tunnel_measure_update(tun);
	tunnel_decide_update(tun);
	/* A tunnel in a new VRF needs the reflector there. */
	tunnel_reflector_update();
}
